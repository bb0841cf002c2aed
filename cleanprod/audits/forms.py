"""Forms of the audit workflow. Validation of the steps themselves lives in services."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cleanprod.audits.models import OptionCategory, Roster
from cleanprod.audits.models.options import BENEFIT_QUANTITIES, BENEFITS
from cleanprod.audits.services.reviews import STAGE_PHASE
from cleanprod.audits.workflow import TRANSITIONS
from cleanprod.core import units
from cleanprod.platform import forms as forms_base
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
    """The roster entry to remove and why (the service requires the reason)."""

    entry = forms.IntegerField(min_value=1, label=_("Roster entry"))
    reason = forms.CharField(
        required=False, label=_("Reason for removal"), widget=forms.Textarea(attrs={"rows": 2})
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


class BenefitsForm(forms_base.Form):
    """Yearly benefits of an option, each a value with the unit it is entered in.

    ``basis`` is ``expected`` (proposal) or ``verified`` (implementation, verification). The
    values are converted to the stored unit of each benefit in one place
    (:func:`cleanprod.core.units.to_stored`); :meth:`benefits` gives them, only those entered.
    """

    basis = "expected"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, _unit in BENEFITS:
            quantity = units.QUANTITIES[BENEFIT_QUANTITIES[key]]
            self.fields[f"{self.basis}_{key}"] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=20,
                decimal_places=6,
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "inputmode": "decimal"}
                ),
            )
            self.fields[f"{self.basis}_{key}_unit"] = forms.ChoiceField(
                label=format_lazy("{} ({})", label, _("unit")),
                choices=[(u.code, u.name) for u in quantity.units],
                required=False,
                initial=quantity.stored.code,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def benefit_rows(self) -> list[tuple[Any, Any]]:
        """(value field, unit field) per benefit, for the template's grid."""
        return [(self[f"{self.basis}_{k}"], self[f"{self.basis}_{k}_unit"]) for k, *_r in BENEFITS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._stored: dict[str, Decimal] = {}
        for key, _label, _unit in BENEFITS:
            name = f"{self.basis}_{key}"
            value = data.get(name)
            if value is None:
                continue
            quantity = BENEFIT_QUANTITIES[key]
            unit = data.get(f"{name}_unit") or units.QUANTITIES[quantity].stored.code
            try:
                self._stored[key] = units.to_stored(quantity, value, unit)
            except units.UnitError:
                self.add_error(name, _("The value is too large."))
        return data

    def benefits(self) -> dict[str, Decimal]:
        """The benefits entered, in their stored units (call after ``is_valid()``)."""
        return dict(self._stored)


class OptionForm(BenefitsForm):
    code = forms.CharField(label=_("Number"), max_length=16)
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(choices=OptionCategory.choices, label=_("Category"))
    investment = forms.DecimalField(label=_("Planned investment (10k CNY)"), min_value=0)


class FeasibilityForm(forms_base.Form):
    annual_net_cash_flow = forms.DecimalField(label=_("Annual net cash flow F (10k CNY)"))
    lifetime_years = forms.IntegerField(label=_("Lifetime n (years)"), min_value=1, max_value=100)
    discount_rate = forms.DecimalField(
        label=_("Discount rate i (e.g. 0.05)"), min_value=0, max_value=1
    )


class ImplementForm(BenefitsForm):
    basis = "verified"
    actual_investment = forms.DecimalField(label=_("Actual investment (10k CNY)"), min_value=0)


class VerifyForm(BenefitsForm):
    """The authority confirms the benefits; a value entered corrects the one recorded."""

    basis = "verified"


class RejectForm(forms_base.Form):
    """Reject an option: the reason (the barrier that rules it out) is required."""

    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 2})
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


# --- One form per workflow action whose parameters were parsed by hand (malformed input is a
# refusal naming the field, never a 500). The services still check the workflow itself.


class IntegerListField(forms.Field):
    """A repeated parameter (``?staff=1&staff=2``) of whole numbers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return [int(v) for v in value or [] if str(v).strip()]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(
                forms.IntegerField.default_error_messages["invalid"], code="invalid"
            ) from exc


class TransitionForm(forms.Form):
    """``transition``: the step to take and an optional note."""

    step = forms.ChoiceField(choices=(), label=_("Step"))
    note = forms.CharField(required=False, label=_("Note"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(t.name, t.label) for t in TRANSITIONS.values()]


class DrawPanelForm(forms.Form):
    """``draw_panel``: the review stage, the panel size (3 by default) and the senior rule."""

    stage = forms.ChoiceField(choices=[(s, s) for s in STAGE_PHASE], label=_("Review stage"))
    size = forms.IntegerField(required=False, min_value=1, max_value=50, label=_("Panel size"))
    require_senior = forms.BooleanField(required=False, label=_("Require a senior expert"))

    def clean_size(self) -> int:
        return self.cleaned_data.get("size") or 3


class OptionChoiceForm(forms.Form):
    """Actions on one option of the audit (screen, decide, feasibility, implement, verify)."""

    option = forms.IntegerField(min_value=1, label=_("Option"))


class AgencyForm(forms.Form):
    """``agency``: the agency to serve the audit and the ids of its staff on it."""

    agency = forms.IntegerField(min_value=1, label=_("Agency"))
    # Any whole numbers parse; whether they are the agency's staff is the service's rule.
    staff = IntegerListField(required=False, label=_("Agency staff"))


class AuditDashboardForm(forms.Form):
    """Query parameters of the audit dashboard (web page and API)."""

    region = forms.CharField(required=False, max_length=12, label=_("Region"))
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200, label=_("Year"))
    industry = forms.CharField(required=False, max_length=8, label=_("Industry"))
    group = forms.CharField(required=False, max_length=64, label=_("Industry group"))


def form_errors(form: forms.Form) -> str:
    """One line naming each invalid field (by its label) and its first error."""
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else name}: {errors[0]}"
        for name, errors in form.errors.items()
    )


class ScoreSheetForm(forms_base.Form):
    """One expert's score sheet on the versioned template: veto items first, then the scored
    items (0 to the item's points), then the opinion. A bound form keeps what was typed."""

    def __init__(self, template: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        for veto in template.vetoes:
            self.fields[f"veto_{veto.id}"] = forms.CharField(
                label=format_lazy("{} {}：{}", _("Veto"), veto.id, veto.text),
                required=False,
                help_text=_("Only if found: the facts that found it."),
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
        for item in template.items:
            points = Decimal(item.points.numerator) / Decimal(item.points.denominator)
            self.fields[f"item_{item.id}"] = forms.DecimalField(
                label=f"{item.id} {item.section}：{item.text}",
                min_value=0,
                max_value=points,
                max_digits=7,
                decimal_places=2,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm score-input",
                        "data-max": f"{points.normalize():f}",
                        "inputmode": "decimal",
                    }
                ),
            )
        self.fields["opinion"] = forms.CharField(
            label=_("Expert opinion"),
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        )

    @staticmethod
    def initial_from(sheet: Any) -> dict[str, Any]:
        """The initial values of the form from a stored sheet (re-opening one's own sheet)."""
        data: dict[str, Any] = {f"item_{k}": v for k, v in sheet.scores.items()}
        data.update({f"veto_{k}": v for k, v in sheet.vetoes.items()})
        data["opinion"] = sheet.opinion
        return data

    def veto_fields(self) -> list[Any]:
        """The bound veto fields (shown first)."""
        return [self[f"veto_{v.id}"] for v in self.template.vetoes]

    def item_fields(self) -> list[Any]:
        """The bound scored-item fields."""
        return [self[f"item_{i.id}"] for i in self.template.items]

    def sheet(self) -> dict[str, Any]:
        """``{"scores", "vetoes", "opinion"}`` for the service (call after ``is_valid()``)."""
        data = self.cleaned_data
        return {
            "scores": {i.id: str(data[f"item_{i.id}"]) for i in self.template.items},
            "vetoes": {
                v.id: data[f"veto_{v.id}"].strip()
                for v in self.template.vetoes
                if data[f"veto_{v.id}"].strip()
            },
            "opinion": data["opinion"],
        }
