"""Optimistic locking on every writable API endpoint: a stale ``version`` is a 409."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from cleanprod.accounts.tests.factories import authority
from cleanprod.registry.models import Engagement
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _engagement() -> Engagement:
    return Engagement.objects.create(
        agency=factories.agency(), enterprise=factories.enterprise(), start_date=dt.date(2025, 1, 1)
    )


CASES: list[tuple[str, Callable[[], Any], str, str]] = [
    ("enterprises", factories.enterprise, "address", "contact_name"),
    ("parks", factories.park, "description", "name"),
    ("agencies", factories.agency, "address", "contact_phone"),
    ("experts", factories.expert, "phone", "email"),
    ("engagements", _engagement, "note", "end_date"),
    (
        "users",
        lambda: authority("someone", "440300", role="viewer"),
        "first_name",
        "email",
    ),
]
VALUES = {"end_date": "2026-01-01", "email": "a@example.org"}


@pytest.mark.parametrize(("endpoint", "make", "field_1", "field_2"), CASES)
def test_second_patch_with_the_same_version_is_a_409(endpoint, make, field_1, field_2) -> None:
    obj = make()
    admin = authority("nat_admin", None, role="administrator")
    first, second = APIClient(), APIClient()
    first.force_authenticate(admin)
    second.force_authenticate(admin)
    url = f"/api/{endpoint}/{obj.pk}/"
    version = first.get(url).json()["version"]

    response = first.patch(url, {field_1: "第一", "version": version}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == version + 1
    value = VALUES.get(field_2, "第二")
    response = second.patch(url, {field_2: value, "version": version}, format="json")
    assert response.status_code == 409, response.content
    assert "detail" in response.json()
    obj.refresh_from_db()
    assert getattr(obj, field_1) == "第一" and getattr(obj, field_2) != value


def test_schema_documents_the_version_and_the_409() -> None:
    client = APIClient()
    client.force_authenticate(authority("nat", None))
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "version" in schema["components"]["schemas"]["Enterprise"]["properties"]
    patch = schema["paths"]["/api/enterprises/{id}/"]["patch"]
    assert "409" in patch["responses"]
