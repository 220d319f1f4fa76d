"""Downloading an issued document. Reads are scoped: outside the user's jurisdictions it is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from anjian.documents import selectors
from anjian.documents.rendering import DOCX_MIME, sha256_hex


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
