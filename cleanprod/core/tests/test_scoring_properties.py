"""Property tests over random systems: batch == single, and the advisor == brute force."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import combinations
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanprod.core.scoring import Grade, Record, evaluate
from cleanprod.core.scoring.advisor import advise, min_cost_cover, plan_for
from cleanprod.core.scoring.batch import evaluate_batch, to_arrays
from cleanprod.core.scoring.loader import FORMAT, build_system
from cleanprod.core.scoring.model import FLAG_I_REQUIRES_II, IndicatorSystem, Kind, Value

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _bench(draw: st.DrawFn) -> dict[str, Any] | None:
    """Monotone benchmarks: ≤/< or ≥/> (maybe linear in n), a nested range, or unset."""
    shape = draw(st.sampled_from(["le", "ge", "le", "ge", "range", "unset"]))
    if shape == "unset":
        return None
    if shape == "range":
        w = sorted(draw(st.lists(st.integers(0, 3), min_size=3, max_size=3)))
        return {k: f"[{4 - d}, {6 + d}]" for k, d in zip(("I", "II", "III"), w, strict=True)}
    limits = sorted(draw(st.lists(st.integers(0, 10), min_size=3, max_size=3)))
    slopes = sorted(draw(st.lists(st.integers(0, 2), min_size=3, max_size=3)))
    linear = draw(st.booleans()) and draw(st.booleans())
    if shape == "ge":  # I is the largest limit
        limits, slopes = limits[::-1], slopes[::-1]
    strict = [draw(st.booleans()) for _ in range(3)]
    for k in range(2):  # equal limits: the stricter level must not be the looser one
        if limits[k] == limits[k + 1]:
            strict[k + 1] = strict[k + 1] and strict[k]
    ops = ("<", "≤") if shape == "le" else (">", "≥")
    return {
        k: f"{ops[0] if strict[i] else ops[1]}{limits[i]}" + (f"+{slopes[i]}n" if linear else "")
        for i, k in enumerate(("I", "II", "III"))
    }


def _indicator(draw: st.DrawFn, code: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["quantitative", "qualitative", "yesno"]))
    ind: dict[str, Any] = {
        "code": code,
        "name": f"指标{code}",
        "kind": kind,
        "restrictive": draw(st.integers(0, 3)) == 0,
    }
    if kind == "quantitative":
        ind["benchmarks"] = _bench(draw)
    elif kind == "qualitative":
        ind["levels"] = {"I": "甲", "II": "乙", "III": "丙"}
    return ind


@st.composite
def systems(draw: st.DrawFn, max_size: int = 4, output_share: bool = True) -> IndicatorSystem:
    n_cats = draw(st.integers(1, 3))
    parts = draw(st.lists(st.integers(1, 9), min_size=n_cats, max_size=n_cats))
    cats = []
    count = 0
    for c in range(n_cats + 1):
        if c == n_cats and not draw(st.booleans()):
            break  # no bonus category this time
        inds = [_indicator(draw, f"i{count + j}") for j in range(draw(st.integers(1, max_size)))]
        count += len(inds)
        # The first `members` indicators share a group weight (parts[0]); the rest are fixed.
        group: dict[str, Any] | None = None
        members = 0
        if len(inds) >= 2 and draw(st.booleans()):
            share = draw(st.sampled_from(["equal", "output"] if output_share else ["equal"]))
            group = {"code": f"g{c}", "name": "组", "share": share}
            members = draw(st.integers(2, len(inds)))
        wparts = draw(st.lists(st.integers(1, 7), min_size=len(inds), max_size=len(inds)))
        total = (wparts[0] if group else 0) + sum(wparts[members:])
        for j, ind in enumerate(inds):
            if j < members:
                ind["group"] = f"g{c}"
            else:
                ind["weight"] = f"{wparts[j]}/{total}"
        if group:
            group["weight"] = f"{wparts[0]}/{total}"
        bonus = draw(st.sampled_from(["1/10", "0.15"]))
        weight = f"{parts[c]}/{sum(parts)}" if c < n_cats else bonus
        cats.append(
            {
                "code": f"c{c}",
                "name": f"类{c}",
                "weight": weight,
                "indicators": inds,
                "groups": [group] if group else [],
                "bonus": c == n_cats,
            }
        )
    return build_system(
        {
            "format": FORMAT,
            "slug": "random",
            "name": "随机",
            "version": "1",
            "categories": cats,
            "parameters": [{"name": "n", "min": 0, "max": 3}],
            "flags": draw(st.sampled_from([[], [FLAG_I_REQUIRES_II]])),
        },
        "random.yaml",
    )


def _value(draw: st.DrawFn, kind: Kind) -> Value:
    if kind is Kind.QUANTITATIVE:
        return draw(st.integers(-1, 32)) / 2  # halves: exact thresholds and in-betweens
    if kind is Kind.QUALITATIVE:
        return draw(st.sampled_from(list(Grade)))
    return draw(st.booleans())


@st.composite
def records(draw: st.DrawFn, system: IndicatorSystem, rid: str, params: bool = True) -> Record:
    values: dict[str, Value] = {}
    na: set[str] = set()
    outputs: dict[str, float] = {}
    for ind in system.indicators:
        state = draw(st.sampled_from(["value"] * 5 + ["missing", "na"]))
        if state == "value":
            values[ind.code] = _value(draw, ind.kind)
        elif state == "na":
            na.add(ind.code)
        if ind.code in system.output_share:
            out = draw(st.sampled_from([None, 0.0, 1.0, 2.5, 3.0, 0.1]))
            if out is not None:
                outputs[ind.code] = out
    n = draw(st.integers(0, 3)) if params or draw(st.booleans()) else None
    return Record(rid, values, frozenset(na), outputs, {} if n is None else {"n": n})


@SETTINGS
@given(st.data())
def test_batch_equals_single_record_path(data: st.DataObject) -> None:
    system = data.draw(systems())
    recs = [
        data.draw(records(system, f"r{i}", params=False))
        for i in range(data.draw(st.integers(1, 8)))
    ]
    batch = evaluate_batch(system, to_arrays(system, recs))
    for i, rec in enumerate(recs):
        single = evaluate(system, rec)
        assert Grade(int(batch.grade[i])) is single.grade
        assert batch.index(i) == single.index
        assert np.allclose(batch.index_float[i], [float(y) for y in single.index], atol=1e-9)
        assert [int(x) for x in batch.levels[i]] == [int(o.level or 0) for o in single.outcomes]
        assert [bool(x) for x in batch.missing[i]] == [o.missing for o in single.outcomes]
        assert batch.result(i) == single


def test_batch_equals_single_on_many_records_with_a_few_patterns() -> None:
    from pathlib import Path

    from cleanprod.core.scoring.loader import load_system_file

    system = load_system_file(Path(__file__).parent / "data/scoring/electroplating-fixture.yaml")
    rng = np.random.default_rng(7)
    recs = []
    for i in range(400):
        values: dict[str, Value] = {}
        for ind in system.indicators:
            if ind.kind is Kind.QUANTITATIVE:
                values[ind.code] = float(rng.integers(0, 100))
            elif ind.kind is Kind.QUALITATIVE:
                values[ind.code] = Grade(int(rng.integers(1, 5)))
            else:
                values[ind.code] = bool(rng.integers(0, 2))
        metals = ["zn_use", "cu_use", "ni_use", "deco_cr_use", "hard_cr_use", "au_use", "ag_use"]
        na = frozenset(m for m in metals if rng.random() < 0.5)
        recs.append(Record(f"r{i}", values, na))
    batch = evaluate_batch(system, to_arrays(system, recs))
    assert batch.index_num is not None and batch.index_num.dtype == np.int64
    grades = [evaluate(system, r).grade for r in recs]
    assert [Grade(int(g)) for g in batch.grade] == grades
    assert len(set(grades)) >= 2  # the data exercise more than one grade


def _improve(system: IndicatorSystem, rec: Record, codes: tuple[str, ...], g: Grade) -> Record:
    """``rec`` with each indicator in ``codes`` given a value that meets level ``g``."""
    values = dict(rec.values)
    n = rec.params.get("n")
    for code in codes:
        ind = system.indicator(code)
        if ind.kind is Kind.QUALITATIVE:
            values[code] = g
        elif ind.kind is Kind.YESNO:
            values[code] = True
        else:
            bench = ind.benchmarks[g - 1]
            assert bench is not None
            lo, hi = bench.thresholds(n)
            if lo is not None and hi is not None:
                values[code] = (lo + hi) / 2
            elif hi is not None:
                values[code] = hi - 0.25 if bench.upper and bench.upper.strict else hi
            else:
                assert lo is not None and bench.lower is not None
                values[code] = lo + 0.25 if bench.lower.strict else lo
    return Record(rec.id, values, rec.not_applicable, rec.outputs, rec.params)


@SETTINGS
@given(st.data())
def test_advisor_is_optimal_against_brute_force(data: st.DataObject) -> None:
    system = data.draw(systems(max_size=3))
    rec = data.draw(records(system, "r"))
    use_costs = data.draw(st.booleans())
    costs = {i.code: data.draw(st.integers(0, 5)) for i in system.indicators} if use_costs else None
    result = evaluate(system, rec)
    plans = advise(system, result, costs)
    assert len(plans) <= 2 and all(p.grade < result.grade for p in plans)
    for g in (Grade.III, Grade.II, Grade.I):
        if g >= result.grade:
            continue
        # Brute force: every set of indicators raised to level I (a cost is per indicator, so
        # raising to I is never worse than to a lower level), keep the cheapest reaching ≤ g.
        below = [o.code for o in result.outcomes if o.level is not None and o.level > Grade.I]
        best: F | None = None
        for size in range(len(below) + 1):
            for subset in combinations(below, size):
                if evaluate(system, _improve(system, rec, subset, Grade.I)).grade <= g:
                    cost = sum((F((costs or {}).get(c, 1)) for c in subset), F(0))
                    best = cost if best is None else min(best, cost)
        plan = plan_for(system, result, g, costs)
        if best is None:  # nothing applies, so nothing can be improved
            assert plan is None
            continue
        assert plan is not None and plan.grade <= g and plan.cost == best
        chosen = tuple(i.code for i in plan.improvements)
        assert evaluate(system, _improve(system, rec, chosen, plan.grade)).grade <= g


def test_min_cost_cover_small_cases() -> None:
    assert len(min_cost_cover([F(5), F(3), F(3)], [F(1)] * 3, F(6)) or ()) == 2
    assert min_cost_cover([F(5), F(3), F(3)], [F(4), F(1), F(1)], F(6)) == (1, 2)
    assert min_cost_cover([F(5), F(3), F(3)], [F(1), F(1), F(1)], F(5)) == (0,)
    assert min_cost_cover([F(1)], [F(1)], F(2)) is None
    assert min_cost_cover([F(1)], [F(1)], F(0)) == ()


def test_batch_falls_back_to_python_ints_beyond_int64() -> None:
    # Denominators 1000003 · 999983 · 999979 · 1000033 make 100·D overflow int64.
    inds = [
        {
            "code": f"i{j}",
            "name": f"指标{j}",
            "kind": "qualitative",
            "weight": w,
            "levels": {"I": "甲", "II": "乙", "III": "丙"},
        }
        for j, w in enumerate(("1/1000003", "1000002/1000003", "1/999983", "999982/999983"))
    ]
    cats = [
        {"code": "a", "name": "甲", "weight": "1/999979", "indicators": inds[:2]},
        {"code": "b", "name": "乙", "weight": "999978/999979", "indicators": inds[2:]},
        {
            "code": "x",
            "name": "加分",
            "weight": "1/1000033",
            "bonus": True,
            "indicators": [{"code": "x", "name": "加分", "kind": "yesno", "weight": 1}],
        },
    ]
    system = build_system(
        {"format": FORMAT, "slug": "big", "name": "大分母", "version": "1", "categories": cats},
        "big.yaml",
    )
    recs = [
        Record(f"r{a}{b}", {"i0": a, "i1": b, "i2": Grade.I, "i3": Grade.II, "x": False})
        for a in Grade
        for b in Grade
    ]
    batch = evaluate_batch(system, to_arrays(system, recs))
    assert batch.index_num is not None and batch.index_num.dtype == object
    for i, rec in enumerate(recs):
        single = evaluate(system, rec)
        assert batch.index(i) == single.index and Grade(int(batch.grade[i])) is single.grade


def test_output_share_batch_settles_an_exact_85_tie_exactly() -> None:
    # Categories 0.01, 0.03, 0.81 met and 0.04, 0.11 not: Y_I = 85 exactly, but the float
    # path (needed because category e's weights follow outputs) computes 84.99999999999999.
    def yesno(code: str, **kw: Any) -> dict[str, Any]:
        return {"code": code, "name": code, "kind": "yesno", **kw}

    cats: list[dict[str, Any]] = [
        {"code": c, "name": c, "weight": w, "indicators": [yesno(f"{c}1", weight=1)]}
        for c, w in (("a", "0.01"), ("b", "0.03"), ("c", "0.81"), ("d", "0.04"))
    ]
    cats.append(
        {
            "code": "e",
            "name": "e",
            "weight": "0.11",
            "groups": [{"code": "g", "name": "g", "weight": 1, "share": "output"}],
            "indicators": [yesno("e1", group="g"), yesno("e2", group="g")],
        }
    )
    system = build_system(
        {"format": FORMAT, "slug": "t", "name": "t", "version": "1", "categories": cats}, "t.yaml"
    )
    rec = Record(
        "tie",
        {"a1": True, "b1": True, "c1": True, "d1": False, "e1": False, "e2": False},
        outputs={"e1": 1.0, "e2": 2.0},
    )
    single = evaluate(system, rec)
    assert single.index[0] == 85 and single.grade is Grade.I
    batch = evaluate_batch(system, to_arrays(system, [rec]))
    assert batch.index_num is None and batch.index_float[0, 0] < 85  # the trap is real
    assert Grade(int(batch.grade[0])) is Grade.I and batch.result(0) == single
