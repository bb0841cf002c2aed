"""Optimistic locking: two people editing the same record; the second is told, nothing is lost."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cleanprod.accounts.tests.factories import authority
from cleanprod.changelog.models import ObjectChange
from cleanprod.platform import services
from cleanprod.platform.locking import StaleObject
from cleanprod.registry import forms
from cleanprod.registry.models import Enterprise
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db

CONFLICT = "此记录已被他人修改"


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_data(page: str, enterprise: Enterprise) -> dict[str, str]:
    """What the browser would submit for the edit page as loaded (hidden version included)."""
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version, "the edit form carries the version in a hidden field"
    assert 'type="hidden" name="version"' in page and 'for="id_version"' not in page
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "region": enterprise.region_id,
        "industry_code": enterprise.industry_code,
        "above_size": "on",
        "status": enterprise.status,
        "address": enterprise.address,
        "contact_name": enterprise.contact_name,
        "contact_phone": enterprise.contact_phone,
        "version": version.group(1),
    }


def test_second_of_two_officers_saving_the_same_enterprise_gets_the_form_back() -> None:
    e = factories.enterprise(address="旧地址", contact_phone="0755-1")
    first = _login(authority("sz1", "440300"))
    second = _login(authority("sz2", "440300"))
    url = reverse("registry:enterprise-edit", args=[e.pk])
    data_1 = _form_data(first.get(url).content.decode(), e)
    data_2 = _form_data(second.get(url).content.decode(), e)

    response = first.post(url, {**data_1, "address": "深圳市南山区新地址"})
    assert response.status_code == 302
    response = second.post(url, {**data_2, "contact_phone": "0755-2"})

    assert response.status_code == 200
    body = response.content.decode()
    assert CONFLICT in body and "请重新加载后再保存" in body
    assert 'value="0755-2"' in body  # what the second officer typed is kept on the page
    e.refresh_from_db()
    assert (e.address, e.contact_phone, e.version) == ("深圳市南山区新地址", "0755-1", 2)
    updates = ObjectChange.objects.filter(
        content_type__model="enterprise", object_id=str(e.pk), action="update"
    )
    assert updates.count() == 1


def test_reloading_after_a_conflict_saves() -> None:
    e = factories.enterprise()
    client = _login(authority("sz1", "440300"))
    url = reverse("registry:enterprise-edit", args=[e.pk])
    stale = _form_data(client.get(url).content.decode(), e)
    Enterprise.objects.filter(pk=e.pk).update(version=5)  # someone else saved meanwhile
    assert client.post(url, {**stale, "address": "甲"}).status_code == 200
    e.refresh_from_db()
    fresh = _form_data(client.get(url).content.decode(), e)
    assert fresh["version"] == "5"
    assert client.post(url, {**fresh, "address": "甲"}).status_code == 302
    e.refresh_from_db()
    assert (e.address, e.version) == ("甲", 6)


def test_a_save_elsewhere_raises_the_version_so_an_open_form_is_refused() -> None:
    e = factories.enterprise()
    client = _login(authority("sz1", "440300"))
    url = reverse("registry:enterprise-edit", args=[e.pk])
    opened = _form_data(client.get(url).content.decode(), e)
    other = Enterprise.objects.get(pk=e.pk)
    other.contact_name = "管理员在后台改的"  # e.g. the Django admin: a plain save()
    other.save()
    assert other.version == 2
    response = client.post(url, {**opened, "contact_name": "表单里的"})
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    e.refresh_from_db()
    assert e.contact_name == "管理员在后台改的"


def test_a_save_racing_between_read_and_write_is_refused() -> None:
    """Simulates the race on SQLite: the service saves a copy whose version is no longer stored."""
    officer = authority("sz1", "440300")
    e = factories.enterprise(address="原址")
    copy_1 = Enterprise.objects.get(pk=e.pk)
    copy_2 = Enterprise.objects.get(pk=e.pk)
    data = {
        "uscc": e.uscc,
        "name": e.name,
        "region": e.region_id,
        "industry_code": e.industry_code,
        "status": e.status,
    }
    form_1 = forms.EnterpriseForm({**data, "address": "一"}, instance=copy_1)
    form_2 = forms.EnterpriseForm({**data, "address": "二"}, instance=copy_2)
    assert form_1.is_valid() and form_2.is_valid()
    services.save_form(officer, form_1, "change")
    with pytest.raises(StaleObject):
        services.save_form(officer, form_2, "change")  # no version sent: the loaded one counts
    e.refresh_from_db()
    assert e.address == "一"


def test_api_patch_with_a_stale_version_is_a_409() -> None:
    e = factories.enterprise(address="旧")
    first, second = APIClient(), APIClient()
    first.force_authenticate(authority("sz1", "440300"))
    second.force_authenticate(authority("sz2", "440300"))
    url = f"/api/enterprises/{e.pk}/"
    version = first.get(url).json()["version"]
    assert second.get(url).json()["version"] == version == 1

    response = first.patch(url, {"address": "新地址", "version": version}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    response = second.patch(url, {"contact_phone": "123", "version": version}, format="json")
    assert response.status_code == 409
    assert CONFLICT in str(response.json()) or "changed by someone else" in str(response.json())
    e.refresh_from_db()
    assert (e.address, e.contact_phone, e.version) == ("新地址", "", 2)

    # A write that names no version is accepted (documented: older clients) and bumps it.
    response = second.patch(url, {"contact_phone": "123"}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 3
    # The version itself cannot be set through the API.
    response = second.put(
        url,
        {**response.json(), "version": 3, "contact_phone": "456"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["version"] == 4


def test_schema_documents_version() -> None:
    client = APIClient()
    client.force_authenticate(authority("nat", None))
    schema = client.get("/api/schema/", {"format": "json"}).json()
    props = schema["components"]["schemas"]["Enterprise"]["properties"]
    assert props["version"]["type"] == "integer"


@pytest.mark.parametrize(
    ("model", "make", "data"),
    [
        ("park", factories.park, {"name": "改名园区", "kind": "other", "region": "440305"}),
        (
            "agency",
            factories.agency,
            {"name": "改名机构", "region": "440305", "address": "新址"},
        ),
        (
            "expert",
            factories.expert,
            {
                "name": "改名专家",
                "title": "senior",
                "region": "440305",
                "specialties": ["33"],
                "employer_kind": "other",
                "employer_name": "某大学",
            },
        ),
    ],
)
def test_every_registry_edit_form_carries_and_checks_the_version(model, make, data) -> None:
    obj = make()
    if model == "agency":
        data = {**data, "uscc": obj.uscc}
    client = _login(authority("sz1", "440300"))
    url = reverse(f"registry:{model}-edit", args=[obj.pk])
    shown = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode())
    assert shown and shown.group(1) == "1"
    type(obj).objects.filter(pk=obj.pk).update(version=2)  # another user saved meanwhile
    response = client.post(url, {**data, "version": "1"})
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    obj.refresh_from_db()
    assert obj.name != data["name"]
    response = client.post(url, {**data, "version": "2"})
    assert response.status_code == 302, response.content.decode()[:2000]
    obj.refresh_from_db()
    assert obj.name == data["name"] and obj.version == 3
