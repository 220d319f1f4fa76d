from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from anjian.law.calendar import (
    DayKind,
    WorkCalendar,
    calendar_from_chinese_calendar,
    official_schedule_from_chinese_calendar,
)
from anjian.law.errors import CalendarError, DateOutOfRangeError, LawError, PeriodError
from tests.law.conftest import oracle_working

D = dt.date
H, M = DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        (D(2026, 1, 1), H, "元旦"),
        (D(2026, 1, 4), M, "元旦"),  # Sunday make-up day
        (D(2026, 2, 13), DayKind.WORKDAY, None),
        (D(2026, 2, 14), M, "春节"),  # Saturday make-up day
        (D(2026, 2, 15), H, "春节"),  # Sunday inside the holiday: kept as HOLIDAY, informative
        (D(2026, 2, 16), H, "春节"),
        (D(2026, 2, 23), H, "春节"),
        (D(2026, 2, 24), DayKind.WORKDAY, None),
        (D(2026, 2, 28), M, "春节"),
        (D(2026, 3, 7), DayKind.WEEKEND, None),
        (D(2026, 5, 1), H, "劳动节"),
        (D(2026, 5, 5), H, "劳动节"),
        (D(2026, 5, 9), M, "劳动节"),
        (D(2026, 9, 20), M, "国庆节"),
        (D(2026, 9, 25), H, "中秋节"),
        (D(2026, 10, 1), H, "国庆节"),
        (D(2026, 10, 7), H, "国庆节"),
        (D(2026, 10, 8), DayKind.WORKDAY, None),
        (D(2026, 10, 10), M, "国庆节"),
        (D(2015, 9, 3), H, "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
    ],
)
def test_it_knows_the_2026_schedule(official: WorkCalendar, day: D, kind: DayKind, name: str | None) -> None:
    assert official.kind(day) is kind
    assert official.is_working_day(day) is kind.is_working
    assert official.holiday_name(day) == name


def test_it_agrees_with_chinese_calendar_on_every_day_2004_to_2026(official: WorkCalendar) -> None:
    day = D(2004, 1, 1)
    while day <= D(2026, 12, 31):
        assert official.is_working_day(day) is bool(chinese_calendar.is_workday(day)), day
        day += dt.timedelta(days=1)


def test_it_stores_only_real_exceptions(official: WorkCalendar) -> None:
    for day, kind in official.exceptions.items():
        if kind is M:
            assert day.weekday() >= 5
        else:
            assert day.weekday() < 5 or chinese_calendar.get_holiday_detail(day)[1] is not None
    assert D(2026, 3, 7) not in official.exceptions  # an ordinary Saturday is not an exception


def test_an_unloaded_year_knows_weekends_only(official: WorkCalendar) -> None:
    assert not official.is_loaded(2027)
    assert official.is_loaded(2026)
    assert official.loaded_years == frozenset(range(2004, 2027))
    assert official.kind(D(2027, 1, 1)) is DayKind.WORKDAY  # New Year, but not loaded
    assert official.kind(D(2027, 1, 2)) is DayKind.WEEKEND


@pytest.mark.parametrize("method", ["kind", "is_working_day", "next_working_day"])
def test_dates_before_2004_are_refused(official: WorkCalendar, method: str) -> None:
    with pytest.raises(DateOutOfRangeError) as info:
        getattr(official, method)(D(2003, 12, 31))
    assert "2004" in info.value.message
    assert info.value.code == "date_out_of_range"
    assert isinstance(info.value, LawError)


def test_adding_working_days_before_2004_is_refused(official: WorkCalendar) -> None:
    with pytest.raises(DateOutOfRangeError) as info:
        official.add_working_days(D(2003, 12, 31), 1)
    assert info.value.field == "start"
    with pytest.raises(DateOutOfRangeError) as info:
        official.working_day_before(D(2004, 1, 5), 3)  # 1/2 is the only working day before
    assert info.value.field == "end"
    assert official.working_day_before(D(2004, 1, 5), 1) == D(2004, 1, 2)


@pytest.mark.parametrize("n", [0, -3])
def test_working_day_counts_must_be_positive(official: WorkCalendar, n: int) -> None:
    with pytest.raises(PeriodError):
        official.add_working_days(D(2026, 1, 5), n)
    with pytest.raises(PeriodError):
        official.working_day_before(D(2026, 1, 5), n)


def test_it_extends_its_table_far_into_unloaded_years() -> None:
    cal = WorkCalendar({}, [2026])
    assert cal.add_working_days(D(2100, 1, 1), 1) == D(2100, 1, 4)  # Fri → Mon
    assert cal.next_working_day(D(2150, 6, 6)) == D(2150, 6, 8)
    assert cal.working_day_before(D(2199, 1, 1), 1) == D(2198, 12, 31)  # a Monday
    # 12/31 (1) + 261 weekdays of 2027 + 21 in January 2028 + 17 in February → 2028-02-23
    assert cal.add_working_days(D(2026, 12, 30), 300) == D(2028, 2, 23)


def test_it_stops_at_the_end_of_the_computable_range() -> None:
    cal = WorkCalendar({}, [2026])
    assert cal.next_working_day(D(2199, 12, 31)) == D(2199, 12, 31)  # a Monday
    with pytest.raises(DateOutOfRangeError):
        cal.add_working_days(D(2199, 12, 24), 10)
    with pytest.raises(DateOutOfRangeError):
        cal.add_working_days(D(2199, 12, 31), 1)
    with pytest.raises(DateOutOfRangeError):
        cal.next_working_day(D(2200, 1, 1))
    with pytest.raises(DateOutOfRangeError):
        WorkCalendar({}, [2200])


def test_next_working_day_past_the_end_is_refused() -> None:
    cal = WorkCalendar({D(2199, 12, 31): H}, [2199])
    with pytest.raises(DateOutOfRangeError):
        cal.next_working_day(D(2199, 12, 31))


def test_counting_working_days(official: WorkCalendar) -> None:
    expected = sum(
        1 for i in range(365) if oracle_working(D(2026, 1, 1) + dt.timedelta(days=i))
    )
    assert official.working_days_in_year(2026) == expected
    assert official.working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert official.working_days_between(D(2026, 2, 27), D(2026, 2, 13)) == 0
    unloaded = sum(1 for i in range(365) if (D(2027, 1, 1) + dt.timedelta(days=i)).weekday() < 5)
    assert official.working_days_in_year(2027) == unloaded


@pytest.mark.parametrize(
    ("exceptions", "years", "field", "error"),
    [
        ({D(2026, 2, 16): DayKind.WORKDAY}, [2026], "exceptions", CalendarError),
        ({D(2027, 2, 16): H}, [2026], "exceptions", CalendarError),
        ({D(2026, 2, 16): M}, [2026], "exceptions", CalendarError),  # a Monday
        ({D(2003, 10, 1): H}, [2003], "loaded_years", DateOutOfRangeError),
        ({D(2003, 10, 1): H}, [2026], "exceptions", DateOutOfRangeError),
    ],
)
def test_calendar_data_is_validated(
    exceptions: dict[D, DayKind], years: list[int], field: str, error: type[LawError]
) -> None:
    with pytest.raises(error) as info:
        WorkCalendar(exceptions, years)
    assert info.value.field == field


def test_string_kinds_are_accepted_and_the_version_follows_the_data() -> None:
    a = WorkCalendar({D(2026, 10, 1): "holiday"}, [2026])  # type: ignore[dict-item]
    b = WorkCalendar({D(2026, 10, 1): H}, [2026])
    c = WorkCalendar({D(2026, 10, 2): H}, [2026])
    assert a.kind(D(2026, 10, 1)) is H
    assert a.version == b.version != c.version
    assert len(a.version) == 12


def test_day_kind_labels() -> None:
    assert [k.label for k in DayKind] == ["工作日", "休息日", "法定节假日", "调休上班日"]


@pytest.mark.parametrize(("first", "last"), [(2003, 2026), (2026, 2027), (2026, 2025)])
def test_the_chinese_calendar_helper_refuses_years_it_does_not_hold(first: int, last: int) -> None:
    with pytest.raises(CalendarError) as info:
        official_schedule_from_chinese_calendar(first, last)
    assert info.value.field == "years"


def test_a_partial_official_calendar() -> None:
    cal = calendar_from_chinese_calendar(2026, 2026)
    assert cal.loaded_years == frozenset({2026})
    assert cal.kind(D(2025, 10, 1)) is DayKind.WORKDAY  # 2025 not loaded
    assert cal.kind(D(2026, 10, 1)) is H


def test_internal_guards(official: WorkCalendar) -> None:
    before = len(official._wd)
    official._extend_to(2010)  # already covered: nothing to do
    assert len(official._wd) == before
    assert official.provisional_between(D(2027, 3, 1), D(2026, 3, 1))  # order does not matter
    assert not official.provisional_between(D(2026, 3, 1), D(2025, 3, 1))
