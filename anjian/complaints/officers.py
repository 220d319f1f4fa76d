"""An officer's complaint record (issue 12 item 4): the outcomes that name them and the complaints
that named them, with the finding on each ground, never the submitter's identity.

Who may read it: the office and the leaders (Role.OFFICE, Role.LEADER) of a bureau, over the
submissions of its jurisdictions (the city reads the districts'), as they read the submissions
themselves (``selectors.submission_list``). Never the officer themselves (their own record answers
404, as a complaint naming them does: 信访工作条例 on confidentiality; 安全生产法第七十三条), never
another officer, department head or administrator (403). Each reading of a record is audited
(``complaint.officer_record``), like the reveal of a submitter's identity: it is personnel data.

What is on it:
- the outcomes with ``officer`` = that person: referral for fault liability (制度第七条) and the
  apology (第八条);
- the corrections (第六条) of a case that person worked on (``cases.CaseOfficer``);
- the complaints naming that person, each ground with its finding (属实／不属实／未认定).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from anjian.cases.models import CaseOfficer
from anjian.complaints import selectors
from anjian.complaints.choices import Kind, OutcomeKind, ground_label
from anjian.complaints.models import Outcome, Submission
from anjian.core import audit
from anjian.core.errors import NotFound, PermissionRefused
from anjian.core.ids import parse_id
from anjian.core.scoping import scope_for
from anjian.org.choices import Role
from anjian.org.models import Staff

READERS = (Role.OFFICE, Role.LEADER)
ACTION = "complaint.officer_record"
audit.ACTIONS.setdefault(ACTION, "查看执法人员投诉处理记录")


def may_read(user: Any) -> bool:
    scope = scope_for(user)
    return scope.is_member and scope.reads_business and scope.has_role(*READERS)


def _require(user: Any) -> None:
    if not may_read(user):
        raise PermissionRefused("执法人员的投诉处理记录只向本局办公室和局领导开放。")


def _submissions(user: Any) -> QuerySet[Submission]:
    """The complaints the reader may read (their jurisdictions; never one naming the reader)."""
    return selectors.submission_list(user=user).filter(kind=Kind.COMPLAINT).order_by()


def _outcomes(user: Any) -> QuerySet[Outcome]:
    return Outcome.objects.filter(submission__in=_submissions(user).values("pk"))


def _case_staff(staff_ids: Any = None) -> QuerySet[CaseOfficer]:
    qs = CaseOfficer.objects.all()
    return qs if staff_ids is None else qs.filter(staff_id__in=staff_ids)


@dataclass
class OfficerLine:
    staff_id: int
    name: str
    named: int = 0
    accountability: int = 0
    apology: int = 0
    corrections: int = 0

    @property
    def outcomes(self) -> int:
        return self.accountability + self.apology + self.corrections


def officer_lines(user: Any) -> list[OfficerLine]:
    """Every officer with something on the record, in the reader's scope (four queries)."""
    _require(user)
    own = scope_for(user).staff_id
    subs = _submissions(user).values("pk")
    lines: dict[int, OfficerLine] = {}

    def line(staff_id: int) -> OfficerLine:
        return lines.setdefault(staff_id, OfficerLine(staff_id, ""))

    named = Submission.named_officers.through.objects.filter(submission_id__in=subs).values("staff_id").annotate(n=Count("submission_id", distinct=True))
    for row in named:
        line(row["staff_id"]).named = row["n"]
    direct = _outcomes(user).filter(officer__isnull=False).values("officer_id", "kind").annotate(n=Count("pk"))
    for row in direct:
        if row["kind"] == OutcomeKind.ACCOUNTABILITY:
            line(row["officer_id"]).accountability += row["n"]
        elif row["kind"] == OutcomeKind.APOLOGY:
            line(row["officer_id"]).apology += row["n"]
    corrections = (
        CaseOfficer.objects.filter(case__complaint_outcomes__in=_outcomes(user).filter(kind=OutcomeKind.CORRECTION).values("pk"))
        .values("staff_id")
        .annotate(n=Count("case__complaint_outcomes", distinct=True))
    )
    for row in corrections:
        line(row["staff_id"]).corrections = row["n"]
    lines.pop(own, None) if own is not None else None
    names = dict(Staff.objects.filter(pk__in=list(lines)).values_list("pk", "name"))
    for sid, ln in lines.items():
        ln.name = names.get(sid, "")
    return sorted(lines.values(), key=lambda x: (-x.outcomes, -x.named, x.name, x.staff_id))


@dataclass
class NamedComplaint:
    submission: Submission
    grounds: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class OfficerRecord:
    staff: Staff
    outcomes: list[Outcome]
    complaints: list[NamedComplaint]

    def summary(self) -> dict[str, int]:
        kinds = [o.kind for o in self.outcomes]
        return {
            "named": len(self.complaints),
            "accountability": kinds.count(OutcomeKind.ACCOUNTABILITY),
            "apology": kinds.count(OutcomeKind.APOLOGY),
            "corrections": kinds.count(OutcomeKind.CORRECTION),
            "substantiated": sum(1 for c in self.complaints for g in c.grounds if g["substantiated"] is True),
        }


def officer_record(user: Any, staff_id: Any, *, audited: bool = True) -> OfficerRecord:
    """The record of one officer. A malformed id, an officer with nothing in the reader's scope and
    the reader's own record are 404; a reader without the role is 403."""
    ident = parse_id(staff_id)
    if ident is None:
        raise NotFound()
    scope = scope_for(user)
    if ident == scope.staff_id:
        raise NotFound()  # one's own record is not one's to read, whatever the role (as a complaint naming one)
    _require(user)
    staff = Staff.objects.filter(pk=ident).first()
    if staff is None:
        raise NotFound()
    subs = _submissions(user)
    outcomes = list(
        _outcomes(user)
        .filter(Q(officer_id=ident) | Q(kind=OutcomeKind.CORRECTION, case__in=_case_staff([ident]).values("case_id")))
        .select_related("submission", "case")
        .order_by("-done_on", "-id")
        .distinct()
    )
    named = list(subs.filter(named_officers=ident).select_related("jurisdiction", "owner_agency").prefetch_related("findings").order_by("-received_on", "-id"))
    if not outcomes and not named:
        raise NotFound()
    for o in outcomes:
        o.ground_text = ground_label(o.submission.kind, o.ground)  # type: ignore[attr-defined]
    complaints = []
    for s in named:
        found = {f.ground: f for f in s.findings.all()}
        complaints.append(
            NamedComplaint(
                s,
                [
                    {
                        "code": g,
                        "label": ground_label(s.kind, g),
                        "substantiated": found[g].substantiated if g in found else None,
                        "recorded_on": found[g].recorded_on if g in found else None,
                    }
                    for g in s.grounds
                ],
            )
        )
    record = OfficerRecord(staff, outcomes, complaints)
    if audited:
        audit.record_about(
            actor=user, action=ACTION, object_type="org.staff", object_id=staff.pk, object_repr=staff.name, jurisdiction_id=scope.jurisdiction_id,
            note=f"投诉{len(complaints)}件，处理结果{len(outcomes)}项",
        )  # fmt: skip
    return record


def staff_summary(user: Any, staff: Staff) -> dict[str, int] | None:
    """The counts for the staff page (org's panel), or None when the reader may not see them (or
    there is nothing). Not audited: the counts lead to the record, whose reading is."""
    if not may_read(user) or staff.pk == scope_for(user).staff_id:
        return None
    try:
        return officer_record(user, staff.pk, audited=False).summary()
    except NotFound:
        return None


def staff_panel(user: Any, staff: Staff) -> Any:
    """org's staff page panel (registered in ``apps.ready``): the counts and the link to the record,
    for the office and the leaders only; nothing for anyone else or for the person themselves."""
    from django.urls import reverse

    from anjian.org.panels import StaffPanel

    counts = staff_summary(user, staff)
    if counts is None:
        return None
    return StaffPanel(
        title="投诉处理记录",
        lines=[
            ("被投诉", f"{counts['named']}件（逐项认定属实{counts['substantiated']}项）"),
            ("移送过错责任追究", f"{counts['accountability']}次"),
            ("赔礼道歉", f"{counts['apology']}次"),
            ("经办案件被纠正", f"{counts['corrections']}次"),
        ],
        link=reverse("complaints:officer", args=[staff.pk]),
        link_text="查看投诉处理记录",
        note="仅本局办公室和局领导可见；不显示投诉举报人身份。",
        testid="complaint-record-panel",
    )
