"""Every data-entry page answers each party without an error: 200 where it may use the page,
403/404 (never 500) where it may not; the links shown lead to pages that answer 200."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.plans.loader import load_plan_data
from cleanprod.plans.models import TrainingSession
from cleanprod.registry.models import AgencyStaff, Engagement
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def test_data_entry_pages_answer_every_party() -> None:
    load_plan_data()
    ent = factories.enterprise("440305", name="深圳甲公司")
    agency = factories.agency("440304", name="绿源咨询", published=True)
    engagement = Engagement.objects.create(
        agency=agency, enterprise=ent, start_date=dt.date(2026, 1, 1)
    )
    staff = AgencyStaff.objects.create(agency=agency, name="王", certificate_no="QJ-1")
    session = TrainingSession.objects.create(
        title="培训", date=dt.date(2026, 1, 2), region_id="440300"
    )
    pages = [
        "/plans/training/",
        "/plans/training/add/",
        f"/plans/training/{session.pk}/",
        "/plans/training/template.xlsx",
        "/plans/records/",
        "/plans/records/capacity/add/",
        "/plans/records/adoption/import/",
        "/plans/records/capacity/template.xlsx",
        "/plans/targets/12-cod-reduction/decompose/",
        "/plans/targets/12-cod-reduction/decompose.xlsx",
        "/registry/engagements/",
        "/registry/engagements/add/",
        "/registry/engagements/import/",
        "/registry/engagements/template.xlsx",
        f"/registry/engagements/{engagement.pk}/end/",
        f"/registry/agencies/{agency.pk}/staff/",
        f"/registry/agencies/{agency.pk}/staff/{staff.pk}/edit/",
        "/audits/facts/",
        "/audits/facts/emission/add/",
        "/audits/facts/substance/import/",
        "/audits/facts/energy/template.xlsx",
    ]
    users = {
        "officer": authority("sz", "440300"),
        "province": authority("gd", "440000"),
        "national": authority("nat", None, role="administrator"),
        "viewer": authority("v", "440300", role="viewer"),
        "enterprise": user("ent", party="enterprise", enterprise=ent),
        "agency": user("ag", party="agency", agency=agency),
        "expert": user("ex", party="expert", expert=factories.expert()),
    }
    for role, u in users.items():
        c = _client(u)
        for url in pages:
            status = c.get(url).status_code
            assert status in (200, 302, 403, 404), (role, url, status)
        # The enterprise page's data-entry links answer 200 to those who see them.
        page = c.get(f"/registry/enterprises/{ent.pk}/")
        if page.status_code != 200:
            continue
        section = re.search(r'id="data-entry">(.*?)</p>', page.content.decode(), re.S)
        for href in re.findall(r'href="([^"]+)"', section.group(1) if section else ""):
            assert c.get(href.replace("&amp;", "&")).status_code == 200, (role, href)
    # Who may use what, in short.
    officer, ent_client = _client(users["officer"]), _client(users["enterprise"])
    assert officer.get("/plans/training/add/").status_code == 200
    assert officer.get("/audits/facts/emission/add/").status_code == 200
    assert ent_client.get("/registry/engagements/add/").status_code == 200
    assert ent_client.get("/registry/engagements/import/").status_code == 403
    assert _client(users["province"]).get(
        "/plans/targets/12-cod-reduction/decompose/"
    ).status_code in (200, 403)
    assert (
        _client(users["national"]).get("/plans/targets/12-cod-reduction/decompose/").status_code
        == 200
    )
