"""Forms to ask for a change of regulated fields and to decide it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from cleanprod.audits.services.audits import check_upload
from cleanprod.audits.services.errors import PreconditionFailed
from cleanprod.changerequests.services import EDIT_FORMS, requestable_fields


def values_form(model: type[models.Model]) -> type[forms.ModelForm]:
    """A form of the regulated fields of ``model``, with the registry form's widgets."""
    base = EDIT_FORMS[model]
    return modelform_factory(model, form=base, fields=requestable_fields(model))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=2000,
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF, image or document, up to 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
        if upload:
            try:
                check_upload(upload)
            except PreconditionFailed as exc:
                raise ValidationError(str(exc)) from exc
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the request is rejected."))
        return data
