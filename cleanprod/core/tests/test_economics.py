"""Feasibility analysis: the published example, exact IRR, payback, rates, cost class."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cleanprod.core.economics import (
    CostClass,
    EconomicsError,
    MultipleIRRError,
    NoIRRError,
    OptionRecord,
    cash_flows,
    cost_class,
    feasibility,
    implementation_rate,
    irr,
    irr_of_flows,
    npv,
    npv_of_flows,
    npvr,
    payback_years,
)
from cleanprod.core.errors import CoreError

# The audit textbooks' worked example: I = 150, F = 32.5 per year, n = 10 years, i = 5 %.


def test_published_example() -> None:
    result = feasibility(150, 32.5, 0.05, 10)
    assert round(result.payback_years or 0, 2) == 4.62
    assert round(result.npv, 2) == 100.96
    assert round(result.irr or 0, 4) == 0.1726
    assert round(result.npvr or 0, 4) == 0.6730
    assert result.feasible
    assert result.irr_problem is None


def test_published_example_by_hand() -> None:
    # Annuity factor (1 - 1.05^-10) / 0.05 = 7.721734929...; 32.5 x 7.7217349 - 150.
    assert npv(150, 32.5, 0.05, 10) == pytest.approx(32.5 * 7.721734929184818 - 150, abs=1e-9)
    assert payback_years(150, 32.5) == pytest.approx(150 / 32.5)
    # The textbook interpolates between 17 % and 18 % and gets about 17.26 %; the exact root:
    r = irr(150, 32.5, 10)
    assert npv_of_flows([-150] + [32.5] * 10, r) == pytest.approx(0, abs=1e-9)
    assert npv(150, 32.5, 0.17, 10) > 0 > npv(150, 32.5, 0.18, 10)
    assert r == pytest.approx(0.172570235, abs=1e-9)


def test_irr_is_the_root_not_the_linear_interpolation() -> None:
    # Linear interpolation between 10 % and 30 % overstates this IRR; the exact value is 20 %.
    flows = [-100.0, 0.0, 144.0]  # 100 (1.2)^2 = 144
    assert irr_of_flows(flows) == pytest.approx(0.2, abs=1e-12)
    lo, hi = 0.10, 0.30
    f_lo, f_hi = npv_of_flows(flows, lo), npv_of_flows(flows, hi)
    interpolated = lo + (hi - lo) * f_lo / (f_lo - f_hi)
    assert abs(interpolated - 0.2) > 0.005


def test_per_year_flows() -> None:
    flows = [20.0, 30.0, 40.0, 50.0, 60.0]
    # Hand: 18.1818 + 24.7934 + 30.0526 + 34.1507 + 37.2553 = 144.4338 (to 4 places) - 100.
    expected = 20 / 1.1 + 30 / 1.21 + 40 / 1.331 + 50 / 1.4641 + 60 / 1.61051 - 100
    assert npv(100, flows, 0.10) == pytest.approx(expected, rel=1e-12)
    assert round(expected, 4) == 44.4338
    # Cumulative 20, 50, 90, 140: repaid in year 4 after 10 of its 50 -> 3.2 years.
    assert payback_years(100, flows) == pytest.approx(3.2)
    r = irr(100, flows)
    assert npv(100, flows, r) == pytest.approx(0, abs=1e-9)
    assert npvr(100, flows, 0.10) == pytest.approx(expected / 100)


def test_constant_flow_equals_the_same_sequence() -> None:
    assert npv(150, 32.5, 0.05, 10) == pytest.approx(npv(150, [32.5] * 10, 0.05))
    assert irr(150, 32.5, 10) == pytest.approx(irr(150, [32.5] * 10), abs=1e-15)


def test_payback_not_reached_is_none() -> None:
    assert payback_years(100, [10, 20, 30]) is None
    assert payback_years(100, 0.0) is None
    assert payback_years(100, -5.0) is None
    assert payback_years(0, 10.0) == 0.0


def test_zero_investment_has_no_npvr_and_no_irr() -> None:
    result = feasibility(0, 5.0, 0.05, 3)
    assert result.npvr is None
    assert result.irr is None
    assert result.irr_problem is not None and "同号" in result.irr_problem
    assert result.npv == pytest.approx(5 / 1.05 + 5 / 1.05**2 + 5 / 1.05**3)


def test_no_irr_when_flows_never_repay() -> None:
    with pytest.raises(NoIRRError):
        irr(100, [-10.0, -10.0])
    with pytest.raises(NoIRRError):
        irr_of_flows([-100, 0, 0])


def test_negative_irr_is_found() -> None:
    # -100 + 10x + 10x^2 = 0 with x = 1/(1+r): x = (-10 + sqrt(4100)) / 20.
    x = (-10 + math.sqrt(4100)) / 20
    assert irr(100, [10.0, 10.0]) == pytest.approx(1 / x - 1, abs=1e-12)


def test_extreme_rates_are_found() -> None:
    # 0.01 invested, 10001 back after one year: IRR = 10001 / 0.01 - 1 = 1,000,099.
    assert irr(0.01, 10001.0, 1) == pytest.approx(1_000_099, rel=1e-12)
    # A root far beyond the first trial rates with several sign changes: 0.04 - 43.8x + 30.3x^2.
    with pytest.raises(MultipleIRRError) as info:
        irr_of_flows([0.04, -43.8, 30.3])
    low, high = info.value.rates
    for r in (low, high):
        assert npv_of_flows([0.04, -43.8, 30.3], r) == pytest.approx(0, abs=1e-9)
    assert high > 1000


def test_multiple_irrs_are_reported() -> None:
    # -100 + 230 x - 132 x^2 = 0 at x = 1/1.1 and 1/1.2: IRRs 10 % and 20 %.
    with pytest.raises(MultipleIRRError) as info:
        irr_of_flows([-100, 230, -132])
    assert info.value.rates == pytest.approx((0.10, 0.20), abs=1e-12)
    result = feasibility(100, [230, -132], 0.05)
    assert result.irr is None and "多个" in (result.irr_problem or "")


def test_unique_root_with_several_sign_changes_is_returned() -> None:
    # Three sign changes, yet -100 + 50x - 10x^2 + 100x^3 rises for every x (its derivative
    # 50 - 20x + 300x^2 has no real root), so there is exactly one IRR.
    flows = [-100.0, 50.0, -10.0, 100.0]
    r = irr_of_flows(flows)
    assert npv_of_flows(flows, r) == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 10.0, 5), "投资不能为负"),
        ((100, 10.0, None), "寿命期"),
        ((100, 10.0, 0), "寿命期至少"),
        ((100, [], None), "不能为空"),
        ((100, [1.0, 2.0], 3), "寿命期为3年"),
        ((math.nan, 10.0, 5), "有限"),
    ],
)
def test_invalid_inputs(args: tuple[float, object, int | None], message: str) -> None:
    with pytest.raises(EconomicsError, match=message) as info:
        cash_flows(*args)  # type: ignore[arg-type]
    assert isinstance(info.value, CoreError)


def test_rate_must_exceed_minus_one() -> None:
    with pytest.raises(EconomicsError):
        npv(100, 10.0, -1.0, 5)


def test_cost_class_threshold() -> None:
    assert cost_class(0, 5) is CostClass.LOW
    assert cost_class(4.99, 5) is CostClass.LOW
    assert cost_class(5, 5) is CostClass.HIGH  # the threshold itself is medium/high cost
    assert cost_class(150, 5) is CostClass.HIGH
    assert cost_class(150, 200) is CostClass.LOW  # configurable
    with pytest.raises(EconomicsError):
        cost_class(-1, 5)
    with pytest.raises(EconomicsError):
        cost_class(1, 0)


def test_implementation_rate_by_count_and_investment() -> None:
    options = [
        OptionRecord(approved=True, implemented=True, investment=2),
        OptionRecord(approved=True, implemented=False, investment=8),
        OptionRecord(approved=True, implemented=True, investment=150),
        OptionRecord(approved=True, implemented=False, investment=50),
        OptionRecord(approved=False, implemented=True, investment=1000),  # not adopted: ignored
        OptionRecord(approved=False, implemented=False, investment=30),
    ]
    rate = implementation_rate(options)
    assert (rate.approved_count, rate.implemented_count) == (4, 2)
    assert rate.by_count == pytest.approx(0.5)
    assert (rate.approved_investment, rate.implemented_investment) == (210, 152)
    assert rate.by_investment == pytest.approx(152 / 210)
    high = implementation_rate(options, CostClass.HIGH, threshold=10)
    assert (high.approved_count, high.implemented_count) == (2, 1)
    assert high.by_investment == pytest.approx(150 / 200)
    low = implementation_rate(options, CostClass.LOW, threshold=10)
    assert low.by_count == pytest.approx(0.5)
    assert low.by_investment == pytest.approx(2 / 10)


def test_implementation_rate_zero_denominators_are_none() -> None:
    empty = implementation_rate([])
    assert empty.by_count is None and empty.by_investment is None
    none_approved = implementation_rate([OptionRecord(approved=False, implemented=True)])
    assert none_approved.by_count is None
    free = implementation_rate([OptionRecord(approved=True, implemented=True, investment=0)])
    assert free.by_count == 1.0
    assert free.by_investment is None  # no approved investment: undefined, not 0
    with pytest.raises(EconomicsError):
        implementation_rate([], CostClass.HIGH)


finite = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(finite, st.lists(finite, min_size=1, max_size=40))
def test_npv_at_the_irr_is_zero(investment: float, flows: list[float]) -> None:
    seq = [-investment, *flows]
    r = irr_of_flows(seq)
    below, at, above = (
        npv_of_flows(seq, x) for x in (math.nextafter(r, -2), r, math.nextafter(r, 2))
    )
    rounding = 1e-9 * (investment + sum(flows))
    # The root is pinned to adjacent floats: NPV (falling with the rate) changes sign across r...
    assert below >= -rounding and above <= rounding
    # ...and is ~0 at r, up to rounding or the NPV's change over one float step when the
    # problem is ill-conditioned (an IRR within 1e-7 of -100 %).
    assert abs(at) <= max(rounding, below - above)
    if r > -0.99:
        assert abs(at) <= rounding


@given(
    finite, finite, st.integers(min_value=1, max_value=50), st.floats(min_value=-0.5, max_value=1.0)
)
def test_npv_sign_agrees_with_irr(investment: float, flow: float, years: int, rate: float) -> None:
    r = irr(investment, flow, years)
    value = npv(investment, flow, rate, years)
    assume(abs(rate - r) > 1e-9)
    assert (value > 0) == (rate < r)
