"""The one spreadsheet reader (python-calamine): dates, encodings, bounds, malformed files."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from cleanprod.accounts.tests.factories import authority
from cleanprod.jobs.testing import run_queued_tasks
from cleanprod.registry.io import SPECS, import_file
from cleanprod.registry.io.readers import FileFormatError, read_table
from cleanprod.registry.models import Agency, Enterprise
from cleanprod.registry.tests.test_control_characters import rewrite_sheet
from cleanprod.registry.tests.test_import import (
    HEADER,
    _command,
    csv_bytes,
    ent_row,
    uscc,
    xlsx,
)

pytestmark = pytest.mark.django_db

AGENCY_HEADER = ["统一社会信用代码", "机构名称", "行政区划代码", "备案有效期起", "备案有效期止"]


def workbook_bytes(rows: list[list[Any]], *, epoch: Any = None) -> bytes:
    workbook = openpyxl.Workbook()
    if epoch is not None:
        workbook.epoch = epoch
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_fast_xlsx_reader_agrees_with_openpyxl(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["文本", "整数", "小数", "日期", "布尔", None, "末列"])
    sheet.append(["甲 & <乙>", 440305, 1.5, datetime(2024, 1, 31), True, None, "x"])
    sheet.append([None, None, None, None, None, None, "只有末列"])
    sheet.append([" 前后空格 ", 0, -2.25, date(2026, 12, 31), False])
    sheet["A6"] = "跳过一行"
    path = tmp_path / "t.xlsx"
    workbook.save(path)

    def normal(value: Any) -> Any:  # openpyxl gives a date cell as a datetime at midnight
        midnight = isinstance(value, datetime) and value.time() == datetime.min.time()
        return value.date() if midnight else value

    expected = [
        (number, [normal(c) for c in row])
        for number, row in enumerate(
            openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True),
            start=1,
        )
        if any(c is not None for c in row)
    ]
    with path.open("rb") as file:
        got = read_table(file, "t.xlsx")
    got = [(n, [normal(c) for c in [*row, *[None] * (7 - len(row))]]) for n, row in got]
    padded = [(n, [normal(c) for c in [*row, *[None] * (7 - len(row))]]) for n, row in expected]
    assert got == padded
    assert got[-1][0] == 6


def test_1904_date_system_is_respected() -> None:
    data = workbook_bytes([["日期"], [date(2024, 5, 1)]], epoch=CALENDAR_MAC_1904)
    assert b'date1904="1"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    rows = read_table(io.BytesIO(data), "mac.xlsx")
    assert rows[1][1][0] in (date(2024, 5, 1), datetime(2024, 5, 1))


def test_registry_import_reads_1904_workbooks_and_gb18030_csv() -> None:
    national = authority("nat", None)
    rows = [AGENCY_HEADER, [uscc(1), "咨询甲", "440305", date(2024, 5, 1), date(2026, 12, 31)]]
    data = workbook_bytes(rows, epoch=CALENDAR_MAC_1904)
    result = import_file(SPECS["agencies"], national, io.BytesIO(data), "a.xlsx")
    assert result.ok, result.errors
    agency = Agency.objects.get()
    assert (agency.valid_from, agency.valid_until) == (date(2024, 5, 1), date(2026, 12, 31))
    gb = csv_bytes([ent_row(2)], "gb18030")
    assert gb.getvalue().decode("gb18030") and b"\xe5" not in gb.getvalue()[:40]  # not UTF-8
    result = import_file(SPECS["enterprises"], national, gb, "e.csv")
    assert result.ok, result.errors
    assert Enterprise.objects.get().name == "导入企业2"


def test_xls_and_ods_suffixes_go_to_calamine() -> None:
    with pytest.raises(FileFormatError, match=r"\.ods"):
        read_table(io.BytesIO(b"not a workbook"), "x.ods")
    with pytest.raises(FileFormatError, match=r"\.xls"):
        read_table(io.BytesIO(b"not a workbook"), "x.xls")


# -- the five malformed shapes of issue 9 ---------------------------------------------------


def _agency_file() -> bytes:
    rows = [[uscc(1), "咨询甲", "440305", date(2024, 1, 1), date(2026, 12, 31)]]
    return xlsx(rows, AGENCY_HEADER).getvalue()


def _set_value(ref: str, value: str) -> Any:
    return lambda xml: re.sub(rf'(<c r="{ref}"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{value}</v>", xml)


MALFORMED = {
    "row number abc": lambda xml: xml.replace('<row r="2"', '<row r="abc"', 1),
    "date cell 1e20": _set_value("E2", "1e20"),
    "shared string out of range": lambda xml: re.sub(
        r'<c r="B2" t="inlineStr"><is><t>[^<]*</t></is></c>',
        '<c r="B2" t="s"><v>999</v></c>',
        xml,
    ),
    "text in number cell": _set_value("D2", "abc"),
    "style index x": lambda xml: re.sub(r'<c r="D2" s="\d+"', '<c r="D2" s="x"', xml),
}


@pytest.mark.parametrize("shape", list(MALFORMED))
def test_malformed_shapes_give_a_located_message_and_write_nothing(shape: str) -> None:
    data = rewrite_sheet(_agency_file(), MALFORMED[shape])
    national = authority("nat", None)
    result = import_file(SPECS["agencies"], national, io.BytesIO(data), "a.xlsx")
    assert not result.ok
    assert not Agency.objects.exists()
    error = result.errors[0]
    assert error.row == 2, (shape, result.errors)
    assert error.column or shape == "row number abc", (shape, result.errors)  # the whole row
    assert "Traceback" not in error.message


def test_malformed_shape_through_the_web_import_view(client: Client) -> None:
    client.force_login(authority("nat", None))
    data = rewrite_sheet(_agency_file(), MALFORMED["text in number cell"])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job is queued on commit
        response = client.post(
            reverse("registry:agency-import"), {"file": SimpleUploadedFile("a.xlsx", data)}
        )
    assert response.status_code == 302  # to the import's job page
    run_queued_tasks()
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-errors"' in page and "abc" in page  # the row errors, located
    assert not Agency.objects.exists()


def test_malformed_shape_through_the_command(tmp_path: Path) -> None:
    authority("gd_officer", "440000")
    path = tmp_path / "a.xlsx"
    path.write_bytes(rewrite_sheet(_agency_file(), MALFORMED["shared string out of range"]))
    code, out = _command("agencies", str(path), "--user", "gd_officer")
    assert code != 0 and "999" in out
    assert not Agency.objects.exists()


# -- bounds ---------------------------------------------------------------------------------


def test_a_far_cell_is_refused_before_calamine_allocates_the_grid() -> None:
    # One value at XFD1048576 would make calamine allocate a 17-billion-cell grid and abort.
    data = rewrite_sheet(
        xlsx([ent_row(1)], HEADER).getvalue(),
        lambda xml: xml.replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            "</sheetData>",
        ),
    )
    with pytest.raises(FileFormatError, match="200000"):
        read_table(io.BytesIO(data), "far.xlsx")


def test_too_many_columns_is_refused(settings: Any) -> None:
    settings.CLEANPROD_IMPORT_MAX_COLUMNS = 5
    data = workbook_bytes([list(range(6))])
    with pytest.raises(FileFormatError, match="5"):
        read_table(io.BytesIO(data), "wide.xlsx")
    with pytest.raises(FileFormatError, match="5"):
        read_table(io.BytesIO(b"1,2,3,4,5,6\n"), "wide.csv")


def test_too_many_rows_and_too_large_are_refused(settings: Any) -> None:
    settings.CLEANPROD_IMPORT_MAX_ROWS = 3
    data = workbook_bytes([[n] for n in range(5)])
    with pytest.raises(FileFormatError, match="3"):
        read_table(io.BytesIO(data), "long.xlsx")
    with pytest.raises(FileFormatError, match="3"):
        read_table(io.BytesIO(b"a\n1\n2\n3\n4\n"), "long.csv")
    settings.CLEANPROD_IMPORT_MAX_ROWS = 200_000
    settings.CLEANPROD_IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(FileFormatError, match="MB"):
        read_table(io.BytesIO(data), "big.xlsx")


def test_three_million_empty_rows_are_refused_quickly() -> None:
    body = "".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(2, 3_000_001))
    data = rewrite_sheet(
        workbook_bytes([["a", "b"]]), lambda xml: xml.replace("</sheetData>", body + "</sheetData>")
    )
    national = authority("nat", None)
    started = time.monotonic()
    result = import_file(SPECS["enterprises"], national, io.BytesIO(data), "empty.xlsx")
    assert time.monotonic() - started < 20
    assert [e.row for e in result.errors] == [0] and "200000" in result.errors[0].message


def ods_bytes(body: str) -> bytes:
    """A minimal .ods whose first sheet holds the row elements ``body``."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
        'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def _ods_cell(text: str, repeat: int = 1) -> str:
    return (
        f'<table:table-cell table:number-columns-repeated="{repeat}" '
        f'office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def test_ods_is_read_and_its_repeated_grids_are_bounded() -> None:
    header = f"<table:table-row>{_ods_cell('名称')}{_ods_cell('代码')}</table:table-row>"
    empty_tail = (
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    data = ods_bytes(
        header + f"<table:table-row>{_ods_cell('甲')}{_ods_cell('1')}"
        "</table:table-row>" + empty_tail
    )
    assert read_table(io.BytesIO(data), "a.ods") == [(1, ["名称", "代码"]), (2, ["甲", "1"])]
    wide = ods_bytes(header + f"<table:table-row>{_ods_cell('x', 100_000)}</table:table-row>")
    with pytest.raises(FileFormatError, match="200"):
        read_table(io.BytesIO(wide), "wide.ods")
    long = ods_bytes(
        header + '<table:table-row table:number-rows-repeated="1000000">'
        f"{_ods_cell('x')}</table:table-row>"
    )
    with pytest.raises(FileFormatError, match="200000"):
        read_table(io.BytesIO(long), "long.ods")
