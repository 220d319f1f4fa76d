"""Figures of complaints and reports for a period (issue 12 item 9), scoped like the list.

In stats: the period codes are the statistics' own (``indicators.parse_period``), and stats sits
above complaints in the layer contract (it reads complaints; complaints never reads it).

Who is counted: the submissions the actor may list (``selectors.submission_list``): their
jurisdictions, and for a person without a wide role (office, leader, department head) only those
they handle; a complaint naming the actor is never counted for them (a named officer must not
learn of it, not even as a number).

What is counted, for the period ``start``–``as_of`` (``as_of``: the period's end, or today for the
current period; the period codes are the statistics' own, ``stats.indicators.parse_period``):

- **by kind, by ground, by department**: the submissions *received* in the period (收到日期在期内).
  A submission naming several grounds counts once under each; by department, once under each
  department it was assigned to (会同办理的科室);
- **findings**: the per-ground findings *recorded* in the period, substantiated or not;
- **outcomes**: the outcomes (纠正、责任追究、赔礼道歉) *done* in the period;
- **answered in time** (按期答复): the handling due date is the legal engine's (信访工作条例第三十四条:
  60 days from acceptance, +30 with an approved extension; safety reports: 安全生产法第七十三条 and
  the local rule), as ``clocks.handling_due`` computes it. Each accepted submission is counted once,
  in the period where its timeliness became known: a reply on or before the due date counts (in
  time) in the period of the reply; a submission whose due date passed without a reply counts
  (late) in the period of the first day after the due date, whether it was answered later or not.
  A submission still within its time limit and not yet answered is not in the denominator (nothing
  is known of it yet). The share is in-time ÷ (in-time + late).
- **median days to reply**: over the submissions replied in the period, the calendar days from
  acceptance to reply (答复日期 − 受理日期).

Queries: a fixed number, whatever the number of rows (counts are aggregated by the database; the
timeliness reads one list of dates and computes the due dates in Python, with the calendar and the
rule overrides read once per jurisdiction).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anjian.complaints import selectors
from anjian.complaints.choices import GROUNDS, ExtensionStatus, Kind, OutcomeKind, ground_label
from anjian.complaints.models import GroundFinding, Outcome, Submission
from anjian.law import deadlines as law_deadlines
from anjian.law.errors import LawError
from anjian.legal import authority, lawcal
from anjian.stats.indicators import Period, parse_period

__all__ = ["Figures", "Period", "figures", "parse_period"]  # the period parser, re-exported for the views

# How far before the period an acceptance can lie and still have its due date in the period:
# 60 + 30 days, in working days at worst, is well inside a year.
LOOKBACK = dt.timedelta(days=366)


@dataclass
class Row:
    label: str
    count: int
    code: str = ""
    kind: str = ""  # the kind's label (grounds and findings)
    substantiated: int | None = None  # findings
    not_substantiated: int | None = None


@dataclass
class Figures:
    period: Period
    as_of: dt.date
    received: int = 0
    by_kind: list[Row] = field(default_factory=list)
    by_ground: list[Row] = field(default_factory=list)
    by_department: list[Row] = field(default_factory=list)
    by_outcome: list[Row] = field(default_factory=list)
    findings: list[Row] = field(default_factory=list)
    in_time: int = 0
    late: int = 0
    late_unanswered: int = 0  # of ``late``: still not answered on ``as_of``
    undetermined: int = 0  # the due date could not be computed (no calendar for the year)
    replied: int = 0
    median_days: float | None = None

    @property
    def due_total(self) -> int:
        return self.in_time + self.late

    @property
    def in_time_share(self) -> float | None:
        """Percent, one decimal; None when nothing fell due or was answered in the period."""
        return round(100 * self.in_time / self.due_total, 1) if self.due_total else None

    def as_dict(self) -> dict[str, Any]:
        def rows(items: list[Row]) -> list[dict[str, Any]]:
            return [{k: v for k, v in r.__dict__.items() if v is not None and v != ""} for r in items]

        return {
            "period": self.period.code,
            "period_label": self.period.label,
            "start": self.period.start.isoformat(),
            "as_of": self.as_of.isoformat(),
            "received": self.received,
            "by_kind": rows(self.by_kind),
            "by_ground": rows(self.by_ground),
            "by_department": rows(self.by_department),
            "by_outcome": rows(self.by_outcome),
            "findings": rows(self.findings),
            "timeliness": {
                "in_time": self.in_time,
                "late": self.late,
                "late_unanswered": self.late_unanswered,
                "due_total": self.due_total,
                "in_time_share": self.in_time_share,
                "undetermined": self.undetermined,
            },
            "replied": self.replied,
            "median_days_to_reply": self.median_days,
        }


def _ground_key(code: str) -> str:
    return f"g_{code}"


def scoped(user: Any) -> QuerySet[Submission]:
    """The submissions the actor may count: exactly those they may list."""
    return selectors.submission_list(user=user).order_by()


def figures(user: Any, period: Period, *, today: dt.date | None = None) -> Figures:
    today = today or timezone.localdate()
    as_of = period.end_on(today)
    out = Figures(period=period, as_of=as_of)
    base = scoped(user)
    received = base.filter(received_on__gte=period.start, received_on__lte=as_of)

    # By kind and by ground: one aggregate (a ground is a string in the JSON list; codes are
    # distinct across the two kinds, and the quotes keep "other" from matching "other_harm").
    grounds = [(kind, code, label) for kind, choices in GROUNDS.items() for code, label in choices.choices]
    per_ground = {_ground_key(code): Count("pk", filter=Q(grounds__icontains=f'"{code}"')) for _k, code, _l in grounds}
    kinds = {row["kind"]: row for row in received.values("kind").annotate(n=Count("pk"), **per_ground)}
    for k in Kind:
        row = kinds.get(k.value)
        out.by_kind.append(Row(str(k.label), row["n"] if row else 0, code=k.value))
        out.received += row["n"] if row else 0
    for kind_code, code, label in grounds:
        row = kinds.get(kind_code)
        out.by_ground.append(Row(str(label), row[_ground_key(code)] if row else 0, code=code, kind=str(Kind(kind_code).label)))

    # By department (one row per department assigned; a submission with two counts in both).
    through = Submission.departments.through.objects.filter(submission__in=received.values("pk"))
    for row in through.values("department_id", "department__name").annotate(n=Count("submission_id", distinct=True)).order_by("-n", "department__name"):
        out.by_department.append(Row(row["department__name"], row["n"], code=str(row["department_id"])))

    # Findings recorded and outcomes done in the period.
    f_rows = (
        GroundFinding.objects.filter(submission__in=base.values("pk"), recorded_on__gte=period.start, recorded_on__lte=as_of)
        .values("submission__kind", "ground")
        .annotate(yes=Count("pk", filter=Q(substantiated=True)), no=Count("pk", filter=Q(substantiated=False)))
        .order_by("submission__kind", "ground")
    )
    for row in f_rows:
        out.findings.append(
            Row(
                ground_label(row["submission__kind"], row["ground"]), row["yes"] + row["no"], code=row["ground"],
                kind=str(Kind(row["submission__kind"]).label) if row["submission__kind"] in Kind.values else row["submission__kind"],
                substantiated=row["yes"], not_substantiated=row["no"],
            )
        )  # fmt: skip
    o_counts = dict(
        Outcome.objects.filter(submission__in=base.values("pk"), done_on__gte=period.start, done_on__lte=as_of).values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    for ok in OutcomeKind:
        out.by_outcome.append(Row(str(ok.label), o_counts.get(ok.value, 0), code=ok.value))

    _timeliness(out, base, period.start, as_of)
    return out


class _Rules:
    """The calendar once, and the rule overrides once per jurisdiction (not per row)."""

    def __init__(self) -> None:
        self.calendar = lawcal.work_calendar()
        self._overrides: dict[str, list[Any]] = {}

    def overrides(self, jurisdiction_code: str) -> list[Any]:
        if jurisdiction_code not in self._overrides:
            self._overrides[jurisdiction_code] = list(lawcal.overrides_for(authority.scope_codes(jurisdiction_code)))
        return self._overrides[jurisdiction_code]

    def handling_due(self, kind: str, jurisdiction_code: str, accepted_on: dt.date, extended: bool) -> dt.date:
        """As ``clocks.handling_due`` (the same rules, the same extension chain)."""
        rule = "petition_handling" if kind == Kind.COMPLAINT else "safety_report_handling"
        overrides = self.overrides(jurisdiction_code)
        base = law_deadlines.evaluate(rule, accepted_on, calendar=self.calendar, step_date=accepted_on, overrides=overrides)
        if not extended:
            return base.date
        return law_deadlines.evaluate(f"{rule}_extension", base.date, calendar=self.calendar, step_date=base.date, overrides=overrides).date


def _timeliness(out: Figures, base: QuerySet[Submission], start: dt.date, as_of: dt.date) -> None:
    candidates = (
        base.filter(accepted_on__isnull=False, accepted_on__lte=as_of, accepted_on__gte=start - LOOKBACK)
        .filter(Q(replied_on__isnull=True) | Q(replied_on__gte=start))
        .values_list("kind", "jurisdiction__code", "accepted_on", "extension_status", "replied_on")
    )
    rows = list(candidates)
    if not rows:
        return
    rules = _Rules()
    days: list[int] = []
    for kind, code, accepted_on, extension, replied_on in rows:
        if accepted_on is None:  # filtered out above; for the type checker
            continue
        replied_now = replied_on if replied_on is not None and replied_on <= as_of else None
        if replied_now is not None and replied_now >= start:
            out.replied += 1
            days.append((replied_now - accepted_on).days)
        try:
            due = rules.handling_due(kind, code, accepted_on, extension == ExtensionStatus.APPROVED)
        except LawError:
            out.undetermined += 1
            continue
        if replied_now is not None and replied_now <= due:
            if replied_now >= start:
                out.in_time += 1
        else:
            late_from = due + dt.timedelta(days=1)  # the first day it was overdue
            if start <= late_from <= as_of:
                out.late += 1
                if replied_now is None:
                    out.late_unanswered += 1
    out.median_days = float(statistics.median(days)) if days else None
