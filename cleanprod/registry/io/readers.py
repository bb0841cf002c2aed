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

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

Rows = list[tuple[int, list[Any]]]

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (".csv", *SPREADSHEETS)
# A cell reference in sheet XML: r="AB12" (row elements carry digits only and do not match).
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,9})"')
_CHUNK = 4 << 20


class FileFormatError(ValueError):
    """The file cannot be read at all (wrong type, damaged, too large, unknown encoding)."""


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


def check_zip_bounds(data: bytes) -> None:
    """Refuse a zipped workbook too large to read safely, before any of it is parsed."""
    max_bytes, max_rows, max_columns = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileFormatError(
            _("The file is not a readable workbook (%(error)s).") % {"error": exc}
        ) from exc
    if sum(m.file_size for m in members) > max_bytes:
        raise FileFormatError(
            _("The workbook is larger than %(mb)d MB when unpacked.") % {"mb": max_bytes >> 20}
        )
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            _check_sheet_refs(archive, member, max_rows, max_columns)


def _check_sheet_refs(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_rows: int, max_columns: int
) -> None:
    """The furthest row and column any cell of the sheet names must be within the limits."""
    widest = "A"
    tail = b""
    try:
        with archive.open(member) as sheet:
            while chunk := sheet.read(_CHUNK):
                # Keep a short tail so a reference split between two chunks is still seen.
                text, tail = tail + chunk, chunk[-24:]
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
        raise FileFormatError(
            _("The file is not a readable workbook (%(error)s).") % {"error": exc}
        ) from exc
    if _column_number(widest) > max_columns:
        raise _too_many_columns(max_columns)


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
        check_zip_bounds(data)
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
        where = _("worksheet “%(sheet)s”: ") % {"sheet": sheet_name} if sheet_name else ""
        raise FileFormatError(
            _("The file is not a readable workbook (%(where)s%(error)s).")
            % {"where": where, "error": exc}
        ) from exc
    except (ValueError, OverflowError) as exc:  # e.g. a date serial out of range
        if isinstance(exc, FileFormatError):
            raise
        raise FileFormatError(
            _("The file is not a readable workbook (%(error)s).") % {"error": exc}
        ) from exc


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
