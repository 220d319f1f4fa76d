"""Counting periods around the 2026 holidays (LEGAL.md §1). Expected dates are worked out by hand
in the comments; the property tests compare with an independent day-by-day oracle."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.law.calendar import WorkCalendar
from anjian.law.errors import DateOutOfRangeError, PeriodError, ProvisionalWindowError, ServiceError
from anjian.law.periods import (
    Direction,
    PeriodUnit,
    ServiceMethod,
    add_calendar_days,
    add_hours,
    add_months,
    add_working_days,
    add_years,
    calendar_days_before,
    ensure_window_final,
    party_protecting_window_blocked,
    period,
    service_date,
    shift_months,
    working_days_before,
)
from tests.law.conftest import official_calendar, oracle_add_working_days, oracle_working

D = dt.date
CST = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
B = "测试依据"


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 2, 13), 5, D(2026, 2, 27)),  # 2/14 make-up = 1; 2/24..2/27 = 2..5
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # the make-up Saturday counts
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # 2/15–2/23 Spring Festival
        (D(2026, 2, 12), 2, D(2026, 2, 14)),
        (D(2026, 2, 27), 1, D(2026, 2, 28)),  # make-up Saturday
        (D(2026, 2, 27), 2, D(2026, 3, 2)),
        (D(2026, 2, 18), 3, D(2026, 2, 26)),  # trigger inside the holiday: 2/24, 2/25, 2/26
        (D(2026, 4, 30), 1, D(2026, 5, 6)),  # Labour Day 5/1–5/5
        (D(2026, 4, 30), 4, D(2026, 5, 9)),  # 5/6, 5/7, 5/8, 5/9 (make-up)
        (D(2026, 4, 30), 7, D(2026, 5, 13)),  # + 5/11, 5/12, 5/13
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # 9/19 ordinary Saturday, 9/20 make-up Sunday
        (D(2026, 9, 18), 7, D(2026, 9, 29)),  # 9/20..9/24 = 1..5; 9/25 Mid-autumn; 9/28, 9/29
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # National Day 10/1–10/7
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # 10/8, 10/9, 10/10 (make-up)
        (D(2026, 9, 30), 4, D(2026, 10, 12)),
        (D(2026, 10, 3), 1, D(2026, 10, 8)),
        (D(2026, 3, 5), 20, D(2026, 4, 2)),  # ordinary weeks: 3/6..4/2 = 20 weekdays
    ],
)
def test_working_days_after(official: WorkCalendar, start: D, n: int, expected: D) -> None:
    result = add_working_days(official, start, n, basis=B)
    assert result.date == expected
    assert result.unrolled == expected and not result.rolled_forward
    assert not result.provisional
    assert (result.start, result.amount, result.unit, result.direction) == (
        start, n, PeriodUnit.WORKING_DAYS, Direction.AFTER,
    )  # fmt: skip
    assert result.basis == B


@pytest.mark.parametrize(
    ("end", "n", "expected"),
    [
        (D(2026, 2, 26), 7, D(2026, 2, 10)),  # 2/25, 2/24, 2/14, 2/13, 2/12, 2/11, 2/10
        (D(2026, 3, 2), 1, D(2026, 2, 28)),  # make-up Saturday
        (D(2026, 3, 2), 2, D(2026, 2, 27)),
        (D(2026, 10, 8), 1, D(2026, 9, 30)),
        (D(2026, 10, 12), 2, D(2026, 10, 9)),  # 10/10 (make-up), 10/9
        (D(2026, 5, 11), 2, D(2026, 5, 8)),  # 5/9 (make-up), 5/8
        (D(2026, 9, 22), 2, D(2026, 9, 20)),  # 9/21, 9/20 (make-up Sunday)
        (D(2026, 3, 16), 7, D(2026, 3, 5)),
    ],
)
def test_working_days_before(official: WorkCalendar, end: D, n: int, expected: D) -> None:
    result = working_days_before(official, end, n, basis=B)
    assert result.date == expected
    assert result.direction is Direction.BEFORE
    assert not result.provisional


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 3, 6), 15, D(2026, 3, 23)),  # 3/21 ordinary Saturday → Monday
        (D(2026, 2, 13), 15, D(2026, 2, 28)),  # 2/28 make-up Saturday: stays
        (D(2026, 9, 22), 15, D(2026, 10, 8)),  # 10/7 National Day → 10/8
        (D(2026, 1, 31), 15, D(2026, 2, 24)),  # 2/15 Spring Festival → first working day 2/24
        (D(2026, 4, 20), 15, D(2026, 5, 6)),  # 5/5 Labour Day → 5/6
        (D(2026, 4, 24), 15, D(2026, 5, 9)),  # 5/9 make-up Saturday: stays
        (D(2026, 9, 5), 15, D(2026, 9, 20)),  # 9/20 make-up Sunday: stays
        (D(2026, 9, 25), 15, D(2026, 10, 10)),  # 10/10 make-up Saturday: stays
        (D(2026, 9, 26), 15, D(2026, 10, 12)),  # 10/11 ordinary Sunday → Monday
        (D(2026, 3, 2), 15, D(2026, 3, 17)),  # ordinary Tuesday
        (D(2026, 1, 5), 90, D(2026, 4, 7)),  # 4/5 Qingming (4/4–4/6) → 4/7
        (D(2026, 3, 23), 60, D(2026, 5, 22)),
    ],
)
def test_calendar_days_with_roll_forward(official: WorkCalendar, start: D, n: int, expected: D) -> None:
    result = add_calendar_days(official, start, n, basis=B)
    assert result.date == expected
    assert result.unrolled == start + dt.timedelta(days=n)
    assert result.rolled_forward is (expected != result.unrolled)
    assert not result.provisional


def test_calendar_days_without_roll_forward(official: WorkCalendar) -> None:
    result = add_calendar_days(official, D(2026, 3, 6), 15, basis=B, roll_forward=False)
    assert result.date == D(2026, 3, 21)
    assert not result.provisional
    far = add_calendar_days(official, D(2026, 12, 20), 15, basis=B, roll_forward=False)
    assert far.date == D(2027, 1, 4) and not far.provisional  # no day status consulted


def test_calendar_days_before(official: WorkCalendar) -> None:
    result = calendar_days_before(official, D(2026, 3, 20), 10, basis=B)
    assert result.date == D(2026, 3, 10)
    assert result.direction is Direction.BEFORE
    holiday = calendar_days_before(official, D(2026, 10, 11), 10, basis=B)
    assert holiday.date == D(2026, 10, 1)  # a holiday: no roll in either direction
    with pytest.raises(DateOutOfRangeError):
        calendar_days_before(official, D(2004, 1, 5), 10, basis=B)


@pytest.mark.parametrize(
    ("start", "months", "expected", "unrolled"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28), D(2026, 2, 28)),  # no 2/31 → 2/28, a make-up day
        (D(2026, 3, 31), 1, D(2026, 4, 30), D(2026, 4, 30)),
        (D(2026, 4, 5), 6, D(2026, 10, 8), D(2026, 10, 5)),  # lawsuit window into National Day
        (D(2025, 12, 31), 2, D(2026, 2, 28), D(2026, 2, 28)),
        (D(2026, 6, 20), 3, D(2026, 9, 20), D(2026, 9, 20)),  # make-up Sunday: stays
        (D(2026, 6, 21), 3, D(2026, 9, 21), D(2026, 9, 21)),
        (D(2026, 7, 19), 2, D(2026, 9, 20), D(2026, 9, 19)),  # ordinary Saturday → make-up Sunday
        (D(2026, 9, 23), 3, D(2026, 12, 23), D(2026, 12, 23)),
        (D(2026, 5, 31), 4, D(2026, 9, 30), D(2026, 9, 30)),
        (D(2026, 2, 1), 3, D(2026, 5, 6), D(2026, 5, 1)),
    ],
)
def test_months(official: WorkCalendar, start: D, months: int, expected: D, unrolled: D) -> None:
    result = add_months(official, start, months, basis=B)
    assert (result.date, result.unrolled) == (expected, unrolled)
    assert result.unit is PeriodUnit.MONTHS and result.amount == months


def test_months_and_years_without_roll_forward(official: WorkCalendar) -> None:
    assert add_months(official, D(2026, 4, 5), 6, basis=B, roll_forward=False).date == D(2026, 10, 5)
    result = add_years(official, D(2024, 10, 1), 2, basis=B, roll_forward=False)
    assert result.date == D(2026, 10, 1)
    assert result.unit is PeriodUnit.YEARS and result.amount == 2


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2024, 2, 29), 1, D(2025, 2, 28)),  # Friday
        (D(2024, 2, 29), 2, D(2026, 2, 28)),  # make-up Saturday
        (D(2024, 10, 1), 2, D(2026, 10, 8)),
        (D(2021, 5, 9), 5, D(2026, 5, 9)),  # make-up Saturday
    ],
)
def test_years(official: WorkCalendar, start: D, years: int, expected: D) -> None:
    assert add_years(official, start, years, basis=B).date == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 11, 30), 1, D(2026, 12, 30)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -13, D(2024, 12, 15)),
        (D(2026, 10, 31), 1, D(2026, 11, 30)),
    ],
)
def test_shift_months(day: D, months: int, expected: D) -> None:
    assert shift_months(day, months) == expected


@pytest.mark.parametrize("n", [0, -1, True, 1.5])
def test_period_lengths_must_be_positive_integers(official: WorkCalendar, n: object) -> None:
    with pytest.raises(PeriodError) as info:
        add_working_days(official, D(2026, 3, 2), n, basis=B)  # type: ignore[arg-type]
    assert info.value.field == "amount"


def test_hours() -> None:
    start = dt.datetime(2026, 9, 30, 20, 30, tzinfo=CST)
    after = add_hours(start, 24, basis=B)
    assert after.at == dt.datetime(2026, 10, 1, 20, 30, tzinfo=CST)  # holidays do not matter
    assert after.date == D(2026, 10, 1) and not after.provisional
    before = add_hours(start, 24, basis=B, direction=Direction.BEFORE)
    assert before.at == dt.datetime(2026, 9, 29, 20, 30, tzinfo=CST)
    assert before.unit is PeriodUnit.HOURS


@pytest.mark.parametrize(
    "start", [dt.datetime(2026, 9, 30, 20, 30), D(2026, 9, 30)]  # naive datetime, plain date
)
def test_hours_need_an_aware_datetime(start: dt.datetime) -> None:
    with pytest.raises(PeriodError) as info:
        add_hours(start, 24, basis=B)
    assert info.value.field == "trigger"


def test_period_dispatch(official: WorkCalendar) -> None:
    s = D(2026, 2, 13)
    assert period(official, s, 5, PeriodUnit.WORKING_DAYS, Direction.AFTER, basis=B).date == D(2026, 2, 27)
    assert period(official, s, 15, PeriodUnit.CALENDAR_DAYS, Direction.AFTER, basis=B).date == D(2026, 2, 28)
    assert period(official, s, 1, PeriodUnit.MONTHS, Direction.AFTER, basis=B).date == D(2026, 3, 13)
    assert period(official, s, 1, PeriodUnit.YEARS, Direction.AFTER, basis=B).date == D(2027, 2, 15)
    assert period(official, D(2026, 2, 26), 7, PeriodUnit.WORKING_DAYS, Direction.BEFORE, basis=B).date == D(2026, 2, 10)
    assert period(official, s, 10, PeriodUnit.CALENDAR_DAYS, Direction.BEFORE, basis=B).date == D(2026, 2, 3)
    for unit, direction in [
        (PeriodUnit.MONTHS, Direction.BEFORE),
        (PeriodUnit.HOURS, Direction.AFTER),
        (PeriodUnit.YEARS, Direction.BEFORE),
    ]:
        with pytest.raises(PeriodError):
            period(official, s, 1, unit, direction, basis=B)


@pytest.mark.parametrize(
    ("method", "event", "kwargs", "expected"),
    [
        (ServiceMethod.DIRECT, D(2026, 3, 6), {}, D(2026, 3, 6)),
        (ServiceMethod.REFUSAL, D(2026, 3, 7), {"witnessed": True}, D(2026, 3, 7)),
        (ServiceMethod.MAIL, D(2026, 10, 3), {}, D(2026, 10, 3)),
        (ServiceMethod.ELECTRONIC, D(2026, 2, 15), {"consent": True}, D(2026, 2, 15)),
        (ServiceMethod.ANNOUNCEMENT, D(2026, 9, 10), {}, D(2026, 10, 10)),
        ("announcement", D(2026, 1, 31), {}, D(2026, 3, 2)),
    ],
)
def test_service_date(method: ServiceMethod | str, event: D, kwargs: dict[str, bool], expected: D) -> None:
    result = service_date(method, event, **kwargs)
    assert result.date == expected
    assert result.event_date == event
    assert "行政处罚法第六十一条" in result.basis
    assert not result.provisional
    assert result.method.label.endswith("送达")


@pytest.mark.parametrize(
    ("method", "field"),
    [(ServiceMethod.ELECTRONIC, "consent"), (ServiceMethod.REFUSAL, "witnessed"), ("fax", "method")],
)
def test_service_needs_its_conditions(method: ServiceMethod | str, field: str) -> None:
    with pytest.raises(ServiceError) as info:
        service_date(method, D(2026, 3, 6))
    assert info.value.field == field


def test_service_dates_are_in_range() -> None:
    with pytest.raises(DateOutOfRangeError):
        service_date(ServiceMethod.DIRECT, D(2003, 1, 1))
    with pytest.raises(DateOutOfRangeError):
        service_date(ServiceMethod.ANNOUNCEMENT, D(2199, 12, 20))


# -- provisional results -------------------------------------------------------------------------


def test_provisional_when_the_computation_reaches_an_unloaded_year(official: WorkCalendar) -> None:
    assert not add_working_days(official, D(2026, 12, 1), 5, basis=B).provisional
    late = add_working_days(official, D(2026, 12, 24), 5, basis=B)
    assert late.date == D(2026, 12, 31) and not late.provisional  # 12/25, 28, 29, 30, 31
    assert add_working_days(official, D(2026, 12, 24), 6, basis=B).provisional
    assert not add_calendar_days(official, D(2026, 12, 10), 15, basis=B).provisional
    assert add_calendar_days(official, D(2026, 12, 20), 15, basis=B).provisional
    # raw end 2026-12-26 (Saturday) rolls to Monday 12/28: still inside 2026
    assert not add_calendar_days(official, D(2026, 12, 11), 15, basis=B).provisional
    assert working_days_before(official, D(2027, 1, 5), 3, basis=B).provisional
    assert not working_days_before(official, D(2026, 12, 31), 3, basis=B).provisional
    assert add_months(official, D(2026, 7, 5), 6, basis=B).provisional


def test_a_protecting_window_with_a_provisional_end_blocks_the_step(official: WorkCalendar) -> None:
    result = add_calendar_days(
        official, D(2026, 12, 20), 15, basis="行政处罚法第六十七条第三款", protects_party=True,
        rule_name="缴纳罚款期限",
    )  # fmt: skip
    message = party_protecting_window_blocked(result)
    assert message is not None
    assert "缴纳罚款期限" in message and "行政处罚法第六十七条第三款" in message
    assert "2027-01-04" in message
    with pytest.raises(ProvisionalWindowError) as info:
        ensure_window_final(result)
    assert info.value.article == "行政处罚法第六十七条第三款"
    anonymous = add_calendar_days(official, D(2026, 12, 20), 15, basis=B, protects_party=True)
    assert "该期限" in (party_protecting_window_blocked(anonymous) or "")


def test_other_windows_are_not_blocked(official: WorkCalendar) -> None:
    agency_duty = add_calendar_days(official, D(2026, 12, 20), 15, basis=B)
    assert agency_duty.provisional
    assert party_protecting_window_blocked(agency_duty) is None
    final = add_calendar_days(official, D(2026, 3, 6), 15, basis=B, protects_party=True)
    assert party_protecting_window_blocked(final) is None
    ensure_window_final(final)


# -- properties ------------------------------------------------------------------------------------

LOADED = frozenset(range(2004, 2027))
dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2027, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_adding_working_days_lands_on_a_working_day_and_is_monotonic(start: D, n: int) -> None:
    cal = official_calendar()
    result = cal.add_working_days(start, n)
    assert cal.is_working_day(result)
    assert oracle_working(result)
    assert result > start
    assert cal.add_working_days(start, n + 1) > result
    assert result == oracle_add_working_days(start, n)


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=40))
def test_provisional_exactly_when_an_unloaded_year_is_crossed(start: D, n: int) -> None:
    cal = official_calendar()
    result = add_working_days(cal, start, n, basis=B)
    crossed = any(y not in LOADED for y in range((start + dt.timedelta(days=1)).year, result.date.year + 1))
    assert result.provisional is crossed
    back = working_days_before(cal, max(start, D(2004, 6, 1)), n, basis=B)
    crossed_back = any(
        y not in LOADED for y in range(back.date.year, (back.start - dt.timedelta(days=1)).year + 1)
    )
    assert back.provisional is crossed_back


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=120))
def test_calendar_periods_end_on_a_working_day_and_only_skip_rest_days(start: D, n: int) -> None:
    cal = official_calendar()
    result = add_calendar_days(cal, start, n, basis=B)
    raw = start + dt.timedelta(days=n)
    assert result.date >= raw
    assert oracle_working(result.date)
    day = raw
    while day < result.date:
        assert not oracle_working(day)
        day += dt.timedelta(days=1)
    assert result.provisional is any(y not in LOADED for y in range(raw.year, result.date.year + 1))


@settings(max_examples=200, deadline=None)
@given(end=st.dates(min_value=D(2004, 6, 1), max_value=D(2027, 12, 31)), n=st.integers(1, 30))
def test_working_days_before_is_the_nth_working_day_back(end: D, n: int) -> None:
    cal = official_calendar()
    result = cal.working_day_before(end, n)
    assert oracle_working(result)
    assert result < end
    assert cal.working_days_between(result, end - dt.timedelta(days=1)) == n - 1
    assert cal.add_working_days(result, n) >= end
