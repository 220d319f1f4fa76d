"""The execution page of a case (/cases/<id>/execution/): what is owed with the surcharge day by
day, the deferral/instalment plans, reconsideration and lawsuit records, the documents and the
§112/§113 offers, with one form per act. Forms check shape only; ``cases.execution`` decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from anjian.cases import execution, selectors
from anjian.cases.api_execution import summary
from anjian.cases.models import Case
from anjian.cases.models_execution import PaymentPlan, PlanKind, Remedy, RemedyKind, RemedyOutcome
from anjian.core.errors import DomainError, ValidationFailed
from anjian.core.ids import IdField
from anjian.core.ui import call_service
from anjian.documents.choices import ServiceMethod
from anjian.enterprises.forms import DateInput


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput, initial=timezone.localdate)


class PaymentForm(forms.Form):
    paid_on = _date("缴纳日期")
    amount = forms.CharField(label="缴纳金额（元）", max_length=20)
    receipt_no = forms.CharField(label="缴款凭证号", max_length=64)


class DeferralForm(forms.Form):
    kind = forms.ChoiceField(label="方式", choices=PlanKind.choices)
    requested_on = _date("申请日期")
    reason = forms.CharField(label="经济困难的事实和理由", widget=forms.Textarea(attrs={"rows": 2}))
    instalments = forms.CharField(label="缴纳期限和金额（每行一期：日期 金额，如 2026-04-10 10000.00）", widget=forms.Textarea(attrs={"rows": 3}))

    def clean_instalments(self) -> list[dict[str, Any]]:
        out = []
        for n, line in enumerate(self.cleaned_data["instalments"].splitlines(), 1):
            if not line.strip():
                continue
            bits = line.replace("，", " ").replace(",", " ").split()
            try:
                out.append({"due": dt.date.fromisoformat(bits[0]), "amount": bits[1]})
            except (IndexError, ValueError):
                raise forms.ValidationError(f"第{n}行应为“日期 金额”，如 2026-04-10 10000.00。") from None
        return out


class DecideForm(forms.Form):
    plan = IdField(widget=forms.HiddenInput)
    approved = forms.TypedChoiceField(label="审批意见", choices=[("1", "批准"), ("0", "不予批准")], coerce=lambda v: v == "1")
    decided_on = _date("审批日期")
    note = forms.CharField(label="说明", required=False, max_length=500)


class RemedyForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=RemedyKind.choices)
    filed_on = _date("申请（起诉）日期")
    body = forms.CharField(label="复议机关或者人民法院（空白则取本机关登记的）", required=False, max_length=100)
    reference = forms.CharField(label="案号", required=False, max_length=64)


class OutcomeForm(forms.Form):
    remedy = IdField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="结果", choices=[c for c in RemedyOutcome.choices if c[0]])
    outcome_on = _date("复议决定书（裁判文书）送达日期")
    varied_fine = forms.CharField(label="变更后的罚款数额（变更的填写）", required=False, max_length=20)
    note = forms.CharField(label="说明", required=False, max_length=500)


class IssuedOnForm(forms.Form):
    issued_on = _date("日期")


class ServedForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    event_date = _date("送达事件日期（签收、留置、回执、到达或公告日期）")
    recipient = forms.CharField(label="受送达人", max_length=64)
    refused = forms.BooleanField(label="拒绝签收（留置送达）", required=False)
    witness = forms.CharField(label="见证人", required=False, max_length=64)
    consent_ref = forms.CharField(label="电子送达同意书", required=False, max_length=100)


class AppliedOnForm(forms.Form):
    applied_on = _date("申请日期")


class OnForm(forms.Form):
    on = _date("日期")


class ClosureForm(forms.Form):
    on = _date("提请日期")
    note = forms.CharField(label="提请的机关和文号", max_length=500)


def _plan(case: Case, pk: int) -> PaymentPlan:
    row = PaymentPlan.objects.filter(case=case, pk=pk).first()
    if row is None:
        raise Http404
    return row


def _remedy(case: Case, pk: int) -> Remedy:
    row = Remedy.objects.filter(case=case, pk=pk).first()
    if row is None:
        raise Http404
    return row


def _without(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in keys}


# action → (form, call(request, case, cleaned), success message)
Action = tuple[type[forms.Form], Callable[[HttpRequest, Case, dict[str, Any]], Any], str]
ACTIONS: dict[str, Action] = {
    "payment": (PaymentForm, lambda r, c, d: execution.payment_record(actor=r.user, case=c, **d), "已登记缴款。"),
    "deferral": (DeferralForm, lambda r, c, d: execution.deferral_request(actor=r.user, case=c, **d), "已登记延期（分期）缴纳申请。"),
    "deferral-decide": (DecideForm, lambda r, c, d: execution.deferral_decide(actor=r.user, plan=_plan(c, d["plan"]), **_without(d, "plan")), "已审批。"),
    "remedy": (RemedyForm, lambda r, c, d: execution.remedy_record(actor=r.user, case=c, **d), "已登记行政复议（诉讼）。"),
    "remedy-outcome": (OutcomeForm, lambda r, c, d: execution.remedy_outcome(actor=r.user, remedy=_remedy(c, d["remedy"]), **_without(d, "remedy")), "已登记结果。"),
    "demand": (IssuedOnForm, lambda r, c, d: execution.demand_issue(actor=r.user, case=c, **d), "已制作罚款催缴通知书。"),
    "reminder": (IssuedOnForm, lambda r, c, d: execution.reminder_issue(actor=r.user, case=c, **d), "已制作履行行政决定催告书。"),
    "reminder-served": (ServedForm, lambda r, c, d: execution.reminder_served(actor=r.user, case=c, **d), "已登记催告书送达。"),
    "enforcement": (AppliedOnForm, lambda r, c, d: execution.enforcement_apply(actor=r.user, case=c, **d), "已制作强制执行申请书。"),
    "daily-penalty": (OnForm, lambda r, c, d: execution.daily_penalty_open(actor=r.user, case=c, **d), "已登记按日连续处罚立案申请。"),
    "closure-request": (ClosureForm, lambda r, c, d: execution.closure_request_record(actor=r.user, case=c, **d), "已登记提请关闭。"),
}


def _page(request: HttpRequest, case: Case, *, bound: dict[str, forms.Form] | None = None, errors: dict[str, DomainError | None] | None = None, status: int = 200) -> HttpResponse:
    on = timezone.localdate()
    data = summary(case, on)
    schedule = execution.surcharge_schedule(case, on)
    forms_by_name = {name.replace("-", "_"): (bound or {}).get(name) or form_class(prefix=name) for name, (form_class, _, _) in ACTIONS.items()}
    decide_forms = {p["id"]: DecideForm(prefix="deferral-decide", initial={"plan": p["id"]}) for p in data["plans"] if p["status"] == "pending"}
    outcome_forms = {r["id"]: OutcomeForm(prefix="remedy-outcome", initial={"remedy": r["id"]}) for r in data["remedies"] if not r["outcome"]}
    ctx = {
        "case": case, "data": data, "schedule": schedule, "forms": forms_by_name, "errors": errors or {}, "decide_forms": decide_forms,
        "outcome_forms": outcome_forms, "total_zero": Decimal(data["due"]["total"] or "0") == 0,
    }  # fmt: skip
    return render(request, "cases/execution/page.html", ctx, status=status)


@login_required
@require_GET
def execution_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.case_get(user=request.user, pk=pk))


@login_required
@require_POST
def execution_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)  # out of scope: 404 before the action is looked at
    if action not in ACTIONS:
        raise Http404
    form_class, call, success = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    error: DomainError | None = None
    status = 200
    if form.is_valid():
        done, error, status = call_service(form, lambda: call(request, case, dict(form.cleaned_data)) or True)
        if done is not None:
            messages.success(request, success)
            return redirect(reverse("cases:execution", args=[case.pk]))
    else:
        error = ValidationFailed("填写有误，请按提示修改。", fields={})
        status = 400
    case = selectors.case_get(user=request.user, pk=pk)
    return _page(request, case, bound={action: form}, errors={action: error}, status=status)
