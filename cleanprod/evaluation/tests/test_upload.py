"""The self-assessment upload reads through the platform's one reader, in memory (issues 9, 10)."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from cleanprod.accounts.tests.factories import user
from cleanprod.evaluation.models import Assessment
from cleanprod.evaluation.tests.test_platform import SLUG, _sample_rows
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise_client() -> tuple[Client, Any]:
    e = factories.enterprise(region="330106", industry="7724")
    c = Client()
    c.force_login(user(f"ent{e.pk}", party="enterprise", enterprise=e))
    return c, e


def _row() -> dict[str, str]:
    return _sample_rows()[0]


def _post(c: Client, e: Any, name: str, content: bytes) -> Any:
    url = reverse("evaluation:assess", args=[SLUG]) + f"?enterprise={e.pk}"
    return c.post(url, {"file": SimpleUploadedFile(name, content), "confirm": "1"})


def _expected(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k not in ("id", "name") and v}


def test_gb18030_csv_upload(enterprise_client: tuple[Client, Any]) -> None:
    c, e = enterprise_client
    row = {**_row(), "name": "杭州焚烧处置中心"}  # Chinese text: GB18030 bytes differ from UTF-8
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    content = text.getvalue().encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    response = _post(c, e, "self.csv", content)
    assert response.status_code == 302, response.content.decode()[:1000]
    inputs = Assessment.objects.get(enterprise=e).inputs
    assert {k: v for k, v in inputs.items() if v} == _expected(row)


def test_1904_workbook_upload(enterprise_client: tuple[Client, Any]) -> None:
    c, e = enterprise_client
    row = _row()
    workbook = openpyxl.Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    workbook.active.append(list(row))
    workbook.active.append([float(v) if _is_number(v) else v for v in row.values()])
    out = io.BytesIO()
    workbook.save(out)
    response = _post(c, e, "self.xlsx", out.getvalue())
    assert response.status_code == 302, response.content.decode()[:1000]
    inputs = Assessment.objects.get(enterprise=e).inputs
    got = {k: v for k, v in inputs.items() if v}
    assert {k: float(v) if _is_number(v) else v for k, v in got.items()} == {
        k: float(v) if _is_number(v) else v for k, v in _expected(row).items()
    }


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_huge_csv_field_is_a_message_not_a_500(enterprise_client: tuple[Client, Any]) -> None:
    c, e = enterprise_client
    content = ("id,name\n1," + "x" * 200_000 + "\n").encode()
    response = _post(c, e, "huge.csv", content)
    assert response.status_code == 200
    body = response.content.decode()
    assert "131072" in body
    assert "/tmp" not in body and "tmp" not in body.lower().replace("template", "")
    assert not Assessment.objects.exists()


def test_errors_show_no_server_paths(enterprise_client: tuple[Client, Any]) -> None:
    c, e = enterprise_client
    response = _post(c, e, "broken.xlsx", b"not a workbook")
    assert response.status_code == 200
    body = response.content.decode()
    assert ".xlsx" in body and "/tmp" not in body
    assert not Assessment.objects.exists()
