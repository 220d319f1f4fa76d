"""Planning pages: the plans, the capacity (line by line), a plan with its cuts, conflicts and
items, and the steps (edit an item, submit, return, approve, revise).

Thin: forms check shape, services decide and write; a plan out of scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from anjian.core.errors import DomainError, PermissionRefused
from anjian.core.scoping import scope_for
from anjian.core.ui import call_service, refused
from anjian.law import planning as pl
from anjian.org.models import Agency
from anjian.planning import selectors, services
from anjian.planning.choices import PlanStatus
from anjian.planning.forms import CapacityForm, GenerateForm, ItemForm, ReasonForm, SubmitForm, YearForm
from anjian.planning.models import AnnualPlan

PAGE_SIZE = 100


def _member_agency(request: HttpRequest) -> Agency | None:
    scope = scope_for(request.user)
    if scope.agency_id is None or not scope.reads_business:
        return None
    return Agency.objects.select_related("jurisdiction").get(pk=scope.agency_id)


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    agency = _member_agency(request)
    if agency is None:
        return refused(request, "您不是执法机关的在职人员，不能查看年度计划。", "/")
    scope = scope_for(request.user)
    form = GenerateForm(request.POST or None, initial={"year": timezone.localdate().year + (1 if timezone.localdate().month >= 11 else 0)})
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        if not selectors.may_plan(request.user):
            return refused(request, "编制年度计划须由执法人员、科室负责人或局领导办理。", "/planning/")
        if form.is_valid():
            plan, error, status = call_service(form, lambda: services.plan_generate(actor=request.user, **form.cleaned_data))
            if plan is not None:
                messages.success(request, f"已生成{plan}（草稿）。")
                return redirect("planning:detail", pk=plan.pk)
        if status == 200:
            status = 422
    plans = list(selectors.plan_list(user=request.user)[:200])
    return render(
        request, "planning/list.html", {"plans": plans, "form": form, "error": error, "may_plan": selectors.may_plan(request.user), "agency": agency, "scope": scope}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def capacity(request: HttpRequest) -> HttpResponse:
    agency = _member_agency(request)
    if agency is None:
        return refused(request, "您不是执法机关的在职人员，不能查看计划力量测算。", "/")
    yf = YearForm(request.GET or {"year": timezone.localdate().year})
    year = yf.cleaned_data["year"] if yf.is_valid() else timezone.localdate().year
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        form = CapacityForm(request.POST)
        if form.is_valid():
            row, error, status = call_service(form, lambda: services.capacity_set(actor=request.user, **form.service_kwargs()))
            if row is not None:
                messages.success(request, f"{row.year}年力量测算已保存。")
                return redirect(f"{request.path}?year={row.year}")
        if status == 200:
            status = 422
        year = form.cleaned_data.get("year", year) if hasattr(form, "cleaned_data") else year
    row, cap = selectors.capacity_for(agency, year)
    if request.method != "POST":
        initial: dict[str, Any] = {"year": year, "reserve_share": row.reserve_share, "key_share": row.key_share, "officers_per_inspection": row.officers_per_inspection}
        initial.update({f"ded_{k}": v for k, v in (row.deductions or {}).items()})
        initial.update({f"per_{k}": v for k, v in selectors.workdays_map(row).items()})
        form = CapacityForm(initial=initial)
    may_edit = scope_for(request.user).has_role(*services.APPROVE_ROLES, "dept_head")
    ctx = {"cap": cap, "row": row, "year": year, "form": form, "error": error, "agency": agency, "may_edit": may_edit, "other": pl.OTHER_ENFORCEMENT, "non": pl.NON_ENFORCEMENT}
    return render(request, "planning/capacity.html", ctx, status=status)


def _detail(request: HttpRequest, plan: AnnualPlan, *, forms: dict[str, Any] | None = None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    scope = scope_for(request.user)
    page = Paginator(selectors.plan_items(plan), PAGE_SIZE).get_page(request.GET.get("page"))
    owner = scope.agency_id == plan.owner_agency_id
    given = forms or {}
    ctx = {
        "plan": plan,
        "page": page,
        "conflicts": selectors.plan_conflicts(plan),
        "owner": owner,
        "may_edit": owner and plan.status == PlanStatus.DRAFT and scope.has_role(*services.PLAN_ROLES),
        "may_submit": owner and plan.status == PlanStatus.DRAFT and scope.has_role(*services.PLAN_ROLES),
        "may_decide": owner and plan.status == PlanStatus.SUBMITTED and scope.has_role(*services.APPROVE_ROLES),
        "may_revise": owner and plan.status == PlanStatus.APPROVED and scope.has_role(*services.PLAN_ROLES),
        "submit_form": given.get("submit") or SubmitForm(),
        "reason_form": given.get("reason") or ReasonForm(),
        "item_form": given.get("item"),
        "item_pk": given.get("item_pk"),
        "error": error,
        "capacity_lines": plan.capacity.get("lines", []),
        "n_key": plan.items.filter(key=True).count(),
    }
    return render(request, "planning/detail.html", ctx, status=status)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.plan_get(user=request.user, pk=pk))


@login_required
@require_POST
def item_update(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    item = services.item_get(actor=request.user, plan=plan, pk=item_pk)
    form = ItemForm(request.POST)
    error, status = None, 422
    if form.is_valid():
        done, error, status = call_service(form, lambda: services.plan_item_update(actor=request.user, item=item, **form.cleaned_data))
        if done is not None:
            messages.success(request, f"已调整{done.enterprise_name}：{done.count}次。")
            return redirect("planning:detail", pk=plan.pk)
        status = status if status != 200 else 422
    return _detail(request, plan, forms={"item": form, "item_pk": item.pk}, error=error, status=status)


def _step(request: HttpRequest, pk: int, form_cls: type, key: str, fn: Any, done_message: str) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = form_cls(request.POST)
    error, status = None, 422
    if form.is_valid():
        result, error, status = call_service(form, lambda: fn(actor=request.user, plan=plan, **form.cleaned_data))
        if result is not None:
            messages.success(request, done_message.format(plan=result))
            return redirect("planning:detail", pk=result.pk)
        status = status if status != 200 else 422
    if isinstance(error, PermissionRefused) and status == 403 and error.code == "role_refused":
        return refused(request, error.message, f"/planning/{plan.pk}/")
    return _detail(request, plan, forms={key: form}, error=error, status=status)


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, SubmitForm, "submit", services.plan_submit, "{plan}已提交审批。")


@login_required
@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, ReasonForm, "reason", services.plan_return, "{plan}已退回修改。")


class _NoFields(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.clear()


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, _NoFields, "reason", services.plan_approve, "{plan}已批准。")


@login_required
@require_POST
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, ReasonForm, "reason", services.plan_revise, "已建立{plan}（草稿），原版本继续有效，直至新版本批准。")
