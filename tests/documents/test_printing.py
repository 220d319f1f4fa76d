"""Batch printing from the register (issue 14 item 7) and a record's bundle with its 卷内目录 and page
numbers (item 6): pages and API, scope, the cap, malformed ids, double submit, progress, the PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest

from anjian.documents import printing, rendering
from anjian.documents.models import IssuedDocument, PrintJob
from tests.documents.conftest import ISSUED_ON, sample_context
from tests.inspections.conftest import calendar, checklist, inspection  # noqa: F401

pytestmark = pytest.mark.django_db
needs_lo = pytest.mark.skipif(not rendering.pdf_available() or not shutil.which("pdftotext"), reason="LibreOffice 或 poppler-utils 未安装")


@pytest.fixture(autouse=True)
def lo_available(monkeypatch: Any) -> None:
    """Asking for a job needs LibreOffice; the tests that do not build the PDF pretend it is there."""
    if not rendering.pdf_available():
        monkeypatch.setattr(printing, "pdf_available", lambda: True)


def _text(data: bytes, tmp_path: Any) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_stamped_page_numbers() -> None:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for _ in range(3):
        w.add_blank_page(595, 842)
    printing.stamp_page_numbers(w.pages)
    out = io.BytesIO()
    w.write(out)
    pages = PdfReader(io.BytesIO(out.getvalue())).pages
    assert [p.extract_text().strip() for p in pages] == ["— 1 —", "— 2 —", "— 3 —"]


def test_batch_refusals(world: Any, client: Any, issue: Any) -> None:
    a, b = issue("inspection_record"), issue("rectification_order")
    client.force_login(world.user("officer_a"))
    page = client.get("/documents/").content.decode()
    assert page.count('data-testid="print-pick"') == 2 and 'data-testid="print-batch"' in page
    empty = client.post("/documents/print/", {})
    assert empty.status_code == 400 and "请至少选择一份文书" in empty.content.decode()
    for bad in ("abc", "-1", "9" * 20, "0"):
        resp = client.post("/documents/print/", {"documents": [a.pk, bad]})
        assert resp.status_code == 400 and "无效" in resp.content.decode(), bad
    too_many = client.post("/documents/print/", {"documents": [str(i) for i in range(1, printing.BATCH_MAX + 2)]})
    assert too_many.status_code == 400 and f"一次最多打印{printing.BATCH_MAX}份" in too_many.content.decode()
    client.force_login(world.user("officer_b"))  # another district's documents: refused, nothing made
    assert 'data-testid="print-pick"' not in client.get("/documents/").content.decode()
    other = client.post("/documents/print/", {"documents": [a.pk, b.pk]})
    assert other.status_code == 400 and "不在您的查看范围内" in other.content.decode()
    assert not PrintJob.objects.exists()


def test_batch_double_submit_and_owner_only(world: Any, client: Any, issue: Any) -> None:
    a, b = issue("inspection_record"), issue("rectification_order")
    client.force_login(world.user("officer_a"))
    first = client.post("/documents/print/", {"documents": [b.pk, a.pk]})  # the worker has not run yet
    second = client.post("/documents/print/", {"documents": [b.pk, a.pk]})
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    job = PrintJob.objects.get()
    assert job.document_ids == [b.pk, a.pk] and job.status == "pending"
    page = client.get(f"/documents/print/{job.pk}/")
    assert page.status_code == 202 and 'http-equiv="refresh"' in page.content.decode() and "0/2" in page.content.decode()
    listed = page.content.decode().split("文书清单", 1)[1]
    assert listed.index(b.number) < listed.index(a.number)  # each entry names its number, in the chosen order
    assert client.get(f"/api/v1/print-jobs/{job.pk}/").json()["status"] == "pending"
    client.force_login(world.user("supervisor_a"))  # same bureau, not the one who asked: not found
    assert client.get(f"/documents/print/{job.pk}/").status_code == 404
    assert client.get(f"/documents/print/{job.pk}/pdf/").status_code == 404
    assert client.get(f"/api/v1/print-jobs/{job.pk}/").status_code == 404
    for bad in ("abc", "-1", "9" * 20):
        assert client.get(f"/api/v1/print-jobs/{bad}/").status_code == 404


def test_batch_api(world: Any, client: Any, issue: Any) -> None:
    a = issue("inspection_record")
    client.force_login(world.user("officer_a"))
    url = "/api/v1/print-jobs/batch/"
    assert client.post(url, {"documents": []}, content_type="application/json").status_code in (400, 422)
    assert client.post(url, {"documents": "x"}, content_type="application/json").status_code == 400
    assert client.post(url, {"documents": ["-1"]}, content_type="application/json").status_code in (400, 422)
    resp = client.post(url, {"documents": [a.pk]}, content_type="application/json")
    assert resp.status_code == 202 and resp.json()["total"] == 1
    client.force_login(world.user("officer_b"))
    assert client.post(url, {"documents": [a.pk]}, content_type="application/json").status_code in (400, 422)
    client.logout()
    assert client.post(url, {"documents": [a.pk]}, content_type="application/json").status_code in (401, 403)


def test_without_libreoffice_printing_says_so(world: Any, client: Any, issue: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(printing, "pdf_available", lambda: False)
    a = issue("inspection_record")
    client.force_login(world.user("officer_a"))
    resp = client.post("/documents/print/", {"documents": [a.pk]})
    assert resp.status_code == 409 and "未安装LibreOffice" in resp.content.decode()


@needs_lo
def test_batch_builds_one_pdf(world: Any, client: Any, issue: Any, django_capture_on_commit_callbacks: Any, tmp_path: Any) -> None:
    a, b = issue("inspection_record"), issue("rectification_order")
    client.force_login(world.user("officer_a"))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/documents/print/", {"documents": [a.pk, b.pk]})
    job = PrintJob.objects.get()
    assert resp["Location"] == f"/documents/print/{job.pk}/" and job.status == "done", job.error
    assert job.done == 2 and job.pages >= 2
    a.refresh_from_db()
    assert a.pdf_status == "done"  # converted first, in the task
    page = client.get(f"/documents/print/{job.pk}/").content.decode()
    assert 'data-testid="print-open"' in page and "http-equiv" not in page
    pdf = client.get(f"/documents/print/{job.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    flat = "".join(_text(pdf.content, tmp_path).split())
    assert flat.index(a.number) < flat.index(b.number)


def _inspection_documents(world: Any, inspection: Any) -> tuple[Any, Any]:  # noqa: F811
    from anjian.documents import services as documents
    from anjian.hazards import services

    h = services.hazard_create(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection, description="消防通道堵塞", location="仓库",
        severity="general", found_on=inspection.inspected_on, period_days=15,
    )  # fmt: skip
    order = services.rectification_order_issue(actor=world.user("officer_a"), hazards=[h], issued_on=inspection.inspected_on, inspection=inspection)
    agency = world.agency_a
    ctx = sample_context("inspection_record")
    ctx["started_at"], ctx["ended_at"] = inspection.started_at.isoformat(), (inspection.started_at.replace(hour=23, minute=0)).isoformat()
    record = documents.document_issue(
        actor=world.user("officer_a"), kind_code="inspection_record", agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr,
        jurisdiction=inspection.jurisdiction, subject_type="inspections.inspection", subject_id=inspection.pk, context=ctx, issued_on=inspection.inspected_on,
    )  # fmt: skip
    return record, order


def test_bundle_refusals(world: Any, client: Any, inspection: Any) -> None:  # noqa: F811
    record, order = _inspection_documents(world, inspection)
    client.force_login(world.user("officer_b"))  # another district: not found, nothing made
    assert client.post(f"/documents/bundle/inspections.inspection/{inspection.pk}/").status_code == 404
    assert (
        client.post("/api/v1/print-jobs/bundle/", {"subject_type": "inspections.inspection", "subject_id": str(inspection.pk)}, content_type="application/json").status_code == 404
    )
    client.force_login(world.user("officer_a"))
    for bad in ("abc", "-1", "9" * 20):
        assert client.post(f"/documents/bundle/inspections.inspection/{bad}/").status_code == 404
    assert client.post(f"/documents/bundle/nothing.here/{inspection.pk}/").status_code == 404
    assert not PrintJob.objects.exists()
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert 'data-testid="bundle"' in page
    resp = client.post("/api/v1/print-jobs/bundle/", {"subject_type": "inspections.inspection", "subject_id": str(inspection.pk)}, content_type="application/json")
    assert resp.status_code == 202
    body = resp.json()
    assert [e["document"] for e in body["entries"]] == [record.pk, order.pk]  # LEGAL.md §8: the record, then the order
    assert [e["label"] for e in body["entries"]] == ["现场检查记录", "责令改正指令书"]


@needs_lo
def test_bundle_has_its_index_and_page_numbers(world: Any, client: Any, inspection: Any, django_capture_on_commit_callbacks: Any, tmp_path: Any) -> None:  # noqa: F811
    from pypdf import PdfReader

    record, order = _inspection_documents(world, inspection)
    client.force_login(world.user("officer_a"))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(f"/documents/bundle/inspections.inspection/{inspection.pk}/")
    job = PrintJob.objects.get()
    assert resp.status_code == 302 and job.status == "done", job.error
    data = client.get(f"/documents/print/{job.pk}/pdf/").content
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == job.pages >= 3
    texts = [_text_page(data, i + 1, tmp_path) for i in range(len(pages))]
    assert "卷内目录" in "".join(texts[0].split())
    for i, t in enumerate(texts, start=1):
        assert f"—{i}—" in "".join(t.split()), (i, t[-200:])
    index = "".join(texts[0].split())
    assert record.number in index and order.number in index and index.index(record.number) < index.index(order.number)
    # the index's page number of the order is the page on which the order starts
    record_pages = len(PdfReader(io.BytesIO(IssuedDocument.objects.get(pk=record.pk).pdf.read())).pages)
    start = 1 + 1 + record_pages
    assert order.number in "".join(texts[start - 1].split())


def _text_page(data: bytes, page: int, tmp_path: Any) -> str:
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True).stdout


assert ISSUED_ON  # the samples' date (conftest)


def test_identical_requests_that_both_pass_the_check_make_one_job(world: Any, issue: Any, monkeypatch: Any) -> None:
    """Two identical requests at the same moment both find no job (``_existing``); the database's
    constraint printjob_one_active keeps one queued job and the second request answers with it."""
    a, b = issue("inspection_record"), issue("rectification_order")
    user = world.user("officer_a")
    monkeypatch.setattr(printing, "_existing", lambda *args: None)  # as if both checked before either inserted
    first = printing.batch_create(actor=user, document_ids=[a.pk, b.pk])
    second = printing.batch_create(actor=user, document_ids=[str(a.pk), str(b.pk)])
    assert second.pk == first.pk and PrintJob.objects.count() == 1 and len(first.selection_key) == 64
    other_order = printing.batch_create(actor=user, document_ids=[b.pk, a.pk])  # another selection: another job
    assert other_order.pk != first.pk
    assert printing.batch_create(actor=world.user("officer_a2"), document_ids=[a.pk, b.pk]).pk != first.pk  # jobs are per user
    PrintJob.objects.filter(pk=first.pk).update(status="done")  # a finished job no longer holds the selection
    again = printing.batch_create(actor=user, document_ids=[a.pk, b.pk])
    assert again.pk != first.pk and PrintJob.objects.filter(requested_by=user, selection_key=first.selection_key).count() == 2


def test_the_register_offers_select_all_on_the_page_with_the_cap(world: Any, client: Any, issue: Any) -> None:
    issue("inspection_record")
    client.force_login(world.user("officer_a"))
    page = client.get("/documents/").content.decode()
    # The box is shown by app.js (hidden without script: nothing that does nothing), labelled, with
    # the cap it honours and a live count; the page never carries more rows than one batch.
    assert 'data-select-all="documents"' in page and f'data-max="{printing.BATCH_MAX}"' in page and 'aria-label="全选本页文书"' in page
    assert 'data-testid="print-count"' in page and 'aria-live="polite"' in page
    from anjian.documents.views_register import PAGE_SIZE

    assert PAGE_SIZE <= printing.BATCH_MAX
