"""Pages of the case file: /cases/<id>/case-file/ (index, veto results, download) and the reminders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from anjian.cases import casefile, selectors
from anjian.cases.api_casefile import zip_response
from anjian.documents.rendering import pdf_available


@login_required
@require_GET
def casefile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, related=casefile.CASE_RELATED, detail=False)  # NotFound is the 404 page (core.middleware)
    cf = casefile.build_file(case)
    failed = casefile.failed_items(cf.veto)
    unchecked = [i for i in cf.veto if i.status == casefile.UNCHECKED]
    return render(
        request,
        "cases/casefile/detail.html",
        {"case": case, "cf": cf, "failed": failed, "unchecked": unchecked, "pdf": pdf_available(), "order": casefile.FILE_ORDER},
    )


@login_required
@require_GET
def casefile_download(request: HttpRequest, pk: int) -> HttpResponse:
    return zip_response(selectors.case_get(user=request.user, pk=pk, related=casefile.CASE_RELATED, detail=False), actor=request.user)


@login_required
@require_POST
def casefile_pages(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the page count of the file's documents (LibreOffice is slow: a background task)."""
    case = selectors.case_get(user=request.user, pk=pk, related=casefile.CASE_RELATED, detail=False)
    if not pdf_available():
        messages.warning(request, casefile.PAGES_NOTE_NO_PDF)
    else:
        from anjian.cases.tasks_casefile import count_case_file_pages

        count_case_file_pages.enqueue(case.pk)
        messages.success(request, "已排入后台统计页数，完成后刷新本页即可看到页次。")
    return redirect("cases:casefile-detail", pk=case.pk)


@login_required
@require_POST
def reminders_read(request: HttpRequest) -> HttpResponse:
    """Mark the signed-in person's own reminders read."""
    n = casefile.reminders_mark_read(actor=request.user)
    messages.success(request, f"已将{n}条办案提醒标为已读。")
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else "home")
