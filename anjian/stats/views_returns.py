"""Pages of the periodic returns (issue 11 item 5): the return of a completed quarter or year, its
.xlsx, and the city bureau's circular (通报) issued through the documents engine."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from anjian.core import xlsx
from anjian.core.errors import PermissionRefused
from anjian.core.scoping import scope_for
from anjian.core.ui import call_service
from anjian.documents.services import DocumentExists
from anjian.stats import circular, returns
from anjian.stats.indicators import BadPeriod


class CircularForm(forms.Form):
    period = forms.CharField(max_length=16, widget=forms.HiddenInput)
    requirements = forms.CharField(
        label="下步工作要求",
        max_length=circular.REQUIREMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每段一行，如：一是……；二是……。通报的其余内容由统计数据生成。",
        error_messages={"required": "通报须写明下步工作要求。", "max_length": f"不超过{circular.REQUIREMENTS_MAX}字。"},
    )
    reissue_reason = forms.CharField(label="重新签发理由", required=False, max_length=500, help_text="本期已签发过通报时必填（如：数据更正）。")


def _refused(request: HttpRequest, exc: BadPeriod | PermissionRefused) -> HttpResponse:
    if isinstance(exc, PermissionRefused):
        return render(request, "403.html", {"message": exc.message}, status=403)
    return HttpResponse(loader.render_to_string("400.html", {"message": exc.message}, request=request), status=400)


def may_issue(user: Any, ret: returns.Return) -> bool:
    scope = scope_for(user)
    return ret.full and scope.agency_level == "city" and scope.has_role(*circular.ISSUE_ROLES)


def _page(request: HttpRequest, ret: returns.Return, form: CircularForm | None = None, error: Any = None, status: int = 200) -> HttpResponse:
    issuer = may_issue(request.user, ret)
    if issuer and form is None:
        form = CircularForm(initial={"period": ret.period.code})
    ctx = {
        "ret": ret,
        "lines": returns.LINES,
        "period": ret.period.code,
        "choices": returns.period_choices(),
        "may_issue": issuer,
        "form": form if issuer else None,
        "error": error,
        "circulars": circular.issued(request.user, ret.period.code),
    }
    return render(request, "stats/returns.html", ctx, status=status)


@login_required
@require_GET
def return_page(request: HttpRequest) -> HttpResponse:
    try:
        ret = returns.build(request.user, request.GET.get("period") or returns.default_period())
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    return _page(request, ret)


@login_required
@require_GET
def return_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        ret = returns.build(request.user, request.GET.get("period"))
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    name = f"{ret.title}.xlsx" if ret.full else f"{ret.title}（{ret.rows[0].label if ret.rows else ''}）.xlsx"
    return xlsx.download(returns.workbook(ret), name)


@login_required
@require_POST
def circular_issue(request: HttpRequest) -> HttpResponse:
    form = CircularForm(request.POST)
    try:
        ret = returns.build(request.user, request.POST.get("period"))
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    if not may_issue(request.user, ret):
        return _refused(request, PermissionRefused("签发通报须由市局领导或办公室办理。"))
    if not form.is_valid():
        return _page(request, ret, form=form, status=400)
    data = form.cleaned_data
    doc, error, status = call_service(
        form, lambda: circular.issue(actor=request.user, code=ret.period.code, requirements=data["requirements"], reissue_reason=data["reissue_reason"])
    )
    if isinstance(error, DocumentExists):  # a double submit, or issued already: the first one stands
        messages.info(request, f"{ret.period.label}的通报已签发（{error.document.number}），未重复签发；如需更正，请填写重新签发理由。")
        return redirect(reverse("stats-returns") + f"?period={ret.period.code}")
    if doc is None:
        return _page(request, ret, form=form, error=error, status=status)
    messages.success(request, f"已签发通报{doc.number}。")
    return redirect(reverse("stats-returns") + f"?period={ret.period.code}")
