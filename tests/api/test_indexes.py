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
    plan = _plan(page)
    assert "ent_region_uscc" in plan, plan
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE" not in plan, plan
