"""The PDF of every issued document (issue 14 item 1): made by LibreOffice in the background after
the issue commits, checked, kept with its hash and opened by "Print"; retried, then shown as failed;
plainly unavailable without LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from anjian.core.errors import DomainError
from anjian.documents import pdf, rendering
from anjian.documents.choices import PdfStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_issue(settings: Any) -> None:
    settings.ANJIAN_PDF_ON_ISSUE = True


def _issue(issue: Any, capture: Any) -> Any:
    with capture(execute=True):
        doc = issue("rectification_order")
    doc.refresh_from_db()
    return doc


@pytest.mark.skipif(not rendering.pdf_available() or not shutil.which("pdftotext"), reason="LibreOffice 或 poppler-utils 未安装：PDF 为可选功能（scripts/bootstrap.sh 以 root 运行时安装）")
def test_issued_document_gets_its_pdf_and_print_opens_it(world: Any, client: Any, issue: Any, on_issue: None, django_capture_on_commit_callbacks: Any, tmp_path: Any) -> None:
    doc = _issue(issue, django_capture_on_commit_callbacks)
    assert doc.pdf_status == PdfStatus.DONE and doc.pdf_attempts == 1 and len(doc.pdf_sha256) == 64
    client.force_login(world.user("officer_a"))
    resp = client.get(f"/documents/{doc.pk}/pdf/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf" and resp["Content-Disposition"].startswith("inline")
    path = tmp_path / "d.pdf"
    path.write_bytes(resp.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert doc.number in flat and "核验码" in flat and doc.verify_code[:4] in flat
    # The register offers "Print"; another district's user gets 404.
    assert 'data-testid="print"' in client.get("/documents/").content.decode()
    client.force_login(world.user("officer_b"))
    assert client.get(f"/documents/{doc.pk}/pdf/").status_code == 404


def test_without_libreoffice_the_document_says_so(world: Any, client: Any, issue: Any, on_issue: None, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(pdf, "pdf_available", lambda: False)
    doc = _issue(issue, django_capture_on_commit_callbacks)
    assert doc.pdf_status == PdfStatus.UNAVAILABLE
    client.force_login(world.user("officer_a"))
    resp = client.get(f"/documents/{doc.pk}/pdf/")
    assert resp.status_code == 200 and "服务器未安装LibreOffice" in resp.content.decode()
    assert client.get(f"/documents/{doc.pk}/download/").status_code == 200  # the .docx as ever


def test_a_failing_conversion_is_retried_then_shown_as_failed(world: Any, client: Any, issue: Any, on_issue: None, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    calls = []

    def broken(data: bytes, **kw: Any) -> bytes:
        calls.append(1)
        raise DomainError("PDF转换失败，请稍后重试或联系系统管理员。", code="pdf_failed")

    monkeypatch.setattr(pdf, "pdf_available", lambda: True)
    monkeypatch.setattr(pdf, "convert_to_pdf", broken)
    doc = _issue(issue, django_capture_on_commit_callbacks)
    assert len(calls) == pdf.MAX_ATTEMPTS and doc.pdf_status == PdfStatus.FAILED and doc.pdf_attempts == pdf.MAX_ATTEMPTS
    client.force_login(world.user("leader_city"))  # reads it, may not ask again: no button
    page = client.get(f"/documents/{doc.pk}/pdf/").content.decode()
    assert "PDF生成失败（已尝试3次）" in page and "重新生成PDF" not in page
    assert client.post(f"/documents/{doc.pk}/pdf/again/").status_code == 403
    client.force_login(world.user("officer_a"))
    assert "重新生成PDF" in client.get(f"/documents/{doc.pk}/pdf/").content.decode()
    monkeypatch.setattr(pdf, "convert_to_pdf", lambda data, **kw: b"%PDF-1.4 fake")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/documents/{doc.pk}/pdf/again/").status_code == 302
    doc.refresh_from_db()
    assert doc.pdf_status == PdfStatus.DONE and doc.pdf_attempts == 1
    assert client.get(f"/documents/{doc.pk}/pdf/").content == b"%PDF-1.4 fake"


def test_a_changed_file_gets_no_pdf(world: Any, issue: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(pdf, "pdf_available", lambda: True)
    monkeypatch.setattr(pdf, "convert_to_pdf", lambda data, **kw: b"%PDF")
    doc = issue("rectification_order")
    with open(doc.file.path, "ab") as fh:
        fh.write(b"tampered")
    pdf.make(doc.pk)
    doc.refresh_from_db()
    assert doc.pdf_status == PdfStatus.FAILED and "校验值不符" in doc.pdf_error and doc.pdf_attempts == 1


def test_a_rolled_back_issue_asks_for_nothing(world: Any, issue: Any, on_issue: None, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from django.db import transaction

    asked = []
    monkeypatch.setattr(pdf, "pdf_available", lambda: True)
    monkeypatch.setattr(pdf, "make", lambda pk: asked.append(pk) or "done")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            issue("rectification_order")
            raise RuntimeError("the caller's action failed")
    assert asked == []
