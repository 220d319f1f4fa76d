"""Pages of the indicators: the table of every indicator for a period, and the list behind each
number (the drill-down), computed by the same definition as the number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from anjian.core import xlsx
from anjian.core.errors import PermissionRefused
from anjian.stats import indicators as reg
from anjian.stats import rollups
from anjian.stats.api_indicators import drill_url
from anjian.stats.indicators import BadPeriod
from anjian.stats.indicators_access import BY_LABELS, describe_row, drill_rows, parse_query, reading_scope
from anjian.stats.indicators_docs import KIND_LABELS

PAGE_SIZE = 50
BOLD = Font(bold=True)


def _refused(request: HttpRequest, exc: BadPeriod | PermissionRefused) -> HttpResponse:
    if isinstance(exc, PermissionRefused):
        return render(request, "403.html", {"message": exc.message}, status=403)
    return HttpResponse(loader.render_to_string("400.html", {"message": exc.message}, request=request), status=400)


def _every_indicator(request: HttpRequest) -> list[Any]:
    """Every indicator's query for the period asked (default: year to date) and the cuts."""
    reading_scope(request.user)
    params = request.GET.copy()
    params.setdefault("period", "ytd")
    return [parse_query(request.user, ind.key, params) for ind in reg.INDICATORS]


@login_required
@require_GET
def indicator_table(request: HttpRequest) -> HttpResponse:
    """Every indicator's figure for the period (default: year to date), each linked to its rows."""
    try:
        queries = _every_indicator(request)
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    rollups.refresh()
    rows = []
    for q in queries:
        total, _ = rollups.figures(q.indicator, q.period, q.as_of, jurisdictions=q.jurisdictions, agency=q.agency.pk if q.agency else None, sector=q.sector_code)
        rows.append({"ind": q.indicator, "figure": total, "drill": drill_url(q)})
    q0 = queries[0]
    return render(request, "stats/drill_table.html", {"rows": rows, "q": q0, "period": request.GET.get("period", "ytd"), "today": timezone.localdate()})


@login_required
@require_GET
def drill(request: HttpRequest, key: str) -> HttpResponse:
    """The rows the indicator counted for the period and cuts: their count is the number."""
    try:
        q = parse_query(request.user, key, request.GET)
        qs = drill_rows(q)
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx: dict[str, Any] = {
        "q": q,
        "ind": q.indicator,
        "page": page,
        "rows": [describe_row(q, obj) for obj in page.object_list],
        "query": query.urlencode(),
        "by_labels": BY_LABELS,
        "kind_label": KIND_LABELS[q.indicator.kind],
    }
    return render(request, "stats/drill.html", ctx)


# ---- .xlsx (issue 11 item 7: every table exports) ----------------------------------------------------------

# A drill-down list is exported whole up to this many rows; a larger one is narrowed first (by
# district, agency, sector or month), which keeps the export a request, not a background job.
DRILL_EXPORT_MAX = 20000


@login_required
@require_GET
def indicator_table_xlsx(request: HttpRequest) -> HttpResponse:
    """The indicators page as .xlsx: every indicator's figure with its definition and formula."""
    try:
        queries = _every_indicator(request)
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    rollups.refresh()
    q0 = queries[0]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("统计指标")
    ws.append(xlsx.row(ws, [f"统计指标：{q0.period.label}（截至{q0.as_of:%Y-%m-%d}）{_cuts(q0)}"], font=BOLD))
    ws.append(xlsx.row(ws, ["代码", "指标", "数值", "单位", "分子", "分母", "定义", "计算公式", "数据来源"], font=BOLD))
    for q in queries:
        fig, _ = rollups.figures(q.indicator, q.period, q.as_of, jurisdictions=q.jurisdictions, agency=q.agency.pk if q.agency else None, sector=q.sector_code)
        ind = q.indicator
        ws.append(xlsx.row(ws, [ind.key, ind.name, fig.value, ind.unit, fig.numerator, fig.denominator, ind.definition, ind.formula, ind.tables]))
    return xlsx.download(wb, f"统计指标-{q0.period.code}.xlsx")


def _cuts(q: Any) -> str:
    parts = [x for x in (q.district.name if q.district else "", q.agency.name if q.agency else "", q.sector_label) if x]
    return ("：" + "，".join(parts)) if parts else ""


@login_required
@require_GET
def drill_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    """A drill-down list as .xlsx: the same rows as the page (their count is the figure)."""
    try:
        q = parse_query(request.user, key, request.GET)
        qs = drill_rows(q)
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    n = qs.count()
    if n > DRILL_EXPORT_MAX:
        return _refused(request, BadPeriod(f"该明细共{n}条，超过单次导出上限{DRILL_EXPORT_MAX}条：请按辖区、机关、行业或月份缩小范围后再导出。", code="export_too_large"))
    ind = q.indicator
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("明细")
    ws.append(xlsx.row(ws, [f"{ind.name}明细：{q.period.label}（截至{q.as_of:%Y-%m-%d}）{_cuts(q)}，共{n}条"], font=BOLD))
    heads = ["日期", "单位 / 人员", "情况", "辖区"] + ([ind.unit] if ind.kind == "sum" else [])
    ws.append(xlsx.row(ws, heads, font=BOLD))
    for obj in qs.iterator(chunk_size=2000):
        r = describe_row(q, obj)
        values = [r["date"], r["enterprise"] or r["text"], r["text"] if r["enterprise"] else "", r["jurisdiction"]]
        ws.append(xlsx.row(ws, values + ([r["value"]] if ind.kind == "sum" else [])))
    return xlsx.download(wb, f"{ind.name}明细-{q.period.code}.xlsx")
