"""Reads of penalty cases: the list, one case, the 待立案 queue and the deadline board."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from anjian.cases.choices import NEXT_STEP, OPEN_STATUSES, CaseStatus
from anjian.cases.models import Case, CaseDeadline, CaseOfficer, CaseStep
from anjian.core.errors import NotFound
from anjian.core.ids import parse_id
from anjian.core.scoping import get_for_user
from anjian.hazards.models import Hazard


def case_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = Case.objects.for_user(user).select_related("enterprise", "owner_agency")
    if "status" in f:
        qs = qs.filter(status=f["status"])
    if "source" in f:
        qs = qs.filter(source=f["source"])
    if "enterprise" in f:
        qs = qs.filter(enterprise_id=f["enterprise"])
    if f.get("open") in ("1", "true", True):
        qs = qs.filter(status__in=OPEN_STATUSES)
    if "q" in f:
        qs = qs.filter(title__icontains=f["q"]) | qs.filter(enterprise__name__icontains=f["q"]) | qs.filter(person_name__icontains=f["q"])
    return qs.order_by("-opened_at", "-id")


# What most case pages read of the case itself: the party, the owning agency, the jurisdiction.
CASE_RELATED = ("enterprise", "owner_agency", "jurisdiction")


def case_get(*, user: Any, pk: Any, related: Sequence[str] = CASE_RELATED, detail: bool = True) -> Case:
    """One case in the user's scope: missing, malformed, overflowing and out of scope all answer 404
    (the same to the caller, and no query for an id that cannot be one).

    ``related``: the relations the caller reads, selected in the same query. ``detail``: also what
    the case page and the API detail show (violations, active officers, deadlines, timeline, notices),
    prefetched; a page that shows one part of the case (evidence, the case file) says ``detail=False``.
    """
    ident = parse_id(pk)
    if ident is None:
        raise NotFound()
    qs = Case.objects.select_related(*related)
    if detail:
        qs = qs.prefetch_related(
            "violations",
            Prefetch("officer_rows", queryset=CaseOfficer.objects.filter(active=True).select_related("staff")),
            Prefetch("deadlines", queryset=CaseDeadline.objects.filter(active=True).select_related("replaces").order_by("due")),
            Prefetch("steps", queryset=CaseStep.objects.order_by("on", "at", "id")),
            "notices",
        )
    return get_for_user(qs, user, ident)


def hazards_awaiting_case(*, user: Any) -> QuerySet[Hazard]:
    """The 待立案 queue: hazards the overdue sweep flagged (安全生产法 §102) with no case yet."""
    open_case = Case.objects.filter(hazard=OuterRef("pk")).exclude(status=CaseStatus.WITHDRAWN)
    return Hazard.objects.for_user(user).filter(case_flag=True).filter(~Exists(open_case)).select_related("enterprise").order_by("overdue_since", "id")


@dataclass(frozen=True)
class BoardRow:
    case_id: int
    title: str
    party: str
    status: str
    status_label: str
    step: str
    due: dt.date | None
    days_left: int | None
    article: str
    provisional: bool
    waiting_for: str  # a party-protecting window still open before the step (e.g. the defence window)

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def deadline_board(*, user: Any, today: dt.date | None = None, limit: int = 200, offset: int = 0, staff_id: int | None = None) -> tuple[int, list[BoardRow]]:
    """Open cases in the user's scope with their next legal step, due date, days left and article,
    the most urgent first: (total, one page). The database sorts on ``Case.next_due`` (the copy the
    services keep, index ``case_board_idx``) and pages; three queries whatever the number of cases.
    ``staff_id``: only the cases that person handles (an active officer of the case) or opened."""
    today = today or timezone.localdate()
    base = Case.objects.for_user(user).filter(status__in=OPEN_STATUSES)
    if staff_id is not None:
        handles = CaseOfficer.objects.filter(case=OuterRef("pk"), staff_id=staff_id, active=True)
        base = base.filter(Exists(handles) | Q(opened_by__staff__pk=staff_id))
    total = base.count()
    page = list(
        base.order_by(F("next_due").asc(nulls_last=True), "id")
        .values("id", "title", "status", "party_type", "person_name", "enterprise__name")[offset : offset + limit]
    )
    rows: dict[int, dict[str, CaseDeadline]] = {}
    # pk 0 never exists: the query runs on an empty page too, so the count of queries is fixed.
    for row in CaseDeadline.objects.filter(case_id__in=[c["id"] for c in page] or [0], active=True).only("case_id", "code", "due", "article", "provisional", "met_on", "name"):
        rows.setdefault(row.case_id, {})[row.code] = row
    out: list[BoardRow] = []
    for c in page:
        label, code = NEXT_STEP[c["status"]]
        mine = rows.get(c["id"], {})
        d = mine.get(code) if code else None
        waiting = ""
        if c["status"] == CaseStatus.NOTICE_SERVED:
            for wcode in ("defence_statement", "hearing_request"):
                w = mine.get(wcode)
                if w is not None and w.met_on is None and today <= w.due:
                    waiting = f"{w.name}至{w.due:%Y年%-m月%-d日}届满，届满前不得作出决定"
                    break
        party = c["person_name"] if c["party_type"] == "person" else (c["enterprise__name"] or "")
        out.append(
            BoardRow(
                case_id=c["id"], title=c["title"], party=party, status=c["status"], status_label=CaseStatus(c["status"]).label, step=label,
                due=d.due if d else None, days_left=(d.due - today).days if d else None, article=d.article if d else "",
                provisional=bool(d and d.provisional), waiting_for=waiting,
            )  # fmt: skip
        )
    return total, out
