"""Users: administrators manage the users of their region's subtree; everyone sees themselves."""

import pytest
from rest_framework.test import APIClient

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def test_user_scope_by_role_and_region():
    gd_ent = factories.enterprise(region="440305")
    bj_ent = factories.enterprise(region="110105")
    users = {
        "national": authority("national", None, role="administrator"),
        "gd_admin": authority("gd_admin", "440000", role="administrator"),
        "gd_officer": authority("gd_officer", "440000", role="officer"),
        "sz_viewer": authority("sz_viewer", "440300", role="viewer"),
        "bj_officer": authority("bj_officer", "110000", role="officer"),
        "gd_company": user("gd_company", party="enterprise", enterprise=gd_ent),
        "bj_company": user("bj_company", party="enterprise", enterprise=bj_ent),
    }
    expected = {
        "national": set(users),
        "gd_admin": {"gd_admin", "gd_officer", "sz_viewer", "gd_company"},
        "gd_officer": {"gd_officer"},
        "sz_viewer": {"sz_viewer"},
        "gd_company": {"gd_company"},
    }
    for who, sees in expected.items():
        client = APIClient()
        client.force_authenticate(users[who])
        names = {
            r["username"] for r in client.get("/api/users/", {"page_size": 100}).json()["results"]
        }
        assert names == sees, who
    assert APIClient().get("/api/users/").json()["count"] == 0

    admin = APIClient()
    admin.force_authenticate(users["gd_admin"])
    created = admin.post(
        "/api/users/",
        {
            "username": "gd_new",
            "password": "A-strong-pass-2026",
            "party": "authority",
            "region": "440300",
            "department": "mee",
            "role": "viewer",
        },
        format="json",
    )
    assert created.status_code == 201
    outside = admin.post(
        "/api/users/",
        {
            "username": "bj_new",
            "password": "A-strong-pass-2026",
            "party": "authority",
            "region": "110000",
            "department": "mee",
            "role": "viewer",
        },
        format="json",
    )
    assert outside.status_code == 403
    assert (
        admin.patch(
            f"/api/users/{users['bj_officer'].pk}/", {"role": "administrator"}, format="json"
        ).status_code
        == 404
    )
    officer = APIClient()
    officer.force_authenticate(users["gd_officer"])
    assert officer.patch(
        f"/api/users/{users['sz_viewer'].pk}/", {"role": "officer"}, format="json"
    ).status_code in (403, 404)
    weak = admin.post(
        "/api/users/",
        {
            "username": "weak",
            "password": "123",
            "party": "authority",
            "region": "440300",
            "department": "mee",
            "role": "viewer",
        },
        format="json",
    )
    assert weak.status_code == 400 and "password" in weak.json()
