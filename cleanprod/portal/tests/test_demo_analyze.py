"""``cleanprod demo`` leaves every table it fills analysed (fresh planner statistics)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cleanprod.platform.db import analyze
from cleanprod.portal.management.commands.demo import demo_models
from cleanprod.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def _analysed(queries: list[dict[str, str]]) -> set[str]:
    return {
        q["sql"].split(None, 1)[1].strip('"`')
        for q in queries
        if q["sql"].upper().startswith("ANALYZE ")
    }


def test_demo_analyses_each_table_it_fills() -> None:
    with CaptureQueriesContext(connection) as ctx:
        call_command("demo", "--enterprises", "40", "--seed", "2", stdout=StringIO())
    analysed = _analysed(ctx.captured_queries)
    filled = {m._meta.db_table for m in demo_models() if m._base_manager.exists()}
    assert {"registry_enterprise", "audits_audit", "audits_deadline"} <= filled
    assert filled <= analysed, sorted(filled - analysed)
    # The statistics are there: SQLite keeps them in sqlite_stat1.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            assert "registry_enterprise" in {row[0] for row in cursor.fetchall()}


def test_analyze_names_each_table_once() -> None:
    with CaptureQueriesContext(connection) as ctx:
        tables = analyze(Enterprise, Enterprise)
    assert tables == ["registry_enterprise"] == sorted(_analysed(ctx.captured_queries))
