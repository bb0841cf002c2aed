"""The one write path of forms and the API: one transaction, scope and fields checked before and
after, version claimed; deletes that keep history; deactivation. The change log is written by
the model signals (and, for the collector's bulk updates, by the platform signals)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, models, router, transaction
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from cleanprod.platform.locking import StaleObject as StaleObject
from cleanprod.platform.locking import claim
from cleanprod.platform.permissions import ADD, CHANGE, DELETE, VIEW, can, check_fields
from cleanprod.platform.signals import bulk_update_done, bulk_update_starting


@transaction.atomic
def save_form(user: Any, form: ModelForm[Any], action: str) -> models.Model:
    """Save a validated form as ``user``; refuse (and roll back) a write out of scope.

    ``action`` is ``add`` or ``change``. The change log entry is written by the model signals in
    the same transaction, so a refused write leaves no trace either. A change is based on the
    version the form carried (optimistic locking): when someone saved the row since, the write
    is refused with :class:`~cleanprod.platform.locking.StaleObject` and nothing is written.
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
    if action == CHANGE:
        expected = getattr(form, "expected_version", lambda: None)()
        claim(instance, expected)
    obj: models.Model = form.save()
    if not can(user, action, obj):
        raise PermissionDenied(_("The result would lie outside the scope you may manage."))
    return obj


# Cascaded rows listed one by one on the confirmation page (each is one permission query).
MAX_LISTED = 200


class InUse(Exception):
    """The object is still referenced by records that must be kept (e.g. engagements)."""


def deletion_plan(user: Any, obj: models.Model) -> dict[str, Any]:
    """What deleting ``obj`` would do: the rows that block it and the rows it would take along.

    ``protected`` and ``cascade`` are lists of ``(verbose name, count)``; ``cascade_rows`` lists
    the cascaded rows the user may view (others are only counted), ``updated`` the rows whose
    reference would be cleared. Computed with Django's own deletion collector, so it is exactly
    what ``delete()`` would do.
    """
    using = router.db_for_write(type(obj), instance=obj) or DEFAULT_DB_ALIAS
    collector = NestedObjects(using=using, origin=obj)
    collector.collect([obj])
    protected = Counter(str(o._meta.verbose_name) for o in collector.protected)
    cascade: Counter[str] = Counter()
    visible: list[models.Model] = []
    for model, instances in collector.data.items():
        for instance in instances:
            if instance is obj or (type(instance) is type(obj) and instance.pk == obj.pk):
                continue
            cascade[str(model._meta.verbose_name)] += 1
            if len(visible) < MAX_LISTED and _may_view(user, instance):
                visible.append(instance)
    updated: Counter[str] = Counter()
    for (field, _value), querysets in collector.field_updates.items():
        for qs in querysets:
            rows: Any = qs  # the collector's querysets (typed as models by the stubs)
            updated[f"{field.model._meta.verbose_name}（{field.verbose_name}）"] += rows.count()
    return {
        "protected": sorted(protected.items()),
        "cascade": sorted(cascade.items()),
        "cascade_rows": visible,
        "updated": sorted((k, v) for k, v in updated.items() if v),
    }


def _may_view(user: Any, instance: models.Model) -> bool:
    try:
        return can(user, VIEW, instance)
    except AttributeError:  # a model without a restricted manager is only counted
        return False


@transaction.atomic
def delete_object(user: Any, obj: models.Model) -> None:
    """Delete as ``user``; refuse when out of scope or still referenced by kept records.

    Rows deleted along (cascade) get their own delete entries in the change log (the model
    signals fire per row); rows whose reference is cleared (SET_NULL) are updated by one SQL
    statement, which sends no signals, so their update entries are written here.
    """
    if not can(user, DELETE, obj):
        raise PermissionDenied(_("You may not delete this object."))
    using = router.db_for_write(type(obj), instance=obj) or DEFAULT_DB_ALIAS
    collector = NestedObjects(using=using, origin=obj)
    collector.collect([obj])
    if collector.protected:
        raise InUse(_in_use_message(obj, collector.protected))
    cleared: dict[type[models.Model], list[models.Model]] = {}
    for (field, _value), querysets in collector.field_updates.items():
        for qs in querysets:
            found: Any = qs
            cleared.setdefault(field.model, []).extend(found)
    for model, rows in cleared.items():
        bulk_update_starting.send(sender=model, rows=rows)
    try:
        obj.delete()
    except models.ProtectedError as exc:  # a row added since the collection above
        raise InUse(_in_use_message(obj, exc.protected_objects)) from exc
    for model, rows in cleared.items():
        bulk_update_done.send(sender=model, rows=rows)


def _in_use_message(obj: models.Model, protected: Any) -> str:
    counts = Counter(str(o._meta.verbose_name) for o in protected)
    records = "、".join(f"{name} {count}" for name, count in sorted(counts.items()))
    return _(
        "%(object)s is still referenced by %(records)s and cannot be deleted; "
        "deactivate it instead (with the reason)."
    ) % {"object": obj, "records": records}


def can_deactivate(user: Any, obj: models.Model) -> bool:
    """Whether ``user`` may deactivate ``obj``: the same right as deleting it."""
    return hasattr(obj, "deactivated_reason") and can(user, DELETE, obj)


@transaction.atomic
def deactivate(user: Any, obj: models.Model, reason: str) -> models.Model:
    """Deactivate (停用) an organisation with a reason, keeping every row that refers to it.

    The organisation's user accounts are deactivated too (they could otherwise still act for
    an organisation that no longer takes part). Each row is saved, so the change log has an
    entry for the organisation and for every account.
    """
    if not can_deactivate(user, obj):
        raise PermissionDenied(_("You may not deactivate this object."))
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Give the reason for deactivation."))
    claim(obj)
    obj.active = False  # type: ignore[attr-defined]
    obj.deactivated_reason = reason  # type: ignore[attr-defined]
    obj.deactivated_on = timezone.localdate()  # type: ignore[attr-defined]
    obj.save()
    user_model = get_user_model()
    links = [
        f.name
        for f in user_model._meta.get_fields()
        if (f.many_to_one or f.one_to_one) and f.concrete and f.related_model is type(obj)
    ]
    for link in links:
        for account in user_model._default_manager.filter(**{link: obj, "is_active": True}):
            claim(account)
            account.is_active = False
            account.save()
    return obj
