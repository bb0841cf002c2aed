"""Fast inserts of generated rows (the summaries and the demo data).

Rows are ``{attname: value}`` dicts whose values the adapters take as they are; absent fields
take their defaults. PostgreSQL gets ``COPY`` (an order of magnitude faster than INSERT for
the hundreds of thousands of summary rows); other databases one ``executemany`` per batch.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, router


def insert_rows(model: type[Any], rows: list[dict[str, Any]], batch: int = 5000) -> None:
    """Insert ``rows`` into ``model``'s table without building model instances."""
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
