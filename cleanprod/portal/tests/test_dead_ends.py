"""Links a party sees lead somewhere it may go (issue 11, dead ends)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.audits.models import EmissionExceedance
from cleanprod.audits.services import rosters
from cleanprod.regions.models import Region
from cleanprod.registry.tests import factories
from cleanprod.testing.access import build_world

pytestmark = pytest.mark.django_db


def _client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def test_prefectural_officer_breadcrumb_links_only_its_own_region() -> None:
    c = _client(authority("sz-crumb", "440300", role="officer"))
    body = c.get(reverse("plans:dashboard")).content.decode()
    crumb = body.split('aria-label="breadcrumb"')[1].split("</ol>")[0]
    assert "广东省" in crumb
    assert "region=440000" not in crumb and not re.search(r'href="\?metric=', crumb)
    for href in re.findall(r'href="(\?region=[^"]+)"', crumb):
        assert c.get(reverse("plans:dashboard") + href.replace("&amp;", "&")).status_code == 200
    province = _client(authority("gd-crumb", "440000", role="officer"))
    crumb = province.get(reverse("plans:dashboard") + "?region=440300").content.decode()
    assert "region=440000" in crumb.split('aria-label="breadcrumb"')[1].split("</ol>")[0]


@pytest.mark.parametrize("party", ["enterprise", "agency", "expert"])
def test_progress_is_not_offered_to_parties_that_may_not_open_it(party: str) -> None:
    org = {
        "enterprise": factories.enterprise,
        "agency": factories.agency,
        "expert": factories.expert,
    }[party]()
    c = _client(user(f"p-{party}", party=party, **{party: org}))
    dashboard = reverse("plans:dashboard")
    for page in ("/", reverse("plans:target-list")):
        assert f'href="{dashboard}"' not in c.get(page).content.decode()
    assert c.get(dashboard).status_code == 403  # the page itself still refuses


def test_home_links_only_indicator_systems_the_visitor_may_open() -> None:
    body = Client().get("/").content.decode()
    for href in re.findall(r'href="(/evaluation/systems/[^"]+)"', body):
        assert Client().get(href).status_code == 200, href
    logged_in = _client(authority("nat-home", None, role="officer"))
    links = re.findall(r'href="(/evaluation/systems/[^"]+)"', logged_in.get("/").content.decode())
    assert links and all(logged_in.get(h).status_code == 200 for h in links)


def test_empty_roster_proposal_says_what_it_read_and_why() -> None:
    officer = authority("sz-roster", "440300", role="officer")
    shenzhen = Region.objects.get(code="440300")
    response = _client(officer).post(
        reverse("audits:roster-propose"),
        {"region": "440300", "year": 2025, "kind": "mandatory"},
        follow=True,
    )
    body = response.content.decode()
    assert "已查阅广东省深圳市 2025年" in body and "超标排放" in body and "请先录入事实记录" in body
    e = factories.enterprise(region="440305")
    fact = {"kind": "standard", "pollutant": "COD", "limit": 2, "unit": "mg/L", "evidence": "报告"}
    # A fact of another year only: the proposal names the years that have facts.
    EmissionExceedance.objects.create(enterprise=e, year=2024, value=1, **fact)
    with translation.override("en"):
        text = rosters.explain_empty(shenzhen, 2025)
    assert "emission exceedances 0" in text and "facts exist for 2024" in text
    # A fact below its limit: read, checked against the rules, no trigger.
    EmissionExceedance.objects.create(enterprise=e, year=2025, value=1, **fact)
    with translation.override("en"):
        text = rosters.explain_empty(shenzhen, 2025)
    assert "emission exceedances 1" in text and "The facts of 1 enterprises were checked" in text


def test_expert_on_a_panel_is_not_linked_to_the_enterprise_it_may_not_open() -> None:
    world = build_world()
    c = _client(world.users["expert"])
    body = c.get(world.audit["sz"].get_absolute_url()).content.decode()
    assert world.enterprise["sz"].name in body
    assert f'href="{world.enterprise["sz"].get_absolute_url()}"' not in body
    assert c.get(world.enterprise["sz"].get_absolute_url()).status_code == 404
    owner = _client(world.users["enterprise"])
    body = owner.get(world.audit["sz"].get_absolute_url()).content.decode()
    assert f'href="{world.enterprise["sz"].get_absolute_url()}"' in body
