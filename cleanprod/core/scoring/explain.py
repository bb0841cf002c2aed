"""The plain-language (Chinese) explanation of a grade: why it is not one level higher."""

from __future__ import annotations

from cleanprod.core.scoring.model import FLAG_I_REQUIRES_II, Grade, IndicatorSystem
from cleanprod.core.scoring.result import EvaluationResult, format_index

_Y = {Grade.I: "Y_Ⅰ", Grade.II: "Y_Ⅱ", Grade.III: "Y_Ⅲ"}


def _names(system: IndicatorSystem, result: EvaluationResult, codes: tuple[str, ...]) -> str:
    parts = []
    for code in codes:
        o = result.outcome(code)
        state = "缺少数据" if o.missing else (o.level.label if o.level else "")
        parts.append(f"{system.indicator(code).name}（{state}）")
    return "、".join(parts)


def why_not(system: IndicatorSystem, result: EvaluationResult, target: Grade) -> list[str]:
    """The reasons ``result`` does not reach ``target`` (empty if it does)."""
    k = target - 1
    y = result.index[k]
    reasons = []
    if target is Grade.III:
        if y < 100:
            short = tuple(
                o.code for o in result.outcomes if o.level is not None and o.level > Grade.III
            )
            listed = f"（未达到Ⅲ级的指标：{_names(system, result, short)}）" if short else ""
            reasons.append(f"{_Y[target]} {format_index(y)}，未达到100{listed}")
    elif y < 85:
        reasons.append(f"{_Y[target]} {format_index(y)}，低于85")
    if result.failed_restrictive[k]:
        reasons.append(
            f"限定性指标未达到{target.label}："
            f"{_names(system, result, result.failed_restrictive[k])}"
        )
    if target is Grade.I and result.failed_flag:
        reasons.append(
            f"本体系要求Ⅰ级企业的非限定性指标全部达到Ⅱ级，未达到的有："
            f"{_names(system, result, result.failed_flag)}"
        )
    return reasons


def explain(system: IndicatorSystem, result: EvaluationResult) -> str:
    """Verdict, the reasons the grade is not one higher, and the notes on missing/N/A data."""
    ys = "，".join(f"{_Y[k]} {format_index(result.index[k - 1])}" for k in _Y)
    g = result.grade
    verdict = f"评价等级：{g.label}" + ("（清洁生产先进企业）" if g.advanced else "")
    lines = [f"{verdict}。综合评价指数 {ys}。"]
    if g is Grade.I:
        lines.append("已达到最高等级Ⅰ级。")
    else:
        target = Grade(g - 1)
        lines.append(f"未评为{target.label}的原因：{'；'.join(why_not(system, result, target))}。")
    if result.missing:
        lines.append(f"以下指标缺少数据，按未达标计：{_names(system, result, result.missing)}。")
    if not any(o.applicable for o in result.outcomes):
        lines.append("没有适用的指标，无法评价。")
    if result.not_applicable:
        parts = [
            f"{system.indicator(c).name}（{result.outcome(c).reason}）"
            for c in result.not_applicable
        ]
        lines.append(
            "以下指标不适用，已剔除，所属一级指标内其余指标权重按比例调整："
            + "、".join(parts)
            + "。"
        )
    for code in result.inapplicable_categories:
        cat = next(c for c in system.categories if c.code == code)
        if cat.bonus:
            lines.append(f"加分项“{cat.name}”全部不适用，不加分。")
        else:
            lines.append(f"一级指标“{cat.name}”全部不适用，其余一级指标权重已按比例重新归一。")
    if any(c.bonus for c in system.categories):
        lines.append("加分项计入综合评价指数，指数最高为100。")
    if FLAG_I_REQUIRES_II in system.flags and g is Grade.I:
        lines.append("本体系要求的Ⅰ级附加条件（非限定性指标全部达到Ⅱ级）已满足。")
    return "\n".join(lines)
