"""Feasibility analysis of audit options (方案的确定 / 可行性分析, economic evaluation).

The audit guidelines judge a medium/high-cost option by four figures:

* payback period (投资偿还期) ``N = I / F`` for a constant annual net cash flow ``F``; for
  year-by-year flows, the year in which the cumulative flow reaches ``I``, interpolated within
  that year;
* net present value (净现值) ``NPV = sum_{j=1..n} F_j / (1 + i)^j - I``;
* net present value ratio (净现值率) ``NPVR = NPV / I``;
* internal rate of return (内部收益率) ``IRR``: the rate ``r`` with ``NPV(r) = 0``.

Textbooks find the IRR by linear interpolation between two trial rates, which is off by up to a
few tenths of a percentage point. Here it is the root itself, found by bisection on a bracket
until the bracket cannot shrink any more in floating point (full double precision).

Money is in floats: the inputs are estimates with two or three significant digits, the
formulas involve powers and a root, and Decimal would add cost without adding accuracy.
Sums use :func:`math.fsum` so long flow sequences do not accumulate rounding error.
The unit of money is the caller's (usually 万元); only ratios and years come out unitless.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from cleanprod.core.errors import CoreError

__all__ = [
    "CashFlows",
    "CostClass",
    "EconomicsError",
    "Feasibility",
    "ImplementationRate",
    "MultipleIRRError",
    "NoIRRError",
    "OptionRecord",
    "cash_flows",
    "cost_class",
    "feasibility",
    "implementation_rate",
    "irr",
    "irr_of_flows",
    "npv",
    "npv_of_flows",
    "npvr",
    "payback_years",
]


class EconomicsError(CoreError, ValueError):
    """Invalid input to a feasibility calculation (negative investment, rate <= -100 %, ...)."""


class NoIRRError(EconomicsError):
    """The cash flows have no internal rate of return: NPV(r) is never zero for r > -100 %."""


class MultipleIRRError(EconomicsError):
    """The cash flows change sign more than once and NPV(r) has several roots.

    ``rates`` holds every root found, ascending; the IRR is then not a meaningful criterion.
    """

    def __init__(self, message: str, rates: tuple[float, ...]) -> None:
        super().__init__(message)
        self.rates = rates


class CostClass(StrEnum):
    """无/低费方案 (LOW) or 中/高费方案 (HIGH)."""

    LOW = "low"
    HIGH = "high"


@dataclass(frozen=True)
class CashFlows:
    """An option's investment at year 0 and its net cash flows for years 1..n."""

    investment: float
    flows: tuple[float, ...]

    @property
    def lifetime(self) -> int:
        """Number of years with a cash flow (n)."""
        return len(self.flows)

    def as_sequence(self) -> tuple[float, ...]:
        """All flows from year 0, the investment entered as an outflow."""
        return (-self.investment, *self.flows)


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise EconomicsError(f"{name}必须是有限数值：{value!r}")
    return value


def cash_flows(
    investment: float, annual: float | Sequence[float], lifetime: int | None = None
) -> CashFlows:
    """Build :class:`CashFlows` from a constant annual flow and a lifetime, or a sequence.

    ``annual`` is either one number (then ``lifetime`` years are required) or the flows of
    years 1..n (then ``lifetime``, if given, must equal their count).
    Raises :class:`EconomicsError` on a negative or non-finite investment, a missing or
    non-positive lifetime, or an empty or non-finite flow sequence.
    """
    inv = _finite("投资", investment)
    if inv < 0:
        raise EconomicsError(f"投资不能为负：{inv}")
    if isinstance(annual, int | float):
        if lifetime is None:
            raise EconomicsError("年净现金流量为常数时必须给出寿命期（年）")
        if lifetime < 1:
            raise EconomicsError(f"寿命期至少为1年：{lifetime}")
        flow = _finite("年净现金流量", annual)
        return CashFlows(inv, (flow,) * lifetime)
    flows = tuple(_finite(f"第{j}年净现金流量", f) for j, f in enumerate(annual, start=1))
    if not flows:
        raise EconomicsError("逐年净现金流量不能为空")
    if lifetime is not None and lifetime != len(flows):
        raise EconomicsError(f"寿命期为{lifetime}年，但给出了{len(flows)}年的现金流量")
    return CashFlows(inv, flows)


def npv_of_flows(flows: Sequence[float], rate: float) -> float:
    """Net present value of ``flows`` (year 0 first) at discount ``rate`` (0.05 for 5 %).

    Raises :class:`EconomicsError` if ``rate <= -1`` (the discount factor is undefined) or if
    a rate just above -1 makes the present values overflow.
    """
    if not rate > -1.0:
        raise EconomicsError(f"折现率必须大于-100%：{rate}")
    base = 1.0 + rate
    terms: list[float] = []
    for j, f in enumerate(flows):
        try:
            terms.append(f / base**j)
        except OverflowError:  # base > 1 and a huge rate: this present value is 0
            terms.append(0.0)
        except ZeroDivisionError:  # base < 1 and base**j underflowed: the value is infinite
            terms.append(math.inf if f > 0 else -math.inf if f < 0 else 0.0)
    total = math.fsum(terms) if all(map(math.isfinite, terms)) else math.nan
    if not math.isfinite(total):
        raise EconomicsError(f"折现率 {rate} 过于接近 -100%，现值超出浮点数范围")
    return total


def npv(
    investment: float,
    annual: float | Sequence[float],
    rate: float,
    lifetime: int | None = None,
) -> float:
    """``NPV = sum_{j=1..n} F_j / (1 + rate)^j - investment``; see :func:`cash_flows`."""
    return npv_of_flows(cash_flows(investment, annual, lifetime).as_sequence(), rate)


def npvr(
    investment: float,
    annual: float | Sequence[float],
    rate: float,
    lifetime: int | None = None,
) -> float | None:
    """``NPVR = NPV / investment``; ``None`` when the investment is zero (no-cost option)."""
    cf = cash_flows(investment, annual, lifetime)
    if cf.investment == 0:
        return None
    return npv_of_flows(cf.as_sequence(), rate) / cf.investment


def payback_years(
    investment: float, annual: float | Sequence[float], lifetime: int | None = None
) -> float | None:
    """Years until the cumulative net cash flow repays ``investment`` (undiscounted).

    With a constant flow ``F`` this is ``I / F`` (``lifetime`` is then optional and ignored,
    as in the guidelines' formula). With year-by-year flows it is the year ``T`` in which the
    cumulative flow first reaches ``I``, interpolated linearly within year ``T``.
    Returns ``None`` when the investment is never repaid (``F <= 0``, or the flows' total stays
    below ``I``); returns 0 for a zero investment.
    """
    if isinstance(annual, int | float):
        inv = cash_flows(investment, annual, 1).investment  # validates both numbers
        flow = _finite("年净现金流量", annual)
        if inv == 0:
            return 0.0
        return inv / flow if flow > 0 else None
    cf = cash_flows(investment, annual, lifetime)
    if cf.investment == 0:
        return 0.0
    remaining = cf.investment
    for year, flow in enumerate(cf.flows, start=1):
        if flow > 0 and flow >= remaining:
            return year - 1 + remaining / flow
        remaining -= flow
    return None


def _sign_changes(flows: Iterable[float]) -> int:
    signs = [f > 0 for f in flows if f != 0]
    return sum(1 for a, b in itertools.pairwise(signs) if a != b)


def _positive(flows: Sequence[float], rate: float) -> bool:
    """Whether NPV(rate) > 0; near r = -1 an overflowing NPV has the sign of the last flow."""
    try:
        return npv_of_flows(flows, rate) > 0
    except EconomicsError:
        return next(f for f in reversed(flows) if f != 0) > 0


def _bisect(flows: Sequence[float], lo: float, hi: float) -> float:
    """Root of NPV(r) in ``[lo, hi]``, whose ends have NPVs of opposite sign."""
    lo_positive = _positive(flows, lo)
    # Each step halves the bracket; stop when no float lies strictly between its ends.
    for _ in range(2200):
        mid = lo + (hi - lo) / 2
        if mid in (lo, hi):
            break
        if _positive(flows, mid) == lo_positive:
            lo = mid
        else:
            hi = mid
    return lo + (hi - lo) / 2


# Rates tried when looking for a bracket: from just above -100 % to 10^300.
_LOW_RATES = tuple(-1.0 + 10.0**-k for k in range(1, 16))
_HIGH_RATES = tuple(10.0**k for k in range(0, 301))


def _roots_from_polynomial(flows: Sequence[float]) -> list[float]:
    """Every rate r > -1 with NPV(r) = 0, from the roots of the NPV polynomial, refined.

    NPV(r) = sum_j c_j x^j with x = 1/(1+r); each positive real root x gives one IRR.
    numpy's eigenvalue roots are only approximate (worst for x far from 1, i.e. r near -1), so
    each is bracketed by widening a relative interval around x until NPV changes sign, then
    bisected. A candidate without a sign change is kept only if NPV is zero there to rounding
    (a root of even multiplicity); otherwise it was a numerical artefact.
    """
    coeffs = np.array(list(reversed(flows)), dtype=float)  # numpy wants the highest power first
    candidates = [
        float(x.real)
        for x in np.roots(np.trim_zeros(coeffs, "f"))
        if x.real > 0 and abs(x.imag) <= 1e-6 * abs(x.real)
    ]
    roots: list[float] = []
    for x0 in sorted(candidates, reverse=True):  # ascending rates
        for k in range(12, 1, -1):
            delta = 10.0**-k
            lo, hi = 1.0 / (x0 * (1 + delta)) - 1.0, 1.0 / (x0 * (1 - delta)) - 1.0
            if lo > -1.0 and _positive(flows, lo) != _positive(flows, hi):
                roots.append(_bisect(flows, lo, hi))
                break
        else:
            r0 = 1.0 / x0 - 1.0
            scale = math.fsum(abs(c) * x0**j for j, c in enumerate(flows))
            try:
                if abs(npv_of_flows(flows, r0)) <= 1e-9 * scale:
                    roots.append(r0)
            except EconomicsError:
                pass  # too close to -100 % to evaluate: not a usable rate
    # A root found from two nearby candidates counts once.
    unique: list[float] = []
    for r in sorted(roots):
        if not unique or abs(r - unique[-1]) > 1e-9 * max(1.0, abs(r)):
            unique.append(r)
    return unique


def irr_of_flows(flows: Sequence[float]) -> float:
    """Internal rate of return of ``flows`` (year 0 first): the r > -1 with NPV(r) = 0.

    For the usual option (one outflow, then inflows) the NPV falls monotonically with the rate
    and the root is unique; it is bracketed and bisected to full double precision.
    Raises :class:`NoIRRError` when there is no root (all flows of one sign, or flows too small
    ever to repay the investment at any rate above -100 %), and :class:`MultipleIRRError` when
    flows changing sign several times give more than one root.
    """
    flows = [_finite("现金流量", f) for f in flows]
    changes = _sign_changes(flows)
    if changes == 0:
        raise NoIRRError("现金流量全部同号（或为零），净现值不可能为零，不存在内部收益率")
    if changes > 1:
        roots = _roots_from_polynomial(flows)
        if not roots:
            raise NoIRRError("现金流量多次变号，但净现值在任何折现率下都不为零，不存在内部收益率")
        if len(roots) > 1:
            shown = "、".join(f"{r:.4%}" for r in roots)
            raise MultipleIRRError(
                f"现金流量多次变号，净现值有多个零点（{shown}），内部收益率不唯一", tuple(roots)
            )
        return roots[0]
    # One sign change: by Descartes' rule exactly one root. NPV's sign near r = -1 is that of
    # the last non-zero flow, and for large r that of the first non-zero flow.
    first = next(f for f in flows if f != 0)
    last = next(f for f in reversed(flows) if f != 0)
    hi = next((r for r in _HIGH_RATES if _positive(flows, r) == (first > 0)), None)
    lo = next((r for r in _LOW_RATES if _positive(flows, r) == (last > 0)), None)
    if hi is None or lo is None:  # the root is closer to -100 % than a float can resolve
        raise NoIRRError("在可计算的折现率范围内找不到净现值为零的点")
    return _bisect(flows, lo, hi)


def irr(investment: float, annual: float | Sequence[float], lifetime: int | None = None) -> float:
    """Internal rate of return of an option; see :func:`cash_flows` and :func:`irr_of_flows`."""
    return irr_of_flows(cash_flows(investment, annual, lifetime).as_sequence())


@dataclass(frozen=True)
class Feasibility:
    """The economic evaluation of one option.

    ``irr`` is ``None`` when it does not exist or is not unique; ``irr_problem`` then says why.
    ``npvr`` is ``None`` for a zero investment. ``feasible`` is the guidelines' criterion
    NPV >= 0 (equivalently IRR >= the discount rate for a conventional option).
    """

    investment: float
    flows: tuple[float, ...]
    rate: float
    payback_years: float | None
    npv: float
    npvr: float | None
    irr: float | None
    irr_problem: str | None

    @property
    def feasible(self) -> bool:
        """Economically feasible: the NPV at the discount rate is not negative."""
        return self.npv >= 0


def feasibility(
    investment: float,
    annual: float | Sequence[float],
    rate: float,
    lifetime: int | None = None,
) -> Feasibility:
    """Compute payback, NPV, NPVR and IRR of one option at discount ``rate``.

    Inputs as for :func:`cash_flows`. An IRR that does not exist or is ambiguous is reported
    in ``irr_problem`` instead of raising, so a table of options can always be shown.
    """
    cf = cash_flows(investment, annual, lifetime)
    flows = cf.as_sequence()
    value = npv_of_flows(flows, rate)
    try:
        rate_of_return: float | None = irr_of_flows(flows)
        problem: str | None = None
    except (NoIRRError, MultipleIRRError) as exc:
        rate_of_return, problem = None, str(exc)
    return Feasibility(
        investment=cf.investment,
        flows=cf.flows,
        rate=rate,
        payback_years=payback_years(investment, annual, lifetime),
        npv=value,
        npvr=None if cf.investment == 0 else value / cf.investment,
        irr=rate_of_return,
        irr_problem=problem,
    )


def cost_class(investment: float, threshold: float) -> CostClass:
    """Classify an option by its investment: below ``threshold`` is 无/低费 (LOW), else HIGH.

    There is no national threshold: provinces and audit guides set their own (in the same
    money unit as ``investment``), so the caller passes the configured one.
    Raises :class:`EconomicsError` on a negative or non-finite investment or threshold.
    """
    inv = _finite("投资", investment)
    limit = _finite("中/高费方案投资门槛", threshold)
    if inv < 0 or limit <= 0:
        raise EconomicsError(f"投资不能为负、门槛必须为正：投资 {inv}，门槛 {limit}")
    return CostClass.LOW if inv < limit else CostClass.HIGH


@dataclass(frozen=True)
class OptionRecord:
    """What the implementation rate needs to know about one option."""

    approved: bool
    implemented: bool
    investment: float = 0.0


@dataclass(frozen=True)
class ImplementationRate:
    """方案实施率 by count and by investment.

    A rate is ``None`` (not 0) when its denominator is zero: with no approved options, or no
    approved investment, the rate is undefined rather than bad.
    """

    approved_count: int
    implemented_count: int
    approved_investment: float
    implemented_investment: float
    by_count: float | None
    by_investment: float | None


def implementation_rate(
    options: Iterable[OptionRecord],
    cost: CostClass | None = None,
    threshold: float | None = None,
) -> ImplementationRate:
    """Implemented approved options / approved options, by count and by investment.

    An option implemented without approval counts in neither numerator nor denominator:
    the rate measures how many of the options the audit adopted were carried out.
    With ``cost`` (and its ``threshold``) only options of that cost class count, e.g. the
    12th plan's rate of technical-renovation options (十二五 §二(三), target > 60 %).
    Raises :class:`EconomicsError` on ``cost`` without ``threshold`` or a bad investment.
    """
    if cost is not None and threshold is None:
        raise EconomicsError("按费用类别统计实施率时必须给出中/高费方案投资门槛")
    approved_n = implemented_n = 0
    approved_inv: list[float] = []
    implemented_inv: list[float] = []
    for opt in options:
        inv = _finite("投资", opt.investment)
        if inv < 0:
            raise EconomicsError(f"投资不能为负：{inv}")
        if cost is not None and threshold is not None and cost_class(inv, threshold) != cost:
            continue
        if not opt.approved:
            continue
        approved_n += 1
        approved_inv.append(inv)
        if opt.implemented:
            implemented_n += 1
            implemented_inv.append(inv)
    total_approved = math.fsum(approved_inv)
    total_implemented = math.fsum(implemented_inv)
    return ImplementationRate(
        approved_count=approved_n,
        implemented_count=implemented_n,
        approved_investment=total_approved,
        implemented_investment=total_implemented,
        by_count=implemented_n / approved_n if approved_n else None,
        by_investment=total_implemented / total_approved if total_approved > 0 else None,
    )
