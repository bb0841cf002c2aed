"""Engagements in the web UI: an enterprise engages an agency found by name, an authority records
them in its region (form and .xlsx, one bad row named, nothing written), either ends one."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.changelog.models import ObjectChange
from cleanprod.registry.models import Engagement
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db

HEADER = [
    "咨询机构（名称或统一社会信用代码）",
    "企业（名称或统一社会信用代码）",
    "开始日期",
    "备注",
]


def _client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def _xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("engagements.xlsx", out.getvalue())


@pytest.fixture
def place() -> dict[str, Any]:
    ent = factories.enterprise("440305", name="深圳甲公司")
    return {
        "ent": ent,
        "b": factories.enterprise("440305", name="深圳乙公司"),
        "gz": factories.enterprise("440106", name="广州丙公司"),
        "agency": factories.agency("440304", name="绿源咨询", published=True),
        "hidden": factories.agency("440304", name="未备案咨询"),
        "officer": authority("sz", "440300"),
        "ent_user": user("ent", party="enterprise", enterprise=ent),
    }


def test_enterprise_engages_an_agency_found_by_name(place: dict[str, Any]) -> None:
    c = _client(place["ent_user"])
    assert c.get("/registry/engagements/add/").status_code == 200
    response = c.post(
        "/registry/engagements/add/", {"agency": "绿源咨询", "start_date": "2026-02-01"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    engagement = Engagement.objects.get()
    assert (engagement.agency, engagement.enterprise) == (place["agency"], place["ent"])
    assert ObjectChange.objects.filter(
        user=place["ent_user"], content_type__model="engagement"
    ).exists()
    # Also by USCC; an unpublished, unfiled agency is not found.
    response = c.post(
        "/registry/engagements/add/", {"agency": place["hidden"].name, "start_date": "2026-02-01"}
    )
    assert response.status_code == 200 and Engagement.objects.count() == 1
    # Already served: refused.
    response = c.post(
        "/registry/engagements/add/",
        {"agency": place["agency"].uscc, "start_date": "2026-03-01"},
    )
    assert response.status_code == 200 and Engagement.objects.count() == 1


def test_enterprise_ends_its_engagement(place: dict[str, Any]) -> None:
    e = Engagement.objects.create(
        agency=place["agency"], enterprise=place["ent"], start_date=dt.date(2026, 1, 1)
    )
    c = _client(place["ent_user"])
    assert (
        c.post(f"/registry/engagements/{e.pk}/end/", {"end_date": "2025-12-01"}).status_code == 200
    )
    e.refresh_from_db()
    assert e.end_date is None  # before the start: refused
    response = c.post(
        f"/registry/engagements/{e.pk}/end/", {"end_date": "2026-06-30", "version": e.version}
    )
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.end_date == dt.date(2026, 6, 30)


def test_officer_records_in_its_region_only(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    ok = c.post(
        "/registry/engagements/add/",
        {"agency": "绿源咨询", "enterprise": place["b"].uscc, "start_date": "2026-02-01"},
    )
    assert ok.status_code == 302
    refused = c.post(
        "/registry/engagements/add/",
        {"agency": "绿源咨询", "enterprise": place["gz"].uscc, "start_date": "2026-02-01"},
    )
    assert refused.status_code == 200
    assert "enterprise" in refused.context["form"].errors
    assert list(Engagement.objects.values_list("enterprise__name", flat=True)) == ["深圳乙公司"]


def test_agency_cannot_record(place: dict[str, Any]) -> None:
    agency_user = user("ag", party="agency", agency=place["agency"])
    assert _client(agency_user).get("/registry/engagements/add/").status_code == 403


def test_xlsx_import(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    upload = _xlsx(
        [
            ["绿源咨询", place["ent"].uscc, dt.date(2026, 1, 5), "年度审核"],
            [place["agency"].uscc, "深圳乙公司", "2026-02-01", None],
        ]
    )
    response = c.post("/registry/engagements/import/", {"file": upload})
    assert response.status_code == 302, response.context and response.context["errors"]
    assert set(Engagement.objects.values_list("enterprise__name", "start_date")) == {
        ("深圳甲公司", dt.date(2026, 1, 5)),
        ("深圳乙公司", dt.date(2026, 2, 1)),
    }


def test_xlsx_one_bad_row_named_nothing_written(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    upload = _xlsx(
        [
            ["绿源咨询", place["ent"].uscc, "2026-01-05", None],
            ["绿源咨询", place["gz"].uscc, "2026-01-05", None],  # row 3: outside Shenzhen
            ["绿源咨询", "深圳乙公司", "2026-01-05", None],
        ]
    )
    response = c.post("/registry/engagements/import/", {"file": upload})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert len(errors) == 1
    assert "3" in errors[0] and "企业（名称或统一社会信用代码）" in errors[0]
    assert not Engagement.objects.exists()


def test_enterprise_page_links_to_engagements(place: dict[str, Any]) -> None:
    page = _client(place["officer"]).get(f"/registry/enterprises/{place['ent'].pk}/")
    assert f"/registry/engagements/?enterprise={place['ent'].pk}" in page.content.decode()
