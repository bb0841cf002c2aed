"""Read an uploaded spreadsheet into numbered rows of raw cell values: the one reader.

.xlsx, .xlsm, .xls and .ods go through python-calamine (which honours the 1904 date system);
CSV is UTF-8 (with or without Excel's BOM) or GB18030, as Chinese Excel saves it. The registry
import and the self-assessment upload both read through :func:`read_table`.

Reading is bounded before calamine sees the file: calamine builds a dense grid from the top-left
to the bottom-right cell, so one cell at XFD1048576 would ask for half a terabyte and abort the
process. The sizes declared in the zip, and the row and column of every cell reference in the
sheet XML, are checked first against ``CLEANPROD_IMPORT_MAX_UNCOMPRESSED_BYTES``,
``CLEANPROD_IMPORT_MAX_ROWS`` and ``CLEANPROD_IMPORT_MAX_COLUMNS``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import PurePath
from typing import IO, Any
from xml.etree import ElementTree

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

Rows = list[tuple[int, list[Any]]]

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (".csv", *SPREADSHEETS)
# A cell reference in sheet XML: r="AB12" (row elements carry digits only and do not match).
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,9})"')
_CHUNK = 4 << 20
# A style index (s="…") or row number (r="…" on a row) that is not a number: calamine reads past
# the style silently, so such a file is refused before it is read, naming the cell.
# The closing quote is required, so a value cut at the end of a chunk does not count.
_BAD_INDEX = re.compile(
    rb'\bs="[^"<>]*[^0-9"<>][^"<>]*"'  # a style index with a non-digit
    rb'|\bs=""'  # an empty style index
    rb'|<(?:\w+:)?row [^>]*?\br="[^"]*[^0-9"]'  # a row number with a non-digit
)


class FileFormatError(ValueError):
    """The file cannot be read at all (wrong type, damaged, too large, unknown encoding).

    ``row`` and ``column`` name the place of the problem when it is known (else 0 and "").
    """

    def __init__(self, message: str, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.row = row
        self.column = column


def _unreadable(suffix: str, error: object, where: str = "") -> FileFormatError:
    return FileFormatError(
        _("The file is not a readable %(kind)s workbook (%(where)s%(error)s).")
        % {"kind": suffix, "where": where, "error": error}
    )


def limits() -> tuple[int, int, int]:
    """(uncompressed bytes, data rows, columns) that an uploaded file may have."""
    return (
        getattr(settings, "CLEANPROD_IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024),
        getattr(settings, "CLEANPROD_IMPORT_MAX_ROWS", 200_000),
        getattr(settings, "CLEANPROD_IMPORT_MAX_COLUMNS", 200),
    )


def _too_many_rows(max_rows: int) -> FileFormatError:
    return FileFormatError(
        _("The file has more than %(rows)d data rows: split it into smaller files.")
        % {"rows": max_rows}
    )


def _too_many_columns(max_columns: int) -> FileFormatError:
    return FileFormatError(
        _("The file has more than %(columns)d columns.") % {"columns": max_columns}
    )


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else GB18030 as saved by Chinese Excel."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileFormatError(_("The CSV file is neither UTF-8 nor GB18030 text."))


def read_csv(data: bytes) -> Rows:
    """Rows numbered as a spreadsheet shows them (the header is row 1)."""
    _bytes, max_rows, max_columns = limits()
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    rows: Rows = []
    try:
        for number, row in enumerate(reader, start=1):
            if number > max_rows + 1:
                raise _too_many_rows(max_rows)
            if len(row) > max_columns:
                raise _too_many_columns(max_columns)
            rows.append((number, row))
    except csv.Error as exc:
        # csv numbers physical lines; a quoted field may span several, so name the record.
        if "field larger than field limit" in str(exc):
            raise FileFormatError(
                _("Row %(row)d of the CSV file has a cell longer than %(limit)d characters.")
                % {"row": len(rows) + 1, "limit": csv.field_size_limit()}
            ) from exc
        raise FileFormatError(
            _("Row %(row)d of the CSV file is malformed: %(error)s")
            % {"row": len(rows) + 1, "error": exc}
        ) from exc
    return rows


def check_zip_bounds(data: bytes, suffix: str = ".xlsx") -> None:
    """Refuse a zipped workbook too large to read safely, before any of it is parsed."""
    max_bytes, max_rows, max_columns = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _unreadable(suffix, exc) from exc
    if sum(m.file_size for m in members) > max_bytes:
        raise FileFormatError(
            _("The workbook is larger than %(mb)d MB when unpacked.") % {"mb": max_bytes >> 20}
        )
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/")]
    for member in sheets:
        if member.filename.endswith(".xml") and _check_sheet_refs(
            archive, member, suffix, max_rows, max_columns
        ):
            # The pattern may also match inside text; only a cell the locator finds is refused.
            located = locate_bad_cell(data)
            if located is not None:
                raise located


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def check_ods_bounds(data: bytes) -> None:
    """The first sheet of an .ods file must fit the row and column limits.

    ODS compresses a block of equal rows or cells into one element with a repeat count, so a
    tiny file can describe a huge grid; calamine would build it whole. Empty repeated cells
    (LibreOffice writes them for formatted areas) do not count: only the last cell with a value.
    """
    _bytes, max_rows, max_columns = limits()
    rows_attr, cols_attr = (
        f"{_ODS_TABLE}number-rows-repeated",
        f"{_ODS_TABLE}number-columns-repeated",
    )
    value_attr = f"{_ODS_OFFICE}value-type"
    row = column = last_row = last_column = 0
    repeat_rows = 1
    row_has_value = False
    try:
        with zipfile.ZipFile(io.BytesIO(data)).open("content.xml") as content:
            for event, el in ElementTree.iterparse(content, events=("start", "end")):
                if el.tag == f"{_ODS_TABLE}table-row":
                    if event == "start":
                        repeat_rows = int(el.get(rows_attr, "1"))
                        column, row_has_value = 0, False
                    else:
                        row += repeat_rows
                        if row_has_value:
                            last_row = row
                        el.clear()
                        if last_row > max_rows + 1:
                            raise _too_many_rows(max_rows)
                elif el.tag == f"{_ODS_TABLE}table-cell" and event == "start":
                    column += int(el.get(cols_attr, "1"))
                    if el.get(value_attr) is not None:
                        row_has_value = True
                        last_column = max(last_column, column)
                        if last_column > max_columns:
                            raise _too_many_columns(max_columns)
                elif el.tag == f"{_ODS_TABLE}table" and event == "end":
                    return  # calamine reads the first sheet only
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError) as exc:
        if isinstance(exc, FileFormatError):
            raise
        raise _unreadable(".ods", exc) from exc


def _check_sheet_refs(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, suffix: str, max_rows: int, max_columns: int
) -> bool:
    """Check the furthest row and column any cell of the sheet names against the limits.

    True if the sheet has a non-numeric style index or row number (see ``_BAD_INDEX``).
    """
    widest = "A"
    tail = b""
    bad_index = False
    try:
        with archive.open(member) as sheet:
            while chunk := sheet.read(_CHUNK):
                # Keep a short tail so a reference split between two chunks is still seen.
                text, tail = tail + chunk, chunk[-24:]
                bad_index = bad_index or _BAD_INDEX.search(text) is not None
                refs = _CELL_REF.findall(text)
                if not refs:
                    continue
                if max(int(row) for _letters, row in refs) > max_rows + 1:
                    raise _too_many_rows(max_rows)
                letters = max((c.decode() for c, _row in refs), key=lambda s: (len(s), s))
                widest = max(widest, letters, key=lambda s: (len(s), s))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        if isinstance(exc, FileFormatError):
            raise
        raise _unreadable(suffix, exc) from exc
    if _column_number(widest) > max_columns:
        raise _too_many_columns(max_columns)
    return bad_index


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _value(raw: Any) -> Any:
    """A calamine value as the importer expects it: None when empty, whole numbers as int."""
    if raw == "" or raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 2**53:
        return int(raw)
    return raw


def read_spreadsheet(
    data: bytes, suffix: str, progress: Callable[[int], None] | None = None
) -> Rows:
    """The first worksheet's non-empty rows, numbered as the spreadsheet shows them."""
    _bytes, max_rows, max_columns = limits()
    if suffix in (".xlsx", ".xlsm", ".ods"):
        check_zip_bounds(data, suffix)
    if suffix == ".ods":
        check_ods_bounds(data)
    elif len(data) > limits()[0]:
        raise FileFormatError(
            _("The workbook is larger than %(mb)d MB.") % {"mb": limits()[0] >> 20}
        )
    sheet_name = ""
    try:
        workbook = python_calamine.load_workbook(io.BytesIO(data))
        if not workbook.sheet_names:
            raise FileFormatError(_("The workbook has no worksheet."))
        sheet_name = workbook.sheet_names[0]
        sheet = workbook.get_sheet_by_index(0)
        if sheet.width > max_columns:
            raise _too_many_columns(max_columns)
        if sheet.height > max_rows + 1:
            raise _too_many_rows(max_rows)
        first_row, first_column = sheet.start or (0, 0)
        pad = [None] * first_column
        rows: Rows = []
        for offset, raw_row in enumerate(sheet.iter_rows()):
            values = [_value(v) for v in raw_row]
            if all(v is None for v in values):
                continue
            rows.append((first_row + offset + 1, [*pad, *values]))
            if progress is not None and len(rows) % 5000 == 0:
                progress(len(rows))
        return rows
    except python_calamine.CalamineError as exc:
        located = locate_bad_cell(data) if suffix in (".xlsx", ".xlsm") else None
        if located is not None:
            raise located from exc
        where = _("worksheet “%(sheet)s”: ") % {"sheet": sheet_name} if sheet_name else ""
        raise _unreadable(suffix, exc, where) from exc
    except (ValueError, OverflowError) as exc:  # e.g. a date serial out of range
        if isinstance(exc, FileFormatError):
            raise
        raise _unreadable(suffix, exc) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def locate_bad_cell(data: bytes) -> FileFormatError | None:
    """After calamine refused a workbook: the first cell of the first sheet it could not read.

    Looks for the shapes Excel never writes but damaged or hand-made files contain: a row
    without a row number, a style index that is not a number, a shared-text index past the
    table, text in a number cell. None if no such cell is found.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = sorted(
            n
            for n in archive.namelist()
            if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")
        )
        if not sheets:
            return None
        try:
            with archive.open("xl/sharedStrings.xml") as table:
                parsed = ElementTree.iterparse(table)
                strings = sum(1 for _e, el in parsed if _local(el.tag) == "si")
        except KeyError:
            strings = 0
        row_number = 0
        with archive.open(sheets[0]) as sheet:
            for event, el in ElementTree.iterparse(sheet, events=("start", "end")):
                tag = _local(el.tag)
                if event == "start" and tag == "row":
                    r = el.get("r")
                    if r is not None and not r.isdigit():
                        return FileFormatError(
                            _("The row number “%(r)s” is not a number.") % {"r": r},
                            row_number + 1,
                        )
                    row_number = int(r) if r is not None else row_number + 1
                elif event == "end" and tag == "c":
                    problem = _cell_problem(el, strings)
                    if problem:
                        ref = el.get("r") or ""
                        letters = ref.rstrip("0123456789")
                        column = _("column %(c)s") % {"c": letters} if letters else ""
                        return FileFormatError(problem, row_number, column)
                    el.clear()
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return None
    return None


def _cell_problem(cell: ElementTree.Element, strings: int) -> str:
    style = cell.get("s")
    if style is not None and not style.isdigit():
        return _("The style index “%(s)s” is not a number.") % {"s": style}
    value = next((c.text or "" for c in cell if _local(c.tag) == "v"), None)
    if value is None:
        return ""
    kind = cell.get("t", "n")
    if kind == "s" and (not value.isdigit() or int(value) >= strings):
        return _("The cell refers to shared text number %(v)s, which the file lacks.") % {
            "v": value
        }
    if kind == "n":
        try:
            float(value)
        except ValueError:
            return _("The number cell holds “%(v)s”, which is not a number.") % {"v": value}
    return ""


def read_table(
    file: IO[bytes], filename: str, progress: Callable[[int], None] | None = None
) -> Rows:
    """Every non-empty row of the file (header included) as (row number, values).

    Values are as the file holds them: text, int or float, bool, date or datetime; None for an
    empty cell. ``progress`` hears the number of rows read so far while a workbook is read.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise FileFormatError(_("Upload an .xlsx, .xls, .ods or .csv file."))
    data = file.read()
    if suffix == ".csv":
        return read_csv(data)
    return read_spreadsheet(data, suffix, progress)
