"""Indicator-system files: parsing, exact weights and validation messages."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest

from cleanprod.core.scoring.errors import SystemNotFound, SystemValidationError
from cleanprod.core.scoring.loader import (
    load_system,
    load_system_file,
    parse_benchmark,
    parse_linear,
    parse_system,
    shipped_systems,
)
from cleanprod.core.scoring.model import Grade, Kind, Linear, Share

DATA = Path(__file__).parent / "data" / "scoring"

GOOD = """\
format: cleanprod-indicator-system/1
slug: mini
name: 迷你体系
version: "1"
categories:
  - code: a
    name: 甲
    weight: 0.33
    indicators:
      - {code: a1, name: 甲一, kind: quantitative, weight: 0.1, restrictive: true,
         benchmarks: {I: "≤8", II: "<24", III: "≤40"}}
      - {code: a2, name: 甲二, kind: yesno, weight: 0.9}
  - code: b
    name: 乙
    weight: 0.67
    indicators:
      - {code: b1, name: 乙一, kind: qualitative, weight: 1,
         levels: {I: 文本一, II: 文本二, III: 文本三}}
"""


def problems(text: str) -> str:
    with pytest.raises(SystemValidationError) as info:
        parse_system(text, "sys.yaml")
    return str(info.value)


def test_good_file_parses_weights_exactly_from_text() -> None:
    s = parse_system(GOOD)
    assert s.categories[0].weight == F(33, 100)  # not the double nearest 0.33
    a1 = s.indicator("a1")
    assert a1.kind is Kind.QUANTITATIVE and a1.restrictive and a1.weight == F(1, 10)
    assert str(a1.benchmarks[1]) == "<24"


def test_benchmark_syntax() -> None:
    assert parse_linear("10+5n") == Linear(F(10), F(5))
    assert parse_linear("0.14 + 0.08n") == Linear(F(7, 50), F(2, 25))
    assert parse_linear("80-2n") == Linear(F(80), F(-2))
    assert parse_linear("5n") == Linear(F(0), F(5))
    b = parse_benchmark("[6, 9)")
    assert b is not None and b.contains(6.0, None) and not b.contains(9.0, None)
    assert parse_benchmark("") is None and parse_benchmark(None) is None
    for bad in ("8", "≤abc", "≤10+5m", "[9, 6]"):
        with pytest.raises(ValueError):
            parse_benchmark(bad)


def test_weights_not_summing_to_1_name_file_and_category() -> None:
    msg = problems(GOOD.replace("weight: 0.9}", "weight: 0.8}"))
    assert "sys.yaml: 一级指标 a（甲）: 二级指标权重之和为0.9" in msg
    msg = problems(GOOD.replace("weight: 0.67", "weight: 0.66"))
    assert "sys.yaml: 一级指标权重之和为0.99" in msg


def test_float_trap_weights_are_accepted_exactly() -> None:
    s = load_system_file(DATA / "electroplating-fixture.yaml")
    assert sum(c.weight for c in s.categories) == 1


def test_non_monotone_benchmarks_name_the_indicator() -> None:
    msg = problems(GOOD.replace('II: "<24", III: "≤40"', 'II: "<24", III: "≤20"'))
    assert "sys.yaml: 指标 a1（甲一）: 基准值不单调：II级“<24”应不宽于III级“≤20”" in msg
    # ≤8 at I and <8 at II: II is stricter than I.
    assert "基准值不单调" in problems(GOOD.replace('II: "<24"', 'II: "<8"'))
    # same limit, I strict and II inclusive is fine; mixing directions is not.
    parse_system(GOOD.replace('I: "≤8", II: "<24"', 'I: "<24", II: "≤24"'))
    assert "基准值不单调" in problems(GOOD.replace('II: "<24"', 'II: ">24"'))


def test_linear_benchmarks_are_checked_over_the_parameter_range() -> None:
    text = (DATA / "pcb-fixture.yaml").read_text(encoding="utf-8")
    # 25+10n ≤ 55+5n only while n ≤ 6: allowing any n makes the multilayer rows invalid.
    msg = problems(text.replace("min: 0, max: 6}", "min: 0}"))
    assert "指标 e_rigid_multi" in msg and "指标 e_flex_multi" in msg
    assert "e_rigid_hdi" not in msg
    assert "指标 e_rigid_hdi" in problems(text.replace("min: 0, max: 2}", "min: 0, max: 3}"))


def test_broken_references_and_bad_fields_are_all_reported() -> None:
    msg = problems(
        GOOD.replace("weight: 0.9}", "group: nowhere}").replace("kind: qualitative", "kind: fuzzy")
    )
    assert "指标 a2" in msg and "不存在的权重组“nowhere”" in msg
    assert "kind 应为 quantitative / qualitative / yesno" in msg
    assert "参数“n”未在 parameters 中声明" in problems(GOOD.replace('III: "≤40"', 'III: "≤40+n"'))
    assert "基准值应三级全部给出" in problems(GOOD.replace('I: "≤8", ', ""))
    assert "未知标志" in problems(GOOD + "flags: [grade_I_needs_luck]\n")
    assert "指标 a1: 代码重复" in problems(GOOD.replace("code: b1", "code: a1"))
    assert "代码“id”是数据文件的保留列名" in problems(GOOD.replace("code: b1", "code: id"))
    assert "一级指标 a（甲）: 未知字段：wieght" in problems(
        GOOD.replace("    weight: 0.33", "    weight: 0.33\n    wieght: 1")
    )


def test_groups_and_unset_benchmarks() -> None:
    s = load_system_file(DATA / "electroplating-fixture.yaml")
    g = s.categories[2].group("metal_utilisation")
    assert g.share is Share.EQUAL and g.weight == F(4, 5)
    pcb = load_system_file(DATA / "pcb-fixture.yaml")
    assert pcb.output_share >= {"e_rigid_1", "w_hdi"} and "water_reuse" not in pcb.output_share
    inc = load_system("hazardous-waste-incineration")
    assert [i.code for i in inc.indicators if not i.scorable] == ["co2_emission_per_waste"]


def test_shipped_incineration_system_matches_its_source() -> None:
    (s,) = [x for x in shipped_systems() if x.slug == "hazardous-waste-incineration"]
    assert s.status == "draft" and s.industries == ("7724",)
    assert "征求意见稿" in s.announcement and "浙江省环境保护产业协会" in s.authorities
    assert len(s.indicators) == 28
    bonus = [c for c in s.categories if c.bonus]
    assert [c.weight for c in bonus] == [F(1, 10)]
    assert sum(c.weight for c in s.categories if not c.bonus) == 1
    assert s.indicator("dioxin_emission").restrictive
    assert s.indicator("co_daily_average").target(Grade.I) == "<30 mg/Nm³"


def test_unknown_slug_and_missing_file() -> None:
    with pytest.raises(SystemNotFound, match="hazardous-waste-incineration"):
        load_system("no-such-system")
    with pytest.raises(SystemNotFound):
        load_system("/nonexistent/x.yaml")
    assert "YAML 语法错误" in problems("a: [")
