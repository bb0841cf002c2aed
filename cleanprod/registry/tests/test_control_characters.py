"""Issue 9: control characters are cleaned where text enters, and exports never fail on them."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cleanprod.accounts.tests.factories import authority
from cleanprod.registry.io import SPECS, import_file
from cleanprod.registry.models import Enterprise
from cleanprod.registry.tests import factories
from cleanprod.registry.tests.test_import import HEADER, ent_row, xlsx

pytestmark = pytest.mark.django_db


def test_stored_control_character_still_exports_as_xlsx(client: Client) -> None:
    factories.enterprise(region="440305", name="深圳电镀", address="深圳\u000b南山")
    client.force_login(authority("gd", "440000"))
    response = client.get(reverse("registry:enterprise-export"), {"format": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=False))
    assert row["企业名称"] == "深圳电镀" and row["地址"] == "深圳南山"


def test_form_post_stores_cleaned_text(national_client: Client) -> None:
    enterprise = factories.enterprise(region="440305", name="原名")
    url = reverse("registry:enterprise-edit", args=[enterprise.pk])
    form = {
        "uscc": enterprise.uscc,
        "name": "新\u0007名\u000b称",
        "region": "440305",
        "industry_code": "3360",
        "status": "operating",
        "address": "深圳\u000b南山\u001b\u0085区",
    }
    response = national_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.address) == ("新名 称", "深圳 南山区")


def test_api_patch_stores_cleaned_text() -> None:
    enterprise = factories.enterprise(region="440305", name="原名")
    api = APIClient()
    api.force_authenticate(authority("nation", None))
    response = api.patch(
        f"/api/enterprises/{enterprise.pk}/",
        {"name": "接口\u0001企业", "address": "深圳\u000b南山\u000c一路"},
        format="json",
    )
    assert response.status_code == 200, response.content
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.address) == ("接口企业", "深圳 南山 一路")


def test_import_row_with_control_character_is_cleaned() -> None:
    national = authority("nat", None)
    row = ent_row(1)
    row[1] = "导入\u0008企业\u000b一号"
    result = import_file(SPECS["enterprises"], national, xlsx_with_raw_text(row), "x.xlsx")
    assert result.ok, result.errors
    assert Enterprise.objects.get().name == "导入企业 一号"


def xlsx_with_raw_text(row: list[Any]) -> io.BytesIO:
    """openpyxl refuses control characters, so write a placeholder and put them in the XML."""
    placeholder = "PLACEHOLDER"
    original = row[1]
    data = xlsx([[*row[:1], placeholder, *row[2:]]], HEADER).getvalue()
    escaped = "".join(c if ord(c) >= 0x20 else f"_x{ord(c):04X}_" for c in original)
    return io.BytesIO(rewrite_sheet(data, lambda xml: xml.replace(placeholder, escaped)))


def rewrite_sheet(data: bytes, change: Any) -> bytes:
    """The workbook with its first sheet's XML passed through ``change``."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(info, content)
    return out.getvalue()
