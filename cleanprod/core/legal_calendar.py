"""The legal calendar of China: statutory holidays, 调休 working days and 民法典 第二百零三条.

A period counted in months (:mod:`cleanprod.core.calendar`) ends on a *nominal* last day. If that
day is a 法定休假日 (a statutory holiday, or a weekend day that is not an official make-up
working day), 民法典 第二百零三条 moves the last day to the day after the holiday ends, i.e. the
next working day. :func:`legal_due` applies that rule.

Holidays and make-up working days (调休上班日) come from the maintained ``holidays`` package,
which transcribes the yearly 国务院办公厅关于部分节假日安排的通知 (its ``China`` class records
each moved rest day together with the weekend day worked in exchange, ``weekend_workdays``).
The package computes years whose notice it does not have from the statutory rules alone, without
调休: such dates are *provisional* (:attr:`LegalDate.provisional`) until the package is updated.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version as _package_version

from holidays.countries.china import China, ChinaStaticHolidays

from cleanprod.core.calendar import CalendarError

__all__ = [
    "RULE_ID",
    "RULE_SOURCE",
    "RULE_TEXT",
    "LegalDate",
    "calendar_version",
    "explain",
    "is_working_day",
    "legal_due",
    "official_through",
]

RULE_ID = "civil_code.203"
RULE_SOURCE = "《中华人民共和国民法典》第二百零三条"
RULE_TEXT = "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。"

# The longest run of rest days in the official schedules is 9 (Spring Festival 2026); a bound
# well above that turns a corrupted calendar into an error instead of an endless loop.
_MAX_REST_RUN = 31


def official_through() -> int:
    """The last year for which the ``holidays`` package has the State Council's schedule.

    Read from the package's table of moved rest days (one entry per year with 调休); later
    years are computed without 调休 and are therefore provisional.
    """
    table = getattr(ChinaStaticHolidays, "special_public_holidays", None) or {}
    return max((int(y) for y in table), default=China.start_year)


@functools.cache  # the installed package does not change while the process runs
def calendar_version() -> str:
    """The data version to display, e.g. ``holidays 0.109（国务院办公厅放假安排至2026年）``."""
    package = _package_version("holidays")
    return f"holidays {package}（国务院办公厅放假安排至{official_through()}年）"


@functools.cache  # a year's calendar never changes within a process (the package is pinned)
def _china(year: int) -> China:
    if not China.start_year + 1 <= year <= China.end_year - 1:
        raise CalendarError(
            f"法定节假日数据仅覆盖 {China.start_year + 1}–{China.end_year - 1} 年：{year}"
        )
    # Neighbouring years too: a notice may move a rest day across the year end (the working
    # Saturday 2001-12-29 is listed in the 2002 notice).
    return China(years=range(year - 1, year + 2), language="zh_CN")  # type: ignore[no-untyped-call]


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day: a weekday that is no holiday, or a 调休 working weekend."""
    return bool(_china(day.year).is_working_day(day))


def rest_day_name(day: date) -> str:
    """The holiday's name on ``day`` (``国庆节``), ``休息日`` for a plain weekend, or ``""``."""
    if is_working_day(day):
        return ""
    return str(_china(day.year).get(day) or "休息日")


@dataclass(frozen=True)
class LegalDate:
    """A period's nominal last day and its legal last day under 民法典 第二百零三条."""

    nominal: date
    legal: date
    rest_days: tuple[tuple[date, str], ...]  # the skipped days with their names
    provisional: bool  # a year the package has no official schedule for

    @property
    def moved(self) -> bool:
        """Whether the nominal last day fell on a 法定休假日."""
        return self.legal != self.nominal

    @property
    def note(self) -> str:
        """Why the legal date differs, in Chinese, or ``""`` if it does not."""
        if not self.moved:
            return ""
        first = self.rest_days[0][1]
        # A plain weekend, or a weekday made a rest day by 调休 (its name says so).
        kind = first if first.startswith("休息日") else f"法定节假日（{first}）"
        return (
            f"名义期限 {self.nominal.isoformat()} 为{kind}，"
            f"依《民法典》第二百零三条顺延至 {self.legal.isoformat()}"
        )


def explain(nominal: date) -> LegalDate:
    """The legal last day of a period nominally ending on ``nominal``, with the days skipped.

    Raises :class:`CalendarError` outside the years the holiday data covers.
    """
    day = nominal
    skipped: list[tuple[date, str]] = []
    while not is_working_day(day):
        skipped.append((day, rest_day_name(day)))
        if len(skipped) > _MAX_REST_RUN:
            raise CalendarError(f"{nominal.isoformat()} 起连续休息日超过 {_MAX_REST_RUN} 天")
        day += timedelta(days=1)
    limit = official_through()
    return LegalDate(nominal, day, tuple(skipped), max(nominal.year, day.year) > limit)


def legal_due(nominal: date) -> date:
    """The legal last day: ``nominal`` itself, or the first working day after the rest days.

    ``legal_due(date(2025, 10, 1)) == date(2025, 10, 9)`` (National Day 10-01..10-08);
    a 调休 working Saturday such as 2025-10-11 stays.
    """
    return explain(nominal).legal
