"""Review templates and decisions, with hand-computed expectations."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanprod.core.errors import CoreError
from cleanprod.core.review import (
    Aggregate,
    Decision,
    ReviewKind,
    ScoreSheet,
    SheetError,
    Template,
    TemplateError,
    decide,
    format_score,
    load_template,
    parse_template,
    shipped_templates,
)

# Three items, 40 + 35 + 25 = 100 points; pass 60; bands 60/75/90.
RAW: dict[str, Any] = {
    "id": "t",
    "kind": "evaluation",
    "version": "t-1",
    "title": "测试模板",
    "source": {"document": "测试", "verified": False},
    "aggregate": "mean",
    "pass_mark": 60,
    "bands": [
        {"name": "合格", "min": 60},
        {"name": "良好", "min": 75},
        {"name": "优秀", "min": 90},
    ],
    "vetoes": [{"id": "V1", "text": "弄虚作假"}],
    "items": [
        {"id": "A", "section": "审核", "text": "平衡测算", "points": 40},
        {"id": "B", "section": "方案", "text": "可行性分析", "points": 35},
        {"id": "C", "section": "报告", "text": "报告质量", "points": "25"},
    ],
}
T = parse_template(RAW, "t.yaml")


def sheet(expert: str, a: object, b: object, c: object, **vetoes: str) -> ScoreSheet:
    return ScoreSheet(expert, {"A": a, "B": b, "C": c}, vetoes, "同意。")  # type: ignore[dict-item]


def with_changes(**kw: Any) -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    raw.update(kw)
    return raw


def test_mean_is_exact() -> None:
    # Totals 70, 71, 71 → mean 212/3 = 70.666…, 合格 (60 ≤ s < 75).
    r = decide(T, [sheet("e1", 30, 25, 15), sheet("e2", 30, 25, 16), sheet("e3", 31, 25, 15)])
    assert r.score == Fraction(212, 3)
    assert r.totals == (("e1", Fraction(70)), ("e2", Fraction(71)), ("e3", Fraction(71)))
    assert r.item_means["A"] == Fraction(91, 3)
    assert r.decision is Decision.PASS and r.band == "合格"
    assert r.template_version == "t-1"
    assert "70.66" in r.reason  # truncated, not rounded to 70.67


def test_decimal_scores_sum_exactly_to_the_pass_mark() -> None:
    # 20.1 + 19.9 + 20.0 = 60 exactly; in binary floats 20.1 + 19.9 is not exactly 40.
    r = decide(T, [sheet("e1", Decimal("20.1"), "19.9", 20)])
    assert r.score == 60 and r.decision is Decision.PASS and r.band == "合格"


def test_boundary_at_the_pass_mark() -> None:
    # Totals 61, 60, 59 → mean 60 exactly: passes.
    at = decide(T, [sheet("e1", 31, 20, 10), sheet("e2", 30, 20, 10), sheet("e3", 29, 20, 10)])
    assert at.score == 60 and at.decision is Decision.PASS
    # Totals 60, 60, 59.5 → mean 179.5/3 = 59.833…: fails, and is not shown as 60.
    below = decide(
        T, [sheet("e1", 30, 20, 10), sheet("e2", 30, 20, 10), sheet("e3", "29.5", 20, 10)]
    )
    assert below.score == Fraction(359, 6)
    assert below.decision is Decision.FAIL and below.band is None
    assert "59.83" in below.reason


def test_bands() -> None:
    assert decide(T, [sheet("e", 30, 30, 15)]).band == "良好"  # 75
    assert decide(T, [sheet("e", 40, 35, 15)]).band == "优秀"  # 90
    assert decide(T, [sheet("e", 40, 34, 15)]).band == "良好"  # 89


def test_veto_overrides_full_marks() -> None:
    sheets = [sheet("e1", 40, 35, 25), sheet("e2", 40, 35, 25, V1="监测报告日期早于采样日期")]
    r = decide(T, sheets)
    assert r.score == 100
    assert r.decision is Decision.FAIL and r.band is None
    (finding,) = r.vetoes
    assert (finding.item_id, finding.expert_id) == ("V1", "e2")
    assert finding.reason == "监测报告日期早于采样日期" and finding.text == "弄虚作假"
    assert "否决项" in r.reason


def test_median() -> None:
    med = parse_template(with_changes(aggregate="median"), "m.yaml")
    assert med.aggregate is Aggregate.MEDIAN
    # Totals 50, 62, 95: mean 69 but median 62.
    three = [sheet("a", 20, 20, 10), sheet("b", 30, 22, 10), sheet("c", 40, 35, 20)]
    assert decide(med, three).score == 62
    assert decide(T, three).score == 69
    # Even panel: totals 50, 62, 65, 95 → (62 + 65) / 2.
    four = [*three, sheet("d", 30, 25, 10)]
    assert decide(med, four).score == Fraction(127, 2)


def test_invalid_sheets_name_expert_and_item() -> None:
    bad = [
        ScoreSheet("e1", {"A": 30, "B": 20}, {}, "意见"),  # C missing
        ScoreSheet("e2", {"A": 41, "B": 20, "C": -1, "Z": 3}, {"V9": "x"}, ""),
        ScoreSheet("e3", {"A": 30.5, "B": 20, "C": 10}, {"V1": " "}, "意见"),  # type: ignore[dict-item]
    ]
    with pytest.raises(SheetError) as info:
        decide(T, bad)
    problems = info.value.problems
    assert isinstance(info.value, CoreError)
    assert "专家 e1：评分项 C（报告）未打分" in problems
    assert "专家 e2：评分项 A 得分 41 超出 0 至 40 的范围" in problems
    assert "专家 e2：评分项 C 得分 -1 超出 0 至 25 的范围" in problems
    assert "专家 e2：模板中没有评分项 Z" in problems
    assert "专家 e2：模板中没有否决项 V9" in problems
    assert "专家 e2：缺少专家意见" in problems
    assert any(p.startswith("专家 e3：评分项 A 的分数 30.5") for p in problems)
    assert "专家 e3：否决项 V1 须写明事实依据" in problems
    assert len(problems) == 8


def test_no_sheets_and_duplicates() -> None:
    with pytest.raises(SheetError, match="没有专家评分表"):
        decide(T, [])
    with pytest.raises(SheetError, match="专家 e1：提交了多份评分表"):
        decide(T, [sheet("e1", 30, 20, 10), sheet("e1", 30, 20, 10)])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pass_mark": 101}, "通过分数线 pass_mark 101 高于满分 100"),
        ({"pass_mark": 0}, "pass_mark 应为正数"),
        ({"kind": "inspection"}, "kind “inspection” 应为 evaluation 或 acceptance"),
        ({"aggregate": "max"}, "aggregate “max” 应为 mean 或 median"),
        ({"source": {"document": "x"}}, "source：verified 应为 true 或 false"),
        ({"bands": [{"name": "合格", "min": 50}]}, "最低等级 合格 的 min 低于通过分数线 60"),
        ({"bands": [{"name": "a", "min": 80}, {"name": "b", "min": 70}]}, "严格递增"),
        ({"items": []}, "items 应为非空列表"),
    ],
)
def test_template_validation(change: dict[str, Any], message: str) -> None:
    with pytest.raises(TemplateError, match=message) as info:
        parse_template(with_changes(**change), "bad.yaml")
    assert str(info.value).startswith("bad.yaml：评分模板有误")


def test_template_item_problems_name_the_item() -> None:
    raw = with_changes(
        vetoes=[{"id": "V1", "text": "弄虚作假", "points": 5}],
        items=[
            {"id": "A", "section": "审核", "text": "x", "points": 0},
            {"id": "A", "section": "审核", "text": "y", "points": 10},
            {"id": "V1", "section": "审核", "text": "z", "points": "abc"},
            {"id": "D", "text": "w", "points": 10},
        ],
    )
    with pytest.raises(TemplateError) as info:
        parse_template(raw, "bad.yaml")
    problems = info.value.problems
    assert "否决项 V1：否决项不设分值（points），一经发现即不通过" in problems
    assert "评分项 A：分值 points 应为正数，实际为 0" in problems
    assert "评分项 A：id 重复" in problems
    assert "评分项 V1：id 重复" in problems
    assert "评分项 V1：分值 points 应为正数，实际为 'abc'" in problems
    assert "评分项 D：缺少 section" in problems


def test_format_score_truncates() -> None:
    assert format_score(Fraction(179, 3)) == "59.66"
    assert format_score(Fraction(5999, 100)) == "59.99"
    assert format_score(Fraction(60)) == "60.00"


@pytest.mark.parametrize("name", ["evaluation-2026.yaml", "acceptance-2026.yaml"])
def test_shipped_templates(name: str) -> None:
    assert name in shipped_templates()
    t: Template = load_template(name)
    assert t.total == 100 and t.pass_mark == 60
    assert t.source.number == "环办科技〔2018〕5号" and t.source.verified is False
    assert t.kind is (
        ReviewKind.EVALUATION if name.startswith("evaluation") else ReviewKind.ACCEPTANCE
    )
    assert t.vetoes and all(v.text for v in t.vetoes)


def test_shipped_evaluation_covers_the_audit_phases() -> None:
    sections = {i.section for i in load_template("evaluation-2026.yaml").items}
    for phase in ("审核准备", "预审核", "审核", "方案产生和筛选", "可行性分析", "方案实施"):
        assert phase in sections
    assert {"持续清洁生产", "报告质量"} <= sections


points = st.builds(
    lambda a, b, c: (a, b, c),
    st.integers(0, 400).map(lambda n: Fraction(n, 10)),
    st.integers(0, 350).map(lambda n: Fraction(n, 10)),
    st.integers(0, 250).map(lambda n: Fraction(n, 10)),
)


@given(st.lists(points, min_size=1, max_size=7))
def test_property_mean_is_the_sum_of_item_means(rows: list[tuple[Fraction, ...]]) -> None:
    r = decide(T, [sheet(f"e{n}", *row) for n, row in enumerate(rows)])
    totals = [sum(row) for row in rows]
    assert r.score == sum(r.item_means.values())
    assert min(totals) <= r.score <= max(totals)
    assert (r.decision is Decision.PASS) == (r.score >= 60)


def test_messages_show_decimals_not_fractions() -> None:
    with pytest.raises(SheetError, match=r"得分 40\.5 超出 0 至 40 的范围"):
        decide(T, [sheet("e1", "40.5", 20, 10)])
    with pytest.raises(TemplateError, match=r"通过分数线 pass_mark 100\.5 高于满分 100"):
        parse_template(with_changes(pass_mark="100.5"), "bad.yaml")
