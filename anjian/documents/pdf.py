"""The PDF of every issued document (issue 14 item 1), made by LibreOffice headless in the background.

Issuing a document asks for its PDF once the transaction commits (``request``); the worker's task
(``tasks.document_pdf``) converts the stored .docx, checking its hash first, and keeps the PDF with
its own hash. A failed conversion is tried again up to ``MAX_ATTEMPTS`` times, then shown as failed
with the reason; without LibreOffice the document says plainly that PDF is unavailable, and every
other function works. "Print" opens the PDF (``views_register.document_pdf``).

Each worker process converts with its own LibreOffice profile (``profile_dir``), kept between
conversions so that the second is warm; conversions never run inside a request (rule 9).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from anjian.core.errors import DomainError
from anjian.documents.choices import PdfStatus
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import convert_to_pdf, pdf_available, sha256_hex

MAX_ATTEMPTS = 3
# Who may ask again after a failure: the issuing bureau's staff who handle its documents.
RETRY_ROLES = ("officer", "supervisor", "office", "dept_head", "leader")


def profile_dir() -> Path:
    """This process's LibreOffice profile (one per worker: concurrent workers never share a lock)."""
    base = Path(getattr(settings, "ANJIAN_VAR_DIR", "var"))
    return base / "libreoffice" / f"profile-{os.getpid()}"


def request(doc: IssuedDocument) -> None:
    """Ask for the PDF of ``doc`` after the current transaction commits (a rolled-back issue asks nothing)."""
    if not getattr(settings, "ANJIAN_PDF_ON_ISSUE", True):
        return
    pk = doc.pk

    def enqueue() -> None:
        from anjian.documents.tasks import document_pdf

        IssuedDocument.objects.filter(pk=pk).update(pdf_status=PdfStatus.PENDING if pdf_available() else PdfStatus.UNAVAILABLE)
        if pdf_available():
            document_pdf.enqueue(pk)

    transaction.on_commit(enqueue)


def make(pk: int) -> str:
    """Convert one document; the outcome is stored on the document (and returned, for the task log)."""
    doc = IssuedDocument.objects.filter(pk=pk).first()
    if doc is None:
        return "missing"
    if not pdf_available():
        IssuedDocument.objects.filter(pk=pk).update(pdf_status=PdfStatus.UNAVAILABLE, pdf_error="")
        return PdfStatus.UNAVAILABLE
    attempts = doc.pdf_attempts + 1
    try:
        with doc.file.open("rb") as fh:
            data = fh.read()
        if sha256_hex(data) != doc.sha256:
            raise DomainError("文书文件与签发时的校验值不符，不生成PDF。", code="document_changed")
        out = convert_to_pdf(data, profile=profile_dir())
    except (DomainError, OSError) as exc:
        message = getattr(exc, "message", "") or "读取文书文件失败。"
        retry = attempts < MAX_ATTEMPTS and getattr(exc, "code", "") != "document_changed"
        IssuedDocument.objects.filter(pk=pk).update(pdf_status=PdfStatus.PENDING if retry else PdfStatus.FAILED, pdf_attempts=attempts, pdf_error=str(message)[:200])
        if retry:
            from anjian.documents.tasks import document_pdf

            document_pdf.enqueue(pk)
        return f"failed {attempts}: {message}"
    store(doc, out, attempts=attempts)
    return PdfStatus.DONE


def store(doc: IssuedDocument, out: bytes, *, attempts: int) -> None:
    """Keep a document's PDF with its hash (after a conversion here or in a batch, documents/printing.py)."""
    name = Path(doc.file.name).with_suffix(".pdf").name
    doc.pdf.save(name, ContentFile(out), save=False)
    digest = sha256_hex(out)
    IssuedDocument.objects.filter(pk=doc.pk).update(pdf=doc.pdf.name, pdf_sha256=digest, pdf_status=PdfStatus.DONE, pdf_attempts=attempts, pdf_error="")
    doc.pdf_sha256, doc.pdf_status, doc.pdf_attempts, doc.pdf_error = digest, PdfStatus.DONE, attempts, ""


def again(*, actor: Any, doc: IssuedDocument) -> None:
    """Ask again after a failure (the owning bureau; the state is shown on the document)."""
    from anjian.documents.services import _require_document_owner

    _require_document_owner(actor, doc, roles=RETRY_ROLES, what="重新生成PDF")
    if doc.pdf_status not in (PdfStatus.FAILED, PdfStatus.UNAVAILABLE, PdfStatus.NONE):
        raise DomainError("该文书的PDF已生成或正在生成。", code="pdf_state")
    IssuedDocument.objects.filter(pk=doc.pk).update(pdf_attempts=0, pdf_error="")
    doc.pdf_attempts = 0
    request(doc)
