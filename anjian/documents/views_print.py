"""Batch printing from the register and a record's bundle (issue 14 items 6 and 7): ask, watch the
progress, open the PDF. A job is seen only by the user who asked for it (404 for anyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from anjian.core.errors import DomainError, ValidationFailed
from anjian.documents import printing
from anjian.documents.choices import PrintJobStatus
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import sha256_hex


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    detail = "".join(str(v) for v in getattr(exc, "fields", {}).values()) if isinstance(exc, ValidationFailed) else ""
    status = 400 if isinstance(exc, ValidationFailed) else exc.http_status
    return render(request, "documents/print_refused.html", {"message": exc.message, "detail": detail, "back": request.META.get("HTTP_REFERER", "")}, status=status)


@login_required
@require_POST
def batch(request: HttpRequest) -> HttpResponse:
    try:
        job = printing.batch_create(actor=request.user, document_ids=request.POST.getlist("documents"))
    except DomainError as exc:
        if exc.http_status == 404:
            raise
        return _refused(request, exc)
    return redirect("documents:print_job", pk=job.pk)


@login_required
@require_POST
def bundle(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    try:
        job = printing.bundle_create(actor=request.user, subject_type=subject_type, subject_id=subject_id)
    except DomainError as exc:
        if exc.http_status == 404:
            raise
        return _refused(request, exc)
    return redirect("documents:print_job", pk=job.pk)


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = printing.job_get(request.user, pk)
    running = job.status in (PrintJobStatus.PENDING, PrintJobStatus.RUNNING)
    # Each entry with its number, so the list says which 立案审批表 is which (one query).
    numbers = dict(IssuedDocument.objects.filter(pk__in=[int(e["document"]) for e in job.entries]).values_list("pk", "number"))
    entries = [{**e, "number": numbers.get(int(e["document"]), "")} for e in job.entries]
    return render(request, "documents/print_job.html", {"job": job, "entries": entries, "running": running}, status=202 if running else 200)


@login_required
@require_GET
def job_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    job = printing.job_get(request.user, pk)
    if job.status != PrintJobStatus.DONE or not job.file:
        return redirect("documents:print_job", pk=job.pk)
    try:
        with job.file.open("rb") as fh:
            data = fh.read()
    except (FileNotFoundError, ValueError):
        return HttpResponse("PDF文件缺失，请重新生成。", status=410, content_type="text/plain; charset=utf-8")
    if sha256_hex(data) != job.sha256:
        return HttpResponse("PDF文件与生成时的校验值不符，已拒绝打开。", status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{job.title}.pdf") or "inline"
    response["Cache-Control"] = "private, no-store"
    return response
