"""Deadlines keep the nominal and the legal last day (民法典 第二百零三条); clock, page and CLI."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from cleanprod.accounts.models import User
from cleanprod.audits.models import Audit, EmissionExceedance, ProvincialRules
from cleanprod.audits.services import rosters
from cleanprod.audits.tests import fixtures
from cleanprod.regions.models import Region

pytestmark = pytest.mark.django_db

PUBLISHED = dt.date(2025, 9, 1)  # disclosure nominally due on National Day


def _published_roster_audit(monkeypatch: pytest.MonkeyPatch) -> Audit:
    world = fixtures.build()
    EmissionExceedance.objects.create(
        enterprise=world.enterprise,
        year=2025,
        kind="standard",
        pollutant="总铬",
        value=1.2,
        limit=1.0,
        unit="mg/L",
        evidence="在线监测 2025-05",
    )
    roster = rosters.propose(world.shenzhen, Region.objects.get(code="440300"), 2025)
    monkeypatch.setattr("cleanprod.audits.services.rosters.today", lambda: PUBLISHED)
    rosters.publish(world.shenzhen, roster)
    return Audit.objects.get(roster_entry__roster=roster)


def test_roster_published_2025_09_01_discloses_by_the_ninth_of_october(monkeypatch):
    audit = _published_roster_audit(monkeypatch)
    disclose = audit.deadlines.get(event="disclose")
    assert disclose.nominal_due == dt.date(2025, 10, 1)
    assert disclose.due == dt.date(2025, 10, 9) and disclose.extended
    assert disclose.calendar_version.startswith("holidays ")
    assert not audit.deadlines.get(event="report").overdue
    start = audit.deadlines.get(event="start")  # 2025-11-01 is a Saturday
    assert (start.nominal_due, start.due) == (dt.date(2025, 11, 1), dt.date(2025, 11, 3))


def test_the_clock_waits_for_the_legal_day(monkeypatch):
    audit = _published_roster_audit(monkeypatch)
    for day in ("2025-10-02", "2025-10-08", "2025-10-09"):
        call_command("audit_clock", "--today", day, stdout=StringIO())
        audit.refresh_from_db()
        assert not audit.overdue, day
        assert not audit.deadlines.get(event="disclose").overdue, day
    call_command("audit_clock", "--today", "2025-10-10", stdout=StringIO())
    audit.refresh_from_db()
    assert audit.overdue and audit.deadlines.get(event="disclose").overdue


def test_the_audit_page_shows_both_dates_and_the_rule(monkeypatch):
    audit = _published_roster_audit(monkeypatch)
    client = Client()
    client.force_login(User.objects.get(enterprise=audit.enterprise))
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "2025-10-09" in page
    assert "（名义期限 2025-10-01 为法定休假日，依《民法典》第二百零三条顺延）" in page
    assert "holidays " in page and "节假日数据" in page


def _json(*args: str) -> dict:
    out = StringIO()
    call_command("deadlines", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_cli_prints_nominal_and_legal_dates_with_rule_and_source():
    report = _json("--published", "2025-09-01")
    rows = {r["event"]: r for r in report["deadlines"]}
    assert set(rows) == {"disclose", "start", "report"}
    assert rows["disclose"]["nominal_due"] == "2025-10-01"
    assert rows["disclose"]["legal_due"] == "2025-10-09"
    assert rows["disclose"]["rule_id"] == "deadline.disclose"
    assert "审核办法" in rows["disclose"]["source"] and rows["disclose"]["extended"]
    assert rows["report"]["nominal_due"] == rows["report"]["legal_due"] == "2026-09-01"
    assert report["extension_rule"]["source"] == "《中华人民共和国民法典》第二百零三条"
    assert report["calendar_version"].startswith("holidays ")


def test_cli_evaluation_anchor_and_table():
    report = _json("--published", "2025-09-01", "--evaluation-passed", "2026-04-30")
    assert {r["event"] for r in report["deadlines"]} >= {"options_implemented", "acceptance"}
    out = StringIO()
    call_command("deadlines", "--published", "2025-09-01", stdout=out)
    table = out.getvalue()
    assert "2025-10-01" in table and "2025-10-09" in table and "deadline.disclose" in table


def test_cli_uses_the_provinces_effective_rules():
    ProvincialRules.objects.create(
        region_id="440000",
        version="gd-2026-1",
        text="""
province: "440000"
name: 广东省
version: gd-2026-1
documents:
  粤规: {title: 广东省示例细则, issuer: 广东省, kind: provincial, verified: false}
rules:
  - id: deadline.start
    months: 3
    text: 名单公布后三个月内开展审核（广东示例规定）。
    sources:
      - {doc: 粤规, section: 第五条}
""",
    )
    rows = {
        r["event"]: r
        for r in _json("--published", "2025-09-01", "--province", "440000")["deadlines"]
    }
    # 2025-12-01 is a Monday: nothing to extend.
    assert rows["start"]["nominal_due"] == rows["start"]["legal_due"] == "2025-12-01"
    assert rows["start"]["source"] == "粤规 第五条"
    assert rows["start"]["origin"].startswith("province:440000")
    national = {r["event"]: r for r in _json("--published", "2025-09-01")["deadlines"]}
    assert national["start"]["nominal_due"] == "2025-11-01"


def test_cli_refuses_bad_arguments_naming_the_option():
    with pytest.raises(CommandError, match="--province"):
        call_command("deadlines", "--published", "2025-09-01", "--province", "4403")
    with pytest.raises(CommandError, match="--published"):
        call_command("deadlines", "--published", "1800-01-01")


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_the_stored_date_as_nominal_and_moves_the_legal_one():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    world = fixtures.build()
    audit = fixtures.new_audit(world, dt.date(2025, 3, 1))
    executor = MigrationExecutor(connection)
    executor.migrate([("audits", "0002_versions_protect_deactivate")])
    old = executor.loader.project_state(("audits", "0002_versions_protect_deactivate")).apps
    OldDeadline = old.get_model("audits", "Deadline")
    OldDeadline.objects.filter(audit_id=audit.pk, event="disclose").update(due=dt.date(2025, 10, 1))
    OldDeadline.objects.filter(audit_id=audit.pk, event="start").update(
        due=dt.date(2020, 10, 1),
        overdue=True,  # past its legal day too: stays overdue
    )
    OldDeadline.objects.filter(audit_id=audit.pk, event="report").update(
        due=dt.date(2098, 10, 1),
        overdue=True,  # a flag before the legal day is withdrawn
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    disclose = audit.deadlines.get(event="disclose")
    assert (disclose.nominal_due, disclose.due) == (dt.date(2025, 10, 1), dt.date(2025, 10, 9))
    start = audit.deadlines.get(event="start")
    assert (start.nominal_due, start.due, start.overdue) == (
        dt.date(2020, 10, 1),
        dt.date(2020, 10, 9),
        True,
    )
    assert disclose.calendar_version.startswith("holidays ")
    assert not audit.deadlines.get(event="report").overdue


def test_the_clock_recomputes_a_due_date_made_with_older_holiday_data(monkeypatch):
    audit = _published_roster_audit(monkeypatch)
    # As if stored before the 2025 schedule was known: National Day without 调休 ends 10-03,
    # so the legal day would have been 10-06 (Monday). The installed data says 10-09.
    audit.deadlines.filter(event="disclose").update(due=dt.date(2025, 10, 6), calendar_version="")
    call_command("audit_clock", "--today", "2025-10-08", stdout=StringIO())
    disclose = audit.deadlines.get(event="disclose")
    assert not disclose.overdue and disclose.due == dt.date(2025, 10, 9)
    assert disclose.calendar_version.startswith("holidays ")


def test_cli_trigger_is_checked_and_recorded():
    report = _json("--published", "2025-09-01", "--trigger", "over_energy")
    # No national deadline rule is limited to some triggers: all apply to every trigger.
    assert report["trigger"] == "over_energy" and len(report["deadlines"]) == 3
    with pytest.raises(CommandError, match="trigger"):
        call_command("deadlines", "--published", "2025-09-01", "--trigger", "noise")
