"""The hazards' stored deadlines that a correction of the working-day calendar would move.

Registered with ``anjian.legal.impact`` in ``HazardsConfig.ready`` (legal sits below hazards).
A rectification deadline is a calendar-day period from the service of the order (民事诉讼法第八十五条,
``services._deadline_from_service``): only its roll-forward over a non-working last day depends on
the calendar. Nothing here writes: the stored date is what the served document told the party.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from anjian.hazards.models import Hazard
from anjian.law import periods
from anjian.law.calendar import WorkCalendar
from anjian.legal.impact import MovedDeadline


def moved_rectification_deadlines(calendar: WorkCalendar, year: int) -> Iterator[MovedDeadline]:
    # Only a deadline the rule computed from the service date: an approved extension's date is the
    # date the approver chose, not a period the calendar rolls forward.
    qs = Hazard.objects.filter(deadline_from_service=True, served_on__isnull=False, deadline__isnull=False, served_on__lte=dt.date(year, 12, 31), deadline__gte=dt.date(year, 1, 1)).select_related("enterprise")
    for h in qs.order_by("deadline", "pk"):
        assert h.served_on is not None and h.deadline is not None
        result = periods.add_calendar_days(calendar, h.served_on, h.period_days, basis="《民事诉讼法》第八十五条（期间计算）", rule_name="整改期限")
        if result.date != h.deadline:
            yield MovedDeadline(
                what="隐患整改期限",
                object_type="hazards.hazard",
                object_id=str(h.pk),
                label=f"{h.enterprise.name}：{h.description[:30]}",
                jurisdiction_id=h.jurisdiction_id,
                stored=h.deadline,
                recomputed=result.date,
                url=reverse("hazards:detail", args=[h.pk]),
            )
