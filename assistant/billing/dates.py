"""Billing-calendar arithmetic: monthly cycles that start on a day between 1 and 28."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), moved back to the month's end if needed."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_cycle_start(cycle_day: int, today: date) -> date:
    """The first day of the next billing period: the next `cycle_day` after today."""
    candidate = today.replace(day=cycle_day)
    return candidate if candidate > today else add_months(candidate, 1)


def month_end(day: date) -> date:
    """The last day of the day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
