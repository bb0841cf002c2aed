"""Read an uploaded .xlsx or .csv file into numbered rows of raw cell values."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _

from cleanprod.registry.io.xlsx import XlsxError, read_xlsx

Rows = list[tuple[int, list[Any]]]


class FileFormatError(ValueError):
    """The file cannot be read at all (wrong type, damaged, unknown encoding)."""


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
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    try:
        return [(number, list(row)) for number, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise FileFormatError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def read_table(
    file: IO[bytes], filename: str, progress: Callable[[int], None] | None = None
) -> Rows:
    """Every row of the file (header included) as (row number, values).

    ``progress`` hears the number of rows read so far while a large workbook is parsed.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return read_csv(file.read())
    if suffix == ".xlsx":
        try:
            rows: Rows = []
            for row in read_xlsx(file):
                rows.append(row)
                if progress is not None and len(rows) % 5000 == 0:
                    progress(len(rows))
            return rows
        except XlsxError as exc:
            raise FileFormatError(
                _("The file is not a readable .xlsx workbook (%(error)s).") % {"error": exc}
            ) from exc
    if suffix == ".xls":
        raise FileFormatError(_("Old .xls workbooks are not supported: save the file as .xlsx."))
    raise FileFormatError(_("Upload an .xlsx or .csv file."))
