"""Pages of penalty cases: publication.

* ``/cases/publications/``: the bureau's queue (due dates of §78 and of credit publicity), with the
  decisions that must be withdrawn first; each action form shown only to the roles that may use it.
* ``/cases/dishonesty/``: candidates with the reason each is or is not listed, the entries, export.
* ``/public/penalties/`` (``public_penalties``, routed in ``anjian/urls.py``): anyone, no login;
  released and not withdrawn rows only; searched by party name, USCC, dates and district; no
  internal ids; its own light template without a CSRF token, so that a public cache may keep it
  for a few minutes (a withdrawal is therefore visible within ``PUBLIC_MAX_AGE`` seconds, well
  inside the 3 working days of 行政处罚法 §48).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anjian.cases import dishonesty, publication
from anjian.cases.models import Case
from anjian.cases.models_publication import DishonestyEntry, DishonestyStatus, Publication, PublicationStatus
from anjian.core.duties import is_same_person
from anjian.core.errors import DomainError
from anjian.core.ids import IdField
from anjian.core.scoping import Scope, get_for_user, scope_for
from anjian.core.ui import call_service
from anjian.enterprises.models import Enterprise
from anjian.law import dishonesty as law

PAGE_SIZE = 50
PUBLIC_PAGE_SIZE = 20
PUBLIC_MAX_AGE = 300


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


# --- forms -----------------------------------------------------------------------------------------------
class PrepareForm(forms.Form):
    on = _date("制作日期")
    text = forms.CharField(label="公开文本（不填则按案件记录生成）", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))


class OnForm(forms.Form):
    on = _date("日期")


class CreditForm(forms.Form):
    reported_on = _date("报送日期")
    reference = forms.CharField(label="报送回执或编号", required=False, max_length=100)


class ChangedForm(forms.Form):
    changed_on = _date("决定被变更、撤销或确认无效的日期")
    reason = forms.CharField(label="情况说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    on = _date("撤回日期")
    reason = forms.CharField(label="撤回理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(forms.Form):
    enterprise = IdField(label="单位编号")
    condition = forms.ChoiceField(label="列入情形", choices=[(c.code, ("【条文待取得】" if c.text_pending else "") + c.text) for c in law.CONDITIONS])
    case = IdField(label="所依据的案件编号（处罚记录未显示的情形须填写）", required=False)
    on = _date("提出日期")


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="决定", choices=[("1", "列入"), ("0", "不列入")], coerce=lambda v: v == "1")
    on = _date("决定日期")
    note = forms.CharField(label="决定意见", required=False, max_length=2000)


class StatementForm(forms.Form):
    objection = forms.CharField(label="当事人的陈述申辩", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    review = forms.CharField(label="复核意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class RemoveForm(forms.Form):
    on = _date("移出日期")
    early = forms.BooleanField(label="依申请提前移出", required=False)
    repair_reference = forms.CharField(label="信用修复材料", required=False, max_length=200)
    reason = forms.CharField(label="移出理由", required=False, max_length=2000)


class PublicSearchForm(forms.Form):
    q = forms.CharField(label="单位名称", required=False, max_length=100)
    uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    date_from = forms.DateField(label="决定日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    district = forms.CharField(label="辖区", required=False, max_length=100)


# --- who may act ---------------------------------------------------------------------------------------------
def _owner(scope: Scope, obj: Any, roles: tuple[str, ...]) -> bool:
    return scope.agency_id == obj.owner_agency_id and scope.has_role(*roles)


def publication_actions(user: Any, p: Publication) -> dict[str, bool]:
    scope = scope_for(user)
    open_ = p.status != PublicationStatus.WITHDRAWN
    return {
        "prepare": open_ and p.status in (PublicationStatus.QUEUED, PublicationStatus.PREPARED) and _owner(scope, p, publication.PREPARE_ROLES),
        "release": p.status == PublicationStatus.PREPARED and _owner(scope, p, publication.RELEASE_ROLES) and not is_same_person(p.prepared_by, user),
        "credit": p.credit_reported_on is None and _owner(scope, p, publication.CREDIT_ROLES),
        "changed": open_ and p.decision_changed_on is None and _owner(scope, p, publication.RELEASE_ROLES),
        "withdraw": open_ and _owner(scope, p, publication.RELEASE_ROLES),
    }


PUBLICATION_ACTIONS: dict[str, tuple[type[forms.Form], Callable[[Any, Publication, dict[str, Any]], Any], str]] = {
    "prepare": (PrepareForm, lambda u, p, d: publication.publication_prepare(actor=u, publication=p, **d), "公开文本已制作，待审核发布。"),
    "release": (OnForm, lambda u, p, d: publication.publication_release(actor=u, publication=p, **d), "处罚决定信息已公开。"),
    "credit": (CreditForm, lambda u, p, d: publication.publication_credit_report(actor=u, publication=p, **d), "已登记报送信用信息公示平台。"),
    "changed": (ChangedForm, lambda u, p, d: publication.publication_decision_changed(actor=u, case=p.case, **d), "已登记，撤回期限开始计算。"),
    "withdraw": (WithdrawForm, lambda u, p, d: publication.publication_withdraw(actor=u, case=p.case, **d), "已撤回。"),
}


# --- the bureau's queue ----------------------------------------------------------------------------------------
@login_required
def publication_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = Paginator(publication.publication_queue_list(user=request.user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(p, publication_actions(request.user, p)) for p in page.object_list]
    to_withdraw = list(publication.publications_to_withdraw(user=request.user)[:PAGE_SIZE])
    ctx = {"page": page, "rows": rows, "to_withdraw": to_withdraw, "status": status, "statuses": PublicationStatus.choices, "today": timezone.localdate()}
    return render(request, "cases/publication/queue.html", ctx)


def _publication_page(request: HttpRequest, p: Publication, *, forms_: dict[str, forms.Form] | None = None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    may = publication_actions(request.user, p)
    built = {name: (forms_ or {}).get(name) or cls(initial={"on": today, "reported_on": today}) for name, (cls, _fn, _msg) in PUBLICATION_ACTIONS.items()}
    deadlines = list(p.case.deadlines.filter(code__in=["publication", "credit_publicity", "publication_withdrawal"]).order_by("-active", "due", "id"))
    ctx = {"p": p, "may": may, "forms": built, "error": error, "deadlines": deadlines, "case": p.case}
    return render(request, "cases/publication/detail.html", ctx, status=status)


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_for_user(Publication.objects.select_related("case", "prepared_by__staff", "released_by__staff", "withdrawn_by__staff"), request.user, pk)
    return _publication_page(request, p)


@login_required
@require_POST
def publication_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    p = get_for_user(Publication.objects.select_related("case"), request.user, pk)
    if action not in PUBLICATION_ACTIONS:
        return _publication_page(request, p, error=DomainError("未知的操作。", code="unknown_action"), status=404)
    cls, fn, success = PUBLICATION_ACTIONS[action]
    form = cls(request.POST)
    error, status = None, 200
    if form.is_valid():
        done, error, status = call_service(form, lambda: fn(request.user, p, dict(form.cleaned_data)))
        if done is not None:
            messages.success(request, success)
            return redirect(reverse("cases:publication-detail", args=[p.pk]))
    p.refresh_from_db()
    return _publication_page(request, p, forms_={action: form}, error=error, status=status)


# --- the serious-dishonesty list ---------------------------------------------------------------------------------
def entry_actions(user: Any, e: DishonestyEntry) -> dict[str, bool]:
    scope = scope_for(user)
    return {
        "decide": e.status == DishonestyStatus.PROPOSED and _owner(scope, e, ("leader",)) and not is_same_person(e.proposed_by, user),
        "notify": e.status == DishonestyStatus.DECIDED and _owner(scope, e, dishonesty.ACT_ROLES),
        "statement": e.status == DishonestyStatus.NOTIFIED and _owner(scope, e, dishonesty.ACT_ROLES),
        "publish": e.status == DishonestyStatus.NOTIFIED and _owner(scope, e, dishonesty.PUBLISH_ROLES),
        "remove": e.status == DishonestyStatus.PUBLISHED and _owner(scope, e, dishonesty.PUBLISH_ROLES),
    }


ENTRY_ACTIONS: dict[str, tuple[type[forms.Form], Callable[[Any, DishonestyEntry, dict[str, Any]], Any], str]] = {
    "decide": (DecideForm, lambda u, e, d: dishonesty.dishonesty_decide(actor=u, entry=e, **d), "已决定。"),
    "notify": (OnForm, lambda u, e, d: dishonesty.dishonesty_notify(actor=u, entry=e, **d), "已登记告知。"),
    "statement": (StatementForm, lambda u, e, d: dishonesty.dishonesty_statement(actor=u, entry=e, **d), "已登记陈述申辩及复核意见。"),
    "publish": (OnForm, lambda u, e, d: dishonesty.dishonesty_publish(actor=u, entry=e, **d), "已公布。"),
    "remove": (RemoveForm, lambda u, e, d: dishonesty.dishonesty_remove(actor=u, entry=e, **d), "已移出名单。"),
}


def _dishonesty_page(request: HttpRequest, *, form: forms.Form | None = None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    scope = scope_for(request.user)
    today = timezone.localdate()
    page = Paginator(dishonesty.entry_list(user=request.user, status=request.GET.get("status", "")), PAGE_SIZE).get_page(request.GET.get("page"))
    proposals = dishonesty.candidates(user=request.user, on=today)
    names = {p.unit for p in proposals}
    ctx = {
        "page": page, "proposals": proposals, "unit_count": len(names), "conditions": law.CONDITIONS, "rule": law.RULE, "period_article": law.PERIOD_ARTICLE,
        "may_propose": scope.has_role(*dishonesty.PROPOSE_ROLES), "form": form or ProposeForm(initial={"on": today}), "error": error,
        "statuses": DishonestyStatus.choices, "status": request.GET.get("status", ""),
    }  # fmt: skip
    return render(request, "cases/publication/dishonesty.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def dishonesty_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _dishonesty_page(request)
    form = ProposeForm(request.POST)
    error, status = None, 200
    if form.is_valid():
        d = dict(form.cleaned_data)
        ent = get_for_user(Enterprise.objects.all(), request.user, d.pop("enterprise"))
        case_id = d.pop("case")
        case = Case.objects.for_user(request.user).select_related("decision_document").filter(pk=case_id).first() if case_id else None
        if case_id and case is None:
            form.add_error("case", "案件不存在或无权访问。")
        else:
            done, error, status = call_service(form, lambda: dishonesty.dishonesty_propose(actor=request.user, enterprise=ent, case=case, **d))
            if done is not None:
                messages.success(request, "已提出拟列入，待机关负责人决定。")
                return redirect(reverse("cases:dishonesty-detail", args=[done.pk]))
    return _dishonesty_page(request, form=form, error=error, status=status)


def _entry_page(request: HttpRequest, e: DishonestyEntry, *, forms_: dict[str, forms.Form] | None = None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    built = {name: (forms_ or {}).get(name) or cls(initial={"on": today}) for name, (cls, _fn, _msg) in ENTRY_ACTIONS.items()}
    return render(request, "cases/publication/entry.html", {"e": e, "may": entry_actions(request.user, e), "forms": built, "error": error}, status=status)


def _entry(request: HttpRequest, pk: int) -> DishonestyEntry:
    return get_for_user(DishonestyEntry.objects.select_related("enterprise", "owner_agency", "decided_by", "proposed_by__staff"), request.user, pk)


@login_required
def dishonesty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_page(request, _entry(request, pk))


@login_required
@require_POST
def dishonesty_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    e = _entry(request, pk)
    if action not in ENTRY_ACTIONS:
        return _entry_page(request, e, error=DomainError("未知的操作。", code="unknown_action"), status=404)
    cls, fn, success = ENTRY_ACTIONS[action]
    form = cls(request.POST)
    error, status = None, 200
    if form.is_valid():
        done, error, status = call_service(form, lambda: fn(request.user, e, dict(form.cleaned_data)))
        if done is not None:
            messages.success(request, success)
            return redirect(reverse("cases:dishonesty-detail", args=[e.pk]))
    return _entry_page(request, _entry(request, pk), forms_={action: form}, error=error, status=status)


@login_required
@require_GET
def dishonesty_export(request: HttpRequest) -> HttpResponse:
    body = dishonesty.dishonesty_export(user=request.user)
    r = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    r["Content-Disposition"] = content_disposition_header(True, f"严重失信主体名单-{timezone.localdate():%Y%m%d}.xlsx") or "attachment"
    return r


# --- the public page -----------------------------------------------------------------------------------------------
@require_GET
def public_penalties(request: HttpRequest) -> HttpResponse:
    """行政处罚决定公开 (安全生产法 §78): anyone, no login, released and not withdrawn only."""
    form = PublicSearchForm(request.GET)
    f: dict[str, Any] = {k: v for k, v in (form.cleaned_data.items() if form.is_valid() else ()) if v not in (None, "")}
    date_from: dt.date | None = f.get("date_from")
    date_to: dt.date | None = f.get("date_to")
    qs = publication.public_list(q=f.get("q", "").strip(), uscc=f.get("uscc", "").strip(), date_from=date_from, date_to=date_to, district=f.get("district", ""))
    page = Paginator(qs.only("party_name", "uscc", "decision_number", "decided_on", "agency_name", "district_name", "text"), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"form": form, "page": page, "districts": publication.public_districts(), "filtered": bool(f), "max_age_minutes": PUBLIC_MAX_AGE // 60}
    response = render(request, "cases/publication/public.html", ctx)
    # Public data, no cookie, no CSRF token: shared caches may keep it for a few minutes.
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
