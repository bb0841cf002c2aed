"""The workbench (待办) per party: exactly the items in the user's scope, nothing else (issue 11).

One world (cleanprod/testing/access.py): enterprises, agencies and experts in Shenzhen (sz),
Guangzhou (gz) and Beijing (bj), each enterprise with an audit, expert sz on the panel of sz.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from cleanprod.accounts.tests.factories import user
from cleanprod.audits.models import Deadline, Phase
from cleanprod.changerequests.models import ChangeRequest
from cleanprod.portal.workbench import badge, workbench
from cleanprod.registry.tests import factories
from cleanprod.testing.access import World, build_world

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _deadline(audit: Any, due: dt.date, event: str = "report") -> Deadline:
    return Deadline.objects.create(
        audit=audit,
        event=event,
        due=due,
        nominal_due=due,
        rule_id="gd-report",
        rule_text="自公布之日起两个月内完成审核报告",
        rule_source="《清洁生产审核办法》第十条",
        rules_version="test",
    )


@pytest.fixture
def world() -> World:
    w = build_world()
    for audit in w.audit.values():
        _deadline(audit, TODAY - dt.timedelta(days=10))  # every audit has one overdue milestone
    w.audit["bj"].overdue = True
    w.audit["bj"].save()
    w.audit["sz"].overdue = True
    w.audit["sz"].save()
    return w


def _page(u: Any) -> str:
    c = Client()
    c.force_login(u)
    response = c.get(reverse("workbench"))
    assert response.status_code == 200
    return response.content.decode()


def test_enterprise_sees_its_overdue_deadline_with_the_rule(world: World) -> None:
    u = world.users["enterprise"]
    wb = workbench(u, on=TODAY)
    assert [d.audit for d in wb.overdue] == [world.audit["sz"]]
    assert wb.due == [] and wb.overdue_audits == [] and wb.registrations == []
    assert wb.change_requests == [] and wb.panels == []
    # Its audit is not started: starting it is a step it may take (with the agency).
    assert [(s.audit, [t.name for t in s.transitions]) for s in wb.steps] == [
        (world.audit["sz"], ["start"])
    ]
    page = _page(u)
    assert "自公布之日起两个月内完成审核报告" in page and "《清洁生产审核办法》第十条" in page
    assert "审核sz" in page and "审核gz" not in page and "审核bj" not in page


def test_agency_sees_steps_only_where_its_engagement_is_active(world: World) -> None:
    u = world.users["agency"]
    wb = workbench(u, on=TODAY)
    # Agency sz served audits sz and gz, but its engagement with enterprise gz has ended.
    assert [s.audit for s in wb.steps] == [world.audit["sz"]]
    assert [d.audit for d in wb.overdue] == [world.audit["sz"]]
    page = _page(u)
    assert "审核sz" in page and "审核gz" not in page and "审核bj" not in page


def test_shenzhen_officer_sees_its_registration_change_request_and_overdue_audits(
    world: World,
) -> None:
    u = world.users["shenzhen"]
    mine = factories.enterprise(region="440305", name="待激活深圳企业")
    elsewhere = factories.enterprise(region="110105", name="待激活北京企业")
    for e in (mine, elsewhere):
        e.active = False
        e.save()
        user(f"reg{e.pk}", party="enterprise", enterprise=e, awaiting_approval=True)
    for place in ("sz", "bj"):
        e = world.enterprise[place]
        ChangeRequest.objects.create(
            content_type=ContentType.objects.get_for_model(e),
            object_id=e.pk,
            region_id=e.region_id,
            object_repr=str(e),
            changes={"industry_code": {"label": "行业", "value": "3340", "display": "3340"}},
            previous={"industry_code": {"label": "行业", "value": "3360", "display": "3360"}},
            reason="测试",
            requested_by=world.users["enterprise"],
        )
    wb = workbench(u, on=TODAY)
    assert [r.enterprise for r in wb.registrations] == [mine]
    assert wb.registrations_count == 1
    assert [r.object_id for r in wb.change_requests] == [world.enterprise["sz"].pk]
    assert wb.overdue_audits == [world.audit["sz"]] and wb.overdue_audits_count == 1
    assert wb.overdue == [] and wb.panels == []
    assert badge(u) == 2
    page = _page(u)
    assert "待激活深圳企业" in page and "待激活北京企业" not in page
    assert "审核sz" in page and "审核bj" not in page
    assert 'id="nav-workbench-count">2<' in page


def test_expert_sees_the_panel_it_was_drawn_on(world: World) -> None:
    for audit in world.audit.values():
        audit.phase = Phase.EVALUATION
        audit.save()
    u = world.users["expert"]
    wb = workbench(u, on=TODAY)
    assert wb.panels == [world.panel["sz"]]
    assert wb.steps == [] and wb.overdue == [] and wb.registrations == []
    page = _page(u)
    assert "审核sz" in page and "审核gz" not in page and "审核bj" not in page
    assert 'id="wb-deadlines"' not in page and 'id="wb-steps"' not in page  # works on no audit
    other = user("expert-gz", party="expert", expert=world.expert["gz"])
    assert workbench(other, on=TODAY).panels == []
    # The Shenzhen officer's step: the review of the audit in its region, counted on the nav.
    officer = world.users["shenzhen"]
    assert [(s.audit, s.review) for s in workbench(officer, on=TODAY).steps] == [
        (world.audit["sz"], True)
    ]
    assert badge(officer) == 1


def test_login_lands_on_the_workbench() -> None:
    assert reverse(settings.LOGIN_REDIRECT_URL) == "/workbench/"
    assert Client().get(reverse("workbench"))["Location"].startswith(reverse("accounts:login"))
