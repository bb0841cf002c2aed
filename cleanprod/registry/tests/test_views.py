import re

import pytest
from django.test import Client
from django.urls import reverse

from cleanprod.accounts.models import User
from cleanprod.industries.models import Industry
from cleanprod.registry.models import Enterprise
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db

USCC_RE = re.compile(r"<td[^>]*>([0-9A-Z]{18})</td>")


@pytest.fixture
def spread() -> dict[str, Enterprise]:
    return {
        "sz": factories.enterprise(region="440305", industry="3360", name="深圳电镀甲"),
        "gz": factories.enterprise(region="440106", industry="1340", name="广州制糖乙"),
        "bj": factories.enterprise(region="110105", industry="3360", name="北京电镀丙"),
        "xt": factories.enterprise(region="429004", industry="2621", name="仙桃氮肥丁"),
    }


def _names(client: Client, **params: str) -> set[str]:
    response = client.get(reverse("registry:enterprise-list"), params)
    assert response.status_code == 200
    return set(
        re.findall(r'<a href="/registry/enterprises/\d+/">([^<]+)</a>', response.content.decode())
    )


def test_filter_by_province_returns_only_enterprises_under_it(
    national_client: Client, spread: dict
) -> None:
    assert _names(national_client, region="440000") == {"深圳电镀甲", "广州制糖乙"}
    assert _names(national_client, region="440300") == {"深圳电镀甲"}
    assert _names(national_client, region="420000") == {"仙桃氮肥丁"}
    assert _names(national_client, region="999999") == set()
    assert len(_names(national_client)) == 4


def test_filter_by_industry_group_and_text(national_client: Client, spread: dict) -> None:
    assert _names(national_client, industry="33") == {"深圳电镀甲", "北京电镀丙"}
    assert _names(national_client, industry="C") == {
        "深圳电镀甲",
        "广州制糖乙",
        "北京电镀丙",
        "仙桃氮肥丁",
    }
    assert _names(national_client, group="twelfth-heavy-metal") == {"深圳电镀甲", "北京电镀丙"}
    assert _names(national_client, group="twelfth-major-pollutant") == {"广州制糖乙", "仙桃氮肥丁"}
    assert _names(national_client, q="制糖") == {"广州制糖乙"}
    assert _names(national_client, q=spread["bj"].uscc[:12]) == {"北京电镀丙"}
    assert _names(national_client, region="440000", group="twelfth-heavy-metal") == {"深圳电镀甲"}


def test_list_sorts_and_paginates(national_client: Client) -> None:
    for i in range(60):
        factories.enterprise(name=f"企业{i:02d}")
    url = reverse("registry:enterprise-list")
    first = national_client.get(url, {"sort": "name"}).content.decode()
    assert "企业00" in first and "企业59" not in first
    desc = national_client.get(url, {"sort": "-name"}).content.decode()
    assert "企业59" in desc and "企业00" not in desc
    second = national_client.get(url, {"sort": "name", "page": 2}).content.decode()
    assert "企业59" in second


def test_htmx_request_gets_only_the_results(national_client: Client, spread: dict) -> None:
    response = national_client.get(
        reverse("registry:enterprise-list"), {"region": "110000"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<nav" not in body and "北京电镀丙" in body and "深圳电镀甲" not in body


def test_cascade_preselects_the_chosen_region(national_client: Client) -> None:
    body = national_client.get(
        reverse("registry:enterprise-list"), {"region": "440305"}
    ).content.decode()
    assert re.search(r'<option value="440000" selected>', body)
    assert re.search(r'<option value="440300" selected>', body)
    assert re.search(r'<option value="440305" selected>', body)
    options = national_client.get(
        reverse("registry:region-children"), {"parent": "440000"}
    ).content.decode()
    assert '<option value="440300">深圳市</option>' in options


def test_detail_shows_derived_and_related(national_client: Client) -> None:
    park = factories.park(region="440305", name="南山示范园")
    e = factories.enterprise(region="440305", industry="3360", park=park)
    factories.expert(employer_kind="enterprise", employer_enterprise=e, name="王工")
    body = national_client.get(e.get_absolute_url()).content.decode()
    assert e.uscc in body and "广东省" in body and "深圳市" in body and "南山区" in body
    assert "南山示范园" in body and "王工" in body
    assert "重金属污染防控8行业" in body
    park_body = national_client.get(park.get_absolute_url()).content.decode()
    assert e.name in park_body


def test_other_lists_filter_by_region_and_specialty(national_client: Client) -> None:
    a1 = factories.agency(region="440305", name="深圳咨询")
    factories.agency(region="110105", name="北京咨询")
    a1.industry_scope.add(Industry.objects.get(code="33"))
    factories.expert(region="440305", name="粤专家").specialties.add(
        Industry.objects.get(code="26")
    )
    factories.expert(region="110105", name="京专家").specialties.add(
        Industry.objects.get(code="33")
    )
    factories.park(region="440305", name="粤园区")
    factories.park(region="110105", name="京园区")

    def names(url: str, **params: str) -> set[str]:
        body = national_client.get(reverse(url), params).content.decode()
        return set(re.findall(r'<a href="/registry/\w+/\d+/">([^<]+)</a>', body))

    assert names("registry:agency-list", region="440000") == {"深圳咨询"}
    assert names("registry:agency-list", industry="3360") == {"深圳咨询"}
    assert names("registry:agency-list", group="twelfth-heavy-metal") == {"深圳咨询"}
    assert names("registry:expert-list", industry="C") == {"粤专家", "京专家"}
    assert names("registry:expert-list", industry="26") == {"粤专家"}
    assert names("registry:expert-list", region="110000") == {"京专家"}
    assert names("registry:park-list", region="440300") == {"粤园区"}


@pytest.fixture
def officer(client: Client) -> Client:
    User.objects.create_superuser("admin", "a@example.org", "pw-for-tests-only")
    client.login(username="admin", password="pw-for-tests-only")
    return client


FORM = {
    "name": "新企业",
    "region": "440305",
    "industry_code": "3360",
    "status": "operating",
    "above_size": "on",
}


def test_form_refuses_wrong_check_character_with_field_error(officer: Client) -> None:
    response = officer.post(
        reverse("registry:enterprise-add"), {**FORM, "uscc": "9144030010001686XB"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-field="uscc"' in body and "校验码错误" in body
    assert not Enterprise.objects.exists()


def test_form_accepts_valid_code(officer: Client) -> None:
    response = officer.post(
        reverse("registry:enterprise-add"), {**FORM, "uscc": "9144030010001686xa"}
    )
    assert response.status_code == 302
    e = Enterprise.objects.get()
    assert e.uscc == "9144030010001686XA" and e.region_id == "440305"


def test_admin_refuses_wrong_check_character(officer: Client) -> None:
    url = reverse("admin:registry_enterprise_add")
    data = {**FORM, "uscc": "9144030010001686XB", "region": "440305"}
    response = officer.post(url, data)
    assert response.status_code == 200
    assert "校验码错误" in response.content.decode()
    assert not Enterprise.objects.exists()
    response = officer.post(url, {**data, "uscc": "9144030010001686XA"})
    assert (
        response.status_code == 302
        and Enterprise.objects.filter(uscc="9144030010001686XA").exists()
    )


def test_editing_needs_permission(client: Client) -> None:
    response = client.get(reverse("registry:enterprise-add"))
    assert response.status_code == 302 and "login" in response["Location"]
    User.objects.create_user("nobody", password="pw-for-tests-only")  # no party: no rights
    client.login(username="nobody", password="pw-for-tests-only")
    assert client.get(reverse("registry:enterprise-add")).status_code == 403


def test_pages_render(client: Client) -> None:
    for url in [
        "/",
        "/regions/",
        "/regions/440300/",
        "/industries/",
        "/industries/groups/twelfth-heavy-metal/",
        "/registry/parks/",
        "/registry/agencies/",
        "/registry/experts/",
    ]:
        assert client.get(url).status_code == 200, url


def test_parks_filter_by_their_members_industry(national_client: Client) -> None:
    plating = factories.park(region="440305", name="电镀园")
    sugar = factories.park(region="440106", name="制糖园")
    factories.enterprise(region="440305", industry="3360", park=plating)
    factories.enterprise(region="440106", industry="1340", park=sugar)

    def names(**params: str) -> set[str]:
        body = national_client.get(reverse("registry:park-list"), params).content.decode()
        return set(re.findall(r'<a href="/registry/parks/\d+/">([^<]+)</a>', body))

    assert names(industry="33") == {"电镀园"}
    assert names(industry="C") == {"电镀园", "制糖园"}
    assert names(group="twelfth-major-pollutant") == {"制糖园"}
    assert names(q="制糖") == {"制糖园"}
