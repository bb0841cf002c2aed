"""Decomposition for all child regions at once: the table form and its .xlsx, validated together
(exact sum), one submit, all or nothing; Taiwan, Hong Kong and Macao are never targets."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cleanprod.accounts.tests.factories import authority
from cleanprod.plans.decomposition import allocate_all, can_allocate, children_of, decomposition
from cleanprod.plans.loader import load_plan_data
from cleanprod.plans.models import Target, TargetAllocation
from cleanprod.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def cod() -> Target:
    load_plan_data()
    return Target.objects.get(slug="12-cod-reduction")


def _client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def _even_parts(whole: Decimal, codes: list[str]) -> dict[str, Decimal]:
    share = (whole / len(codes)).quantize(Decimal("0.0001"))
    parts = dict.fromkeys(codes, share)
    parts[codes[0]] += whole - share * len(codes)
    return parts


def test_outside_administration_never_targets(cod: Target) -> None:
    codes = {c.code for c in children_of(None)}
    assert not codes & {"710000", "810000", "820000"} and "440000" in codes
    unassigned = {u["code"] for u in decomposition(authority("n", None), cod)["unassigned"]}
    assert not unassigned & {"710000", "810000", "820000"}


def test_national_officer_decomposes_all_provinces_in_one_submit(cod: Target) -> None:
    c = _client(authority("nation", None))
    page = c.get(f"/plans/targets/{cod.slug}/decompose/")
    assert page.status_code == 200 and "台湾" not in page.content.decode()
    codes = [r.code for r in children_of(None)]
    parts = _even_parts(Decimal(repr(cod.target_value)), codes)
    response = c.post(
        f"/plans/targets/{cod.slug}/decompose/", {f"part_{k}": str(v) for k, v in parts.items()}
    )
    assert response.status_code == 302
    assert dict(TargetAllocation.objects.values_list("region_id", "value")) == parts


def test_sum_must_match_and_nothing_is_written(cod: Target) -> None:
    c = _client(authority("nation", None))
    codes = [r.code for r in children_of(None)]
    parts = _even_parts(Decimal(repr(cod.target_value)), codes)
    parts[codes[1]] -= Decimal(1)  # one short
    response = c.post(
        f"/plans/targets/{cod.slug}/decompose/", {f"part_{k}": str(v) for k, v in parts.items()}
    )
    assert response.status_code == 200
    assert any("1.0000" in e for e in response.context["errors"])
    assert not TargetAllocation.objects.exists()


def test_xlsx_round_trip_and_bad_row(cod: Target) -> None:
    gd = authority("gd", "440000")
    TargetAllocation.objects.create(target=cod, region_id="440000", value=Decimal(40))
    c = _client(gd)
    exported = c.get(f"/plans/targets/{cod.slug}/decompose.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "440300" in codes and sheet["A1"].value == "地区代码"
    parts = _even_parts(Decimal(40), codes)
    for row in sheet.iter_rows(min_row=2):
        row[2].value = float(parts[row[0].value])
    sheet.cell(row=3, column=3).value = "四十"  # one bad row
    bad = io.BytesIO()
    book.save(bad)
    url = f"/plans/targets/{cod.slug}/decompose/"
    response = c.post(url, {"file": SimpleUploadedFile("d.xlsx", bad.getvalue())})
    errors = response.context["errors"]
    assert len(errors) == 1 and "3" in errors[0] and "分解值" in errors[0]
    assert TargetAllocation.objects.count() == 1  # only the province's own part
    sheet.cell(row=3, column=3).value = float(parts[codes[1]])
    good = io.BytesIO()
    book.save(good)
    response = c.post(url, {"file": SimpleUploadedFile("d.xlsx", good.getvalue())})
    assert response.status_code == 302, response.context and response.context["errors"]
    stored = dict(
        TargetAllocation.objects.filter(region__parent_id="440000").values_list(
            "region_id", "value"
        )
    )
    assert stored == parts


def test_only_the_nodes_own_authority_allocates(cod: Target) -> None:
    gd = Region.objects.get(code="440000")
    assert can_allocate(authority("gd", "440000"), gd)
    assert not can_allocate(authority("gdv", "440000", role="viewer"), gd)
    assert not can_allocate(authority("sz", "440300"), gd)
    assert not can_allocate(authority("gd2", "440000"), None)
    viewer = _client(authority("v", "440000", role="viewer"))
    assert viewer.get(f"/plans/targets/{cod.slug}/decompose/").status_code == 403


def test_policy_agrees_an_authority_only_reads_its_own_nodes_part(cod: Target) -> None:
    own = TargetAllocation.objects.create(target=cod, region_id="440000", value=Decimal(40))
    child = TargetAllocation.objects.create(target=cod, region_id="440300", value=Decimal(10))
    gd = authority("gd", "440000")
    assert set(TargetAllocation.objects.restrict(gd, "view")) == {own, child}
    assert set(TargetAllocation.objects.restrict(gd, "change")) == {child}
    with pytest.raises(PermissionDenied):  # its own node's part is its parent's to assign
        allocate_all(gd, cod, None, {"440000": Decimal(50)}, check_sum=False)
    own.refresh_from_db()
    assert own.value == Decimal(40)
    nation = authority("nation", None)
    assert set(TargetAllocation.objects.restrict(nation, "change")) == {own, child}
