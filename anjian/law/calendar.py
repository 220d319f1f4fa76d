"""The working-day calendar: working days, statutory holidays and make-up working days.

The calendar is China's official holiday schedule, published each year by the State Council
(LEGAL.md §1). It is built from data passed in — a mapping ``date → DayKind`` of the exception
days plus the set of years whose official schedule is loaded — never read from a database here.

* An ordinary Monday–Friday is a working day and an ordinary Saturday/Sunday is not, unless the
  day is listed as an exception: ``HOLIDAY`` (法定节假日, any day of the week) or
  ``MAKEUP_WORKDAY`` (调休上班日, only a Saturday or Sunday).
* A year whose schedule is not loaded is computed with weekends only, and every result that
  consulted such a year is *provisional* (LEGAL.md §1: "must not be guessed silently").
* Dates before 2004-01-01 are refused: no official schedule before that is held. Dates after
  2199-12-31 are refused too: no legal period reaches that far, and it bounds the table.

Speed: the working days are kept as a sorted list of ordinals, so adding N working days is one
``bisect`` and one index (about a microsecond), and counting back is the same. The list is built
up to the year after the last loaded year and extended on demand (weekends only beyond it).
"""

from __future__ import annotations

import hashlib
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from anjian.law.errors import CalendarError, DateOutOfRangeError, PeriodError

EARLIEST: Final = date(2004, 1, 1)
_EARLIEST_ORD: Final = EARLIEST.toordinal()
_LAST_YEAR: Final = 2199  # deadlines never reach further; bounds the table (~55k ordinals)
_LAST_ORD: Final = date(_LAST_YEAR, 12, 31).toordinal()
_EXTEND_YEARS: Final = 10


class DayKind(StrEnum):
    """What a day is, for counting periods."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"

    @property
    def label(self) -> str:
        return _DAY_KIND_LABELS[self]

    @property
    def is_working(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


_DAY_KIND_LABELS: Final = {
    DayKind.WORKDAY: "工作日",
    DayKind.WEEKEND: "休息日",
    DayKind.HOLIDAY: "法定节假日",
    DayKind.MAKEUP_WORKDAY: "调休上班日",
}

EXCEPTION_KINDS: Final = frozenset({DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY})


def check_date(value: date, field: str = "date") -> None:
    """Refuse a date before 2004-01-01 or after 2199-12-31 (the computable range)."""
    if value < EARLIEST:
        raise DateOutOfRangeError(
            f"日期{value.isoformat()}早于2004年1月1日，本系统没有此前的法定节假日安排，无法计算期限",
            field=field,
        )
    if value.year > _LAST_YEAR:
        raise DateOutOfRangeError(f"日期{value.isoformat()}超出可计算范围", field=field)


class WorkCalendar:
    """An immutable working-day calendar built from exception days and loaded years."""

    __slots__ = ("_exceptions", "_horizon", "_loaded", "_lock", "_names", "_wd", "version")

    def __init__(
        self,
        exceptions: Mapping[date, DayKind],
        loaded_years: Iterable[int],
        *,
        names: Mapping[date, str] | None = None,
    ) -> None:
        loaded = frozenset(loaded_years)
        for year in loaded:
            if year < EARLIEST.year or year > _LAST_YEAR:
                raise DateOutOfRangeError(f"年度{year}超出可载入范围（2004年至{_LAST_YEAR}年）", field="loaded_years")
        clean: dict[date, DayKind] = {}
        for day, raw_kind in exceptions.items():
            check_date(day, "exceptions")
            kind = DayKind(raw_kind)
            if kind not in EXCEPTION_KINDS:
                raise CalendarError(f"{day.isoformat()}：例外日只能是法定节假日或调休上班日", field="exceptions")
            if day.year not in loaded:
                raise CalendarError(
                    f"{day.isoformat()}所在的{day.year}年未列入已载入年度，不能登记例外日",
                    field="exceptions",
                )
            if kind is DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
                raise CalendarError(f"{day.isoformat()}是周一至周五，不能登记为调休上班日", field="exceptions")
            clean[day] = kind
        self._exceptions: Mapping[date, DayKind] = MappingProxyType(clean)
        self._names: Mapping[date, str] = MappingProxyType(dict(names or {}))
        self._loaded = loaded
        self._lock = threading.Lock()
        self._wd: list[int] = []
        self._horizon = EARLIEST.year - 1
        self._extend_to(min(max(loaded, default=EARLIEST.year) + 1, _LAST_YEAR))
        digest = hashlib.sha256()
        digest.update(",".join(str(y) for y in sorted(loaded)).encode())
        for day in sorted(clean):
            digest.update(f";{day.isoformat()}={clean[day].value}".encode())
        self.version: str = digest.hexdigest()[:12]

    # -- building the ordinal table -------------------------------------------------------------
    def _extend_to(self, year: int) -> None:
        """Make the working-day table cover every day up to 31 December of ``year``."""
        with self._lock:
            if year <= self._horizon:
                return
            extra: list[int] = []
            day = date(self._horizon + 1, 1, 1)
            stop = date(year, 12, 31).toordinal()
            ordinal = day.toordinal()
            weekday = day.weekday()
            exceptions = self._exceptions
            while ordinal <= stop:
                kind = exceptions.get(date.fromordinal(ordinal)) if exceptions else None
                if kind is None:
                    working = weekday < 5
                else:
                    working = kind is DayKind.MAKEUP_WORKDAY
                if working:
                    extra.append(ordinal)
                ordinal += 1
                weekday = (weekday + 1) % 7
            # Replace, never mutate in place: readers in other threads keep a consistent list.
            self._wd = self._wd + extra
            self._horizon = year

    def _table_for(self, ordinal: int) -> list[int]:
        """The table, extended (by whole years) to cover ``ordinal``, at most to 2199."""
        year = date.fromordinal(min(ordinal, _LAST_ORD)).year
        if year > self._horizon:
            self._extend_to(min(year + _EXTEND_YEARS, _LAST_YEAR))
        return self._wd

    # -- queries ------------------------------------------------------------------------------------
    @property
    def loaded_years(self) -> frozenset[int]:
        return self._loaded

    @property
    def exceptions(self) -> Mapping[date, DayKind]:
        """The exception days (read-only), e.g. to seed or export a calendar table."""
        return self._exceptions

    def is_loaded(self, year: int) -> bool:
        """True when the official schedule of ``year`` is loaded."""
        return year in self._loaded

    def kind(self, day: date) -> DayKind:
        """The kind of ``day`` (an unloaded year knows weekends only)."""
        check_date(day)
        listed = self._exceptions.get(day)
        if listed is not None:
            return listed
        return DayKind.WORKDAY if day.weekday() < 5 else DayKind.WEEKEND

    def is_working_day(self, day: date) -> bool:
        return self.kind(day).is_working

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday or make-up day (e.g. ``春节``), when the data carries one."""
        return self._names.get(day)

    def provisional_between(self, first: date, last: date) -> bool:
        """True when any year from ``first`` to ``last`` (inclusive) is not loaded."""
        low, high = first.year, last.year
        if high < low:
            low, high = high, low
        loaded = self._loaded
        if low == high:  # the common case, kept cheap
            return low not in loaded
        return any(year not in loaded for year in range(low, high + 1))

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted; n ≥ 1)."""
        check_date(start, "start")
        if n < 1:
            raise PeriodError("工作日数必须为正整数", field="n")
        ordinal = start.toordinal()
        table = self._wd
        index = bisect_right(table, ordinal) + n - 1
        if index >= len(table):
            table = self._table_for(ordinal + 2 * n + 400)
            index = bisect_right(table, ordinal) + n - 1
            if index >= len(table):
                raise DateOutOfRangeError("期限计算超出可计算范围", field="n")
        return date.fromordinal(table[index])

    def working_day_before(self, end: date, n: int) -> date:
        """The n-th working day before ``end`` (``end`` itself is not counted; n ≥ 1)."""
        check_date(end, "end")
        if n < 1:
            raise PeriodError("工作日数必须为正整数", field="n")
        ordinal = end.toordinal()
        table = self._table_for(ordinal)
        index = bisect_left(table, ordinal) - n
        if index < 0:
            raise DateOutOfRangeError(f"自{end.isoformat()}向前推算{n}个工作日早于2004年1月1日", field="end")
        return date.fromordinal(table[index])

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, otherwise the first working day after it."""
        check_date(day)
        ordinal = day.toordinal()
        table = self._table_for(ordinal + 400)
        index = bisect_left(table, ordinal)
        if index >= len(table):
            raise DateOutOfRangeError("期限计算超出可计算范围", field="date")
        return date.fromordinal(table[index])

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days in ``(start, end]`` (0 when ``end <= start``)."""
        check_date(start, "start")
        check_date(end, "end")
        if end <= start:
            return 0
        table = self._table_for(end.toordinal())
        return bisect_right(table, end.toordinal()) - bisect_right(table, start.toordinal())

    def working_days_in_year(self, year: int) -> int:
        """Statutory working days of ``year`` (plan capacity, 安监总政法〔2017〕150号)."""
        first = date(year, 1, 1)
        check_date(first, "year")
        return self.working_days_between(first - timedelta(days=1), date(year, 12, 31))


# English names used by the chinese_calendar package → the Chinese names users see.
_HOLIDAY_NAMES: Final = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def official_schedule_from_chinese_calendar(first_year: int = 2004, last_year: int = 2026) -> tuple[dict[date, DayKind], dict[date, str], frozenset[int]]:
    """The exception days, their names and the loaded years, from the ``chinese_calendar`` package.

    ``chinese_calendar`` 1.11 holds the State Council schedules for 2004–2026 (PLATFORM.md). It
    treats every ordinary weekend as a holiday, so only real exceptions are kept: a weekday that
    is not a working day → HOLIDAY; a weekend day that is a working day → MAKEUP_WORKDAY; a weekend
    day inside an official holiday period (it has a holiday name) → HOLIDAY, which changes no
    count but keeps the calendar informative.
    """
    import chinese_calendar  # type: ignore[import-untyped,unused-ignore]  # the only place the package is used: the seeding helper

    if first_year < EARLIEST.year or last_year > 2026 or last_year < first_year:
        raise CalendarError(
            f"chinese_calendar 只含2004年至2026年的安排，不能载入{first_year}–{last_year}年",
            field="years",
        )
    exceptions: dict[date, DayKind] = {}
    names: dict[date, str] = {}
    day = date(first_year, 1, 1)
    stop = date(last_year, 12, 31)
    one = timedelta(days=1)
    while day <= stop:
        weekend = day.weekday() >= 5
        working = chinese_calendar.is_workday(day)
        name: str | None = None
        if weekend and working:
            exceptions[day] = DayKind.MAKEUP_WORKDAY
            name = chinese_calendar.constants.workdays.get(day)
        elif not weekend and not working:
            exceptions[day] = DayKind.HOLIDAY
            name = chinese_calendar.constants.holidays.get(day)
        elif weekend:
            name = chinese_calendar.constants.holidays.get(day)
            if name is not None:
                exceptions[day] = DayKind.HOLIDAY
        if name is not None:
            names[day] = _HOLIDAY_NAMES.get(name, name)
        day += one
    return exceptions, names, frozenset(range(first_year, last_year + 1))


def calendar_from_chinese_calendar(first_year: int = 2004, last_year: int = 2026) -> WorkCalendar:
    """A :class:`WorkCalendar` with the official schedules of ``first_year``..``last_year`` loaded."""
    exceptions, names, years = official_schedule_from_chinese_calendar(first_year, last_year)
    return WorkCalendar(exceptions, years, names=names)
