"""工作台: what waits for one user today, each entry a count and the list behind it (issue 11, item 3).

Every entry is defined once here as an :class:`EntryDef`: who it applies to, the queryset that
both the count and the list read, the link to that list and how one row is shown. Where the list
is an existing page (the hazard list, the transfer list, the hazard approvals, the case board),
the queryset is the selector that page itself calls (``hazards.selectors``, ``cases.selectors``),
so the number on the workbench and the rows behind its link cannot drift apart. Where no list
existed (case steps awaiting approval, documents awaiting proof of service), the list is the
workbench's own drill-down page (``/workbench/<key>/``), which renders the same queryset.

The rule everywhere: the approver is another person than the requester (``core.duties``): a
request the user made or recorded is never listed as waiting for the user's approval.

Cost: a fixed number of queries whatever the data (``_fetch``): one query for every entry's count
and first rows' ids together, then one query per model for those rows; plus the case board's own,
the user's departments and whether the user is the agency's head today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from anjian.cases import selectors as case_selectors
from anjian.cases.choices import CaseStatus, ExtensionStatus, Procedure
from anjian.cases.evidence import INVESTIGATING
from anjian.cases.models import Case, CaseOfficer, DecisionExtension, LegalReview, Recusal
from anjian.cases.models_evidence import Preservation, PreservationStatus
from anjian.cases.models_execution import PaymentPlan, PlanStatus
from anjian.cases.models_publication import DishonestyEntry, DishonestyStatus, Publication, PublicationStatus
from anjian.cases.views import CASE_ROLES, WIDE_ROLES
from anjian.complaints import selectors as complaint_selectors
from anjian.complaints.choices import Status as ComplaintStatus
from anjian.complaints.models import Submission
from anjian.core.scoping import Scope, scope_for
from anjian.documents import registry
from anjian.documents.choices import DocumentStatus, ServiceStatus
from anjian.documents.models import IssuedDocument, ServiceRecord
from anjian.hazards import selectors as hazard_selectors
from anjian.hazards.models import Hazard
from anjian.org.choices import ADMIN_ROLES, HeadKind, Role
from anjian.org.models import AgencyHead

TOP = 5  # rows shown under each entry (and in the API's ``items``)
DUE_DAYS = "7"  # 整改期限将至: the hazard list's ``due`` filter the workbench links to

APPROVE = (Role.DEPT_HEAD, Role.LEADER)  # hazards/cases ``APPROVE_ROLES``
BUSINESS_ROLES = tuple(r for r in Role.values if r not in ADMIN_ROLES)
SEND_TRANSFER_ROLES = (Role.SUPERVISOR, Role.DEPT_HEAD, Role.OFFICER)  # hazards.services.transfer_send
SERVE_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD, Role.OFFICE)  # who records a proof of service
CLOSABLE = (CaseStatus.EXECUTED, CaseStatus.NO_PENALTY, CaseStatus.REFERRED, CaseStatus.ENFORCEMENT, CaseStatus.REVOKED)  # services.case_close
DECIDING = (CaseStatus.NOTICE_SERVED, CaseStatus.HEARING)  # services.decision_make, legal_review_record

XZCF = "《中华人民共和国行政处罚法》"
AQSCF = "《中华人民共和国安全生产法》"


@dataclass(frozen=True)
class Item:
    """One row under an entry (and of its drill-down list)."""

    title: str
    detail: str
    url: str
    due: dt.date | None = None
    days_left: int | None = None
    article: str = ""
    provisional: bool = False

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "detail": self.detail,
            "url": self.url,
            "due": self.due.isoformat() if self.due else None,
            "days_left": self.days_left,
            "article": self.article,
            "provisional": self.provisional,
        }


@dataclass
class Context:
    """What every entry reads about the user, gathered once."""

    user: Any
    scope: Scope
    today: dt.date
    departments: list[int]
    is_head: bool  # the head (负责人 or 主要负责人) of the user's agency today
    _calendar: Any = None

    @property
    def calendar(self) -> Any:
        """The loaded working-day calendar, read once for all the rows that compute a deadline."""
        if self._calendar is None:
            from anjian.legal import lawcal

            self._calendar = lawcal.work_calendar()
        return self._calendar


@dataclass(frozen=True)
class EntryDef:
    key: str
    group: str  # approvals | deadlines | hazards | transfers | documents
    label: str
    article: str
    applies: Callable[[Context], bool]
    queryset: Callable[[Context], QuerySet[Any]]
    link: Callable[[Context], str]
    row: Callable[[Context, Any], Item]
    own_list: bool = False  # the list is the workbench's drill-down page
    always: bool = True  # shown even at 0 (False: only when there is something, e.g. set-asides named to the user)
    # When the list counts in its own way (the case board): (the list's total, its first rows).
    board: Callable[[Context], tuple[int, list[Item]]] | None = None
    calendar: bool = False  # its rows compute a deadline with the working-day calendar


@dataclass
class Entry:
    key: str
    group: str
    label: str
    count: int
    url: str
    article: str = ""
    items: list[Item] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "group": self.group,
            "label": self.label,
            "count": self.count,
            "url": self.url,
            "article": self.article,
            "items": [i.as_dict() for i in self.items],
        }


@dataclass
class Workbench:
    scope: Scope
    today: dt.date
    entries: list[Entry]
    deadlines: list[Item]  # the user's next legal deadlines, the nearest first
    admin_links: list[tuple[str, str, str]]  # (label, url, hint) for the administrator roles
    admin_only: bool

    @property
    def empty(self) -> bool:
        return not self.entries and not self.admin_links

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "agency": self.scope.agency_name,
            "roles": sorted(self.scope.roles),
            "admin_only": self.admin_only,
            "entries": [e.as_dict() for e in self.entries],
            "deadlines": [d.as_dict() for d in self.deadlines],
            "admin_links": [{"label": a, "url": u, "hint": h} for a, u, h in self.admin_links],
        }


# --- helpers ---------------------------------------------------------------------------------------
def _left(ctx: Context, due: dt.date | None) -> int | None:
    # Days left are calendar days to the stored due date, as the case board and the hazard pages
    # show them: the due date itself was computed by the legal engine with the working-day calendar.
    return (due - ctx.today).days if due else None


def _none(model: Any) -> Callable[[Context], QuerySet[Any]]:
    return lambda ctx: model.objects.none()


def _not_by(field_name: str, user: Any) -> Q:
    """Requests not made by ``user``: a request with no recorded requester is not the user's."""
    return Q(**{f"{field_name}__isnull": True}) | ~Q(**{field_name: user})


def _cases(ctx: Context) -> QuerySet[Case]:
    """Cases of the user's own agency (writes — and so approvals — are by the owning agency)."""
    return Case.objects.for_user(ctx.user).filter(owner_agency_id=ctx.scope.agency_id or 0)


def _party(c: Case) -> str:
    return c.person_name if c.party_type == "person" else (c.enterprise.name if c.enterprise_id and c.enterprise else "")


def _case_item(ctx: Context, c: Case, detail: str = "", url: str = "") -> Item:
    return Item(title=f"{_party(c)}：{c.title}", detail=detail or CaseStatus(c.status).label, url=url or reverse("cases:detail", args=[c.pk]))


# --- hazards and transfers (the lists are the existing pages) --------------------------------------------
def _extensions(ctx: Context) -> QuerySet[Any]:
    return hazard_selectors.extensions_to_decide(user=ctx.user)


def _extension_row(ctx: Context, e: Any) -> Item:
    return Item(
        title=f"{e.hazard.enterprise.name}：{e.hazard.description}", detail=f"{e.requested_on:%Y-%m-%d}申请延期至{e.requested_until:%Y-%m-%d}（原期限{e.previous_deadline:%Y-%m-%d}）",
        url=reverse("hazards:detail", args=[e.hazard_id]) + "#extensions",
    )  # fmt: skip


def _set_asides(ctx: Context) -> QuerySet[Any]:
    return hazard_selectors.set_aside_list(user=ctx.user, mine=True).prefetch_related(None)


def _set_aside_row(ctx: Context, sa: Any) -> Item:
    return Item(
        title=f"{sa.hazard.enterprise.name}：{sa.hazard.description}",
        detail=f"判定标准条目{sa.criterion_id}，申请不予认定重大事故隐患",
        url=reverse("hazards:detail", args=[sa.hazard_id]) + "#set-asides",
    )


def _restarts(ctx: Context) -> QuerySet[Any]:
    return hazard_selectors.restart_reviews_to_decide(user=ctx.user)


def _restart_row(ctx: Context, rr: Any) -> Item:
    from anjian.hazards.services import restart_review_due

    due = restart_review_due(rr, calendar=ctx.calendar)
    return Item(
        title=f"{rr.measure.enterprise.name}：{rr.measure}", detail=f"{rr.applied_on:%Y-%m-%d}申请恢复生产", url=reverse("hazards:measure", args=[rr.measure_id]),
        due=due.date, days_left=_left(ctx, due.date), article=due.basis, provisional=bool(getattr(due, "provisional", False)),
    )  # fmt: skip


def _transfers_to_decide(ctx: Context) -> QuerySet[Any]:
    return hazard_selectors.transfers_to_decide(user=ctx.user, departments=ctx.departments)


def _transfers_sent(ctx: Context) -> QuerySet[Any]:
    return hazard_selectors.transfer_list_filtered(user=ctx.user, filters={"box": "sent", "status": "pending"}, departments=ctx.departments).order_by("sent_at", "id")


def _transfer_row(ctx: Context, t: Any) -> Item:
    return Item(
        title=f"{t.enterprise.name}：{t.facts[:60]}",
        detail=f"{t.from_department.name} → {t.to_department.name}，{timezone.localtime(t.sent_at):%Y-%m-%d %H:%M}移交",
        url=reverse("hazards:transfer_detail", args=[t.pk]),
    )


def _hazards(ctx: Context, filters: dict[str, str]) -> QuerySet[Hazard]:
    return hazard_selectors.hazard_list(user=ctx.user, filters=filters).prefetch_related(None)


def _hazards_due(ctx: Context) -> QuerySet[Hazard]:
    return _hazards(ctx, {"due": DUE_DAYS}).order_by("deadline", "id")


def _hazards_overdue(ctx: Context) -> QuerySet[Hazard]:
    return _hazards(ctx, {"overdue": "1"}).order_by("deadline", "id")


def _deadline_article(h: Hazard) -> str:
    """The article that set the deadline (the order to rectify, AQSCF §102) and how it is counted;
    the calendar's version (kept on the hazard for the record) is not for this list."""
    counted = (h.deadline_rule or "").split("；日历")[0].strip()
    return f"{AQSCF}第一百零二条（责令限期整改）" + (f"；期限按{counted}" if counted else "")


def _hazard_row(ctx: Context, h: Hazard) -> Item:
    return Item(
        title=f"{h.enterprise.name}：{h.description}", detail=f"{h.get_severity_display()}隐患，{h.get_status_display()}", url=reverse("hazards:detail", args=[h.pk]),
        due=h.deadline, days_left=_left(ctx, h.deadline), article=_deadline_article(h), provisional=h.deadline_provisional,
    )  # fmt: skip


# --- the case board (the list is /cases/board/) ---------------------------------------------------------
def _board_staff(ctx: Context) -> int | None:
    # As the board page (cases.views.board): the wide roles see every open case; an officer those handled.
    return None if ctx.scope.has_role(*WIDE_ROLES) else (ctx.scope.staff_id or 0)


def _board(ctx: Context) -> tuple[int, list[Item]]:
    total, rows = case_selectors.deadline_board(user=ctx.user, today=ctx.today, limit=TOP, staff_id=_board_staff(ctx))
    return total, [
        Item(
            title=f"{r.party}：{r.title}",
            detail=f"{r.status_label}，下一环节：{r.step}",
            url=reverse("cases:detail", args=[r.case_id]),
            due=r.due,
            days_left=r.days_left,
            article=r.article,
            provisional=r.provisional,
        )
        for r in rows
    ]


# --- case steps awaiting approval (the list is the workbench's drill-down page) ----------------------------------
def _head(roles: tuple[str, ...]) -> Callable[[Context], bool]:
    """Steps the agency head decides (行政处罚法 §57, §56, §60, §66; 11号 §4): the role and the designation today."""
    return lambda ctx: ctx.scope.has_role(*roles) and ctx.is_head


def _member(ctx: Context) -> bool:
    # Set-asides are named to a leader or an expert (an expert holds no role): whoever they are named to.
    return ctx.scope.is_member


def _has(*roles: str) -> Callable[[Context], bool]:
    return lambda ctx: ctx.scope.is_member and ctx.scope.has_role(*roles)


def _case_filing(ctx: Context) -> QuerySet[Any]:
    return _cases(ctx).filter(status=CaseStatus.DRAFT, procedure=Procedure.GENERAL).exclude(opened_by=ctx.user).select_related("enterprise").order_by("opened_at", "id")


def _case_legal_review(ctx: Context) -> QuerySet[Any]:
    passed = LegalReview.objects.filter(case=OuterRef("pk"), passed=True)
    handles = CaseOfficer.objects.filter(case=OuterRef("pk"), staff_id=ctx.scope.staff_id or 0, active=True)
    qs = _cases(ctx).filter(status__in=DECIDING, proposed_by__isnull=False).exclude(proposed_by=ctx.user)
    return qs.filter(~Exists(passed), ~Exists(handles)).select_related("enterprise").order_by("proposed_on", "id")


def _case_decision(ctx: Context) -> QuerySet[Any]:
    return _cases(ctx).filter(status__in=DECIDING).filter(_not_by("proposed_by", ctx.user)).select_related("enterprise").order_by("next_due", "id")


def _case_close(ctx: Context) -> QuerySet[Any]:
    mine = Q(proposed_by__isnull=False, proposed_by=ctx.user) | Q(proposed_by__isnull=True, opened_by=ctx.user)
    return _cases(ctx).filter(status__in=CLOSABLE).exclude(mine).select_related("enterprise").order_by("opened_at", "id")


def _case_row(ctx: Context, c: Case) -> Item:
    return _case_item(ctx, c)


def _case_extensions(ctx: Context) -> QuerySet[Any]:
    return (
        DecisionExtension.objects.filter(status=ExtensionStatus.PENDING, case__in=_cases(ctx))
        .filter(_not_by("requested_by", ctx.user))
        .select_related("case", "case__enterprise")
        .order_by("requested_on", "id")
    )


def _case_extension_row(ctx: Context, e: Any) -> Item:
    return _case_item(ctx, e.case, f"{e.requested_on:%Y-%m-%d}申请延长办案期限至{e.extend_until:%Y-%m-%d}")


def _preservations(ctx: Context) -> QuerySet[Any]:
    cases = _cases(ctx).filter(status__in=INVESTIGATING)
    return (
        Preservation.objects.filter(status=PreservationStatus.PENDING, case__in=cases)
        .filter(_not_by("requested_by", ctx.user))
        .select_related("case", "case__enterprise")
        .order_by("requested_on", "id")
    )


def _preservation_row(ctx: Context, p: Any) -> Item:
    return _case_item(ctx, p.case, f"{p.requested_on:%Y-%m-%d}申请先行登记保存证据", reverse("cases:evidence", args=[p.case_id]))


def _deferrals(ctx: Context) -> QuerySet[Any]:
    cases = _cases(ctx).filter(status=CaseStatus.SERVED)
    return (
        PaymentPlan.objects.filter(status=PlanStatus.PENDING, case__in=cases)
        .filter(_not_by("requested_by", ctx.user))
        .select_related("case", "case__enterprise")
        .order_by("requested_on", "id")
    )


def _deferral_row(ctx: Context, p: Any) -> Item:
    return _case_item(ctx, p.case, f"{p.requested_on:%Y-%m-%d}申请{p.get_kind_display()}", reverse("cases:execution", args=[p.case_id]))


def _recusals(ctx: Context) -> QuerySet[Any]:
    # The person to recuse never decides on it (行政处罚法 §43).
    return (
        Recusal.objects.filter(granted__isnull=True, case__in=_cases(ctx))
        .exclude(staff_id=ctx.scope.staff_id or 0)
        .select_related("case", "case__enterprise", "staff")
        .order_by("requested_on", "id")
    )


def _recusal_row(ctx: Context, r: Any) -> Item:
    return _case_item(ctx, r.case, f"{r.requested_on:%Y-%m-%d}申请{r.staff.name}回避", reverse("cases:evidence", args=[r.case_id]))


def _publications(ctx: Context) -> QuerySet[Any]:
    qs = Publication.objects.for_user(ctx.user).filter(status=PublicationStatus.PREPARED, owner_agency_id=ctx.scope.agency_id or 0)
    return qs.filter(_not_by("prepared_by", ctx.user)).order_by("due_on", "id")


def _publication_row(ctx: Context, p: Any) -> Item:
    return Item(
        title=f"{p.party_name}：{p.decision_number or '处罚决定'}", detail="公开文本待审核发布", url=reverse("cases:publication-detail", args=[p.pk]),
        due=p.due_on, days_left=_left(ctx, p.due_on), article=f"{AQSCF}第七十八条",
    )  # fmt: skip


def _dishonesty(ctx: Context) -> QuerySet[Any]:
    qs = DishonestyEntry.objects.for_user(ctx.user).filter(status=DishonestyStatus.PROPOSED, owner_agency_id=ctx.scope.agency_id or 0)
    return qs.exclude(proposed_by=ctx.user).select_related("enterprise").order_by("proposed_on", "id")


def _dishonesty_row(ctx: Context, e: Any) -> Item:
    return Item(
        title=f"{e.enterprise.name}：{e.condition_text}",
        detail=f"{e.proposed_on:%Y-%m-%d}提议列入严重失信主体名单",
        url=reverse("cases:dishonesty-detail", args=[e.pk]),
        article=e.article,
    )


# --- documents awaiting proof of service -------------------------------------------------------------------
def served_kinds() -> list[str]:
    return sorted(k.code for k in registry.kinds() if k.served)


def _unserved(ctx: Context) -> QuerySet[Any]:
    """Issued documents of a served kind, of the user's agency, with no effective proof of service:
    no period the document states runs until its date of service is recorded (行政处罚法 §61)."""
    effective = ServiceRecord.objects.filter(document=OuterRef("pk"), status=ServiceStatus.EFFECTIVE)
    qs = IssuedDocument.objects.for_user(ctx.user).filter(agency_id=ctx.scope.agency_id or 0, status=DocumentStatus.ISSUED, kind__in=served_kinds())
    return qs.filter(~Exists(effective)).order_by("issued_on", "id")


SUBJECT_PAGES = {"cases.case": "cases:detail", "hazards.hazard": "hazards:detail", "hazards.measure": "hazards:measure", "inspections.inspection": "inspections:detail"}


def _document_row(ctx: Context, d: Any) -> Item:
    page = SUBJECT_PAGES.get(d.subject_type)
    url = reverse(page, args=[d.subject_id]) if page and str(d.subject_id).isdigit() else reverse("documents:download", args=[d.pk])
    return Item(title=f"{d.title} {d.number}", detail=f"{d.issued_on:%Y-%m-%d}签发，尚未登记送达", url=url, article=f"{XZCF}第六十一条")


# 投诉举报 (issue 12 item 8): the office's panel. ``next_due`` is the stored due date of the
# bureau's next act (acceptance, then the reply), kept by complaints.services; the lists behind the
# links are the complaints list with the same filters (``complaints.selectors.submission_list``).
XFTL = "《信访工作条例》"


def _submissions(ctx: Context) -> QuerySet[Submission]:
    return complaint_selectors.submission_list(user=ctx.user).filter(owner_agency_id=ctx.scope.agency_id or 0)


def _to_accept(ctx: Context) -> QuerySet[Submission]:
    return _submissions(ctx).filter(status=ComplaintStatus.REGISTERED).order_by("next_due", "id")


def _due_week(ctx: Context) -> QuerySet[Submission]:
    return complaint_selectors.submission_list(user=ctx.user, filters={"due": "week"}).filter(owner_agency_id=ctx.scope.agency_id or 0).order_by("next_due", "id")


def _complaints_overdue(ctx: Context) -> QuerySet[Submission]:
    return complaint_selectors.submission_list(user=ctx.user, filters={"due": "overdue"}).filter(owner_agency_id=ctx.scope.agency_id or 0).order_by("next_due", "id")


def _submission_row(ctx: Context, s: Submission) -> Item:
    what = "受理" if s.status == ComplaintStatus.REGISTERED else "答复"
    return Item(
        title=s.summary, detail=f"{s.get_kind_display()}，{s.received_on:%Y年%-m月%-d日}收到，{what}期限", url=reverse("complaints:detail", args=[s.pk]),
        due=s.next_due, days_left=_left(ctx, s.next_due), article=f"{XFTL}第二十二条" if what == "受理" else f"{XFTL}第三十四条",
    )  # fmt: skip


def _own(key: str) -> Callable[[Context], str]:
    return lambda ctx: reverse("workbench-list", args=[key])


def _url(name: str, query: str = "", anchor: str = "") -> Callable[[Context], str]:
    return lambda ctx: reverse(name) + (f"?{query}" if query else "") + anchor


ENTRIES: list[EntryDef] = [
    # 待我审批 — the approver is never the requester.
    EntryDef(
        "hazard_extensions",
        "approvals",
        "延期整改申请待审批",
        "《安全生产违法行为行政处罚办法》（延期整改）",
        _has(*APPROVE),
        _extensions,
        _url("hazards:approvals", anchor="#extensions"),
        _extension_row,
    ),
    EntryDef(
        "hazard_set_asides",
        "approvals",
        "不予认定重大隐患申请待我审核",
        "《重大事故隐患判定标准》",
        _member,
        _set_asides,
        _url("hazards:approvals", anchor="#set-asides"),
        _set_aside_row,
        always=False,
    ),
    EntryDef(
        "restart_reviews",
        "approvals",
        "恢复生产申请待审查",
        f"{AQSCF}第六十五条第一款第三项",
        _has(Role.LEADER),
        _restarts,
        _url("hazards:approvals", anchor="#restarts"),
        _restart_row,
        calendar=True,
    ),
    EntryDef(
        "transfers_to_decide",
        "approvals",
        "移交待我接收或退回",
        "局队合一",
        _has(Role.OFFICER, Role.DEPT_HEAD, Role.LEADER),
        _transfers_to_decide,
        _url("hazards:transfers", "box=decide"),
        _transfer_row,
    ),
    EntryDef("case_filing", "approvals", "立案待审批", f"{XZCF}第五十四条", _has(*APPROVE), _case_filing, _own("case_filing"), _case_row, own_list=True),
    EntryDef(
        "case_legal_review", "approvals", "案件待法制审核", f"{XZCF}第五十八条", _has(Role.LEGAL_REVIEWER), _case_legal_review, _own("case_legal_review"), _case_row, own_list=True
    ),
    EntryDef("case_decision", "approvals", "案件待作出处罚决定", f"{XZCF}第五十七条", _head((Role.LEADER,)), _case_decision, _own("case_decision"), _case_row, own_list=True),
    EntryDef(
        "case_extensions",
        "approvals",
        "延长办案期限待批准",
        f"{XZCF}第六十条",
        _head((Role.LEADER,)),
        _case_extensions,
        _own("case_extensions"),
        _case_extension_row,
        own_list=True,
    ),
    EntryDef(
        "case_preservations",
        "approvals",
        "先行登记保存证据待批准",
        f"{XZCF}第五十六条",
        _head((Role.LEADER,)),
        _preservations,
        _own("case_preservations"),
        _preservation_row,
        own_list=True,
    ),
    EntryDef("case_recusals", "approvals", "回避申请待决定", f"{XZCF}第四十三条", _head((Role.LEADER,)), _recusals, _own("case_recusals"), _recusal_row, own_list=True),
    EntryDef("case_deferrals", "approvals", "延期（分期）缴纳罚款待批准", f"{XZCF}第六十六条", _head(APPROVE), _deferrals, _own("case_deferrals"), _deferral_row, own_list=True),
    EntryDef("case_close", "approvals", "结案待审批", f"{XZCF}第五十七条", _has(*APPROVE), _case_close, _own("case_close"), _case_row, own_list=True),
    EntryDef(
        "publication_release",
        "approvals",
        "处罚决定公开文本待审核发布",
        f"{AQSCF}第七十八条",
        _has(*APPROVE),
        _publications,
        _own("publication_release"),
        _publication_row,
        own_list=True,
    ),
    EntryDef(
        "dishonesty_decide",
        "approvals",
        "列入严重失信主体名单待决定",
        "《安全生产严重失信主体名单管理办法》第四条",
        _head((Role.LEADER,)),
        _dishonesty,
        _own("dishonesty_decide"),
        _dishonesty_row,
        own_list=True,
    ),
    # 法定期限
    EntryDef(
        "hazards_due",
        "deadlines",
        f"整改期限{DUE_DAYS}日内届满的隐患",
        f"{AQSCF}第一百零二条",
        _has(*BUSINESS_ROLES),
        _hazards_due,
        _url("hazards:list", f"due={DUE_DAYS}"),
        _hazard_row,
    ),
    EntryDef(
        "case_deadlines",
        "deadlines",
        "在办案件的法定期限",
        XZCF,
        _has(*CASE_ROLES),
        _none(Case),
        _url("cases:board"),
        _case_row,
        board=_board,
    ),  # fmt: skip
    # 逾期隐患, 移交, 文书
    EntryDef("hazards_overdue", "hazards", "逾期未整改的隐患", f"{AQSCF}第一百零二条", _has(*BUSINESS_ROLES), _hazards_overdue, _url("hazards:list", "overdue=1"), _hazard_row),
    EntryDef(
        "transfers_sent_pending",
        "transfers",
        "我科室移交待执法队伍接收",
        "局队合一",
        _has(*SEND_TRANSFER_ROLES),
        _transfers_sent,
        _url("hazards:transfers", "box=sent&status=pending"),
        _transfer_row,
    ),
    EntryDef("complaints_to_accept", "complaints", "投诉举报待受理", f"{XFTL}第二十二条", _has(Role.OFFICE), _to_accept, _url("complaints:list", "status=registered"), _submission_row),
    EntryDef("complaints_due_week", "complaints", "七日内到期的投诉举报", f"{XFTL}第二十二条、第三十四条", _has(Role.OFFICE), _due_week, _url("complaints:list", "due=week"), _submission_row),
    EntryDef("complaints_overdue", "complaints", "逾期未受理或者未答复的投诉举报", f"{XFTL}第二十二条、第三十四条", _has(Role.OFFICE), _complaints_overdue, _url("complaints:list", "due=overdue"), _submission_row),
    EntryDef(
        "documents_unserved", "documents", "待登记送达回证的文书", f"{XZCF}第六十一条", _has(*SERVE_ROLES), _unserved, _own("documents_unserved"), _document_row, own_list=True
    ),
]
BY_KEY = {e.key: e for e in ENTRIES}
OWN_LISTS = {e.key for e in ENTRIES if e.own_list}
GROUPS = {"approvals": "待我审批", "deadlines": "法定期限", "hazards": "逾期隐患", "transfers": "移交", "complaints": "投诉举报", "documents": "文书送达"}


def context_for(user: Any, *, today: dt.date | None = None) -> Context:
    scope = scope_for(user)
    today = today or timezone.localdate()
    departments: list[int] = []
    is_head = False
    if scope.is_member:
        departments = hazard_selectors.my_departments(user)
        is_head = (
            scope.staff_id is not None
            and AgencyHead.objects.filter(agency_id=scope.agency_id, staff_id=scope.staff_id, kind__in=[HeadKind.HEAD, HeadKind.PRINCIPAL_HEAD], valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .exists()
        )
    return Context(user=user, scope=scope, today=today, departments=departments, is_head=is_head)


def entry_rows(ctx: Context, key: str) -> QuerySet[Any]:
    """The rows behind one entry (its drill-down list); none when the entry does not apply to the user."""
    d = BY_KEY[key]
    return d.queryset(ctx) if d.applies(ctx) else d.queryset(ctx).none()


def admin_links(user: Any, scope: Scope) -> list[tuple[str, str, str]]:
    out = []
    if scope.has_role(Role.SECURITY_ADMIN):
        out.append(("账号安全管理", reverse("security"), "登录失败锁定、解锁账号、重置动态口令"))
        out.append(("组织机构与人员", reverse("org:agency"), "科室、人员、角色授予"))
    if scope.has_role(Role.AUDIT_ADMIN):
        out.append(("审计日志", reverse("audit"), "查阅与校验审计记录"))
    if scope.has_role(Role.ADMIN):
        out.append(("系统配置（管理后台）", reverse("admin:index"), "参考数据与系统配置"))
        out.append(("API文档", reverse("api-docs"), "系统对接"))
    return out


def _related(qs: QuerySet[Any]) -> tuple[bool | list[str], list[Any]]:
    """The select_related paths (True: all) and prefetch lookups of ``qs``."""
    sr = qs.query.select_related
    if sr is True or sr is False:
        return sr, list(getattr(qs, "_prefetch_related_lookups", ()))

    def paths(tree: dict[str, Any], prefix: str = "") -> list[str]:
        out = []
        for k, sub in tree.items():
            out.append(prefix + k)
            out += paths(sub, f"{prefix}{k}__") if sub else []
        return out

    return paths(sr), list(getattr(qs, "_prefetch_related_lookups", ()))


def _fetch(querysets: dict[str, QuerySet[Any]]) -> dict[str, tuple[int, list[Any]]]:
    """Every entry's count and first ``TOP`` rows, in a number of queries that depends on the
    entries only, never on the data: one query returns each entry's count and its first rows'
    ids (a UNION ALL of one ``COUNT(*)`` and one ordered ``LIMIT`` per entry, each the entry's
    own queryset compiled as the list would run it), then one query per model loads those rows
    with the related rows the entries select — even when there are none, so that the number of
    queries on an empty database is the number on a full one."""
    parts: list[str] = []
    params: list[Any] = []
    keys = list(querysets)
    db = "default"
    for i, key in enumerate(keys):
        qs = querysets[key]
        db = qs.db
        try:
            count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
            top_sql, top_params = qs.values(_wb_pk=F("pk"))[:TOP].query.sql_with_params()
        except EmptyResultSet:  # a queryset.none(): nothing to count
            continue
        parts.append(f"SELECT {i} AS k, NULL AS pk, COUNT(*) AS n FROM ({count_sql}) _wc{i}")  # noqa: S608 (compiled by Django; values are parameters)
        parts.append(f"SELECT {i} AS k, _wt{i}._wb_pk AS pk, NULL AS n FROM ({top_sql}) _wt{i}")  # noqa: S608 (as above)
        params += [*count_params, *top_params]
    counts: dict[str, int] = dict.fromkeys(keys, 0)
    ids: dict[str, list[Any]] = {k: [] for k in keys}
    if parts:
        with connections[db].cursor() as cur:
            # The rows of each part come in the order of its subquery (its ORDER BY … LIMIT).
            cur.execute(" UNION ALL ".join(parts), params)
            for k, pk, n in cur.fetchall():
                if pk is None:
                    counts[keys[k]] = int(n)
                else:
                    ids[keys[k]].append(pk)
    by_model: dict[Any, list[str]] = {}
    for key, qs in querysets.items():
        by_model.setdefault(qs.model, []).append(key)
    loaded: dict[tuple[Any, Any], Any] = {}
    for model, model_keys in by_model.items():
        select: set[str] = set()
        every = False
        prefetch: list[Any] = []
        for key in model_keys:
            sr, pf = _related(querysets[key])
            every = every or sr is True
            select.update(sr if isinstance(sr, list) else [])
            prefetch += [p for p in pf if p not in prefetch]
        wanted = sorted({pk for key in model_keys for pk in ids[key]})
        # pk 0 never exists: the query runs (and costs the same) when no entry has a row.
        rows = model._default_manager.filter(pk__in=wanted or [0])
        rows = rows.select_related() if every else rows.select_related(*sorted(select))
        for obj in rows.prefetch_related(*prefetch) if prefetch else rows:
            loaded[(model, obj.pk)] = obj
    return {key: (counts[key], [loaded[(querysets[key].model, pk)] for pk in ids[key] if (querysets[key].model, pk) in loaded]) for key in keys}


def workbench(user: Any, *, today: dt.date | None = None) -> Workbench:
    ctx = context_for(user, today=today)
    scope = ctx.scope
    admin_only = scope.is_member and not scope.reads_business  # 三员分立 (core/scoping.py)
    entries: list[Entry] = []
    if scope.is_member and not admin_only:
        shown = [d for d in ENTRIES if d.applies(ctx)]
        fetched = _fetch({d.key: d.queryset(ctx) for d in shown if d.board is None})
        if any(d.calendar for d in shown):
            ctx.calendar  # noqa: B018 — loaded whether or not a row needs it: the same queries empty or full
        for d in shown:
            if d.board is not None:
                count, items = d.board(ctx)
            else:
                count, objs = fetched[d.key]
                items = [d.row(ctx, r) for r in objs]
            if count or d.always:
                entries.append(Entry(d.key, d.group, d.label, count, d.link(ctx), d.article, items))
    deadlines = sorted((i for e in entries if e.group == "deadlines" for i in e.items if i.due is not None), key=lambda i: (i.due, i.title))[: TOP * 2]
    return Workbench(scope=scope, today=ctx.today, entries=entries, deadlines=deadlines, admin_links=admin_links(user, scope) if scope.is_member else [], admin_only=admin_only)
