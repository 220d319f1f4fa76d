"""Excel import and export pages. The work is in ``importing`` and ``exporting``."""

from __future__ import annotations

import tempfile
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from anjian.core.errors import DomainError, NotFound
from anjian.enterprises import exporting, importing, selectors
from anjian.enterprises.api import LIST_FILTERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_REJECTED = 200  # rejected rows listed on the page; all of them are in the download


def _xlsx_response(fh: Any, filename: str) -> FileResponse:
    fh.seek(0)
    # FileResponse writes Content-Disposition with an RFC 5987 filename* for the Chinese name.
    return FileResponse(fh, as_attachment=True, filename=filename, content_type=XLSX)


def _spool() -> Any:
    # Rows are written to disk, not memory: an export of the whole city must not fill the RAM.
    return tempfile.TemporaryFile(suffix=".xlsx")


@login_required
@require_GET
def enterprise_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as .xlsx: written at once when small, by the worker when large."""
    params = request.GET
    filters = {k: params.get(k) for k in LIST_FILTERS}
    sort = params.get("sort", "name")
    expected = selectors.enterprise_count(user=request.user, filters=filters)
    if expected > exporting.sync_max():
        job = exporting.export_start(actor=request.user, filters=filters, sort=sort, expected=expected)
        return redirect("enterprises:export_status", token=job.token)
    fh = _spool()
    exporting.export_now(actor=request.user, filters=filters, sort=sort, fh=fh)
    return _xlsx_response(fh, exporting.export_filename())


def _export_job(request: HttpRequest, token: str) -> exporting.ExportJob:
    return exporting.export_get(actor=request.user, token=token)


@login_required
@require_GET
def export_status(request: HttpRequest, token: str) -> HttpResponse:
    job = _export_job(request, token)
    return render(request, "enterprises/export_status.html", {"job": job.meta, "token": token, "state": job.meta.get("status")})


@login_required
@require_GET
def export_download(request: HttpRequest, token: str) -> FileResponse:
    job = _export_job(request, token)
    if job.meta.get("status") != "done" or not job.file.exists():
        raise Http404("导出文件尚未生成或已过期。")
    # FileResponse closes the file when the response is done.
    return _xlsx_response(open(job.file, "rb"), job.meta.get("filename") or exporting.export_filename())


@login_required
@require_GET
def import_template(request: HttpRequest) -> FileResponse:
    fh = _spool()
    importing.write_template(actor=request.user, fh=fh)
    return _xlsx_response(fh, "企业台账导入模板.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {"may_import": importing.may_import(request.user), "max_mb": settings.ANJIAN_IMPORT_MAX_BYTES // (1024 * 1024)}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            ctx["error"] = DomainError("请选择要上传的.xlsx文件。", code="import_file")
            return render(request, "enterprises/import_upload.html", ctx, status=422)
        try:
            job = importing.import_start(actor=request.user, upload=upload)
        except DomainError as exc:
            ctx["error"] = exc
            return render(request, "enterprises/import_upload.html", ctx, status=exc.http_status)
        return redirect("enterprises:import_preview", token=job.token)
    if not ctx["may_import"]:
        ctx["error"] = DomainError("您的角色无权导入企业台账（须为执法人员、监管人员、科室负责人或系统管理员）。", code="role_refused")
        return render(request, "enterprises/import_upload.html", ctx, status=403)
    return render(request, "enterprises/import_upload.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    job = importing.import_get(actor=request.user, token=token)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        try:
            importing.import_confirm(actor=request.user, token=token)
            return redirect("enterprises:import_preview", token=token)
        except NotFound:
            raise
        except DomainError as exc:
            error, status = exc, exc.http_status
            job = importing.import_get(actor=request.user, token=token)
    meta = job.meta
    ctx = {
        "job": meta,
        "token": token,
        "state": meta.get("status"),
        "preview": meta.get("preview", {}),
        "result": meta.get("result"),
        "rejected": list(job.rejected(PREVIEW_REJECTED)),
        "rejected_limit": PREVIEW_REJECTED,
        "error": error,
        "kinds": {"create": "新增", "update": "更新", "unchanged": "无变化"},
        "batch": importing.BATCH,
    }
    return render(request, "enterprises/import_preview.html", ctx, status=status)


@login_required
@require_GET
def import_rejected(request: HttpRequest, token: str) -> FileResponse:
    job = importing.import_get(actor=request.user, token=token)
    fh = _spool()
    importing.write_rejected(job=job, fh=fh)
    stem = job.meta.get("filename", "导入").rsplit(".", 1)[0]
    return _xlsx_response(fh, f"{stem}_未导入行.xlsx")
