import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase

from cleanprod.audits.models import (
    Audit,
    EmissionExceedance,
    ProvincialRules,
    Roster,
    SubstanceRecord,
)
from cleanprod.audits.services import Conflict, NotAllowed, PreconditionFailed, rosters
from cleanprod.audits.tests import fixtures
from cleanprod.jobs.testing import run_queued_tasks
from cleanprod.notifications.models import Notification
from cleanprod.regions.models import Region
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("published", "disclose", "start", "report"),
    [
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28), dt.date(2025, 3, 31), dt.date(2026, 1, 31)),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 31), dt.date(2025, 1, 31)),
        (dt.date(2024, 12, 31), dt.date(2025, 1, 31), dt.date(2025, 2, 28), dt.date(2025, 12, 31)),
        (dt.date(2024, 2, 29), dt.date(2024, 3, 29), dt.date(2024, 4, 29), dt.date(2025, 2, 28)),
    ],
)
def test_deadlines_follow_the_calendar_and_name_their_rule(published, disclose, start, report):
    world = fixtures.build()
    audit = fixtures.new_audit(world, published)
    due = {d.event: d for d in audit.deadlines.all()}
    nominal = (due["disclose"].nominal_due, due["start"].nominal_due, due["report"].nominal_due)
    assert nominal == (disclose, start, report)
    assert due["start"].rule_id == "deadline.start" and "两个月" in due["start"].rule_text
    assert "审核办法" in due["start"].rule_source and due["start"].rules_version


def test_provincial_override_changes_the_deadline_and_says_so():
    world = fixtures.build()
    text = """
province: "440000"
name: 广东省
version: gd-2026-1
base_version: national-2026.12-1
documents:
  粤规:
    title: 广东省清洁生产审核实施细则（示例）
    issuer: 广东省生态环境厅
    kind: external_law
    verified: false
rules:
  - id: deadline.start
    kind: deadline
    event: start
    anchor: roster_published
    months: 3
    text: 名单公布后三个月内开展审核（广东示例规定）。
    sources:
      - {doc: 粤规, section: 第五条}
"""
    ProvincialRules.objects.create(region_id="440000", version="gd-2026-1", text=text)
    audit = fixtures.new_audit(world, dt.date(2025, 1, 31))
    start = audit.deadlines.get(event="start")
    assert start.due == dt.date(2025, 4, 30)
    assert "粤规" in start.rule_source and "广东" in start.rules_version + start.rule_text


def _facts(world):
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
    EmissionExceedance.objects.create(
        enterprise=world.other_enterprise,
        year=2025,
        kind="standard",
        pollutant="COD",
        value=50.0,
        limit=50.0,
        unit="mg/L",
        evidence="监测报告",  # at the limit: compliant
    )


def test_proposal_lists_triggered_enterprises_with_reasons():
    world = fixtures.build()
    _facts(world)
    SubstanceRecord.objects.create(
        enterprise=world.other_enterprise,
        year=2024,
        name="二氯甲烷",
        cas_numbers="75-09-2",
        role="used",
        evidence="2024 台账",  # another year: not counted for 2025
    )
    roster = rosters.propose(world.shenzhen, Region.objects.get(code="440300"), 2025)
    entries = list(roster.entries.all())
    assert [e.enterprise for e in entries] == [world.enterprise]
    assert entries[0].triggers == ["over_emission"] and "总铬" in entries[0].reasons
    assert "trigger.over_emission" in entries[0].reasons


def test_priority_chemical_triggers_toxic():
    world = fixtures.build()
    SubstanceRecord.objects.create(
        enterprise=world.other_enterprise,
        year=2025,
        name="二氯甲烷",
        cas_numbers="75-09-2",
        role="used",
        evidence="2025 台账",
    )
    roster = rosters.propose(world.shenzhen, Region.objects.get(code="440300"), 2025)
    assert [(e.enterprise, e.triggers) for e in roster.entries.all()] == [
        (world.other_enterprise, ["toxic"])
    ]


def test_review_publish_and_public_list(client: Client):
    world = fixtures.build()
    _facts(world)
    roster = rosters.propose(world.shenzhen, Region.objects.get(code="440300"), 2025)
    with pytest.raises(PreconditionFailed):
        rosters.add_entry(world.shenzhen, roster, " ", enterprise=world.other_enterprise)
    added = rosters.add_entry(
        world.shenzhen, roster, "群众举报核实", enterprise=world.other_enterprise
    )
    with pytest.raises(PreconditionFailed):
        rosters.remove_entry(world.shenzhen, added, "")
    rosters.remove_entry(world.shenzhen, added, "核实后不属于强制审核范围")
    with pytest.raises(NotAllowed):
        rosters.publish(world.beijing, roster)
    assert client.get(roster.get_absolute_url()).status_code == 404  # draft: not public

    rosters.publish(world.shenzhen, roster)
    audits = Audit.objects.filter(roster_entry__roster=roster)
    assert [a.enterprise for a in audits] == [world.enterprise]
    assert audits[0].deadlines.count() == 3
    note = Notification.objects.get(user=world.enterprise_user)
    assert roster.title in note.subject and note.link == audits[0].get_absolute_url()
    with pytest.raises(Conflict):
        rosters.publish(world.shenzhen, roster)
    with pytest.raises(Conflict):
        rosters.add_entry(world.shenzhen, roster, "迟到", enterprise=world.other_enterprise)
    body = client.get(roster.get_absolute_url()).content.decode()
    assert world.enterprise.name in body and world.other_enterprise.name not in body


def test_clock_marks_overdue_and_notifies_once():
    world = fixtures.build()
    world.enterprise_user.email = "ent@example.org"
    world.enterprise_user.save()
    audit = fixtures.new_audit(world, dt.date(2025, 1, 31))
    audit.agency = world.agency
    audit.save()
    out = StringIO()
    call_command("audit_clock", "--today", "2025-02-28", stdout=out)
    assert out.getvalue().startswith("0 milestones")  # due 28 Feb: not overdue on the day
    with TestCase.captureOnCommitCallbacks(execute=True):  # mail is queued after commit
        call_command("audit_clock", "--today", "2025-03-01", stdout=out)
    assert not mail.outbox
    run_queued_tasks()
    audit.refresh_from_db()
    assert audit.overdue and audit.deadlines.get(event="disclose").overdue
    assert not audit.deadlines.get(event="start").overdue
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert {"ent", "agy", "sz", "nat"} <= users and "bj" not in users
    assert any("ent@example.org" in m.to for m in mail.outbox)
    before = Notification.objects.count()
    call_command("audit_clock", "--today", "2025-03-02", stdout=out)
    assert Notification.objects.count() == before


def test_roster_propose_needs_scope():
    world = fixtures.build()
    with pytest.raises(NotAllowed):
        rosters.propose(world.beijing, Region.objects.get(code="440300"), 2025)
    assert not Roster.objects.exists()


def test_park_pilot_audit_counts_for_each_member():
    world = fixtures.build()
    park = factories.park(region="440305", name="南山电镀园")
    world.enterprise.park = park
    world.enterprise.save()
    world.other_enterprise.park = park
    world.other_enterprise.save()
    roster = rosters.propose(world.shenzhen, Region.objects.get(code="440300"), 2025, kind="pilot")
    rosters.add_entry(world.shenzhen, roster, "园区整体审核试点（十四五 专栏5）", park=park)
    rosters.publish(world.shenzhen, roster)
    audit = Audit.objects.get(park=park)
    assert set(audit.covered_enterprises()) == {world.enterprise, world.other_enterprise}
