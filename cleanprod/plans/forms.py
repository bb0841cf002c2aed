"""Forms of the plans app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from cleanprod.plans.models import Technology
from cleanprod.plans.models.catalogue import codes_text
from cleanprod.platform import forms as forms_base


class TechnologyForm(forms_base.ModelForm):
    codes = forms.CharField(
        label=_("Industry codes"),
        help_text=_("GB/T 4754-2017 codes (2-4 digits), separated by spaces."),
    )

    class Meta:
        model = Technology
        fields = ["name", "stage", "description", "source"]

    def clean_codes(self) -> list[str]:
        codes = self.cleaned_data["codes"].replace(",", " ").split()
        if not codes or any(not c.isdigit() or not 2 <= len(c) <= 4 for c in codes):
            raise forms.ValidationError(_("Give 2 to 4 digit industry codes."))
        return sorted(set(codes))

    def save(self, user: Any, commit: bool = True) -> Technology:  # type: ignore[override]
        tech: Technology = super().save(commit=False)
        tech.slug = f"cat-{get_random_string(10).lower()}"
        tech.origin = Technology.Origin.CATALOGUE
        tech.industry_codes = self.cleaned_data["codes"]
        tech.codes_text = codes_text(tech.industry_codes)
        tech.region_id = user.region_id
        tech.added_by = user
        tech.published = True
        if commit:
            tech.save()
        return tech


class AllocationValueForm(forms.Form):
    """The value of a target allocation (a finite number)."""

    value = forms.DecimalField(max_digits=18, decimal_places=4, label=_("Value"))


class LibraryChoiceForm(forms.Form):
    """The emission-factor library to recalculate a carbon calculation with."""

    library = forms.IntegerField(min_value=1, label=_("Factor library"))
