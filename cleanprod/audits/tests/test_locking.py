"""Two workers acting on the same option or roster: the second is told (conflict), not "success"."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from cleanprod.audits.models import OptionStatus, Roster
from cleanprod.audits.services import Conflict, rosters
from cleanprod.audits.services import options as opt
from cleanprod.audits.tests import fixtures
from cleanprod.audits.tests.test_workflow import started, through_assessment
from cleanprod.regions.models import Region

pytestmark = pytest.mark.django_db

CONFLICT = "此记录已被他人修改"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_enterprise_keeps_and_agency_rejects_the_same_option_second_is_told():
    world = fixtures.build()
    audit = through_assessment(world, started(world))
    option = opt.add_option(
        world.enterprise_user,
        audit,
        code="F1",
        name="加强漂洗管理",
        category="management",
        investment=Decimal("2"),
    )
    enterprise, agency = _client(world.enterprise_user), _client(world.agency_user)
    page = agency.get(audit.get_absolute_url()).content.decode()
    shown = re.search(
        rf'name="option" value="{option.pk}"><input type="hidden" name="version" value="(\d+)"',
        page,
    )
    assert shown, "the option's forms carry its version"
    url = reverse("audits:audit-action", args=[audit.pk, "screen"])

    kept = enterprise.post(url, {"option": option.pk, "keep": "1", "version": shown.group(1)})
    assert not any(CONFLICT in m for m in _messages(kept))
    rejected = agency.post(
        url,
        {"option": option.pk, "keep": "0", "barrier": "成本太高", "version": shown.group(1)},
    )
    told = _messages(rejected)
    assert any(CONFLICT in m for m in told), told
    option.refresh_from_db()
    assert option.status == OptionStatus.SCREENED and option.rejection_barrier == ""


def test_service_refuses_a_stale_option_copy():
    world = fixtures.build()
    audit = through_assessment(world, started(world))
    option = opt.add_option(
        world.enterprise_user,
        audit,
        code="F1",
        name="甲",
        category="management",
        investment=Decimal("2"),
    )
    copy = type(option).objects.get(pk=option.pk)
    opt.screen(world.enterprise_user, option, keep=True)
    with pytest.raises(Conflict):
        opt.screen(world.agency_user, copy, keep=False, barrier="不可行")
    # A refused precondition does not advance the copy's version: a retry still works.
    fresh = type(option).objects.get(pk=option.pk)
    with pytest.raises(Exception, match="障碍"):
        opt.decide(world.agency_user, fresh, approve=False)
    opt.decide(world.agency_user, fresh, approve=False, barrier="投资回收期过长")
    fresh.refresh_from_db()
    assert fresh.status == OptionStatus.REJECTED


def test_roster_changed_since_the_page_was_loaded_is_a_conflict():
    world = fixtures.build()
    roster = rosters.propose(world.shenzhen, Region.objects.get(code="440300"), 2025)
    seen = roster.version
    rosters.add_entry(world.shenzhen, roster, "群众举报核实", enterprise=world.other_enterprise)
    with pytest.raises(Conflict):
        rosters.publish(world.shenzhen, Roster.objects.get(pk=roster.pk), expected_version=seen)
    roster.refresh_from_db()
    assert roster.status == Roster.Status.DRAFT
