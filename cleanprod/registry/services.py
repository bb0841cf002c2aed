"""Writes to the registry: one transaction, scope checked before and after, change logged."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms import ModelForm
from django.utils.translation import gettext as _

from cleanprod.accounts.permissions import ADD, CHANGE, DELETE, can, check_fields


@transaction.atomic
def save_form(user: Any, form: ModelForm, action: str) -> models.Model:
    """Save a validated form as ``user``; refuse (and roll back) a write out of scope.

    ``action`` is ``add`` or ``change``. The change log entry is written by the model signals in
    the same transaction, so a refused write leaves no trace either.
    """
    if action not in (ADD, CHANGE):
        raise ValueError(action)
    instance = form.instance
    if action == CHANGE:
        if not can(user, CHANGE, instance):
            raise PermissionDenied(_("You may not change this object."))
        # Fields the user may not write are disabled on its form; a forged POST still stops here.
        check_fields(
            user,
            CHANGE,
            type(instance)._default_manager.get(pk=instance.pk),
            set(form.changed_data),
        )
    obj = form.save()
    if not can(user, action, obj):
        raise PermissionDenied(_("The result would lie outside the scope you may manage."))
    return obj


class InUse(Exception):
    """The object is still referenced by records that must be kept (e.g. engagements)."""


@transaction.atomic
def delete_object(user: Any, obj: models.Model) -> None:
    """Delete as ``user``; refuse when out of scope or still referenced by kept records."""
    if not can(user, DELETE, obj):
        raise PermissionDenied(_("You may not delete this object."))
    try:
        obj.delete()
    except models.ProtectedError as exc:
        names = sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
        raise InUse(
            _("%(object)s is still referenced by %(records)s and cannot be deleted.")
            % {"object": obj, "records": "、".join(names)}
        ) from exc
