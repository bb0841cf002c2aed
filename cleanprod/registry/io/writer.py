"""Write an import's rows in bulk, check the result against the user's scope, log every change.

Bulk writes send no model signals, so the change-log entries (one per created or updated object,
with before/after snapshots like those of :func:`cleanprod.changelog.signals.snapshot`) are
written here in bulk, in the importer's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cleanprod.changelog.models import Action, ObjectChange
from cleanprod.changelog.signals import record, region_of
from cleanprod.platform.db import insert, insert_objects, update
from cleanprod.platform.locking import is_versioned
from cleanprod.platform.permissions import ADD, CHANGE, allowed_pks

if TYPE_CHECKING:
    from cleanprod.registry.io.importer import Importer, Pending, Row

BATCH = 2000


def fields_snapshot(obj: models.Model, m2m: dict[str, list[Any]]) -> dict[str, Any]:
    """What :func:`~cleanprod.changelog.signals.snapshot` records, without the serializer.

    The serializer takes about as long per object as the rest of the import; this reads the
    same values (foreign keys as their key, many-to-many as sorted keys) straight from the object.
    """
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if not f.primary_key:
            data[f.name] = getattr(obj, f.attname)
    for name, keys in m2m.items():
        data[name] = sorted(keys, key=str)
    return data


def write_all(importer: Importer, pending: Pending) -> None:
    """Create and update, then check scope; log the changes if every row passed."""
    model = importer.model
    total = len(pending.create) + len(pending.update)
    importer.progress("write", 0, total)
    created = [row.obj for row in pending.create]
    insert_objects(model, created)
    importer.progress("write", len(created), total)
    stamp = timezone.now()
    for row in pending.update:
        row.obj.updated = stamp
    update(model, [row.obj for row in pending.update], pending.update_fields)
    bump_versions(model, [row.obj.pk for row in pending.update])
    if is_versioned(model):  # the log's "after" is the row as stored, version included
        for row in pending.update:
            row.obj.version += 1
    write_m2m(model, pending)
    importer.progress("write", total, total)
    check_scope(importer, pending.create, ADD)
    check_scope(importer, pending.update, CHANGE)
    if importer.result.errors:
        return
    importer.result.created = len(pending.create)
    importer.result.updated = len(pending.update)
    if not importer.dry_run:
        log_changes(pending)


def bump_versions(model: type[models.Model], pks: list[Any]) -> None:
    """Raise the version of rows the import changed, so that an edit form opened before the
    import is refused on save (optimistic locking) instead of overwriting the imported values."""
    if not pks or not is_versioned(model):
        return
    for start in range(0, len(pks), 900):
        model._base_manager.filter(pk__in=pks[start : start + 900]).update(version=F("version") + 1)


def write_m2m(model: type[models.Model], pending: Pending) -> None:
    """Set the many-to-many fields the file has: links of updated rows are replaced."""
    for name in pending.m2m_fields:
        m2m = model._meta.get_field(name)
        through = m2m.remote_field.through  # type: ignore[union-attr]
        source = f"{m2m.m2m_field_name()}_id"  # type: ignore[attr-defined]
        target = f"{m2m.m2m_reverse_field_name()}_id"  # type: ignore[attr-defined]
        updated = [row.obj.pk for row in pending.update]
        for start in range(0, len(updated), 900):
            through.objects.filter(**{f"{source}__in": updated[start : start + 900]}).delete()
        links = [
            through(**{source: row.obj.pk, target: key})
            for row in (*pending.create, *pending.update)
            for key in row.m2m[name]
        ]
        through.objects.bulk_create(links, batch_size=BATCH)


def check_scope(importer: Importer, rows: list[Row], action: str) -> None:
    """Fail the written rows that ``restrict(user, action)`` does not reach (nothing is kept)."""

    allowed = allowed_pks(importer.user, importer.model, action, [r.obj.pk for r in rows])
    for row in rows:
        if row.obj.pk not in allowed:
            region = getattr(row.obj, "region_id", "")
            message = _("Region %(region)s lies outside the scope you may manage.")
            importer.fail(row, "region", message % {"region": region})


def log_changes(pending: Pending) -> None:
    """One change-log entry per object, inserted in bulk.

    :func:`~cleanprod.changelog.signals.record` makes the first entry, so who, when, where
    from and the request id are filled in as for any other change; the others copy it.
    """
    changes = [(row, Action.CREATE, None) for row in pending.create]
    changes += [(row, Action.UPDATE, row.before) for row in pending.update]
    if not changes:
        return
    first = changes[0][0].obj
    template = record(first, changes[0][1], None, None, save=False)
    template.time = timezone.now()
    fields = [f for f in ObjectChange._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    constant = [getattr(template, name) for name in names]
    varying = ["action", "object_id", "object_repr", "region_code", "prechange", "postchange"]
    at = [names.index(name) for name in varying]
    rows = []
    for row, action, before in changes:
        values = constant.copy()
        obj = row.obj
        after = fields_snapshot(obj, row.m2m)
        for index, value in zip(
            at, (action, str(obj.pk), str(obj)[:200], region_of(obj), before, after), strict=True
        ):
            values[index] = value
        rows.append(values)
    insert(ObjectChange, fields, rows)
