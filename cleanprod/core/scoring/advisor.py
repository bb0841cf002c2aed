"""Gap advisor: the cheapest set of indicator improvements that reaches a better grade.

Reaching grade g needs (a) every applicable restrictive indicator at g — and for I, when the
system says so, every non-restrictive one at II — which is forced, and (b) the index
Y_g ≥ 85 (Y_III = 100 for III), where improving indicator j to g adds 100·w_j to Y_g. (b) is a
min-cost knapsack *cover* over exact Fraction gains, solved exactly by branch and bound with
the LP (fractional) relaxation as the bound. Without costs every improvement costs 1, so the
plan is the smallest set. Improving a forced indicator all the way to g costs the same as
improving it to II (one cost per indicator), so the advisor always targets g.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from cleanprod.core.scoring.engine import FULL, PASS
from cleanprod.core.scoring.errors import ScoringError
from cleanprod.core.scoring.model import (
    FLAG_I_REQUIRES_II,
    Grade,
    IndicatorSystem,
    Kind,
    format_number,
)
from cleanprod.core.scoring.result import EvaluationResult, IndicatorOutcome

Cost = Fraction | int | float


@dataclass(frozen=True)
class Improvement:
    """Raise indicator ``code`` from ``current`` to ``level`` by meeting ``target``."""

    code: str
    name: str
    current: Grade
    missing: bool
    level: Grade
    target: str
    gain: Fraction  # points of Y_level gained
    cost: Fraction
    forced: bool  # required by the restrictive (or level-I) rule, not chosen for the index


@dataclass(frozen=True)
class Plan:
    """A cheapest set of improvements reaching ``grade``; ``index_after`` is its Y_grade."""

    grade: Grade
    improvements: tuple[Improvement, ...]
    cost: Fraction
    index_after: Fraction

    def describe(self) -> str:
        """The plan in Chinese, one line per improvement."""
        head = (
            f"达到{self.grade.label}：需改进{len(self.improvements)}项指标"
            f"（成本合计 {format_number(self.cost)}），"
            f"改进后指数约 {float(self.index_after):.2f}"
        )
        lines = [head]
        for imp in self.improvements:
            now = "缺少数据" if imp.missing else imp.current.label
            why = "（限定性/必达要求）" if imp.forced else ""
            lines.append(f"  - {imp.name}：{now} → {imp.level.label}，目标 {imp.target}{why}")
        return "\n".join(lines)


def min_cost_cover(
    gains: Sequence[Fraction], costs: Sequence[Fraction], need: Fraction
) -> tuple[int, ...] | None:
    """Indices of a minimum-cost subset whose gains sum to at least ``need`` (exact).

    Returns ``()`` when ``need <= 0`` and None when even all items fall short. Among equally
    cheap subsets the first found in cost/gain order is returned.
    """
    if need <= 0:
        return ()
    if sum(gains, Fraction(0)) < need:
        return None
    useful = [i for i in range(len(gains)) if gains[i] > 0]  # a zero gain never helps a cover
    order = sorted(useful, key=lambda i: (costs[i] / gains[i], -gains[i], i))
    g = [gains[i] for i in order]
    c = [costs[i] for i in order]
    suffix = [Fraction(0)] * (len(g) + 1)
    for i in range(len(g) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + g[i]
    best_cost = sum(c, Fraction(0))
    best: list[int] = list(range(len(g)))

    def relaxed(start: int, rem: Fraction) -> Fraction:
        """LP bound: fill by cost/gain ratio, the last item fractionally."""
        total = Fraction(0)
        for i in range(start, len(g)):
            if g[i] >= rem:
                return total + c[i] * rem / g[i]
            total += c[i]
            rem -= g[i]
        return total

    chosen: list[int] = []

    def search(i: int, cost: Fraction, rem: Fraction) -> None:
        """Depth first: take item i or not; prune when even the LP bound cannot beat the best."""
        nonlocal best_cost, best
        if rem <= 0:
            if cost < best_cost:
                best_cost, best = cost, list(chosen)
            return
        if i == len(g) or suffix[i] < rem or cost + relaxed(i, rem) >= best_cost:
            return
        chosen.append(i)
        search(i + 1, cost + c[i], rem - g[i])
        chosen.pop()
        search(i + 1, cost, rem)

    search(0, Fraction(0), need)
    # The all-items fallback is feasible; the search only replaces it with something cheaper.
    return tuple(sorted(order[i] for i in best))


def _raw_index(outcomes: Sequence[IndicatorOutcome], level: Grade) -> Fraction:
    """Y_level before the cap at 100."""
    return 100 * sum(
        (o.weight for o in outcomes if o.level is not None and o.level <= level), Fraction(0)
    )


def plan_for(
    system: IndicatorSystem,
    result: EvaluationResult,
    grade: Grade,
    costs: Mapping[str, Cost] | None = None,
    params: Mapping[str, int] | None = None,
) -> Plan | None:
    """The cheapest improvements that bring ``result`` to ``grade`` or better.

    The conditions of the grades are not nested (III needs Y_III = 100, II only Y_II ≥ 85), so
    the cheapest way to "at least III" may be to reach II: each grade from ``grade`` up is
    planned exactly and the cheapest kept (ties go to the lower grade). ``Plan.grade`` says
    which grade the plan reaches. None when no improvement can reach it (nothing applies).
    """
    if grade is Grade.BELOW:
        raise ScoringError("目标等级应为Ⅰ、Ⅱ或Ⅲ级")
    cost_of = {c: Fraction(v) for c, v in (costs or {}).items()}
    if any(v < 0 for v in cost_of.values()):
        raise ScoringError("改进成本不能为负")
    best: Plan | None = None
    for g in (Grade.III, Grade.II, Grade.I):
        if g <= grade:
            plan = _plan_exact(system, result, g, cost_of, params)
            if plan is not None and (best is None or plan.cost < best.cost):
                best = plan
    return best


def _plan_exact(
    system: IndicatorSystem,
    result: EvaluationResult,
    grade: Grade,
    cost_of: Mapping[str, Fraction],
    params: Mapping[str, int] | None,
) -> Plan | None:
    """The cheapest improvements meeting exactly the conditions of ``grade``."""
    below = [o for o in result.outcomes if o.level is not None and o.level > grade]
    ind = system.indicator
    forced = [o for o in below if ind(o.code).restrictive]
    if grade is Grade.I and FLAG_I_REQUIRES_II in system.flags:
        forced += [
            o
            for o in below
            if not ind(o.code).restrictive and o.level is not None and o.level > Grade.II
        ]
    forced_codes = {o.code for o in forced}
    optional = [o for o in below if o.code not in forced_codes]
    threshold = FULL if grade is Grade.III else PASS
    need = (
        threshold
        - _raw_index(result.outcomes, grade)
        - sum((100 * o.weight for o in forced), Fraction(0))
    )
    picked = min_cost_cover(
        [100 * o.weight for o in optional],
        [cost_of.get(o.code, Fraction(1)) for o in optional],
        need,
    )
    if picked is None:
        return None  # only when no indicator applies: nothing can raise the index
    chosen = [
        o for o in below if o.code in forced_codes or o.code in {optional[i].code for i in picked}
    ]
    improvements = tuple(
        Improvement(
            code=o.code,
            name=o.name,
            current=o.level or Grade.BELOW,
            missing=o.missing,
            level=grade,
            target=_target(system, o.code, grade, params),
            gain=100 * o.weight,
            cost=cost_of.get(o.code, Fraction(1)),
            forced=o.code in forced_codes,
        )
        for o in chosen
    )
    after = min(
        FULL, _raw_index(result.outcomes, grade) + sum((i.gain for i in improvements), Fraction(0))
    )
    return Plan(grade, improvements, sum((i.cost for i in improvements), Fraction(0)), after)


def advise(
    system: IndicatorSystem,
    result: EvaluationResult,
    costs: Mapping[str, Cost] | None = None,
    params: Mapping[str, int] | None = None,
) -> list[Plan]:
    """Plans for the next grade and the one after (none for a grade-I result).

    Each plan is the cheapest way to reach that grade *or better*; both may be the same plan.
    """
    better = [g for g in (Grade.III, Grade.II, Grade.I) if g < result.grade][:2]
    plans = [plan_for(system, result, g, costs, params) for g in better]
    return [p for p in plans if p is not None]


def _target(
    system: IndicatorSystem, code: str, grade: Grade, params: Mapping[str, int] | None
) -> str:
    """The benchmark to meet, with a linear limit evaluated at the record's n when known."""
    ind = system.indicator(code)
    bench = ind.benchmarks[grade - 1]
    if ind.kind is Kind.QUANTITATIVE and bench is not None and bench.linear:
        n = (params or {}).get(ind.parameter or "")
        if n is not None:
            lo, hi = bench.lower, bench.upper
            parts = []
            if lo is not None:
                parts.append(f"{'>' if lo.strict else '≥'}{format_number(lo.limit.at(n))}")
            if hi is not None:
                parts.append(f"{'<' if hi.strict else '≤'}{format_number(hi.limit.at(n))}")
            return f"{' 且 '.join(parts)} {ind.unit}（{bench}，n={n}）".strip()
    return ind.target(grade)
