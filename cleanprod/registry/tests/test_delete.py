"""Deletes lose nothing silently: history blocks them, deactivation instead, cascades logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from cleanprod.accounts.models import User
from cleanprod.accounts.tests.factories import authority, user
from cleanprod.audits.services.accountability import record_credit_event
from cleanprod.changelog.models import ObjectChange
from cleanprod.plans.models.facts import Attendance, TrainingSession
from cleanprod.platform import services
from cleanprod.registry.models import Agency, AgencyStaff, Engagement, Enterprise, Expert, Park
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _zh(model) -> str:
    with translation.override("zh-hans"):
        return str(model._meta.verbose_name)


def _login(u) -> Client:
    client = Client()
    client.force_login(u)
    return client


def _changes(model: str, pk: int, action: str):
    return ObjectChange.objects.filter(content_type__model=model, object_id=str(pk), action=action)


@pytest.fixture
def admin() -> User:
    return authority("sz_admin", "440300", role="administrator")


def test_enterprise_with_history_is_not_deleted_but_deactivated_with_a_reason(admin) -> None:
    e = factories.enterprise(name="有历史的企业")
    agency = factories.agency()
    Engagement.objects.create(agency=agency, enterprise=e, start_date=dt.date(2025, 1, 1))
    session = TrainingSession.objects.create(
        title="清洁生产培训", date=dt.date(2025, 5, 1), region_id="440300"
    )
    Attendance.objects.create(
        enterprise=e, session=session, person="李厂长", role="head", date=session.date, year=2025
    )
    factories.expert(employer_kind="enterprise", employer_enterprise=e)
    account = user("ent_account", party="enterprise", enterprise=e)
    client = _login(admin)
    url = reverse("registry:enterprise-delete", args=[e.pk])

    page = client.get(url).content.decode()
    for model in (Engagement, Attendance, User, Expert):
        assert _zh(model) in page, model
    assert "停用（注明原因）" in page and 'name="reason"' in page

    response = client.post(url)  # the delete button: refused, nothing lost
    assert response.status_code == 302
    assert Enterprise.objects.filter(pk=e.pk).exists()
    assert Attendance.objects.filter(enterprise=e).count() == 1
    assert User.objects.filter(pk=account.pk).exists()

    response = client.post(url, {"deactivate": "1", "reason": "  "})
    assert response.status_code == 200  # the reason is required: the form comes back
    assert 'class="text-danger small"' in response.content.decode()
    e.refresh_from_db()
    assert e.active

    response = client.post(url, {"deactivate": "1", "reason": "企业已注销（市场监管局公告）"})
    assert response.status_code == 302
    e.refresh_from_db()
    account.refresh_from_db()
    assert not e.active and e.deactivated_reason == "企业已注销（市场监管局公告）"
    assert e.deactivated_on is not None
    assert not account.is_active  # its accounts can no longer act for it
    assert _changes("enterprise", e.pk, "update").get().postchange["active"] is False
    assert _changes("user", account.pk, "update").filter(postchange__is_active=False).exists()
    assert "企业已注销" in client.get(e.get_absolute_url()).content.decode()


def test_service_lists_what_blocks_the_deletion(admin) -> None:
    agency = factories.agency(name="有信用记录的机构")
    record_credit_event(admin, agency, "warning", "报告质量差", dt.date(2025, 1, 1))
    with pytest.raises(services.InUse) as exc:
        services.delete_object(admin, agency)
    with translation.override("zh-hans"):
        assert _zh(type(agency.credit_events.get())) in str(exc.value)
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_cascade_is_listed_on_the_page_and_logged_per_row(admin) -> None:
    agency = factories.agency(name="无历史的机构")
    staff = [
        AgencyStaff.objects.create(agency=agency, name=f"员工{i}", certificate_no=f"C-{i}")
        for i in range(2)
    ]
    client = _login(admin)
    url = reverse("registry:agency-delete", args=[agency.pk])
    page = client.get(url).content.decode()
    assert f"{_zh(AgencyStaff)}：2" in page and "员工0" in page and "员工1" in page

    assert client.post(url).status_code == 302
    assert not Agency.objects.filter(pk=agency.pk).exists()
    assert _changes("agency", agency.pk, "delete").count() == 1
    for row in staff:
        entry = _changes("agencystaff", row.pk, "delete").get()
        assert entry.prechange["name"] == row.name and entry.user == admin


def test_references_cleared_by_a_delete_are_logged(admin) -> None:
    park = factories.park(name="将撤销的园区")
    member = factories.enterprise(park=park)
    client = _login(admin)
    url = reverse("registry:park-delete", args=[park.pk])
    assert _zh(Enterprise) in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    member.refresh_from_db()
    assert member.park is None
    entry = _changes("enterprise", member.pk, "update").get()
    assert entry.prechange["park"] == park.pk and entry.postchange["park"] is None


def test_api_delete_of_an_organisation_with_history_is_a_409(admin) -> None:
    e = factories.enterprise()
    Engagement.objects.create(
        agency=factories.agency(), enterprise=e, start_date=dt.date(2025, 1, 1)
    )
    client = APIClient()
    client.force_authenticate(admin)
    response = client.delete(f"/api/enterprises/{e.pk}/")
    assert response.status_code == 409
    assert _zh(Engagement) in str(response.json())
    assert Enterprise.objects.filter(pk=e.pk).exists()
    # Without history the delete goes through and is logged.
    bare = factories.enterprise()
    assert client.delete(f"/api/enterprises/{bare.pk}/").status_code == 204
    assert _changes("enterprise", bare.pk, "delete").count() == 1


def test_deactivation_needs_delete_rights() -> None:
    e = factories.enterprise()
    officer = authority("sz_officer", "440300", role="officer")  # may change, not delete
    with pytest.raises(services.PermissionDenied):
        services.deactivate(officer, e, "理由")
    e.refresh_from_db()
    assert e.active and Park.objects.count() == 0
