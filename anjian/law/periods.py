"""Counting periods (期间计算), exactly as LEGAL.md §1.

Working-day periods (XZCF §85: "二日、三日、五日、七日" are working days; XZQZF §69: ≤10 days;
XZFYF §88: 3/5/7/10 days):
    The trigger day is not counted; "within N working days after X" ends on the N-th working day
    after X. Official make-up weekends (调休) count as working days, statutory holidays do not.

    >>> # notice served Friday 2026-02-13, 5 WD to request a hearing (XZCF §64):
    >>> # 2/14 (make-up Saturday) is WD 1, 2/15–2/23 Spring Festival, 2/24..2/27 are WD 2..5
    >>> # → 2026-02-27.

"At least N working days before Y" (the hearing notice, XZCF §64):
    On or before the N-th working day before Y (Y itself not counted).

    >>> # hearing on Thursday 2026-02-26, 7 WD: 2/25, 2/24, 2/14 (make-up), 2/13, 2/12, 2/11,
    >>> # 2/10 → the notice must be served on or before 2026-02-10.

Calendar-day periods (MSSSF §85, applied via XZSSF §101 and XZFYF §88; 民法典 §201, §203):
    The start day is not counted. If the last day is a non-working day — a statutory holiday, or a
    Saturday/Sunday that is not an official make-up working day — the period ends on the first
    working day after it. A make-up Saturday is a working day, so a period ending on it stays.

    >>> # 15 days to pay (XZCF §67), decision served Tuesday 2026-09-22: the 15th day is 10/7
    >>> # (National Day) → 2026-10-08. Served Friday 2026-03-06: 3/21 is an ordinary Saturday →
    >>> # Monday 2026-03-23. Served Friday 2026-02-13: 2/28 is a make-up Saturday → stays.

Months and years (民法典 §203; MSSSF §85):
    The period ends on the day of the final month with the same number as the start day; when the
    final month has no such day, on its last day (2026-01-31 + 1 month = 2026-02-28; 2024-02-29 +
    1 year = 2025-02-28). The holiday roll-forward applies to months and years as to days — the
    lawsuit window (6 months, XZSSF §46) and the court-enforcement window (3 months, XZQZF §53)
    are periods for an act to be done. It does not apply to a look-back such as the limitation
    (XZCF §36, "not discovered within 2 years"), which is a fact window, not a time to act; the
    rule data says per rule whether it rolls forward.

    >>> # lawsuit window, decision known on 2026-04-05: 6 months → 10/5 (National Day) →
    >>> # 2026-10-08.

Date of service (XZCF §61; MSSSF §87–§95): see :func:`service_date`.

Provisional results (LEGAL.md §1): a result is provisional exactly when a day whose working
status the computation consulted lies in a year whose official schedule is not loaded:
the days ``(start, end]`` for working days after, ``[end, Y)`` for working days before, and
``[unrolled last day, end]`` for a calendar period with roll-forward. A calendar period without
roll-forward consults no day and is never provisional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Protocol

from anjian.law.calendar import WorkCalendar, check_date
from anjian.law.errors import PeriodError, ProvisionalWindowError, ServiceError

_ONE_DAY: Final = dt.timedelta(days=1)


class PeriodUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"
    MONTHS = "months"
    YEARS = "years"

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]


_UNIT_LABELS: Final = {
    PeriodUnit.WORKING_DAYS: "个工作日",
    PeriodUnit.CALENDAR_DAYS: "日",
    PeriodUnit.HOURS: "小时",
    PeriodUnit.MONTHS: "个月",
    PeriodUnit.YEARS: "年",
}


class Direction(StrEnum):
    AFTER = "after"
    BEFORE = "before"

    @property
    def label(self) -> str:
        return "之后" if self is Direction.AFTER else "之前"


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """The end of a period: ``date`` (the last day; for BEFORE, the latest allowed day).

    ``unrolled`` is the last day before any holiday roll-forward; ``at`` is set for hour periods.
    """

    date: dt.date
    provisional: bool
    basis: str
    start: dt.date
    amount: int
    unit: PeriodUnit
    direction: Direction
    unrolled: dt.date
    protects_party: bool = False
    rule_name: str = ""
    at: dt.datetime | None = None

    @property
    def rolled_forward(self) -> bool:
        return self.date != self.unrolled


class WindowResult(Protocol):
    """Anything with the fields the provisional-window check reads (periods and deadlines)."""

    @property
    def date(self) -> dt.date: ...
    @property
    def provisional(self) -> bool: ...
    @property
    def protects_party(self) -> bool: ...
    @property
    def basis(self) -> str: ...
    @property
    def rule_name(self) -> str: ...


def _check_amount(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise PeriodError("期间长度必须为正整数", field="amount")


def add_working_days(
    calendar: WorkCalendar,
    start: dt.date,
    n: int,
    *,
    basis: str,
    protects_party: bool = False,
    rule_name: str = "",
) -> PeriodResult:
    """The N-th working day after ``start`` (XZCF §85; trigger day not counted)."""
    _check_amount(n)
    end = calendar.add_working_days(start, n)
    provisional = calendar.provisional_between(start + _ONE_DAY, end)
    return PeriodResult(
        end, provisional, basis, start, n, PeriodUnit.WORKING_DAYS, Direction.AFTER, end,
        protects_party, rule_name,
    )  # fmt: skip


def working_days_before(
    calendar: WorkCalendar,
    end: dt.date,
    n: int,
    *,
    basis: str,
    protects_party: bool = False,
    rule_name: str = "",
) -> PeriodResult:
    """The latest day that is at least N working days before ``end``: the N-th working day
    before it (XZCF §64 hearing notice; ``end`` not counted)."""
    _check_amount(n)
    day = calendar.working_day_before(end, n)
    provisional = calendar.provisional_between(day, end - _ONE_DAY)
    return PeriodResult(
        day, provisional, basis, end, n, PeriodUnit.WORKING_DAYS, Direction.BEFORE, day,
        protects_party, rule_name,
    )  # fmt: skip


def _roll(calendar: WorkCalendar, raw: dt.date, roll_forward: bool) -> tuple[dt.date, bool]:
    if not roll_forward:
        check_date(raw)
        return raw, False
    end = calendar.next_working_day(raw)
    return end, calendar.provisional_between(raw, end)


def add_calendar_days(
    calendar: WorkCalendar,
    start: dt.date,
    n: int,
    *,
    basis: str,
    roll_forward: bool = True,
    protects_party: bool = False,
    rule_name: str = "",
) -> PeriodResult:
    """N calendar days after ``start`` (start not counted), rolled forward past a non-working
    last day (MSSSF §85) unless ``roll_forward`` is false."""
    _check_amount(n)
    check_date(start, "start")
    raw = start + dt.timedelta(days=n)
    end, provisional = _roll(calendar, raw, roll_forward)
    return PeriodResult(
        end, provisional, basis, start, n, PeriodUnit.CALENDAR_DAYS, Direction.AFTER, raw,
        protects_party, rule_name,
    )  # fmt: skip


def calendar_days_before(
    calendar: WorkCalendar,
    end: dt.date,
    n: int,
    *,
    basis: str,
    protects_party: bool = False,
    rule_name: str = "",
) -> PeriodResult:
    """The latest day that is at least N calendar days before ``end``: ``end − N``.

    No roll-forward: moving the day later would break "at least N days before", and moving it
    earlier would shorten the party's time without a legal basis. Never provisional.
    """
    _check_amount(n)
    check_date(end, "end")
    day = end - dt.timedelta(days=n)
    check_date(day, "end")
    return PeriodResult(
        day, False, basis, end, n, PeriodUnit.CALENDAR_DAYS, Direction.BEFORE, day,
        protects_party, rule_name,
    )  # fmt: skip


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day number ``months`` later; the month's last day when it has no such day
    (民法典 §203)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if month == 12:
        last = 31
    else:
        last = (dt.date(year, month + 1, 1) - _ONE_DAY).day
    return dt.date(year, month, min(day.day, last))


def add_months(
    calendar: WorkCalendar,
    start: dt.date,
    n: int,
    *,
    basis: str,
    roll_forward: bool = True,
    protects_party: bool = False,
    rule_name: str = "",
    unit: PeriodUnit = PeriodUnit.MONTHS,
) -> PeriodResult:
    """N months after ``start`` with end-of-month clamping, then the holiday roll-forward."""
    _check_amount(n)
    check_date(start, "start")
    raw = shift_months(start, n)
    end, provisional = _roll(calendar, raw, roll_forward)
    amount = n // 12 if unit is PeriodUnit.YEARS else n
    return PeriodResult(
        end, provisional, basis, start, amount, unit, Direction.AFTER, raw,
        protects_party, rule_name,
    )  # fmt: skip


def add_years(
    calendar: WorkCalendar,
    start: dt.date,
    n: int,
    *,
    basis: str,
    roll_forward: bool = True,
    protects_party: bool = False,
    rule_name: str = "",
) -> PeriodResult:
    """N years after ``start`` (29 February → 28 February), then the holiday roll-forward."""
    _check_amount(n)
    return add_months(
        calendar, start, 12 * n, basis=basis, roll_forward=roll_forward,
        protects_party=protects_party, rule_name=rule_name, unit=PeriodUnit.YEARS,
    )  # fmt: skip


def add_hours(
    start: dt.datetime,
    hours: int,
    *,
    basis: str,
    direction: Direction = Direction.AFTER,
    protects_party: bool = False,
    rule_name: str = "",
) -> PeriodResult:
    """``hours`` after (or before) an aware datetime (XZQZF §19: 24 hours; AQSCF §70: 24 hours'
    notice). Hours run continuously through holidays; never provisional. ``date`` is the local
    date of the resulting instant in the time zone of ``start``."""
    _check_amount(hours)
    if not isinstance(start, dt.datetime) or start.utcoffset() is None:
        raise PeriodError("以小时计算的期限需要带时区的时间（Asia/Shanghai）", field="trigger")
    check_date(start.date(), "trigger")
    delta = dt.timedelta(hours=hours)
    at = start + delta if direction is Direction.AFTER else start - delta
    check_date(at.date(), "trigger")
    return PeriodResult(
        at.date(), False, basis, start.date(), hours, PeriodUnit.HOURS, direction, at.date(),
        protects_party, rule_name, at,
    )  # fmt: skip


def period(
    calendar: WorkCalendar,
    start: dt.date,
    amount: int,
    unit: PeriodUnit,
    direction: Direction,
    *,
    basis: str,
    roll_forward: bool = True,
    protects_party: bool = False,
    rule_name: str = "",
) -> PeriodResult:
    """Dispatch on unit and direction (day units; hours go through :func:`add_hours`)."""
    if direction is Direction.AFTER:
        if unit is PeriodUnit.WORKING_DAYS:
            return add_working_days(
                calendar, start, amount, basis=basis, protects_party=protects_party,
                rule_name=rule_name,
            )  # fmt: skip
        if unit is PeriodUnit.CALENDAR_DAYS:
            return add_calendar_days(
                calendar, start, amount, basis=basis, roll_forward=roll_forward,
                protects_party=protects_party, rule_name=rule_name,
            )  # fmt: skip
        if unit is PeriodUnit.MONTHS:
            return add_months(
                calendar, start, amount, basis=basis, roll_forward=roll_forward,
                protects_party=protects_party, rule_name=rule_name,
            )  # fmt: skip
        if unit is PeriodUnit.YEARS:
            return add_years(
                calendar, start, amount, basis=basis, roll_forward=roll_forward,
                protects_party=protects_party, rule_name=rule_name,
            )  # fmt: skip
    elif unit in (PeriodUnit.WORKING_DAYS, PeriodUnit.CALENDAR_DAYS):
        backward = working_days_before if unit is PeriodUnit.WORKING_DAYS else calendar_days_before
        return backward(
            calendar, start, amount, basis=basis, protects_party=protects_party,
            rule_name=rule_name,
        )  # fmt: skip
    raise PeriodError(f"不支持的期间：{unit.label}{direction.label}", field="unit")


# -- service (送达) --------------------------------------------------------------------------------


class ServiceMethod(StrEnum):
    DIRECT = "direct"
    REFUSAL = "refusal"
    MAIL = "mail"
    ELECTRONIC = "electronic"
    ANNOUNCEMENT = "announcement"

    @property
    def label(self) -> str:
        return _SERVICE_LABELS[self][0]

    @property
    def basis(self) -> str:
        return _SERVICE_LABELS[self][1]


# method → (Chinese name, article). XZCF §61 sends service to the civil-procedure rules.
_SERVICE_LABELS: Final = {
    ServiceMethod.DIRECT: ("直接送达", "行政处罚法第六十一条；民事诉讼法第八十七条、第八十八条"),
    ServiceMethod.REFUSAL: ("留置送达", "行政处罚法第六十一条；民事诉讼法第八十九条"),
    ServiceMethod.MAIL: ("邮寄送达", "行政处罚法第六十一条；民事诉讼法第九十一条"),
    ServiceMethod.ELECTRONIC: ("电子送达", "行政处罚法第六十一条第二款；民事诉讼法第九十条"),
    ServiceMethod.ANNOUNCEMENT: ("公告送达", "行政处罚法第六十一条；民事诉讼法第九十五条"),
}

ANNOUNCEMENT_DAYS: Final = 30  # MSSSF §95: "经过三十日，即视为送达"


@dataclass(frozen=True, slots=True)
class ServiceResult:
    """The date of service: periods that run from service start on ``date``."""

    date: dt.date
    method: ServiceMethod
    event_date: dt.date
    basis: str
    provisional: bool = False


def service_date(
    method: ServiceMethod | str,
    event_date: dt.date,
    *,
    consent: bool = False,
    witnessed: bool = False,
) -> ServiceResult:
    """The date of service for ``method``, from the date the method records (LEGAL.md §1).

    * direct — ``event_date`` is the date signed on the proof of service;
    * refusal — the date the document was left; ``witnessed`` must be true (a witness or an
      audio-visual record of the service, MSSSF §89);
    * mail — the date on the return receipt;
    * electronic — the date it reached the party's system; ``consent`` must be true (the party's
      signed consent, XZCF §61 ¶2);
    * announcement — ``event_date`` is the publication date; service is deemed 30 days later
      (2026-09-10 → 2026-10-10). Deemed service is a fact, not a time limit: no roll-forward.
    """
    try:
        kind = ServiceMethod(method)
    except ValueError:
        raise ServiceError(f"未知的送达方式：{method}", field="method") from None
    check_date(event_date, "event_date")
    if kind is ServiceMethod.ELECTRONIC and not consent:
        raise ServiceError("电子送达须经当事人书面同意", field="consent", article=kind.basis)
    if kind is ServiceMethod.REFUSAL and not witnessed:
        raise ServiceError(
            "留置送达须有见证人或者以拍照、录像等方式记录送达过程", field="witnessed",
            article=kind.basis,
        )  # fmt: skip
    day = event_date
    if kind is ServiceMethod.ANNOUNCEMENT:
        day = event_date + dt.timedelta(days=ANNOUNCEMENT_DAYS)
        check_date(day, "event_date")
    return ServiceResult(day, kind, event_date, kind.basis)


# -- provisional windows -------------------------------------------------------------------------


def party_protecting_window_blocked(result: WindowResult) -> str | None:
    """The Chinese refusal message when a step would rely on the provisional end of a window that
    protects the party (defence, hearing request, payment …); ``None`` when the step may proceed.

    A weekends-only guess can end *earlier* than the true date (a weekday holiday), so such a step
    must wait until the year's official schedule is loaded (LEGAL.md §1).
    """
    if not (result.provisional and result.protects_party):
        return None
    name = result.rule_name or "该期限"
    return (
        f"{name}（{result.basis}）届满日{result.date.isoformat()}所在年度的法定节假日安排尚未载入，"
        f"目前仅按周末推算，属临时结果。该期限保护当事人权利，"
        f"在载入该年度节假日安排之前，不得以该临时届满日为依据办理下一步。"
    )


def ensure_window_final(result: WindowResult) -> None:
    """Raise :class:`ProvisionalWindowError` when :func:`party_protecting_window_blocked` says so."""
    message = party_protecting_window_blocked(result)
    if message is not None:
        raise ProvisionalWindowError(message, article=result.basis, field="date")
