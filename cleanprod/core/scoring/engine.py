"""Grade one record against one system: the method of the 清洁生产评价指标体系编制通则.

* membership Y_gk(x_ij) = 100 if x_ij meets the level-k benchmark, else 0, cumulatively
  (meeting I also meets II and III);
* Y_gk = Σ_i w_i Σ_j ω_ij Y_gk(x_ij), where an indicator that does not apply is dropped and the
  weights left in its category rescaled to 1 (a category that does not apply at all: the
  first-level weights are rescaled); bonus categories are added on top, the index capped at 100;
* grade I if Y_I ≥ 85 and every restrictive indicator meets I; II likewise; III if Y_III = 100
  and every restrictive indicator meets III (without a bonus Y_III = 100 already implies it;
  with one, the cap must not let a restrictive failure through); else below III.

All weights and indices are Fractions, so 0.33+0.1+0.18+0.16+0.23 is exactly 1 and no rounding
error can change a grade. Values are compared as doubles with each benchmark converted exactly
from its decimal text to the nearest double (so ``8`` meets ``≤8`` whatever the float noise).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import replace
from fractions import Fraction

from cleanprod.core.scoring.errors import RecordError
from cleanprod.core.scoring.explain import explain
from cleanprod.core.scoring.model import (
    FLAG_I_REQUIRES_II,
    LEVELS,
    Grade,
    Indicator,
    IndicatorSystem,
    Kind,
    Record,
    Share,
    Value,
    is_missing,
)
from cleanprod.core.scoring.result import EvaluationResult, IndicatorOutcome

PASS = Fraction(85)
FULL = Fraction(100)

NA_RECORD = "企业填报不适用"
NA_UNSET = "基准值尚未设定，无法评价"
NA_NOT_MADE = "未生产该产品（产量为0或未填）"


def check_record(system: IndicatorSystem, record: Record) -> None:
    """Refuse codes the system does not have, and outputs for indicators without output share."""
    known = system.position
    for what, codes in (
        ("数据", record.values),
        ("不适用", record.not_applicable),
        ("产量", record.outputs),
    ):
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise RecordError(f"记录 {record.id}：{what}中有本体系没有的指标：{', '.join(unknown)}")
    wrong = [c for c in record.outputs if c not in system.output_share]
    if wrong:
        raise RecordError(f"记录 {record.id}：只有按产量分配权重的指标才填产量：{', '.join(wrong)}")
    declared = {p.name: p for p in system.parameters}
    for name, n in record.params.items():
        p = declared.get(name)
        if p is None:
            raise RecordError(f"记录 {record.id}：本体系没有参数 {name}")
        # benchmarks are proven monotone only inside the declared range
        if n < p.minimum or (p.maximum is not None and n > p.maximum):
            raise RecordError(
                f"记录 {record.id}：参数 {name} = {n} 超出体系声明的范围 "
                f"{p.minimum}–{p.maximum if p.maximum is not None else '∞'}"
            )


def not_applicable_reason(system: IndicatorSystem, ind: Indicator, record: Record) -> str | None:
    """Why ``ind`` does not apply to ``record``, or None if it applies."""
    if not ind.scorable:
        return NA_UNSET
    if ind.code in record.not_applicable:
        return NA_RECORD
    if ind.code in system.output_share:
        out = record.outputs.get(ind.code)
        if out is None or not out > 0:
            return NA_NOT_MADE
    return None


def effective_weights(
    system: IndicatorSystem, applicable: Collection[str], outputs: Mapping[str, float]
) -> tuple[dict[str, Fraction], tuple[str, ...]]:
    """Each applicable indicator's exact share of the index, and the categories that drop out.

    Within a category the applicable indicators' raw weights (fixed ω_ij, an equal share of a
    group's total, or an output share of it) are rescaled to sum to 1; the main categories'
    w_i are rescaled over those that still apply; a bonus category keeps its own w_i.
    """
    weights: dict[str, Fraction] = {}
    dropped: list[str] = []
    inner: dict[str, dict[str, Fraction]] = {}
    for cat in system.categories:
        members = [i for i in cat.indicators if i.code in applicable]
        raw: dict[str, Fraction] = {}
        for ind in members:
            if ind.group is None:
                assert ind.weight is not None
                raw[ind.code] = ind.weight
                continue
            group = cat.group(ind.group)
            peers = [i.code for i in members if i.group == ind.group]
            if group.share is Share.EQUAL:
                raw[ind.code] = group.weight / len(peers)
            else:
                total = sum((Fraction(outputs[c]) for c in peers), Fraction(0))
                raw[ind.code] = group.weight * Fraction(outputs[ind.code]) / total
        total_raw = sum(raw.values(), Fraction(0))
        if total_raw == 0:
            dropped.append(cat.code)
            continue
        inner[cat.code] = {code: w / total_raw for code, w in raw.items()}
    main_total = sum(
        (c.weight for c in system.categories if not c.bonus and c.code in inner), Fraction(0)
    )
    for cat in system.categories:
        if cat.code not in inner:
            continue
        w_cat = cat.weight if cat.bonus else cat.weight / main_total
        for code, w in inner[cat.code].items():
            weights[code] = w_cat * w
    return weights, tuple(dropped)


def indicator_level(
    ind: Indicator, value: Value | None, params: Mapping[str, int]
) -> tuple[Grade, str]:
    """The best level ``value`` reaches (cumulative), and why it is missing ("" if present)."""
    if is_missing(value):
        return Grade.BELOW, "缺少数据，按未达标计"
    if ind.kind is Kind.QUANTITATIVE:
        if isinstance(value, (bool, Grade)) or not isinstance(value, (int, float)):
            raise RecordError(f"指标 {ind.code}：定量指标的值应为数字，实际为{value!r}")
        n: int | None = None
        if ind.parameter is not None:
            n = params.get(ind.parameter)
            if n is None:
                return Grade.BELOW, f"缺少参数 {ind.parameter}，无法确定基准值，按未达标计"
        x = float(value)
        for k in LEVELS:
            bench = ind.benchmarks[k - 1]
            if bench is not None and bench.contains(x, n):
                return k, ""
        return Grade.BELOW, ""
    if ind.kind is Kind.QUALITATIVE:
        if not isinstance(value, Grade):
            raise RecordError(f"指标 {ind.code}：定性指标的值应为所达等级，实际为{value!r}")
        return value, ""
    if not isinstance(value, bool):
        raise RecordError(f"指标 {ind.code}：是否类指标的值应为是/否，实际为{value!r}")
    return (Grade.I if value else Grade.BELOW), ""


def evaluate(system: IndicatorSystem, record: Record) -> EvaluationResult:
    """Grade ``record`` against ``system`` exactly (the reference, per-record path)."""
    check_record(system, record)
    reasons: dict[str, str] = {}
    for ind in system.indicators:
        why = not_applicable_reason(system, ind, record)
        if why is not None:
            reasons[ind.code] = why
    applicable = [i.code for i in system.indicators if i.code not in reasons]
    weights, dropped = effective_weights(system, applicable, record.outputs)
    levels: dict[str, Grade | None] = {}
    missing: dict[str, str] = {}
    for ind in system.indicators:
        if ind.code in reasons:
            levels[ind.code] = None
            continue
        level, why = indicator_level(ind, record.values.get(ind.code), record.params)
        levels[ind.code] = level
        if why:
            missing[ind.code] = why
    return build_result(
        system, record.id, record.values, levels, missing, reasons, weights, dropped
    )


def index_of(
    levels: Mapping[str, Grade | None], weights: Mapping[str, Fraction]
) -> tuple[Fraction, Fraction, Fraction]:
    """Y_I, Y_II, Y_III: 100 × the weight of the indicators meeting each level, capped at 100."""
    ys = [
        min(
            FULL,
            100
            * sum(
                (w for c, w in weights.items() if (lv := levels[c]) is not None and lv <= k),
                Fraction(0),
            ),
        )
        for k in LEVELS
    ]
    return ys[0], ys[1], ys[2]


def grade_of(
    index: tuple[Fraction, Fraction, Fraction],
    failed: tuple[tuple[str, ...], ...],
    failed_flag: tuple[str, ...],
) -> Grade:
    """The grade from the indices and the restrictive (and flag) failures."""
    if index[0] >= PASS and not failed[0] and not failed_flag:
        return Grade.I
    if index[1] >= PASS and not failed[1]:
        return Grade.II
    if index[2] == FULL and not failed[2]:
        return Grade.III
    return Grade.BELOW


def build_result(
    system: IndicatorSystem,
    record_id: str,
    values: Mapping[str, Value],
    levels: Mapping[str, Grade | None],
    missing: Mapping[str, str],
    reasons: Mapping[str, str],
    weights: Mapping[str, Fraction],
    dropped: tuple[str, ...],
) -> EvaluationResult:
    """Assemble a result from per-indicator levels; shared by the single and batch paths."""
    index = index_of(levels, weights)
    failed = tuple(
        tuple(
            i.code
            for i in system.indicators
            if i.restrictive and (lv := levels[i.code]) is not None and lv > k
        )
        for k in LEVELS
    )
    failed3 = (failed[0], failed[1], failed[2])
    failed_flag: tuple[str, ...] = ()
    if FLAG_I_REQUIRES_II in system.flags:
        failed_flag = tuple(
            i.code
            for i in system.indicators
            if not i.restrictive and (lv := levels[i.code]) is not None and lv > Grade.II
        )
    grade = grade_of(index, failed3, failed_flag)
    outcomes = tuple(
        IndicatorOutcome(
            code=i.code,
            name=i.name,
            category=system.category_of[i.code].code,
            level=levels[i.code],
            value=_clean(values.get(i.code)),
            weight=weights.get(i.code, Fraction(0)),
            missing=i.code in missing,
            reason=reasons.get(i.code) or missing.get(i.code, ""),
        )
        for i in system.indicators
    )
    result = EvaluationResult(
        record_id=record_id,
        system=system.slug,
        index=index,
        grade=grade,
        outcomes=outcomes,
        failed_restrictive=failed3,
        failed_flag=failed_flag,
        missing=tuple(c for c in system.position if c in missing),
        not_applicable=tuple(c for c in system.position if c in reasons),
        inapplicable_categories=dropped,
        explanation="",
    )
    return replace(result, explanation=explain(system, result))


def _clean(value: Value | None) -> Value | None:
    """NaN marks a missing value in arrays; report it as None like an absent one."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
