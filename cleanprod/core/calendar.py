"""Calendar month arithmetic for deadlines and audit cycles.

Rules count periods in calendar months and years ("名单公布后一个月内", "每两年开展一轮审核").
``timedelta(days=30)`` is wrong for those, so a month is added by moving the month number and
keeping the day, clamped to the last day of the target month: 31 January + 1 month is
28 February (29 in a leap year), and 29 February + 1 year is 28 February.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date

from cleanprod.core.errors import CoreError

__all__ = ["CalendarError", "add_months", "add_years", "days_in_month"]


class CalendarError(CoreError, ValueError):
    """A date computation would leave the range ``date`` can represent (years 1-9999)."""


def days_in_month(year: int, month: int) -> int:
    """Return the number of days of ``month`` (1-12) in ``year``."""
    if not 1 <= month <= 12:
        raise CalendarError(f"月份应在1至12之间：{month}")
    return _stdlib_calendar.monthrange(year, month)[1]


def add_months(start: date, months: int) -> date:
    """Return ``start`` moved by ``months`` calendar months (negative moves back).

    The day of month is kept when the target month has it, otherwise clamped to the target
    month's last day: ``add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)``.
    Raises :class:`CalendarError` if the result is outside years 1-9999.
    """
    # Count months from year 0 so that negative offsets need no special case.
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise CalendarError(f"{start.isoformat()} 加 {months} 个月超出可表示的日期范围")
    month = month0 + 1
    return date(year, month, min(start.day, days_in_month(year, month)))


def add_years(start: date, years: int) -> date:
    """Return ``start`` moved by ``years`` calendar years; 29 February falls back to 28 February.

    Raises :class:`CalendarError` if the result is outside years 1-9999.
    """
    return add_months(start, 12 * years)
