"""Set-based writes that still leave their trace in the change log.

``QuerySet.update()`` and ``bulk_create()`` send no model signals, so the signal-based log
(signals.py) never sees them. Services that need a set-based write (a compare-and-set on a
version, a daily flag over many rows) call these instead: the same SQL, plus one
:class:`ObjectChange` per touched row of a tracked model, with before and after values, in the
caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import models, transaction

from cleanprod.changelog.models import Action, ObjectChange
from cleanprod.changelog.signals import record, snapshot, tracked

M = TypeVar("M", bound=models.Model)


def logged_update(queryset: models.QuerySet[Any], **values: Any) -> int:
    """``queryset.update(**values)`` with one change-log entry per row it changed.

    The update keeps the queryset's own filters, so a compare-and-set (``version=…``) stays
    one atomic statement; only rows it actually changed are logged.
    """
    model = queryset.model
    if not tracked(model):
        return int(queryset.update(**values))
    with transaction.atomic():
        before = {obj.pk: snapshot(obj) for obj in queryset}
        if not before:
            return 0
        count = int(queryset.filter(pk__in=list(before)).update(**values))
        if count:
            entries = []
            for obj in model._default_manager.filter(pk__in=list(before)):
                after = snapshot(obj)
                if after != before[obj.pk]:
                    entries.append(record(obj, Action.UPDATE, before[obj.pk], after, save=False))
            ObjectChange.objects.bulk_create(entries)
        return count


def logged_bulk_create(model: type[M], objs: Sequence[M], **kw: Any) -> list[M]:
    """``bulk_create`` with one change-log entry per created row of a tracked model."""
    with transaction.atomic():
        made = model._default_manager.bulk_create(objs, **kw)
        if tracked(model):
            _log_created(made)
        return made


def _log_created(objs: Iterable[models.Model]) -> None:
    ObjectChange.objects.bulk_create(
        record(obj, Action.CREATE, None, snapshot(obj), save=False) for obj in objs
    )
