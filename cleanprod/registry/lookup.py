"""Find an organisation by what people type: its 统一社会信用代码 or its exact name.

Used by every data-entry form and import that names an enterprise or an agency (training
attendance, engagements, roster facts): the search runs only over the rows the caller passes
(already restricted to what the user may reach), so a name outside that scope is "not found"
rather than revealed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _


def find_organisation(queryset: QuerySet[Any], value: str) -> Any:
    """The one row of ``queryset`` whose USCC or exact name is ``value``.

    Raises ``forms.ValidationError`` (for the field) when none or several match.
    """
    value = (value or "").strip()
    if not value:
        raise forms.ValidationError(_("Give the name or the unified social credit code."))
    matches = list(queryset.filter(uscc=value.upper())[:2])
    if not matches:
        matches = list(queryset.filter(name=value)[:2])
    if not matches:
        raise forms.ValidationError(
            _("No organisation you may reach has the name or code “%(value)s”.") % {"value": value}
        )
    if len(matches) > 1:
        raise forms.ValidationError(
            _("Several organisations are named “%(value)s”: give the unified social credit code.")
            % {"value": value}
        )
    return matches[0]


class OrganisationField(forms.CharField):
    """A text field resolved to one row of ``queryset`` (set per user) by USCC or name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.queryset: QuerySet[Any] | None = kwargs.pop("queryset", None)
        kwargs.setdefault("max_length", 128)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in self.empty_values:
            return None
        if self.queryset is None:  # the view forgot to scope the field: deny, never search all
            raise forms.ValidationError(_("No organisation you may reach has this name."))
        return find_organisation(self.queryset, text)
