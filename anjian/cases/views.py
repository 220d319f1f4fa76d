"""Penalty-case screens: the case list, the deadline board, the 待立案 queue, opening a case or an
accident, the case page (timeline, deadlines, what the case holds) and one form page per step.

Thin: forms check shape, ``anjian.cases.services`` decides and writes (one transaction per action).
A refused step (DomainError) is shown on the form with its article; PermissionRefused answers 403,
an out-of-scope case 404. ``available_steps`` decides which buttons the case page shows: only the
steps this user can take in this status (CASE_TRANSITIONS, the role the service requires, the other
person an approval needs, the agency head), so a button never leads to a certain 403/409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from anjian.cases import forms as f
from anjian.cases import selectors, services
from anjian.cases.choices import CASE_TRANSITIONS, NEXT_STEP, OPEN_STATUSES, PROPOSAL_STATUSES, CaseSource, CaseStatus
from anjian.cases.models import Accident, Case, CaseDeadline, CaseOfficer, Hearing, Notice, Payment, Waiver
from anjian.cases.service_correction import pending_withdrawn
from anjian.core import idempotency
from anjian.core.errors import DomainError, NotFound, ValidationFailed
from anjian.core.scoping import Scope, get_for_user, scope_for
from anjian.core.ui import call_service, refused
from anjian.documents.models import IssuedDocument
from anjian.enterprises.models import Enterprise
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import TransferStatus
from anjian.hazards.models import Hazard, Transfer
from anjian.hazards.views import _my_departments
from anjian.inspections.forms import officer_choices
from anjian.inspections.models import Finding
from anjian.inspections.views import download_url
from anjian.law.penalties import Band
from anjian.org.choices import Role

PAGE_SIZE = 50
# Who works with cases: the enforcement team, the approvers, the legal reviewers and the office.
CASE_ROLES = (Role.OFFICER, Role.DEPT_HEAD, Role.LEGAL_REVIEWER, Role.LEADER, Role.OFFICE)
# Who sees every case of the agency on the board; an officer sees the cases they handle.
WIDE_ROLES = (Role.DEPT_HEAD, Role.LEGAL_REVIEWER, Role.LEADER, Role.OFFICE)
OPENING = (CaseStatus.FILED, CaseStatus.NOTICE_ISSUED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING)
DEADLINE_STATES = {CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}


def may_see_cases(scope: Scope) -> bool:
    return scope.is_member and scope.has_role(*CASE_ROLES)


def _guard(request: HttpRequest) -> Scope | HttpResponse:
    scope = scope_for(request.user)
    if not may_see_cases(scope):
        return refused(request, "您的角色不办理行政处罚案件。", reverse("home"))
    return scope


# --- what a user may do now ------------------------------------------------------------------------
@dataclass
class Facts:
    """What ``available_steps`` reads about one case, gathered in a few queries."""

    today: dt.date
    is_head: bool
    violations: int
    notice: Notice | None
    hearing: Hearing | None
    waiver: Waiver | None
    deadlines: dict[str, CaseDeadline]
    pending_extensions: int
    pending_recusals: int
    unreviewed: int
    onsite_unhanded: bool


def case_facts(case: Case, user: Any, today: dt.date | None = None) -> Facts:
    today = today or timezone.localdate()
    scope = scope_for(user)
    notice = Notice.objects.filter(case=case).order_by("-id").first()
    return Facts(
        today=today,
        is_head=services._is_head(case.owner_agency_id, scope.staff_id, today),
        violations=case.violations.count(),
        notice=notice,
        hearing=Hearing.objects.filter(notice=notice).order_by("-id").first() if notice else None,
        waiver=Waiver.objects.filter(notice=notice).order_by("signed_on").first() if notice else None,
        deadlines={d.code: d for d in CaseDeadline.objects.filter(case=case, active=True)},
        pending_extensions=len(f.pending_extensions(case)),
        pending_recusals=len(f.pending_recusals(case)),
        unreviewed=len(f.unreviewed(case)),
        onsite_unhanded=Payment.objects.filter(case=case, onsite=True, handed_over_on__isnull=True).exists(),
    )


def decision_wait(case: Case, x: Facts) -> str:
    """Why the decision cannot be made today (a party-protecting window still open, a hearing not
    held, a statement not reviewed), or "" — the checks ``decision_make`` makes first."""
    if x.notice is None or x.notice.served_on is None:
        return "行政处罚告知书未送达。"
    if x.waiver is None:
        row = x.deadlines.get("defence_statement")
        if row is not None and x.today <= row.due:
            return f"陈述申辩期限至{row.due:%Y年%-m月%-d日}届满；当事人未书面放弃的，期限届满前不得作出决定（{row.article}）。"
    if x.hearing is not None:
        if not x.hearing.outcome:
            return "当事人已申请听证，听证结束前不得作出决定（《中华人民共和国行政处罚法》第六十四条）。"
    elif x.notice.hearing_offered and not (x.waiver and x.waiver.waives_hearing):
        row = x.deadlines.get("hearing_request")
        if row is not None and x.today <= row.due:
            return f"申请听证期限至{row.due:%Y年%-m月%-d日}届满，期限届满前不得作出决定（{row.article}）。"
    if x.unreviewed:
        return "当事人的陈述申辩尚未复核（《中华人民共和国行政处罚法》第四十五条）。"
    return ""


@dataclass(frozen=True)
class Step:
    slug: str
    label: str
    roles: tuple[str, ...]
    statuses: frozenset[str]
    form: type[f.CaseForm]
    call: Callable[[Any, Case, f.CaseForm], Any]
    target: str | None = None  # the status the step moves to (checked against CASE_TRANSITIONS)
    other_than: tuple[str, ...] = ()  # the case fields naming who may not take the step (require_other_person)
    head: bool = False  # only the agency head that day
    when: Callable[[Case, Facts], bool] | None = None
    button: str = "btn-outline-primary"
    multipart: bool = False
    intro: str = ""


def _d(form: f.CaseForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values]


def _propose(user: Any, case: Case, form: f.CaseForm) -> Any:
    """``case_propose`` names a violation's fault ``violation_<id>``; the form shows it by that
    violation's amount field."""
    assert isinstance(form, f.ProposeForm)
    try:
        return services.case_propose(actor=user, case=case, items=form.items(), proposed_on=form.cleaned_data["proposed_on"])
    except ValidationFailed as exc:
        exc.fields = {(f"v{k.removeprefix('violation_')}_amount" if k.startswith("violation_") else k): v for k, v in exc.fields.items()}
        raise


W, A, OFFICE = services.WRITE_ROLES, services.APPROVE_ROLES, (Role.OFFICE,)
STEPS: list[Step] = [
    Step("file", "立案审批", A, frozenset({CaseStatus.DRAFT}), f.FileForm, lambda u, c, fm: services.case_file(actor=u, case=c, **_d(fm)),
         target=CaseStatus.FILED, other_than=("opened_by",), button="btn-primary", intro="立案申请人以外的科室负责人或局领导审批立案（行政处罚法第五十四条）。"),
    Step("violation", "登记违法行为", W, frozenset({CaseStatus.DRAFT, CaseStatus.FILED}), f.ViolationForm,
         lambda u, c, fm: services.case_violation_add(actor=u, case=c, **_d(fm))),
    Step("officers", "指派承办人员", W + A, frozenset(OPENING), f.OfficersForm,
         lambda u, c, fm: services.case_assign_officers(actor=u, case=c, staff_ids=_ids(fm.cleaned_data["staff_ids"]), on=fm.cleaned_data["on"]),
         intro="执法人员不得少于两人，并持有效执法证（行政处罚法第四十二条）。"),
    Step("propose", "拟处罚意见", W, PROPOSAL_STATUSES, f.ProposeForm, lambda u, c, fm: _propose(u, c, fm),
         when=lambda c, x: x.violations > 0, button="btn-primary"),
    Step("notice", "制作行政处罚告知书", W, frozenset({CaseStatus.FILED}), f.NoticeForm, lambda u, c, fm: services.notice_issue(actor=u, case=c, **_d(fm)),
         target=CaseStatus.NOTICE_ISSUED, when=lambda c, x: c.proposed_on is not None and x.violations > 0, button="btn-primary"),
    Step("notice-served", "登记告知书送达", W + OFFICE, frozenset({CaseStatus.NOTICE_ISSUED}), f.ServedForm,
         lambda u, c, fm: services.notice_served(actor=u, case=c, **_d(fm)), target=CaseStatus.NOTICE_SERVED, button="btn-primary"),
    Step("defence", "记录陈述申辩", W, frozenset(DEADLINE_STATES), f.DefenceForm, lambda u, c, fm: services.defence_record(actor=u, case=c, **_d(fm))),
    Step("defence-review", "复核陈述申辩", W, frozenset(DEADLINE_STATES), f.DefenceReviewForm,
         lambda u, c, fm: services.defence_review(actor=u, statement=c.statements.get(pk=fm.cleaned_data["statement"]), review=fm.cleaned_data["review"]),
         when=lambda c, x: x.unreviewed > 0),
    Step("waiver", "登记放弃陈述申辩声明", W, frozenset({CaseStatus.NOTICE_SERVED}), f.WaiverForm,
         lambda u, c, fm: services.waiver_record(actor=u, case=c, signed_on=fm.cleaned_data["signed_on"], signer=fm.cleaned_data["signer"],
                                                 waives_hearing=fm.cleaned_data["waives_hearing"], fh=fm.cleaned_data["file"], name=fm.cleaned_data["file"].name),
         when=lambda c, x: x.waiver is None, multipart=True),
    Step("hearing-request", "登记听证申请", W, frozenset({CaseStatus.NOTICE_SERVED}), f.HearingRequestForm,
         lambda u, c, fm: services.hearing_request(actor=u, case=c, **_d(fm)), target=CaseStatus.HEARING,
         when=lambda c, x: bool(x.notice and x.notice.hearing_offered and x.hearing is None)),
    Step("hearing-notice", "通知听证", W, frozenset({CaseStatus.HEARING}), f.HearingNoticeForm,
         lambda u, c, fm: services.hearing_notice(actor=u, case=c, **{**_d(fm), "chair": f.agency_staff(c).get(pk=fm.cleaned_data["chair"])}),
         when=lambda c, x: bool(x.hearing and not x.hearing.outcome and x.hearing.hearing_date is None)),
    Step("hearing-held", "登记听证结果", W, frozenset({CaseStatus.HEARING}), f.HearingHeldForm,
         lambda u, c, fm: services.hearing_held(actor=u, case=c, **_d(fm)), when=lambda c, x: bool(x.hearing and not x.hearing.outcome)),
    Step("legal-review", "法制审核", (Role.LEGAL_REVIEWER,), frozenset({CaseStatus.FILED, *DEADLINE_STATES}), f.LegalReviewForm,
         lambda u, c, fm: services.legal_review_record(actor=u, case=c, **_d(fm)), other_than=("proposed_by",), when=lambda c, x: c.proposed_by_id is not None),
    Step("collective", "集体讨论", (Role.LEADER, Role.OFFICE, Role.DEPT_HEAD), frozenset({CaseStatus.FILED, *DEADLINE_STATES}), f.CollectiveForm,
         lambda u, c, fm: services.collective_discussion_record(actor=u, case=c, **{**_d(fm), "attendee_ids": _ids(fm.cleaned_data["attendee_ids"])}),
         when=lambda c, x: c.proposed_by_id is not None),
    Step("extension", "申请延长办案期限", W, frozenset(OPENING), f.ExtensionForm, lambda u, c, fm: services.extension_request(actor=u, case=c, **_d(fm)),
         when=lambda c, x: x.pending_extensions == 0),
    Step("extension-decide", "审批延长办案期限", (Role.LEADER,), frozenset(OPENING), f.ExtensionDecideForm,
         lambda u, c, fm: services.extension_decide(actor=u, extension=c.extensions.get(pk=fm.cleaned_data["extension"]), approved=fm.cleaned_data["approved"], decided_on=fm.cleaned_data["decided_on"]),
         head=True, when=lambda c, x: x.pending_extensions > 0),
    Step("decide", "作出处罚决定", (Role.LEADER,), frozenset(DEADLINE_STATES), f.DecideForm, lambda u, c, fm: services.decision_make(actor=u, case=c, **_d(fm)),
         target=CaseStatus.DECIDED, other_than=("proposed_by",), head=True, when=lambda c, x: not decision_wait(c, x), button="btn-primary",
         intro="机关负责人决定；拟处罚意见提出人不得决定（行政处罚法第五十七条）。"),
    Step("decision-served", "登记决定书送达", W + OFFICE, frozenset({CaseStatus.DECIDED}), f.ServedForm,
         lambda u, c, fm: services.decision_served(actor=u, case=c, **_d(fm)), target=CaseStatus.SERVED, button="btn-primary"),
    Step("payment", "登记罚款缴纳", W + OFFICE, frozenset({CaseStatus.SERVED}), f.PaymentForm, lambda u, c, fm: services.payment_record(actor=u, case=c, **_d(fm)),
         target=CaseStatus.EXECUTED, when=lambda c, x: bool(c.fine_total), button="btn-primary"),
    Step("handover", "登记当场收缴罚款交款", W + OFFICE, frozenset(CaseStatus.values), f.HandoverForm,
         lambda u, c, fm: services.onsite_handover_record(actor=u, case=c, **_d(fm)), when=lambda c, x: x.onsite_unhanded),
    Step("no-penalty", "不予行政处罚", (Role.LEADER,), frozenset({CaseStatus.FILED, *DEADLINE_STATES}), f.NoPenaltyForm,
         lambda u, c, fm: services.case_no_penalty(actor=u, case=c, **_d(fm)), target=CaseStatus.NO_PENALTY, other_than=("proposed_by", "opened_by"), head=True,
         button="btn-outline-secondary"),
    Step("refer", "移送司法机关", (Role.LEADER,), frozenset({CaseStatus.FILED, *DEADLINE_STATES}), f.ReferForm,
         lambda u, c, fm: services.case_refer(actor=u, case=c, **_d(fm)), target=CaseStatus.REFERRED, other_than=("proposed_by", "opened_by"), head=True,
         button="btn-outline-secondary"),
    Step("withdraw", "不予立案／撤销立案", A, frozenset({CaseStatus.DRAFT, CaseStatus.FILED}), f.WithdrawForm,
         lambda u, c, fm: services.case_withdraw(actor=u, case=c, **_d(fm)), target=CaseStatus.WITHDRAWN, other_than=("opened_by",), button="btn-outline-danger"),
    Step("close", "结案审批", A, frozenset({CaseStatus.EXECUTED, CaseStatus.NO_PENALTY, CaseStatus.REFERRED}), f.CloseForm,
         lambda u, c, fm: services.case_close(actor=u, case=c, **_d(fm)), target=CaseStatus.CLOSED, other_than=("proposed_by", "opened_by"), button="btn-primary"),
    Step("recusal", "申请回避", W + A, frozenset(OPENING), f.RecusalForm,
         lambda u, c, fm: services.recusal_request(actor=u, case=c, **{**_d(fm), "staff": c.officers.get(pk=fm.cleaned_data["staff"])}),
         button="btn-outline-secondary"),
    Step("recusal-decide", "回避决定", (Role.LEADER,), frozenset(OPENING), f.RecusalDecideForm,
         lambda u, c, fm: services.recusal_decide(actor=u, recusal=c.recusals.get(pk=fm.cleaned_data["recusal"]), granted=fm.cleaned_data["granted"], decided_on=fm.cleaned_data["decided_on"]),
         head=True, when=lambda c, x: x.pending_recusals > 0),
]  # fmt: skip
STEP_BY_SLUG = {s.slug: s for s in STEPS}


def _other_person(case: Case, names: tuple[str, ...], user: Any) -> bool:
    """``require_other_person`` reads the first set field of ``names`` (``proposed_by or opened_by``)."""
    for n in names:
        who = getattr(case, f"{n}_id")
        if who is not None:
            return bool(who != user.pk)
    return True


def step_allowed(step: Step, user: Any, case: Case, facts: Facts) -> bool:
    scope = scope_for(user)
    if case.status not in step.statuses or scope.agency_id != case.owner_agency_id or not scope.has_role(*step.roles):
        return False
    if step.target is not None and step.target not in CASE_TRANSITIONS[case.status]:
        return False
    if step.other_than and not _other_person(case, step.other_than, user):
        return False
    if step.head and not facts.is_head:
        return False
    return step.when is None or step.when(case, facts)


def available_steps(user: Any, case: Case, facts: Facts | None = None) -> list[Step]:
    """The steps this user can take on this case now, in the order of the procedure."""
    facts = facts or case_facts(case, user)
    return [s for s in STEPS if step_allowed(s, user, case, facts)]


# --- lists ---------------------------------------------------------------------------------------------
def _officer_options(scope: Scope) -> list[tuple[str, str]]:
    return [(k, v.split("（")[0]) for k, v in officer_choices(scope)]


def case_queryset(user: Any, filters: dict[str, Any], today: dt.date) -> QuerySet[Case]:
    qs = selectors.case_list(user=user, filters={k: filters.get(k) for k in ("status", "q")})
    if filters.get("procedure"):
        qs = qs.filter(procedure=filters["procedure"])
    if filters.get("officer"):
        qs = qs.filter(Exists(CaseOfficer.objects.filter(case=OuterRef("pk"), staff_id=filters["officer"], active=True)))
    if filters.get("overdue"):
        qs = qs.filter(status__in=OPEN_STATUSES, next_due__lt=today)
    return qs


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    today = timezone.localdate()
    form = f.CaseFilterForm(request.GET, officers=_officer_options(scope))
    filters = form.filters()
    page = Paginator(case_queryset(request.user, filters, today), PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"form": form, "page": page, "filters": filters, "today": today, "may_open": scope.has_role(*services.WRITE_ROLES)}
    return render(request, "cases/list.html", ctx)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    wide = scope.has_role(*WIDE_ROLES)
    page_no = max(1, min(int(request.GET["page"]) if request.GET.get("page", "").isdigit() and len(request.GET["page"]) < 7 else 1, 100000))
    total, rows = selectors.deadline_board(user=request.user, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE, staff_id=None if wide else (scope.staff_id or 0))
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    ctx = {
        "rows": rows,
        "total": total,
        "wide": wide,
        "page_no": page_no,
        "pages": pages,
        "prev": page_no - 1 if page_no > 1 else None,
        "next": page_no + 1 if page_no < pages else None,
    }
    return render(request, "cases/board.html", ctx)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """待立案: hazards flagged by the overdue sweep, transfers accepted with no case, transfers to accept."""
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    hazards = list(selectors.hazards_awaiting_case(user=request.user)[:500])
    has_case = Case.objects.filter(transfer=OuterRef("pk")).exclude(status=CaseStatus.WITHDRAWN)
    transfers = (
        Transfer.objects.for_user(request.user)
        .filter(owner_agency_id=scope.agency_id or 0)
        .select_related("enterprise", "from_department", "to_department", "sent_by")
        .order_by("sent_at", "id")
    )
    accepted = list(transfers.filter(status=TransferStatus.ACCEPTED).filter(~Exists(has_case))[:500])
    pending = list(transfers.filter(status=TransferStatus.PENDING)[:500])
    mine = _my_departments(request.user)
    for t in pending:
        t.may_accept = scope.has_role(*services.WRITE_ROLES) and hazard_services.may_decide_transfer(request.user, t, in_receiving_team=t.to_department_id in mine)  # type: ignore[attr-defined]
    ctx = {"hazards": hazards, "accepted": accepted, "pending": pending, "may_open": scope.has_role(*services.WRITE_ROLES)}
    return render(request, "cases/queue.html", ctx)


# --- opening -------------------------------------------------------------------------------------------
def _enterprise_options(user: Any) -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Enterprise.objects.for_user(user).order_by("name", "id").values_list("pk", "name")[:2000]]


def _accident_options(user: Any, scope: Scope) -> list[tuple[str, str]]:
    rows = Accident.objects.for_user(user).filter(owner_agency_id=scope.agency_id or 0).select_related("enterprise")[:500]
    return [(str(a.pk), f"{a.enterprise.name} {a.occurred_on:%Y-%m-%d}（{a.grade}）") for a in rows]


def _replayed(request: HttpRequest, operation: str) -> Case | None:
    key = request.POST.get(idempotency.FORM_FIELD) if request.method == "POST" else None
    first = idempotency.replayed(actor=request.user, operation=operation, key=key, model=Case)
    if first is not None:
        messages.info(request, "该表单已提交过，未重复办理。")
    return first


def _once(request: HttpRequest, operation: str, do: Callable[[], Case]) -> Case:
    case, _ = idempotency.once(actor=request.user, operation=operation, key=request.POST.get(idempotency.FORM_FIELD), model=Case, do=do)
    return case


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case (立案申请) from a transfer, a flagged hazard, a finding, an accident, a referral or another source."""
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    if not scope.has_role(*services.WRITE_ROLES):
        return refused(request, "您的角色不能办理立案申请。", reverse("cases:list"))
    first = _replayed(request, "case.open")
    if first is not None:
        return redirect("cases:detail", pk=first.pk)
    src = request.POST if request.method == "POST" else request.GET
    linked: dict[str, Any] = {}
    for name, model in (("transfer", Transfer), ("hazard", Hazard), ("finding", Finding)):
        if src.get(name):
            linked[name] = get_for_user(model.objects.select_related("enterprise"), request.user, src[name])
    source = src.get("source") or next(iter(linked), CaseSource.OTHER)
    obj = next(iter(linked.values()), None)
    initial: dict[str, Any] = {"source": source, **{k: v.pk for k, v in linked.items()}}
    if obj is not None:
        initial["enterprise"] = str(obj.enterprise_id)
        initial["facts"] = getattr(obj, "facts", "") or getattr(obj, "description", "")
    form = f.CaseOpenForm(request.POST or None, initial=initial, enterprises=_enterprise_options(request.user), accidents=_accident_options(request.user, scope))
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ent = get_for_user(Enterprise.objects.all(), request.user, d["enterprise"]) if d["enterprise"] else None
        acc = get_for_user(Accident.objects.select_related("enterprise"), request.user, d["accident"]) if d["accident"] else None
        s = d["source"]
        case, error, status = call_service(
            form,
            lambda: _once(request, "case.open", lambda: services.case_open(
                actor=request.user, source=s, title=d["title"], facts=d["facts"], discovered_on=d["discovered_on"], enterprise=ent,
                person_name=d["person_name"], person_id_number=d["person_id_number"], person_position=d["person_position"], person_address=d["person_address"],
                transfer=linked.get("transfer") if s == CaseSource.TRANSFER else None, hazard=linked.get("hazard") if s == CaseSource.HAZARD else None,
                finding=linked.get("finding") if s == CaseSource.FINDING else None, accident=acc if s == CaseSource.ACCIDENT else None,
                source_reason=d["source_reason"], complex_case=d["complex_case"], major_public_interest=d["major_public_interest"], serious_violation=d["serious_violation"],
            )),
        )  # fmt: skip
        if case is not None:
            messages.success(request, "已登记立案申请。下一步：由立案申请人以外的负责人审批立案。")
            return redirect("cases:detail", pk=case.pk)
    ctx = {"form": form, "linked": obj, "domain_error": error, "form_key": request.POST.get(idempotency.FORM_FIELD) or idempotency.new_key()}
    return render(request, "cases/new.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a transfer into the enforcement team and open its case in one step."""
    t = get_for_user(Transfer.objects.select_related("enterprise", "from_department", "to_department"), request.user, pk)
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    first = _replayed(request, "case.transfer_accept")
    if first is not None:
        return redirect("cases:detail", pk=first.pk)
    if not scope.has_role(*services.WRITE_ROLES) or not hazard_services.may_decide_transfer(request.user, t, in_receiving_team=t.to_department_id in _my_departments(request.user)):
        why = f"该移交{t.get_status_display()}。" if t.status != TransferStatus.PENDING else f"移交由{t.to_department.name}接收，且移交人不能接收自己的移交。"
        return refused(request, f"您不能接收该移交：{why}", reverse("cases:queue"))
    form = f.TransferAcceptForm(request.POST or None, initial={"facts": t.facts})
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case, error, status = call_service(
            form, lambda: _once(request, "case.transfer_accept", lambda: services.transfer_accept_into_case(actor=request.user, transfer=t, title=d["title"], facts=d["facts"]))
        )
        if case is not None:
            messages.success(request, "已接收移交并登记立案申请。下一步：由立案申请人以外的负责人审批立案。")
            return redirect("cases:detail", pk=case.pk)
    ctx = {"form": form, "transfer": t, "domain_error": error, "form_key": request.POST.get(idempotency.FORM_FIELD) or idempotency.new_key()}
    return render(request, "cases/transfer_accept.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def accident_new(request: HttpRequest) -> HttpResponse:
    """Record an accident: the grade is computed (事故条例第三条) and the fine ranges are shown."""
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    if not scope.has_role(*services.WRITE_ROLES, *services.APPROVE_ROLES):
        return refused(request, "您的角色不能录入事故。", reverse("cases:list"))
    form = f.AccidentForm(request.POST or None, enterprises=_enterprise_options(request.user))
    error, status, result = None, 200, None
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        ent = get_for_user(Enterprise.objects.all(), request.user, d.pop("enterprise"))
        acc, error, status = call_service(form, lambda: services.accident_record(actor=request.user, enterprise=ent, **d))
        if acc is not None:
            result = {"accident": acc, **services.accident_ranges(acc)}
            messages.success(request, f"已录入事故，事故等级：{result['grade_label']}。")
    ctx = {"form": form, "domain_error": error, "result": result}
    return render(request, "cases/accident.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def summary_new(request: HttpRequest) -> HttpResponse:
    """简易程序: decided and handed over on the spot (行政处罚法第五十一条、第五十二条)."""
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    if not scope.has_role(*services.WRITE_ROLES):
        return refused(request, "您的角色不能适用简易程序作出处罚。", reverse("cases:list"))
    first = _replayed(request, "case.summary")
    if first is not None:
        return redirect("cases:detail", pk=first.pk)
    form = f.SummaryForm(request.POST or None, enterprises=_enterprise_options(request.user), officers=officer_choices(scope))
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        ent = get_for_user(Enterprise.objects.all(), request.user, d.pop("enterprise")) if d["enterprise"] else None
        d.pop("enterprise", None)
        d["officer_ids"] = _ids(d["officer_ids"])
        case, error, status = call_service(form, lambda: _once(request, "case.summary", lambda: services.case_summary_decide(actor=request.user, enterprise=ent, **d)))
        if case is not None:
            messages.success(request, "已当场作出行政处罚决定。")
            return redirect("cases:detail", pk=case.pk)
    ctx = {"form": form, "domain_error": error, "form_key": request.POST.get(idempotency.FORM_FIELD) or idempotency.new_key()}
    return render(request, "cases/summary.html", ctx, status=status)


# --- the case page -------------------------------------------------------------------------------------
@dataclass
class DeadlineView:
    row: CaseDeadline
    days_left: int
    overdue: bool


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.case_get(user=request.user, pk=pk)
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    today = timezone.localdate()
    facts = case_facts(c, request.user, today)
    steps = list(c.steps.all())
    doc_ids = {s.document_id for s in steps if s.document_id}
    docs = {d.pk: d for d in IssuedDocument.objects.filter(pk__in=doc_ids)}
    for s in steps:
        s.doc = docs.get(s.document_id) if s.document_id else None  # type: ignore[attr-defined]
        s.doc_url = download_url(s.doc) if s.doc else ""  # type: ignore[attr-defined]
    deadlines = [DeadlineView(d, (d.due - today).days, d.met_on is None and d.due < today) for d in c.deadlines.all()]
    label, _code = NEXT_STEP.get(c.status, ("", None))
    violations = list(c.violations.all())
    for v in violations:
        v.band_label = Band(v.band).label if v.band in Band.__members__.values() else v.band  # type: ignore[attr-defined]
    ctx = {
        "case": c,
        "today": today,
        "steps": steps,
        "deadlines": deadlines,
        # Deadlines withdrawn with an erroneous proof of service, awaiting the correct one (行政处罚法 §61).
        "withdrawn": pending_withdrawn(c),
        "officers": list(c.officer_rows.all()),
        "violations": violations,
        "notices": list(c.notices.all()),
        "statements": list(c.statements.order_by("received_on", "id")),
        "waivers": list(c.waivers.order_by("signed_on", "id")),
        "hearings": list(c.hearings.select_related("chair").order_by("id")),
        "reviews": list(c.legal_reviews.select_related("reviewer").order_by("reviewed_on", "id")),
        "discussions": list(c.discussions.order_by("held_on", "id")),
        "extensions": list(c.extensions.select_related("approver").order_by("requested_on", "id")),
        "recusals": list(c.recusals.select_related("staff", "decided_by").order_by("requested_on", "id")),
        "payments": list(c.payments.order_by("paid_on", "id")),
        "actions": available_steps(request.user, c, facts),
        "next_label": label,
        "waiting": decision_wait(c, facts) if c.status in DEADLINE_STATES else "",
    }
    return render(request, "cases/detail.html", ctx)


# --- one form page per step ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def step_page(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    c = selectors.case_get(user=request.user, pk=pk)
    step = STEP_BY_SLUG.get(slug)
    if step is None:
        raise NotFound()
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    back = reverse("cases:detail", args=[c.pk])
    operation = f"case.{slug}"
    if request.method == "POST" and idempotency.replayed(actor=request.user, operation=operation, key=request.POST.get(idempotency.FORM_FIELD), model=Case):
        messages.info(request, "该表单已提交过，未重复办理。")
        return redirect(back)
    facts = case_facts(c, request.user)
    if not step_allowed(step, request.user, c, facts):
        reason = decision_wait(c, facts) if slug == "decide" else ""
        return refused(request, f"您现在不能办理“{step.label}”：案件当前为“{c.get_status_display()}”。{reason}", back)
    form = step.form(request.POST or None, request.FILES or None, case=c)
    error: DomainError | None = None
    status = 200
    if request.method == "POST" and form.is_valid():

        def do() -> Case:
            step.call(request.user, c, form)
            return c

        done, error, status = call_service(form, lambda: _once(request, operation, do))
        if done is not None:
            messages.success(request, f"已办理：{step.label}。")
            return redirect(back)
    extra: dict[str, Any] = {}
    if slug == "payment" and c.fine_total:
        fine, surcharge = services.amount_due(c, timezone.localdate())
        extra["due"] = {"fine": fine, "surcharge": surcharge, "total": fine + surcharge}
    if slug == "decide":
        extra["violations"] = list(c.violations.all())
    if isinstance(form, f.ProposeForm):
        extra["groups"] = [(v, [form[n] for n in names]) for v, names in form.rows]
    ctx = {"case": c, "step": step, "form": form, "domain_error": error, "back": back, "form_key": request.POST.get(idempotency.FORM_FIELD) or idempotency.new_key(), **extra}
    return render(request, "cases/step.html", ctx, status=status)
