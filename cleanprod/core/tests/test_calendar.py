"""Calendar month arithmetic: month ends, leap years, range limits."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanprod.core.calendar import CalendarError, add_months, add_years, days_in_month
from cleanprod.core.errors import CoreError


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 1, 31), 2, date(2025, 3, 31)),  # the day comes back when the month has it
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2025, 11, 30), 2, date(2026, 1, 30)),  # across the year end
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),  # backwards
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2025, 1, 10), -1, date(2024, 12, 10)),
        (date(2025, 5, 20), 0, date(2025, 5, 20)),
        (date(2023, 12, 31), 2, date(2024, 2, 29)),
        (date(1900, 1, 31), 1, date(1900, 2, 28)),  # 1900 is not a leap year
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # 2000 is
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), 2, date(2026, 2, 28)),
        (date(2023, 2, 28), 1, date(2024, 2, 28)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2025, 6, 30), 5, date(2030, 6, 30)),
    ],
)
def test_add_years(start: date, years: int, expected: date) -> None:
    assert add_years(start, years) == expected


def test_days_in_month() -> None:
    assert [days_in_month(2024, m) for m in range(1, 13)] == [
        31,
        29,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    assert days_in_month(2025, 2) == 28
    with pytest.raises(CalendarError):
        days_in_month(2025, 13)


def test_out_of_range_raises_a_core_error() -> None:
    with pytest.raises(CalendarError) as info:
        add_months(date(9999, 12, 1), 1)
    assert isinstance(info.value, CoreError)
    with pytest.raises(CalendarError):
        add_years(date(1, 1, 1), -1)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=-1200, max_value=1200),
)
def test_add_months_stays_in_the_target_month(start: date, months: int) -> None:
    result = add_months(start, months)
    # Never overflows into the next month: the month index moves by exactly `months`.
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    # Keeps the day, or clamps it to the month's last day.
    assert result.day == min(start.day, days_in_month(result.year, result.month))


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=0, max_value=600),
)
def test_add_months_is_monotonic(start: date, months: int) -> None:
    assert add_months(start, months) <= add_months(start, months + 1)
    assert add_months(start, months) >= start
