"""Progress: decomposition, projection, status and penetration rate, with hand-computed values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanprod.core.plans import Comparison, Direction, Plans, Target, Technology, load_plans
from cleanprod.core.progress import (
    ProgressError,
    Shortfall,
    Status,
    check_decomposition,
    decompose,
    penetration_rate,
    project,
    satisfies,
    status,
    target_status,
)


@pytest.fixture(scope="module")
def plans() -> Plans:
    return load_plans()


def _target(plans: Plans, entry_id: str) -> Target:
    entry = plans.get(entry_id)
    assert isinstance(entry, Target)
    return entry


# ------------------------------------------------------------------------------------------
# comparison
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "comparison", "target", "tolerance", "expected"),
    [
        (50, Comparison.GT, 50, 0, False),
        (50.1, Comparison.GT, 50, 0, True),
        (50, Comparison.GE, 50, 0, True),
        (49.9, Comparison.GE, 50, 0, False),
        (49.9, Comparison.GE, 50, 0.1, True),
        (-8, Comparison.LE, -8, 0, True),
        (-7.9, Comparison.LE, -8, 0, False),
        (-8, Comparison.LT, -8, 0, False),
        (3900, Comparison.EQ, 4000, 0, False),
        (3900, Comparison.EQ, 4000, 100, True),
        (4101, Comparison.EQ, 4000, 100, False),
    ],
)
def test_satisfies(
    value: float, comparison: Comparison, target: float, tolerance: float, expected: bool
) -> None:
    assert satisfies(value, comparison, target, tolerance=tolerance) is expected


def test_negative_tolerance_is_refused() -> None:
    with pytest.raises(ProgressError):
        satisfies(1, Comparison.GE, 1, tolerance=-1)


# ------------------------------------------------------------------------------------------
# decomposition
# ------------------------------------------------------------------------------------------


def test_parts_summing_to_the_whole_are_balanced() -> None:
    check = check_decomposition(65, {"北京": 20, "河北": 25.5, "山西": 19.5})
    assert check.balanced
    assert (check.total, check.gap) == (Decimal(65), Decimal(0))
    assert check.shortfalls == () and check.unreported == ()


def test_sum_is_exact_not_floating_point() -> None:
    # 0.1 + 0.2 != 0.3 in binary floating point; the check adds decimals.
    assert 0.1 + 0.2 != 0.3
    check = check_decomposition(0.3, {"a": 0.1, "b": 0.2})
    assert check.balanced and check.gap == 0
    # beyond the default 28 significant digits of decimal arithmetic
    big = check_decomposition(10**30 + 1, {"a": 10**30, "b": 1})
    assert big.balanced and big.total == 10**30 + 1


def test_gap_and_explicit_tolerance() -> None:
    parts = {"a": 4, "b": 3, "c": 2}
    check = check_decomposition(10, parts)
    assert (check.total, check.gap, check.balanced) == (Decimal(9), Decimal(1), False)
    assert check_decomposition(10, parts, tolerance=1).balanced
    assert not check_decomposition(10, parts, tolerance=Decimal("0.5")).balanced
    over = check_decomposition(8, parts)
    assert (over.gap, over.balanced) == (Decimal(-1), False)


def test_per_part_shortfalls_are_listed() -> None:
    check = check_decomposition(
        9, {"a": 4, "b": 3, "c": 2}, achieved={"a": 4.5, "b": 2.25, "c": Decimal("1.9")}
    )
    assert check.shortfalls == (
        Shortfall("b", Decimal(3), Decimal("2.25"), Decimal("0.75")),
        Shortfall("c", Decimal(2), Decimal("1.9"), Decimal("0.1")),
    )
    partial = check_decomposition(9, {"a": 4, "b": 3, "c": 2}, achieved={"a": 3})
    assert [s.key for s in partial.shortfalls] == ["a"]
    assert partial.unreported == ("b", "c")


def test_shortfall_of_a_cap_is_an_excess() -> None:
    check = check_decomposition(
        10, {"a": 5, "b": 5}, achieved={"a": 6, "b": 4}, direction=Direction.DECREASE
    )
    assert check.shortfalls == (Shortfall("a", Decimal(5), Decimal(6), Decimal(1)),)


def test_decomposition_refuses_bad_input() -> None:
    with pytest.raises(ProgressError):
        check_decomposition(10, {})
    with pytest.raises(ProgressError, match="未分解"):
        check_decomposition(10, {"a": 10}, achieved={"b": 1})
    with pytest.raises(ProgressError):
        check_decomposition(10, {"a": float("nan")})
    with pytest.raises(ProgressError):
        check_decomposition(10, {"a": 10}, tolerance=-1)


def test_decompose_a_plan_target(plans: Plans) -> None:
    cod = _target(plans, "12-cod-reduction")  # 65万吨/年, additive
    check = decompose(cod, {"造纸": 30, "制糖": 10, "发酵": 20, "制药": 4})
    assert (check.whole, check.gap, check.balanced) == (Decimal(65), Decimal(1), False)
    steel = _target(plans, "14-steel-ultra-low-emission")  # 5.3亿吨
    assert decompose(steel, {"河北": 2.1, "江苏": 1.1, "其他": 2.1}).balanced
    with pytest.raises(ProgressError, match="不可分解"):
        decompose(_target(plans, "12-leader-training-share"), {"a": 50})


@given(
    st.lists(
        st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
        min_size=1,
        max_size=40,
    ),
    st.decimals(min_value=Decimal("0.01"), max_value=100, places=2),
)
def test_decomposition_properties(parts: list[Decimal], extra: Decimal) -> None:
    assigned = {f"p{i}": v for i, v in enumerate(parts)}
    exact = check_decomposition(sum(parts, Decimal(0)), assigned)
    assert exact.balanced and exact.gap == 0
    short = check_decomposition(sum(parts, Decimal(0)) + extra, assigned)
    assert short.gap == extra and not short.balanced
    assert check_decomposition(sum(parts, Decimal(0)) + extra, assigned, tolerance=extra).balanced


# ------------------------------------------------------------------------------------------
# projection
# ------------------------------------------------------------------------------------------


def test_projection_through_two_points() -> None:
    assert project({2021: 10, 2022: 20}, 2025) == 50.0
    assert project([(2022, 20), (2021, 10)], 2021) == 10.0


def test_projection_is_least_squares() -> None:
    # x̄ = 2017, ȳ = 3, Sxx = 2, Sxy = (−1)(−2) + 0 + (1)(3) = 5: slope 2.5, so 3 + 2.5 × 3.
    assert project({2016: 1, 2017: 2, 2018: 6}, 2020) == 10.5


def test_projection_needs_two_years() -> None:
    with pytest.raises(ProgressError):
        project({2021: 10}, 2025)
    with pytest.raises(ProgressError):
        project([(2021, 10), (2021, 12)], 2025)


# ------------------------------------------------------------------------------------------
# status
# ------------------------------------------------------------------------------------------


def test_status_of_demonstration_enterprises(plans: Plans) -> None:
    demo = _target(plans, "12-demonstration-enterprises")  # ≥ 500 by 2015, 0 in 2010
    assert target_status(demo, {2014: 510}) is Status.MET
    # (2010, 0) → (2013, 300): 100 a year, 500 in 2015 exactly.
    assert target_status(demo, {2013: 300}) is Status.ON_TRACK
    assert target_status(demo, {2013: 290}) is Status.BEHIND  # 483⅓ in 2015
    assert target_status(demo, {2013: 400, 2015: 480}) is Status.BEHIND  # year passed


def test_status_of_an_emission_cut(plans: Plans) -> None:
    cod = _target(plans, "14-cod-total-change")  # ≤ −8% in 2025, 0 in 2020
    assert target_status(cod, {2022: -3.5}) is Status.ON_TRACK  # −8.75 in 2025
    assert target_status(cod, {2022: -3}) is Status.BEHIND  # −7.5 in 2025
    assert target_status(cod, {2022: -3, 2024: -8.2}) is Status.MET


def test_strict_comparison_at_the_boundary(plans: Plans) -> None:
    training = _target(plans, "12-leader-training-share")  # > 50% in 2015, 23.4% in 2010
    # (34.04 − 23.4) / 2 × 5 + 23.4 = 50 exactly: not more than 50.
    assert target_status(training, {2012: 34.04}) is Status.BEHIND
    assert target_status(training, {2012: 34.2}) is Status.ON_TRACK  # 50.4
    assert status({2012: 34.04}, target=50, target_year=2015, comparison=Comparison.GE,
                  baseline=(2010, 23.4)) is Status.ON_TRACK  # fmt: skip


def test_status_without_a_comparable_baseline(plans: Plans) -> None:
    cod = _target(plans, "12-cod-reduction")  # baseline is a 2003–2010 cumulative amount
    assert target_status(cod, {2012: 30}) is Status.BEHIND  # one point: no line
    assert target_status(cod, {2012: 30, 2013: 45}) is Status.ON_TRACK  # 75 in 2015


def test_status_with_tolerance_for_an_approximate_target(plans: Plans) -> None:
    kilns = _target(plans, "14-nonferrous-kiln-retrofit")  # 4000台左右
    assert target_status(kilns, {2025: 3900}) is Status.BEHIND
    assert target_status(kilns, {2025: 3900}, tolerance=200) is Status.MET


def test_status_refuses_what_cannot_be_measured(plans: Plans) -> None:
    with pytest.raises(ProgressError, match="定性"):
        target_status(_target(plans, "14-industrial-energy-efficiency"), {2022: 1})
    with pytest.raises(ProgressError):
        status({}, target=1, target_year=2025, comparison=Comparison.GE)


# ------------------------------------------------------------------------------------------
# penetration rate
# ------------------------------------------------------------------------------------------


def test_penetration_rate() -> None:
    assert penetration_rate(50, 100) == 50.0
    assert penetration_rate(Decimal("1.2"), Decimal("4.8")) == 25.0
    assert penetration_rate(1, 3) == pytest.approx(33.333333333333336)
    assert penetration_rate(0, 0) is None
    assert penetration_rate(0, 10) == 0.0
    assert penetration_rate(10, 10) == 100.0


def test_penetration_rate_refuses_impossible_capacities() -> None:
    with pytest.raises(ProgressError):
        penetration_rate(11, 10)
    with pytest.raises(ProgressError):
        penetration_rate(-1, 10)
    with pytest.raises(ProgressError):
        penetration_rate(True, 10)


def test_penetration_rate_against_a_plan_technology(plans: Plans) -> None:
    fgd = plans.get("12-tech-steel-sinter-fgd")
    assert isinstance(fgd, Technology) and fgd.penetration is not None  # ≥ 50% by 2015
    target = fgd.penetration
    # 亿吨 of sinter capacity with flue-gas desulphurisation / total sinter capacity
    assert satisfies(penetration_rate(3.1, 6.0) or 0, target.comparison, target.value)
    assert not satisfies(penetration_rate(2.9, 6.0) or 0, target.comparison, target.value)
