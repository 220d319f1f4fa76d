"""The thin adapter between the database and the pure legal engine (``anjian.law``).

``work_calendar()`` builds a :class:`anjian.law.calendar.WorkCalendar` from the
``WorkCalendarDay``/``CalendarYear`` tables; ``overrides_for(division_codes)`` turns approved
``RuleOverride`` rows into the engine's dataclasses. The engine itself never reads the database.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Max

from anjian.law import ruleset
from anjian.law.calendar import DayKind, WorkCalendar
from anjian.law.periods import PeriodUnit
from anjian.legal import authority
from anjian.legal.models import CalendarYear, RuleOverride, WorkCalendarDay

_lock = threading.Lock()
_cached: tuple[tuple[object, ...], WorkCalendar] | None = None


def _stamp() -> tuple[object, ...]:
    agg = CalendarYear.objects.aggregate(n=Count("year"), last=Max("loaded_at"))
    return (agg["n"], agg["last"], WorkCalendarDay.objects.count())


def work_calendar() -> WorkCalendar:
    """The calendar as loaded now (rebuilt only when a year was loaded or changed)."""
    global _cached
    stamp = _stamp()
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
    cal = _calendar()
    with _lock:
        _cached = (stamp, cal)
    return cal


def calendar_with(year: int, days: Iterable[tuple[dt.date, str, str]]) -> WorkCalendar:
    """The calendar as it would be if ``year`` had exactly ``days`` (nothing is written)."""
    return _calendar(replace_year=year, days=days)


def _calendar(*, replace_year: int | None = None, days: Iterable[tuple[dt.date, str, str]] = ()) -> WorkCalendar:
    """The loaded years' calendar; with ``replace_year``, that year's stored days replaced by ``days``."""
    years = set(CalendarYear.objects.values_list("year", flat=True))
    rows = WorkCalendarDay.objects.filter(date__year__in=sorted(years))
    if replace_year is not None:
        years.add(replace_year)
        rows = rows.exclude(date__year=replace_year)
    all_days = [*rows.values_list("date", "kind", "name"), *days]
    exceptions = {d: DayKind(k) for d, k, _ in all_days}
    names = {d: n for d, _, n in all_days if n}
    return WorkCalendar(exceptions, sorted(years), names=names)


def year_days(year: int) -> list[tuple[dt.date, str, str]]:
    """The exception days of ``year`` as stored."""
    return list(WorkCalendarDay.objects.filter(date__year=year).order_by("date").values_list("date", "kind", "name"))


@transaction.atomic
def load_year(year: int, days: Iterable[tuple[dt.date, str, str]], *, source: str) -> int:
    """Replace the exception days of ``year`` and mark it loaded. Validated by the engine first."""
    days = list(days)
    for d, _kind, _ in days:
        if d.year != year:
            raise ValueError(f"{d.isoformat()}不属于{year}年")
    # Let the engine check the data (kinds, make-up days on weekends only) before anything is written.
    WorkCalendar({d: DayKind(k) for d, k, _ in days}, [year])
    WorkCalendarDay.objects.filter(date__year=year).delete()
    WorkCalendarDay.objects.bulk_create([WorkCalendarDay(date=d, kind=k, name=n) for d, k, n in days])
    CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
    return len(days)


def seed_from_package(first_year: int = 2004, last_year: int = 2026) -> int:
    from anjian.law.calendar import official_schedule_from_chinese_calendar

    exceptions, names, years = official_schedule_from_chinese_calendar(first_year, last_year)
    loaded = set(CalendarYear.objects.values_list("year", flat=True))
    n = 0
    # A year already loaded is left as it is: replacing an official year is a correction
    # (services.calendar_year_correct), never a silent re-seed.
    for y in sorted(set(years) - loaded):
        days = [(d, k.value, names.get(d, "")) for d, k in exceptions.items() if d.year == y]
        n += load_year(y, days, source="chinese-calendar 1.11（国务院办公厅节假日安排通知）")
    return n


def overrides_for(division_codes: Iterable[str]) -> list[ruleset.RuleOverride]:
    """Approved overrides whose scope covers the acting agency (its division codes and ancestors).

    While a more specific override (district over city over province) is in force, the less
    specific ones are hidden for that period: each less specific row is cut around the periods of
    the more specific ones, so the engine, which ranks by effective date only, sees the right one.
    """
    rows = list(RuleOverride.objects.filter(scope__in=list(division_codes)))
    out: list[ruleset.RuleOverride] = []
    by_rule: dict[str, list[RuleOverride]] = {}
    for row in rows:
        by_rule.setdefault(row.rule_code, []).append(row)
    spec = _specificities(r.scope for r in rows)
    for rule_rows in by_rule.values():
        covered: list[tuple[dt.date, dt.date | None]] = []
        for level in sorted({spec[r.scope] for r in rule_rows}, reverse=True):
            level_rows = [r for r in rule_rows if spec[r.scope] == level]
            for row in level_rows:
                for start, end in _subtract((row.effective_from, row.effective_to), covered):
                    out.append(_to_engine(row, start, end))
            covered.extend((r.effective_from, r.effective_to) for r in level_rows)
    return out


def _subtract(span: tuple[dt.date, dt.date | None], covered: list[tuple[dt.date, dt.date | None]]) -> list[tuple[dt.date, dt.date | None]]:
    """The parts of ``span`` outside every covered interval (``None`` end = open)."""
    parts = [span]
    for c_start, c_end in covered:
        nxt: list[tuple[dt.date, dt.date | None]] = []
        for p_start, p_end in parts:
            if (p_end is not None and p_end < c_start) or (c_end is not None and c_end < p_start):
                nxt.append((p_start, p_end))
                continue
            if p_start < c_start:
                nxt.append((p_start, c_start - dt.timedelta(days=1)))
            if c_end is not None and (p_end is None or p_end > c_end):
                nxt.append((c_end + dt.timedelta(days=1), p_end))
        parts = nxt
    return parts


def _to_engine(row: RuleOverride, start: dt.date, end: dt.date | None) -> ruleset.RuleOverride:
    value: int | Decimal | None = None
    if row.value is not None:
        value = int(row.value) if row.value == row.value.to_integral_value() and row.unit != "money" else row.value
    return ruleset.RuleOverride(
        rule_code=row.rule_code,
        scope=row.scope,
        effective_from=start,
        effective_to=end,
        value=value,
        unit=PeriodUnit(row.unit) if row.unit and row.unit in PeriodUnit.__members__.values() else None,
        source_document=row.source_document,
        approver=row.approver,
        note=row.note,
    )


def _specificities(scopes: Iterable[str]) -> dict[str, int]:
    return {s: authority.specificity(s) for s in set(scopes)}


def review_catalogue_for(division_codes: Iterable[str], on: dt.date) -> list[Any]:
    """The bureau's legal-review catalogue in force on ``on`` (its scope and the scopes above)."""
    from anjian.law.procedure import PenaltyKind, ReviewCatalogueEntry
    from anjian.legal.models import LegalReviewCatalogueEntry

    rows = LegalReviewCatalogueEntry.objects.filter(scope__in=list(division_codes), effective_from__lte=on).exclude(effective_to__lt=on)
    return [
        ReviewCatalogueEntry(code=r.code, name=f"{r.name}({r.source_document})", kinds=frozenset(PenaltyKind(k) for k in r.kinds), fine_individual=r.fine_individual, fine_organisation=r.fine_organisation)
        for r in rows
    ]


def collective_rule_for(division_codes: Iterable[str], on: dt.date) -> Any:
    """The most specific collective-discussion rule in force on ``on``, or None (the default rule)."""
    from anjian.law.procedure import CollectiveDiscussionRule, PenaltyKind
    from anjian.legal.models import CollectiveDiscussionConfig

    rows = [r for r in CollectiveDiscussionConfig.objects.filter(scope__in=list(division_codes), effective_from__lte=on).exclude(effective_to__lt=on)]
    if not rows:
        return None
    spec = _specificities(r.scope for r in rows)
    r = max(rows, key=lambda r: (spec[r.scope], r.effective_from))
    return CollectiveDiscussionRule(
        complex_cases=r.complex_cases, serious_heavier=r.serious_heavier, kinds=frozenset(PenaltyKind(k) for k in r.kinds),
        fine_individual=r.fine_individual, fine_organisation=r.fine_organisation, source=r.source_document,
    )
