"""Exports of filtered registry lists and import templates, as .xlsx and .csv.

Exports reach only ``restrict(user, "export")`` and apply the list page's FilterSet, so a file
holds exactly what the user's filtered list shows. Columns are the import columns (an exported
file can be edited and imported again) plus the region's name and a 数据标记 column that marks
synthetic rows as 示例数据.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

from django.db.models import QuerySet
from django_filters import FilterSet
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from cleanprod.core.text import spreadsheet_safe
from cleanprod.platform.permissions import EXPORT
from cleanprod.registry import filtersets
from cleanprod.registry.io.cells import chinese_label, column_model_field
from cleanprod.registry.io.specs import SYNTHETIC_HEADER, SYNTHETIC_VALUE, Column, ModelSpec

FILTERSETS: dict[str, type[FilterSet]] = {
    "enterprises": filtersets.EnterpriseFilterSet,
    "parks": filtersets.ParkFilterSet,
    "agencies": filtersets.AgencyFilterSet,
    "experts": filtersets.ExpertFilterSet,
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CODE_KINDS = {"uscc", "region", "leaf_region", "industry", "divisions", "employer"}


def filtered(spec: ModelSpec, user: Any, params: Mapping[str, Any]) -> FilterSet:
    """The FilterSet of ``spec``'s list over the rows ``user`` may export; check ``is_valid()``."""
    queryset = spec.model._default_manager.restrict(user, EXPORT)
    if spec.select_related:
        queryset = queryset.select_related(*spec.select_related)
    if spec.prefetch_related:
        queryset = queryset.prefetch_related(*spec.prefetch_related)
    return FILTERSETS[spec.slug](params, queryset=queryset)


def headers(spec: ModelSpec) -> list[str]:
    """The export's header row: the spec's columns and the synthetic mark."""
    return [c.header for c in spec.columns] + [SYNTHETIC_HEADER]


def _getter(spec: ModelSpec, column: Column) -> Callable[[Any], Any]:
    kind, name = column.kind, column.field
    if kind == "choice":
        model_field = column_model_field(spec.model, column)
        labels = {code: chinese_label(model_field, code) for code, _label in model_field.choices}
        return lambda obj: labels.get(getattr(obj, name), getattr(obj, name))
    getters: dict[str, Callable[[Any], Any]] = {
        "id": lambda obj: obj.pk,
        "region": lambda obj: obj.region_id,
        "leaf_region": lambda obj: obj.region_id,
        "bool": lambda obj: "是" if getattr(obj, name) else "否",
        "date": lambda obj: getattr(obj, name),
        "divisions": lambda obj: "、".join(sorted(i.pk for i in getattr(obj, name).all())),
        "park": lambda obj: obj.park.name if obj.park_id else "",
        "employer": lambda obj: (obj.employer_enterprise or obj.employer_agency or _NoUscc).uscc,
    }
    if name == "region_name":
        return lambda obj: obj.region.full_name
    return getters.get(kind, lambda obj: getattr(obj, name))


class _NoUscc:
    uscc = ""


def rows(spec: ModelSpec, queryset: QuerySet) -> Iterator[list[Any]]:
    """One list of cell values per object, the synthetic mark last."""
    getters = [_getter(spec, c) for c in spec.columns]
    for obj in queryset.iterator(chunk_size=2000):
        yield [get(obj) for get in getters] + [SYNTHETIC_VALUE if obj.synthetic else ""]


FORMULA_START = ("=", "@")
SIGNED = ("+", "-")


def defused(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading ``'`` (imports drop it).

    A registry name such as ``=HYPERLINK(…)`` must stay text in the exported file.
    """
    if isinstance(value, str) and value:
        head, rest = value[0], value[1:].replace(" ", "").replace("-", "")
        if head in FORMULA_START or (head in SIGNED and not rest.isdigit()):
            return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], body: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text line by line, starting with a BOM so that Excel reads the Chinese as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for values in body:
        yield writer.writerow(["" if v is None else defused(v) for v in values])


def write_xlsx(sheet_title: str, header: list[str], body: Iterable[list[Any]]) -> IO[bytes]:
    """A streamed (write-only) workbook in a temporary file, rewound for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    sheet.append([spreadsheet_safe(h) for h in header])
    for values in body:
        sheet.append([spreadsheet_safe(defused(v)) for v in values])
    out = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - the caller reads it
    workbook.save(out)
    out.seek(0)
    return out


def export_file(spec: ModelSpec, queryset: QuerySet, fmt: str) -> IO[bytes]:
    """The whole export as a file object (the CLI; the web streams CSV itself)."""
    if fmt == "csv":
        data = "".join(csv_lines(headers(spec), rows(spec, queryset))).encode("utf-8")
        return io.BytesIO(data)
    return write_xlsx(spec.sheet, headers(spec), rows(spec, queryset))


# -- templates --------------------------------------------------------------------------------


def example_row(spec: ModelSpec) -> list[str]:
    """The template's example row (an import skips it if left unchanged)."""
    return [str(c.example) for c in spec.importable()]


def template_csv(spec: ModelSpec) -> bytes:
    """Header and example row as UTF-8 CSV with a BOM."""
    header = [c.header for c in spec.importable()]
    return "".join(csv_lines(header, [example_row(spec)])).encode("utf-8")


def template_xlsx(spec: ModelSpec) -> bytes:
    """A workbook with the header row, one example row and a 填写说明 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.sheet
    columns = spec.importable()
    sheet.append([c.header for c in columns])
    sheet.append(example_row(spec))
    required = PatternFill("solid", fgColor="FCE4D6")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required
        sheet.cell(row=2, column=index).font = Font(italic=True, color="808080")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, 2.2 * len(column.header))
        if column.kind in CODE_KINDS:
            # Text cells keep codes as typed: no lost leading zeros, no 9.1E+17.
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "必填", "说明", "示例"])
    for column in columns:
        notes.append([column.header, "是" if column.required else "", column.note, column.example])
    notes.append([])
    for line in TEMPLATE_NOTES:
        notes.append([line])
    for letter, width in zip("ABCD", (24, 6, 48, 28), strict=True):
        notes.column_dimensions[letter].width = width
    notes.cell(row=1, column=1).font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


TEMPLATE_NOTES = (
    "第1行为列名，请勿修改；橙色列为必填。第2行为示例，未修改时导入会忽略该行，也可删除。",
    "每一行都先校验，有任何错误时不写入任何数据，并列出出错的行号、列名和原因。",
    "统一社会信用代码（或编号）已存在的行为更新，需有修改权限；新增的行须在您的管辖范围内。",
    "布尔值填“是”或“否”；选项可填中文名称或代码。也可上传 UTF-8 或 GB18030 编码的 CSV 文件。",
)
