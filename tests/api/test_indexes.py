"""The indexes that serve the lists' scope filters with their order (issue 17)."""

from __future__ import annotations

import pytest
from django.db import connection

from cleanprod.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def _plan(qs: object) -> str:
    sql, params = qs.query.sql_with_params()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        return "\n".join(str(row) for row in cursor.fetchall())


def test_enterprise_list_of_a_county_reads_in_credit_code_order() -> None:
    """A county's page is read from (region, uscc) already in order: no sort, no full walk."""
    page = Enterprise.objects.filter(region_id="440305").order_by("uscc")[:50]
    if connection.vendor != "sqlite":
        # PostgreSQL's planner picks by statistics, and a test table of a few rows says
        # nothing about 500,000 (bench/ measures that): here the index must exist, in order.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["ent_region_uscc"]
            )
            (definition,) = cursor.fetchone()
        assert "(region_id, uscc)" in definition, definition
        return
    plan = _plan(page)
    assert "ent_region_uscc" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
