"""Complaints and reports pages: the list, registering a letter/call/visit, the submission page
(the procedure, the clocks with their articles, the findings, the history) and one form page per
step. Thin: forms check shape, ``complaints.services`` decides and writes. ``available_steps``
shows only the buttons this user can use now (state, role or handler, the other person an
approval needs), so a button never leads to a certain 403/409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from anjian.complaints import clocks, records, reports, selectors, services
from anjian.complaints import forms as f
from anjian.complaints.choices import HANDLING, TRANSITIONS, ExtensionStatus, Status, ground_label
from anjian.complaints.models import RewardRange, Submission
from anjian.core import audit
from anjian.core.duties import is_same_person
from anjian.core.errors import DomainError, NotFound
from anjian.core.scoping import Scope, scope_for
from anjian.core.ui import call_service, refused
from anjian.inspections.views import download_url
from anjian.org.choices import Role

PAGE_SIZE = 50


def _guard(request: HttpRequest) -> Scope | HttpResponse:
    scope = scope_for(request.user)
    if not selectors.may_use(scope):
        return refused(request, "您的账号不办理投诉举报。", reverse("home"))
    return scope


# --- the steps ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    slug: str
    label: str
    roles: tuple[str, ...]
    statuses: frozenset[str]
    form: type[f.StepForm]
    call: Callable[[Any, Submission, dict[str, Any]], Any]
    handler_ok: bool = False  # the assigned handler may take it too
    target: str | None = None
    other_than: str = ""  # the field naming who may not take it (require_other_person)
    when: Callable[[Submission], bool] | None = None
    button: str = "btn-outline-primary"
    intro: str = ""


def _ids(values: Any) -> list[int]:
    return [int(v) for v in values]


OF, LD = (Role.OFFICE,), (Role.LEADER,)
STEPS: list[Step] = [
    Step("accept", "受理", OF, frozenset({Status.REGISTERED}), f.AcceptForm, lambda u, s, d: services.submission_accept(actor=u, submission=s, **d),
         target=Status.ACCEPTED, button="btn-primary", intro="自收到之日起十五日内决定是否受理并告知（《信访工作条例》第二十二条、第二十三条）。"),
    Step("decline", "不予受理／转送", OF, frozenset({Status.REGISTERED}), f.DeclineForm, lambda u, s, d: services.submission_decline(actor=u, submission=s, **d),
         button="btn-outline-secondary", intro="重复投诉举报、已经或者依法应当通过复议诉讼解决的不予受理；不属于本机关职责的，出具转送函转送有权处理的机关。"),
    Step("assign", "交办", OF, frozenset({Status.ACCEPTED, Status.INVESTIGATING}), f.AssignForm,
         lambda u, s, d: services.submission_assign(actor=u, submission=s, handler_id=d["handler_id"], department_ids=_ids(d["department_ids"]), assigned_on=d["assigned_on"]),
         button="btn-primary", intro="办公室会同有关科室调查处理（《行政执法投诉举报制度》第四条）；被投诉人员不能承办。"),
    Step("finding", "记录逐项调查结论", OF, frozenset({Status.INVESTIGATING}), f.FindingForm, lambda u, s, d: services.finding_record(actor=u, submission=s, **d), handler_ok=True),
    Step("draft", "拟定处理意见", OF, frozenset({Status.INVESTIGATING}), f.DraftForm, lambda u, s, d: services.result_draft(actor=u, submission=s, **d),
         handler_ok=True, target=Status.DRAFTED, button="btn-primary", when=lambda s: s.findings.count() >= len(s.grounds)),
    Step("outcome", "记录处理结果", OF, frozenset({Status.INVESTIGATING, Status.DRAFTED, Status.APPROVED}), f.OutcomeForm,
         lambda u, s, d: services.outcome_record(actor=u, submission=s, **d), handler_ok=True,
         when=lambda s: s.kind == "complaint" and s.findings.filter(substantiated=True).exists(),
         intro="对调查属实的，及时纠正；严重侵害权益的移送过错责任追究；不文明执法的，要求执法人员解释清楚并赔礼道歉（《行政执法投诉举报制度》第六条至第八条）。"),
    Step("approve", "审批处理意见", LD, frozenset({Status.DRAFTED}), f.ApproveForm, lambda u, s, d: services.result_approve(actor=u, submission=s, **d),
         other_than="drafted_by", button="btn-primary", intro="调查处理结果报请局领导同意后答复（《行政执法投诉举报制度》第五条）；拟稿人不能审批。"),
    Step("verify", "转现场核查", OF, frozenset({Status.INVESTIGATING}), f.VerifyForm,
         lambda u, s, d: services.report_verify(actor=u, submission=s, enterprise_id=d.get("enterprise_id"), officer_ids=_ids(d["officer_ids"]), inspected_on=d["inspected_on"], place=d["place"]),
         handler_ok=True, when=lambda s: s.kind == "report" and s.verification_id is None, intro="安全生产举报需要现场核实的，建立“投诉举报核查”类型的监督检查，核查发现的问题和隐患按检查程序办理。"),
    Step("inquiry", "书面函询", OF, frozenset({Status.INVESTIGATING}), f.InquiryForm, lambda u, s, d: reports.inquiry_send(actor=u, submission=s, **d),
         handler_ok=True, when=lambda s: s.kind == "report" and s.inquiry_sent_on is None and s.verification_id is None,
         intro="不需要现场核查的，可以书面函询被举报单位，要求其书面说明情况；单位回复后据实处理。"),
    Step("inquiry-answer", "登记单位书面回复", OF, frozenset({Status.INVESTIGATING}), f.InquiryAnswerForm, lambda u, s, d: reports.inquiry_answer(actor=u, submission=s, **d),
         handler_ok=True, when=lambda s: s.kind == "report" and s.inquiry_sent_on is not None and s.inquiry_answered_on is None),
    Step("hazard", "登记核实的隐患", OF, frozenset({Status.INVESTIGATING}), f.HazardForm, lambda u, s, d: reports.hazard_register(actor=u, submission=s, **d),
         handler_ok=True, when=lambda s: s.kind == "report" and s.enterprise_id is not None and (s.verification_id is not None or s.inquiry_answered_on is not None),
         intro="举报经核实存在事故隐患的，登记隐患（来源“举报核查”），按隐患排查治理程序督促整改；现场核查发现的隐患在核查检查中登记。"),
    Step("transfer", "移交执法队伍", OF, frozenset({Status.INVESTIGATING, Status.DRAFTED, Status.APPROVED, Status.REPLIED}), f.TransferForm,
         lambda u, s, d: reports.transfer_to_enforcement(actor=u, submission=s, **d), handler_ok=True,
         when=lambda s: s.kind == "report" and s.enterprise_id is not None and not s.transfers.exclude(status="returned").exists()
         and (s.hazards.exists() or (s.verification is not None and s.verification.findings.exists())),
         intro="举报核实的违法行为需要行政处罚的，移交执法队伍立案查处（局队合一），查处情况在本页显示。"),
    Step("reward", "提出举报奖励", OF, frozenset(reports.REWARDABLE), f.RewardForm, lambda u, s, d: reports.reward_propose(actor=u, submission=s, **d), handler_ok=True,
         when=lambda s: s.kind == "report" and not s.anonymous and not hasattr(s, "reward") and s.findings.filter(substantiated=True).exists(),
         intro="对举报属实的实名举报人给予奖励，金额在本机关举报奖励标准范围内（《中华人民共和国安全生产法》第七十三条第三款）。"),
    Step("reward-decide", "审批举报奖励", LD, frozenset(Status.values), f.RewardDecideForm, lambda u, s, d: reports.reward_decide(actor=u, submission=s, **d),
         other_than="reward.proposed_by", when=lambda s: hasattr(s, "reward") and s.reward.status == "proposed"),
    Step("reward-pay", "登记奖励发放", OF, frozenset(Status.values), f.RewardPaidForm, lambda u, s, d: reports.reward_paid(actor=u, submission=s, **d),
         when=lambda s: hasattr(s, "reward") and s.reward.status == "approved", button="btn-outline-secondary"),
    Step("extension", "申请延长办理期限", OF, frozenset(HANDLING), f.ExtensionForm, lambda u, s, d: services.extension_request(actor=u, submission=s, **d),
         handler_ok=True, when=lambda s: s.extension_status in (ExtensionStatus.NONE, ExtensionStatus.REFUSED), button="btn-outline-secondary"),
    Step("extension-decide", "审批延长办理期限", LD, frozenset(HANDLING), f.ExtensionDecideForm, lambda u, s, d: services.extension_decide(actor=u, submission=s, **d),
         other_than="extension_requested_by", when=lambda s: s.extension_status == ExtensionStatus.PENDING),
    Step("reply", "答复（签发答复意见书）", OF, frozenset({Status.APPROVED}), f.ReplyForm,
         lambda u, s, d: services.submission_reply(actor=u, submission=s, replied_on=d["replied_on"], received_on=d.get("received_on"), late_reason=d.get("late_reason", "")),
         target=Status.REPLIED, button="btn-primary", intro="自受理之日起六十日内答复；经批准延长的，不超过三十日（《信访工作条例》第三十四条）。"),
    Step("review-request", "登记复查请求", OF, frozenset({Status.REPLIED}), f.RequestForm, lambda u, s, d: services.review_request(actor=u, submission=s, **d), target=Status.REVIEW),
    Step("review-answer", "登记复查意见", OF, frozenset({Status.REVIEW}), f.AnswerForm, lambda u, s, d: services.review_answer(actor=u, submission=s, **d), target=Status.REVIEWED),
    Step("re-review-request", "登记复核请求", OF, frozenset({Status.REVIEWED}), f.RequestForm, lambda u, s, d: services.re_review_request(actor=u, submission=s, **d), target=Status.RE_REVIEW),
    Step("re-review-answer", "登记复核意见", OF, frozenset({Status.RE_REVIEW}), f.AnswerForm, lambda u, s, d: services.re_review_answer(actor=u, submission=s, **d), target=Status.CLOSED),
    Step("close", "办结", OF, frozenset({Status.REPLIED, Status.REVIEWED}), f.CloseForm, lambda u, s, d: services.submission_close(actor=u, submission=s, **d),
         target=Status.CLOSED, button="btn-outline-secondary"),
]  # fmt: skip
STEP_BY_SLUG = {s.slug: s for s in STEPS}


def step_allowed(step: Step, user: Any, sub: Submission) -> bool:
    scope = scope_for(user)
    if sub.status not in step.statuses or scope.agency_id != sub.owner_agency_id:
        return False
    handler = step.handler_ok and scope.staff_id is not None and scope.staff_id == sub.handler_id
    if not (scope.has_role(*step.roles) or handler):
        return False
    if step.target is not None and step.target not in TRANSITIONS[sub.status]:
        return False
    if step.other_than and is_same_person(_attr(sub, step.other_than), user):
        return False
    return step.when is None or step.when(sub)


def _attr(obj: Any, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name, None)
    return obj


def available_steps(user: Any, sub: Submission) -> list[Step]:
    return [s for s in STEPS if step_allowed(s, user, sub)]


# --- pages ----------------------------------------------------------------------------------------
@login_required
def submission_list(request: HttpRequest) -> HttpResponse:
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    form = f.ListFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(selectors.submission_list(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"form": form, "page": page, "filters": filters, "may_register": scope.has_role(Role.OFFICE), "today": timezone.localdate()}
    return render(request, "complaints/list.html", ctx)


@login_required
def submission_new(request: HttpRequest) -> HttpResponse:
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    if not scope.has_role(Role.OFFICE):
        return refused(request, "投诉举报由办公室统一登记受理（《行政执法投诉举报制度》第四条）。", reverse("complaints:list"))
    form = f.RegisterForm(request.POST or None, agency_id=scope.agency_id)
    error: DomainError | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["officer_ids"] = _ids(d.get("officer_ids") or [])
        done, error, status = call_service(form, lambda: services.submission_register(actor=request.user, **d))
        if done is not None:
            sub, code = done
            # Shown once, after the transaction committed; never stored in the clear.
            return render(request, "complaints/registered.html", {"sub": sub, "code": code})
    return render(request, "complaints/new.html", {"form": form, "domain_error": error}, status=status)


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = selectors.submission_get(user=request.user, pk=pk)
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    today = timezone.localdate()
    events = list(audit.events_for(sub).order_by("at", "id"))
    for e in events:
        e.label = audit.ACTIONS.get(e.action, e.action)  # type: ignore[attr-defined]
    found = {x.ground: x for x in sub.findings.select_related("recorded_by")}
    grounds = [{"code": g, "label": ground_label(sub.kind, g), "finding": found.get(g)} for g in sub.grounds]
    ctx = {
        "sub": sub,
        "grounds": grounds,
        "clocks": [(c, c.overdue(today)) for c in clocks.clocks(sub)],
        "steps": available_steps(request.user, sub),
        "identity": selectors.may_see_identity(request.user, sub),
        "escalation": services.escalation_note(sub),
        "events": events,
        "departments": list(sub.departments.all()),
        "officers": list(sub.named_officers.all()),
        "attachments": list(sub.attachments.all()),
        "outcomes": list(sub.outcomes.select_related("officer", "case")),
        "records": records.for_submission(sub, today=today),
        "handling": reports.handling(sub) if sub.kind == "report" else None,
        "waiting": services.verification_open(sub) if sub.status == Status.INVESTIGATING else "",
        "reply_url": download_url(sub.reply_document) if sub.reply_document else "",
        "referral_url": download_url(sub.referral_document) if sub.referral_document else "",
        "today": today,
    }
    return render(request, "complaints/detail.html", ctx)


@login_required
def step_page(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    sub = selectors.submission_get(user=request.user, pk=pk)
    step = STEP_BY_SLUG.get(slug)
    if step is None:
        raise NotFound()
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    back = reverse("complaints:detail", args=[sub.pk])
    if not step_allowed(step, request.user, sub):
        return refused(request, f"您现在不能办理“{step.label}”：该投诉举报当前为“{sub.get_status_display()}”。", back)
    form = step.form(request.POST or None, submission=sub)
    error: DomainError | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        done, error, status = call_service(form, lambda: step.call(request.user, sub, dict(form.cleaned_data)))
        if done is not None:
            messages.success(request, f"已办理：{step.label}。")
            return redirect(back)
    return render(request, "complaints/step.html", {"sub": sub, "step": step, "form": form, "domain_error": error, "back": back}, status=status)


def due_text(day: dt.date | None) -> str:
    return f"{day:%Y年%-m月%-d日}" if day else "—"


@login_required
def reward_range(request: HttpRequest) -> HttpResponse:
    """The bureau's own reward range for verified named reports: its history, and a new dated
    range set by a leader of this bureau only (安全生产法第七十三条第三款; the amounts are CFG)."""
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    may_set = reports.may_set_range(request.user)
    form = f.RewardRangeForm(request.POST or None)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        if not may_set:
            return refused(request, "举报奖励标准由局领导设定。", reverse("complaints:reward-range"))
        if form.is_valid():
            done, error, status = call_service(form, lambda: reports.reward_range_set(actor=request.user, **form.cleaned_data))
            if done is not None:
                messages.success(request, "已设定举报奖励标准。")
                return redirect("complaints:reward-range")
    rows = RewardRange.objects.filter(agency_id=scope.agency_id).select_related("set_by").order_by("-effective_from", "-id")
    ctx = {"form": form, "rows": rows, "may_set": may_set, "current": reports.range_on(scope.agency_id or 0, timezone.localdate()), "domain_error": error}
    return render(request, "complaints/reward_range.html", ctx, status=status)
