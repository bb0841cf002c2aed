"""The legal calendar: statutory holidays, 调休 working days and 民法典 第二百零三条."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanprod.core import audit_rules
from cleanprod.core.calendar import CalendarError
from cleanprod.core.legal_calendar import (
    calendar_version,
    explain,
    is_working_day,
    legal_due,
    official_through,
)


def test_national_day_2025_moves_the_deadline_to_the_ninth() -> None:
    # 国务院办公厅关于2025年部分节假日安排的通知: 10月1日至8日放假调休，共8天。
    for day in range(1, 9):
        assert not is_working_day(date(2025, 10, day)), day
    found = explain(date(2025, 10, 1))
    assert found.legal == date(2025, 10, 9) and found.moved and not found.provisional
    assert found.rest_days[0] == (date(2025, 10, 1), "国庆节")
    assert "第二百零三条" in found.note and "2025-10-09" in found.note


def test_disclosure_of_a_roster_published_on_2025_09_01() -> None:
    rules = audit_rules.load_national_rules()
    disclose = audit_rules.deadline(rules, "deadline.disclose", date(2025, 9, 1))
    assert disclose.nominal_due == date(2025, 10, 1)
    assert disclose.due == date(2025, 10, 9)


@pytest.mark.parametrize(
    "workday",
    # The same notice: 9月28日（周日）、10月11日（周六）上班; 1月26日（周日）、2月8日（周六）上班;
    # 4月27日（周日）上班. 2026 notice: 1月4日（周日）、2月14日（周六）、2月28日（周六）、
    # 5月9日（周六）、9月20日（周日）、10月10日（周六）上班.
    [
        date(2025, 1, 26),
        date(2025, 2, 8),
        date(2025, 4, 27),
        date(2025, 9, 28),
        date(2025, 10, 11),
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ],
)
def test_a_make_up_working_weekend_day_stays(workday: date) -> None:
    assert workday.weekday() >= 5  # a Saturday or Sunday ...
    assert is_working_day(workday)  # ... worked in exchange for a holiday
    assert legal_due(workday) == workday
    assert not explain(workday).moved


@pytest.mark.parametrize(
    ("nominal", "legal"),
    [
        (date(2026, 3, 14), date(2026, 3, 16)),  # an ordinary Saturday moves to Monday
        (date(2026, 3, 15), date(2026, 3, 16)),  # and a Sunday
        (date(2026, 3, 16), date(2026, 3, 16)),  # a working Monday stays
        (date(2025, 1, 31), date(2025, 2, 5)),  # Spring Festival 2025: 1月28日至2月4日
        (date(2026, 2, 15), date(2026, 2, 24)),  # Spring Festival 2026: 2月15日至23日
        (date(2025, 12, 31), date(2025, 12, 31)),
        (date(2025, 12, 28), date(2025, 12, 29)),
    ],
)
def test_rest_days_move_the_deadline(nominal: date, legal: date) -> None:
    assert legal_due(nominal) == legal


def test_the_2026_new_year_make_up_sunday_is_the_legal_day() -> None:
    # 2026-01-01..03 rest, 01-04 (Sunday) is worked: a period ending on 01-01 ends on 01-04.
    assert legal_due(date(2026, 1, 1)) == date(2026, 1, 4)


def test_years_without_an_official_schedule_are_provisional() -> None:
    assert official_through() >= 2026
    later = date(official_through() + 1, 10, 1)
    assert explain(later).provisional
    assert not explain(date(2025, 10, 1)).provisional


def test_the_data_version_names_the_package_and_the_schedule_year() -> None:
    version = calendar_version()
    assert version.startswith("holidays ") and f"{official_through()}年" in version


def test_outside_the_data_range_is_an_error() -> None:
    with pytest.raises(CalendarError):
        legal_due(date(1900, 1, 1))


_DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(_DAYS)
def test_legal_due_is_a_working_day_on_or_after_the_nominal_day(nominal: date) -> None:
    legal = legal_due(nominal)
    assert legal >= nominal
    assert is_working_day(legal)
    # Every day skipped is a rest day: the rule moves to the *first* working day.
    day = nominal
    while day < legal:
        assert not is_working_day(day)
        day += timedelta(days=1)


@given(_DAYS)
def test_legal_due_is_idempotent(nominal: date) -> None:
    legal = legal_due(nominal)
    assert legal_due(legal) == legal
