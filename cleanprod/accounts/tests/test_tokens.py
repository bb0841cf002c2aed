"""API tokens (django-rest-knox): expiry, hashing, revocation; and API throttling (429)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from cleanprod.accounts.models import User
from cleanprod.accounts.tests.factories import PASSWORD, authority, user

pytestmark = pytest.mark.django_db


def login(username: str, password: str = PASSWORD) -> str:
    response = APIClient().post("/api/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    token: str = response.json()["token"]
    return token


def authorised(token: str) -> bool:
    """Whether the API accepts ``token`` (logout needs a valid token, and revokes nothing else
    when the token is invalid: a 401 means refused)."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    # An invalid token is refused outright, even on endpoints open to anonymous reads.
    return api.get("/api/regions/", {"page_size": 1}).status_code == 200


def test_token_contract_expiry_and_hash_at_rest(settings: Any) -> None:
    user("alice")
    response = APIClient().post("/api/token/", {"username": "alice", "password": PASSWORD})
    body = response.json()
    assert response.status_code == 200 and set(body) == {"token", "expiry"}
    expiry = parse_datetime(body["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert expiry is not None and abs(expiry - (timezone.now() + ttl)) < timedelta(minutes=1)
    stored = AuthToken.objects.get()
    # Only a digest and a short prefix are stored, never the token itself.
    assert body["token"] not in {stored.digest, stored.token_key}
    assert body["token"].startswith(stored.token_key) and len(stored.digest) >= 64
    assert authorised(body["token"])


def test_every_login_gets_a_new_token() -> None:
    user("bob")
    assert login("bob") != login("bob")
    assert AuthToken.objects.filter(user__username="bob").count() == 2


def test_expired_token_is_refused() -> None:
    user("carol")
    token = login("carol")
    assert authorised(token)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert not authorised(token)


def test_password_change_through_the_api_revokes_all_tokens() -> None:
    carol = authority("carol_api", "440300")
    first, second = login("carol_api"), login("carol_api")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    response = api.patch(f"/api/users/{carol.pk}/", {"password": "N3w-Pass-for-Carol!"})
    assert response.status_code == 200, response.content
    assert not authorised(first) and not authorised(second)
    assert not AuthToken.objects.filter(user=carol).exists()
    assert authorised(login("carol_api", "N3w-Pass-for-Carol!"))


def test_password_change_in_the_admin_revokes_all_tokens() -> None:
    target = user("dave")
    token = login("dave")
    root = user("root_admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    response = client.post(
        f"/admin/accounts/user/{target.pk}/password/",
        {"password1": "An0ther-Secret-Pass", "password2": "An0ther-Secret-Pass"},
    )
    assert response.status_code == 302, response.content
    assert not authorised(token)


def test_set_password_anywhere_revokes_tokens_but_other_saves_do_not() -> None:
    erin = user("erin")
    token = login("erin")
    erin.first_name = "Erin"
    erin.save()
    assert authorised(token)
    erin.set_password("Yet-An0ther-Pass")
    erin.save()
    assert not authorised(token)


def test_logout_revokes_this_token_and_logout_all_every_token() -> None:
    user("frank")
    one, two, three = login("frank"), login("frank"), login("frank")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {one}")
    assert api.post("/api/token/logout/").status_code == 204
    assert not authorised(one) and authorised(two) and authorised(three)
    api.credentials(HTTP_AUTHORIZATION=f"Token {two}")
    assert api.post("/api/token/logout-all/").status_code == 204
    assert not authorised(two) and not authorised(three)


def test_administrator_revokes_a_users_tokens_only_within_scope() -> None:
    admin = authority("sz_admin", "440300", role="administrator")
    officer = authority("sz_officer", "440300")
    outsider = authority("bj_officer", "110000")
    officer_token, outsider_token = login("sz_officer"), login("bj_officer")
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post(f"/api/users/{officer.pk}/revoke-tokens/")
    assert response.status_code == 200 and response.json() == {"revoked": 1}
    assert not authorised(officer_token)
    assert api.post(f"/api/users/{outsider.pk}/revoke-tokens/").status_code in {403, 404}
    assert authorised(outsider_token)
    # A plain officer cannot revoke a colleague's tokens.
    colleague_token = login("sz_admin")
    api.force_authenticate(officer)
    assert api.post(f"/api/users/{admin.pk}/revoke-tokens/").status_code in {403, 404}
    assert authorised(colleague_token)
    assert User.objects.filter(pk=admin.pk).exists()


@pytest.fixture
def small_rates(settings: Any) -> None:
    """Real throttling with small rates (the test settings raise them for every other test)."""
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min", "token": "2/min"},
    }
    yield
    cache.clear()


def test_anonymous_burst_gets_429_with_retry_after(small_rates: None) -> None:
    api = APIClient(REMOTE_ADDR="10.1.0.1")
    codes = [api.get("/api/regions/", {"page_size": 1}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    response = api.get("/api/regions/", {"page_size": 1})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    # Another client address has its own budget.
    assert APIClient(REMOTE_ADDR="10.1.0.2").get("/api/regions/").status_code == 200


def test_user_burst_gets_429(small_rates: None) -> None:
    user("grace")
    token = login("grace")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    codes = [api.get("/api/regions/", {"page_size": 1}).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]


def test_token_endpoint_has_a_stricter_scope(small_rates: None) -> None:
    user("heidi")
    api = APIClient(REMOTE_ADDR="10.1.0.3")
    codes = [
        api.post("/api/token/", {"username": "heidi", "password": PASSWORD}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
