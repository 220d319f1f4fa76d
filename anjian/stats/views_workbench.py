"""工作台 pages: the workbench every user lands on, and the drill-down lists of the entries that had
no list page of their own. Thin: ``stats.workbench`` defines and counts every entry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anjian.stats import workbench as wb

PAGE_SIZE = 50
EXPORT_MAX = 20000  # a workbench list is what waits for one person or bureau: far fewer rows


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    bench = wb.workbench(request.user)
    groups = [(key, label, [e for e in bench.entries if e.group == key]) for key, label in wb.GROUPS.items()]
    ctx = {"bench": bench, "groups": [g for g in groups if g[2]]}
    return render(request, "stats/workbench.html", ctx)


@login_required
@require_GET
def workbench_list(request: HttpRequest, key: str) -> HttpResponse:
    """The rows behind one workbench entry, from the same queryset as its count."""
    if key not in wb.OWN_LISTS:
        raise Http404()
    ctx_ = wb.context_for(request.user)
    d = wb.BY_KEY[key]
    page = Paginator(wb.entry_rows(ctx_, key), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [d.row(ctx_, r) for r in page.object_list]
    ctx = {"entry": d, "page": page, "rows": rows, "applies": d.applies(ctx_), "query": ""}
    return render(request, "stats/workbench_list.html", ctx)


@login_required
@require_GET
def workbench_list_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    """One workbench list as .xlsx: the same rows as the page (all of them, not one page)."""
    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from anjian.core import xlsx

    if key not in wb.OWN_LISTS:
        raise Http404()
    ctx_ = wb.context_for(request.user)
    d = wb.BY_KEY[key]
    book = Workbook(write_only=True)
    ws = book.create_sheet("清单")
    ws.append(xlsx.row(ws, [f"{d.label}（导出于{timezone.localtime():%Y-%m-%d %H:%M}）"], font=Font(bold=True)))
    ws.append(xlsx.row(ws, ["事项", "情况", "期限", "剩余天数", "依据"], font=Font(bold=True)))
    for r in wb.entry_rows(ctx_, key)[:EXPORT_MAX]:
        item = d.row(ctx_, r)
        ws.append(xlsx.row(ws, [item.title, item.detail, item.due, item.days_left, item.article]))
    return xlsx.download(book, f"{d.label}-{timezone.localdate():%Y%m%d}.xlsx")
