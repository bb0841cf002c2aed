"""The self-assessment form, generated from the indicator system: one field per CSV column."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cleanprod.core.scoring import Grade
from cleanprod.core.scoring.model import Kind
from cleanprod.platform import forms as forms_base

LEVEL_CHOICES = [
    ("", "—"),
    ("I", "Ⅰ级"),
    ("II", "Ⅱ级"),
    ("III", "Ⅲ级"),
    ("0", _("not met")),
    ("NA", _("not applicable")),
]


class AssessmentForm(forms_base.Form):
    """Fields named like the CSV columns of `cleanprod evaluate`, so both grade the same way."""

    def __init__(self, system: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.system = system
        for p in system.parameters:
            self.fields[f"param:{p.name}"] = forms.CharField(
                label=f"{p.name}：{p.description}",
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
        for ind in system.indicators:
            if ind.kind is Kind.QUANTITATIVE:
                field: forms.Field = forms.CharField(
                    required=False,
                    help_text=" · ".join(f"{lvl}: {ind.target(g)}" for lvl, g in _levels()),
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm",
                            "placeholder": _("value or NA"),
                        }
                    ),
                )
            elif ind.kind is Kind.QUALITATIVE:
                field = forms.ChoiceField(
                    choices=LEVEL_CHOICES,
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
            else:
                field = forms.ChoiceField(
                    choices=[
                        ("", "—"),
                        ("是", _("Yes")),
                        ("否", _("No")),
                        ("NA", _("not applicable")),
                    ],
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
            field.label = f"{ind.name}{'（' + ind.unit + '）' if ind.unit else ''}"
            self.fields[ind.code] = field
            if ind.code in system.output_share:
                self.fields[f"output:{ind.code}"] = forms.CharField(
                    label=_("Output of this product"),
                    required=False,
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )

    def inputs(self) -> dict[str, str]:
        return {k: str(v).strip() for k, v in self.cleaned_data.items() if str(v or "").strip()}

    def rows(self) -> list[dict[str, Any]]:
        """Fields grouped for the template: category, indicator, its fields, its level texts."""
        out = []
        for cat in self.system.categories:
            for ind in cat.indicators:
                out.append(
                    {
                        "category": cat,
                        "indicator": ind,
                        "field": self[ind.code],
                        "output": self[f"output:{ind.code}"]
                        if f"output:{ind.code}" in self.fields
                        else None,
                        "texts": [t for t in ind.texts if t]
                        if ind.kind is Kind.QUALITATIVE
                        else [],
                    }
                )
        return out


def _levels() -> list[tuple[str, Any]]:

    return [("Ⅰ", Grade.I), ("Ⅱ", Grade.II), ("Ⅲ", Grade.III)]


class UploadForm(forms_base.Form):
    file = forms.FileField(label=_("Sheet (.csv or .xlsx, one row, same columns as the template)"))
