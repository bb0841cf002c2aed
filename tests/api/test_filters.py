"""Out-of-range numbers in filters are refused as field errors, never server errors."""

import pytest
from rest_framework.test import APIClient

from cleanprod.accounts.tests.factories import authority

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/enterprises/", "park"),
        ("/api/audits/", "year"),
        ("/api/audits/", "agency"),
        ("/api/audits/", "enterprise"),
        ("/api/rosters/", "year"),
        ("/api/options/", "audit"),
    ],
)
@pytest.mark.parametrize("value", ["-1.1340515914848493e+48", "99999999999999999999999", "1.5"])
def test_huge_or_fractional_numbers_are_a_400(url: str, param: str, value: str) -> None:
    client = APIClient()
    client.force_authenticate(authority("n", None))
    response = client.get(url, {param: value})
    assert response.status_code == 400, (url, param, value, response.status_code)
    assert param in response.json()


def test_nul_characters_are_a_400_not_a_database_error() -> None:
    client = APIClient()
    client.force_authenticate(authority("n2", None))
    assert client.get("/api/enterprises/", {"q": "a\x00b"}).status_code == 400
    response = client.post("/api/experts/", {"name": "x", "specialties": ["E\x00"]}, format="json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    assert client.get("/registry/enterprises/?q=%00").status_code == 400
