"""Login lock-out (django-axes) on every login path, keyed on the account, address-safe."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from cleanprod.accounts.tests.factories import PASSWORD, user
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def axes_on(settings: Any) -> None:
    """The test settings turn axes off (Client.login passes no request); these tests need it."""
    settings.AXES_ENABLED = True


LOCKED = "登录失败次数过多"


def web_login(username: str, password: str, address: str, **meta: str) -> Client:
    client = Client(REMOTE_ADDR=address, **meta)
    client.response = client.post(  # type: ignore[attr-defined]
        "/accounts/login/", {"username": username, "password": password}
    )
    return client


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(username: str, address: str, times: int, **meta: str) -> None:
    for _ in range(times):
        web_login(username, "wrong-password", address, **meta)


def test_admin_login_is_locked_out_too() -> None:
    user("staff_member", is_staff=True, is_superuser=True)
    admin = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        admin.post("/admin/login/", {"username": "staff_member", "password": "wrong"})
    response = admin.post("/admin/login/", {"username": "staff_member", "password": PASSWORD})
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(admin)


def test_failures_on_one_path_count_on_the_others() -> None:
    user("mixed")
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        assert api.post("/api/token/", {"username": "mixed", "password": "x"}).status_code == 400
    Client(REMOTE_ADDR="10.0.0.1").post("/admin/login/", {"username": "mixed", "password": "x"})
    fail("mixed", "10.0.0.1", 1)
    response = api.post("/api/token/", {"username": "mixed", "password": PASSWORD})
    assert response.status_code == 429 and LOCKED in response.json()["detail"]
    assert not logged_in(web_login("mixed", PASSWORD, "10.0.0.1"))


def test_one_address_cannot_lock_another_account_or_the_attacked_account_elsewhere() -> None:
    user("victim")
    user("bystander")
    fail("victim", "10.0.0.66", 30)
    # The attacking address is blocked for the account it tried ...
    blocked = web_login("victim", PASSWORD, "10.0.0.66")
    assert blocked.response.status_code == 429 and not logged_in(blocked)  # type: ignore[attr-defined]
    # ... but not for other accounts, and the account's owner elsewhere still logs in.
    assert logged_in(web_login("bystander", PASSWORD, "10.0.0.66"))
    assert logged_in(web_login("victim", PASSWORD, "10.0.0.7"))


def test_the_account_locks_after_failures_from_several_addresses() -> None:
    user("target")
    fail("target", "10.0.1.1", 5)
    fail("target", "10.0.1.2", 5)
    client = web_login("target", PASSWORD, "10.0.9.9")
    assert client.response.status_code == 429 and not logged_in(client)  # type: ignore[attr-defined]
    assert LOCKED in client.response.content.decode()  # type: ignore[attr-defined]


def test_uscc_and_username_are_one_account() -> None:
    e = factories.enterprise()
    user("ent_login", party="enterprise", enterprise=e)
    fail(e.uscc, "10.0.2.1", 5)
    assert not logged_in(web_login("ent_login", PASSWORD, "10.0.2.1"))
    assert logged_in(web_login(e.uscc, PASSWORD, "10.0.2.2"))


def test_behind_a_proxy_the_trusted_header_tells_clients_apart() -> None:
    user("proxied")
    proxy = "127.0.0.1"  # every request arrives from the reverse proxy
    with override_settings(CLEANPROD_TRUSTED_PROXY_HEADER="HTTP_X_REAL_IP"):
        fail("proxied", proxy, 5, HTTP_X_REAL_IP="203.0.113.5")
        assert not logged_in(web_login("proxied", PASSWORD, proxy, HTTP_X_REAL_IP="203.0.113.5"))
        assert logged_in(web_login("proxied", PASSWORD, proxy, HTTP_X_REAL_IP="198.51.100.9"))


def test_without_a_trusted_header_a_client_cannot_pick_its_address() -> None:
    user("spoofer_target")
    for i in range(5):
        fail("spoofer_target", "10.0.3.1", 1, HTTP_X_REAL_IP=f"198.51.100.{i}")
    client = web_login("spoofer_target", PASSWORD, "10.0.3.1", HTTP_X_REAL_IP="198.51.100.77")
    assert not logged_in(client)


def test_logouts_work_with_the_lockout_on() -> None:
    user("leaver")
    client = web_login("leaver", PASSWORD, "10.0.4.1")
    assert logged_in(client)
    assert client.post("/accounts/logout/").status_code == 302 and not logged_in(client)
    api = APIClient(REMOTE_ADDR="10.0.4.1")
    token = api.post("/api/token/", {"username": "leaver", "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post("/api/token/logout-all/").status_code == 204
    assert api.post("/api/token/logout/").status_code == 401
