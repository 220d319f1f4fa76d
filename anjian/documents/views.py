"""Downloading an issued document. Reads are scoped: outside the user's jurisdictions it is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from anjian.core.errors import DomainError, NotFound
from anjian.core.scoping import scope_for
from anjian.core.ui import call_service
from anjian.documents import pdf, selectors, verification
from anjian.documents.choices import PdfStatus
from anjian.documents.models import IssuedDocument
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
    """ "Print": the PDF, opened in the browser; while it is made, or without LibreOffice, a page
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
    # An informative page, not an error: the .docx is always there (202 while the PDF is being made).
    status = 202 if doc.pdf_status == PdfStatus.PENDING else 200
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


# --- one document: its facts, its service, void and erroneous service (issue 14 item 4) -------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=500, error_messages={"required": "请写明原因。"}, widget=forms.Textarea(attrs={"rows": 2}))


def _detail(request: HttpRequest, doc: Any, *, forms_: dict[str, Any] | None = None, errors: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    from anjian.documents import registry
    from anjian.documents.services import REISSUE_ROLES, VOID_ROLES, reissue_refusal, service_correction_refusal, service_correction_roles

    scope = scope_for(request.user)
    owner = scope.agency_id == doc.agency_id
    records = list(doc.service_records.select_related("recorded_by", "marked_by").order_by("-recorded_at", "-id"))
    served = any(r.status == "effective" for r in records)
    may_correct_service = owner and scope.has_role(*service_correction_roles(doc))
    for r in records:
        # Why this proof of service cannot be marked erroneous now (the app that counts periods from
        # it says: a case whose party has acted on the notice, say); the form is shown only without.
        r.correction_refusal = service_correction_refusal(doc, r) if may_correct_service and r.status == "effective" else ""  # type: ignore[attr-defined]
    label, url = registry.subject_link(doc.subject_type, doc.subject_id)
    same_act = list(
        selectors.document_list(request.user).filter(agency_id=doc.agency_id, kind=doc.kind, source=doc.source).exclude(source="").exclude(pk=doc.pk).order_by("issued_at")
    )
    refusal = reissue_refusal(doc, served=served)
    ctx = {
        "doc": doc,
        "superseded_by": selectors.superseded_by(doc),
        "reissue_refusal": refusal,
        "owner_staff": owner and scope.has_role(*REISSUE_ROLES),
        "may_reissue": owner and scope.has_role(*REISSUE_ROLES) and not refusal,
        "kind": registry.get(doc.kind),
        "records": records,
        "source_label": label,
        "source_url": url,
        "same_act": same_act,
        "printed_code": verification.printed(doc.verify_code),
        "may_void": owner and scope.has_role(*VOID_ROLES) and doc.status == "issued" and not served,
        "may_correct_service": may_correct_service,
        "forms": forms_ or {},
        "errors": errors or {},
    }
    return render(request, "documents/detail.html", ctx, status=status)


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.document_get(request.user, pk))


def _reason_action(request: HttpRequest, pk: int, key: str, act: Callable[[IssuedDocument, str], IssuedDocument], done_message: Callable[[IssuedDocument, IssuedDocument], str]) -> HttpResponse:
    """A POST with a reason on the document page (void, re-issue): the service decides; a refusal
    or a form error shows the page again with that form's message."""
    doc = selectors.document_get(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        done, error, status = call_service(form, lambda: act(doc, form.cleaned_data["reason"]))
        if done is not None:
            messages.success(request, done_message(doc, done))
            return redirect("documents:detail", pk=done.pk)
    else:
        error, status = None, 400
    return _detail(request, doc, forms_={key: form}, errors={key: error}, status=status)


@login_required
@require_POST
def document_void_view(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.documents import services

    return _reason_action(
        request, pk, "void", lambda doc, reason: services.document_void(actor=request.user, document=doc, reason=reason),
        lambda doc, _done: f"{doc.number}已作废，文号不再使用。",
    )  # fmt: skip


@login_required
@require_POST
def document_reissue_view(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.documents import services

    return _reason_action(
        request, pk, "reissue", lambda doc, reason: services.document_reissue(actor=request.user, document=doc, reason=reason),
        lambda doc, new: f"已重新签发{new.number}，替代{doc.number}；原文书保留，显示为已被替代。",
    )  # fmt: skip


@login_required
@require_POST
def service_erroneous_view(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    from anjian.documents import registry, services

    doc = selectors.document_get(request.user, pk)
    record = doc.service_records.filter(pk=record_pk).first()
    if record is None:
        raise NotFound()
    form = ReasonForm(request.POST, prefix=f"r{record.pk}")
    if form.is_valid():
        done, error, status = call_service(form, lambda: services.service_record_mark_erroneous(actor=request.user, record=record, reason=form.cleaned_data["reason"]))
        if done is not None:
            label, url = registry.subject_link(doc.subject_type, doc.subject_id)
            where = f"请在{label}中重新登记送达。" if url else "请重新登记送达。"
            messages.success(request, f"送达记录已标为登记有误；据其计算的期限已撤回，{where}")
            return redirect("documents:detail", pk=doc.pk)
    else:
        error, status = None, 400
    return _detail(request, doc, forms_={f"r{record.pk}": form}, errors={f"r{record.pk}": error}, status=status)
