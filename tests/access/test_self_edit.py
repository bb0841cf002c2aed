"""What a user may change about itself and its organisation (issue 9).

A user changes its own name, e-mail and password, never who it is (party, organisation, role,
region, department, active); an organisation changes its contact details, never its regulated
fields. Each forbidden field is tried alone, through the API and the web form, as the attack
that worked before: all answer 403 (or show the field disabled) and change nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cleanprod.accounts.models import User
from cleanprod.accounts.tests.factories import authority, user
from cleanprod.registry.models import Agency, Enterprise, Expert
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, object]:
    ent = factories.enterprise(region="440305")
    other = factories.enterprise(region="110105")
    agency = factories.agency(region="440305", filing_no="粤备-1", valid_until=date(2026, 7, 8))
    expert = factories.expert(region="440305", employer_kind="enterprise", employer_enterprise=ent)
    return {
        "ent": ent,
        "other": other,
        "agency": agency,
        "expert": expert,
        "u_ent": user("u_ent", party="enterprise", enterprise=ent),
        "u_agency": user("u_agency", party="agency", agency=agency),
        "u_expert": user("u_expert", party="expert", expert=expert),
        "sz_officer": authority("sz_officer", "440300", role="officer"),
        "sz_admin": authority("sz_admin", "440300", role="administrator"),
        "gd_admin": authority("gd_admin", "440000", role="administrator"),
    }


def _api(u: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(u)
    return client


# Each identity field with candidate values; the first that differs from the user's own is sent.
IDENTITY = {
    "party": ["authority", "enterprise"],
    "role": ["administrator", "officer"],
    "department": ["ndrc", "miit"],
    "region": [None, "440000"],
    "is_active": [False],
    "username": ["someone_else"],
}


@pytest.mark.parametrize("who", ["u_ent", "u_agency", "u_expert", "sz_officer", "sz_admin"])
@pytest.mark.parametrize("field", list(IDENTITY))
def test_a_user_cannot_change_who_it_is(world, who, field):
    me = world[who]
    before = User.objects.values().get(pk=me.pk)
    current = before["region_id" if field == "region" else field]
    value = next(v for v in IDENTITY[field] if v != current)
    response = _api(me).patch(f"/api/users/{me.pk}/", {field: value}, format="json")
    assert response.status_code == 403, response.content
    assert User.objects.values().get(pk=me.pk) == before


@pytest.mark.parametrize("who", ["u_ent", "u_agency", "u_expert"])
def test_a_user_cannot_rebind_to_another_organisation(world, who):
    me = world[who]
    for change in (
        {"enterprise": world["other"].pk},
        {"agency": factories.agency(region="110105").pk},
        {"expert": factories.expert(region="110105").pk},
    ):
        response = _api(me).patch(f"/api/users/{me.pk}/", change, format="json")
        assert response.status_code == 403, (change, response.content)
    me.refresh_from_db()
    assert (me.enterprise_id, me.agency_id, me.expert_id) == (
        getattr(world.get("ent"), "pk", None) if who == "u_ent" else None,
        world["agency"].pk if who == "u_agency" else None,
        world["expert"].pk if who == "u_expert" else None,
    )


def test_the_reported_escalation_is_refused(world):
    """The exact PATCH that made an enterprise account national administrator."""
    me = world["u_ent"]
    response = _api(me).patch(
        f"/api/users/{me.pk}/",
        {
            "party": "authority",
            "department": "ndrc",
            "role": "administrator",
            "region": None,
            "enterprise": None,
        },
        format="json",
    )
    assert response.status_code == 403
    assert "只有主管部门" in response.json()["detail"] or "competent" in response.json()["detail"]
    me.refresh_from_db()
    assert me.party == "enterprise" and me.role == "viewer"
    assert _api(me).get("/api/enterprises/").json()["count"] == 1


def test_a_user_changes_its_own_name_email_and_password(world):
    me = world["u_ent"]
    response = _api(me).patch(
        f"/api/users/{me.pk}/",
        {"first_name": "小明", "email": "xm@example.cn", "password": "A-new-pass-2026!"},
        format="json",
    )
    assert response.status_code == 200, response.content
    me.refresh_from_db()
    assert me.first_name == "小明" and me.email == "xm@example.cn"
    assert me.check_password("A-new-pass-2026!")


def test_an_administrator_changes_identity_only_within_its_scope(world):
    officer = world["sz_officer"]
    # Shenzhen's administrator may promote a Shenzhen officer, not move it to Guangdong level.
    sz_admin = _api(world["sz_admin"])
    assert (
        sz_admin.patch(
            f"/api/users/{officer.pk}/", {"role": "administrator"}, format="json"
        ).status_code
        == 200
    )
    assert (
        sz_admin.patch(f"/api/users/{officer.pk}/", {"region": "440000"}, format="json").status_code
        == 403
    )
    assert (
        sz_admin.patch(f"/api/users/{officer.pk}/", {"region": None}, format="json").status_code
        == 403
    )
    officer.refresh_from_db()
    assert officer.region_id == "440300" and officer.role == "administrator"
    # Guangdong's administrator covers both the old and the new value.
    gd_admin = _api(world["gd_admin"])
    assert (
        gd_admin.patch(f"/api/users/{officer.pk}/", {"region": "440100"}, format="json").status_code
        == 200
    )
    # ... but not its own account's region or role.
    me = world["gd_admin"]
    assert (
        gd_admin.patch(f"/api/users/{me.pk}/", {"region": None}, format="json").status_code == 403
    )


REGULATED = {
    "u_ent": (
        "enterprises",
        "ent",
        [
            {"region": "110105"},
            {"uscc": "91110105MA00000000"},
            {"industry_code": "1711"},
            {"above_size": False},
            {"status": "closed"},
        ],
    ),
    "u_agency": (
        "agencies",
        "agency",
        [
            {"valid_until": "2099-12-31"},
            {"filing_no": "伪造-1"},
            {"filing_authority": "自己"},
            {"region": "110105"},
        ],
    ),
    "u_expert": (
        "experts",
        "expert",
        [
            {"title": "intermediate"},
            {"employer_kind": "other", "employer_enterprise": None},
            {"active": False},
            {"region": "110105"},
        ],
    ),
}


@pytest.mark.parametrize("who", list(REGULATED))
def test_organisations_cannot_rewrite_their_regulated_fields(world, who):
    endpoint, key, changes = REGULATED[who]
    obj = world[key]
    model = type(obj)
    before = model.objects.values().get(pk=obj.pk)
    client = _api(world[who])
    for change in changes:
        response = client.patch(f"/api/{endpoint}/{obj.pk}/", change, format="json")
        assert response.status_code in (400, 403), (change, response.content)
        assert model.objects.values().get(pk=obj.pk) == before, change


def test_agency_cannot_widen_its_industry_scope(world):
    agency = world["agency"]
    from cleanprod.industries.models import Industry

    division = Industry.objects.filter(level="division").first()
    response = _api(world["u_agency"]).patch(
        f"/api/agencies/{agency.pk}/", {"industry_scope": [division.pk]}, format="json"
    )
    assert response.status_code == 403
    assert agency.industry_scope.count() == 0


def test_organisations_change_their_contact_details(world):
    ent = world["ent"]
    response = _api(world["u_ent"]).patch(
        f"/api/enterprises/{ent.pk}/", {"contact_phone": "0755-1234"}, format="json"
    )
    assert response.status_code == 200, response.content
    ent.refresh_from_db()
    assert ent.contact_phone == "0755-1234"


def test_web_form_disables_regulated_fields_and_ignores_forged_values(world):
    ent = world["ent"]
    client = Client()
    client.force_login(world["u_ent"])
    url = reverse("registry:enterprise-edit", args=[ent.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.fields["region"].disabled and form.fields["uscc"].disabled
    assert not form.fields["address"].disabled
    assert b"regulated-note" in page.content
    data = {
        "uscc": "91110105MA00000000",
        "name": ent.name,
        "region": "110105",
        "industry_code": "1711",
        "address": "深圳市南山区科技园",
        "status": "closed",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    ent.refresh_from_db()
    assert ent.address == "深圳市南山区科技园"
    assert (ent.region_id, ent.industry_code, ent.status) == ("440305", "3360", "operating")


def test_expert_form_offers_only_employers_in_scope(world):
    """The expert's own page showed all enterprises as employer; an officer's only its area."""
    client = Client()
    client.force_login(world["sz_officer"])
    page = client.get(reverse("registry:expert-add"))
    employers = set(page.context["form"].fields["employer_enterprise"].queryset)
    assert world["ent"] in employers and world["other"] not in employers
    regions = page.context["form"].fields["region"].queryset
    assert not regions.exclude(code__startswith="4403").exists()
    # The expert's own form shows its employer (disabled) and offers nothing else.
    client.force_login(world["u_expert"])
    page = client.get(reverse("registry:expert-edit", args=[world["expert"].pk]))
    assert page.context["form"].fields["employer_enterprise"].disabled


def test_enterprise_form_offers_only_parks_it_may_see(world):
    hidden = factories.park(region="110105", published=False, name="北京未公开园区")
    mine = factories.park(region="440305", published=False, name="深圳园区")
    client = Client()
    client.force_login(world["sz_officer"])
    page = client.get(reverse("registry:enterprise-add"))
    parks = set(page.context["form"].fields["park"].queryset)
    assert mine in parks and hidden not in parks


def test_officer_cannot_create_outside_its_area_even_by_forging_the_region(world):
    client = Client()
    client.force_login(world["sz_officer"])
    from cleanprod.demo.registry import synthetic_uscc

    response = client.post(
        reverse("registry:enterprise-add"),
        {
            "uscc": synthetic_uscc(99_000_001, "110105"),
            "name": "北京企业",
            "region": "110105",
            "industry_code": "3360",
            "status": "operating",
        },
    )
    assert response.status_code == 200  # the form again, with the region refused
    assert "region" in response.context["form"].errors
    assert not Enterprise.objects.filter(name="北京企业").exists()


def test_models_keep_their_values(world):
    assert Agency.objects.get(pk=world["agency"].pk).filing_no == "粤备-1"
    assert Expert.objects.get(pk=world["expert"].pk).employer_enterprise_id == world["ent"].pk


def test_no_administrator_reaches_a_superuser(world):
    root = User.objects.create_superuser("root", "root@example.cn", "Root-pass-2026!")
    national = authority("nat_admin", None, role="administrator")
    assert not User.objects.restrict(national, "change").filter(pk=root.pk).exists()
    response = _api(national).patch(f"/api/users/{root.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 404
    root.refresh_from_db()
    assert root.is_active


def test_roster_proposal_offers_only_the_officers_regions(world):
    client = Client()
    client.force_login(world["sz_officer"])
    page = client.get(reverse("audits:roster-propose"))
    codes = set(page.context["form"].fields["region"].queryset.values_list("code", flat=True))
    assert codes == {"440300"}
