"""Optimistic locking: a version number on every row users edit, checked by compare-and-set.

Two people who load the same record and both save must not silently overwrite each other. Each
versioned row carries ``version``; a form or API write says which version it was based on, and
the save first runs ``UPDATE … SET version = version + 1 WHERE pk = … AND version = <expected>``
inside the saving transaction. When no row matches, someone else saved first: the write is
refused with :class:`StaleObject` and the second writer is told to reload. Because the guarded
UPDATE takes the row's write lock, two racing saves cannot both pass it.

The abstract model lives here, in a module with no concrete models, so that every app can use it
without importing another app's models.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

VERSION = "version"


class Versioned(models.Model):
    """Adds the ``version`` counter that :func:`claim` compares and bumps.

    A save that did not go through :func:`claim` (the admin, a script, a workflow step) still
    raises the version, so a form opened before it is refused rather than overwriting it.
    """

    version = models.PositiveIntegerField(
        gettext_lazy("version"),
        default=1,
        editable=False,
        help_text=gettext_lazy("Raised by one at every save; used to detect concurrent edits."),
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        claimed = self.__dict__.pop("_version_claimed", False)
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not claimed and not adding:
            type(self)._base_manager.filter(pk=self.pk).update(version=F(VERSION) + 1)
            self.version = (
                type(self)._base_manager.filter(pk=self.pk).values_list(VERSION, flat=True).get()
            )


class StaleObject(Exception):
    """Someone else saved the object after the writer loaded it."""


def is_versioned(model: type[models.Model] | models.Model) -> bool:
    """Whether the model carries a ``version`` counter (see :class:`Versioned`)."""
    try:
        model._meta.get_field(VERSION)
    except (AttributeError, FieldDoesNotExist):
        return False
    return True


def conflict_message(obj: models.Model) -> str:
    """The message the second writer sees."""
    return _(
        "This record was changed by someone else (%(object)s, now version %(version)s): "
        "reload it before saving."
    ) % {"object": obj, "version": _current_version(obj)}


def _current_version(obj: models.Model) -> Any:
    return type(obj)._base_manager.filter(pk=obj.pk).values_list(VERSION, flat=True).first() or "—"


def parse_version(value: Any) -> int | None:
    """A submitted version, or None when absent; ValueError when it is not a positive integer."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    number = int(str(value))
    if number < 0:
        raise ValueError(value)
    return number


def claim(obj: models.Model, expected: int | None = None) -> None:
    """Compare-and-set the stored version (call inside the transaction that then saves ``obj``).

    ``expected`` is the version the writer's copy was based on (from the form or request); when
    None, the version ``obj`` was loaded with is used, which still catches a save racing between
    this request's read and its write. On success ``obj.version`` holds the new number, so the
    following ``save()`` writes it unchanged; on failure :class:`StaleObject` is raised.
    """
    if obj.pk is None or not is_versioned(obj):
        return
    base = obj.version if expected is None else expected  # type: ignore[attr-defined]
    updated = type(obj)._base_manager.filter(pk=obj.pk, version=base).update(version=F(VERSION) + 1)
    if updated != 1:
        raise StaleObject(conflict_message(obj))
    obj.version = base + 1  # type: ignore[attr-defined]
    obj._version_claimed = True  # type: ignore[attr-defined]  # the next save() must not raise it again


class VersionedFormMixin(forms.BaseForm):
    """Carries the version of the edited row in a hidden field (only for versioned models).

    The value the page was rendered with travels back on submit, so a save based on an old copy
    is detected even when the page was open for an hour.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and is_versioned(instance):
            self.fields[VERSION] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=0
            )
            if instance.pk is not None:
                self.initial.setdefault(VERSION, instance.version)

    def expected_version(self) -> int | None:
        """The version the submitted form was based on (None if it was not sent)."""
        cleaned = getattr(self, "cleaned_data", {}) or {}
        return cleaned.get(VERSION)


class VersionedSerializerMixin(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Shows ``version`` in every representation and accepts it (optionally) on writes.

    A write that sends ``version`` is refused with 409 when it is not the stored one; a write
    without it is accepted (older clients), but still cannot race another save.
    """

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        model = getattr(getattr(self, "Meta", None), "model", None)
        if model is not None and is_versioned(model) and VERSION not in self._declared_fields:
            fields[VERSION] = serializers.IntegerField(
                required=False,
                min_value=0,
                help_text="The version this write is based on; 409 when another write came first.",
            )
        return fields
