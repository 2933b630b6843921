"""Working days on the Chinese statutory calendar (holidays and adjusted working weekends, 调休)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
import numpy as np

# chinese_calendar knows the State Council's notices from 2004 on; outside that range we fall back to
# Monday-Friday, which only matters for far-future or very old dates.
_FIRST = dt.date(2004, 1, 1)


@lru_cache(maxsize=1)
def _calendar() -> tuple[np.ndarray, dt.date, dt.date]:
    last = max(chinese_calendar.holidays.keys() | chinese_calendar.workdays.keys())
    last = dt.date(last.year, 12, 31)
    days = np.arange(np.datetime64(_FIRST), np.datetime64(last + dt.timedelta(days=1)))
    is_work = np.array([chinese_calendar.is_workday(d.astype(dt.date)) for d in days], dtype=bool)
    # cumulative count of working days up to and including each day
    return np.cumsum(is_work), _FIRST, last


def is_workday(day: dt.date) -> bool:
    cum, first, last = _calendar()
    if first <= day <= last:
        i = (day - first).days
        return bool(cum[i] - (cum[i - 1] if i else 0))
    return day.weekday() < 5


def _ordinal(days: np.ndarray) -> np.ndarray:
    """Working-day ordinal of each date (datetime64[D]): the count of working days up to and including it."""
    cum, first, last = _calendar()
    offset = (days - np.datetime64(first)).astype(np.int64)
    inside = (offset >= 0) & (offset < len(cum))
    result = np.empty(len(days), dtype=np.int64)
    result[inside] = cum[offset[inside]]
    # Outside the calendar: Monday-Friday counting, continuous with the calendar at both ends.
    before = offset < 0
    after = offset >= len(cum)
    one = np.timedelta64(1, "D")
    result[before] = np.busday_count(np.datetime64(first), days[before] + one)
    result[after] = cum[-1] + np.busday_count(np.datetime64(last) + one, days[after] + one)
    return result


def working_days_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Working days after `start` up to and including `end` (0 when published the same day), vectorised.

    `start` and `end` are arrays of datetime64[D]. A decision on day D published within 7 working days means
    working_days_between(D, published) <= 7.
    """
    return _ordinal(np.asarray(end, dtype="datetime64[D]")) - _ordinal(np.asarray(start, dtype="datetime64[D]"))


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date n working days after `day` (n >= 0)."""
    current = day
    while n > 0:
        current += dt.timedelta(days=1)
        if is_workday(current):
            n -= 1
    return current


def working_days_late(due: dt.date, done: dt.date) -> int:
    """Working days after the due date (0 when on time)."""
    if done <= due:
        return 0
    return int(working_days_between(np.array([due], "datetime64[D]"), np.array([done], "datetime64[D]"))[0])
