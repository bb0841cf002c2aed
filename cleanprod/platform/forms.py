"""The base every form of the platform uses: text fields are cleaned of control characters.

Each text field's ``to_python`` is wrapped so the cleaning happens before the field's own
validation (length, required): a value of only control characters is then "required", and the
length limit counts what will be stored. Passwords are left alone, as login compares them raw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from cleanprod.core.text import clean_text


def _cleaning(to_python: Callable[[Any], Any], *, multiline: bool) -> Callable[[Any], Any]:
    def to_python_cleaned(value: Any) -> Any:
        if isinstance(value, str):
            value = clean_text(value, multiline=multiline)
        return to_python(value)

    to_python_cleaned.cleans_text = True  # type: ignore[attr-defined]
    return to_python_cleaned


def clean_text_fields(form: forms.BaseForm) -> None:
    """Make every text field of ``form`` clean control characters from its input."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
            continue
        if getattr(field.to_python, "cleans_text", False):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        field.to_python = _cleaning(  # type: ignore[method-assign,assignment]
            field.to_python, multiline=multiline
        )


class CleanTextMixin:
    """Mixed into a form: control characters never reach ``cleaned_data`` or the model."""

    def full_clean(self) -> None:
        # Here rather than in __init__, so fields that subclasses add after __init__ are covered.
        clean_text_fields(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]


class Form(CleanTextMixin, forms.Form):
    """``django.forms.Form`` that cleans control characters from text input."""


class ModelForm(CleanTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    """``django.forms.ModelForm`` that cleans control characters from text input."""
