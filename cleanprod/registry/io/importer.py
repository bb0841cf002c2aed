"""Import registry rows from a spreadsheet: validate every row, then write all or nothing.

1. Read the file and match its header to the model's columns (:mod:`.specs`).
2. Parse every cell against reference data loaded once (:mod:`.cells`); find existing rows by
   USCC or id. Updating needs ``restrict(user, "change")``, adding needs the ``add`` action.
3. Write new and changed rows with ``bulk_create``/``bulk_update`` in one transaction, then ask
   ``restrict(user, "add"/"change")`` whether each written row lies in the user's scope (the
   same after-write check as a form save), and write one change-log entry per object.
4. Any error, or a dry run, rolls the whole transaction back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from cleanprod.changelog.context import change_context, current
from cleanprod.registry.io import cells
from cleanprod.registry.io.cells import CellError, Lookups
from cleanprod.registry.io.readers import FileFormatError, read_table
from cleanprod.registry.io.specs import SYNTHETIC_HEADER, Column, ModelSpec
from cleanprod.registry.io.writer import write_all

# (phase, rows done, rows in all or 0 if not yet known); phases: read, check, write.
Progress = Callable[[str, int, int], None]
CHUNK = 900  # below SQLite's 999 query parameters


def chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """Slices of ``items`` small enough for one ``__in`` query."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class RowError:
    """A problem with one cell (``column``) of one row; row 0 means the file as a whole."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        place = f"第{self.row}行 {self.column}" if self.column else f"第{self.row}行"
        return f"{place}：{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would do); nothing is written if ``errors``."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))


@dataclass
class Row:
    """One data row: parsed values, then the object it creates or updates."""

    number: int
    values: dict[str, Any]
    failed: bool = False
    obj: Any = None
    before: dict[str, Any] | None = None  # the change-log snapshot of an existing object
    m2m: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class Pending:
    """Rows ready to write: new objects, and changed ones with the fields to update."""

    create: list[Row] = field(default_factory=list)
    update: list[Row] = field(default_factory=list)
    update_fields: list[str] = field(default_factory=list)
    m2m_fields: list[str] = field(default_factory=list)


class _Rollback(Exception):
    pass


class Importer:
    """Imports one file of one model as one user."""

    def __init__(
        self, spec: ModelSpec, user: Any, *, dry_run: bool = False, progress: Progress | None = None
    ) -> None:
        self.spec = spec
        self.model = spec.model
        self.user = user
        self.dry_run = dry_run
        self.progress = progress or (lambda phase, done, total: None)
        self.result = ImportResult(dry_run=dry_run)
        self.headers = {c.field: c.header for c in spec.columns}

    def run(self, file: IO[bytes], filename: str) -> ImportResult:
        """Validate and (unless a dry run or any error) write the file's rows."""
        try:
            table = read_table(file, filename, lambda done: self.progress("read", done, 0))
        except FileFormatError as exc:
            self.result.error(exc.row, exc.column, str(exc))
            return self.result
        table = [(n, cells_) for n, cells_ in table if not all(map(cells.is_blank, cells_))]
        if not table:
            self.result.error(0, "", _("The file has no header row."))
            return self.result
        (header_number, header), body = table[0], table[1:]
        columns = self.match_header(header_number, header)
        if self.result.errors:
            return self.result
        self.lookups = Lookups.load(
            self.user, parks=any(c.kind == "park" for c in columns.values())
        )
        rows = self.parse(body, columns)
        self.result.rows = len(rows)
        pending = self.resolve(rows, set(c.field for c in columns.values()))
        self.write(pending)
        self.result.errors.sort(key=lambda e: (e.row, e.column))
        return self.result

    # -- header -------------------------------------------------------------------------------

    def match_header(self, number: int, header: list[Any]) -> dict[int, Column]:
        by_name = {alias: c for c in self.spec.columns for alias in c.aliases}
        found: dict[int, Column] = {}
        seen: set[str] = set()
        for index, raw in enumerate(header):
            name = cells.text(raw).rstrip("*＊").strip()
            if not name or name == SYNTHETIC_HEADER:  # exports mark demo rows; imports are real
                continue
            column = by_name.get(name)
            if column is None:
                self.result.error(number, name, _("Unknown column."))
            elif column.field in seen:
                self.result.error(number, name, _("The column appears twice."))
            else:
                seen.add(column.field)
                if not column.export_only:
                    found[index] = column
        for column in self.spec.importable():
            if column.required and column.field not in seen:
                self.result.error(number, column.header, _("The file lacks this required column."))
        return found

    # -- cells --------------------------------------------------------------------------------

    def parse(self, body: list[tuple[int, list[Any]]], columns: dict[int, Column]) -> list[Row]:
        plan = [(i, c, c.field, self.parser(c)) for i, c in columns.items()]
        example = {index: cells.text(column.example) for index, column in columns.items()}
        first = min(columns)
        rows = []
        for done, (number, raw_cells) in enumerate(body, start=1):
            if done % 2000 == 0:
                self.progress("check", done, len(body))
            width = len(raw_cells)
            if self.is_example(raw_cells, example, first):
                continue  # the template's example row, left in by the user
            row = Row(number, {})
            values = row.values
            for index, column, name, parse in plan:
                raw = raw_cells[index] if index < width else None
                if raw is None or (type(raw) is str and not raw.strip()):
                    if column.required:
                        self.fail(row, column, _("This column is required."))
                    else:
                        values[name] = self.blank(column)
                    continue
                try:
                    values[name] = parse(raw)
                except CellError as exc:
                    self.fail(row, column, str(exc))
            rows.append(row)
        self.progress("check", len(body), len(body))
        return rows

    @staticmethod
    def is_example(raw_cells: list[Any], example: dict[int, str], first: int) -> bool:
        def cell(i: int) -> str:
            return cells.text(raw_cells[i] if i < len(raw_cells) else None)

        return cell(first) == example[first] and all(cell(i) == v for i, v in example.items())

    def parser(self, column: Column) -> Callable[[Any], Any]:
        lookups = self.lookups
        model_field = cells.column_model_field(self.model, column)
        simple: dict[str, Callable[[Any], Any]] = {
            "uscc": cells.parse_uscc,
            "bool": cells.parse_bool,
            "date": cells.parse_date,
            "email": cells.parse_email,
            "id": cells.parse_id,
            "employer": cells.parse_uscc,
            "region": lambda raw: cells.parse_region(raw, lookups, leaf=False),
            "leaf_region": lambda raw: cells.parse_region(raw, lookups, leaf=True),
            "industry": lambda raw: cells.parse_industry(raw, lookups),
            "divisions": lambda raw: cells.parse_divisions(raw, lookups),
            "park": lambda raw: cells.parse_park(raw, lookups),
        }
        if column.kind == "choice":
            accepted = cells.choice_map(model_field)
            return lambda raw: cells.parse_choice(raw, model_field, accepted)
        if column.kind == "text":
            return lambda raw: cells.parse_text(raw, model_field)
        return simple[column.kind]

    def blank(self, column: Column) -> Any:
        if column.kind in ("divisions",):
            return []
        if column.kind in ("date", "park", "employer", "id"):
            return None
        model_field = cells.column_model_field(self.model, column)
        if model_field is not None and model_field.has_default():
            return model_field.get_default()
        return ""

    def fail(self, row: Row, column: Column | str, message: str) -> None:
        row.failed = True
        header = column.header if isinstance(column, Column) else self.headers.get(column, column)
        self.result.error(row.number, header, message)

    # -- existing rows, permissions, model rules ----------------------------------------------

    def resolve(self, rows: list[Row], present: set[str]) -> Pending:
        """Match rows to existing objects, apply their values and check the models' rules."""
        from cleanprod.registry.io.resolve import Resolver  # it builds on this module's types

        return Resolver(self, present).run(rows)

    # -- writing ------------------------------------------------------------------------------

    def write(self, pending: Pending) -> None:

        outer = current()
        try:
            with (
                change_context(self.user, source="import", remote_addr=outer.remote_addr),
                transaction.atomic(),
            ):
                write_all(self, pending)
                if self.result.errors or self.dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        except DatabaseError as exc:
            self.result.error(
                0, "", _("The database refused the import: %(error)s") % {"error": exc}
            )
        if self.result.errors:
            self.result.created = self.result.updated = 0
