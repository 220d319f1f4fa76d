"""Organisation pages of a bureau (issue 10 item 1): the agency, departments, staff, memberships,
roles, certificates and the staff import. Thin: forms check shape, ``selectors`` read,
``services`` decide and write (and refuse: the role checks below only decide what is shown).

Who: the office (办公室) and the security administrator (安全管理员) of the bureau, for the
bureau's own organisation. Roles are granted by the security administrator only (三员分立).
A record of another bureau answers 404; a signed-in user of another role gets the refusal page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from anjian.core import idempotency
from anjian.core.errors import DomainError, NotFound
from anjian.core.ui import call_service, refused
from anjian.org import forms, importing, panels, selectors, services
from anjian.org.models import Agency, Certificate, Membership, Staff

PAGE_SIZE = 50
REFUSED = "组织机构管理页面仅供本机关的办公室和安全管理员使用。"


def _agency(request: HttpRequest) -> Agency:
    return selectors.own_agency(user=request.user)


def _refuse(request: HttpRequest, message: str = REFUSED, back: str | None = None) -> HttpResponse:
    return refused(request, message, back or reverse("home"))


def _form_page(
    request: HttpRequest, form: Any, error: DomainError | None, status: int, *, title: str, back: str, crumbs: list[tuple[str, str]] | None = None, **extra: Any
) -> HttpResponse:
    ctx = {"form": form, "domain_error": error, "title": title, "back": back, "crumbs": crumbs or [], **extra}
    return render(request, "org/form.html", ctx, status=status)


def _handle(request: HttpRequest, form: Any, run: Callable[[dict[str, Any]], Any], done: Callable[[Any], HttpResponse]) -> tuple[HttpResponse | None, DomainError | None, int]:
    """POST: validate the form, call the service; on success the ``done`` redirect."""
    if request.method != "POST" or not form.is_valid():
        return None, None, 200
    values = form.values()
    result, error, status = call_service(form, lambda: run(values))
    if result is not None:
        return done(result), None, 200
    return None, error, status


# --- the agency --------------------------------------------------------------------------------
@login_required
@require_GET
def agency(request: HttpRequest) -> HttpResponse:
    if not services.may_manage(request.user):
        return _refuse(request)
    a = _agency(request)
    ctx = {"agency": a, "heads": selectors.agency_heads(a), "departments": a.departments.order_by("kind", "name"), "may_grant": services.may_grant_roles(request.user)}
    return render(request, "org/agency.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest) -> HttpResponse:
    if not services.may_manage(request.user):
        return _refuse(request)
    a = _agency(request)
    initial = {k: getattr(a, k) for k in services.AGENCY_FIELDS}
    form = forms.AgencyForm(request.POST or None, initial=initial)

    def done(row: Agency) -> HttpResponse:
        messages.success(request, "机关信息已保存。")
        return redirect("org:agency")

    resp, error, status = _handle(request, form, lambda v: services.agency_update(actor=request.user, agency=a, **v), done)
    return resp or _form_page(request, form, error, status, title="修改机关信息", back=reverse("org:agency"), crumbs=[("本机关", reverse("org:agency"))])


@login_required
@require_http_methods(["GET", "POST"])
def agency_head(request: HttpRequest) -> HttpResponse:
    if not services.may_manage(request.user):
        return _refuse(request)
    a = _agency(request)
    form = forms.HeadForm(request.POST or None, agency=a)

    def done(head: Any) -> HttpResponse:
        messages.success(request, f"已指定{head.staff.name}为{head.get_kind_display()}，自{head.valid_from:%Y-%m-%d}起。")
        return redirect("org:agency")

    resp, error, status = _handle(request, form, lambda v: services.agency_head_set(actor=request.user, agency=a, **v), done)
    intro = "新指定的负责人自起始日期起任职，原负责人的任职于前一日结束；历史记录保留，各项审批按当日的负责人核对。"
    return resp or _form_page(request, form, error, status, title="指定机关负责人", intro=intro, back=reverse("org:agency"), crumbs=[("本机关", reverse("org:agency"))])


# --- departments -------------------------------------------------------------------------------
@login_required
@require_GET
def departments(request: HttpRequest) -> HttpResponse:
    if not services.may_manage(request.user):
        return _refuse(request)
    a = _agency(request)
    return render(request, "org/departments.html", {"agency": a, "departments": a.departments.order_by("kind", "name")})


@login_required
@require_http_methods(["GET", "POST"])
def department_create(request: HttpRequest) -> HttpResponse:
    if not services.may_manage(request.user):
        return _refuse(request)
    a = _agency(request)
    form = forms.DepartmentForm(request.POST or None)

    def done(d: Any) -> HttpResponse:
        messages.success(request, f"已新增科室“{d.name}”。")
        return redirect("org:departments")

    resp, error, status = _handle(request, form, lambda v: services.department_create(actor=request.user, agency=a, **v), done)
    return resp or _form_page(request, form, error, status, title="新增科室", back=reverse("org:departments"), crumbs=[("科室", reverse("org:departments"))])


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.managed_department_get(user=request.user, pk=pk)
    if not services.may_manage(request.user):
        return _refuse(request)
    form = forms.DepartmentForm(request.POST or None, initial={"name": d.name, "kind": d.kind, "sector_group": d.sector_group, "setup": d.setup})

    def done(row: Any) -> HttpResponse:
        messages.success(request, f"科室“{row.name}”已保存。")
        return redirect("org:departments")

    resp, error, status = _handle(request, form, lambda v: services.department_update(actor=request.user, department=d, **v), done)
    return resp or _form_page(request, form, error, status, title=f"修改科室：{d.name}", back=reverse("org:departments"), crumbs=[("科室", reverse("org:departments"))])


# --- staff -------------------------------------------------------------------------------------
@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    if not services.may_manage(request.user):
        return _refuse(request)
    a = _agency(request)
    form = forms.StaffFilterForm(request.GET or None, agency=a)
    rows = selectors.bureau_staff_list(user=request.user, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "org/staff_list.html", {"agency": a, "form": form, "page": page, "total": len(rows), "query": query.urlencode(), "today": selectors.today()})


def _new_person_page(request: HttpRequest, *, operation: str, form_class: Any, service: Callable[..., Staff], replayed: str, done: str, title: str, intro: str) -> HttpResponse:
    """A keyed form that brings a person into the bureau (registration, 调入): a double submit
    does it once and shows the person."""
    if not services.may_manage(request.user):
        return _refuse(request)
    a = _agency(request)
    key = request.POST.get(idempotency.FORM_FIELD) if request.method == "POST" else None
    first = idempotency.replayed(actor=request.user, operation=operation, key=key, model=Staff)
    if first is not None:
        messages.info(request, replayed.format(name=first.name))
        return redirect("org:staff_detail", pk=first.pk)
    form = form_class(request.POST or None, agency=a)

    def finished(s: Staff) -> HttpResponse:
        messages.success(request, done.format(name=s.name))
        return redirect("org:staff_detail", pk=s.pk)

    resp, error, status = _handle(request, form, lambda v: service(actor=request.user, agency=a, idempotency_key=key, **v), finished)
    return resp or _form_page(request, form, error, status, title=title, intro=intro, back=reverse("org:staff_list"), crumbs=[("人员", reverse("org:staff_list"))])


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    return _new_person_page(
        request,
        operation="staff.register",
        form_class=forms.StaffForm,
        service=services.staff_register,
        replayed="该表单已提交过，“{name}”已登记，未重复登记。",
        done="已登记人员“{name}”。角色由安全管理员授予。",
        title="登记人员",
        intro="登记人员及其在本机关的首个任职。角色（执法人员、法制审核人员等）由安全管理员另行授予（三员分立）。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_transfer_in(request: HttpRequest) -> HttpResponse:
    return _new_person_page(
        request,
        operation="staff.transfer_in",
        form_class=forms.TransferInForm,
        service=services.staff_transfer_in,
        replayed="该表单已提交过，“{name}”已调入，未重复办理。",
        done="“{name}”已调入本机关，其执法证和法律职业资格随人员转入。角色由安全管理员授予。",
        title="人员调入",
        intro="从其他机关调入的执法人员：按其执法证上的编号和姓名办理，人员信息、执法证及其年审记录随人员转入，不重复登记。原机关须先登记其任职结束。",
    )


def _staff(request: HttpRequest, pk: int) -> Staff:
    return selectors.managed_staff_get(user=request.user, pk=pk)


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request, pk)
    if not services.may_manage(request.user):
        return _refuse(request)
    today = selectors.today()
    try:
        on = forms.parse_on(request.GET.get("on"))
    except ValueError:
        return render(request, "org/bad_date.html", {"staff": staff, "value": request.GET.get("on", "")[:32]}, status=400)
    certs = selectors.staff_certificates(staff)
    rows = []
    for c in certs:
        evs = list(c.events.all())
        rows.append({
            "cert": c,
            "events": evs,
            "today": c.status_on(today, evs),
            "on": c.status_on(on, evs) if on else None,
            "review_due": selectors.annual_review_due(c, today, evs),
        })  # fmt: skip
    scope_agency = _agency(request)
    ctx = {
        "staff": staff,
        "agency": scope_agency,
        "memberships": selectors.staff_memberships(staff),
        "certs": rows,
        "today": today,
        "on": on,
        "may_grant": services.may_grant_roles(request.user),
        "moved": services.moved_to(staff, scope_agency.pk),
        "is_self": getattr(request.user, "pk", None) == staff.user_id,
        "panels": panels.staff_panels(request.user, staff),  # from the apps above org (complaints)
    }
    return render(request, "org/staff_detail.html", ctx)


def _back(staff: Staff) -> str:
    return reverse("org:staff_detail", args=[staff.pk])


def _crumbs(staff: Staff) -> list[tuple[str, str]]:
    return [("人员", reverse("org:staff_list")), (staff.name, _back(staff))]


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request, pk)
    if not services.may_manage(request.user):
        return _refuse(request)
    a = _agency(request)
    form = forms.MembershipForm(request.POST or None, agency=a)

    def done(m: Membership) -> HttpResponse:
        messages.success(request, "已新增任职。")
        return redirect(_back(staff))

    resp, error, status = _handle(request, form, lambda v: services.membership_add(actor=request.user, staff=staff, agency=a, **v), done)
    intro = "同一人员的任职期间不能重叠：如调整科室或职务，请先结束原任职。新任职不带角色，角色由安全管理员授予。"
    return resp or _form_page(request, form, error, status, title=f"新增任职：{staff.name}", intro=intro, back=_back(staff), crumbs=_crumbs(staff))


def _membership(request: HttpRequest, staff: Staff, mpk: int) -> Membership:
    agency_id = selectors.own_agency(user=request.user).pk
    m = Membership.objects.filter(pk=mpk, staff=staff, agency_id=agency_id).select_related("agency", "department").prefetch_related("role_grants").first()
    if m is None:
        raise NotFound()
    return m


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    staff = _staff(request, pk)
    m = _membership(request, staff, mpk)
    if not services.may_manage(request.user):
        return _refuse(request)
    form = forms.MembershipEndForm(request.POST or None)

    def done(row: Membership) -> HttpResponse:
        messages.success(request, f"任职已于{row.valid_to:%Y-%m-%d}结束。")
        return redirect(_back(staff))

    resp, error, status = _handle(request, form, lambda v: services.membership_end(actor=request.user, membership=m, **v), done)
    intro = f"{m.agency.short_name}{m.department.name if m.department else ''}{m.title}，自{m.valid_from:%Y-%m-%d}起。结束后任职记录保留，此前的执法行为仍按当日的任职核对。"
    return resp or _form_page(request, form, error, status, title=f"结束任职：{staff.name}", intro=intro, back=_back(staff), crumbs=_crumbs(staff), danger=True, submit="确认结束")


@login_required
@require_http_methods(["GET", "POST"])
def membership_roles(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    staff = _staff(request, pk)
    m = _membership(request, staff, mpk)
    if not services.may_grant_roles(request.user):
        return _refuse(request, services.GRANT_REFUSED, _back(staff))
    form = forms.RolesForm(request.POST or None, initial={"roles": m.roles})

    def done(row: Membership) -> HttpResponse:
        messages.success(request, "角色已变更。")
        return redirect(_back(staff))

    resp, error, status = _handle(request, form, lambda v: services.membership_roles_set(actor=request.user, membership=m, **v), done)
    intro = "角色自生效日期起变更：原任职于前一日结束，同一科室和职务的新任职自生效日期起按新角色计；历史角色保留。不能为自己变更角色。"
    return resp or _form_page(request, form, error, status, title=f"变更角色：{staff.name}", intro=intro, back=_back(staff), crumbs=_crumbs(staff))


@login_required
@require_http_methods(["GET", "POST"])
def certificate_add(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request, pk)
    if not services.may_manage(request.user):
        return _refuse(request)
    form = forms.CertificateForm(request.POST or None)

    def done(c: Certificate) -> HttpResponse:
        messages.success(request, f"已登记执法证{c.number}。")
        return redirect(_back(staff))

    resp, error, status = _handle(request, form, lambda v: services.certificate_register(actor=request.user, staff=staff, **v), done)
    return resp or _form_page(request, form, error, status, title=f"登记执法证：{staff.name}", back=_back(staff), crumbs=_crumbs(staff))


@login_required
@require_http_methods(["GET", "POST"])
def certificate_event(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    staff = _staff(request, pk)
    cert = Certificate.objects.filter(pk=cpk, staff=staff).first()
    if cert is None:
        raise NotFound()
    if not services.may_manage(request.user):
        return _refuse(request)
    form = forms.CertificateEventForm(request.POST or None)

    def done(ev: Any) -> HttpResponse:
        messages.success(request, f"已登记{ev.get_kind_display()}（{ev.date:%Y-%m-%d}）。")
        return redirect(_back(staff))

    resp, error, status = _handle(request, form, lambda v: services.certificate_event_record(actor=request.user, certificate=cert, **v), done)
    intro = f"执法证{cert.number}，有效期{cert.valid_from:%Y-%m-%d}至{cert.valid_to:%Y-%m-%d}。事件按日期记入证件历史，不能修改或删除。"
    return resp or _form_page(request, form, error, status, title=f"登记执法证事件：{staff.name}", intro=intro, back=_back(staff), crumbs=_crumbs(staff))


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request, pk)
    if not services.may_manage(request.user):
        return _refuse(request)
    form = forms.StaffDetailsForm(request.POST or None, initial={"name": staff.name, "gender": staff.gender, "phone": staff.phone, "note": staff.note})

    def done(s: Staff) -> HttpResponse:
        messages.success(request, "人员信息已保存。")
        return redirect(_back(staff))

    resp, error, status = _handle(request, form, lambda v: services.staff_details_set(actor=request.user, staff=staff, **v), done)
    intro = "更正姓名、性别、电话或备注；修改前后的内容记入审计。人员类别在登记时确定，不在此修改。"
    return resp or _form_page(request, form, error, status, title=f"修改人员信息：{staff.name}", intro=intro, back=_back(staff), crumbs=_crumbs(staff))


@login_required
@require_http_methods(["GET", "POST"])
def legal_qualification(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request, pk)
    if not services.may_manage(request.user):
        return _refuse(request)
    form = forms.LegalQualificationForm(request.POST or None, initial={"legal_qualification_no": staff.legal_qualification_no})

    def done(s: Staff) -> HttpResponse:
        messages.success(request, "法律职业资格证书编号已保存。")
        return redirect(_back(staff))

    resp, error, status = _handle(request, form, lambda v: services.staff_legal_qualification_set(actor=request.user, staff=staff, number=v["legal_qualification_no"]), done)
    intro = "初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格（行政处罚法第五十八条第二款）。"
    return resp or _form_page(request, form, error, status, title=f"法律职业资格：{staff.name}", intro=intro, back=_back(staff), crumbs=_crumbs(staff))


@login_required
@require_http_methods(["GET", "POST"])
def safety_qualification(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request, pk)
    if not services.may_manage(request.user):
        return _refuse(request)
    form = forms.SafetyQualificationForm(request.POST or None, initial={"qualified_on": staff.safety_qualified_on, "description": staff.safety_qualification})

    def done(s: Staff) -> HttpResponse:
        messages.success(request, "安全生产专业学历和实践经验已保存。")
        return redirect(_back(staff))

    resp, error, status = _handle(
        request, form, lambda v: services.staff_safety_qualification_set(actor=request.user, staff=staff, qualified_on=v["qualified_on"], description=v["description"]), done
    )
    intro = "具有安全生产相关专业学历和实践经验的执法人员数量应达到在职人员的75%以上（危险化学品安全监管执法力量）；调度统计按各期末在职人员计算该比例。"
    return resp or _form_page(request, form, error, status, title=f"安全生产专业学历和实践经验：{staff.name}", intro=intro, back=_back(staff), crumbs=_crumbs(staff))


# --- certificates ------------------------------------------------------------------------------
@login_required
@require_GET
def certificates(request: HttpRequest) -> HttpResponse:
    if not services.may_manage(request.user):
        return _refuse(request)
    lists = selectors.bureau_certificates(user=request.user)
    return render(request, "org/certificates.html", {"agency": _agency(request), "days": selectors.EXPIRING_DAYS, "today": selectors.today(), **lists})


# --- import ------------------------------------------------------------------------------------
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponseBase:
    if not services.may_manage(request.user):
        return _refuse(request)
    fh = tempfile.TemporaryFile(suffix=".xlsx")
    importing.write_template(actor=request.user, fh=fh)
    fh.seek(0)
    return FileResponse(fh, as_attachment=True, filename="人员和执法证导入模板.xlsx", content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if not services.may_manage(request.user):
        return _refuse(request)
    ctx: dict[str, Any] = {"columns": importing.COLUMNS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            ctx["error"] = DomainError("请选择要上传的.xlsx文件。", code="import_file")
            return render(request, "org/import_upload.html", ctx, status=422)
        try:
            job = importing.import_start(actor=request.user, upload=upload)
        except NotFound:
            raise
        except DomainError as exc:
            ctx["error"] = exc
            return render(request, "org/import_upload.html", ctx, status=exc.http_status)
        return redirect("org:import_preview", token=job.token)
    return render(request, "org/import_upload.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    job = importing.import_get(actor=request.user, token=token)
    if not services.may_manage(request.user):
        return _refuse(request)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        try:
            importing.import_confirm(actor=request.user, token=token)
            return redirect("org:import_preview", token=token)
        except NotFound:
            raise
        except DomainError as exc:
            error, status = exc, exc.http_status
            job = importing.import_get(actor=request.user, token=token)
    return render(request, "org/import_preview.html", {"job": job.meta, "token": token, "error": error, "columns": importing.COLUMNS}, status=status)
