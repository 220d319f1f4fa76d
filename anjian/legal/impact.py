"""What a change of the working-day calendar would move (issue 8 High 2).

A correction of an officially loaded year recomputes nothing silently: stored deadlines (a
hazard's rectification deadline, later a case's) were told to the party and stay as served. The
correction page lists the stored deadlines whose computation under the corrected calendar would
give another date, so that the bureau decides each one (a re-service, a note on the file).

Apps above ``legal`` own those deadlines; each registers a provider in ``AppConfig.ready``
(like ``enterprises.selectors.register_measure_provider``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from anjian.law.calendar import WorkCalendar


@dataclass(frozen=True)
class MovedDeadline:
    """A stored deadline that the corrected calendar would compute differently."""

    what: str  # 隐患整改期限
    object_type: str  # hazards.hazard
    object_id: str
    label: str  # what the bureau recognises: number, unit, place
    jurisdiction_id: int | None
    stored: dt.date
    recomputed: dt.date
    url: str = ""


Provider = Callable[[WorkCalendar, int], Iterable[MovedDeadline]]
_providers: list[Provider] = []


def register_deadline_provider(provider: Provider) -> None:
    """``provider(calendar, year)`` yields the stored deadlines that ``calendar`` would move."""
    if provider not in _providers:
        _providers.append(provider)


def deadlines_moved(calendar: WorkCalendar, year: int) -> list[MovedDeadline]:
    out: list[MovedDeadline] = []
    for provider in _providers:
        out.extend(provider(calendar, year))
    return sorted(out, key=lambda m: (m.stored, m.object_type, m.object_id))
