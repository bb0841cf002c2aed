"""A lean ``INSERT … RETURNING`` for large imports.

Django's ``bulk_create`` prepares every value through the field API and, on SQLite, sends at
most 999 parameters per statement; for 100,000 enterprises and their change-log entries that
was two thirds of the import's time. Here plain values (text, numbers, booleans, keys) pass
through as they are, other fields still go through ``get_db_prep_save``, and each statement
carries as many rows as the database allows. Databases without ``RETURNING`` for multi-row
inserts fall back to ``bulk_create``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _converter(field: Any, connection: Any) -> Callable[[Any], Any] | None:
    """How to prepare the field's values for the database; ``None``: they pass as they are."""
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in PLAIN_TYPES:
        return None
    last: list[Any] = [object(), None]

    def prepare(value: Any) -> Any:
        # Timestamps repeat across a batch: prepare each distinct value once.
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return prepare


def _max_params(connection: Any) -> int:
    if connection.vendor == "sqlite":
        # The compiled limit (32,766 or more), not Django's conservative 999.
        return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return int(connection.features.max_query_params or 65_535)


def insert(
    model: type[models.Model], fields: Sequence[Any], rows: Sequence[Sequence[Any]]
) -> list[Any]:
    """Insert ``rows`` (attribute values in ``fields`` order); return the new primary keys.

    The keys come back in insertion order: they are taken from an ascending sequence (SQLite
    rowids, PostgreSQL serials), so sorting them undoes any reordering by ``RETURNING``.
    """
    connection = connections[router.db_for_write(model)]
    connection.ensure_connection()
    if not connection.features.can_return_rows_from_bulk_insert:
        objs = [model(**{f.attname: v for f, v in zip(fields, row, strict=True)}) for row in rows]
        model._default_manager.bulk_create(objs)
        return [o.pk for o in objs]
    quote = connection.ops.quote_name
    converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, connection))]
    per_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    pk: Any = model._meta.pk
    tail = f" RETURNING {quote(pk.column)}"
    batch = max(1, min(2000, _max_params(connection) // len(fields)))
    pks: list[Any] = []
    # The backend's own cursor: with DEBUG on, Django's query log would format every batch of
    # thousands of parameters into SQL text, which costs more than running it.
    cursor = connection.create_cursor()
    try:
        with connection.wrap_database_errors:
            for start in range(0, len(rows), batch):
                chunk = [list(row) for row in rows[start : start + batch]]
                for row in chunk:
                    for index, convert in converters:
                        row[index] = convert(row[index])
                params = list(chain.from_iterable(chunk))
                cursor.execute(head + ", ".join([per_row] * len(chunk)) + tail, params)
                pks.extend(sorted(r[0] for r in cursor.fetchall()))
    finally:
        cursor.close()
    return pks


def update(model: type[models.Model], objs: list[models.Model], names: Sequence[str]) -> None:
    """Write the named fields of existing objects, one ``UPDATE … WHERE pk`` per object.

    ``bulk_update`` builds ``CASE WHEN`` over each batch, which SQLite evaluates for every row
    of the batch: 100,000 updates took five minutes. A prepared statement run with
    ``executemany`` takes seconds.
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    connection.ensure_connection()
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    pk: Any = model._meta.pk
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"
    converters = [_converter(f, connection) for f in fields]
    params = [
        [
            convert(value) if convert else value
            for convert, value in zip(
                converters, (getattr(obj, f.attname) for f in fields), strict=True
            )
        ]
        + [obj.pk]
        for obj in objs
    ]
    cursor = connection.create_cursor()  # see insert(): no DEBUG query log
    try:
        with connection.wrap_database_errors:
            cursor.executemany(sql, params)
    finally:
        cursor.close()


def insert_objects(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert new model instances and set their primary keys (auto timestamps filled in)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()  # one import, one timestamp (and one conversion of it)
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    attnames = [f.attname for f in fields]
    rows = [[obj.__dict__[name] for name in attnames] for obj in objs]
    for obj, pk in zip(objs, insert(model, fields, rows), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = router.db_for_write(model)


def insert_plain(model: type[Any], rows: list[dict[str, Any]], batch: int = 5000) -> None:
    """Insert generated rows given as ``{attname: value}`` dicts, without model instances.

    For data whose values the database adapters take as they are (str, int, bool, Decimal,
    date, datetime): no per-value preparation, no RETURNING; absent fields take their defaults
    and auto_now fields must be given. PostgreSQL gets ``COPY`` (an order of magnitude faster
    than INSERT for hundreds of thousands of rows), other databases one ``executemany`` per
    batch. The demo and the progress summaries write their rows with it.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(tuple(r.get(n, defaults[n]) for n in names))
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(rows), batch):
            cursor.executemany(
                sql,
                [tuple(r.get(n, defaults[n]) for n in names) for r in rows[start : start + batch]],
            )


def analyze(*tables: type[models.Model]) -> list[str]:
    """Refresh the query planner's statistics of these models' tables; return the tables.

    After a bulk load the planner otherwise keeps the statistics of the empty or smaller table
    (and autovacuum may be off or late): PostgreSQL then chooses sequential scans, SQLite
    ignores useful indexes. ``ANALYZE`` is allowed inside a transaction on both; other
    databases are left alone.
    """
    if not tables:
        return []
    connection = connections[router.db_for_write(tables[0])]
    if connection.vendor not in ("postgresql", "sqlite"):
        return []
    names = list(dict.fromkeys(model._meta.db_table for model in tables))
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    return names
