"""Read records from CSV/XLSX and format results as a table, JSON or CSV (pure, no Django).

Layout of an input file (one row per enterprise, header on the first row):

* ``id`` — required, unique; ``name`` — optional, ignored by grading;
* one column per indicator code: a number (quantitative), the level met (qualitative:
  ``I``/``II``/``III`` or ``Ⅰ``/``Ⅱ``/``Ⅲ`` or ``1``/``2``/``3``; ``0`` or ``未达到`` when no level
  text is met), ``是``/``否`` (yes/no); ``NA`` = not applicable; blank = missing;
* ``output:<code>`` — the output of the product behind an output-share indicator (blank or 0:
  not made); ``param:<name>`` — a parameter of linear benchmarks, e.g. ``param:n``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from cleanprod.core.scoring.advisor import Plan
from cleanprod.core.scoring.errors import TabularError
from cleanprod.core.scoring.model import Grade, IndicatorSystem, Kind, Record, Value
from cleanprod.core.scoring.result import EvaluationResult

NA_TEXTS = frozenset({"NA", "N/A", "不适用"})
_LEVEL_TEXTS = {
    "I": Grade.I,
    "Ⅰ": Grade.I,
    "1": Grade.I,
    "Ⅰ级": Grade.I,
    "I级": Grade.I,
    "II": Grade.II,
    "Ⅱ": Grade.II,
    "2": Grade.II,
    "Ⅱ级": Grade.II,
    "II级": Grade.II,
    "III": Grade.III,
    "Ⅲ": Grade.III,
    "3": Grade.III,
    "Ⅲ级": Grade.III,
    "III级": Grade.III,
    "0": Grade.BELOW,
    "4": Grade.BELOW,
    "BELOW": Grade.BELOW,
    "未达到": Grade.BELOW,
}
_YES = frozenset({"是", "YES", "Y", "TRUE", "1"})
_NO = frozenset({"否", "NO", "N", "FALSE", "0"})


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(row number, cells)`` of a .csv (UTF-8 or GB18030) or .xlsx file, as text.

    The command line reads files by path here; the web platform reads uploads with its own
    reader (python-calamine, in memory) and passes the rows to :func:`table_from_rows`.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".csv":
            rows: Sequence[Sequence[object]] = _csv_rows(p.read_bytes(), str(p))
        elif suffix in (".xlsx", ".xlsm"):
            rows = _xlsx_rows(p)
        else:
            raise TabularError(f"{p}：只支持 .csv 和 .xlsx 文件")
    except OSError as exc:
        raise TabularError(f"无法读取 {p}：{exc.strerror}") from None
    return table_from_rows(enumerate(rows, start=1), str(p))


def table_from_rows(
    rows: Iterable[tuple[int, Sequence[object]]], source: str = ""
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and non-blank body rows of rows already read, every cell as text.

    ``rows`` are ``(row number, cell values)`` as a reader numbers them; the first is the header.
    Values may be text, numbers, booleans, dates or None (an empty cell).
    """
    texts = [(n, [_cell_text(v) for v in r]) for n, r in rows]
    if not texts:
        raise TabularError(f"{source}：文件为空" if source else "文件为空")
    header = [h.strip() for h in texts[0][1]]
    body = [(n, r) for n, r in texts[1:] if any(c.strip() for c in r)]
    return header, body


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else GB18030 as Excel on Chinese Windows saves CSV."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError("CSV 文件应为 UTF-8 或 GB18030 编码")


def _csv_rows(data: bytes, source: str) -> list[list[str]]:
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(decode_csv(data), newline="")))
    except csv.Error as exc:
        raise TabularError(f"{source}：第{len(rows) + 1}行无法解析（{exc}）") from None
    return rows


def _xlsx_rows(path: Path) -> list[list[object]]:
    import openpyxl  # type: ignore[import-untyped]  # no stubs; only XLSX input needs it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TabularError(f"{path}：无法作为 XLSX 打开（{exc}）") from None
    try:
        sheet = wb.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime) and v.time() == time():
        return v.date().isoformat()  # a date cell: readers differ on date vs midnight datetime
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def parse_records(
    system: IndicatorSystem,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    source: str = "",
) -> list[Record]:
    """Turn text rows into records, naming the row and column of any bad cell."""
    where = f"{source}：" if source else ""
    if "id" not in header:
        raise TabularError(f"{where}缺少 id 列（第1行应为表头：id, 指标代码…）")
    params = {p.name for p in system.parameters}
    for col, name in enumerate(header, start=1):
        kind, _, rest = name.partition(":")
        ok = (
            name in ("", "id", "name")
            or name in system.position  # "": a trailing empty column
            or (kind == "output" and rest in system.output_share)
            or (kind == "param" and rest in params)
        )
        if not ok:
            raise TabularError(
                f"{where}第1行第{col}列：未知列名“{name}”"
                f"（应为 id、name、指标代码、output:<指标代码> 或 param:<参数名>）"
            )
    dupes = {h for h in header if h and header.count(h) > 1}
    if dupes:
        raise TabularError(f"{where}第1行：列名重复：{', '.join(sorted(dupes))}")
    records: list[Record] = []
    seen: set[str] = set()
    for line, cells in rows:
        cells = list(cells) + [""] * (len(header) - len(cells))
        row = dict(zip(header, (c.strip() for c in cells), strict=False))
        rid = row["id"]
        if not rid or rid in seen:
            problem = "为空" if not rid else f"重复“{rid}”"
            raise TabularError(f"{where}第{line}行，列“id”：{problem}")
        seen.add(rid)
        records.append(_record(system, rid, row, f"{where}第{line}行"))
    return records


def _record(system: IndicatorSystem, rid: str, row: dict[str, str], at: str) -> Record:
    values: dict[str, Value] = {}
    na: set[str] = set()
    outputs: dict[str, float] = {}
    params: dict[str, int] = {}
    for col, text in row.items():
        if not text or col in ("", "id", "name"):
            continue
        kind, _, rest = col.partition(":")
        if kind == "output":
            out = _number(text, at, col)
            if out < 0:
                raise TabularError(f"{at}，列“{col}”：产量不能为负（{text}）")
            outputs[rest] = out
        elif kind == "param":
            try:
                params[rest] = int(text)
            except ValueError:
                raise TabularError(f"{at}，列“{col}”：参数应为整数，实际为“{text}”") from None
        elif text.upper() in NA_TEXTS:
            na.add(col)
        else:
            values[col] = _value(system.indicator(col).kind, text, at, col)
    return Record(rid, values, frozenset(na), outputs, params)


def _number(text: str, at: str, col: str) -> float:
    try:
        x = float(text.replace(",", ""))
    except ValueError:
        raise TabularError(f"{at}，列“{col}”：无法解析数值“{text}”") from None
    if not math.isfinite(x):
        raise TabularError(f"{at}，列“{col}”：数值应为有限数（{text}）")
    return x


def _value(kind: Kind, text: str, at: str, col: str) -> Value:
    if kind is Kind.QUANTITATIVE:
        return _number(text, at, col)
    key = text.upper()
    if kind is Kind.QUALITATIVE:
        if key not in _LEVEL_TEXTS:
            raise TabularError(
                f"{at}，列“{col}”：定性指标应填所达等级 I/II/III 或 0（未达到），实际为“{text}”"
            )
        return _LEVEL_TEXTS[key]
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise TabularError(f"{at}，列“{col}”：是否类指标应填 是/否，实际为“{text}”")


def read_records(system: IndicatorSystem, path: str | Path) -> list[Record]:
    """Records of a .csv or .xlsx file (see the module docstring for the layout)."""
    header, rows = read_table(path)
    return parse_records(system, header, rows, str(path))


# --- output ---------------------------------------------------------------------------------


def _y(value: Any) -> float:
    return round(float(value), 4)


def result_dict(result: EvaluationResult) -> dict[str, Any]:
    """A JSON-ready dict of a result (indices rounded to 4 places, plus their exact value)."""
    return {
        "id": result.record_id,
        "system": result.system,
        "grade": result.grade.name,
        "grade_label": result.grade.label,
        "advanced": result.advanced,
        "index": {"I": _y(result.index[0]), "II": _y(result.index[1]), "III": _y(result.index[2])},
        "index_exact": [str(y) for y in result.index],
        "failed_restrictive": {
            k: list(v) for k, v in zip(("I", "II", "III"), result.failed_restrictive, strict=True)
        },
        "failed_flag": list(result.failed_flag),
        "missing": list(result.missing),
        "not_applicable": list(result.not_applicable),
        "inapplicable_categories": list(result.inapplicable_categories),
        "indicators": [
            {
                "code": o.code,
                "level": o.level.name if o.level else None,
                "weight": str(o.weight),
                "missing": o.missing,
                "reason": o.reason,
            }
            for o in result.outcomes
        ],
        "explanation": result.explanation,
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    """A JSON-ready dict of an advisor plan."""
    return {
        "grade": plan.grade.name,
        "cost": str(plan.cost),
        "index_after": _y(plan.index_after),
        "improvements": [
            {
                "code": i.code,
                "from": i.current.name,
                "missing": i.missing,
                "to": i.level.name,
                "target": i.target,
                "forced": i.forced,
            }
            for i in plan.improvements
        ],
    }


Advice = Sequence[Sequence[Plan]] | None
"""Per result, the advisor's plans (``--advise``), or None for no advice."""


def format_json(results: Sequence[EvaluationResult], advice: Advice = None) -> str:
    """Results as a JSON array (with an ``advice`` list per result when given)."""
    rows = [result_dict(r) for r in results]
    for row, plans in zip(rows, advice or [], strict=False):
        row["advice"] = [plan_dict(p) for p in plans]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def format_csv(results: Sequence[EvaluationResult], advice: Advice = None) -> str:
    """Results as CSV: one row per record, then one ``level:<code>`` column per indicator."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    codes = [o.code for o in results[0].outcomes] if results else []
    w.writerow(
        [
            "id",
            "grade",
            "Y_I",
            "Y_II",
            "Y_III",
            "advanced",
            "failed_restrictive",
            "missing",
            "not_applicable",
            "explanation",
            *(["advice"] if advice else []),
            *(f"level:{c}" for c in codes),
        ]
    )
    for i, r in enumerate(results):
        tips = ["\n".join(p.describe() for p in advice[i])] if advice else []
        w.writerow(
            [
                r.record_id,
                r.grade.name,
                *(_y(y) for y in r.index),
                int(r.advanced),
                ";".join(_failed_above(r)),
                ";".join(r.missing),
                ";".join(r.not_applicable),
                r.explanation,
                *tips,
                *((o.level.name if o.level else "NA") for o in r.outcomes),
            ]
        )
    return buf.getvalue()


def _failed_above(r: EvaluationResult) -> tuple[str, ...]:
    """Restrictive indicators short of the level one above the grade."""
    return r.failed_restrictive[r.grade - 2] if r.grade > Grade.I else ()


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def format_table(results: Sequence[EvaluationResult], advice: Advice = None) -> str:
    """Aligned text table, one line per record, then each record's explanation (and advice)."""
    head = ["企业", "等级", "Y_Ⅰ", "Y_Ⅱ", "Y_Ⅲ", "未达上一级的限定性指标", "缺失", "不适用"]
    rows = [head]
    for r in results:
        failed = _failed_above(r)
        rows.append(
            [
                r.record_id,
                r.grade.label,
                *(f"{float(y):.2f}" for y in r.index),
                ",".join(failed) or "-",
                str(len(r.missing)),
                str(len(r.not_applicable)),
            ]
        )
    widths = [max(_width(row[c]) for row in rows) for c in range(len(head))]
    lines = [
        "  ".join(cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(row)).rstrip()
        for row in rows
    ]
    notes = [f"[{r.record_id}] {r.explanation}" for r in results]
    for i, plans in enumerate(advice or []):
        notes[i] += "".join(f"\n改进建议 — {p.describe()}" for p in plans)
    return "\n".join(lines) + "\n\n" + "\n\n".join(notes) + "\n"


FORMATTERS = {"table": format_table, "json": format_json, "csv": format_csv}
