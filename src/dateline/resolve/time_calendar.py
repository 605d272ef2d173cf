"""Calendar arithmetic for the time normaliser: periods, weeks, months, seasons.

A resolved expression is a ``Period``: a first and last day (inclusive) and a
precision. Its ISO value string is derived from its shape, so every rule writes
values the same way: one day -> "YYYY-MM-DD", a whole calendar month -> "YYYY-MM",
a whole year -> "YYYY", a clock time -> "YYYY-MM-DDTHH:MM", anything else ->
"YYYY-MM-DD/YYYY-MM-DD".
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    precision: str  # minute|hour|day|week|month|season|year
    hour: int | None = None
    minute: int | None = None

    @property
    def value(self) -> str:
        s, e = self.start, self.end
        if self.hour is not None and s == e:
            if self.minute is None:
                return f"{s.isoformat()}T{self.hour:02d}"
            return f"{s.isoformat()}T{self.hour:02d}:{self.minute:02d}"
        if s == e:
            return s.isoformat()
        if s.day == 1 and e == month_end(s.year, s.month):
            return f"{s.year:04d}-{s.month:02d}"
        if s == date(s.year, 1, 1) and e == date(s.year, 12, 31):
            return f"{s.year:04d}"
        return f"{s.isoformat()}/{e.isoformat()}"

    def with_time(self, hour: int, minute: int | None) -> Period:
        return Period(self.start, self.end, "minute" if minute is not None else "hour", hour, minute)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def shift_months(day: date, delta: int) -> date:
    """The same day of the month ``delta`` months away, clamped to the month's length."""
    y, m = add_months(day.year, day.month, delta)
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def shift_years(day: date, delta: int) -> date:
    return shift_months(day, 12 * delta)


def shift(day: date, unit: str, n: int) -> date:
    if unit == "day":
        return day + timedelta(days=n)
    if unit == "week":
        return day + timedelta(weeks=n)
    if unit == "month":
        return shift_months(day, n)
    if unit == "year":
        return shift_years(day, n)
    raise ValueError(f"unknown unit {unit!r}")


def day(d: date) -> Period:
    return Period(d, d, "day")


def whole_month(year: int, month: int) -> Period:
    return Period(date(year, month, 1), month_end(year, month), "month")


def whole_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), "year")


def week_of(d: date) -> Period:
    """The ISO week (Monday to Sunday) that contains ``d``."""
    monday = d - timedelta(days=d.isoweekday() - 1)
    return Period(monday, monday + timedelta(days=6), "week")


def week_segment(week: Period, first: int, last: int) -> Period:
    return Period(week.start + timedelta(days=first - 1), week.start + timedelta(days=last - 1), "day")


def month_segment(year: int, month: int, first: int, last: int) -> Period:
    end = month_end(year, month)
    return Period(date(year, month, min(first, end.day)), date(year, month, min(last, end.day)), "day")


def year_segment(year: int, first_month: int, last_month: int) -> Period:
    return Period(date(year, first_month, 1), month_end(year, last_month), "month")


def season(year: int, start_month: int, months: int) -> Period:
    """The season that starts in ``start_month`` of ``year`` (winter runs into the next year)."""
    ey, em = add_months(year, start_month, months - 1)
    return Period(date(year, start_month, 1), month_end(ey, em), "season")


def weekday_on_or_after(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.isoweekday()) % 7)


def weekday_on_or_before(d: date, weekday: int) -> date:
    return d - timedelta(days=(d.isoweekday() - weekday) % 7)


def valid_date(year: int, month: int, dom: int) -> date | None:
    try:
        return date(year, month, dom)
    except ValueError:
        return None
