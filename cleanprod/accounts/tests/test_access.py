"""Who may view, add, change, delete and export users and reference data.

Users: administrators manage the users of their region's subtree (a user's region is its own or
its organisation's); officers and viewers do not manage users; every user sees and edits itself,
but only its name, e-mail and password (issue 9, being implemented). Reference data (regions,
industries, industry groups and their members): every logged-in user reads it, only superusers
write it.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from rest_framework.test import APIClient

from cleanprod.accounts.models import User
from cleanprod.accounts.tests.factories import authority, user
from cleanprod.industries.models import Industry, IndustryGroup, IndustryGroupMember
from cleanprod.regions.models import Region
from cleanprod.testing.access import (
    ALL,
    REGION,
    ROLES,
    ApiChecks,
    PolicyCase,
    World,
    build_world,
    expect,
    rolled_back,
)

PLACES = ("sz", "gz", "bj")
_seq = itertools.count(1)


class TestUserAccess(PolicyCase, ApiChecks):
    """Users (API; the web has no user pages). Places: sz = a viewer of Shenzhen Nanshan,
    gz = the user of enterprise gz, bj = the user of agency bj."""

    model = User
    EXPECT = expect(PLACES, authority_actions={"administrator": ALL})
    api, api_writable = "/api/users/", True
    patch = {"first_name": "改"}

    def make(self, world: World, place: str) -> Any:
        n = next(_seq)
        if place == "sz":
            return authority(f"obj{n}_sz", REGION["sz"], role="viewer")
        if place == "gz":
            return user(f"obj{n}_gz", party="enterprise", enterprise=world.enterprise["gz"])
        return user(f"obj{n}_bj", party="agency", agency=world.agency["bj"])

    def payload(self, world: World, place: str) -> dict[str, Any]:
        return {
            "username": f"new{next(_seq)}_{place}",
            "party": "authority",
            "department": "mee",
            "role": "viewer",
            "region": REGION[place],
        }


@pytest.mark.django_db
def test_every_user_sees_and_renames_itself() -> None:
    """Each logged-in user views itself and may change its own name (not via other rows)."""
    world = build_world()
    wrong = []
    for role in ROLES[1:]:
        me = world.users[role]
        assert me is not None
        if not User.objects.restrict(me, "view").filter(pk=me.pk).exists():
            wrong.append(f"{role}: cannot view itself")
        client = APIClient()
        client.force_authenticate(me)
        status = rolled_back(
            lambda c=client, m=me: c.patch(f"/api/users/{m.pk}/", {"first_name": "新"}, "json")
        ).status_code
        if status != 200:
            wrong.append(f"{role}: PATCH own first_name -> {status}")
    assert not wrong, wrong


def _forbidden_values(world: World, role: str) -> dict[str, Any]:
    """A new value for each field of who a user is, different from the role's own."""
    me = world.users[role]
    return {
        "party": "enterprise" if me.party == "authority" else "authority",
        "role": "viewer" if me.role == "administrator" else "administrator",
        "region": REGION["bj"] if me.region_id is None else None,
        "department": "miit" if me.department == "ndrc" else "ndrc",
        "enterprise": world.enterprise["bj"].pk,
        "agency": world.agency["bj"].pk,
        "expert": world.expert["bj"].pk,
        "is_active": False,
    }


@pytest.mark.django_db
def test_no_user_changes_who_it_is() -> None:
    """Self-PATCH of each identity field, by every role, is refused and changes nothing."""
    world = build_world()
    accepted = []
    for role in ROLES[1:]:
        me = world.users[role]
        client = APIClient()
        client.force_authenticate(me)
        for name, value in _forbidden_values(world, role).items():

            def attempt(c: APIClient, m: Any, data: dict[str, Any]) -> tuple[int, dict]:
                response = c.patch(f"/api/users/{m.pk}/", data, format="json")
                return response.status_code, User.objects.filter(pk=m.pk).values(*FIELDS).get()

            before = User.objects.filter(pk=me.pk).values(*FIELDS).get()
            status, after = rolled_back(attempt, client, me, {name: value})
            if status < 300 or after != before:
                accepted.append(f"{role}.{name}->{status}")
    assert not accepted, "identity fields changed by the user itself: " + ", ".join(accepted)


FIELDS = (
    "party",
    "role",
    "region_id",
    "department",
    "enterprise_id",
    "agency_id",
    "expert_id",
    "is_active",
)

REFERENCE = expect(PLACES, authorities=False, logged_in_read=True)


class TestRegionAccess(PolicyCase, ApiChecks):
    """Regions: reference data; read-only API (the regions pages read the same restrict())."""

    model = Region
    EXPECT = REFERENCE
    api, api_field, api_list = "/api/regions/", "code", False  # 3,000 rows: detail only

    def make(self, world: World, place: str) -> Any:
        return Region.objects.get(code=REGION[place])


class TestIndustryAccess(PolicyCase, ApiChecks):
    """Industries: reference data; read-only API."""

    model = Industry
    EXPECT = REFERENCE
    api, api_field = "/api/industries/", "code"

    def make(self, world: World, place: str) -> Any:
        return Industry.objects.get(code={"sz": "3360", "gz": "33", "bj": "26"}[place])


class TestIndustryGroupAccess(PolicyCase, ApiChecks):
    """Industry groups: reference data; read-only API."""

    model = IndustryGroup
    EXPECT = REFERENCE
    api, api_field = "/api/industry-groups/", "slug"

    def make(self, world: World, place: str) -> Any:
        return IndustryGroup.objects.order_by("pk")[PLACES.index(place)]


class TestIndustryGroupMemberAccess(PolicyCase):
    """Industry group members: reference data shown inside their group: restrict() only."""

    model = IndustryGroupMember
    EXPECT = REFERENCE

    def make(self, world: World, place: str) -> Any:
        return IndustryGroupMember.objects.order_by("pk")[PLACES.index(place)]
