"""A spreadsheet upload validated row by row by the same form as the web page's rows.

Each data-entry path (training attendance, engagements, roster facts) has a form for one
record; an upload reads the file with :func:`~cleanprod.registry.io.readers.read_table`, maps
each header to a form field and validates every row with that form. The caller writes nothing
unless every row passed: :class:`RowErrors` names each bad row and its column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import IO, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from cleanprod.registry.io.exports import write_xlsx
from cleanprod.registry.io.readers import FileFormatError, read_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowErrors(Exception):
    """The file's bad rows, each message naming the row and the column."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def row_error(row: int, column: str, message: str) -> str:
    """One problem of the file, as the user finds it: row number and column header."""
    return _("Row %(row)d, column “%(column)s”: %(error)s") % {
        "row": row,
        "column": column,
        "error": message,
    }


def read_rows(
    file: IO[bytes],
    filename: str,
    columns: Mapping[str, str],
    make_form: Callable[[dict[str, Any]], forms.Form],
    *,
    required: tuple[str, ...] | None = None,
    example: tuple[str, ...] | None = None,
    convert: Mapping[str, Callable[[Any], Any]] | None = None,
) -> list[tuple[int, dict[str, Any]]]:
    """``(row number, cleaned data)`` of every data row, each validated by ``make_form``.

    ``columns`` maps a header (as in the template) to the form field it fills; ``required``
    lists the headers the file must have (default: all). ``example`` is the template's example
    row, skipped when left in. ``convert`` turns a cell into form input for some fields (e.g. a
    position's Chinese title into its code). Raises :class:`RowErrors` (nothing to write) or
    ``FileFormatError`` (the file cannot be read).
    """
    table = read_table(file, filename)
    if not table:
        raise RowErrors([_("The file is empty.")])
    header_row, header = table[0]
    names = [str(h or "").strip() for h in header]
    missing = [c for c in (required or tuple(columns)) if c not in names]
    if missing:
        raise RowErrors(
            [
                _("Row %(row)d: the columns %(columns)s are missing.")
                % {"row": header_row, "columns": "、".join(missing)}
            ]
        )
    index = {c: names.index(c) for c in columns if c in names}
    column_of = {field: header for header, field in columns.items()}
    convert = convert or {}
    result: list[tuple[int, dict[str, Any]]] = []
    errors: list[str] = []
    for number, values in table[1:]:
        cells = {
            c: values[i] if i < len(values) and values[i] is not None else ""
            for c, i in index.items()
        }
        if example is not None and [str(cells.get(c, "")).strip() for c in columns] == list(
            example
        ):
            continue  # the template's example row, left in
        data: dict[str, Any] = {}
        for header_name, value in cells.items():
            field = columns[header_name]
            if field in convert:
                value = convert[field](value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()[:10]
            data[field] = value if isinstance(value, str) else str(value)
        form = make_form(data)
        if not form.is_valid():
            for field, messages in form.errors.items():
                column = column_of.get(field, "")
                for message in messages:
                    errors.append(
                        row_error(number, column, message)
                        if column
                        else _("Row %(row)d: %(error)s") % {"row": number, "error": message}
                    )
            continue
        result.append((number, form.cleaned_data))
    if errors:
        raise RowErrors(errors)
    if not result:
        raise RowErrors([_("The file has no data rows.")])
    return result


def run_import(write: Callable[[], int]) -> tuple[int | None, list[str]]:
    """Run an upload's all-or-nothing write: ``(count, [])``, or ``(None, messages)`` naming
    the bad rows, the unreadable file or the refused scope, for the page to show."""
    try:
        return write(), []
    except RowErrors as exc:
        return None, exc.messages
    except (FileFormatError, PermissionDenied) as exc:
        return None, [str(exc)]


def template_response(
    sheet: str, header: list[Any], rows: list[list[Any]], filename: str
) -> HttpResponse:
    """An upload template (or a table to fill in) as an .xlsx download."""
    response = HttpResponse(write_xlsx(sheet, header, rows).read(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
