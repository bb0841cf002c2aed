"""The REST API as other government systems use it: tokens, scope, filters, history, errors."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from cleanprod.accounts.models import User
from cleanprod.accounts.tests.factories import PASSWORD, authority, user
from cleanprod.demo.users import demo_password
from cleanprod.registry.models import Engagement, Enterprise
from cleanprod.registry.policies import active_engagement_q
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def token_for(client: APIClient, username: str, password: str) -> str:
    response = client.post("/api/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.json()
    token: str = response.json()["token"]
    return token


@pytest.fixture
def demo() -> None:
    call_command("demo", "--enterprises", "1500", "--seed", "3", stdout=StringIO())


def test_demo_users_scope_by_token(demo: None) -> None:
    client = APIClient()
    gd = token_for(client, "demo_guangdong", demo_password())
    client.credentials(HTTP_AUTHORIZATION=f"Token {gd}")
    body = client.get("/api/enterprises/", {"region": "440300", "page_size": 1000}).json()
    assert body["count"] > 0 and body["count"] == len(body["results"])
    assert all(r["region"].startswith("4403") for r in body["results"])
    assert (
        body["count"]
        == Enterprise.objects.filter(region_id__gte="4403", region_id__lt="4404").count()
    )
    everything = client.get("/api/enterprises/", {"page_size": 1}).json()["count"]
    assert everything == Enterprise.objects.filter(region_id__gte="44", region_id__lt="45").count()

    sz = token_for(APIClient(), "demo_shenzhen", demo_password())
    client.credentials(HTTP_AUTHORIZATION=f"Token {sz}")
    assert client.get("/api/enterprises/", {"region": "110000"}).json()["count"] == 0
    assert client.get("/api/enterprises/", {"region": "440000"}).json()["count"] == body["count"]


def test_demo_enterprise_and_agency_users(demo: None) -> None:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {token_for(client, 'demo_enterprise', demo_password())}"
    )
    own = client.get("/api/enterprises/").json()
    assert own["count"] == 1
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {token_for(client, 'demo_agency', demo_password())}"
    )
    served = client.get("/api/enterprises/").json()
    agency = User.objects.get(username="demo_agency").agency
    clients = set(
        Engagement.objects.filter(active_engagement_q(), agency=agency).values_list(
            "enterprise_id", flat=True
        )
    )
    assert served["count"] == len(clients) >= 1
    assert own["results"][0]["id"] in {r["id"] for r in served["results"]}


def test_objects_carry_their_codes() -> None:
    e = factories.enterprise(region="440305", industry="3360")
    client = APIClient()
    client.force_authenticate(authority("n", None))
    row = client.get(f"/api/enterprises/{e.pk}/").json()
    assert row["uscc"] == e.uscc and row["region"] == "440305" and row["province"] == "440000"
    assert row["industry_code"] == "3360" and "twelfth-heavy-metal" in row["industry_groups"]
    region = client.get("/api/regions/440305/").json()
    assert region == {
        "code": "440305",
        "name": "南山区",
        "full_name": "广东省深圳市南山区",
        "level": 3,
        "parent": "440300",
    }


def test_api_update_is_in_history_with_before_after_and_user() -> None:
    e = factories.enterprise(region="440305", name="旧名称")
    client = APIClient()
    officer = authority("gd_officer", "440000")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(client, 'gd_officer', PASSWORD)}")
    response = client.patch(f"/api/enterprises/{e.pk}/", {"name": "新名称"}, format="json")
    assert response.status_code == 200
    history = client.get(f"/api/enterprises/{e.pk}/history/").json()
    update = next(h for h in history if h["action"] == "update")
    assert update["prechange"]["name"] == "旧名称" and update["postchange"]["name"] == "新名称"
    assert update["user"] == officer.pk and update["user_name"] == "gd_officer"
    assert update["source"] == "api" and update["region_code"] == "440305"
    log = client.get("/api/changes/", {"request_id": update["request_id"]}).json()
    assert log["count"] == 1


def test_write_moving_object_out_of_scope_is_refused_and_rolled_back() -> None:
    e = factories.enterprise(region="440305", name="原企业")
    client = APIClient()
    client.force_authenticate(authority("sz_officer", "440300"))
    response = client.patch(
        f"/api/enterprises/{e.pk}/", {"region": "110105", "name": "搬走"}, format="json"
    )
    assert response.status_code == 403
    e.refresh_from_db()
    assert (e.region_id, e.name) == ("440305", "原企业")
    from cleanprod.changelog.models import ObjectChange

    assert not ObjectChange.objects.filter(object_id=str(e.pk), action="update").exists()


def test_errors_are_json_with_field_messages() -> None:
    client = APIClient()
    client.force_authenticate(authority("n2", None))
    response = client.post(
        "/api/enterprises/",
        {"uscc": "9144030010001686XB", "name": "坏", "region": "440300", "industry_code": "99"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert "校验码错误" in errors["uscc"][0]
    assert "industry_code" in errors
    response = client.post(
        "/api/enterprises/",
        {"uscc": "9144030010001686XA", "name": "好", "region": "440300", "industry_code": "3360"},
        format="json",
    )
    assert response.status_code == 400 and "region" in response.json()  # not a county


def test_pagination_shape_and_cap() -> None:
    for _ in range(5):
        factories.enterprise()
    client = APIClient()
    client.force_authenticate(authority("n3", None))
    body = client.get("/api/enterprises/", {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5 and len(body["results"]) == 2 and "page=2" in body["next"]
    assert client.get("/api/enterprises/", {"page_size": 5000}).json()["count"] == 5


@override_settings(AXES_ENABLED=True)
def test_token_login_and_lockout() -> None:
    user("locked_user")
    client = APIClient()
    assert (
        client.post("/api/token/", {"username": "locked_user", "password": "wrong"}).status_code
        == 400
    )
    for _ in range(4):
        client.post("/api/token/", {"username": "locked_user", "password": "wrong"})
    assert (
        client.post("/api/token/", {"username": "locked_user", "password": PASSWORD}).status_code
        == 429
    )


def test_enterprise_account_may_log_in_with_its_uscc(client) -> None:
    e = factories.enterprise()
    user("ent_account", party="enterprise", enterprise=e)
    api = APIClient()
    assert api.post("/api/token/", {"username": e.uscc, "password": PASSWORD}).status_code == 200
    response = client.post("/accounts/login/", {"username": e.uscc.lower(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/registry/enterprises/").content.decode().count(e.name) >= 1


@override_settings(AXES_ENABLED=True)
def test_web_login_locks_after_repeated_failures(client) -> None:
    user("web_user")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "web_user", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "web_user", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert "次数过多" in response.content.decode() or "Too many" in response.content.decode()
