"""Progress against the plans' targets: decomposition, projection, status, penetration rate.

Pure functions over numbers (``int``, ``float`` or ``Decimal``); the wrappers
:func:`decompose` and :func:`target_status` take a :class:`~cleanprod.core.plans.Target`.

Definitions
-----------

*Decomposition* (目标分解). The national value of an *additive* target is split into parts
(provinces, groups, enterprises). The parts are **balanced** when their sum equals the whole
within ``tolerance`` (default 0: exactly; sums are computed in ``Decimal``, so ``0.1 + 0.2`` is
``0.3``). ``gap = whole − sum(parts)``: positive when the parts fall short of the whole. When the
parts' achieved values are given, each part whose achievement misses its assigned value (in the
target's direction) is listed as a :class:`Shortfall`.

*Projection*. An ordinary least-squares straight line through the observations ``(year, value)``,
evaluated at the target year; computed exactly (fractions) and returned as ``float``. Two points
give the line through them. Needs at least two distinct years.

*Status*, for a target ``value  comparison  target`` due in ``target_year``:

* **met** — the latest observation already satisfies the comparison;
* **on track** — not met, the latest observation is before the target year, and the projection of
  the observations to the target year satisfies the comparison (a ``baseline`` point older than
  every observation is added to the line; :func:`target_status` passes the target's
  :attr:`~cleanprod.core.plans.Target.trend_start`);
* **behind** — otherwise: the projection falls short, the target year has passed without the
  target being met, or there are fewer than two points to draw a line through.

``tolerance`` relaxes every comparison by that amount (``≥ t`` becomes ``≥ t − tolerance``,
``= t`` becomes ``|v − t| ≤ tolerance``); it is 0 unless the caller says otherwise, e.g. for a
target given as “4000台左右”.

*Penetration rate* (技术普及率) = adopted capacity / total capacity, in percent like the plans'
targets; ``None`` when the total capacity is zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import MAX_PREC, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from cleanprod.core.errors import CoreError
from cleanprod.core.plans import Comparison, Direction, Target

Number = int | float | Decimal
Observations = Mapping[int, Number] | Iterable[tuple[int, Number]]


class ProgressError(CoreError, ValueError):
    """Progress cannot be computed from the given values; the message says why."""


def _decimal(value: Number, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ProgressError(f"{what} 应为数值：{value!r}")
    result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise ProgressError(f"{what} 应为有限数值：{value!r}")
    return result


def _fraction(value: Number, what: str) -> Fraction:
    return Fraction(_decimal(value, what))


# --------------------------------------------------------------------------------------------
# comparison
# --------------------------------------------------------------------------------------------


def _holds(value: Fraction, comparison: Comparison, target: Fraction, tol: Fraction) -> bool:
    match comparison:
        case Comparison.GT:
            return value > target - tol
        case Comparison.GE:
            return value >= target - tol
        case Comparison.EQ:
            return abs(value - target) <= tol
        case Comparison.LE:
            return value <= target + tol
        case Comparison.LT:
            return value < target + tol
    raise ProgressError(f"未知比较符：{comparison!r}")  # pragma: no cover


def _tolerance(tolerance: Number) -> Fraction:
    tol = _fraction(tolerance, "tolerance")
    if tol < 0:
        raise ProgressError(f"容差不能为负：{tolerance}")
    return tol


def satisfies(
    value: Number, comparison: Comparison, target: Number, *, tolerance: Number = 0
) -> bool:
    """Whether ``value comparison target`` holds, relaxed by ``tolerance`` (≥ 0)."""
    return _holds(
        _fraction(value, "value"), comparison, _fraction(target, "target"), _tolerance(tolerance)
    )


# --------------------------------------------------------------------------------------------
# decomposition
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A part whose achieved value misses its assigned value by ``shortfall`` (> 0)."""

    key: str
    assigned: Decimal
    achieved: Decimal
    shortfall: Decimal


@dataclass(frozen=True, slots=True)
class DecompositionCheck:
    whole: Decimal
    total: Decimal
    gap: Decimal  # whole − total: > 0 when the parts fall short of the whole
    tolerance: Decimal
    shortfalls: tuple[Shortfall, ...]
    unreported: tuple[str, ...]  # parts with an assigned value but no achieved value

    @property
    def balanced(self) -> bool:
        """The parts sum to the whole within the tolerance."""
        return abs(self.gap) <= self.tolerance


def check_decomposition(
    whole: Number,
    assigned: Mapping[str, Number],
    *,
    achieved: Mapping[str, Number] | None = None,
    tolerance: Number = 0,
    direction: Direction = Direction.INCREASE,
) -> DecompositionCheck:
    """Check that ``assigned`` parts sum to ``whole`` and list the parts that fall short.

    ``achieved`` (optional) gives each part's achieved value; a part falls short when it
    achieved less than assigned (``direction`` increase) or more (decrease, e.g. a cap).
    Shortfalls are listed in the order of ``assigned``.
    """
    tol = _decimal(tolerance, "tolerance")
    if tol < 0:
        raise ProgressError(f"容差不能为负：{tolerance}")
    if not assigned:
        raise ProgressError("没有分解的部分")
    parts = {key: _decimal(value, f"assigned[{key}]") for key, value in assigned.items()}
    whole_d = _decimal(whole, "whole")
    shortfalls: list[Shortfall] = []
    unreported: list[str] = []
    if achieved is not None and set(achieved) - set(parts):
        stray = "、".join(sorted(set(achieved) - set(parts)))
        raise ProgressError(f"完成值中有未分解的部分：{stray}")
    with localcontext() as ctx:
        ctx.prec = MAX_PREC  # sums and differences of finite decimals are then exact
        total = sum(parts.values(), Decimal(0))
        for key, part in parts.items():
            if achieved is None:
                break
            if key not in achieved:
                unreported.append(key)
                continue
            got = _decimal(achieved[key], f"achieved[{key}]")
            missing = part - got if direction is Direction.INCREASE else got - part
            if missing > 0:
                shortfalls.append(Shortfall(key, part, got, missing))
        gap = whole_d - total
    return DecompositionCheck(
        whole=whole_d,
        total=total,
        gap=gap,
        tolerance=tol,
        shortfalls=tuple(shortfalls),
        unreported=tuple(unreported),
    )


def decompose(
    target: Target,
    assigned: Mapping[str, Number],
    *,
    achieved: Mapping[str, Number] | None = None,
    tolerance: Number = 0,
) -> DecompositionCheck:
    """:func:`check_decomposition` against a plan target; refuses non-additive targets."""
    if not target.additive or target.target.value is None:
        raise ProgressError(f"目标 {target.id}（{target.name}）不可分解：各部分之和不等于全国值")
    return check_decomposition(
        target.target.value,
        assigned,
        achieved=achieved,
        tolerance=tolerance,
        direction=target.direction,
    )


# --------------------------------------------------------------------------------------------
# projection and status
# --------------------------------------------------------------------------------------------


def _points(observations: Observations) -> list[tuple[int, Fraction]]:
    items = observations.items() if isinstance(observations, Mapping) else observations
    points: dict[int, Fraction] = {}
    for year, value in items:
        if isinstance(year, bool) or not isinstance(year, int):
            raise ProgressError(f"年份应为整数：{year!r}")
        if year in points:
            raise ProgressError(f"{year}年有两个观测值")
        points[year] = _fraction(value, f"{year}年的观测值")
    return sorted(points.items())


def _line(points: Sequence[tuple[int, Fraction]]) -> tuple[Fraction, Fraction]:
    """Least-squares slope and intercept (exact)."""
    if len(points) < 2:
        raise ProgressError("直线外推至少需要两个不同年份的观测值")
    n = len(points)
    mean_x = Fraction(sum(x for x, _ in points), n)
    mean_y = sum((y for _, y in points), Fraction(0)) / n
    sxx = sum(((x - mean_x) ** 2 for x, _ in points), Fraction(0))
    sxy = sum(((x - mean_x) * (y - mean_y) for x, y in points), Fraction(0))
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def project(observations: Observations, year: int) -> float:
    """The straight-line (least-squares) projection of the observations to ``year``."""
    slope, intercept = _line(_points(observations))
    return float(slope * year + intercept)


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"


def status(
    observations: Observations,
    *,
    target: Number,
    target_year: int,
    comparison: Comparison,
    baseline: tuple[int, Number] | None = None,
    tolerance: Number = 0,
) -> Status:
    """Status of a target from observations; see the module docstring for the definitions."""
    points = _points(observations)
    if not points:
        raise ProgressError("没有观测值")
    goal, tol = _fraction(target, "target"), _tolerance(tolerance)
    latest_year, latest = points[-1]
    if _holds(latest, comparison, goal, tol):
        return Status.MET
    if latest_year >= target_year:
        return Status.BEHIND
    if baseline is not None and baseline[0] < points[0][0]:
        points.insert(0, (baseline[0], _fraction(baseline[1], "baseline")))
    if len(points) < 2:
        return Status.BEHIND
    slope, intercept = _line(points)
    projected = slope * target_year + intercept
    return Status.ON_TRACK if _holds(projected, comparison, goal, tol) else Status.BEHIND


def target_status(target: Target, observations: Observations, *, tolerance: Number = 0) -> Status:
    """:func:`status` of a plan target; :attr:`Target.trend_start` starts the line."""
    if target.qualitative or target.target.value is None or target.comparison is None:
        raise ProgressError(f"目标 {target.id} 是定性目标，无法计算进度")
    return status(
        observations,
        target=target.target.value,
        target_year=target.target.year,
        comparison=target.comparison,
        baseline=target.trend_start,
        tolerance=tolerance,
    )


# --------------------------------------------------------------------------------------------
# penetration rate
# --------------------------------------------------------------------------------------------


def penetration_rate(adopted: Number, total: Number) -> float | None:
    """技术普及率 in percent: adopted capacity / total capacity × 100; None if total is 0."""
    a, t = _fraction(adopted, "adopted"), _fraction(total, "total")
    if a < 0 or t < 0:
        raise ProgressError(f"产能不能为负：adopted={adopted}, total={total}")
    if t == 0:
        return None
    if a > t:
        raise ProgressError(f"采用产能 {adopted} 大于总产能 {total}")
    return float(a * 100 / t)
