"""Benchmark: batch grading vs the per-record path on a 40-indicator system.

Usage: ``.venv/bin/python bench/bench_scoring.py [--records N] [--sample S] [--repeat R]``

The batch path grades all N records (default 1,000,000) in one vectorised pass, timed
``--repeat`` times (default 3); the best run gives the ratio and every run is printed. The
per-record path (``evaluate``, exact Fractions) is timed on S records (default 20,000) and
*extrapolated* linearly to N; the report says so. The sample's batch results are checked
against the per-record results, so the speed-up is never bought with a different answer.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleanprod.core.scoring.batch import NO_PARAM, RecordArrays, evaluate_batch
from cleanprod.core.scoring.engine import evaluate
from cleanprod.core.scoring.loader import FORMAT, build_system
from cleanprod.core.scoring.model import Grade, IndicatorSystem, Kind

LEVEL_TEXTS = {"I": "甲", "II": "乙", "III": "丙"}
SMALLER = {"I": "≤30", "II": "<50", "III": "≤80"}  # smaller is better, strict at II
LARGER = {"I": ">70", "II": "≥50", "III": "≥20"}  # larger is better, strict at I
LINEAR = {"I": "≤10+5n", "II": "≤25+10n", "III": "≤55+5n"}  # the PCB form, n per record


def _indicator(c: int, j: int) -> dict[str, Any]:
    ind: dict[str, Any] = {"code": f"c{c}_{j}", "name": f"指标c{c}_{j}", "restrictive": j == 0}
    if j % 5 == 3:
        return ind | {"kind": "qualitative", "levels": LEVEL_TEXTS}
    if j % 5 == 4:
        return ind | {"kind": "yesno"}
    if c == 1 and j == 1:
        return ind | {"kind": "quantitative", "parameter": "n", "benchmarks": LINEAR}
    return ind | {"kind": "quantitative", "benchmarks": SMALLER if j % 2 == 0 else LARGER}


def bench_system() -> IndicatorSystem:
    """4 categories × 10 indicators: quantitative (≤, <, ≥, >, a+b·n), qualitative, yes/no,
    one restrictive per category, and an equal-share group (0.4 over 4) in category c2."""
    cats: list[dict[str, Any]] = []
    for c, weight in enumerate(("0.33", "0.27", "0.18", "0.22")):
        inds = [_indicator(c, j) | {"weight": "0.1"} for j in range(10)]
        groups = []
        if c == 2:
            groups = [{"code": "share", "name": "组", "weight": "0.4", "share": "equal"}]
            for ind in inds[:4]:
                del ind["weight"]
                ind["group"] = "share"
        cats.append(
            {
                "code": f"c{c}",
                "name": f"类{c}",
                "weight": weight,
                "indicators": inds,
                "groups": groups,
            }
        )
    return build_system(
        {
            "format": FORMAT,
            "slug": "bench",
            "name": "基准测试体系",
            "version": "1",
            "categories": cats,
            "parameters": [{"name": "n", "min": 0, "max": 6}],
        },
        "bench",
    )


def make_arrays(system: IndicatorSystem, n: int, seed: int) -> RecordArrays:
    """Plausible data: mostly complete, ~1% missing cells, ~2% N/A in the shared group."""
    rng = np.random.default_rng(seed)
    m = len(system.indicators)
    values = np.empty((n, m), order="F")  # column-major: each indicator contiguous
    for j, ind in enumerate(system.indicators):
        if ind.kind is Kind.QUALITATIVE:
            values[:, j] = rng.choice([1.0, 2.0, 3.0, 4.0], size=n, p=[0.55, 0.3, 0.1, 0.05])
        elif ind.kind is Kind.YESNO:
            values[:, j] = (rng.random(n) < 0.93).astype(np.float64)
        else:
            bench = ind.benchmarks[0]
            assert bench is not None
            centre = 25.0 if bench.upper is not None else 75.0
            values[:, j] = np.round(rng.normal(centre, 18.0, size=n), 1)
    values[rng.random((n, m)) < 0.01] = np.nan
    na = np.zeros((n, m), dtype=np.bool_, order="F")
    group_cols = [system.position[i.code] for i in system.indicators if i.group is not None]
    na[:, group_cols] = rng.random((n, len(group_cols))) < 0.02
    params = {"n": rng.integers(0, 7, size=n).astype(np.int64)}
    params["n"][rng.random(n) < 0.005] = NO_PARAM
    ids = [f"E{i:07d}" for i in range(n)]
    return RecordArrays(ids, values, na, np.full((n, m), np.nan, order="F"), params)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument(
        "--sample",
        type=int,
        default=20_000,
        help="records timed on the per-record path (then extrapolated)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="batch runs; the best is reported")
    args = parser.parse_args(argv)
    system = bench_system()
    arrays = make_arrays(system, args.records, args.seed)

    evaluate_batch(system, make_arrays(system, 1000, args.seed + 1))  # warm-up imports
    runs = []
    for _ in range(args.repeat):  # best of R, as timeit does: the machine may be shared
        t0 = time.perf_counter()
        batch = evaluate_batch(system, arrays)
        runs.append(time.perf_counter() - t0)
    t_batch = min(runs)

    sample = min(args.sample, args.records)
    records = [arrays.record(system, i) for i in range(sample)]
    t0 = time.perf_counter()
    singles = [evaluate(system, r) for r in records]
    t_sample = time.perf_counter() - t0
    t_single = t_sample * args.records / sample

    mismatches = sum(
        Grade(int(batch.grade[i])) is not s.grade or batch.index(i) != s.index
        for i, s in enumerate(singles)
    )
    counts = np.bincount(batch.grade, minlength=5)[1:]
    print(
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
        f"{os.getloadavg()[0]:.2f} at the end of the run"
    )
    print(
        f"machine: {platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs"
    )
    print(
        f"system: {len(system.indicators)} indicators; records: {args.records:,}; "
        f"grades I/II/III/below: {'/'.join(str(int(c)) for c in counts)}"
    )
    print(
        f"batch (vectorised, exact int64):     {t_batch:8.3f} s  (best of {len(runs)}: "
        f"{', '.join(f'{r:.3f}' for r in runs)} s)"
    )
    print(
        f"per-record (exact Fractions):        {t_single:8.3f} s  "
        f"(extrapolated from {sample:,} records timed in {t_sample:.3f} s)"
    )
    print(f"ratio per-record / batch:            {t_single / t_batch:8.1f}x")
    print(f"sample check batch == per-record:    {sample - mismatches:,}/{sample:,} identical")
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
