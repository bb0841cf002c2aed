"""Exports: the user's export scope, the list's filters, Excel-friendly files, round trips."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIRequestFactory, force_authenticate

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.registry.io import SPECS, import_file
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread() -> dict[str, Any]:
    park = factories.park(region="440300", name="深圳园")
    return {
        "sz": factories.enterprise(region="440305", industry="3360", name="深圳电镀", park=park),
        "gz": factories.enterprise(region="440106", industry="1340", name="广州制糖"),
        "bj": factories.enterprise(region="110105", industry="3360", name="北京电镀"),
        "demo": factories.enterprise(
            region="440305", industry="2621", name="示例化肥", synthetic=True
        ),
    }


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_guangdong_officer_exports_only_guangdong(client: Client, spread: dict) -> None:
    client.force_login(authority("gd", "440000"))
    response = client.get(reverse("registry:enterprise-export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_rows(streamed(response))
    assert {r["企业名称"] for r in rows} == {"深圳电镀", "广州制糖", "示例化肥"}
    assert all(r["行政区划代码"].startswith("44") for r in rows)
    by_name = {r["企业名称"]: r for r in rows}
    assert by_name["示例化肥"]["数据标记"] == "示例数据"
    assert by_name["深圳电镀"]["数据标记"] == ""
    assert by_name["深圳电镀"]["园区"] == "深圳园"
    assert by_name["深圳电镀"]["状态"] == "在营"
    assert by_name["深圳电镀"]["行政区划名称"].endswith("南山区")


def test_export_applies_the_list_filters(client: Client, spread: dict) -> None:
    client.force_login(authority("nat", None))
    url = reverse("registry:enterprise-export")
    names = {r["企业名称"] for r in csv_rows(streamed(client.get(url, {"format": "csv"})))}
    assert names == {"深圳电镀", "广州制糖", "北京电镀", "示例化肥"}
    params = {"format": "csv", "industry": "33", "region": "440000"}
    assert [r["企业名称"] for r in csv_rows(streamed(client.get(url, params)))] == ["深圳电镀"]
    params = {"format": "csv", "synthetic": "false", "q": "电镀"}
    names = {r["企业名称"] for r in csv_rows(streamed(client.get(url, params)))}
    assert names == {"深圳电镀", "北京电镀"}


def test_xlsx_export_has_chinese_headers(client: Client, spread: dict) -> None:
    client.force_login(authority("gd2", "440000"))
    response = client.get(reverse("registry:enterprise-export"), {"region": "440300"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(streamed(response)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("统一社会信用代码", "企业名称") and rows[0][-1] == "数据标记"
    assert sorted(r[1] for r in rows[1:]) == ["深圳电镀", "示例化肥"]


def test_export_needs_login_and_export_permission(client: Client, spread: dict) -> None:
    url = reverse("registry:enterprise-export")
    assert client.get(url).status_code == 302
    client.force_login(user("nobody"))  # no party: no rows to export anywhere
    assert client.get(url).status_code == 403
    client.force_login(authority("gd3", "440000"))
    assert client.get(url, {"format": "pdf"}).status_code == 400


def test_other_models_export(client: Client, spread: dict) -> None:
    agency = factories.agency(region="440305", name="咨询乙")
    agency.industry_scope.set(["33", "26"])
    factories.expert(region="110105", name="北京专家")
    client.force_login(authority("gd4", "440000"))
    rows = csv_rows(streamed(client.get(reverse("registry:agency-export"), {"format": "csv"})))
    assert [(r["机构名称"], r["业务范围（行业大类）"]) for r in rows] == [("咨询乙", "26、33")]
    rows = csv_rows(streamed(client.get(reverse("registry:expert-export"), {"format": "csv"})))
    assert rows == []
    rows = csv_rows(streamed(client.get(reverse("registry:park-export"), {"format": "csv"})))
    assert [r["园区名称"] for r in rows] == ["深圳园"]


def test_export_then_import_round_trip_changes_nothing(client: Client, spread: dict) -> None:
    officer = authority("gd5", "440000")
    client.force_login(officer)
    for name, spec in (("enterprise", "enterprises"), ("park", "parks")):
        content = streamed(client.get(reverse(f"registry:{name}-export")))
        result = import_file(SPECS[spec], officer, io.BytesIO(content), "x.xlsx")
        assert result.ok, result.errors
        assert (result.created, result.updated, result.unchanged) == (0, 0, result.rows)
        assert result.rows > 0


def test_api_export(spread: dict) -> None:
    from cleanprod.registry.api.io import EnterpriseExportAPIView

    request = APIRequestFactory().get("/api/x/", {"format": "csv", "industry": "13"})
    force_authenticate(request, authority("gd6", "440000"))
    response = EnterpriseExportAPIView.as_view()(request)
    assert response.status_code == 200
    assert [r["企业名称"] for r in csv_rows(streamed(response))] == ["广州制糖"]


def test_export_command(tmp_path: Path, spread: dict) -> None:
    authority("gd7", "440000")
    out = tmp_path / "e.csv"
    stdout = io.StringIO()
    call_command(
        "export",
        "enterprises",
        "--user",
        "gd7",
        "--filter",
        "industry=33",
        "-o",
        str(out),
        stdout=stdout,
    )
    assert [r["企业名称"] for r in csv_rows(out.read_bytes())] == ["深圳电镀"]
    assert stdout.getvalue().startswith("1 rows")
    xlsx = tmp_path / "e.xlsx"
    call_command("export", "enterprises", "--user", "gd7", "-o", str(xlsx), stdout=stdout)
    assert openpyxl.load_workbook(xlsx).worksheets[0].max_row == 4
    with pytest.raises(CommandError, match="unknown filter"):
        call_command(
            "export", "enterprises", "--user", "gd7", "--filter", "colour=red", "-o", str(out)
        )
    with pytest.raises(CommandError, match="no active user"):
        call_command("export", "enterprises", "--user", "ghost", "-o", str(out))


def test_formula_like_text_stays_text_and_round_trips(client: Client) -> None:
    made = factories.enterprise(region="440305", name="=HYPERLINK(1)", contact_phone="+86 755-1")
    officer = authority("gd8", "440000")
    client.force_login(officer)
    url = reverse("registry:enterprise-export")
    (row,) = csv_rows(streamed(client.get(url, {"format": "csv"})))
    assert (row["企业名称"], row["联系电话"]) == ("'=HYPERLINK(1)", "+86 755-1")
    content = streamed(client.get(url))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["B2"].data_type == "s"
    result = import_file(SPECS["enterprises"], officer, io.BytesIO(content), "x.xlsx")
    assert (result.unchanged, result.updated) == (1, 0), result.errors
    made.refresh_from_db()
    assert made.name == "=HYPERLINK(1)"
