"""An organisation asks to change its regulated fields; the competent authority decides."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.changelog.models import ObjectChange
from cleanprod.changerequests.models import ChangeRequest
from cleanprod.notifications.models import Notification
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture
def world() -> dict[str, object]:
    ent = factories.enterprise(region="440305", industry="3360")
    return {
        "ent": ent,
        "u_ent": user("u_ent", party="enterprise", enterprise=ent),
        "sz": authority("sz_officer", "440300", role="officer"),
        "gz": authority("gz_officer", "440100", role="officer"),
        "gd": authority("gd_officer", "440000", role="officer"),
    }


def _client(u) -> Client:
    client = Client()
    client.force_login(u)
    return client


def _ask(world, **values) -> ChangeRequest:
    ent = world["ent"]
    data = {
        "uscc": ent.uscc,
        "region": ent.region_id,
        "industry_code": ent.industry_code,
        "above_size": "on" if ent.above_size else "",
        "status": ent.status,
        "reason": "营业执照变更，行业分类调整。",
        "evidence": SimpleUploadedFile("执照.pdf", PDF, content_type="application/pdf"),
    }
    data.update(values)
    response = _client(world["u_ent"]).post(
        reverse("changerequests:new", args=["enterprise", ent.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ChangeRequest.objects.latest("pk")


def test_enterprise_asks_and_the_officer_approves(world):
    ent = world["ent"]
    request = _ask(world, industry_code="3340")
    assert request.status == "pending"
    assert set(request.changes) == {"industry_code"}
    assert request.previous["industry_code"]["value"] == "3360"
    ent.refresh_from_db()
    assert ent.industry_code == "3360"  # nothing changes before the decision
    # The Shenzhen officer is told and decides.
    assert Notification.objects.filter(user=world["sz"], link=request.get_absolute_url()).exists()
    assert not Notification.objects.filter(user=world["gz"]).exists()
    sz = _client(world["sz"])
    page = sz.get(request.get_absolute_url())
    assert b"decision-form" in page.content and b"3340" in page.content
    response = sz.post(request.get_absolute_url(), {"decision": "approve", "note": "核实无误"})
    assert response.status_code == 302
    ent.refresh_from_db()
    request.refresh_from_db()
    assert ent.industry_code == "3340" and request.status == "approved"
    assert request.decided_by == world["sz"]
    # Both the request and the applied change are in the change log, by the officer.
    change = ObjectChange.objects.filter(
        content_type__model="enterprise", object_id=str(ent.pk), action="update"
    ).latest("pk")
    assert change.user == world["sz"]
    assert change.prechange["industry_code"] == "3360"
    assert change.postchange["industry_code"] == "3340"
    assert ObjectChange.objects.filter(
        content_type__model="changerequest", object_id=str(request.pk), action="update"
    ).exists()
    # The enterprise is told, and its evidence is served to both parties only.
    assert Notification.objects.filter(user=world["u_ent"]).exists()
    assert sz.get(reverse("changerequests:evidence", args=[request.pk])).status_code == 200
    outsider = _client(world["gz"])
    assert outsider.get(reverse("changerequests:evidence", args=[request.pk])).status_code == 404
    assert outsider.get(request.get_absolute_url()).status_code == 404


def test_a_move_needs_an_authority_over_both_places(world):
    ent = world["ent"]
    request = _ask(world, region="440106")  # Shenzhen → Guangzhou
    response = _client(world["sz"]).post(
        request.get_absolute_url(), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 200
    assert "同时管辖变更前后地区" in response.content.decode()
    ent.refresh_from_db()
    request.refresh_from_db()
    assert ent.region_id == "440305" and request.status == "pending"
    # The provincial officer covers both and may approve.
    _client(world["gd"]).post(request.get_absolute_url(), {"decision": "approve"})
    ent.refresh_from_db()
    assert ent.region_id == "440106"


def test_rejection_needs_a_reason_and_changes_nothing(world):
    request = _ask(world, above_size="")
    sz = _client(world["sz"])
    response = sz.post(request.get_absolute_url(), {"decision": "reject", "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    sz.post(request.get_absolute_url(), {"decision": "reject", "note": "证明材料不足"})
    request.refresh_from_db()
    world["ent"].refresh_from_db()
    assert request.status == "rejected" and world["ent"].above_size is True


def test_the_requester_cannot_approve_its_own_request(world):
    request = _ask(world, industry_code="3340")
    response = _client(world["u_ent"]).post(request.get_absolute_url(), {"decision": "approve"})
    assert response.status_code == 403
    world["ent"].refresh_from_db()
    assert world["ent"].industry_code == "3360"
    # ... but may withdraw it.
    _client(world["u_ent"]).post(request.get_absolute_url(), {"action": "withdraw"})
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_asking_for_nothing_or_an_invalid_value_is_refused(world):
    ent = world["ent"]
    url = reverse("changerequests:new", args=["enterprise", ent.pk])
    client = _client(world["u_ent"])
    base = {
        "uscc": ent.uscc,
        "region": ent.region_id,
        "industry_code": ent.industry_code,
        "above_size": "on",
        "status": ent.status,
        "reason": "无",
    }
    response = client.post(url, base)
    assert response.status_code == 200 and not ChangeRequest.objects.exists()
    response = client.post(url, {**base, "uscc": "91440300MA5XXXXXX0"})
    assert response.status_code == 200
    assert "uscc" in response.context["values"].errors
    assert not ChangeRequest.objects.exists()


def test_only_the_organisation_itself_may_ask(world):
    ent = world["ent"]
    url = reverse("changerequests:new", args=["enterprise", ent.pk])
    assert _client(world["sz"]).get(url).status_code == 403  # the officer just edits
    other = factories.enterprise(region="440305")
    stranger = user("stranger", party="enterprise", enterprise=other)
    assert _client(stranger).get(url).status_code == 404
    assert _client(world["u_ent"]).get(url).status_code == 200


def test_the_same_through_the_api(world):
    from rest_framework.test import APIClient

    ent = world["ent"]
    asker = APIClient()
    asker.force_authenticate(world["u_ent"])
    bad = asker.post(
        "/api/change-requests/",
        {"kind": "enterprise", "object_id": ent.pk, "changes": {"name": "x"}, "reason": "r"},
        format="json",
    )
    assert bad.status_code == 400  # the name is the enterprise's own to change
    made = asker.post(
        "/api/change-requests/",
        {
            "kind": "enterprise",
            "object_id": ent.pk,
            "changes": {"industry_code": "3340"},
            "reason": "行业变更",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert asker.post(f"/api/change-requests/{pk}/approve/", {}).status_code == 403
    officer = APIClient()
    officer.force_authenticate(world["sz"])
    assert officer.post(f"/api/change-requests/{pk}/reject/", {}).status_code == 400
    approved = officer.post(f"/api/change-requests/{pk}/approve/", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    ent.refresh_from_db()
    assert ent.industry_code == "3340"
    stranger = APIClient()
    stranger.force_authenticate(world["gz"])
    assert stranger.get(f"/api/change-requests/{pk}/").status_code == 404
