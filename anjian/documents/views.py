"""Downloading an issued document. Reads are scoped: outside the user's jurisdictions it is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from anjian.core.errors import DomainError
from anjian.core.scoping import scope_for
from anjian.documents import pdf, selectors
from anjian.documents.choices import PdfStatus
from anjian.documents.rendering import DOCX_MIME, pdf_available, sha256_hex


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_get(request.user, pk)
    try:
        with doc.file.open("rb") as fh:
            data = fh.read()
    except (FileNotFoundError, ValueError):
        return HttpResponse("文书文件缺失，请联系系统管理员。", status=410, content_type="text/plain; charset=utf-8")
    # The stored hash is what was issued; a file changed on disk is refused, not handed out.
    if sha256_hex(data) != doc.sha256:
        return HttpResponse("文书文件与签发时的校验值不符，可能已被改动，已拒绝下载。请联系系统管理员。", status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=DOCX_MIME)
    # RFC 6266/5987: filename*=utf-8''… carries the Chinese 文号 and title.
    response["Content-Disposition"] = content_disposition_header(True, doc.download_name) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """"Print": the PDF, opened in the browser; while it is made, or without LibreOffice, a page
    that says so (the .docx is always there)."""
    doc = selectors.document_get(request.user, pk)
    if doc.pdf_status == PdfStatus.DONE and doc.pdf:
        try:
            with doc.pdf.open("rb") as fh:
                data = fh.read()
        except (FileNotFoundError, ValueError):
            data = b""
        if data and sha256_hex(data) == doc.pdf_sha256:
            response = HttpResponse(data, content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(False, doc.download_name.removesuffix(".docx") + ".pdf") or "inline"
            response["Cache-Control"] = "private, no-store"
            return response
    status = 202 if doc.pdf_status == PdfStatus.PENDING else 409
    scope = scope_for(request.user)
    may_retry = scope.agency_id == doc.agency_id and scope.has_role(*pdf.RETRY_ROLES)
    return render(request, "documents/pdf_status.html", {"doc": doc, "available": pdf_available(), "may_retry": may_retry}, status=status)


@login_required
@require_POST
def document_pdf_again(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_get(request.user, pk)
    try:
        pdf.again(actor=request.user, doc=doc)
    except DomainError as exc:
        return render(request, "403.html", {"message": exc.message}, status=exc.http_status)
    messages.success(request, "已排入后台生成PDF，稍后刷新本页。")
    return redirect("documents:pdf", pk=doc.pk)
