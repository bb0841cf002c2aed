"""Forms of the audit workflow. Validation of the steps themselves lives in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cleanprod import forms_base
from cleanprod.audits.models import OptionCategory, Roster
from cleanprod.audits.models.options import BENEFITS
from cleanprod.regions.models import Region


class ProposeRosterForm(forms_base.Form):
    region = forms.ModelChoiceField(queryset=Region.objects.filter(level__lte=2), label=_("Region"))
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"))
    kind = forms.ChoiceField(choices=Roster.Kind.choices, label=_("Kind"))


class EntryForm(forms_base.Form):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    park = forms.IntegerField(label=_("Park id"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RemoveEntryForm(forms_base.Form):
    reason = forms.CharField(
        label=_("Reason for removal"), widget=forms.Textarea(attrs={"rows": 2})
    )


class OutputsForm(forms_base.Form):
    """Free-text outputs of a phase; the keys are those the workflow requires."""

    def __init__(self, keys: tuple[str, ...], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for key in keys:
            self.fields[key] = forms.CharField(
                label=OUTPUT_LABELS.get(key, key),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )


OUTPUT_LABELS = {
    "team": _("Audit team"),
    "plan": _("Work plan"),
    "disclosure": _("Disclosure (where and when)"),
    "current_state": _("Current state"),
    "targets": _("Cleaner-production targets of the audit"),
    "balances": _("Material, energy and water balances of the focus"),
    "causes": _("Causes of waste and emissions"),
    "continuing_plan": _("Continuing cleaner-production plan"),
}


class PreAssessmentForm(forms_base.Form):
    grade = forms.ChoiceField(
        choices=[("I", "Ⅰ级"), ("II", "Ⅱ级"), ("III", "Ⅲ级"), ("BELOW", _("Below level III"))],
        label=_("Grade against the industry's indicator system"),
    )
    focus = forms.CharField(label=_("Audit focus"), widget=forms.Textarea(attrs={"rows": 2}))


class OptionForm(forms_base.Form):
    code = forms.CharField(label=_("Number"), max_length=16)
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(choices=OptionCategory.choices, label=_("Category"))
    investment = forms.DecimalField(label=_("Planned investment (10k CNY)"), min_value=0)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for key, label, unit in BENEFITS:
            self.fields[f"expected_{key}"] = forms.DecimalField(
                label=f"{label} ({unit}/a)", required=False, min_value=0
            )


class FeasibilityForm(forms_base.Form):
    annual_net_cash_flow = forms.DecimalField(label=_("Annual net cash flow F (10k CNY)"))
    lifetime_years = forms.IntegerField(label=_("Lifetime n (years)"), min_value=1, max_value=100)
    discount_rate = forms.DecimalField(
        label=_("Discount rate i (e.g. 0.05)"), min_value=0, max_value=1
    )


class ImplementForm(forms_base.Form):
    actual_investment = forms.DecimalField(label=_("Actual investment (10k CNY)"), min_value=0)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for key, label, unit in BENEFITS:
            self.fields[f"verified_{key}"] = forms.DecimalField(
                label=f"{label} ({unit}/a)", required=False, min_value=0
            )


class DocumentForm(forms_base.Form):
    kind = forms.ChoiceField(
        choices=[
            ("report", _("Audit report")),
            ("plan", _("Work plan")),
            ("evidence", _("Evidence")),
            ("other", _("Other")),
        ],
        label=_("Document type"),
    )
    file = forms.FileField(label=_("File (PDF, DOCX, XLSX, JPG, PNG; ≤ 20 MB)"))
