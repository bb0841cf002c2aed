"""Forms for registry objects; validation lives on the models so the admin and imports agree."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from cleanprod.platform.forms import CleanTextMixin
from cleanprod.platform.locking import VersionedFormMixin
from cleanprod.regions.models import Region
from cleanprod.registry.models import Agency, Enterprise, Expert, Park


class RegionChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("region"))  # the model field's own label
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.full_name}（{obj.code}）"


class StyledModelForm(VersionedFormMixin, CleanTextMixin, forms.ModelForm):
    """Bootstrap classes on every widget, ``is-invalid`` on fields with errors; clean text.

    Forms of versioned models carry the version in a hidden field (optimistic locking).
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class EnterpriseForm(StyledModelForm):
    region = RegionChoiceField(queryset=Region.objects.leaves().order_by("code"))

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "region",
            "industry_code",
            "above_size",
            "park",
            "discharge_permit_no",
            "address",
            "contact_name",
            "contact_phone",
            "status",
        ]
        widgets = {"industry_code": forms.TextInput(attrs={"list": "industry-classes"})}

    def clean_uscc(self) -> str:
        return str(self.cleaned_data["uscc"]).strip().upper()


class ParkForm(StyledModelForm):
    region = RegionChoiceField(queryset=Region.objects.order_by("code"))

    class Meta:
        model = Park
        fields = ["name", "kind", "region", "description"]


class AgencyForm(StyledModelForm):
    region = RegionChoiceField(queryset=Region.objects.order_by("code"))

    class Meta:
        model = Agency
        fields = [
            "uscc",
            "name",
            "region",
            "filing_no",
            "filing_authority",
            "valid_from",
            "valid_until",
            "industry_scope",
            "address",
            "contact_phone",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "industry_scope": forms.SelectMultiple(attrs={"size": 12}),
        }

    def clean_uscc(self) -> str:
        return str(self.cleaned_data["uscc"]).strip().upper()


class ExpertForm(StyledModelForm):
    region = RegionChoiceField(queryset=Region.objects.order_by("code"))

    class Meta:
        model = Expert
        fields = [
            "name",
            "title",
            "region",
            "specialties",
            "employer_kind",
            "employer_enterprise",
            "employer_agency",
            "employer_name",
            "active",
            "phone",
            "email",
        ]
        widgets = {"specialties": forms.SelectMultiple(attrs={"size": 12})}
