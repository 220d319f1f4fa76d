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
from anjian.org.choices import Role
from anjian.org.models import Agency, Department
from anjian.planning import selectors, services
from anjian.planning.choices import IN_FORCE, PlanStatus
from anjian.planning.forms import (
    CapacityForm,
    DrawCommitForm,
    DrawPerformForm,
    EndRelationForm,
    GenerateForm,
    ItemForm,
    ProfileCreateForm,
    ProfileEditForm,
    ReasonForm,
    RelationForm,
    SubmitForm,
    YearForm,
)
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
    # Planned against done (issue 13 item 7): for a plan in force or superseded, not a draft.
    progress = selectors.plan_progress(plan) if plan.status in (*IN_FORCE, PlanStatus.SUPERSEDED) else None
    overdue_only = progress is not None and request.GET.get("overdue") == "1"
    # The units the fit cut, a page at a time (a city's plan may cut 97,000: never loaded whole).
    cut_only = not overdue_only and request.GET.get("cut") == "1"
    items = selectors.plan_items(plan)
    page: Any
    if cut_only:
        page = Paginator(items.filter(cut_from__isnull=False), PAGE_SIZE).get_page(request.GET.get("page"))
    elif overdue_only:
        assert progress is not None
        page = Paginator(progress.overdue_ids, PAGE_SIZE).get_page(request.GET.get("page"))
        by_pk = {i.pk: i for i in items.filter(pk__in=list(page.object_list))}
        page.object_list = [by_pk[pk] for pk in page.object_list if pk in by_pk]
    else:
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    if progress is not None:
        for i in page.object_list:
            i.progress = progress.items.get(i.pk)
    owner = scope.agency_id == plan.owner_agency_id
    given = forms or {}
    months, teams = selectors.plan_schedule(plan)
    ctx = {
        "plan": plan,
        "page": page,
        "conflicts": selectors.plan_conflicts(plan),
        "owner": owner,
        "may_edit": owner and plan.status == PlanStatus.DRAFT and scope.has_role(*services.PLAN_ROLES),
        "may_submit": owner and plan.status == PlanStatus.DRAFT and scope.has_role(*services.PLAN_ROLES),
        "may_decide": owner and plan.status == PlanStatus.SUBMITTED and scope.has_role(*services.APPROVE_ROLES),
        "may_revise": owner and plan.status in IN_FORCE and scope.has_role(*services.PLAN_ROLES),
        # Start an inspection from a plan item (the inspections app's roles: officer, supervisor, dept head).
        "may_inspect": owner and plan.status in IN_FORCE and scope.has_role(Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD),
        "may_file": owner and plan.status == PlanStatus.APPROVED and scope.has_role(*services.FILE_ROLES),
        "may_publish": owner and plan.status == PlanStatus.FILED and scope.has_role(*services.FILE_ROLES),
        "documents": services.plan_documents(plan),
        "submit_form": given.get("submit") or SubmitForm(),
        "reason_form": given.get("reason") or ReasonForm(),
        "item_form": given.get("item"),
        "item_pk": given.get("item_pk"),
        "error": error,
        "capacity_lines": plan.capacity.get("lines", []),
        "n_key": plan.items.filter(key=True).count(),
        "months": months,
        "teams": teams,
        "progress": progress,
        "overdue_only": overdue_only,
        "cut_only": cut_only,
        "share_check": plan.capacity_check()[1],
        "cut_reason": "计划力量不足，按风险由低到高削减一般检查单位，重点单位不削减",
        "departments": list(Department.objects.filter(agency_id=plan.owner_agency_id).order_by("kind", "name")) if owner else [],
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


@login_required
@require_POST
def plan_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, _NoFields, "reason", services.plan_file, "{plan}已报上级备案，计划文书已生成。")


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, _NoFields, "reason", services.plan_publish, "{plan}已公布。")


@login_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's items, month totals and capacity as .xlsx (计划明细表, filed with the document)."""
    from anjian.core import xlsx

    plan = selectors.plan_get(user=request.user, pk=pk)
    return xlsx.download(services.plan_xlsx(plan), f"{plan.owner_agency.short_name}{plan.year}年度监督检查计划-第{plan.version}版.xlsx")


# --- random draws (双随机) ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def draw_list(request: HttpRequest) -> HttpResponse:
    agency = _member_agency(request)
    if agency is None:
        return refused(request, "您不是执法机关的在职人员，不能查看双随机抽取。", "/")
    scope = scope_for(request.user)
    may_draw = scope.has_role(*services.DRAW_ROLES)
    form = DrawCommitForm(request.POST or None, initial={"per_inspection": 2})
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        if not may_draw:
            return refused(request, "组织双随机抽取须由科室负责人或局领导办理。", "/planning/draws/")
        if form.is_valid():
            d, error, status = call_service(form, lambda: services.draw_commit(actor=request.user, **form.cleaned_data))
            if d is not None:
                messages.success(request, "抽取条件已公示。到抽取时间后方可抽取。")
                return redirect("planning:draw", pk=d.pk)
        status = status if status != 200 else 422
    draws = list(selectors.draw_list(user=request.user)[:200])
    return render(request, "planning/draws.html", {"draws": draws, "form": form, "error": error, "may_draw": may_draw}, status=status)


def _draw_page(request: HttpRequest, d: Any, *, form: Any = None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    scope = scope_for(request.user)
    ok, message = services.draw_verify(d) if d.status == "drawn" else (False, "")
    ctx = {
        "d": d, "rows": selectors.draw_result_rows(d), "verified": ok, "verify_message": message, "form": form or DrawPerformForm(), "error": error,
        "exclusion_counts": selectors.draw_exclusion_counts(d),
        "may_perform": d.status == "committed" and scope.agency_id == d.owner_agency_id and scope.has_role(*services.DRAW_ROLES),
    }  # fmt: skip
    return render(request, "planning/draw.html", ctx, status=status)


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _draw_page(request, selectors.draw_get(user=request.user, pk=pk))


@login_required
@require_POST
def draw_perform(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.draw_get(user=request.user, pk=pk)
    form = DrawPerformForm(request.POST)
    error, status = None, 422
    if form.is_valid():
        done, error, status = call_service(form, lambda: services.draw_perform(actor=request.user, draw=d, **form.cleaned_data))
        if done is not None:
            messages.success(request, "抽取完成，结果已公示。")
            return redirect("planning:draw", pk=d.pk)
        status = status if status != 200 else 422
    return _draw_page(request, d, form=form, error=error, status=status)


# --- public pages (no login) ------------------------------------------------------------------------------------
PUBLIC_PER_MINUTE = 30


def _public_limited(request: HttpRequest) -> bool:
    """At most ``ANJIAN_PUBLIC_PLANS_PER_MINUTE`` requests a minute from one address to the public plan
    and draw pages: a draw's page re-runs the draw; nothing here may be used to load the server."""
    from django.conf import settings

    from anjian.core.ratelimit import over_per_minute

    return over_per_minute(request, "planning-public", int(getattr(settings, "ANJIAN_PUBLIC_PLANS_PER_MINUTE", PUBLIC_PER_MINUTE)))


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/public_limited.html", status=429)


@require_http_methods(["GET"])
def public_plans_index(request: HttpRequest) -> HttpResponse:
    """No login: the bureaus that have published a plan or hold a draw."""
    if _public_limited(request):
        return _too_many(request)
    return render(request, "planning/public_plans_index.html", {"rows": selectors.public_agencies()})


@require_http_methods(["GET"])
def public_plans(request: HttpRequest, code: str) -> HttpResponse:
    """No login: one bureau's published plans (year, version, totals by key/general, sector group and
    month; no unit, person or internal note) and its draws, each linked to its public page, with
    whether the result was published within the configured days."""
    from django.http import Http404

    if _public_limited(request):
        return _too_many(request)
    agency = Agency.objects.select_related("jurisdiction").filter(jurisdiction__code=code[:32]).order_by("pk").first()
    if agency is None:
        raise Http404
    import datetime as dt

    today, days = timezone.localdate(), services.publish_days()
    draws = []
    for d in selectors.public_draws(agency):
        if d.status == "drawn":
            # The result is public from the draw (its page and this one): on time when that is by the due date.
            published_on = timezone.localtime(d.drawn_at).date()
            due = d.publish_due or published_on
            draws.append({"d": d, "published_on": published_on, "due": due, "state": "on_time" if published_on <= due else "late"})
        else:
            due = timezone.localtime(d.draw_at).date() + dt.timedelta(days=days)
            state = "waiting" if d.draw_at > timezone.now() else ("overdue" if today > due else "due")
            draws.append({"d": d, "published_on": None, "due": due, "state": state})
    plans = selectors.public_plans(agency)
    ctx = {"agency": agency, "plans": plans, "draws": draws, "publish_days": days, "current_ids": {p.pk for p in plans if p.status == PlanStatus.PUBLISHED}}
    return render(request, "planning/public_plans.html", ctx)


@require_http_methods(["GET"])
def draw_public(request: HttpRequest, public_id: str) -> HttpResponse:
    """No login: the committed inputs, the result and its verification, for anyone (双随机、一公开)."""
    from django.http import Http404

    from anjian.planning.models import Draw

    if _public_limited(request):
        return _too_many(request)
    d = Draw.objects.select_related("owner_agency__jurisdiction").filter(public_id=public_id).first()
    if d is None:
        raise Http404
    ok, message = services.draw_verify(d) if d.status == "drawn" else (False, "尚未抽取。")
    rows = selectors.draw_result_rows(d)
    return render(request, "planning/draw_public.html", {"d": d, "rows": rows, "verified": ok, "verify_message": message, "exclusion_counts": selectors.draw_exclusion_counts(d)})


# --- grading profiles (issue 13 item 4) -----------------------------------------------------------------
def _province(request: HttpRequest) -> str:
    from anjian.legal import authority

    return authority.province_code(authority.actor_jurisdiction_code(request.user) or "") or ""


@login_required
@require_http_methods(["GET", "POST"])
def profile_list(request: HttpRequest) -> HttpResponse:
    """The profiles this bureau plans with (its province's own, else the sample), and for the top
    bureau's leaders and administrator, a province profile built from the sample."""
    scope = scope_for(request.user)
    if scope.agency_id is None:
        return refused(request, "您不是执法机关的在职人员，不能查看分级检查频次配置。", "/")
    agency = Agency.objects.select_related("jurisdiction").get(pk=scope.agency_id)
    province = _province(request)
    rows = list(selectors.profiles_visible(request.user))
    own = [p for p in rows if p.province == province and not p.is_sample]
    may_create = not own and services.profile_may_edit(request.user, province)
    form = ProfileCreateForm(request.POST or None)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        if not services.profile_may_edit(request.user, province):
            return refused(request, "分级检查频次配置只能由市级应急管理部门的局领导或系统管理员变更。", "/planning/profiles/")
        if form.is_valid():
            row, error, status = call_service(form, lambda: services.profile_create(actor=request.user, **form.cleaned_data))
            if row is not None:
                messages.success(request, f"已建立{row}（第1版，以示例配置为基础），请按本省规定调整频次和上限。")
                return redirect("planning:profile", pk=row.pk)
        status = status if status != 200 else 422
    in_use = selectors.profile_for(agency)
    ctx = {"rows": rows, "form": form, "error": error, "may_create": may_create, "province": province, "in_use": in_use}
    return render(request, "planning/profiles.html", ctx, status=status)


def _profile_page(request: HttpRequest, row: Any, *, form: Any = None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    may_edit = not row.is_sample and bool(row.province) and services.profile_may_edit(request.user, row.province)
    versions = list(selectors.profile_versions(row))
    shown = None
    if request.method == "GET" and request.GET.get("version"):
        shown = next((v for v in versions if str(v.version) == request.GET["version"]), None)
    if form is None and may_edit and shown is None:
        form = ProfileEditForm(data_of=row.data, initial={"name": row.name, "source": row.source, "key_rules": row.data.get("key_rules") or [], "active": row.active})
    data = shown.data if shown is not None else row.data
    ctx = {
        "row": row, "form": form if may_edit else None, "error": error, "versions": versions, "shown": shown, "data": data,
        "rules": _rules_view(data), "key_rules": [(k, label, k in (data.get("key_rules") or [])) for k, label in pl.KEY_RULES.items()],
    }  # fmt: skip
    return render(request, "planning/profile.html", ctx, status=status)


def _rules_view(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A rule as a reader sees it: whom it applies to, its basis and its counts per grade."""
    out = []
    for r in data.get("rules") or []:
        scope = "、".join([pl.GROUP_NAMES.get(g, g) for g in r.get("groups") or []] + list(r.get("features") or [])) or "其他行业（兜底规则）"
        basis = "风险等级" if r.get("basis") == "risk_grade" else "安全生产标准化等级"
        out.append({"name": r.get("name", ""), "scope": scope, "basis": basis, "ungraded": r.get("ungraded", ""), "grades": [(g, f, r["cap"].get(g)) for g, f in r["frequency"].items()]})
    return out


@login_required
@require_http_methods(["GET", "POST"])
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.profile_get(user=request.user, pk=pk)
    if request.method == "GET":
        return _profile_page(request, row)
    if row.is_sample or not services.profile_may_edit(request.user, row.province):
        return refused(request, "示例配置不能修改；本省配置只能由市级应急管理部门的局领导或系统管理员变更。", f"/planning/profiles/{row.pk}/")
    form = ProfileEditForm(request.POST, data_of=row.data)
    error, status = None, 422
    if form.is_valid():
        d = form.cleaned_data
        done, error, status = call_service(
            form,
            lambda: services.profile_update(actor=request.user, profile=row, data=form.profile_data(), name=d["name"], source=d["source"], reason=d["reason"], active=d["active"]),
        )
        if done is not None:
            messages.success(request, f"已保存{done}（第{done.version}版）。此后生成的计划按新版本编制，已生成的计划不变。")
            return redirect("planning:profile", pk=row.pk)
        status = status if status != 200 else 422
    return _profile_page(request, row, form=form, error=error, status=status)


# --- declared relations (利害关系申报, 回避: issue 13 item 5) -------------------------------------------------
def _relations_page(request: HttpRequest, *, form: Any = None, error: DomainError | None = None, end_pk: int | None = None, end_form: Any = None, status: int = 200) -> HttpResponse:
    scope = scope_for(request.user)
    page = Paginator(selectors.relations_visible(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "form": form or RelationForm(), "error": error, "page": page, "staff_id": scope.staff_id, "reads_all": scope.has_role(*selectors.RELATION_READ_ROLES),
        "end_pk": end_pk, "end_form": end_form,
    }  # fmt: skip
    return render(request, "planning/relations.html", ctx, status=status)


def _may_declare(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return scope.staff_id is not None and scope.agency_id is not None and scope.reads_business


@login_required
@require_http_methods(["GET", "POST"])
def relations(request: HttpRequest) -> HttpResponse:
    """An officer declares their own relations with units; the office and the leaders read those of
    the bureaus in their scope. The draw excludes every open declaration."""
    if not _may_declare(request):
        return refused(request, "您不是执法机关的在职人员，不能申报或查看利害关系。", "/")
    if request.method == "GET":
        return _relations_page(request)
    form = RelationForm(request.POST)
    error: DomainError | None = None
    status = 422
    if form.is_valid():
        row, error, status = call_service(form, lambda: services.relation_declare(actor=request.user, **form.cleaned_data))
        if row is not None:
            messages.success(request, f"已申报：{row}。此后的双随机抽取不会抽取您检查该单位。")
            return redirect("planning:relations")
        status = status if status != 200 else 422
    return _relations_page(request, form=form, error=error, status=status)


@login_required
@require_POST
def relation_end(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.relation_get(user=request.user, pk=pk)
    form = EndRelationForm(request.POST)
    error: DomainError | None = None
    status = 422
    if form.is_valid():
        done, error, status = call_service(form, lambda: services.relation_end(actor=request.user, relation=row, **form.cleaned_data))
        if done is not None:
            messages.success(request, f"已终止申报：{done}。")
            return redirect("planning:relations")
        if isinstance(error, PermissionRefused):
            return refused(request, error.message, "/planning/relations/")
        status = status if status != 200 else 422
    return _relations_page(request, error=error, end_pk=row.pk, end_form=form, status=status)
