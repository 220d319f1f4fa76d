"""The bureau's own templates (issue 14 item 5): the agency's administrator sees the kinds, uploads a
replacement .docx for one, puts an earlier version back or returns to the project's template. Only
the uploader's own agency is ever shown or changed (documents/templates.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from anjian.core.errors import DomainError, NotFound, PermissionRefused
from anjian.core.scoping import scope_for
from anjian.core.ui import call_service
from anjian.documents import registry, templates
from anjian.documents.models import AgencyTemplate
from anjian.documents.rendering import DOCX_MIME


class UploadForm(forms.Form):
    file = forms.FileField(label="模板文件（.docx）", error_messages={"required": "请选择.docx模板文件。"})
    note = forms.CharField(label="说明", required=False, max_length=200)


def _admin_or_403(request: HttpRequest) -> HttpResponse | None:
    try:
        templates._require_admin(request.user)
    except PermissionRefused as exc:
        return render(request, "403.html", {"message": exc.message}, status=403)
    return None


def _kind(code: str) -> Any:
    try:
        return registry.get(code)
    except DomainError:
        raise NotFound() from None


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    if (refused := _admin_or_403(request)) is not None:
        return refused
    agency_id = scope_for(request.user).agency_id
    active = {t.kind: t for t in AgencyTemplate.objects.filter(agency_id=agency_id, active=True)}
    counts: dict[str, int] = {}
    for k in AgencyTemplate.objects.filter(agency_id=agency_id).values_list("kind", flat=True):
        counts[k] = counts.get(k, 0) + 1
    rows = [{"kind": k, "active": active.get(k.code), "versions": counts.get(k.code, 0)} for k in sorted(registry.kinds(), key=lambda k: k.name)]
    return render(request, "documents/templates.html", {"rows": rows})


def _kind_page(request: HttpRequest, kind: Any, *, form: UploadForm | None = None, error: Any = None, status: int = 200) -> HttpResponse:
    agency_id = scope_for(request.user).agency_id
    versions = list(AgencyTemplate.objects.filter(agency_id=agency_id, kind=kind.code).select_related("uploaded_by").order_by("-version"))
    ctx = {"kind": kind, "versions": versions, "form": form or UploadForm(), "error": error, "required": [*templates.REQUIRED_COMMON, *((f.key, f.label) for f in kind.facts)]}
    return render(request, "documents/template_kind.html", ctx, status=status)


@login_required
@require_GET
def template_kind(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _admin_or_403(request)) is not None:
        return refused
    return _kind_page(request, _kind(code))


@login_required
@require_POST
def template_upload(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _admin_or_403(request)) is not None:
        return refused
    kind = _kind(code)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _kind_page(request, kind, form=form, status=400)
    done, error, status = call_service(
        form, lambda: templates.template_upload(actor=request.user, kind_code=kind.code, upload=form.cleaned_data["file"], note=form.cleaned_data["note"])
    )
    if done is not None:
        messages.success(request, f"已保存《{kind.name}》模板第{done.version}版，此后本机关签发的该种文书使用此版。")
        return redirect("documents:template_kind", code=kind.code)
    return _kind_page(request, kind, form=form, error=error, status=status if status != 200 else 400)


@login_required
@require_POST
def template_activate(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    kind = _kind(code)
    tpl = templates.template_get(request.user, pk)  # another agency's, or a malformed id: 404 first
    if tpl.kind != kind.code:
        raise NotFound()
    if (refused := _admin_or_403(request)) is not None:
        return refused
    done, error, status = call_service(None, lambda: templates.template_activate(actor=request.user, template=tpl))
    if done is not None:
        messages.success(request, f"已恢复使用第{done.version}版。")
        return redirect("documents:template_kind", code=kind.code)
    return _kind_page(request, kind, error=error, status=status)


@login_required
@require_POST
def template_reset(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _admin_or_403(request)) is not None:
        return refused
    kind = _kind(code)
    done, error, status = call_service(None, lambda: templates.template_reset(actor=request.user, kind_code=kind.code) or True)
    if done is not None:
        messages.success(request, "已恢复使用系统模板；本机关上传的各版本仍保留。")
        return redirect("documents:template_kind", code=kind.code)
    return _kind_page(request, kind, error=error, status=status)


@login_required
@require_GET
def template_file(request: HttpRequest, code: str, pk: int) -> HttpResponse | FileResponse:
    """A version's file (own agency), or ``pk`` 0: the project's template to start from."""
    kind = _kind(code)
    tpl = templates.template_get(request.user, pk) if pk != 0 else None  # a malformed or foreign id: 404 first
    if tpl is not None and tpl.kind != kind.code:
        raise NotFound()
    if (refused := _admin_or_403(request)) is not None:
        return refused
    if tpl is None:
        response = FileResponse(kind.template_path.open("rb"), content_type=DOCX_MIME)
        response["Content-Disposition"] = content_disposition_header(True, f"{kind.name}（系统模板{kind.template_version}）.docx") or "attachment"
        return response
    response = FileResponse(tpl.file.open("rb"), content_type=DOCX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, f"{kind.name}（机关模板第{tpl.version}版）.docx") or "attachment"
    return response
