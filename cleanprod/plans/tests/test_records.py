"""Production capacities and technology adoptions entered by an authority: form and .xlsx import
(one bad row named, nothing written), scoped to its region."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.changelog.models import ObjectChange
from cleanprod.plans.models import Adoption, EnterpriseCapacity, Technology
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def _xlsx(header: list[str], rows: list[list[Any]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("records.xlsx", out.getvalue())


@pytest.fixture
def place() -> dict[str, Any]:
    return {
        "officer": authority("sz", "440300"),
        "a": factories.enterprise("440305", name="深圳甲公司"),
        "gz": factories.enterprise("440106", name="广州丙公司"),
        "tech": Technology.objects.create(
            slug="t-ecf", name="无元素氯漂白", stage="promote", published=True
        ),
    }


def test_officer_records_capacity_and_adoption(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    assert c.get("/plans/records/").status_code == 200
    response = c.post(
        "/plans/records/capacity/add/",
        {"enterprise": place["a"].name, "year": "2025", "capacity": "10000", "unit": "t/a"},
    )
    assert response.status_code == 302
    cap = EnterpriseCapacity.objects.get()
    assert (cap.enterprise, cap.region_id, cap.capacity) == (place["a"], "440305", Decimal(10000))
    response = c.post(
        "/plans/records/adoption/add/",
        {
            "enterprise": place["a"].uscc,
            "technology": "无元素氯漂白",
            "year": "2025",
            "capacity": "4000",
        },
    )
    assert response.status_code == 302
    assert Adoption.objects.get().technology == place["tech"]
    assert ObjectChange.objects.filter(
        user=place["officer"], content_type__model="adoption"
    ).exists()
    # Outside the officer's region: refused, nothing written.
    response = c.post(
        "/plans/records/capacity/add/",
        {"enterprise": place["gz"].uscc, "year": "2025", "capacity": "1", "unit": "t/a"},
    )
    assert response.status_code == 200 and EnterpriseCapacity.objects.count() == 1


def test_enterprise_cannot_record(place: dict[str, Any]) -> None:
    ent = _client(user("ent", party="enterprise", enterprise=place["a"]))
    assert ent.get("/plans/records/capacity/add/").status_code == 403


def test_xlsx_import_and_bad_row(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    header = ["统一社会信用代码", "技术（名称或标识）", "年份", "覆盖产能"]
    bad = _xlsx(
        header,
        [
            [place["a"].uscc, "t-ecf", 2025, 4000],
            [place["a"].uscc, "不存在的技术", 2025, 100],
        ],
    )
    response = c.post("/plans/records/adoption/import/", {"file": bad})
    errors = response.context["errors"]
    assert len(errors) == 1 and "3" in errors[0] and "技术（名称或标识）" in errors[0]
    assert not Adoption.objects.exists()
    good = _xlsx(header, [[place["a"].uscc, "t-ecf", 2025, 4000]])
    response = c.post("/plans/records/adoption/import/", {"file": good})
    assert response.status_code == 302
    assert Adoption.objects.get().capacity == Decimal(4000)


def test_capacity_import_refuses_the_same_year_twice(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    upload = _xlsx(
        ["统一社会信用代码", "起始年份", "产能", "单位"],
        [[place["a"].uscc, 2025, 10, "t/a"], [place["a"].uscc, 2025, 20, "t/a"]],
    )
    response = c.post("/plans/records/capacity/import/", {"file": upload})
    errors = response.context["errors"]
    assert len(errors) == 1 and "3" in errors[0]
    assert not EnterpriseCapacity.objects.exists()
