"""Who may view, add, change, delete and export registry rows (see cleanprod.testing.access).

Expectations are written from the access rules: authorities by region and role; an enterprise
reaches its own row, the parks it belongs to and the agencies that serve it; an agency the
enterprises it serves under an active engagement, its own row, its staff and its engagements;
an expert its own profile; an association the enterprises of its industry divisions (read).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from rest_framework.test import APIClient

from cleanprod.demo.registry import synthetic_uscc
from cleanprod.industries.models import Industry
from cleanprod.registry.models import Agency, AgencyStaff, Engagement, Enterprise, Expert, Park
from cleanprod.testing.access import (
    ALL,
    READ,
    REGION,
    ApiChecks,
    PolicyCase,
    WebChecks,
    World,
    build_world,
    expect,
    rolled_back,
)

_uscc = itertools.count(71_000_000)
ALL_PLACES = ("sz", "gz", "bj")


class TestEnterpriseAccess(PolicyCase, ApiChecks, WebChecks):
    model = Enterprise
    EXPECT = expect(
        ALL_PLACES,
        grants={
            "enterprise": ({"sz"}, frozenset({"view", "change", "export"})),
            "agency": ({"sz"}, READ),  # active engagement only; gz's has ended
            "association": ({"sz", "gz"}, READ),  # industry division 33
        },
    )
    api, api_writable, api_export = "/api/enterprises/", True, "/api/enterprises/export/"
    patch = {"contact_name": "改"}
    web_list, web_detail = "registry:enterprise-list", "registry:enterprise-detail"
    web_edit, web_delete = "registry:enterprise-edit", "registry:enterprise-delete"
    web_add, web_export = "registry:enterprise-add", "registry:enterprise-export"

    def make(self, world: World, place: str) -> Any:
        return world.enterprise[place]

    def form(self, world: World, place: str) -> dict[str, Any]:
        return {
            "uscc": synthetic_uscc(next(_uscc), REGION[place]),
            "name": f"新{place}",
            "region": REGION[place],
            "industry_code": "3360",
            "status": "operating",
        }

    payload = form


class TestParkAccess(PolicyCase, ApiChecks, WebChecks):
    model = Park
    EXPECT = expect(
        ALL_PLACES,
        public={"gz"},
        grants={"enterprise": {"view": {"sz"}, "export": {"sz"}}},  # it is a member of park sz
    )
    api, api_writable, api_export = "/api/parks/", True, "/api/parks/export/"
    patch = {"description": "改"}
    web_list, web_detail = "registry:park-list", "registry:park-detail"
    web_edit, web_delete = "registry:park-edit", "registry:park-delete"
    web_add, web_export = "registry:park-add", "registry:park-export"

    def make(self, world: World, place: str) -> Any:
        return world.park[place]

    def form(self, world: World, place: str) -> dict[str, Any]:
        return {"name": f"新园区{place}", "kind": "other", "region": REGION[place]}

    payload = form


class TestAgencyAccess(PolicyCase, ApiChecks, WebChecks):
    model = Agency
    EXPECT = expect(
        ALL_PLACES,
        public={"gz"},
        grants={
            "enterprise": ({"sz"}, READ),  # the agency that serves it
            "agency": ({"sz"}, frozenset({"view", "change", "export"})),
        },
    )
    api, api_writable, api_export = "/api/agencies/", True, "/api/agencies/export/"
    patch = {"contact_phone": "0755-1"}
    web_list, web_detail = "registry:agency-list", "registry:agency-detail"
    web_edit, web_delete = "registry:agency-edit", "registry:agency-delete"
    web_add, web_export = "registry:agency-add", "registry:agency-export"

    def make(self, world: World, place: str) -> Any:
        return world.agency[place]

    def form(self, world: World, place: str) -> dict[str, Any]:
        return {
            "uscc": synthetic_uscc(next(_uscc), REGION[place]),
            "name": f"新机构{place}",
            "region": REGION[place],
        }

    payload = form


class TestExpertAccess(PolicyCase, ApiChecks, WebChecks):
    model = Expert
    EXPECT = expect(
        ALL_PLACES, grants={"expert": ({"sz"}, frozenset({"view", "change", "export"}))}
    )
    api, api_writable, api_export = "/api/experts/", True, "/api/experts/export/"
    patch = {"phone": "13800000000"}
    web_list, web_detail = "registry:expert-list", "registry:expert-detail"
    web_edit, web_delete = "registry:expert-edit", "registry:expert-delete"
    web_add, web_export = "registry:expert-add", "registry:expert-export"

    def make(self, world: World, place: str) -> Any:
        return world.expert[place]

    def form(self, world: World, place: str) -> dict[str, Any]:
        return {
            "name": f"新专家{place}",
            "title": "senior",
            "region": REGION[place],
            "employer_kind": "other",
            "active": "on",
            "specialties": [Industry.objects.get(code="33").pk],
        }

    def payload(self, world: World, place: str) -> dict[str, Any]:
        return {**self.form(world, place), "specialties": ["33"], "active": True}


class TestAgencyStaffAccess(PolicyCase):
    """Agency staff: no API or web endpoint of their own (shown inside the agency), so restrict()
    only. An agency manages its own staff."""

    model = AgencyStaff
    EXPECT = expect(ALL_PLACES, grants={"agency": ({"sz"}, ALL)})

    def make(self, world: World, place: str) -> Any:
        return AgencyStaff.objects.create(
            agency=world.agency[place], name=f"员工{place}", certificate_no=f"C-{place}"
        )


class TestEngagementAccess(PolicyCase, ApiChecks):
    """Engagements: an enterprise engages (and ends) its own, an agency reads its own, ended ones
    included (they are the record of who served whom); authorities manage them by the enterprise's
    region. Places: sz = agency sz–enterprise sz (active), gz = agency sz–enterprise gz (ended),
    bj = agency bj–enterprise bj."""

    model = Engagement
    EXPECT = expect(
        ALL_PLACES,
        grants={
            "enterprise": ({"sz"}, READ | {"add", "change"}),
            "agency": ({"sz", "gz"}, READ),
        },
    )
    api, api_writable = "/api/engagements/", True
    patch = {"note": "改"}

    def make(self, world: World, place: str) -> Any:
        return world.engagement[place]

    def payload(self, world: World, place: str) -> dict[str, Any]:
        return {
            "agency": world.agency[place].pk,
            "enterprise": world.enterprise[place].pk,
            "start_date": "2026-01-01",
        }


# --- organisations' self-edits of regulated fields (issue 9, rule being implemented) ---------

REGULATED = {
    "enterprise": {
        "uscc": lambda w: synthetic_uscc(next(_uscc), "440305"),
        "region": lambda w: "440106",
        "industry_code": lambda w: "2614",
        "above_size": lambda w: False,
    },
    "agency": {
        "uscc": lambda w: synthetic_uscc(next(_uscc), "440305"),
        "region": lambda w: "440106",
        "filing_no": lambda w: "FAKE-1",
        "filing_authority": lambda w: "自封",
        "valid_from": lambda w: "2000-01-01",
        "valid_until": lambda w: "2099-12-31",
        "industry_scope": lambda w: ["26", "33"],
    },
    "expert": {
        "title": lambda w: "other",
        "specialties": lambda w: ["26"],
        "employer_kind": lambda w: "enterprise",
        "employer_enterprise": lambda w: w.enterprise["sz"].pk,
        "employer_name": lambda w: "自家",
        "region": lambda w: "440106",
        "active": lambda w: False,
    },
}
SELF_URL = {
    "enterprise": "/api/enterprises/",
    "agency": "/api/agencies/",
    "expert": "/api/experts/",
}
NON_REGULATED = {"enterprise": "contact_name", "agency": "contact_phone", "expert": "phone"}


@pytest.mark.django_db
def test_organisations_change_their_non_regulated_fields() -> None:
    """An enterprise, agency and expert user may change its own contact details."""
    world = build_world()
    for party, url in SELF_URL.items():
        org = getattr(world, party)["sz"]
        client = APIClient()
        client.force_authenticate(world.users[party])
        response = client.patch(f"{url}{org.pk}/", {NON_REGULATED[party]: "13900000000"}, "json")
        assert response.status_code == 200, (party, response.content[:300])


@pytest.mark.django_db
def test_organisations_cannot_change_their_regulated_fields() -> None:
    """Each regulated field of its own row, PATCHed by the organisation's user, is refused."""
    world = build_world()
    accepted = []
    for party, fields in REGULATED.items():
        org = getattr(world, party)["sz"]
        client = APIClient()
        client.force_authenticate(world.users[party])
        for name, value in fields.items():
            url = f"{SELF_URL[party]}{org.pk}/"
            with_value = {name: value(world)}
            # Rolled back, so each field is tried on the original row.
            response = rolled_back(client.patch, url, with_value, format="json")
            if response.status_code < 300:
                accepted.append(f"{party}.{name} -> {response.status_code}")
    assert not accepted, "regulated fields changed by their organisation: " + ", ".join(accepted)


@pytest.mark.django_db
def test_ended_engagement_gives_no_enterprise_access() -> None:
    """The agency's ended engagement with enterprise gz gives it nothing; ending sz's too does."""
    world = build_world()
    agency = world.users["agency"]
    assert set(Enterprise.objects.restrict(agency, "view")) == {world.enterprise["sz"]}
    Engagement.objects.filter(pk=world.engagement["sz"].pk).update(
        end_date=dt.date.today() - dt.timedelta(days=1)
    )
    assert not Enterprise.objects.restrict(agency, "view").exists()


@pytest.mark.django_db
def test_agency_api_shows_only_staff_the_user_may_view() -> None:
    """Staff nested in /api/agencies/<id>/ are exactly AgencyStaff.restrict(user, 'view')."""
    world = build_world()
    for place in ALL_PLACES:
        AgencyStaff.objects.create(
            agency=world.agency[place], name=f"员工{place}", certificate_no=f"C-{place}"
        )
    leaks = []
    for role, u in world.users.items():
        client = APIClient()
        if u is not None:
            client.force_authenticate(u)
        may = set(AgencyStaff.objects.restrict(u, "view").values_list("pk", flat=True))
        for place in ALL_PLACES:
            response = client.get(f"/api/agencies/{world.agency[place].pk}/")
            if response.status_code != 200:
                continue
            shown = {s["id"] for s in response.json().get("staff", [])}
            if shown - may:
                leaks.append(f"{role} sees staff of agency {place}")
    assert not leaks, leaks
