"""Ledger screens. Thin: forms check shape, ``selectors`` read, ``services`` decide and write.

A service's ``ValidationFailed`` lands on the form's fields; ``PermissionRefused`` is shown next
to the button with HTTP 403; ``NotFound`` is a 404 (missing and out of scope look the same).
The ``may_*`` flags below only decide which buttons to show; the services still enforce.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from anjian.core import crypto, idempotency
from anjian.core.audit import ACTIONS
from anjian.core.errors import DomainError
from anjian.core.models import Division
from anjian.core.paging import Counted
from anjian.core.scoping import Scope, scope_for
from anjian.core.ui import call_service, refused
from anjian.core.validators import ID_FIELDS, mask_id_numbers_in
from anjian.documents import selectors as document_selectors
from anjian.enterprises import importing, selectors, services
from anjian.enterprises.forms import (
    ChildForm,
    EnterpriseFilterForm,
    EnterpriseForm,
    StatusForm,
    SubjectEndForm,
    SubjectForm,
    TransferForm,
)
from anjian.enterprises.models import (
    Enterprise,
    Feature,
    KeyPerson,
    Licence,
    MajorHazardSource,
    PlannedSubject,
    Sector,
    SectorGroup,
    Site,
)
from anjian.org.choices import LEDGER_WRITE_ROLES, Role

PAGE_SIZE = 50
HISTORY_LIMIT = 50
AUDIT_LIMIT = 100
DOCUMENTS_SHOWN = 20  # the ledger's documents tab; the register lists them all


# --- who may do what (display only; the services decide) ----------------------------------------
def may_write(scope: Scope, ent: Enterprise) -> bool:
    return scope.agency_id == ent.owner_agency_id and scope.has_role(*LEDGER_WRITE_ROLES)


def may_transfer(scope: Scope, ent: Enterprise) -> bool:
    return scope.agency_id == ent.owner_agency_id and scope.has_role(*services.TRANSFER_ROLES)


def _enterprise(request: HttpRequest, pk: int) -> Enterprise:
    return selectors.enterprise_get(user=request.user, pk=pk)


def _refused(request: HttpRequest, message: str, ent: Enterprise | None = None) -> HttpResponse:
    back = reverse("enterprises:detail", args=[ent.pk]) if ent else reverse("enterprises:list")
    return refused(request, message, back, ent=ent)


def _refused_write(request: HttpRequest, scope: Scope, ent: Enterprise, role_message: str) -> HttpResponse:
    """The refusal page for a form the user may not use (another bureau's unit, or the role)."""
    return _refused(request, _not_owner_message(ent) if scope.agency_id != ent.owner_agency_id else role_message, ent)


def _not_owner_message(ent: Enterprise) -> str:
    return f"企业“{ent.name}”由{ent.owner_agency.name}管理，本机关只能查看，不能修改（各机关以自己的名义执法）。"


# --- 1. list -----------------------------------------------------------------------------------
@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    form = EnterpriseFilterForm(request.GET, scope=scope)
    filters, sort = form.filters(), form.sort_key()
    qs = selectors.enterprise_list(user=request.user, filters=filters, sort=sort)
    paginator = Paginator(Counted(qs, selectors.enterprise_count(user=request.user, filters=filters)), PAGE_SIZE)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    measures = selectors.active_measures([e.pk for e in rows])
    for e in rows:
        e.op_status = selectors.operating_status(e, measures.get(e.pk, []))
        e.sector_labels = [c.label for c in form.classes.sectors_of(e.class_bits)]
        e.feature_labels = [c.label for c in form.classes.features_of(e.class_bits)]
    export_qs = request.GET.copy()
    export_qs.pop("page", None)
    ctx = {
        "form": form,
        "page": page,
        "page_numbers": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "ellipsis": paginator.ELLIPSIS,
        "rows": rows,
        "sort": sort,
        "sort_keys": list(selectors.SORTS),
        "filters": filters,
        "export_query": export_qs.urlencode(),
        "may_create": scope.has_role(*LEDGER_WRITE_ROLES),
        # The same predicate as the import service's refusal (importing._require_writer).
        "may_import": importing.may_import(request.user),
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and htmx.target == "ledger-results" and not htmx.history_restore_request  # type: ignore[union-attr]
    response = render(request, "enterprises/partials/list_results.html" if partial else "enterprises/list.html", ctx)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


# --- 2. detail ---------------------------------------------------------------------------------
@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ent = _enterprise(request, pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    subjects = sorted(ent.planned_subjects.all(), key=lambda ps: ps.valid_from, reverse=True)
    # Names for the child tables from what enterprise_get prefetched (no query per row).
    sites = list(ent.sites.all())
    site_names = {s.pk: s.name for s in sites}
    divisions = {d.code: d.name for d in Division.objects.filter(code__in={s.division_id for s in sites if s.division_id})}
    for s in sites:
        s.division_name = divisions.get(s.division_id or "", "")  # type: ignore[attr-defined]
    for h in ent.hazard_sources.all():
        h.site_name = site_names.get(h.site_id or 0, "")  # type: ignore[attr-defined]
    group_names = dict(SectorGroup.objects.values_list("code", "name"))
    ctx: dict[str, Any] = {
        "ent": ent,
        "sector_labels": [f"{group_names.get(s.group_id, '')}·{s.name}" for s in ent.sectors.all()],
        "today": today,
        "op_status": selectors.operating_status(ent),
        "subject_today": selectors.planned_subject_on(ent, today),
        "subjects": subjects,
        "status_events": list(ent.status_events.all()),
        # The documents addressed to the unit (documents register, issue 14): the latest, and the count.
        "documents": list(document_selectors.document_list(request.user).filter(enterprise_id=ent.pk).order_by("-issued_at", "-id")[:DOCUMENTS_SHOWN]),
        "documents_count": document_selectors.document_list(request.user).filter(enterprise_id=ent.pk).count(),
        "history": _history_rows(ent),
        "audit": _audit_rows(ent),
        "may_write": may_write(scope, ent),
        "may_transfer": may_transfer(scope, ent),
        "may_assign_subject": services.may_assign_subject(scope, ent),
        # Any bureau with jurisdiction may inspect (the planned subject drives plans, not access).
        "may_inspect": scope.has_role(Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD),
        "children": CHILDREN,
    }
    if ctx["may_assign_subject"]:
        ctx["subject_form"] = SubjectForm(enterprise=ent)
    return render(request, "enterprises/detail.html", ctx)


# --- how history and audit values read: labels from the models, FK ids and codes as names -------
_EXTRA_LABELS = {
    "sectors": "监管行业",
    "features": "行业领域特征",
    "effective_date": "生效日期",
    "id": "记录编号",
}
# Keys not worth a line: the unit itself, and names already shown through their id.
_HIDDEN_KEYS = {"search_text", "enterprise", "agency_name"}
_CHILD_BY_PREFIX: dict[str, type[models.Model]] = {"site": Site, "licence": Licence, "keyperson": KeyPerson, "hazardsource": MajorHazardSource}


def _audit_model(action: str) -> type[models.Model]:
    """The model whose fields an audit event's before/after hold (children are audited on the unit)."""
    if action.startswith("enterprise.subject"):
        return PlannedSubject
    return _CHILD_BY_PREFIX.get(action.split(".")[0], Enterprise)


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class _Display:
    """Formats (model, field, value) triples; every FK id and code is resolved with one
    ``in_bulk`` query per related model, never one per row."""

    def __init__(self, items: list[tuple[type[models.Model], str, Any]]) -> None:
        wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        for model, name, value in items:
            related = self._related(model, name)
            if related is None or value in (None, ""):
                continue
            wanted[related].update(value if isinstance(value, list) else [value])
        self.names: dict[type[models.Model], dict[str, str]] = {}
        for related, ids in wanted.items():
            qs = related._default_manager.all()
            if related is Sector:
                qs = qs.select_related("group")  # str(sector) names its group
            self.names[related] = {str(pk): str(obj) for pk, obj in qs.in_bulk(list(ids)).items()}

    @staticmethod
    def _related(model: type[models.Model], name: str) -> type[models.Model] | None:
        if name == "sectors":
            return Sector
        if name == "features":
            return Feature
        f = _field(model, name)
        related = f.related_model if isinstance(f, models.ForeignKey) else None
        return related if isinstance(related, type) else None

    @staticmethod
    def label(model: type[models.Model], name: str) -> str:
        if name in _EXTRA_LABELS:
            return _EXTRA_LABELS[name]
        f = _field(model, name) or _field(Enterprise, name)
        return str(f.verbose_name) if f is not None else name

    def value(self, model: type[models.Model], name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "（空）"
        if name in crypto.PII_FIELD_KINDS and isinstance(value, str):
            return crypto.MASKERS[crypto.PII_FIELD_KINDS[name]](value)  # encrypted personal data: masked as everywhere
        if name in ID_FIELDS:
            return mask_id_numbers_in(value)  # the audit tab lists them like the key-people tab
        if isinstance(value, bool):
            return "是" if value else "否"
        related = self._related(model, name)
        if related is not None:
            names = self.names.get(related, {})
            vals = value if isinstance(value, list) else [value]
            return "、".join(names.get(str(v), str(v)) for v in vals)
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        f = _field(model, name)
        if f is not None and f.choices:
            return str(dict(f.flatchoices).get(value, value))
        return str(value)


def _history_rows(ent: Enterprise) -> list[dict[str, Any]]:
    """django-simple-history rows with the fields each changed. Each record is diffed against the
    next older one already loaded (the same as ``record.prev_record``, without a query per row)."""
    records = list(ent.history.select_related("history_user__staff").order_by("-history_date", "-history_id")[: HISTORY_LIMIT + 1])
    deltas = []
    for i, rec in enumerate(records[:HISTORY_LIMIT]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = rec.diff_against(prev).changes if prev is not None else []
        if prev is not None and not changes:
            continue  # a touch of updated_at when a child record changed: the audit tab tells what
        deltas.append((rec, changes))
    display = _Display([(Enterprise, ch.field, v) for _, changes in deltas for ch in changes for v in (ch.old, ch.new)])
    rows = []
    for rec, changes in deltas:
        user = rec.history_user
        staff = getattr(user, "staff", None) if user is not None else None
        rows.append(
            {
                "at": rec.history_date,
                "type": {"+": "创建", "~": "修改", "-": "删除"}.get(rec.history_type, rec.history_type),
                "user": getattr(staff, "name", "") or (user.get_username() if user else "系统"),
                "changes": [
                    {"label": display.label(Enterprise, ch.field), "old": display.value(Enterprise, ch.field, ch.old), "new": display.value(Enterprise, ch.field, ch.new)}
                    for ch in changes
                ],
            }
        )
    return rows


def _audit_rows(ent: Enterprise) -> list[dict[str, Any]]:
    """AuditEvent rows of the unit. A creation or deletion lists only the fields that hold a value;
    an update lists before → after."""
    events = list(selectors.enterprise_audit(ent)[:AUDIT_LIMIT])
    prepared = []
    for ev in events:
        before = ev.before if isinstance(ev.before, dict) else {}
        after = ev.after if isinstance(ev.after, dict) else {}
        model = _audit_model(ev.action)
        one_sided = not before or not after
        keys = [k for k in dict.fromkeys([*before, *after]) if k not in _HIDDEN_KEYS]
        if one_sided:
            keys = [k for k in keys if (before.get(k) if k in before else after.get(k)) not in (None, "", [])]
        prepared.append((ev, model, before, after, keys))
    display = _Display([(m, k, d[k]) for _, m, b, a, keys in prepared for k in keys for d in (b, a) if k in d])
    rows = []
    for ev, model, before, after, keys in prepared:
        changes = [
            {
                "label": display.label(model, k),
                "old": display.value(model, k, before[k]) if k in before and after else "",
                "new": display.value(model, k, after[k] if k in after else before[k]),
            }
            for k in keys
        ]
        rows.append({"ev": ev, "label": ACTIONS.get(ev.action, ev.action), "changes": changes, "removed": bool(before) and not after})
    return rows


# --- 3. create / edit --------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.has_role(*LEDGER_WRITE_ROLES):
        return _refused(request, "您的账号无权登记企业：须为本机关的执法、监管人员或科室负责人。")
    key = request.POST.get(idempotency.FORM_FIELD) if request.method == "POST" else None
    first = idempotency.replayed(actor=request.user, operation="enterprise.create", key=key, model=Enterprise)
    if first is not None:
        # A double submit (or a reload of the POST): show what the first submit registered.
        messages.info(request, f"该表单已提交过，企业“{first.name}”已登记，未重复登记。")
        return redirect("enterprises:detail", pk=first.pk)
    form = EnterpriseForm(request.POST or None, scope=scope, creating=True)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        jurisdiction = form.cleaned_data["jurisdiction"]
        ent, error, status = call_service(form, lambda: services.enterprise_create(actor=request.user, jurisdiction=jurisdiction, idempotency_key=key, **form.service_kwargs()))
        if ent is not None:
            messages.success(request, f"已登记企业“{ent.name}”。")
            return redirect("enterprises:detail", pk=ent.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "domain_error": error, "creating": True}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ent = _enterprise(request, pk)
    scope = scope_for(request.user)
    if not may_write(scope, ent):
        # Refused before the form is read: the same rule as services.enterprise_update's owner check.
        return _refused_write(request, scope, ent, "您的角色无权修改企业信息。")
    form = EnterpriseForm(request.POST or None, scope=scope, creating=False, enterprise=ent)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        done, error, status = call_service(form, lambda: services.enterprise_update(actor=request.user, enterprise=ent, version=version, **form.service_kwargs()))
        if done is not None:
            messages.success(request, "企业信息已保存。")
            return redirect("enterprises:detail", pk=ent.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "domain_error": error, "ent": ent, "creating": False}, status=status)


# --- 4.–6. workflow steps ----------------------------------------------------------------------
def _step_page(request: HttpRequest, ent: Enterprise, form: Any, error: DomainError | None, status: int, **extra: Any) -> HttpResponse:
    return render(request, "enterprises/step_form.html", {"ent": ent, "form": form, "domain_error": error, **extra}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_status(request: HttpRequest, pk: int) -> HttpResponse:
    ent = _enterprise(request, pk)
    scope = scope_for(request.user)
    if request.method == "GET" and not may_write(scope, ent):
        return _refused_write(request, scope, ent, "您的角色无权变更经营状态。")
    form = StatusForm(request.POST or None, enterprise=ent)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ev, error, status = call_service(form, lambda: services.enterprise_set_status(actor=request.user, enterprise=ent, status=d["status"], effective_date=d["effective_date"], reason=d["reason"]))
        if ev is not None:
            messages.success(request, f"已登记经营状态变更：{ev.get_status_display()}（自{ev.effective_date:%Y-%m-%d}起）。")
            return redirect(reverse("enterprises:detail", args=[ent.pk]) + "#tab-status")
    intro = f"当前申报状态：{ent.get_declared_status_display()}。此处登记企业自己申报的在产、停产或关闭；停产整顿等措施由执法文书产生，不在此处设置。"
    return _step_page(request, ent, form, error, status, title="变更经营状态", intro=intro, submit="登记变更")


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    ent = _enterprise(request, pk)
    scope = scope_for(request.user)
    if request.method == "GET" and not may_transfer(scope, ent):
        return _refused_write(request, scope, ent, "辖区移交须由科室负责人、局领导或系统管理员办理。")
    form = TransferForm(request.POST or None, enterprise=ent)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        moved, error, status = call_service(form, lambda: services.enterprise_transfer(actor=request.user, enterprise=ent, to_jurisdiction=d["to_jurisdiction"], effective_date=d["effective_date"], reason=d["reason"]))
        if moved is not None:
            messages.success(request, f"企业“{moved.name}”已移交{d['to_jurisdiction'].name}（{moved.owner_agency.name}管理）。")
            # The unit may now be outside the user's scope: go back to the list.
            return redirect("enterprises:list")
    intro = f"当前所属辖区：{ent.jurisdiction.name}（{ent.owner_agency.name}）。移交后由移入辖区的应急管理局管理，本机关可能无法再查看该企业。"
    return _step_page(request, ent, form, error, status, title="辖区移交", intro=intro, submit="确认移交", danger=True)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_subject(request: HttpRequest, pk: int) -> HttpResponse:
    ent = _enterprise(request, pk)
    scope = scope_for(request.user)
    if request.method == "GET" and not services.may_assign_subject(scope, ent):
        return _refused(request, "只有企业所属机关或市局的科室负责人、局领导或系统管理员可以指定年度计划执法主体。", ent)
    form = SubjectForm(request.POST or None, enterprise=ent)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ps, error, status = call_service(
            form,
            lambda: services.planned_subject_assign(actor=request.user, enterprise=ent, agency=d["agency"], valid_from=d["valid_from"], valid_to=d["valid_to"], note=d["note"]),
        )
        if ps is not None:
            messages.success(request, f"已指定{ps.agency.name}为年度计划执法主体。")
            return redirect(reverse("enterprises:detail", args=[ent.pk]) + "#tab-subjects")
    subjects = sorted(ent.planned_subjects.all(), key=lambda p: p.valid_from, reverse=True)
    intro = "一企一主体：同一期间只能有一个年度计划执法主体（企业所属机关或其上级市局）。"
    return _step_page(request, ent, form, error, status, title="指定年度计划执法主体", intro=intro, submit="指定", subjects=subjects)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_subject_end(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    ent = _enterprise(request, pk)
    ps = selectors.planned_subject_of(ent, subject_pk)
    scope = scope_for(request.user)
    if request.method == "GET" and not services.may_assign_subject(scope, ent):
        return _refused(request, "只有企业所属机关或市局的科室负责人、局领导或系统管理员可以结束年度计划执法主体。", ent)
    form = SubjectEndForm(request.POST or None)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        valid_to = form.cleaned_data["valid_to"]
        ended, error, status = call_service(form, lambda: services.planned_subject_end(actor=request.user, subject=ps, valid_to=valid_to))
        if ended is not None:
            messages.success(request, f"{ended.agency.name}的年度计划执法主体至{valid_to:%Y-%m-%d}止。")
            return redirect(reverse("enterprises:detail", args=[ent.pk]) + "#tab-subjects")
    until = f"至{ps.valid_to:%Y-%m-%d}" if ps.valid_to else "长期"
    intro = f"{ps.agency.name}：自{ps.valid_from:%Y-%m-%d}起{until}。结束后该企业在截止日期之后没有执法主体，可再指定新的执法主体。"
    return _step_page(request, ent, form, error, status, title="结束年度计划执法主体", intro=intro, submit="确认结束", danger=True)


# --- 7. child records --------------------------------------------------------------------------
@dataclass(frozen=True)
class ChildKind:
    model: type[models.Model]
    label: str
    tab: str


CHILDREN: dict[str, ChildKind] = {
    "sites": ChildKind(Site, "经营场所", "sites"),
    "licences": ChildKind(Licence, "许可证", "licences"),
    "key-people": ChildKind(KeyPerson, "关键人员", "people"),
    "hazard-sources": ChildKind(MajorHazardSource, "重大危险源", "hazards"),
}


def _child_kind(child: str) -> ChildKind:
    kind = CHILDREN.get(child)
    if kind is None:
        raise Http404("没有这类记录。")
    return kind


def _child_obj(ent: Enterprise, kind: ChildKind, child_pk: int) -> Any:
    return selectors.child_of(ent, kind.model, child_pk)


def _detail_tab(ent: Enterprise, kind: ChildKind) -> str:
    return reverse("enterprises:detail", args=[ent.pk]) + f"#tab-{kind.tab}"


@login_required
@require_http_methods(["GET", "POST"])
def child_create(request: HttpRequest, pk: int, child: str) -> HttpResponse:
    kind = _child_kind(child)
    ent = _enterprise(request, pk)
    scope = scope_for(request.user)
    if request.method == "GET" and not may_write(scope, ent):
        return _refused_write(request, scope, ent, "您的角色无权修改企业台账。")
    form = ChildForm(request.POST or None, model=kind.model, enterprise=ent)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        obj, error, status = call_service(form, lambda: services.child_create(actor=request.user, enterprise=ent, model=kind.model, **form.cleaned_data))
        if obj is not None:
            messages.success(request, f"已新增{kind.label}“{obj}”。")
            return redirect(_detail_tab(ent, kind))
    return _step_page(request, ent, form, error, status, title=f"新增{kind.label}", submit="保存", cancel=_detail_tab(ent, kind))


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int, child: str, child_pk: int) -> HttpResponse:
    kind = _child_kind(child)
    ent = _enterprise(request, pk)
    obj = _child_obj(ent, kind, child_pk)
    scope = scope_for(request.user)
    if request.method == "GET" and not may_write(scope, ent):
        return _refused_write(request, scope, ent, "您的角色无权修改企业台账。")
    form = ChildForm(request.POST or None, model=kind.model, enterprise=ent, instance=obj)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        done, error, status = call_service(form, lambda: services.child_update(actor=request.user, obj=obj, **form.cleaned_data))
        if done is not None:
            messages.success(request, f"{kind.label}“{done}”已保存。")
            return redirect(_detail_tab(ent, kind))
    return _step_page(request, ent, form, error, status, title=f"修改{kind.label}：{obj}", submit="保存", cancel=_detail_tab(ent, kind))


@login_required
@require_http_methods(["GET", "POST"])
def child_delete(request: HttpRequest, pk: int, child: str, child_pk: int) -> HttpResponse:
    """GET asks for confirmation; only POST deletes."""
    kind = _child_kind(child)
    ent = _enterprise(request, pk)
    obj = _child_obj(ent, kind, child_pk)
    scope = scope_for(request.user)
    if request.method == "GET" and not may_write(scope, ent):
        return _refused_write(request, scope, ent, "您的角色无权修改企业台账。")
    error, status = None, 200
    if request.method == "POST":
        done, error, status = call_service(None, lambda: services.child_delete(actor=request.user, obj=obj) or True)
        if done:
            messages.success(request, f"已删除{kind.label}“{obj}”。")
            return redirect(_detail_tab(ent, kind))
    ctx = {"ent": ent, "obj": obj, "kind": kind, "domain_error": error, "cancel": _detail_tab(ent, kind)}
    return render(request, "enterprises/child_confirm_delete.html", ctx, status=status)
