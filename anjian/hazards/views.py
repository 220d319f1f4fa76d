"""Hazard-loop screens: lists, the hazard with its timeline, documents and action forms, measures,
transfers, the per-enterprise timeline and the two lists (两个清单).

Thin: forms check shape, services decide and write (``anjian.hazards.services``). A refused step
(DomainError) is shown next to its button with the article; PermissionRefused answers 403,
NotFound 404. The ``may_*`` flags only decide which forms to show.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from anjian.core import audit, idempotency
from anjian.core.duties import is_same_person
from anjian.core.errors import DomainError, NotFound, PermissionRefused
from anjian.core.ids import parse_id
from anjian.core.scoping import Scope, get_for_user, scope_for
from anjian.core.ui import call_service, refused
from anjian.documents import registry
from anjian.documents import services as documents
from anjian.documents.choices import DocumentStatus, ServiceStatus
from anjian.documents.models import IssuedDocument, ServiceRecord
from anjian.documents.services import DocumentExists
from anjian.enterprises import selectors as enterprise_selectors
from anjian.enterprises.models import Enterprise
from anjian.hazards import selectors, services
from anjian.hazards.choices import ApprovalStatus, ExtensionStatus, HazardStatus, MeasureStatus, Severity, TransferStatus
from anjian.hazards.forms import (
    DecideForm,
    DoneForm,
    ExtensionForm,
    HazardCreateForm,
    HazardFilterForm,
    InstitutionalForm,
    IssueForm,
    MeasureForm,
    OrderForm,
    ReinspectionDecideForm,
    ReinspectStartForm,
    ReportForm,
    RestartApplyForm,
    RestartReviewForm,
    ServeForm,
    SetAsideDecideForm,
    SetAsideWithdrawForm,
    SuperviseForm,
    TransferFilterForm,
    TransferReturnForm,
    TransferSendForm,
)
from anjian.hazards.models import DeadlineExtension, Hazard, HazardEvent, InstitutionalMeasure, Measure, Reinspection, RestartReview, SetAsideRequest, Transfer
from anjian.inspections import views as inspection_views
from anjian.inspections.choices import InspectionStatus
from anjian.inspections.models import Finding, Inspection
from anjian.inspections.views import download_url
from anjian.org.choices import Role

audit.ACTIONS.setdefault("hazards.two_lists_export", "导出两个清单")

PAGE_SIZE = 50
TIMELINE_LIMIT = 300


def refusal(errors: dict[str, Any] | None) -> DomainError | None:
    """A 403 refusal is shown at the top of the page: the form it came from is not shown to that user."""
    return next((e for e in (errors or {}).values() if isinstance(e, PermissionRefused)), None)


def may_write(scope: Scope, obj: Any) -> bool:
    return scope.agency_id == obj.owner_agency_id and scope.has_role(*services.WRITE_ROLES)


def may_approve(scope: Scope, obj: Any) -> bool:
    return scope.agency_id == obj.owner_agency_id and scope.has_role(*services.APPROVE_ROLES)


def _hazard(request: HttpRequest, pk: Any) -> Hazard:
    return selectors.hazard_get(user=request.user, pk=pk)  # NotFound is the 404 page (core.middleware)


def _enterprise(request: HttpRequest, pk: Any) -> Enterprise:
    return enterprise_selectors.enterprise_brief(user=request.user, pk=pk)


def _duration(delta: dt.timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    minutes = int(delta.total_seconds() % 3600 // 60)
    if days:
        return f"{days}天{hours}小时"
    return f"{hours}小时{minutes}分" if hours else f"{minutes}分钟"


# --- lists ---------------------------------------------------------------------------------------
@login_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    form = HazardFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(selectors.hazard_list(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    ent = Enterprise.objects.filter(pk=filters["enterprise"]).first() if filters.get("enterprise") else None
    may_register = ent is not None and services.may_register(scope, ent)
    # 待我审批: for the bureau's approvers, or anyone with a set-aside request named to them.
    may_see_approvals = scope.has_role(*services.APPROVE_ROLES) or selectors.set_aside_list(user=request.user, mine=True).exists()
    ctx = {"form": form, "page": page, "filters": filters, "today": timezone.localdate(), "may_register": may_register, "may_see_approvals": may_see_approvals}
    return render(request, "hazards/list.html", ctx)


# --- the hazard page -------------------------------------------------------------------------------
@dataclass
class DocRow:
    doc: IssuedDocument
    role: str
    download_url: str
    services: list[ServiceRecord]
    needs_service: bool = False  # a served kind, issued, with no effective proof of service
    starts_clock: bool = False  # the hazard's current order: its service starts the period
    form: Any = None
    error: DomainError | None = None


def _documents(h: Hazard, reinspections: list[Reinspection], measures: list[Measure]) -> list[DocRow]:
    wanted: list[tuple[int, str]] = []
    if h.order_document_id:
        wanted.append((h.order_document_id, "整改指令"))
    for r in reinspections:
        if r.opinion_document_id:
            wanted.append((r.opinion_document_id, "复查意见"))
    for m in measures:
        if m.decision_document_id:
            wanted.append((m.decision_document_id, "现场处理措施"))
    ids = list(dict.fromkeys(i for i, _ in wanted))
    docs = IssuedDocument.objects.filter(pk__in=ids).prefetch_related(Prefetch("service_records", queryset=ServiceRecord.objects.order_by("-recorded_at")))
    by_id = {d.pk: d for d in docs}
    seen: set[int] = set()
    rows = []
    for i, role in wanted:
        if i in seen or i not in by_id:
            continue
        seen.add(i)
        d = by_id[i]
        records = list(d.service_records.all())
        served_kind = registry.get(d.kind).served
        needs = served_kind and d.status == DocumentStatus.ISSUED and not any(r.status == ServiceStatus.EFFECTIVE for r in records)
        rows.append(DocRow(d, role, download_url(d), records, needs_service=needs, starts_clock=d.pk == h.order_document_id and h.served_on is None))
    return rows


def hazard_page(request: HttpRequest, h: Hazard, *, forms: dict[str, Any] | None = None, errors: dict[str, DomainError | None] | None = None, status: int = 200) -> HttpResponse:
    scope = scope_for(request.user)
    write, approve = may_write(scope, h), may_approve(scope, h)
    events = list(HazardEvent.objects.filter(hazard=h).select_related("actor__staff").order_by("at", "id"))
    labels = dict(HazardStatus.choices)
    for ev in events:
        ev.from_label, ev.to_label = labels.get(ev.from_status, ev.from_status), labels.get(ev.to_status, ev.to_status)  # type: ignore[attr-defined]
    reinspections = list(h.reinspections.select_related("inspection", "opinion_document").order_by("-id"))
    measures = list(h.measures.select_related("decision_document").prefetch_related("restart_reviews"))
    extensions = list(DeadlineExtension.objects.filter(hazard=h).select_related("decided_by").order_by("-requested_on", "-id"))
    docs = _documents(h, reinspections, measures)
    order_doc = next((d for d in docs if d.doc.pk == h.order_document_id), None)
    open_ = h.status != HazardStatus.CLOSED
    for row in docs:
        if write and row.needs_service:
            row.form = (forms or {}).get(f"serve-{row.doc.pk}") or ServeForm(prefix=f"s{row.doc.pk}")
            row.error = (errors or {}).get(f"serve-{row.doc.pk}")
    suggestion = services.measure_suggestion(h) if h.severity == Severity.MAJOR and open_ else None
    f = forms or {}
    show = {
        "order": write and h.status == HazardStatus.OPEN and not h.order_document_id,
        "report": write and h.status == HazardStatus.RECTIFYING and h.deadline is not None,
        "extension": write and h.status == HazardStatus.RECTIFYING and h.deadline is not None and not any(e.status == ExtensionStatus.PENDING for e in extensions),
        "reinspect": write and h.status in (HazardStatus.RECTIFYING, HazardStatus.REPORTED),
        "supervise": approve and h.severity == Severity.MAJOR and not h.supervised and open_,
        "measure": write and h.severity == Severity.MAJOR and open_,
        "close": services.may_close(scope, h),  # the predicate hazard_close enforces
        "transfer": write,
    }
    set_asides = list(SetAsideRequest.objects.filter(hazard=h).select_related("approver", "decided_by", "requested_by__staff").order_by("-requested_at", "-id"))
    for sa in set_asides:
        sa.hazard = h  # the predicate reads the hazard's bureau
        if services.may_decide_set_aside(request.user, sa):
            sa.form = f.get(f"setaside-{sa.pk}") or SetAsideDecideForm(prefix=f"sa{sa.pk}")  # type: ignore[attr-defined]
            sa.error = (errors or {}).get(f"setaside-{sa.pk}")  # type: ignore[attr-defined]
        if services.may_withdraw_set_aside(request.user, sa):
            sa.withdraw_form = f.get(f"setaside-withdraw-{sa.pk}") or SetAsideWithdrawForm(prefix=f"saw{sa.pk}")  # type: ignore[attr-defined]
            sa.withdraw_error = (errors or {}).get(f"setaside-withdraw-{sa.pk}")  # type: ignore[attr-defined]
    pending_reinspections = [r for r in reinspections if not r.result]
    for r in pending_reinspections:
        r.form = f.get(f"reinspection-{r.pk}") or ReinspectionDecideForm(prefix=f"r{r.pk}")  # type: ignore[attr-defined]
        r.error = (errors or {}).get(f"reinspection-{r.pk}")  # type: ignore[attr-defined]
    for r in reinspections:
        r.needs_opinion = bool(r.result) and not r.opinion_document_id  # type: ignore[attr-defined]
    for e in extensions:
        e.hazard = h
        if services.may_decide_extension(request.user, e):
            e.form = f.get(f"extension-{e.pk}") or DecideForm(prefix=f"e{e.pk}")  # type: ignore[attr-defined]
            e.error = (errors or {}).get(f"extension-{e.pk}")  # type: ignore[attr-defined]
    ctx = {
        "h": h,
        "ent": h.enterprise,
        "next_step": _next_step(h, docs, reinspections) if write else None,
        "events": events,
        "findings": list(h.findings.all()),
        "reports": list(h.reports.all()),
        "extensions": extensions,
        "set_asides": set_asides,
        "set_aside_approved": any(sa.status == ApprovalStatus.APPROVED for sa in set_asides),
        "reinspections": reinspections,
        "measures": measures,
        "documents": docs,
        "order_doc": order_doc,
        "transfers": list(h.transfers.select_related("to_department")),  # type: ignore[attr-defined]
        "suggestion": suggestion,
        "show": show,
        "may_write": write,
        "may_approve": approve,
        "today": timezone.localdate(),
        "report_form": f.get("report") or ReportForm(prefix="rp"),
        "extension_form": f.get("extension") or ExtensionForm(prefix="x"),
        "supervise_form": f.get("supervise") or SuperviseForm(prefix="sv"),
        "measure_form": f.get("measure") or MeasureForm(prefix="m", hazard=h, suggestion=suggestion),
        "opinion_form": f.get("opinion") or IssueForm(prefix="op"),
        "errors": errors or {},
        "domain_error": refusal(errors),
    }
    return render(request, "hazards/detail.html", ctx, status=status)


def _next_step(h: Hazard, docs: list[DocRow], reinspections: list[Reinspection]) -> dict[str, str] | None:
    """The step the loop waits for, shown at the top of the page (the phone puts the forms far below)."""
    detail = reverse("hazards:detail", args=[h.pk])
    pending = next((r for r in reinspections if not r.result), None)
    unissued = next((r for r in reinspections if r.result and not r.opinion_document_id), None)
    if unissued is not None:
        return {"text": "签发整改复查意见书", "href": detail + "#reinspections", "button": "去签发"}
    if h.status == HazardStatus.CLOSED:
        return None
    if h.status == HazardStatus.OPEN and not h.order_document_id:
        return {"text": "下达责令限期整改指令书", "href": reverse("hazards:order") + f"?hazard={h.pk}", "button": "下达指令"}
    if any(d.starts_clock and d.needs_service for d in docs):
        return {"text": "登记整改文书的送达：整改期限自送达之日起计算", "href": detail + "#documents", "button": "登记送达"}
    if pending is not None:
        field = reverse("inspections:field", args=[pending.inspection_id])
        if pending.inspection.status == InspectionStatus.DRAFT:
            return {"text": "填写复查检查表并完成复查", "href": field, "button": "填写复查"}
        return {"text": "登记复查结论", "href": detail + "#reinspections", "button": "登记结论"}
    if h.status == HazardStatus.REPORTED:
        return {"text": "单位已报告整改完成，开展整改复查", "href": reverse("hazards:reinspect") + f"?hazard={h.pk}", "button": "开始复查"}
    if h.status == HazardStatus.RECTIFYING and h.deadline:
        return {"text": f"整改期限{h.deadline:%Y-%m-%d}届满；单位报告整改完成后登记报告，再开展复查", "href": detail + "#report", "button": "登记报告"}
    return None


@login_required
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return hazard_page(request, _hazard(request, pk))


def _action(request: HttpRequest, pk: int, name: str, form: Any, fn: Callable[[Hazard, Any], Any], success: str, anchor: str = "") -> HttpResponse:
    """One action form on the hazard page: valid → service → redirect; otherwise the page again
    with the form's errors and the refusal next to its button."""
    h = _hazard(request, pk)
    form = form(h) if callable(form) else form
    error, status = None, 200
    if form.is_valid():
        done, error, status = call_service(form, lambda: fn(h, form.cleaned_data))
        if done is not None:
            messages.success(request, success)
            return redirect(reverse("hazards:detail", args=[h.pk]) + (f"#{anchor}" if anchor else ""))
    return hazard_page(request, h, forms={name: form}, errors={name: error}, status=status)


# --- register ------------------------------------------------------------------------------------
def _criterion_proposal(criterion_id: str) -> dict[str, Any] | None:
    """What the major-hazard criteria say about a finding's criterion (shown, never decided here)."""
    if not criterion_id:
        return None
    text = ""
    try:
        from anjian.law import hazards as law_hazards

        item = law_hazards.default_criteria().item(criterion_id)
        text = item.text
    except Exception:  # an id the shipped catalogues do not know (a bureau's own list)
        text = ""
    return {"id": criterion_id, "text": text, "sourced": services._criterion_is_sourced(criterion_id)}


@login_required
@require_http_methods(["GET", "POST"])
def hazard_create(request: HttpRequest) -> HttpResponse:
    """Register a hazard, from a finding (``?finding=``), an inspection (``?inspection=``) or a
    unit (``?enterprise=``, e.g. the unit's own check)."""
    src = request.POST if request.method == "POST" else request.GET
    finding: Finding | None = None
    inspection: Inspection | None = None
    if src.get("finding"):
        finding = get_for_user(Finding.objects.select_related("inspection", "inspection__owner_agency", "enterprise"), request.user, src["finding"])
        inspection = finding.inspection
    elif src.get("inspection"):
        inspection = get_for_user(Inspection.objects.select_related("enterprise", "owner_agency"), request.user, src["inspection"])
    ent = _enterprise(request, (finding.enterprise_id if finding else inspection.enterprise_id if inspection else src.get("enterprise")))
    scope = scope_for(request.user)
    back = reverse("inspections:detail", args=[inspection.pk]) if inspection else reverse("enterprises:detail", args=[ent.pk])
    if not services.may_register(scope, ent):
        return refused(request, "您的角色不能登记隐患。", back)
    if inspection is not None and not services.may_register(scope, ent, inspections=[inspection]):
        # The form would only be refused by the service: refuse before rendering it.
        return refused(request, f"该检查由{inspection.owner_agency.name}实施，且未登记为联合检查：本机关不能据此登记隐患（文书只列明本机关的执法人员）。", back)
    key = request.POST.get(idempotency.FORM_FIELD) if request.method == "POST" else None
    first = idempotency.replayed(actor=request.user, operation="hazard.create", key=key, model=Hazard)
    if first is not None:
        # A double submit: show the hazard the first submit registered.
        messages.info(request, "该表单已提交过，隐患已登记，未重复登记。")
        return redirect("hazards:detail", pk=first.pk)
    form = HazardCreateForm(request.POST or None, scope=scope, enterprise=ent, initial_from=finding)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        h, error, status = call_service(
            form,
            lambda: services.hazard_create(
                actor=request.user, enterprise=ent, source=d["source"], description=d["description"], location=d["location"], severity=d["severity"],
                found_on=d["found_on"], findings=[finding] if finding else [], inspection=inspection, legal_basis=d["legal_basis"],
                criterion_id=d["criterion_id"], major_reason=d["major_reason"], set_aside_reason=d["set_aside_reason"], set_aside_by=d["set_aside_by"],
                period_days=d["period_days"], site=d["site"], idempotency_key=key,
            ),
        )  # fmt: skip
        if h is not None:
            pending = services.pending_set_aside(h)
            if pending is not None:
                messages.warning(request, f"已登记隐患。不予认定重大隐患的申请待{pending.approver.name}审核；审核同意前，该隐患按重大事故隐患处理。")
            else:
                messages.success(request, f"已登记{h.get_severity_display()}。下一步：下达责令限期整改指令书。")
            return redirect("hazards:detail", pk=h.pk)
    proposal = _criterion_proposal((form["criterion_id"].value() or "") if form.is_bound else (finding.criterion_id if finding else ""))
    if not form.is_bound:
        form.initial["severity"] = "major" if proposal and proposal["sourced"] else "general"
    ctx = {
        "ent": ent,
        "form": form,
        "finding": finding,
        "inspection": inspection,
        "proposal": proposal,
        "domain_error": error,
        "back": back,
        # One-time key of this rendered form (kept across a re-render with errors).
        "form_key": key or idempotency.new_key(),
    }
    return render(request, "hazards/create.html", ctx, status=status)


# --- order and service ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def order_issue(request: HttpRequest) -> HttpResponse:
    """One 责令限期整改指令书 for open hazards of one unit (``?enterprise=`` or ``?hazard=``)."""
    src = request.POST if request.method == "POST" else request.GET
    pre: Hazard | None = None
    if src.get("hazard"):
        pre = _hazard(request, src["hazard"])
        ent = pre.enterprise
    else:
        ent = _enterprise(request, src.get("enterprise"))
    scope = scope_for(request.user)
    candidates = list(Hazard.objects.for_user(request.user).filter(enterprise=ent, status=HazardStatus.OPEN, order_document__isnull=True, owner_agency_id=scope.agency_id or 0).order_by("found_on", "id"))
    back = reverse("hazards:detail", args=[pre.pk]) if pre else reverse("hazards:list") + f"?enterprise={ent.pk}"
    if request.method == "GET" and not scope.has_role(*services.WRITE_ROLES):
        return refused(request, "您的角色不能下达整改指令。", back)
    form = OrderForm(request.POST or None, hazards=candidates, initial={"hazards": [str(pre.pk)] if pre else [str(h.pk) for h in candidates]})
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        chosen = [h for h in candidates if h.pk in set(form.cleaned_data["hazards"])]
        doc, error, status = call_service(form, lambda: services.rectification_order_issue(actor=request.user, hazards=chosen, issued_on=form.cleaned_data["issued_on"]))
        if doc is not None:
            messages.success(request, f"已签发{doc.title}{doc.number}。送达后整改期限起算：请登记送达。")
            return redirect(reverse("hazards:detail", args=[chosen[0].pk]) + "#documents")
    ctx = {"ent": ent, "form": form, "candidates": candidates, "domain_error": error, "back": back}
    return render(request, "hazards/order.html", ctx, status=status)


@login_required
@require_POST
def document_serve(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the service of one of the hazard's documents. The current order (or the opinion that
    set a new period) goes through the hazard service, which starts the period from the date of
    service; any other document (a measure decision, an opinion) is recorded by the documents core."""
    h = _hazard(request, pk)
    row = next((r for r in _documents(h, list(h.reinspections.all()), list(h.measures.all())) if str(r.doc.pk) == request.POST.get("document")), None)
    if row is None:
        raise NotFound()
    name = f"serve-{row.doc.pk}"
    form = ServeForm(request.POST, prefix=f"s{row.doc.pk}")
    error, status = None, 200
    if form.is_valid():
        d = form.cleaned_data
        done: Any
        if row.doc.pk == h.order_document_id:
            done, error, status = call_service(form, lambda: services.rectification_order_served(actor=request.user, document=row.doc, **d))
            note = "已登记送达，整改期限已起算。"
        else:
            done, error, status = call_service(form, lambda: documents.service_record(actor=request.user, document=row.doc, **d))
            note = f"已登记{row.doc.title}的送达。"
        if done is not None:
            messages.success(request, note)
            return redirect(reverse("hazards:detail", args=[h.pk]) + "#documents")
    return hazard_page(request, h, forms={name: form}, errors={name: error}, status=status)


@login_required
@require_POST
def hazard_report(request: HttpRequest, pk: int) -> HttpResponse:
    def report(h: Hazard, d: dict[str, Any]) -> Any:
        f = d.get("evidence")
        return services.hazard_report_rectified(actor=request.user, hazard=h, reported_on=d["reported_on"], description=d["description"], evidence=f, evidence_name=f.name if f else "")

    return _action(request, pk, "report", ReportForm(request.POST, request.FILES, prefix="rp"), report, "已登记整改完成报告。下一步：整改复查。", "timeline")


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    def ask(h: Hazard, d: dict[str, Any]) -> Any:
        ext, warnings = services.extension_request(actor=request.user, hazard=h, **d)
        for w in warnings:
            messages.warning(request, w)
        return ext

    return _action(request, pk, "extension", ExtensionForm(request.POST, prefix="x"), ask, "已登记延期申请，待审批。", "extensions")


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int, ext_pk: int) -> HttpResponse:
    h = _hazard(request, pk)
    ext = DeadlineExtension.objects.filter(hazard=h, pk=ext_pk).first()
    if ext is None:
        raise NotFound()
    name = f"extension-{ext.pk}"
    form = DecideForm(request.POST, prefix=f"e{ext.pk}")
    error, status = None, 200
    if form.is_valid():
        d = form.cleaned_data
        done, error, status = call_service(form, lambda: services.extension_decide(actor=request.user, extension=ext, approve=d["approve"], decided_on=d["decided_on"], note=d["note"]))
        if done is not None:
            messages.success(request, "延期申请已审批。")
            return redirect(reverse("hazards:detail", args=[h.pk]) + "#extensions")
    return hazard_page(request, h, forms={name: form}, errors={name: error}, status=status)


# --- re-inspection -------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def reinspect_start(request: HttpRequest) -> HttpResponse:
    """Start a 复查 inspection of hazards of one unit; its items are then filled on the field form."""
    src = request.POST if request.method == "POST" else request.GET
    pre = _hazard(request, src.get("hazard")) if src.get("hazard") else None
    ent = pre.enterprise if pre else _enterprise(request, src.get("enterprise"))
    scope = scope_for(request.user)
    candidates = list(Hazard.objects.for_user(request.user).filter(enterprise=ent, status__in=[HazardStatus.RECTIFYING, HazardStatus.REPORTED], owner_agency_id=scope.agency_id or 0).order_by("deadline", "id"))
    back = reverse("hazards:detail", args=[pre.pk]) if pre else reverse("hazards:list")
    if request.method == "GET" and not scope.has_role(*services.WRITE_ROLES):
        return refused(request, "您的角色不能开展整改复查。", back)
    form = ReinspectStartForm(request.POST or None, scope=scope, hazards=candidates, initial={"hazards": [str(pre.pk)] if pre else []})
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = [h for h in candidates if h.pk in set(d["hazards"])]
        insp, error, status = call_service(
            form, lambda: services.reinspection_start(actor=request.user, hazards=chosen, inspected_on=d["inspected_on"], started_at=form.started_at(), place=d["place"], officer_ids=d["officers"])
        )
        if insp is not None:
            messages.success(request, "已开始整改复查：请逐项填写复查结果，完成后在隐患页面出具复查结论。")
            return redirect("inspections:field", pk=insp.pk)
    ctx = {"ent": ent, "form": form, "candidates": candidates, "domain_error": error, "back": back}
    return render(request, "hazards/reinspect.html", ctx, status=status)


@login_required
@require_POST
def reinspection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    r = Reinspection.objects.filter(pk=pk, hazard__in=Hazard.objects.for_user(request.user)).select_related("hazard").first()
    if r is None:
        raise NotFound()
    h = _hazard(request, r.hazard_id)
    name = f"reinspection-{r.pk}"
    form = ReinspectionDecideForm(request.POST, prefix=f"r{r.pk}")
    error, status = None, 200
    if form.is_valid():
        d = form.cleaned_data
        done, error, status = call_service(form, lambda: services.reinspection_decide(actor=request.user, reinspection=r, **d))
        if done is not None:
            messages.success(request, "复查结论已登记：" + ("整改合格，隐患已销号。" if done.result == "pass" else "整改不合格，请出具整改复查意见书并送达。"))
            return redirect(reverse("hazards:detail", args=[h.pk]) + "#reinspections")
    return hazard_page(request, h, forms={name: form}, errors={name: error}, status=status)


@login_required
@require_POST
def opinion_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The 整改复查意见书 of a re-inspection (``pk`` = the hazard the officer is on)."""
    h = _hazard(request, pk)
    # A malformed id (core.ids) finds nothing: the 404 below, not a ValueError and a 500.
    r = Reinspection.objects.filter(hazard=h, pk=parse_id(request.POST.get("reinspection"))).select_related("inspection").first()
    if r is None:
        raise NotFound()
    form = IssueForm(request.POST, prefix="op")
    error, status = None, 200
    if form.is_valid():
        doc, error, status = call_service(form, lambda: services.reinspection_opinion_issue(actor=request.user, inspection=r.inspection, issued_on=form.cleaned_data["issued_on"]))
        if doc is not None:
            messages.success(request, f"已签发{doc.title}{doc.number}。")
            return redirect(reverse("hazards:detail", args=[h.pk]) + "#documents")
    return hazard_page(request, h, forms={"opinion": form}, errors={"opinion": error}, status=status)


@login_required
@require_POST
def hazard_close(request: HttpRequest, pk: int) -> HttpResponse:
    """销号 is the result of a passed re-inspection; the service refuses a direct close and says why."""
    h = _hazard(request, pk)
    done, error, status = call_service(None, lambda: services.hazard_close(actor=request.user, hazard=h))
    if done is not None and error is None:
        messages.success(request, "隐患已销号。")
        return redirect("hazards:detail", pk=h.pk)
    return hazard_page(request, h, errors={"close": error}, status=status)


@login_required
@require_POST
def set_aside_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The named leader or expert approves or refuses a set-aside request."""
    sa = SetAsideRequest.objects.filter(pk=pk, hazard__in=Hazard.objects.for_user(request.user)).first()
    if sa is None:
        raise NotFound()
    h = _hazard(request, sa.hazard_id)
    name = f"setaside-{sa.pk}"
    form = SetAsideDecideForm(request.POST, prefix=f"sa{sa.pk}")
    error, status = None, 200
    if form.is_valid():
        d = form.cleaned_data
        done, error, status = call_service(form, lambda: services.set_aside_decide(actor=request.user, request=sa, approve=d["approve"], note=d["note"]))
        if done is not None:
            messages.success(request, "已同意不予认定，该隐患按一般隐患处理。" if done.status == ApprovalStatus.APPROVED else "已不同意不予认定，该隐患仍为重大事故隐患。")
            return redirect(reverse("hazards:detail", args=[h.pk]) + "#set-asides")
    return hazard_page(request, h, forms={name: form}, errors={name: error}, status=status)


@login_required
@require_POST
def set_aside_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester, or an approver of the bureau, withdraws a pending set-aside request."""
    sa = SetAsideRequest.objects.filter(pk=pk, hazard__in=Hazard.objects.for_user(request.user)).first()
    if sa is None:
        raise NotFound()
    h = _hazard(request, sa.hazard_id)
    name = f"setaside-withdraw-{sa.pk}"
    form = SetAsideWithdrawForm(request.POST, prefix=f"saw{sa.pk}")
    error, status = None, 200
    if form.is_valid():
        done, error, status = call_service(form, lambda: services.set_aside_withdraw(actor=request.user, request=sa, note=form.cleaned_data["note"]))
        if done is not None:
            messages.success(request, "已撤回不予认定的申请，该隐患仍为重大事故隐患。")
            return redirect(reverse("hazards:detail", args=[h.pk]) + "#set-asides")
    return hazard_page(request, h, forms={name: form}, errors={name: error}, status=status)


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """What waits for the user's decision: set-aside requests named to the user, pending extensions
    recorded by someone else (for the bureau's approvers) and applications to resume production (for
    its leaders). Each section reads the selector the workbench counts with (``selectors.*_to_decide``)."""
    set_asides = list(selectors.set_aside_list(user=request.user, mine=True)[:PAGE_SIZE])
    extensions = selectors.extensions_to_decide(user=request.user)
    restarts = selectors.restart_reviews_to_decide(user=request.user)
    ctx = {
        "set_asides": set_asides,
        "extensions": list(extensions[:PAGE_SIZE]),
        "extensions_count": extensions.count(),
        "restarts": list(restarts[:PAGE_SIZE]),
        "restarts_count": restarts.count(),
        "may_review_restarts": scope_for(request.user).has_role(Role.LEADER),
    }
    return render(request, "hazards/approvals.html", ctx)


@login_required
@require_POST
def hazard_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "supervise", SuperviseForm(request.POST, prefix="sv"), lambda h, d: services.hazard_supervise(actor=request.user, hazard=h, by=d["by"], on=d["on"]), "已挂牌督办。")


@login_required
@require_POST
def measure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(h: Hazard, d: dict[str, Any]) -> Any:
        return services.measure_decide(actor=request.user, hazard=h, **d)

    return _action(request, pk, "measure", lambda h: MeasureForm(request.POST, prefix="m", hazard=h), decide, "已决定现场处理措施，已生成现场处理措施决定书。", "measures")


# --- measures --------------------------------------------------------------------------------------
def _measure(request: HttpRequest, pk: int) -> Measure:
    return selectors.measure_get(user=request.user, pk=pk)


def measure_page(request: HttpRequest, m: Measure, *, forms: dict[str, Any] | None = None, errors: dict[str, DomainError | None] | None = None, status: int = 200) -> HttpResponse:
    scope = scope_for(request.user)
    reviews = list(RestartReview.objects.filter(measure=m).select_related("approver", "recorded_by").order_by("-applied_on", "-id"))
    f = forms or {}
    for rr in reviews:
        rr.due = services.restart_review_due(rr)  # type: ignore[attr-defined]
        if rr.reviewed_on is None and not is_same_person(rr.recorded_by, request.user):
            rr.form = f.get(f"review-{rr.pk}") or RestartReviewForm(prefix=f"rr{rr.pk}")  # type: ignore[attr-defined]
            rr.error = (errors or {}).get(f"review-{rr.pk}")  # type: ignore[attr-defined]
    doc = m.decision_document
    ctx = {
        "m": m,
        "ent": m.enterprise,
        "reviews": reviews,
        "doc": doc,
        "doc_url": download_url(doc) if doc else "",
        "may_apply": scope.agency_id == m.owner_agency_id and scope.has_role(*services.WRITE_ROLES, Role.OFFICE) and m.status == MeasureStatus.ACTIVE and not any(r.reviewed_on is None for r in reviews),
        "may_review": scope.agency_id == m.owner_agency_id and scope.has_role(Role.LEADER),
        "apply_form": f.get("apply") or RestartApplyForm(prefix="ra"),
        "errors": errors or {},
        "domain_error": refusal(errors),
    }
    return render(request, "hazards/measure.html", ctx, status=status)


@login_required
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return measure_page(request, _measure(request, pk))


@login_required
@require_POST
def restart_apply(request: HttpRequest, pk: int) -> HttpResponse:
    m = _measure(request, pk)
    form = RestartApplyForm(request.POST, prefix="ra")
    error, status = None, 200
    if form.is_valid():
        rr, error, status = call_service(form, lambda: services.restart_apply(actor=request.user, measure=m, **form.cleaned_data))
        if rr is not None:
            due = services.restart_review_due(rr)
            messages.success(request, f"已登记恢复生产申请，应于{due.date:%Y-%m-%d}前审查（{due.basis}）。")
            return redirect("hazards:measure", pk=m.pk)
    return measure_page(request, m, forms={"apply": form}, errors={"apply": error}, status=status)


@login_required
@require_POST
def restart_review(request: HttpRequest, pk: int, rr_pk: int) -> HttpResponse:
    m = _measure(request, pk)
    rr = RestartReview.objects.filter(measure=m, pk=rr_pk).first()
    if rr is None:
        raise NotFound()
    name = f"review-{rr.pk}"
    form = RestartReviewForm(request.POST, prefix=f"rr{rr.pk}")
    error, status = None, 200
    if form.is_valid():
        done, error, status = call_service(form, lambda: services.restart_review_decide(actor=request.user, review=rr, **form.cleaned_data))
        if done is not None:
            messages.success(request, "恢复生产审查已登记" + ("，措施已解除。" if done.approved else "（不予批准）。"))
            return redirect("hazards:measure", pk=m.pk)
    return measure_page(request, m, forms={name: form}, errors={name: error}, status=status)


# --- the on-site record of an inspection (issued here: documents of the hazard loop) ------------------
@login_required
@require_POST
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    insp = inspection_views.inspection_get(request, pk)
    doc, error, status = call_service(None, lambda: services.inspection_record_issue(actor=request.user, inspection=insp))
    if doc is not None:
        messages.success(request, f"已签发现场检查记录{doc.number}。")
        return redirect(reverse("inspections:detail", args=[insp.pk]) + "#record")
    if isinstance(error, DocumentExists):
        # A double submit (one document per act): show the record the first submit issued.
        messages.info(request, f"现场检查记录已签发（文号{error.document.number}），未重复签发。")
        return redirect(reverse("inspections:detail", args=[insp.pk]) + "#record")
    return inspection_views.detail_page(request, insp, errors={"record": error}, status=status)


# --- transfers -------------------------------------------------------------------------------------
def _my_departments(user: Any) -> list[int]:
    return selectors.my_departments(user)


def transfer_list_qs(user: Any, f: dict[str, Any], departments: list[int]) -> QuerySet[Transfer]:
    qs = selectors.transfer_list_filtered(user=user, filters=f, departments=departments)
    return qs.annotate(n_findings=Count("findings", distinct=True), n_hazards=Count("hazards", distinct=True)).order_by("-sent_at", "-id")


@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    form = TransferFilterForm(request.GET)
    filters = form.filters()
    departments = _my_departments(request.user)
    page = Paginator(transfer_list_qs(request.user, filters, departments), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for t in page.object_list:
        t.wait = _duration((t.decided_at or now) - t.sent_at)
        t.in_inbox = t.to_department_id in departments and t.status == TransferStatus.PENDING
    inbox = Transfer.objects.for_user(request.user).filter(to_department_id__in=departments, status=TransferStatus.PENDING).count() if departments else 0
    return render(request, "hazards/transfers.html", {"form": form, "page": page, "filters": filters, "inbox_count": inbox})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_send(request: HttpRequest) -> HttpResponse:
    """Hand a finding or a hazard to the enforcement team (局队合一)."""
    src = request.POST if request.method == "POST" else request.GET
    if src.get("finding"):
        ent_id: Any = get_for_user(Finding.objects.all(), request.user, src["finding"]).enterprise_id
    elif src.get("hazard"):
        ent_id = _hazard(request, src["hazard"]).enterprise_id
    else:
        ent_id = src.get("enterprise")
    ent = _enterprise(request, ent_id)
    scope = scope_for(request.user)
    findings = list(Finding.objects.for_user(request.user).filter(enterprise=ent).order_by("-found_on", "-id")[:200])
    hazards = list(Hazard.objects.for_user(request.user).filter(enterprise=ent).exclude(status=HazardStatus.CLOSED).order_by("-found_on", "-id")[:200])
    own = next(iter(_my_departments(request.user)), None)
    initial: dict[str, Any] = {"findings": [src["finding"]] if src.get("finding") else [], "hazards": [src["hazard"]] if src.get("hazard") else []}
    if src.get("finding"):
        f0 = next((f for f in findings if str(f.pk) == str(src["finding"])), None)
        if f0:
            initial.update(facts=f0.description, suggested_basis=f0.legal_basis)
    form = TransferSendForm(request.POST or None, scope=scope, findings=findings, hazards=hazards, own_department=own, initial=initial)
    back = reverse("hazards:transfers")
    if request.method == "GET" and not scope.has_role(Role.SUPERVISOR, Role.DEPT_HEAD, Role.OFFICER):
        return refused(request, "您的角色不能办理移交。", back)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        t, error, status = call_service(
            form,
            lambda: services.transfer_send(
                actor=request.user, enterprise=ent, from_department=d["from_department"], to_department=d["to_department"], facts=d["facts"],
                findings=[f for f in findings if f.pk in set(d["findings"])], hazards=[h for h in hazards if h.pk in set(d["hazards"])], suggested_basis=d["suggested_basis"],
            ),
        )  # fmt: skip
        if t is not None:
            messages.success(request, f"已移交{t.to_department.name}，待其接收。")
            return redirect("hazards:transfer_detail", pk=t.pk)
    return render(request, "hazards/transfer_form.html", {"ent": ent, "form": form, "domain_error": error, "back": back}, status=status)


def _transfer(request: HttpRequest, pk: int) -> Transfer:
    qs = selectors.transfer_list(user=request.user).select_related("sent_by__staff", "decided_by__staff", "owner_agency").prefetch_related("findings", "hazards")
    return get_for_user(qs, request.user, pk)


def transfer_page(request: HttpRequest, t: Transfer, *, form: Any = None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    in_team = t.to_department_id in _my_departments(request.user)
    now = timezone.now()
    ctx = {
        "t": t,
        "ent": t.enterprise,
        "wait": _duration((t.decided_at or now) - t.sent_at),
        "may_decide": services.may_decide_transfer(request.user, t, in_receiving_team=in_team),
        "return_form": form or TransferReturnForm(),
        "domain_error": error,
    }
    return render(request, "hazards/transfer_detail.html", ctx, status=status)


@login_required
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return transfer_page(request, _transfer(request, pk))


@login_required
@require_POST
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    t = _transfer(request, pk)
    done, error, status = call_service(None, lambda: services.transfer_accept(actor=request.user, transfer=t))
    if done is not None:
        messages.success(request, f"已接收移交（用时{_duration((done.decided_at or timezone.now()) - done.sent_at)}）。")
        return redirect("hazards:transfer_detail", pk=t.pk)
    return transfer_page(request, t, error=error, status=status)


@login_required
@require_POST
def transfer_return(request: HttpRequest, pk: int) -> HttpResponse:
    t = _transfer(request, pk)
    form = TransferReturnForm(request.POST)
    error, status = None, 200
    if form.is_valid():
        done, error, status = call_service(form, lambda: services.transfer_return(actor=request.user, transfer=t, reason=form.cleaned_data["reason"]))
        if done is not None:
            messages.success(request, "已退回移交。")
            return redirect("hazards:transfer_detail", pk=t.pk)
    return transfer_page(request, t, form=form, error=error, status=status)


# --- per enterprise: the timeline and the two lists --------------------------------------------------
@dataclass
class TimelineEntry:
    on: dt.date
    kind: str
    icon: str
    title: str
    detail: str = ""
    url: str = ""
    tone: str = "secondary"
    # When it happened (or was recorded), if known: orders a day's entries and is shown.
    at: dt.datetime | None = None

    @property
    def time(self) -> str:
        """The time of day shown beside the entry, when it is known and falls on its date."""
        if self.at is None:
            return ""
        local = timezone.localtime(self.at)
        return f"{local:%H:%M}" if local.date() == self.on else ""


def timeline_entries(user: Any, ent: Enterprise) -> list[TimelineEntry]:
    """Inspections, findings, hazards (and their status changes), measures and transfers of one
    unit, newest first: by date, then by time within the day (an entry whose time is unknown
    comes last in its day). One query per kind, whatever the number of rows."""
    out: list[TimelineEntry] = []
    local = timezone.localtime
    inspections = list(Inspection.objects.for_user(user).filter(enterprise=ent).select_related("owner_agency").order_by("-inspected_on")[:TIMELINE_LIMIT])
    for i in inspections:
        out.append(TimelineEntry(i.inspected_on, "inspection", "bi-clipboard-check", f"{i.get_type_display()}（{i.get_status_display()}）", i.owner_agency.short_name, reverse("inspections:detail", args=[i.pk]), "primary", i.started_at))
    for f in Finding.objects.for_user(user).filter(enterprise=ent).select_related("inspection").order_by("-found_on")[:TIMELINE_LIMIT]:
        # A finding is made during its inspection: just after its start, so it follows it.
        at = f.inspection.started_at + dt.timedelta(seconds=1) if f.inspection_id and f.inspection.inspected_on == f.found_on else None
        out.append(TimelineEntry(f.found_on, "finding", "bi-exclamation-diamond", "发现问题", f.description, reverse("inspections:detail", args=[f.inspection_id]) + f"#finding-{f.pk}", "warning", at))
    hazards = {h.pk: h for h in Hazard.objects.for_user(user).filter(enterprise=ent)}
    for e in HazardEvent.objects.filter(hazard_id__in=list(hazards)).order_by("-on", "-id")[:TIMELINE_LIMIT]:
        h = hazards[e.hazard_id]
        title = {"open": f"登记{h.get_severity_display()}", "rectifying": "整改中（指令送达）", "reported": "报告整改完成", "closed": "隐患销号"}.get(e.to_status, e.to_status)
        if e.to_status == HazardStatus.RECTIFYING and e.from_status == HazardStatus.REPORTED:
            title = "复查不合格，重新整改"
        tone = "success" if e.to_status == HazardStatus.CLOSED else "danger" if h.severity == Severity.MAJOR else "warning"
        out.append(TimelineEntry(e.on, "hazard", "bi-cone-striped", title, f"{h.description}{('：' + e.note) if e.note and e.note != '登记' else ''}", reverse("hazards:detail", args=[h.pk]), tone, e.at))
    for h in hazards.values():
        if h.supervised and h.supervised_on:
            out.append(TimelineEntry(h.supervised_on, "hazard", "bi-flag", f"挂牌督办（{h.supervised_by}）", h.description, reverse("hazards:detail", args=[h.pk]), "danger"))
        if h.overdue_since:
            out.append(TimelineEntry(h.overdue_since, "hazard", "bi-alarm", "逾期未整改", h.description, reverse("hazards:detail", args=[h.pk]), "danger"))
    for m in Measure.objects.for_user(user).filter(enterprise=ent).order_by("-decided_on")[:TIMELINE_LIMIT]:
        out.append(TimelineEntry(m.decided_on, "measure", "bi-sign-stop", f"{m.get_kind_display()}：{m.get_measure_type_display()}（{m.get_scope_display()}）", m.reason, reverse("hazards:measure", args=[m.pk]), "danger", m.created_at))
        if m.ended_on:
            out.append(TimelineEntry(m.ended_on, "measure", "bi-play-circle", "措施解除（恢复生产）", str(m), reverse("hazards:measure", args=[m.pk]), "success"))
    for t in Transfer.objects.for_user(user).filter(enterprise=ent).select_related("to_department").order_by("-sent_at")[:TIMELINE_LIMIT]:
        out.append(TimelineEntry(local(t.sent_at).date(), "transfer", "bi-send", f"移交{t.to_department.name}", t.facts, reverse("hazards:transfer_detail", args=[t.pk]), "secondary", t.sent_at))
        if t.decided_at:
            out.append(TimelineEntry(local(t.decided_at).date(), "transfer", "bi-inbox", f"移交{t.get_status_display()}", t.return_reason or t.facts, reverse("hazards:transfer_detail", args=[t.pk]), "secondary", t.decided_at))
    earliest = dt.datetime.min.replace(tzinfo=dt.UTC)
    out.sort(key=lambda e: (e.on, e.at or earliest), reverse=True)
    return out


@login_required
def enterprise_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    ent = _enterprise(request, pk)
    kinds = {"inspection": "检查", "finding": "问题", "hazard": "隐患", "measure": "措施", "transfer": "移交"}
    kind = request.GET.get("kind", "")
    entries = timeline_entries(request.user, ent)
    if kind in kinds:
        entries = [e for e in entries if e.kind == kind]
    scope = scope_for(request.user)
    may_inspect = scope.has_role(*services.WRITE_ROLES)
    return render(request, "hazards/timeline.html", {"ent": ent, "entries": entries, "kinds": kinds, "kind": kind, "may_inspect": may_inspect, "may_register": services.may_register(scope, ent)})


def _two_lists_ctx(request: HttpRequest, ent: Enterprise) -> dict[str, Any]:
    data = selectors.two_lists(user=request.user, enterprise=ent)
    # The related hazard of each institutional measure, with one query (not one per row).
    names = dict(Hazard.objects.filter(pk__in={im.hazard_id for im in data["institutional"] if im.hazard_id}).values_list("pk", "description"))
    for im in data["institutional"]:
        im.hazard_text = names.get(im.hazard_id, "")  # type: ignore[attr-defined]
    return {"ent": ent, "today": timezone.localdate(), **data}


def two_lists_page(request: HttpRequest, ent: Enterprise, *, form: Any = None, errors: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    scope = scope_for(request.user)
    ctx = _two_lists_ctx(request, ent)
    ctx.update(
        {
            "may_write": scope.agency_id == ent.owner_agency_id and scope.has_role(*services.WRITE_ROLES),
            "may_register": services.may_register(scope, ent),
            "form": form or InstitutionalForm(hazards=ctx["hazards"]),
            "done_form": DoneForm(),
            "errors": errors or {},
        "domain_error": refusal(errors),
        }
    )
    return render(request, "hazards/two_lists.html", ctx, status=status)


@login_required
def two_lists(request: HttpRequest, pk: int) -> HttpResponse:
    return two_lists_page(request, _enterprise(request, pk))


@login_required
@require_POST
def institutional_create(request: HttpRequest, pk: int) -> HttpResponse:
    ent = _enterprise(request, pk)
    hazards = list(Hazard.objects.for_user(request.user).filter(enterprise=ent).exclude(status=HazardStatus.CLOSED))
    form = InstitutionalForm(request.POST, hazards=hazards)
    error, status = None, 200
    if form.is_valid():
        d = form.cleaned_data
        hazard = next((h for h in hazards if h.pk == d["hazard"]), None)
        im, error, status = call_service(form, lambda: services.institutional_create(actor=request.user, enterprise=ent, title=d["title"], description=d["description"], due_on=d["due_on"], hazard=hazard))
        if im is not None:
            messages.success(request, f"已登记制度措施“{im.title}”。")
            return redirect(reverse("hazards:two_lists", args=[ent.pk]) + "#institutional")
    return two_lists_page(request, ent, form=form, errors={"create": error}, status=status)


@login_required
@require_POST
def institutional_done(request: HttpRequest, pk: int) -> HttpResponse:
    im = get_for_user(InstitutionalMeasure.objects.select_related("enterprise"), request.user, pk)
    form = DoneForm(request.POST)
    error, status = None, 200
    if form.is_valid():
        done, error, status = call_service(form, lambda: services.institutional_done(actor=request.user, measure=im, done_on=form.cleaned_data["done_on"]))
        if done is not None:
            messages.success(request, f"制度措施“{im.title}”已完成。")
            return redirect(reverse("hazards:two_lists", args=[im.enterprise_id]) + "#institutional")
    ent = _enterprise(request, im.enterprise_id)
    problem = error or DomainError(" ".join(str(e) for errs in form.errors.values() for e in errs))
    return two_lists_page(request, ent, errors={"done": problem, "done_pk": im.pk}, status=status)


@login_required
def two_lists_export(request: HttpRequest, pk: int) -> HttpResponse:
    """两个清单 as .xlsx (openpyxl write-only: rows are streamed, not kept as cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from anjian.core import xlsx

    ent = _enterprise(request, pk)
    data = _two_lists_ctx(request, ent)
    wb = Workbook(write_only=True)

    def header(ws: Any, titles: list[str]) -> None:
        ws.append(xlsx.row(ws, titles, font=Font(bold=True)))

    # Every row through the one text-cell writer: descriptions, places and bases are typed by
    # people and must never become live formulas (issue 8, formula injection).
    ws = wb.create_sheet("问题隐患清单")
    ws.append(xlsx.row(ws, [f"{ent.name} 问题隐患清单（导出于{timezone.localtime():%Y-%m-%d %H:%M}）"]))
    header(ws, ["序号", "类别", "级别", "描述", "部位", "依据", "发现日期", "状态", "整改期限", "期限说明", "逾期", "挂牌督办"])
    n = 0
    for h in data["hazards"]:
        n += 1
        ws.append(xlsx.row(ws, [n, "隐患", h.get_severity_display(), h.description, h.location, h.legal_basis, h.found_on, h.get_status_display(), h.deadline, "临时计算" if h.deadline_provisional else h.deadline_rule, "是" if h.overdue_since else "", "是" if h.supervised else ""]))
    for f in data["findings"]:
        n += 1
        ws.append(xlsx.row(ws, [n, "责令改正的问题", "", f.description, "", f.legal_basis, f.found_on, "待改正", None, "", "", ""]))
    ws2 = wb.create_sheet("制度措施清单")
    header(ws2, ["序号", "制度措施", "内容", "相关隐患", "完成期限", "完成日期", "状态"])
    for i, im in enumerate(data["institutional"], start=1):
        ws2.append(xlsx.row(ws2, [i, im.title, im.description, im.hazard_text, im.due_on, im.done_on, "已完成" if im.done_on else "未完成"]))
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    # Every export is audited (issue 10, item 5).
    audit.record(actor=request.user, action="hazards.two_lists_export", obj=ent, note=f"导出两个清单（{n}条问题隐患）")
    response["Content-Disposition"] = content_disposition_header(True, f"{ent.name}-两个清单-{timezone.localdate():%Y%m%d}.xlsx") or ""
    response["Cache-Control"] = "private, no-store"
    return response
