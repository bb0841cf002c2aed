"""Vectorised kernels of batch grading, indicator-major: arrays are (m indicators, N records).

* :func:`levels_of` — the level each record reaches on each indicator (0 = not applicable);
* :func:`exact_index` — Y_I..Y_III as exact integers over a common denominator per
  applicability pattern (int64, or Python ints when a denominator is too large);
* :func:`float_index` — Y in doubles for output-share systems, whose weights differ per record;
  the caller settles the few records within :data:`TOLERANCE` of a threshold exactly.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from cleanprod.core.scoring.engine import effective_weights
from cleanprod.core.scoring.errors import RecordError
from cleanprod.core.scoring.model import (
    LEVELS,
    Benchmark,
    Bound,
    Grade,
    Indicator,
    IndicatorSystem,
    Kind,
    Share,
)

NO_PARAM = np.iinfo(np.int64).min  # marks a parameter not given for a record
_INT64_SAFE = 2**62
# |float Y − exact Y| ≤ ~(3m + 10)·2⁻⁵³·100 ≈ 1e-11 for m < 1000 indicators; 1e-9 is ample.
TOLERANCE = 1e-9

_Bools = npt.NDArray[np.bool_]
_Pair = tuple[npt.NDArray[Any], npt.NDArray[Any]]


def _limit(bound: Bound, n: npt.NDArray[np.int64] | None, lowest: int) -> Any:
    """A limit as a double, or per record for a+b·n (one exact value per distinct n)."""
    if bound.limit.slope == 0 or n is None:
        return float(bound.limit.const)
    table = np.array([float(bound.limit.at(v)) for v in range(lowest, int(n.max()) + 1)])
    return table[n - lowest]


def _meets(
    col: npt.NDArray[np.float64], bench: Benchmark, n: npt.NDArray[np.int64] | None, lowest: int
) -> _Bools:
    """Vectorised :meth:`Benchmark.contains` (NaN meets nothing)."""
    ok: _Bools | None = None
    for bound, upper in ((bench.lower, False), (bench.upper, True)):
        if bound is None:
            continue
        lim = _limit(bound, n, lowest)
        if upper:
            part = (col < lim) if bound.strict else (col <= lim)
        else:
            part = (col > lim) if bound.strict else (col >= lim)
        ok = part if ok is None else ok & part
    return np.ones(col.shape, dtype=np.bool_) if ok is None else ok


def _one_sided(ind: Indicator) -> tuple[bool, list[float]] | None:
    """For constant one-sided benchmarks: (upper?, inclusive double limits I, II, III).

    ``x < L`` is ``x ≤ nextafter(L, -∞)`` exactly on doubles, so every limit becomes inclusive.
    Returns None unless the three sets are nested *as doubles* (validation proves it for the
    exact limits; two limits rounding to one double could break it), so that the level is
    simply 4 − (number of levels met).
    """
    benches = [b for b in ind.benchmarks if b is not None]
    if ind.parameter is not None or len(benches) != 3:
        return None
    upper = benches[0].upper is not None
    limits = []
    for b in benches:
        bound = b.upper if upper else b.lower
        if bound is None or (b.lower if upper else b.upper) is not None:
            return None
        lim = float(bound.limit.const)
        if bound.strict:
            lim = float(np.nextafter(lim, -np.inf if upper else np.inf))
        limits.append(lim)
    nested = limits == sorted(limits) if upper else limits == sorted(limits, reverse=True)
    return (upper, limits) if nested else None


def check_params(
    system: IndicatorSystem, params: dict[str, npt.NDArray[np.int64]], n_rec: int
) -> dict[str, npt.NDArray[np.int64]]:
    """Parameters checked against their declared range; a missing one is NO_PARAM."""
    out = {}
    for p in system.parameters:
        n = params.get(p.name)
        if n is None:
            n = np.full(n_rec, NO_PARAM, dtype=np.int64)
        given = n[n != NO_PARAM]
        if given.size and (
            given.min() < p.minimum or (p.maximum is not None and given.max() > p.maximum)
        ):
            top = p.maximum if p.maximum is not None else "∞"
            raise RecordError(f"参数 {p.name} 超出体系声明的范围 {p.minimum}–{top}")
        out[p.name] = n
    return out


def levels_of(
    system: IndicatorSystem,
    values: npt.NDArray[np.float64],
    params: dict[str, npt.NDArray[np.int64]],
    applicable: _Bools,
) -> npt.NDArray[np.int8]:
    """Levels (0 = N/A, 1-3, 4 = below), shape (m, N); ``values`` is (m, N), NaN = missing.

    Written in place row by row: the hot path allocates almost nothing per indicator.
    """
    m, n_rec = values.shape
    levels = np.zeros((m, n_rec), dtype=np.int8)
    params = check_params(system, params, n_rec)
    met_buf = np.empty(n_rec, dtype=np.bool_)  # reused: no allocation per comparison
    for j, ind in enumerate(system.indicators):
        if not ind.scorable:
            continue
        col, row = values[j], levels[j]
        fast = _one_sided(ind) if ind.kind is Kind.QUANTITATIVE else None
        if fast is not None:  # NaN meets no level, so it stays at 4 by itself
            upper, limits = fast
            row.fill(4)
            compare = np.less_equal if upper else np.greater_equal
            for lim in limits:
                compare(col, lim, out=met_buf)
                np.subtract(row, met_buf, out=row, casting="unsafe")
        elif ind.kind is Kind.QUANTITATIVE:
            n = params[ind.parameter] if ind.parameter else None
            lowest = 0
            if n is not None:
                lowest = next(p.minimum for p in system.parameters if p.name == ind.parameter)
                n = np.where(n == NO_PARAM, lowest, n)  # any n; those rows are reset below
            met = [_meets(col, b, n, lowest) for b in ind.benchmarks if b is not None]
            # Cumulative: the first (best) level met is the level reached.
            row[:] = np.where(met[2], np.int8(3), np.int8(4))
            np.copyto(row, np.int8(2), where=met[1])
            np.copyto(row, np.int8(1), where=met[0])
            if ind.parameter is not None:
                np.copyto(row, np.int8(4), where=params[ind.parameter] == NO_PARAM)
        elif ind.kind is Kind.QUALITATIVE:
            picked = np.nan_to_num(col, nan=4.0)
            row[:] = picked
            if not (np.array_equal(row, picked) and row.min() >= 1 and row.max() <= 4):
                raise RecordError(f"指标 {ind.code}：定性指标的值应为等级 1、2、3 或 4（未达到）")
        else:
            row[:] = np.where(col == 1.0, np.int8(1), np.int8(4))
        np.multiply(row, applicable[j], out=row)
    return levels


def missing_of(
    system: IndicatorSystem,
    values: npt.NDArray[np.float64],
    params: dict[str, npt.NDArray[np.int64]],
    levels: npt.NDArray[np.int8],
) -> _Bools:
    """Applicable indicators without a value, or without the parameter their benchmark needs."""
    missing = np.isnan(values) & (levels > 0)
    for j, ind in enumerate(system.indicators):
        n = params.get(ind.parameter) if ind.parameter else None
        if n is not None:
            missing[j] |= (n == NO_PARAM) & (levels[j] > 0)
        elif ind.parameter:
            missing[j] = levels[j] > 0
    return missing


def _pattern_weights(
    system: IndicatorSystem, mask: npt.NDArray[np.bool_], outputs: dict[str, float]
) -> tuple[list[int], int]:
    """Integer weights K_j and denominator D with K_j / D the exact share of the index."""
    codes = [c for c, on in zip(system.position, mask, strict=True) if on]
    weights, _ = effective_weights(system, codes, outputs)
    den = math.lcm(*(w.denominator for w in weights.values())) if weights else 1
    return [int(weights.get(c, 0) * den) for c in system.position], den


_CHUNK = 4  # indicators combined into one base-5 code (5^4 = 625-entry tables)


_FIELD = 21  # bits per level when the three sums are packed into one int64


def _sums(levels: npt.NDArray[np.int8], kvec: list[int], dtype: Any) -> list[npt.NDArray[Any]]:
    """Σ_j K_j·[0 < level_j ≤ k] for k = I, II, III.

    Four indicators' levels (0-4 each) form one base-5 code; a 625-entry table holds the summed
    weights met for every code, so each group costs one gather instead of arithmetic per
    indicator and level. When Σ K_j < 2^20 the three sums share one int64 (21 bits each), so
    a single gather and add serve all three levels.
    """
    n_rec = levels.shape[1]
    packed = dtype is not object and sum(kvec) < 2 ** (_FIELD - 1)
    tables = 1 if packed else 3
    sums = [np.zeros(n_rec, dtype=dtype) for _ in range(tables)]
    cols = [j for j, w in enumerate(kvec) if w != 0]
    code = np.empty(n_rec, dtype=np.int16)  # buffers reused across groups: no allocation churn
    digit = np.empty(n_rec, dtype=np.int16)
    gathered = np.empty(n_rec, dtype=dtype)
    for start in range(0, len(cols), _CHUNK):
        chunk = cols[start : start + _CHUNK]
        code.fill(0)
        for place, j in enumerate(chunk):
            np.multiply(levels[j], 5**place, out=digit, dtype=np.int16)
            code += digit
        digits = (np.arange(5 ** len(chunk))[None, :] // (5 ** np.arange(len(chunk)))[:, None]) % 5
        weights = np.array([kvec[j] for j in chunk], dtype=dtype)
        per_level = [weights @ ((digits > 0) & (digits <= int(k))).astype(dtype) for k in LEVELS]
        if packed:
            per_level = [sum(t << (_FIELD * k) for k, t in enumerate(per_level))]
        for table, total in zip(per_level, sums, strict=True):
            np.take(table, code, out=gathered)
            total += gathered
    if packed:
        mask = (1 << _FIELD) - 1
        return [(sums[0] >> (_FIELD * k)) & mask for k in range(3)]
    return sums


def same_columns(matrix: npt.NDArray[Any]) -> list[npt.NDArray[np.intp]]:
    """Indices of the columns of ``matrix`` (any fixed-size dtype), grouped by equal content."""
    cols = np.ascontiguousarray(matrix.T)
    keys = cols.view(np.dtype((np.void, cols.shape[1] * cols.itemsize))).reshape(-1)
    _, inv = np.unique(keys, return_inverse=True)
    inv = inv.reshape(-1)
    order = np.argsort(inv, kind="stable")
    bounds = np.flatnonzero(np.diff(inv[order])) + 1
    return np.split(order, bounds)


def output_dependent(system: IndicatorSystem, levels: npt.NDArray[np.int8], level: Grade) -> _Bools:
    """Records whose Y_level depends on output ratios: some output-share group is partly met.

    When every group's applicable members are all met or all unmet at ``level``, the output
    shares sum to 0 or 1 exactly and Y_level is a function of which indicators apply and meet
    the level, nothing else.
    """
    depends = np.zeros(levels.shape[1], dtype=np.bool_)
    pos = system.position
    for cat in system.categories:
        for g in cat.groups:
            if g.share is not Share.OUTPUT:
                continue
            sub = levels[[pos[i.code] for i in cat.indicators if i.group == g.code]]
            app = sub > 0
            met = app & (sub <= int(level))
            depends |= met.any(axis=0) & (app & ~met).any(axis=0)
    return depends


def tie_key(system: IndicatorSystem, levels: npt.NDArray[np.int8], level: Grade) -> _Bools:
    """What Y_level depends on when no output-share group is partly met, one column per record.

    Per indicator outside output-share groups: applies, meets the level. Per output-share
    group: some member applies, its applicable members meet the level. Records with equal keys
    have equal Y_level, whatever their outputs or other levels.
    """
    pos = system.position
    app = levels > 0
    met = app & (levels <= int(level))
    rows: list[_Bools] = []
    for cat in system.categories:
        for ind in cat.indicators:
            if ind.code not in system.output_share:
                rows += [app[pos[ind.code]], met[pos[ind.code]]]
        for g in cat.groups:
            if g.share is Share.OUTPUT:
                members = [pos[i.code] for i in cat.indicators if i.group == g.code]
                rows += [np.any(app[members], axis=0), np.any(met[members], axis=0)]
    return np.vstack(rows)


def exact_index(system: IndicatorSystem, applicable: _Bools, levels: npt.NDArray[np.int8]) -> _Pair:
    """Exact index: (3, N) numerators and (N,) denominators, Y_k = num[k] / den (×100, capped).

    One integer weight vector per applicability pattern; int64 unless a denominator is so
    large that 100·D could overflow, then Python integers.
    """
    n_rec = applicable.shape[1]
    default = np.array([i.scorable for i in system.indicators], dtype=np.bool_)
    differs = np.zeros(n_rec, dtype=np.bool_)
    for row, usual in zip(applicable, default, strict=True):
        differs |= row != usual  # row by row: no (m, N) temporary
    deviant = np.flatnonzero(differs)
    groups: list[tuple[_Bools, npt.NDArray[np.intp] | None]] = [(default, None)]
    if deviant.size:
        for same in same_columns(np.packbits(applicable[:, deviant], axis=0)):
            rows = deviant[same]
            groups.append((applicable[:, rows[0]], rows))
    plans = [(_pattern_weights(system, mask, {}), rows) for mask, rows in groups]
    bonus = sum((c.weight for c in system.categories if c.bonus), Fraction(0))
    safe = all(100 * den * (1 + bonus) < _INT64_SAFE for (_, den), _ in plans)
    dtype: Any = np.int64 if safe else object
    num = np.zeros((3, n_rec), dtype=dtype)  # level-major: each row contiguous
    dens = np.zeros(n_rec, dtype=dtype)
    for (kvec, den), members in plans:
        sel: Any = slice(None) if members is None else members
        sub = levels if members is None else levels[:, members]
        for k, part in enumerate(_sums(sub, kvec, dtype)):
            part *= 100
            np.minimum(part, 100 * den, out=part)  # the cap at 100, in place
            num[k, sel] = part
        dens[sel] = den
    return num, dens


def float_index(
    system: IndicatorSystem,
    outputs: npt.NDArray[np.float64],
    applicable: _Bools,
    levels: npt.NDArray[np.int8],
) -> npt.NDArray[np.float64]:
    """Y_I, Y_II, Y_III (3, N) in doubles, *before* the cap, with per-record output shares.

    The same formula as :func:`engine.effective_weights`, category by category; every term is
    non-negative, so the rounding error stays far below :data:`TOLERANCE`.
    """
    n_rec = applicable.shape[1]
    pos = system.position
    met = [(levels > 0) & (levels <= int(k)) for k in LEVELS]
    main = np.zeros((3, n_rec))
    bonus = np.zeros((3, n_rec))
    main_weight = np.zeros(n_rec)
    for cat in system.categories:
        raw = np.zeros((len(cat.indicators), n_rec))
        for g in cat.groups:
            rows = [pos[i.code] for i in cat.indicators if i.group == g.code]
            local = [r for r, i in enumerate(cat.indicators) if i.group == g.code]
            app = applicable[rows]
            if g.share is Share.EQUAL:
                raw[local] = app * (float(g.weight) / np.maximum(app.sum(axis=0), 1))
            else:
                out = np.where(app, outputs[rows], 0.0)
                raw[local] = out * (float(g.weight) / np.maximum(out.sum(axis=0), 1e-300))
        for r, ind in enumerate(cat.indicators):
            if ind.weight is not None:
                raw[r] = applicable[pos[ind.code]] * float(ind.weight)
        total = raw.sum(axis=0)
        rows = [pos[i.code] for i in cat.indicators]
        share = np.stack([(raw * met[k][rows]).sum(axis=0) for k in range(3)])
        share /= np.where(total > 0, total, 1.0)
        if cat.bonus:
            bonus += float(cat.weight) * share
        else:
            main += float(cat.weight) * share
            main_weight += float(cat.weight) * (total > 0)
    return np.asarray(100 * (main / np.where(main_weight > 0, main_weight, 1.0) + bonus))
