"""Roster facts entered by an authority: the form (with its evidence document) and the .xlsx
import (one bad row named, nothing written); a recorded exceedance puts the enterprise on the
proposed roster with its rule."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cleanprod.audits.models import EmissionExceedance, EnergyExceedance, SubstanceRecord
from cleanprod.audits.services import rosters
from cleanprod.audits.tests import fixtures
from cleanprod.changelog.models import ObjectChange
from cleanprod.regions.models import Region
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


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
    return SimpleUploadedFile("facts.xlsx", out.getvalue())


EXCEEDANCE = {
    "year": "2025",
    "kind": "standard",
    "pollutant": "总铬",
    "value": "1.2",
    "limit": "1.0",
    "unit": "mg/L",
    "evidence": "在线监测 2025-05",
}


def test_officer_records_exceedance_and_proposal_lists_the_enterprise() -> None:
    world = fixtures.build()
    c = _client(world.shenzhen)
    assert c.get("/audits/facts/emission/add/").status_code == 200
    pdf = SimpleUploadedFile("监测报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    response = c.post(
        "/audits/facts/emission/add/",
        {**EXCEEDANCE, "enterprise": world.enterprise.name, "evidence_file": pdf},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    fact = EmissionExceedance.objects.get()
    assert fact.enterprise == world.enterprise and fact.evidence_name == "监测报告.pdf"
    assert ObjectChange.objects.filter(
        user=world.shenzhen, content_type__model="emissionexceedance"
    ).exists()
    # The evidence is served to users who may view the fact, not to others.
    url = f"/audits/facts/emission/{fact.pk}/evidence/"
    assert b"".join(c.get(url).streaming_content) == b"%PDF-1.4 report"
    assert _client(world.beijing).get(url).status_code == 404

    roster = rosters.propose(world.shenzhen, Region.objects.get(code="440300"), 2025)
    entries = list(roster.entries.all())
    assert [e.enterprise for e in entries] == [world.enterprise]
    assert "总铬" in entries[0].reasons and "trigger.over_emission" in entries[0].reasons


def test_evidence_checked_like_audit_documents() -> None:
    world = fixtures.build()
    fake = SimpleUploadedFile("report.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = _client(world.shenzhen).post(
        "/audits/facts/emission/add/",
        {**EXCEEDANCE, "enterprise": world.enterprise.uscc, "evidence_file": fake},
    )
    assert response.status_code == 200
    assert "evidence_file" in response.context["form"].errors
    assert not EmissionExceedance.objects.exists()


def test_enterprise_outside_the_region_is_refused() -> None:
    world = fixtures.build()
    bj = factories.enterprise("110105", name="北京某厂")
    response = _client(world.shenzhen).post(
        "/audits/facts/energy/add/",
        {
            "enterprise": bj.uscc,
            "year": "2025",
            "product": "熟料",
            "value": "120",
            "quota": "100",
            "unit": "kgce/t",
            "evidence": "节能监察",
        },
    )
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    assert not EnergyExceedance.objects.exists()
    # Other parties may not record.
    assert _client(world.enterprise_user).get("/audits/facts/energy/add/").status_code == 403


def test_xlsx_import_of_substance_records() -> None:
    world = fixtures.build()
    header = ["统一社会信用代码", "年份", "物质名称", "CAS号", "使用或排放", "类别", "证据说明"]
    upload = _xlsx(
        header,
        [
            [world.enterprise.uscc, 2025, "二氯甲烷", "75-09-2", "使用", None, "台账"],
            [world.other_enterprise.uscc, 2025, "苯", "71-43-2", "排放", None, "监测"],
        ],
    )
    response = _client(world.shenzhen).post("/audits/facts/substance/import/", {"file": upload})
    assert response.status_code == 302, response.context and response.context["errors"]
    assert set(SubstanceRecord.objects.values_list("enterprise_id", "name", "role")) == {
        (world.enterprise.pk, "二氯甲烷", "used"),
        (world.other_enterprise.pk, "苯", "emitted"),
    }


def test_xlsx_one_bad_row_named_nothing_written() -> None:
    world = fixtures.build()
    header = ["统一社会信用代码", "年份", "类型", "污染物", "监测值", "限值", "单位", "证据说明"]
    upload = _xlsx(
        header,
        [
            [world.enterprise.uscc, 2025, "超标排放", "总铬", 1.2, 1.0, "mg/L", "监测"],
            [world.other_enterprise.uscc, 2025, "超标排放", "COD", "很多", 50, "mg/L", "监测"],
        ],
    )
    response = _client(world.shenzhen).post("/audits/facts/emission/import/", {"file": upload})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert len(errors) == 1 and "3" in errors[0] and "监测值" in errors[0]
    assert not EmissionExceedance.objects.exists()


def test_fact_list_and_template() -> None:
    world = fixtures.build()
    c = _client(world.shenzhen)
    assert c.get("/audits/facts/").status_code == 200
    response = c.get("/audits/facts/energy/template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "统一社会信用代码" and sheet["D1"].value == "单位产品能耗"
    assert c.get("/audits/facts/nothing/add/").status_code == 404
