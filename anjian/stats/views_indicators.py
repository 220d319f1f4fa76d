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

from anjian.core.errors import PermissionRefused
from anjian.stats import indicators as reg
from anjian.stats import rollups
from anjian.stats.api_indicators import drill_url
from anjian.stats.indicators import BadPeriod
from anjian.stats.indicators_access import BY_LABELS, describe_row, drill_rows, parse_query, reading_scope
from anjian.stats.indicators_docs import KIND_LABELS

PAGE_SIZE = 50


def _refused(request: HttpRequest, exc: BadPeriod | PermissionRefused) -> HttpResponse:
    if isinstance(exc, PermissionRefused):
        return render(request, "403.html", {"message": exc.message}, status=403)
    return HttpResponse(loader.render_to_string("400.html", {"message": exc.message}, request=request), status=400)


@login_required
@require_GET
def indicator_table(request: HttpRequest) -> HttpResponse:
    """Every indicator's figure for the period (default: year to date), each linked to its rows."""
    try:
        reading_scope(request.user)
        params = request.GET.copy()
        params.setdefault("period", "ytd")
        queries = [parse_query(request.user, ind.key, params) for ind in reg.INDICATORS]
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    rollups.refresh()
    rows = []
    for q in queries:
        total, _ = rollups.figures(q.indicator, q.period, q.as_of, jurisdictions=q.jurisdictions, agency=q.agency.pk if q.agency else None, sector=q.sector_code)
        rows.append({"ind": q.indicator, "figure": total, "drill": drill_url(q)})
    q0 = queries[0]
    return render(request, "stats/drill_table.html", {"rows": rows, "q": q0, "period": params["period"], "today": timezone.localdate()})


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
