"""Grade N records against one system in one vectorised numpy pass, exactly.

Membership is computed indicator by indicator (value vs benchmark as doubles, the comparison
the single-record path makes). The index is exact integer arithmetic: records are grouped by
*applicability pattern* (which indicators apply; usually one pattern covers nearly everyone),
each pattern's exact Fraction weights are scaled to a common denominator D, and
``Y_k·D/100 = Σ_j K_j·[level_j ≤ k]`` is summed in int64 and compared with 85·D exactly.
Systems with output-share groups have weights that differ per record: their index is computed
in doubles and every record within 1e-9 of a threshold is settled in exact Fractions, so the
grades are still exactly those of the single-record path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from cleanprod.core.scoring.engine import (
    NA_NOT_MADE,
    NA_RECORD,
    NA_UNSET,
    build_result,
    check_record,
    effective_weights,
    index_of,
)
from cleanprod.core.scoring.errors import RecordError
from cleanprod.core.scoring.kernels import (
    NO_PARAM,
    TOLERANCE,
    exact_index,
    float_index,
    levels_of,
    missing_of,
    output_dependent,
    same_columns,
    tie_key,
)
from cleanprod.core.scoring.model import (
    FLAG_I_REQUIRES_II,
    LEVELS,
    Grade,
    IndicatorSystem,
    Kind,
    Record,
    Value,
)
from cleanprod.core.scoring.result import EvaluationResult

__all__ = ["NO_PARAM", "BatchResult", "RecordArrays", "evaluate_batch", "to_arrays"]


@dataclass
class RecordArrays:
    """Records as arrays, one column per indicator in ``system.indicators`` order.

    ``values``: numbers; for qualitative indicators the level picked (1, 2, 3, or 4 = below);
    for yes/no 1 or 0; NaN = missing. ``not_applicable``: documented N/A. ``outputs``: product
    outputs of output-share indicators (NaN or 0 = not made). ``params``: per-record parameter
    values, :data:`NO_PARAM` where not given.
    """

    ids: list[str]
    values: npt.NDArray[np.float64]
    not_applicable: npt.NDArray[np.bool_]
    outputs: npt.NDArray[np.float64]
    params: dict[str, npt.NDArray[np.int64]] = field(default_factory=dict)

    def record(self, system: IndicatorSystem, i: int) -> Record:
        """Row ``i`` as a :class:`Record` (what the single-record path would be given)."""
        values: dict[str, Value] = {}
        for j, ind in enumerate(system.indicators):
            v = float(self.values[i, j])
            if math.isnan(v):
                continue
            values[ind.code] = _from_number(ind.kind, v)
        return Record(
            id=self.ids[i],
            values=values,
            not_applicable=frozenset(
                c for j, c in enumerate(system.position) if self.not_applicable[i, j]
            ),
            outputs={
                c: float(self.outputs[i, system.position[c]])
                for c in system.output_share
                if not math.isnan(self.outputs[i, system.position[c]])
            },
            params={p: int(a[i]) for p, a in self.params.items() if a[i] != NO_PARAM},
        )


def _from_number(kind: Kind, v: float) -> Value:
    if kind is Kind.QUALITATIVE:
        return Grade(int(v))
    if kind is Kind.YESNO:
        return v == 1
    return v


def _to_number(kind: Kind, v: Value) -> float:
    if kind is Kind.QUALITATIVE:
        return float(int(v))
    if kind is Kind.YESNO:
        return 1.0 if v else 0.0
    return float(v)


def to_arrays(system: IndicatorSystem, records: list[Record]) -> RecordArrays:
    """Pack records into :class:`RecordArrays` (validating each like the single path)."""
    n, m = len(records), len(system.indicators)
    # column-major, the layout evaluate_batch reads without copying
    values = np.full((n, m), np.nan, order="F")
    na = np.zeros((n, m), dtype=np.bool_, order="F")
    outputs = np.full((n, m), np.nan, order="F")
    params = {p.name: np.full(n, NO_PARAM, dtype=np.int64) for p in system.parameters}
    pos = system.position
    for i, rec in enumerate(records):
        check_record(system, rec)
        for code, v in rec.values.items():
            try:
                values[i, pos[code]] = _to_number(system.indicators[pos[code]].kind, v)
            except (TypeError, ValueError):
                raise RecordError(f"记录 {rec.id}，指标 {code}：无法识别的值 {v!r}") from None
        for code in rec.not_applicable:
            na[i, pos[code]] = True
        for code, out in rec.outputs.items():
            outputs[i, pos[code]] = out
        for name, p in rec.params.items():
            params[name][i] = p
    return RecordArrays([r.id for r in records], values, na, outputs, params)


@dataclass(frozen=True)
class BatchResult:
    """Vectorised results, row i for record i.

    ``levels``: 0 = not applicable, 1-3 = level I-III, 4 = below III; ``missing``: applicable
    but no value (or no parameter); ``grade``: 1-4; ``index_float``: Y_I..Y_III as doubles.
    ``index_num[:, k] / index_den`` is Y exactly (×100, capped) when the weights are fixed per
    pattern; for output-share systems they are None and :meth:`index` computes Y exactly.
    """

    system: IndicatorSystem
    arrays: RecordArrays
    levels: npt.NDArray[np.int8]
    grade: npt.NDArray[np.int8]
    index_float: npt.NDArray[np.float64]
    index_num: npt.NDArray[Any] | None = None
    index_den: npt.NDArray[Any] | None = None

    @cached_property
    def missing(self) -> npt.NDArray[np.bool_]:
        """(N, m): applicable but without a value (or without its parameter); built on demand."""
        values = np.asfortranarray(self.arrays.values).T
        return missing_of(self.system, values, self.arrays.params, self.levels.T).T

    def index(self, i: int) -> tuple[Fraction, Fraction, Fraction]:
        """Y_I, Y_II, Y_III of record ``i`` as exact Fractions."""
        if self.index_num is not None and self.index_den is not None:
            den = int(self.index_den[i])
            y = [Fraction(int(self.index_num[i, k]), den) for k in range(3)]
            return y[0], y[1], y[2]
        return _exact_row(self.system, self.arrays, self.levels[i], i)

    def result(self, i: int) -> EvaluationResult:
        """The full :class:`EvaluationResult` of record ``i``, built from the batch levels."""
        system, arrays = self.system, self.arrays
        rec = arrays.record(system, i)
        levels: dict[str, Grade | None] = {}
        missing: dict[str, str] = {}
        reasons: dict[str, str] = {}
        for j, ind in enumerate(system.indicators):
            lv = int(self.levels[i, j])
            levels[ind.code] = None if lv == 0 else Grade(lv)
            if lv == 0:
                reasons[ind.code] = (
                    NA_UNSET
                    if not ind.scorable
                    else NA_RECORD
                    if arrays.not_applicable[i, j]
                    else NA_NOT_MADE
                )
            elif self.missing[i, j]:
                missing[ind.code] = (
                    "缺少数据，按未达标计"
                    if ind.code not in rec.values
                    else f"缺少参数 {ind.parameter}，无法确定基准值，按未达标计"
                )
        applicable = [c for c, lv in levels.items() if lv is not None]
        weights, dropped = effective_weights(system, applicable, rec.outputs)
        return build_result(system, rec.id, rec.values, levels, missing, reasons, weights, dropped)


def _exact_row(
    system: IndicatorSystem, arrays: RecordArrays, row: npt.NDArray[np.int8], i: int
) -> tuple[Fraction, Fraction, Fraction]:
    """Y of record i in exact Fractions from its levels (the single-record formula)."""
    levels = {
        c: (None if lv == 0 else Grade(int(lv))) for c, lv in zip(system.position, row, strict=True)
    }
    outputs = {
        c: float(arrays.outputs[i, system.position[c]])
        for c in system.output_share
        if levels[c] is not None
    }
    weights, _ = effective_weights(
        system, [c for c, lv in levels.items() if lv is not None], outputs
    )
    return index_of(levels, weights)


def evaluate_batch(system: IndicatorSystem, arrays: RecordArrays) -> BatchResult:
    """Grade every row; row i equals ``evaluate(system, arrays.record(system, i))`` exactly.

    Pass column-major (Fortran-order) arrays to avoid transposing copies.
    """
    n_rec = len(arrays.ids)
    scorable = np.array([i.scorable for i in system.indicators], dtype=np.bool_)
    applicable = np.logical_not(np.asfortranarray(arrays.not_applicable).T)
    applicable &= scorable[:, None]
    share_rows = [system.position[c] for c in system.output_share]
    outputs = np.asfortranarray(arrays.outputs).T
    if share_rows:
        applicable[share_rows] &= outputs[share_rows] > 0
    values = np.asfortranarray(arrays.values).T  # (m, N), a view for column-major input
    levels = levels_of(system, values, arrays.params, applicable)
    num = den = None
    if share_rows:
        y = float_index(system, outputs, applicable, levels)
        index_ok = _settle(system, arrays, levels, y)
        index_float = np.minimum(y, 100.0).T
    else:
        num, den = exact_index(system, applicable, levels)  # num is (3, N)
        line = 85 * den
        index_ok = [
            np.asarray(num[0] >= line, dtype=np.bool_),
            np.asarray(num[1] >= line, dtype=np.bool_),
            np.asarray(num[2] == 100 * den, dtype=np.bool_),
        ]
        index_float = np.asarray(num / den, dtype=np.float64).T
        num = num.T
    restrictive = [i.restrictive for i in system.indicators]
    fails = [np.zeros(n_rec, dtype=np.bool_) for _ in LEVELS]
    flag = np.zeros(n_rec, dtype=np.bool_)
    for j, is_restrictive in enumerate(restrictive):  # row by row: no (m, N) temporaries
        if is_restrictive:
            for k, fail in zip(LEVELS, fails, strict=True):
                fail |= levels[j] > int(k)
        elif FLAG_I_REQUIRES_II in system.flags:
            flag |= levels[j] > int(Grade.II)
    passes = (index_ok[0] & ~fails[0] & ~flag, index_ok[1] & ~fails[1], index_ok[2] & ~fails[2])
    grade = np.select(passes, [1, 2, 3], default=4).astype(np.int8)
    return BatchResult(system, arrays, levels.T, grade, index_float, num, den)


def _settle(
    system: IndicatorSystem,
    arrays: RecordArrays,
    levels: npt.NDArray[np.int8],
    y: npt.NDArray[np.float64],
) -> list[npt.NDArray[np.bool_]]:
    """Y_I ≥ 85, Y_II ≥ 85, Y_III = 100 from doubles; near-ties settled in exact Fractions."""
    ok = [y[0] >= 85, y[1] >= 85, y[2] >= 100]
    checks = [(0, 85), (1, 85)]
    if any(c.bonus for c in system.categories):
        checks.append((2, 100))
    else:  # without a bonus, Y_III = 100 exactly when every applicable indicator meets III
        ok[2] = np.all(levels != int(Grade.BELOW), axis=0) & np.any(levels > 0, axis=0)
    for k, target in checks:
        idx = np.flatnonzero(np.abs(y[k] - target) <= TOLERANCE)
        if not idx.size:
            continue
        sub = levels[:, idx]
        depends = output_dependent(system, sub, LEVELS[k])
        # Usually a tie comes from groups all met or all unmet: then Y_k depends only on which
        # indicators apply and meet level k, and one exact computation serves every such row.
        bits = np.packbits(tie_key(system, sub, LEVELS[k]), axis=0)
        plain = np.flatnonzero(~depends)
        batches = [plain[same] for same in same_columns(bits[:, plain])] if plain.size else []
        batches += [np.array([r]) for r in np.flatnonzero(depends)]
        for rows in batches:
            first = int(idx[rows[0]])
            exact = _exact_row(system, arrays, levels[:, first], first)[k]
            ok[k][idx[rows]] = exact >= target
    return ok
