"""An agency's staff and certificates, kept by the agency itself and by the authority of its
region: form and .xlsx import (one bad row named, nothing written)."""

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
from cleanprod.registry.models import AgencyStaff
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def _xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "培训证书编号", "证书有效期至"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("staff.xlsx", out.getvalue())


@pytest.fixture
def agency() -> Any:
    return factories.agency("440304", name="绿源咨询", published=True)


def test_agency_adds_its_own_staff(agency: Any) -> None:
    account = user("ag", party="agency", agency=agency)
    c = _client(account)
    assert c.get(f"/registry/agencies/{agency.pk}/staff/").status_code == 200
    response = c.post(
        f"/registry/agencies/{agency.pk}/staff/",
        {"name": "王审核", "certificate_no": "QJ-1", "certificate_valid_until": "2025-01-01"},
    )
    assert response.status_code == 302
    member = AgencyStaff.objects.get()
    assert (member.agency, member.name) == (agency, "王审核")
    assert ObjectChange.objects.filter(user=account, content_type__model="agencystaff").exists()
    page = c.get(f"/registry/agencies/{agency.pk}/staff/").content.decode()
    assert "QJ-1" in page and "bg-danger" in page  # the expired certificate is flagged
    response = c.post(
        f"/registry/agencies/{agency.pk}/staff/{member.pk}/edit/",
        {
            "name": "王审核",
            "certificate_no": "QJ-1",
            "certificate_valid_until": "2029-01-01",
            "version": member.version,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.certificate_valid_until == dt.date(2029, 1, 1)


def test_others_cannot_add(agency: Any) -> None:
    other = user("ag2", party="agency", agency=factories.agency("440304", published=True))
    response = _client(other).post(
        f"/registry/agencies/{agency.pk}/staff/", {"name": "李", "certificate_no": "X"}
    )
    assert response.status_code == 403
    bj = _client(authority("bj", "110000"))
    assert bj.post(
        f"/registry/agencies/{agency.pk}/staff/", {"name": "李", "certificate_no": "X"}
    ).status_code in (403, 404)
    assert not AgencyStaff.objects.exists()


def test_authority_imports_staff(agency: Any) -> None:
    c = _client(authority("sz", "440300"))
    upload = _xlsx([["王审核", "QJ-1", dt.date(2028, 1, 1)], ["李审核", "QJ-2", None]])
    response = c.post(f"/registry/agencies/{agency.pk}/staff/", {"file": upload})
    assert response.status_code == 302, response.context and response.context["errors"]
    assert set(AgencyStaff.objects.values_list("certificate_no", "certificate_valid_until")) == {
        ("QJ-1", dt.date(2028, 1, 1)),
        ("QJ-2", None),
    }


def test_import_one_bad_row_named_nothing_written(agency: Any) -> None:
    AgencyStaff.objects.create(agency=agency, name="旧", certificate_no="QJ-9")
    c = _client(authority("sz", "440300"))
    upload = _xlsx([["王审核", "QJ-1", "2028-01-01"], ["李审核", "QJ-9", None]])
    response = c.post(f"/registry/agencies/{agency.pk}/staff/", {"file": upload})
    errors = response.context["errors"]
    assert len(errors) == 1 and "3" in errors[0] and "培训证书编号" in errors[0]
    assert list(AgencyStaff.objects.values_list("certificate_no", flat=True)) == ["QJ-9"]
