"""Inspection screens: the field form (phone first, offline through ``field.js``), lists, detail,
completion, the print view for paper signature and the signed scan.

Thin: forms check shape, services decide and write. A service's ``ValidationFailed`` lands on the
form's fields (and, with its article, next to the button); ``PermissionRefused`` is a 403 with the
message; ``NotFound`` is a 404 (missing and out of scope look the same). The ``may_*`` flags only
decide which buttons to show; the services still enforce.

The 现场检查记录 document and everything about hazards live one layer up (``anjian.hazards``);
this module only links to those URLs by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anjian.core.errors import DomainError, PermissionRefused
from anjian.core.scoping import Scope, get_for_user, scope_for
from anjian.core.ui import call_service, refused
from anjian.documents import selectors as documents
from anjian.enterprises import selectors as enterprise_selectors
from anjian.enterprises.models import Enterprise
from anjian.inspections import record, services
from anjian.inspections.choices import EvidenceKind, InspectionStatus, ItemResult
from anjian.inspections.forms import (
    CompleteForm,
    CorrectTimesForm,
    EvidenceForm,
    FindingAddForm,
    FindingFilterForm,
    InspectionFilterForm,
    InspectionStartForm,
    ScanForm,
    results_from_post,
)
from anjian.inspections.models import ChecklistTemplate, Finding, Inspection, InspectionOfficer

PAGE_SIZE = 50


# --- helpers -------------------------------------------------------------------------------------
def download_url(doc: Any) -> str:
    """The download link of an issued document."""
    return reverse("documents:download", args=[doc.pk])


def may_edit(scope: Scope, insp: Inspection) -> bool:
    return scope.agency_id == insp.owner_agency_id and scope.has_role(*services.INSPECT_ROLES)


def _enterprise(request: HttpRequest, pk: int) -> Enterprise:
    return enterprise_selectors.enterprise_get(user=request.user, pk=pk)


def inspection_get(request: HttpRequest, pk: int) -> Inspection:
    qs = Inspection.objects.select_related("enterprise", "owner_agency", "site", "jurisdiction", "created_by")
    return get_for_user(qs, request.user, pk)


def repeat_map(enterprise_id: int, items: Iterable[Any], day: dt.date) -> dict[int, list[Finding]]:
    """``services.repeat_history`` for many items with one query: earlier findings of the unit on
    the same item within the window (3 years by default), keyed by the item's ``order``. Same matching rule: the same
    criterion when the item has one, otherwise a description starting with the item's text."""
    items = list(items)
    if not items:
        return {}
    earlier = list(
        Finding.objects.filter(enterprise_id=enterprise_id, found_on__gte=services.repeat_window_start(day), found_on__lt=day)
        .select_related("inspection")
        .order_by("-found_on", "-id")[:1000]
    )
    out: dict[int, list[Finding]] = {}
    for it in items:
        if it.criterion_id:
            hits = [f for f in earlier if f.criterion_id == it.criterion_id]
        else:
            head = (it.text or "")[:30]
            hits = [f for f in earlier if head and f.description.startswith(head)]
        if hits:
            out[it.order] = hits[:20]
    return out


class PlannedItem:
    """A checklist item as ``inspection_create`` will copy it, with the order it will get."""

    def __init__(self, order: int, source: Any) -> None:
        self.order = order
        self.pk: int | None = None
        self.text: str = source.text
        self.legal_basis: str = source.legal_basis
        self.criterion_id: str = source.criterion_id
        self.result: str = ItemResult.UNCHECKED
        self.note = ""
        self.evidence_count = 0


def planned_items(templates: list[ChecklistTemplate]) -> list[PlannedItem]:
    """The items of a new inspection, numbered exactly as ``services.inspection_create`` numbers
    them (templates in order, a criterion listed twice checked once), so that offline results
    keyed by ``order`` land on the right item when the draft is synced."""
    return [PlannedItem(order, it) for order, it in services.plan_items(templates)]


# --- keepalive and the offline shell ------------------------------------------------------------
@require_GET
@never_cache
def keepalive(request: HttpRequest) -> HttpResponse:
    """Touched every few minutes by an open field form: keeps the session from expiring while an
    officer is on site (SESSION_SAVE_EVERY_REQUEST is off, so the session is marked modified)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    request.session.modified = True
    return HttpResponse(status=204)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker of the field form. Served under /inspections/ so that its scope covers
    the field pages: they reload from its cache when there is no network (rule 10)."""
    response = render(request, "inspections/sw.js", {}, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


# --- lists ---------------------------------------------------------------------------------------
def inspection_list_qs(user: Any, f: dict[str, Any]) -> QuerySet[Inspection]:
    qs = Inspection.objects.for_user(user).select_related("enterprise", "owner_agency")
    if "enterprise" in f:
        qs = qs.filter(enterprise_id=f["enterprise"])
    if "q" in f:
        qs = qs.filter(enterprise__name__icontains=f["q"])
    if "type" in f:
        qs = qs.filter(type=f["type"])
    if "status" in f:
        qs = qs.filter(status=f["status"])
    if "date_from" in f:
        qs = qs.filter(inspected_on__gte=f["date_from"])
    if "date_to" in f:
        qs = qs.filter(inspected_on__lte=f["date_to"])
    officers = InspectionOfficer.objects.select_related("staff").order_by("order")
    return qs.annotate(n_findings=Count("findings", distinct=True)).prefetch_related(Prefetch("officers", queryset=officers)).order_by("-inspected_on", "-id")


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    form = InspectionFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(inspection_list_qs(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    may_inspect = scope_for(request.user).has_role(*services.INSPECT_ROLES)
    return render(request, "inspections/list.html", {"form": form, "page": page, "filters": filters, "may_inspect": may_inspect})


def finding_list_qs(user: Any, f: dict[str, Any]) -> QuerySet[Finding]:
    qs = Finding.objects.for_user(user).select_related("enterprise", "inspection", "item")
    if "enterprise" in f:
        qs = qs.filter(enterprise_id=f["enterprise"])
    if "q" in f:
        qs = qs.filter(Q(enterprise__name__icontains=f["q"]) | Q(description__icontains=f["q"]))
    if f.get("hazard") == "1":
        qs = qs.filter(hazards__isnull=False).distinct()
    elif f.get("hazard") == "0":
        qs = qs.filter(hazards__isnull=True)
    if "date_from" in f:
        qs = qs.filter(found_on__gte=f["date_from"])
    if "date_to" in f:
        qs = qs.filter(found_on__lte=f["date_to"])
    # Counted, not loaded: the hazards and transfers of each finding (one query for the page).
    return qs.annotate(n_hazards=Count("hazards", distinct=True), n_transfers=Count("transfers", distinct=True)).order_by("-found_on", "-id")


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    form = FindingFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(finding_list_qs(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/findings.html", {"form": form, "page": page, "filters": filters})


# --- the field form: a new inspection ----------------------------------------------------------
def _field_config(request: HttpRequest, *, mode: str, enterprise: Enterprise, key: str = "", insp: Inspection | None = None, items: list[Any], template_ids: list[int]) -> dict[str, Any]:
    """What ``field.js`` needs, passed with ``json_script`` (no inline script: CSP)."""
    scope = scope_for(request.user)
    offset = timezone.localtime().strftime("%z")  # "+0800": the offset the officer's times are in
    return {
        "mode": mode,
        "tzOffset": f"{offset[:3]}:{offset[3:]}",
        "user": request.user.pk,
        "staff": scope.staff_id,
        "enterprise": enterprise.pk,
        "key": key,
        "inspection": insp.pk if insp else None,
        "status": insp.status if insp else InspectionStatus.DRAFT,
        "templateIds": template_ids,
        "items": [{"order": i.order, "id": i.pk} for i in items],
        "urls": {
            "sync": "/api/v1/inspections/sync/",
            "api": "/api/v1/inspections/",
            "keepalive": reverse("inspections:keepalive"),
            "sw": reverse("inspections:sw"),
            "field": reverse("inspections:field", args=[0]).replace("/0/", "/{id}/"),
            "detail": reverse("inspections:detail", args=[0]).replace("/0/", "/{id}/"),
            "login": reverse("login"),
        },
    }


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    """Start an inspection of one unit and fill its checklist on the same page.

    The checklist (``templates_for``) is rendered into the page with the order each item will
    get, so that the whole inspection can be filled offline and synced later by order.
    """
    ent = _enterprise(request, enterprise_pk)
    scope = scope_for(request.user)
    if not scope.has_role(*services.INSPECT_ROLES):
        return refused(request, "您的角色不能开展监督检查：须为本机关的执法人员、监管人员或科室负责人。", reverse("enterprises:detail", args=[ent.pk]))
    templates = services.templates_for(ent, agency_id=scope.agency_id)
    template_ids = [t.pk for t in templates]
    items = planned_items(templates)
    form = InspectionStartForm(request.POST or None, scope=scope, enterprise=ent, plan_item=request.GET.get("plan_item"))
    error, status = None, 200
    posted: dict[int, dict[str, str]] = {}
    if request.method == "POST":
        results = results_from_post(request.POST, [i.order for i in items])
        posted = {r["order"]: {"result": r.get("result", ""), "note": r.get("note", "")} for r in results}
        if form.is_valid():

            insp, error, status = call_service(
                form, lambda: services.inspection_sync(actor=request.user, enterprise=ent, template_ids=template_ids, results=results, **form.service_kwargs())
            )
            if insp is not None:
                messages.success(request, f"检查已保存：{ent.name}（{insp.inspected_on:%Y-%m-%d}）。")
                return redirect("inspections:field", pk=insp.pk)
    for it in items:
        if it.order in posted:
            it.result = posted[it.order]["result"] or ItemResult.UNCHECKED
            it.note = posted[it.order]["note"]
    repeats = repeat_map(ent.pk, items, timezone.localdate())
    for it in items:
        it.repeats = repeats.get(it.order, [])  # type: ignore[attr-defined]
    key = form["idempotency_key"].value() or ""
    ctx = {
        "ent": ent,
        "mode": "new",
        "repeat_years": services.repeat_window_years(),
        "form": form,
        "templates": templates,
        "items": items,
        "results": ItemResult,
        "complete_form": CompleteForm(prefix="c"),
        "domain_error": error,
        "config": _field_config(request, mode="new", enterprise=ent, key=key, items=items, template_ids=template_ids),
        "editable": True,
    }
    return render(request, "inspections/field.html", ctx, status=status)


# --- the field form: an existing inspection --------------------------------------------------------
def _field_page(request: HttpRequest, insp: Inspection, *, complete_form: CompleteForm | None = None, error: DomainError | None = None, complete_error: DomainError | None = None, status: int = 200, posted: dict[int, dict[str, str]] | None = None) -> HttpResponse:
    scope = scope_for(request.user)
    items = list(insp.items.annotate(evidence_count=Count("evidence")).order_by("order"))
    for it in items:
        if posted and it.order in posted:
            it.result = posted[it.order]["result"] or it.result
            it.note = posted[it.order]["note"]
    repeats = repeat_map(insp.enterprise_id, items, insp.inspected_on)
    for it in items:
        it.repeats = repeats.get(it.order, [])  # type: ignore[attr-defined]
    officers = list(insp.officers.select_related("staff").order_by("order"))
    ctx = {
        "ent": insp.enterprise,
        "insp": insp,
        "mode": "existing",
        "repeat_years": services.repeat_window_years(),
        "officers": officers,
        "experts": [e.staff for e in insp.experts.select_related("staff")],
        "items": items,
        "results": ItemResult,
        "complete_form": complete_form or CompleteForm(prefix="c"),
        "domain_error": error,
        "complete_error": complete_error,
        "editable": may_edit(scope, insp) and insp.status == InspectionStatus.DRAFT,
        "config": _field_config(request, mode="existing", enterprise=insp.enterprise, insp=insp, items=items, template_ids=[]),
    }
    return render(request, "inspections/field.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_field(request: HttpRequest, pk: int) -> HttpResponse:
    insp = inspection_get(request, pk)
    scope = scope_for(request.user)
    if not may_edit(scope, insp):
        if request.method == "GET":
            return redirect("inspections:detail", pk=insp.pk)
    if insp.status != InspectionStatus.DRAFT and request.method == "GET":
        return redirect("inspections:detail", pk=insp.pk)
    if request.method == "POST":
        orders = list(insp.items.values_list("order", flat=True))
        results = results_from_post(request.POST, orders)
        done, error, status = call_service(None, lambda: services.inspection_record_results(actor=request.user, inspection=insp, results=results))
        if done is not None:
            messages.success(request, f"已保存{len(results)}项检查结果。")
            return redirect("inspections:field", pk=insp.pk)
        posted = {r["order"]: {"result": r.get("result", ""), "note": r.get("note", "")} for r in results}
        return _field_page(request, insp, error=error, status=status, posted=posted)
    return _field_page(request, insp)


@login_required
@require_POST
def inspection_complete(request: HttpRequest, pk: int) -> HttpResponse:
    insp = inspection_get(request, pk)
    form = CompleteForm(request.POST, prefix="c")
    error, status = None, 200
    if form.is_valid():
        done, error, status = call_service(form, lambda: services.inspection_complete(actor=request.user, inspection=insp, **form.cleaned_data))
        if done is not None:
            messages.success(request, "现场检查记录已完成。可签发现场检查记录，或打印后由当事人签字。")
            return redirect("inspections:detail", pk=insp.pk)
    return _field_page(request, insp, complete_form=form, complete_error=error, status=status)


# --- detail, print, signed scan, evidence, extra findings ---------------------------------------
def detail_page(request: HttpRequest, insp: Inspection, *, forms: dict[str, Any] | None = None, errors: dict[str, DomainError | None] | None = None, status: int = 200) -> HttpResponse:
    scope = scope_for(request.user)
    items = list(insp.items.order_by("order"))
    findings = list(insp.findings.select_related("item").prefetch_related("hazards", "transfers").order_by("id"))
    # Keyed by the item's order, or by -pk for a finding outside the checklist (matched on its description).
    keys = [(f.item.order if f.item is not None else -f.pk, f) for f in findings]
    probes = [SimpleNamespace(order=k, criterion_id=f.criterion_id, text=f.item.text if f.item is not None else f.description) for k, f in keys]
    repeats = repeat_map(insp.enterprise_id, probes, insp.inspected_on)
    for k, f in keys:
        f.repeats = repeats.get(k, [])  # type: ignore[attr-defined]
    docs = list(documents.document_list(request.user, "inspections.inspection", insp.pk))
    for d in docs:
        d.download_url = download_url(d)  # type: ignore[attr-defined]
    evidence = list(insp.evidence.select_related("item", "uploaded_by").order_by("uploaded_at", "id"))
    editable = may_edit(scope, insp)
    record_issued = any(d.kind == "inspection_record" and d.status == "issued" for d in docs)
    given = forms or {}
    counts = {r: 0 for r in ItemResult.values}
    for it in items:
        counts[it.result] += 1
    ctx = {
        "insp": insp,
        "ent": insp.enterprise,
        "officers": list(insp.officers.select_related("staff").order_by("order")),
        "experts": [e.staff for e in insp.experts.select_related("staff")],
        "templates": list(insp.templates.all()),
        "items": items,
        "counts": counts,
        "repeat_years": services.repeat_window_years(),
        "findings": findings,
        "evidence": evidence,
        "scans": [e for e in evidence if e.kind == EvidenceKind.SCAN],
        "documents": docs,
        "record_issued": record_issued,
        "times_form": given.get("times") or CorrectTimesForm(inspection=insp),
        "may_correct_times": editable and not record_issued,
        "reinspections": list(insp.reinspections.select_related("hazard")),  # type: ignore[attr-defined]
        "may_edit": editable,
        "is_draft": insp.status == InspectionStatus.DRAFT,
        "scan_form": given.get("scan") or ScanForm(),
        "evidence_form": given.get("evidence") or EvidenceForm(items=items),
        "finding_form": given.get("finding") or FindingAddForm(),
        "errors": errors or {},
        "domain_error": next((e for e in (errors or {}).values() if isinstance(e, PermissionRefused)), None),
        "today": timezone.localdate(),
    }
    return render(request, "inspections/detail.html", ctx, status=status)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, inspection_get(request, pk))


@login_required
def inspection_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A clean page of the on-site record for paper signature (rule 10: print, sign, scan)."""
    insp = inspection_get(request, pk)
    findings = record.record_findings(insp)
    # The same wording as the issued record (``inspections.record``): the sheet signed on paper
    # and the numbered document say the same thing.
    ctx = {
        "insp": insp,
        "ent": insp.enterprise,
        "officers": list(insp.officers.select_related("staff").order_by("order")),
        "experts": [e.staff for e in insp.experts.select_related("staff")],
        "place": record.record_place(insp),
        "content": record.record_content(insp),
        "situation": record.record_situation(insp, findings) if insp.status == InspectionStatus.COMPLETED or insp.summary else "",
        "findings": findings,
        "site": insp.site,
    }
    return render(request, "inspections/print.html", ctx)


@login_required
@require_POST
def inspection_correct_times(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the times of an inspection whose record is not issued (the service audits it)."""
    insp = inspection_get(request, pk)
    form = CorrectTimesForm(request.POST, inspection=insp)
    error, status = None, 200
    if form.is_valid():
        d = form.cleaned_data
        done, error, status = call_service(
            form, lambda: services.inspection_correct_times(actor=request.user, inspection=insp, started_at=d["started_at"], ended_at=d["ended_at"], reason=d["reason"])
        )
        if done is not None:
            messages.success(request, "检查起止时间已更正。")
            return redirect(reverse("inspections:detail", args=[insp.pk]) + "#record")
    return detail_page(request, insp, forms={"times": form}, errors={"times": error}, status=status)


@login_required
@require_POST
def inspection_scan(request: HttpRequest, pk: int) -> HttpResponse:
    insp = inspection_get(request, pk)
    form = ScanForm(request.POST, request.FILES)
    error, status = None, 200
    if form.is_valid():
        fh = form.cleaned_data["file"]
        ev, error, status = call_service(form, lambda: services.inspection_attach_signed_scan(actor=request.user, inspection=insp, fh=fh, name=fh.name))
        if ev is not None:
            messages.success(request, f"已上传签字扫描件“{ev.original_name}”。")
            return redirect(reverse("inspections:detail", args=[insp.pk]) + "#scan")
    return detail_page(request, insp, forms={"scan": form}, errors={"scan": error}, status=status)


@login_required
@require_POST
def inspection_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a photo, recording or video from the desktop (the phone uploads through the API)."""
    insp = inspection_get(request, pk)
    items = list(insp.items.order_by("order"))
    form = EvidenceForm(request.POST, request.FILES, items=items)
    error, status = None, 200
    if form.is_valid():
        d = form.cleaned_data
        item = next((i for i in items if i.pk == d["item"]), None)
        ev, error, status = call_service(form, lambda: services.evidence_add(actor=request.user, inspection=insp, kind=d["kind"], fh=d["file"], name=d["file"].name, item=item, note=d["note"]))
        if ev is not None:
            messages.success(request, f"已上传{ev.get_kind_display()}“{ev.original_name}”。")
            return redirect(reverse("inspections:detail", args=[insp.pk]) + "#evidence")
    return detail_page(request, insp, forms={"evidence": form}, errors={"evidence": error}, status=status)


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding outside the checklist."""
    insp = inspection_get(request, pk)
    form = FindingAddForm(request.POST)
    error, status = None, 200
    if form.is_valid():
        d = form.cleaned_data
        f, error, status = call_service(form, lambda: services.finding_add(actor=request.user, inspection=insp, description=d["description"], legal_basis=d["legal_basis"], order_to_correct=d["order_to_correct"]))
        if f is not None:
            messages.success(request, "已登记检查问题。")
            return redirect(reverse("inspections:detail", args=[insp.pk]) + "#findings")
    return detail_page(request, insp, forms={"finding": form}, errors={"finding": error}, status=status)

