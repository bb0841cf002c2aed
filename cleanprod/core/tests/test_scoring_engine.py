"""The grading method, rule by rule, against hand-computed outcomes."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

from cleanprod.core.scoring import Grade, Record, evaluate, load_system, load_system_file
from cleanprod.core.scoring.engine import NA_NOT_MADE, NA_UNSET, indicator_level
from cleanprod.core.scoring.errors import RecordError
from cleanprod.core.scoring.loader import FORMAT, build_system
from cleanprod.core.scoring.model import IndicatorSystem

DATA = Path(__file__).parent / "data" / "scoring"


def make(categories: list[dict[str, Any]], **meta: Any) -> IndicatorSystem:
    return build_system(
        {
            "format": FORMAT,
            "slug": "t",
            "name": "测试体系",
            "version": "1",
            "categories": categories,
            **meta,
        },
        "test.yaml",
    )


def cat(code: str, weight: str, *inds: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"code": code, "name": f"类{code}", "weight": weight, "indicators": list(inds), **kw}


def qual(code: str, weight: str, restrictive: bool = False) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"指标{code}",
        "kind": "qualitative",
        "weight": weight,
        "restrictive": restrictive,
        "levels": {"I": "甲", "II": "乙", "III": "丙"},
    }


def quant(code: str, weight: str, i: str, ii: str, iii: str, **kw: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"指标{code}",
        "kind": "quantitative",
        "weight": weight,
        "benchmarks": {"I": i, "II": ii, "III": iii},
        **kw,
    }


G = Grade


def test_membership_is_cumulative() -> None:
    s = make([cat("c", "1", quant("a", "0.5", "≤8", "≤24", "≤40"), qual("b", "0.5"))])
    ind = s.indicator("a")
    assert [indicator_level(ind, x, {})[0] for x in (8, 9, 24, 40, 40.0001)] == [
        G.I,
        G.II,
        G.II,
        G.III,
        G.BELOW,
    ]
    # a at I counts in Y_I, Y_II and Y_III; b at III only in Y_III.
    r = evaluate(s, Record("e", {"a": 8.0, "b": G.III}))
    assert r.index == (F(50), F(50), F(100))
    assert r.grade is G.III
    assert r.outcome("a").level is G.I and r.outcome("b").level is G.III
    assert "未评为Ⅱ级的原因：Y_Ⅱ = 50，低于85" in r.explanation


def test_not_applicable_indicator_is_dropped_and_its_category_rescaled() -> None:
    s = make(
        [
            cat("c1", "0.6", qual("a", "0.5"), qual("b", "0.3"), qual("c", "0.2")),
            cat("c2", "0.4", qual("d", "1")),
        ]
    )
    values = {"a": G.I, "b": G.BELOW, "c": G.I, "d": G.I}
    without = evaluate(s, Record("e", values))
    assert without.index[0] == F(82) and without.grade is G.BELOW  # 0.6·0.7 + 0.4
    r = evaluate(s, Record("e", values, not_applicable=frozenset({"b"})))
    assert r.outcome("a").weight == F(3, 7)  # 0.6 · 0.5 / 0.7
    assert r.outcome("c").weight == F(6, 35)  # 0.6 · 0.2 / 0.7
    assert r.outcome("b").level is None and r.not_applicable == ("b",)
    assert r.index == (F(100), F(100), F(100)) and r.grade is G.I
    assert "指标b（企业填报不适用）" in r.explanation


def test_whole_category_not_applicable_rescales_first_level_weights() -> None:
    s = make(
        [cat("c1", "0.6", qual("a", "0.5"), qual("b", "0.5")), cat("c2", "0.4", qual("d", "1"))]
    )
    r = evaluate(s, Record("e", {"a": G.I, "b": G.II}, not_applicable=frozenset({"d"})))
    assert r.inapplicable_categories == ("c2",)
    assert r.outcome("a").weight == F(1, 2)
    assert r.index == (F(50), F(100), F(100)) and r.grade is G.II
    assert "一级指标“类c2”全部不适用" in r.explanation


def test_missing_value_counts_as_not_met_and_is_reported() -> None:
    s = make([cat("c", "1", qual("a", "0.9"), qual("b", "0.1"))])
    r = evaluate(s, Record("e", {"a": G.I}))
    assert r.missing == ("b",) and r.outcome("b").level is G.BELOW
    assert r.index == (F(90), F(90), F(90))
    assert r.grade is G.I
    assert "缺少数据，按未达标计" in r.explanation


def test_restrictive_at_II_caps_grade_at_II_even_with_high_Y_I() -> None:
    s = make([cat("c", "1", qual("r", "0.1", restrictive=True), qual("x", "0.9"))])
    r = evaluate(s, Record("e", {"r": G.II, "x": G.I}))
    assert r.index == (F(90), F(100), F(100))
    assert r.grade is G.II and r.advanced
    assert r.failed_restrictive == (("r",), (), ())
    assert "限定性指标未达到Ⅰ级：指标r（Ⅱ级）" in r.explanation


def test_Y_I_exactly_85_passes_and_float_sum_would_not() -> None:
    s = make(
        [cat("c", "1", qual("a", "0.03"), qual("b", "0.41"), qual("c", "0.41"), qual("d", "0.15"))]
    )
    assert (0.03 + 0.41 + 0.41) * 100 < 85  # the trap: floats say 84.99999999999999
    r = evaluate(s, Record("e", {"a": G.I, "b": G.I, "c": G.I, "d": G.II}))
    assert r.index[0] == 85
    assert r.grade is G.I


def test_Y_III_is_100_only_when_every_applicable_indicator_meets_III() -> None:
    s = make([cat("c", "1", qual("a", "0.5"), qual("b", "0.5"))])
    assert evaluate(s, Record("e", {"a": G.III})).grade is G.BELOW  # b missing
    r = evaluate(s, Record("e", {"a": G.III, "b": G.BELOW}))
    assert r.index[2] == 50 and r.grade is G.BELOW
    assert (
        "未评为Ⅲ级的原因：Y_Ⅲ = 50，未达到100（未达到Ⅲ级的指标：指标b（未达到Ⅲ级））"
        in r.explanation
    )
    ok = evaluate(s, Record("e", {"a": G.III}, not_applicable=frozenset({"b"})))
    assert ok.index[2] == 100 and ok.grade is G.III


def test_category_weights_summing_to_1_in_floats_plus_2e16_still_give_100() -> None:
    s = load_system_file(DATA / "electroplating-fixture.yaml")
    assert sum(float(c.weight) for c in s.categories) != 1.0  # 1.0000000000000002
    values: dict[str, Any] = {i.code: G.III for i in s.indicators if i.kind.value == "qualitative"}
    values |= {
        "rinse_water": 40.0,
        "zn_use": 75.0,
        "reuse_other": True,
        "pollutants_ok": True,
        "management_ok": True,
    }
    na = frozenset({"cu_use", "ni_use", "deco_cr_use", "hard_cr_use", "au_use", "ag_use"})
    r = evaluate(s, Record("e", values, not_applicable=na))
    assert r.index[2] == 100 and r.grade is G.III


def test_strict_and_inclusive_benchmarks_of_the_incineration_system() -> None:
    s = load_system("hazardous-waste-incineration")
    level = {
        c: (lambda x, c=c: indicator_level(s.indicator(c), x, {})[0])
        for c in (
            "co_daily_average",
            "incineration_runtime",
            "hf_concentration",
            "furnace_temp_low_count",
        )
    }
    assert level["co_daily_average"](30.0) is G.II  # <30 is strict
    assert level["co_daily_average"](29.99) is G.I
    assert level["incineration_runtime"](7000.0) is G.II  # >7000 is strict
    assert level["incineration_runtime"](7000.5) is G.I
    assert level["hf_concentration"](1.0) is G.I  # ≤1 is inclusive
    assert level["hf_concentration"](2.0) is G.II  # II = III = ≤2
    assert level["hf_concentration"](2.01) is G.BELOW
    assert level["furnace_temp_low_count"](5.0) is G.I  # ≤5 at every level
    assert level["furnace_temp_low_count"](6.0) is G.BELOW


def _electroplating_record(**over: Any) -> Record:
    values: dict[str, Any] = {
        "clean_process": G.I,
        "process_control": G.I,
        "plating_lines": G.I,
        "water_saving": G.I,
        "rinse_water": 8.0,
        "zn_use": 82.0,
        "cu_use": 79.0,
        "ni_use": 95.0,
        "reuse_other": True,
        "pollutants_ok": True,
        "management_ok": False,
    }
    values |= over
    na = frozenset({"deco_cr_use", "hard_cr_use", "au_use", "ag_use"})
    return Record("plant", values, not_applicable=na)


def test_equal_share_group_0_8_over_n_counts_the_plating_types_run() -> None:
    s = load_system_file(DATA / "electroplating-fixture.yaml")
    r = evaluate(s, _electroplating_record())
    # n = 3 types run (zn, cu, ni): each 0.18 × 0.8/3 = 0.048; the 0.2 placeholder 0.036.
    assert [r.outcome(c).weight for c in ("zn_use", "cu_use", "ni_use", "reuse_other")] == [
        F(6, 125)
    ] * 3 + [F(9, 250)]
    assert r.outcome("cu_use").level is G.III
    # Y_I = 100·(0.33 + 0.1 + 0.18·(0.8·2/3 + 0.2) + 0.16) = 72.2; Y_III adds cu: 77.
    assert r.index == (F("72.2"), F("72.2"), F(77))
    assert r.grade is G.BELOW
    assert evaluate(s, _electroplating_record(management_ok=True)).grade is G.I  # 95.2
    # A fourth type run (gold, missing): n = 4, each 0.18 × 0.2 = 0.036.
    four = Record(
        "p",
        _electroplating_record().values,
        not_applicable=frozenset({"deco_cr_use", "hard_cr_use", "ag_use"}),
    )
    r4 = evaluate(s, four)
    assert r4.outcome("au_use").weight == F(9, 250) and r4.missing == ("au_use",)


def test_output_share_group_and_linear_benchmarks_of_the_pcb_fixture() -> None:
    s = load_system_file(DATA / "pcb-fixture.yaml")
    assert 0.14 + 0.08 * 2 > 0.3  # naive float a+b·n would fail the inclusive limit below
    record = Record(
        "pcb",
        {
            "e_rigid_2": 10.0,
            "e_rigid_multi": 21.0,
            "w_2": 0.14,
            "w_multi": 0.3,
            "water_reuse": 60.0,
            "rest_ok": True,
            "e_flex_1": 1.0,
        },
        outputs={"e_rigid_2": 300.0, "e_rigid_multi": 100.0, "w_2": 300.0, "w_multi": 100.0},
        params={"n_multi": 2},
    )
    r = evaluate(s, record)
    # energy: 0.1 × 300/400 and 0.1 × 100/400; water: 0.1 × 0.5 × 3/4 and × 1/4.
    assert r.outcome("e_rigid_2").weight == F("0.075")
    assert r.outcome("e_rigid_multi").weight == F("0.025")
    assert r.outcome("w_2").weight == F("0.0375") and r.outcome("w_multi").weight == F("0.0125")
    assert r.outcome("e_rigid_multi").level is G.II  # 21 > 10+5·2, ≤ 25+10·2
    assert r.outcome("w_multi").level is G.I  # 0.3 ≤ 0.14+0.08·2 = 0.3 exactly
    assert r.outcome("e_flex_1").level is None  # a value, but no output: not made
    assert r.outcome("e_flex_1").reason == NA_NOT_MADE
    assert r.index == (F("92.5"), F(100), F(100)) and r.grade is G.I


def test_linear_benchmark_without_its_parameter_is_missing() -> None:
    s = load_system_file(DATA / "pcb-fixture.yaml")
    r = evaluate(
        s, Record("p", {"e_rigid_multi": 21.0, "rest_ok": True}, outputs={"e_rigid_multi": 1.0})
    )
    assert r.missing == ("e_rigid_multi", "water_reuse")
    assert "缺少参数 n_multi" in r.outcome("e_rigid_multi").reason
    # 25+10n ≤ 55+5n only up to n = 6: beyond the declared range the levels are not monotone.
    with pytest.raises(RecordError, match="参数 n_multi = 7 超出体系声明的范围 0–6"):
        evaluate(s, Record("p", {}, params={"n_multi": 7}))


def test_bonus_is_added_on_top_and_the_index_capped_at_100() -> None:
    s = make(
        [
            cat("m", "1", qual("a", "0.8"), qual("b", "0.2")),
            cat("bonus", "0.1", qual("c", "1"), bonus=True),
        ]
    )
    r = evaluate(s, Record("e", {"a": G.I, "b": G.BELOW, "c": G.I}))
    assert r.index == (F(90), F(90), F(90)) and r.grade is G.I  # 80 + 10
    assert evaluate(s, Record("e", {"a": G.I, "b": G.BELOW, "c": G.II})).grade is G.II
    full = evaluate(s, Record("e", {"a": G.I, "b": G.I, "c": G.I}))
    assert full.index == (F(100), F(100), F(100))  # 110 capped


def test_incineration_system_ghg_not_applicable_and_bonus() -> None:
    s = load_system("hazardous-waste-incineration")
    best: dict[str, Any] = {}
    for ind in s.indicators:
        if ind.kind.value == "qualitative":
            best[ind.code] = G.I
        elif ind.scorable:
            bench = ind.benchmarks[0]
            assert bench is not None
            bound = bench.upper or bench.lower
            assert bound is not None
            step = -0.5 if bench.upper else 0.5
            best[ind.code] = float(bound.limit.const) + (step if bound.strict else 0)
    best["nox_concentration"] = 200.0  # II
    best["fly_ash_utilization"] = best["bottom_ash_utilization"] = 10.0  # no bonus there
    r = evaluate(s, Record("plant", best))
    ghg = r.outcome("co2_emission_per_waste")
    assert ghg.level is None and ghg.reason == NA_UNSET
    assert r.inapplicable_categories == ("ghg",)
    # main weights rescaled by 1/0.95: NOx costs 100·0.3·0.15/0.95 = 90/19; steam bonus +2.
    assert r.index[0] == 100 - F(90, 19) + 2
    assert r.index[1] == 100 and r.grade is G.I
    assert "基准值尚未设定" in r.explanation and "温室气体排放" in r.explanation


def test_flag_level_I_requires_every_non_restrictive_indicator_at_II() -> None:
    cats = [cat("c", "1", qual("r", "0.5", restrictive=True), qual("b", "0.4"), qual("x", "0.1"))]
    values = {"r": G.I, "b": G.I, "x": G.III}
    assert evaluate(make(cats), Record("e", values)).grade is G.I  # Y_I = 90
    flagged = make(cats, flags=["level_I_requires_non_restrictive_at_II"])
    r = evaluate(flagged, Record("e", values))
    assert r.grade is G.II and r.failed_flag == ("x",)
    assert "非限定性指标全部达到Ⅱ级" in r.explanation
    assert evaluate(flagged, Record("e", values | {"x": G.II})).grade is G.I


def test_yesno_and_wrong_value_types() -> None:
    s = make(
        [
            cat(
                "c",
                "1",
                {"code": "y", "name": "是否", "kind": "yesno", "weight": "0.5"},
                quant("q", "0.5", "≥3", "≥2", "≥1"),
            )
        ]
    )
    r = evaluate(s, Record("e", {"y": True, "q": 2}))
    assert r.outcome("y").level is G.I and r.outcome("q").level is G.II
    with pytest.raises(RecordError, match="定量指标的值应为数字"):
        evaluate(s, Record("e", {"q": G.I}))
    with pytest.raises(RecordError, match="没有的指标：zz"):
        evaluate(s, Record("e", {"zz": 1.0}))
