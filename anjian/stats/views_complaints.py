"""The complaints' figures page and its .xlsx (issue 12 item 9), at /complaints/figures/.

In stats because the period codes are the statistics' (``indicators.parse_period``) and stats sits
above complaints in the layer contract. Thin: ``stats.complaints_figures`` counts; these views render,
or write the same tables to .xlsx (``core.xlsx.download``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from anjian.complaints import officers, selectors
from anjian.core import xlsx
from anjian.core.scoping import scope_for
from anjian.core.ui import refused
from anjian.stats import complaints_figures as fig
from anjian.stats.indicators import BadPeriod

BOLD = Font(bold=True)


def _figures(request: HttpRequest) -> fig.Figures | HttpResponse:
    if not selectors.may_use(scope_for(request.user)):
        return refused(request, "您的账号不办理投诉举报。", reverse("home"))
    try:
        period = fig.parse_period(request.GET.get("period") or "ytd")
    except BadPeriod as exc:
        return HttpResponse(loader.render_to_string("400.html", {"message": exc.message}, request=request), status=400)
    return fig.figures(request.user, period)


@login_required
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    f = _figures(request)
    if isinstance(f, HttpResponse):
        return f
    scope = scope_for(request.user)
    ctx = {
        "f": f,
        "lines": summary_lines(f),
        "period": f.period.code,
        "wide": scope.has_role(*selectors.WIDE_ROLES),
        "today": timezone.localdate(),
        "may_officers": officers.may_read(request.user),
    }
    return render(request, "complaints/figures.html", ctx)


def _sheet(wb: Any, title: str, heads: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(xlsx.row(ws, heads, font=BOLD))
    for r in rows:
        ws.append(xlsx.row(ws, r))


@login_required
@require_GET
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    """The same tables as the page, one sheet each."""
    f = _figures(request)
    if isinstance(f, HttpResponse):
        return f
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("概况")
    ws.append(xlsx.row(ws, [f"投诉举报统计：{f.period.label}（{f.period.start:%Y-%m-%d}至{f.as_of:%Y-%m-%d}）"], font=BOLD))
    for label, value in summary_lines(f):
        ws.append(xlsx.row(ws, [label, value]))
    _sheet(wb, "按类别", ["类别", "收到件数"], [[r.label, r.count] for r in f.by_kind])
    _sheet(wb, "按事项", ["类别", "事项", "件数"], [[r.kind, r.label, r.count] for r in f.by_ground])
    _sheet(wb, "按科室", ["会同办理的科室", "件数"], [[r.label, r.count] for r in f.by_department])
    _sheet(wb, "调查结论", ["类别", "事项", "认定属实", "认定不属实", "合计"], [[r.kind, r.label, r.substantiated, r.not_substantiated, r.count] for r in f.findings])
    _sheet(wb, "处理结果", ["处理结果", "项数"], [[r.label, r.count] for r in f.by_outcome])
    return xlsx.download(wb, f"投诉举报统计-{f.period.code}.xlsx")


def summary_lines(f: fig.Figures) -> list[tuple[str, Any]]:
    share = "—" if f.in_time_share is None else f"{f.in_time_share}%"
    median = "—" if f.median_days is None else f"{f.median_days:g}日"
    return [
        ("期内收到", f.received),
        ("应答复（期内按期答复或期内到期未按期答复）", f.due_total),
        ("按期答复", f.in_time),
        ("逾期", f.late),
        ("其中截至统计日仍未答复", f.late_unanswered),
        ("按期答复率", share),
        ("期内答复", f.replied),
        ("受理至答复用时中位数", median),
    ]
