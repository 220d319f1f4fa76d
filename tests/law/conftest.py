"""Shared fixtures of the legal-engine tests: no Django, no database.

``official`` is the real 2004–2026 calendar; ``oracle_working`` answers "is this a working day?"
independently of the engine, straight from the chinese_calendar package (weekends only for years
it does not hold), so engine results are checked against a second implementation, not against
themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import chinese_calendar
import pytest

from anjian.law.calendar import WorkCalendar, calendar_from_chinese_calendar

_OFFICIAL = calendar_from_chinese_calendar()


def oracle_working(day: dt.date, loaded: frozenset[int] = frozenset(range(2004, 2027))) -> bool:
    if day.year in loaded:
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def oracle_add_working_days(start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += dt.timedelta(days=1)
        if oracle_working(day):
            n -= 1
    return day


@pytest.fixture(scope="session")
def official() -> WorkCalendar:
    """Official schedules 2004–2026 loaded; 2027 and later are not."""
    return _OFFICIAL


@pytest.fixture(scope="session")
def oracle() -> Callable[[dt.date], bool]:
    return oracle_working


def official_calendar() -> WorkCalendar:
    """For hypothesis tests, which cannot take function-scoped fixtures."""
    return _OFFICIAL
