"""Command logic behind ``cleanprod evaluate`` and ``cleanprod systems``, as pure functions.

Each returns ``(text, exit_code)``; the Django management commands only print the text and
exit with the code, so everything here is testable without Django. Also runnable directly:
``python -m cleanprod.core.scoring.cli evaluate --system SLUG DATA.csv``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cleanprod.core.scoring.advisor import advise as plans
from cleanprod.core.scoring.batch import evaluate_batch, to_arrays
from cleanprod.core.scoring.errors import ScoringError, SystemValidationError
from cleanprod.core.scoring.loader import load_system, load_system_file, parse_system, shipped_files
from cleanprod.core.scoring.tabular import FORMATTERS, read_records

OK, INVALID, ERROR = 0, 1, 2


def run_evaluate(
    system: str, data: str, fmt: str = "table", advise: bool = False
) -> tuple[str, int]:
    """Grade every row of ``data`` (.csv/.xlsx) against ``system`` (a slug or a file path).

    With ``advise``, each result also gets the advisor's plans for the next two grades.
    """
    if fmt not in FORMATTERS:
        return f"未知输出格式“{fmt}”，可用：{', '.join(FORMATTERS)}", ERROR
    try:
        sys_ = load_system(system)
        records = read_records(sys_, data)
        batch = evaluate_batch(sys_, to_arrays(sys_, records))
        results = [batch.result(i) for i in range(len(records))]
        advice = (
            [plans(sys_, r, params=rec.params) for r, rec in zip(results, records, strict=True)]
            if advise
            else None
        )
    except ScoringError as exc:
        return str(exc), ERROR
    return FORMATTERS[fmt](results, advice), OK


def run_systems_list() -> tuple[str, int]:
    """One line per shipped system: slug, version, status, industries, name."""
    lines = []
    for name, text in shipped_files():
        try:
            s = parse_system(text, name)
        except SystemValidationError as exc:
            lines.append(f"{name}  无效：{exc}")
            continue
        lines.append(
            f"{s.slug}  {s.version}  {s.status}  行业 {','.join(s.industries) or '-'}"
            f"  {s.name}  （{len(s.indicators)} 项指标）"
        )
    return "\n".join(lines) + "\n", OK


def run_systems_validate(path: str) -> tuple[str, int]:
    """Validate a system file: exit 0 with a summary, or 1 with every problem found."""
    try:
        s = load_system_file(path)
    except ScoringError as exc:
        return str(exc), INVALID
    unset = [i.code for i in s.indicators if not i.scorable]
    text = (
        f"{path}: 有效 —— {s.name} {s.version}（{s.status}），"
        f"{len(s.categories)} 个一级指标，{len(s.indicators)} 项二级指标"
    )
    if unset:
        text += f"；基准值尚未设定（评价时按不适用处理）：{', '.join(unset)}"
    return text + "\n", OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``python -m cleanprod.core.scoring.cli``."""
    parser = argparse.ArgumentParser(prog="cleanprod")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="grade enterprises from a CSV/XLSX file")
    ev.add_argument("--system", required=True, help="slug of a shipped system, or a YAML path")
    ev.add_argument("data")
    ev.add_argument("--format", default="table", choices=sorted(FORMATTERS))
    ev.add_argument("--advise", action="store_true", help="add improvement plans per row")
    sy = sub.add_parser("systems", help="list shipped systems or validate a system file")
    sy_sub = sy.add_subparsers(dest="action", required=True)
    sy_sub.add_parser("list")
    va = sy_sub.add_parser("validate")
    va.add_argument("path")
    args = parser.parse_args(argv)
    if args.command == "evaluate":
        text, code = run_evaluate(args.system, args.data, args.format, args.advise)
    elif args.action == "list":
        text, code = run_systems_list()
    else:
        text, code = run_systems_validate(args.path)
    (sys.stdout if code == OK else sys.stderr).write(text if text.endswith("\n") else text + "\n")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
