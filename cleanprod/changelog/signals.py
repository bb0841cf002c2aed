"""Record changes of tracked models from Django's model signals.

A model is tracked when its class sets ``changelog = True``. Bulk writes (``bulk_create``,
``QuerySet.update``) send no signals: code that uses them writes its entries with
:func:`record` itself (the importer does).
"""

from __future__ import annotations

import contextlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from cleanprod.changelog.context import current
from cleanprod.changelog.models import Action, ObjectChange
from cleanprod.platform.signals import bulk_update_done, bulk_update_starting

SECRET_FIELDS = {"password"}


def tracked(model: type[models.Model]) -> bool:
    return bool(getattr(model, "changelog", False))


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's fields (many-to-many as sorted keys), secrets left out."""
    data: dict[str, Any] = serializers.serialize("python", [obj])[0]["fields"]
    for field in obj._meta.concrete_fields:
        # As stored: an unsaved Decimal("2") or a float reads back as Decimal("2.0000").
        value = data.get(field.name)
        if isinstance(field, models.DecimalField) and value is not None:
            with contextlib.suppress(InvalidOperation):
                data[field.name] = Decimal(str(value)).quantize(
                    Decimal(1).scaleb(-field.decimal_places)
                )
    for name in SECRET_FIELDS & set(data):
        data[name] = "********"
    for key, value in data.items():
        if isinstance(value, list):
            data[key] = sorted(value, key=str)
    return data


def region_of(obj: models.Model) -> str:
    getter = getattr(obj, "changelog_region", None)
    if callable(getter):
        return str(getter() or "")
    return str(getattr(obj, "region_id", "") or "")


def record(
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    save: bool = True,
) -> ObjectChange:
    ctx = current()
    user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(obj)
    if save and action != Action.DELETE:
        # One entry per object per request: a form's save_m2m after save() amends the entry.
        earlier = ObjectChange.objects.filter(
            request_id=ctx.request_id, content_type=content_type, object_id=str(obj.pk)
        ).first()
        if earlier is not None and earlier.action != Action.DELETE:
            earlier.postchange = after
            earlier.save(update_fields=["postchange"])
            return earlier
    entry = ObjectChange(
        user=user,
        user_name=user.get_username() if user else "",
        request_id=ctx.request_id,
        source=ctx.source,
        remote_addr=ctx.remote_addr,
        action=action,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        region_code=region_of(obj),
        prechange=before,
        postchange=after,
    )
    if save:
        entry.save()
    return entry


@receiver(pre_save)
def _before_save(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    if kw.get("raw"):
        # loaddata (a restore) saves raw, then sets many-to-many links on the same instance:
        # remember it so that those links are not logged as changes either.
        instance._changelog_raw = True
        return
    if not tracked(sender):
        return
    if instance.pk is None:
        instance._changelog_before = None
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._changelog_before = snapshot(old) if old is not None else None


@receiver(post_save)
def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kw: Any
) -> None:
    if not tracked(sender) or kw.get("raw"):
        return
    before = getattr(instance, "_changelog_before", None)
    after = snapshot(instance)
    if created or before is None:
        record(instance, Action.CREATE, None, after)
    elif before != after:
        record(instance, Action.UPDATE, before, after)


@receiver(pre_delete)
def _before_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    if tracked(sender):
        instance._changelog_before = snapshot(instance)


@receiver(post_delete)
def _after_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    if tracked(sender):
        record(instance, Action.DELETE, getattr(instance, "_changelog_before", None), None)


@receiver(m2m_changed)
def _m2m(sender: Any, instance: models.Model, action: str, reverse: bool, **kw: Any) -> None:
    if reverse or not tracked(type(instance)) or getattr(instance, "_changelog_raw", False):
        return
    if action in ("pre_add", "pre_remove", "pre_clear"):
        instance._changelog_m2m_before = snapshot(instance)
    elif action in ("post_add", "post_remove", "post_clear"):
        before = getattr(instance, "_changelog_m2m_before", None)
        after = snapshot(instance)
        if before is not None and before != after:
            record(instance, Action.UPDATE, before, after)


@receiver(bulk_update_starting)
def _before_bulk(sender: type[models.Model], rows: list[models.Model], **kw: Any) -> None:
    if tracked(sender):
        for row in rows:
            row._changelog_bulk_before = snapshot(row)


@receiver(bulk_update_done)
def _after_bulk(sender: type[models.Model], rows: list[models.Model], **kw: Any) -> None:
    if not tracked(sender):
        return
    for row in rows:
        before = getattr(row, "_changelog_bulk_before", None)
        row.refresh_from_db()
        after = snapshot(row)
        if after != before:
            record(row, Action.UPDATE, before, after)
