"""One PDF of several documents (issue 14 items 6 and 7), made by a django-tasks task.

* Batch printing (批量打印): documents chosen in the register, in the order chosen, merged.
* The bundle (案卷合订本) of a record that owns documents (a case; an inspection with its hazards):
  its documents in the official order of the case file (LEGAL.md §8, given by the app that owns the
  record through ``registry.register_bundle``), after a generated 卷内目录 that gives each
  document's first page, with "— 1 —" stamped at the foot of every page.

Every document is checked against the asking user's scope when the job is asked for, and again by
nothing else: the job is seen only by the user who asked for it. A document without a PDF yet is
converted in the task (``pdf.make``, the same conversion as on issue). PDFs are merged with pypdf;
the page numbers are a reportlab overlay merged onto each page. The 卷内目录 is a .docx rendered by
LibreOffice like every document, so its Chinese is set in Noto CJK (fonts-noto-cjk), which
LibreOffice embeds; reportlab cannot embed Noto CJK (its outlines are PostScript/CFF), and the stamp
needs no Chinese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from anjian.core import audit
from anjian.core.errors import DomainError, NotFound, ValidationFailed
from anjian.documents import registry, selectors
from anjian.documents.choices import PdfStatus, PrintJobKind, PrintJobStatus
from anjian.documents.models import IssuedDocument, PrintJob
from anjian.documents.rendering import convert_many, convert_to_pdf, pdf_available, sha256_hex

# One batch: what an officer prints at once (a day's orders); beyond it the task would hold a worker
# for minutes. A bundle is a record's own file and is not capped below its size.
BATCH_MAX = 50
BUNDLE_MAX = 200


def _pdf_unavailable() -> None:
    if not pdf_available():
        raise DomainError("服务器未安装LibreOffice，暂不能生成PDF：请逐份下载.docx文书打印，或联系系统管理员安装LibreOffice。", code="pdf_not_configured")


def _existing(actor: Any, kind: str, entries: list[dict[str, Any]], subject: tuple[str, str]) -> PrintJob | None:
    """A double submit: the same user's job for the same documents, still queued or running, or done
    in the last minute, is answered with that job rather than a second one."""
    recent = timezone.now() - dt.timedelta(minutes=1)
    for job in PrintJob.objects.filter(requested_by=actor, kind=kind, subject_type=subject[0], subject_id=subject[1]).order_by("-requested_at")[:5]:
        if job.entries == entries and (job.status in (PrintJobStatus.PENDING, PrintJobStatus.RUNNING) or job.requested_at >= recent):
            return job
    return None


def selection_key(kind: str, entries: list[dict[str, Any]], subject: tuple[str, str]) -> str:
    """SHA-256 of what a job prints: its kind, its record and its documents in order, with their places."""
    payload = {"kind": kind, "subject": list(subject), "documents": [[int(e["document"]), str(e["label"])] for e in entries]}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _create(actor: Any, kind: str, title: str, entries: list[dict[str, Any]], subject: tuple[str, str] = ("", "")) -> PrintJob:
    key = selection_key(kind, entries, subject)
    with transaction.atomic():
        found = _existing(actor, kind, entries, subject)
        if found is not None:
            return found
        # Two identical requests at the same moment both pass the check above; the database keeps one
        # queued or running job per user and selection (constraint printjob_one_active), and the
        # request that loses the insert answers with the job the other one made.
        try:
            with transaction.atomic():
                job = PrintJob.objects.create(
                    kind=kind, title=title[:200], subject_type=subject[0], subject_id=subject[1], entries=entries, requested_by=actor, requested_at=timezone.now(),
                    total=len(entries), selection_key=key,
                )  # fmt: skip
        except IntegrityError:
            same = PrintJob.objects.filter(requested_by=actor, selection_key=key)
            other = same.filter(status__in=(PrintJobStatus.PENDING, PrintJobStatus.RUNNING)).first() or same.order_by("-requested_at", "-id").first()
            if other is None:
                raise
            return other
        audit.record(actor=actor, action="document.print", obj=job, after={"kind": kind, "documents": [e["document"] for e in entries], "subject": ":".join(subject)})
        pk = job.pk

        def enqueue() -> None:
            from anjian.documents.tasks import print_job_build

            print_job_build.enqueue(pk)

        transaction.on_commit(enqueue)
    return job


def parse_ids(raw: Sequence[Any]) -> list[int]:
    """The chosen ids, in order, without repeats; a malformed one is a field error, not a 500."""
    out: list[int] = []
    for value in raw:
        text = str(value).strip()
        if not text.isdigit() or len(text) > 18 or int(text) < 1:
            raise ValidationFailed("所选文书有误。", code="print_invalid", fields={"documents": f"文书编号“{text[:20]}”无效。"})
        if int(text) not in out:
            out.append(int(text))
    return out


def batch_create(*, actor: Any, document_ids: Sequence[Any]) -> PrintJob:
    """Batch printing: the chosen documents (all in the user's scope), at most ``BATCH_MAX``."""
    ids = parse_ids(document_ids)
    if not ids:
        raise ValidationFailed("请至少选择一份文书。", code="print_empty", fields={"documents": "请在登记簿中勾选要打印的文书。"})
    if len(ids) > BATCH_MAX:
        raise ValidationFailed(
            f"一次最多打印{BATCH_MAX}份文书，已选{len(ids)}份：请分批打印。", code="print_too_many", fields={"documents": f"一次最多{BATCH_MAX}份，已选{len(ids)}份。"}
        )
    _pdf_unavailable()
    found = {d.pk: d for d in selectors.document_register(actor, {}).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        shown = "、".join(str(i) for i in missing[:10])
        raise ValidationFailed(
            f"有{len(missing)}份所选文书不存在或不在您的查看范围内（编号{shown}），未生成。",
            code="print_out_of_scope",
            fields={"documents": f"编号{shown}的文书不存在或无权查看。"},
        )
    entries = [{"document": i, "label": found[i].title} for i in ids]
    first = found[ids[0]]
    title = f"{first.number}等{len(ids)}份文书" if len(ids) > 1 else f"{first.number}{first.title}"
    return _create(actor, PrintJobKind.BATCH, title, entries)


def bundle_create(*, actor: Any, subject_type: str, subject_id: Any) -> PrintJob:
    """The bundle of a record's documents, in the order its app gives (LEGAL.md §8)."""
    provider = registry.bundle_provider(str(subject_type or ""))
    sid = str(subject_id or "").strip()
    if provider is None or not sid.isdigit() or len(sid) > 18:
        raise NotFound()
    title, docs = provider(actor, sid)  # NotFound outside the user's scope
    if not docs:
        raise DomainError("该记录还没有已签发的文书，无需装订。", code="bundle_empty")
    if len(docs) > BUNDLE_MAX:
        raise DomainError(f"该记录有{len(docs)}份文书，超过单册上限{BUNDLE_MAX}份，请联系系统管理员分册装订。", code="bundle_too_large")
    _pdf_unavailable()
    entries = [{"document": d.pk, "label": label} for label, d in docs]
    return _create(actor, PrintJobKind.BUNDLE, title, entries, (str(subject_type), sid))


def job_get(user: Any, pk: Any) -> PrintJob:
    text = str(pk)
    if not text.isdigit() or len(text) > 18:
        raise NotFound()
    job = PrintJob.objects.filter(pk=int(text), requested_by=user).first() if getattr(user, "is_authenticated", False) else None
    if job is None:
        raise NotFound()
    return job


# --- the task's work ------------------------------------------------------------------------------------------


def _document_pdf(doc: IssuedDocument) -> bytes:
    """The document's stored PDF (its hash checked), converted first when it has none yet."""
    from anjian.documents import pdf

    for _attempt in range(2):
        if doc.pdf_status == PdfStatus.DONE and doc.pdf:
            try:
                with doc.pdf.open("rb") as fh:
                    data = fh.read()
            except (FileNotFoundError, ValueError):
                data = b""
            if data and sha256_hex(data) == doc.pdf_sha256:
                return data
        pdf.make(doc.pk)
        doc.refresh_from_db()
    raise DomainError(f"{doc.number}《{doc.title}》的PDF生成失败：{doc.pdf_error or '未能生成'}", code="pdf_failed")


def stamp_page_numbers(reader_pages: Any, *, start: int = 1) -> None:
    """Stamp "— n —" centred at the foot of each page (pypdf page objects, changed in place)."""
    from pypdf import PdfReader
    from reportlab.pdfgen import canvas

    for i, page in enumerate(reader_pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=(width, height))
        c.setFont("Times-Roman", 14)  # "—" (U+2014) and digits are in the standard font's WinAnsi set
        c.drawCentredString(width / 2, 28, f"\u2014 {start + i} \u2014")
        c.save()
        page.merge_page(PdfReader(io.BytesIO(buf.getvalue())).pages[0])


def index_docx(title: str, rows: list[tuple[int, str, str, str, str, int]]) -> bytes:
    """The 卷内目录: 序号、文号、题名、日期（8位数字，如20261121，按档案整理规范）、备注、页号（each
    document's first page in the bundle)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = Document()
    section = d.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as every document
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    style = d.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    style.font.size = Pt(11)
    head = d.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("卷内目录")
    run.bold = True
    run.font.size = Pt(18)
    sub = d.add_paragraph(title)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = d.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "文号", "题名", "日期", "备注", "页号"), strict=True):
        cell.text = text
    for seq, number, name, day, note, page in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(seq), number, name, day, note, str(page)), strict=True):
            cell.text = text
    table.autofit = False
    for column, width in zip(table.columns, (1.1, 5.4, 6.0, 2.2, 1.3, 1.0), strict=True):
        column.width = Cm(width)  # the grid LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, (1.1, 5.4, 6.0, 2.2, 1.3, 1.0), strict=True):
            cell.width = Cm(width)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def assemble(title: str, parts: list[tuple[str, IssuedDocument, bytes]], *, bundle: bool) -> tuple[bytes, int]:
    """One PDF of ``parts`` ((place in the file, document, its PDF)), in order. A bundle starts with
    its 卷内目录 (each document's first page) and has "— n —" stamped on every page."""
    from pypdf import PdfReader, PdfWriter

    readers = [(label, doc, PdfReader(io.BytesIO(data))) for label, doc, data in parts]
    writer = PdfWriter()
    if bundle:
        # The index's own pages come first and are counted: render, count, render again if it grew.
        index_pages, index = 1, None
        for _ in range(3):
            page, rows = index_pages + 1, []
            for seq, (label, doc, reader) in enumerate(readers, start=1):
                note = "已作废" if doc.status == "voided" else ""
                rows.append((seq, doc.number, f"{doc.title}（{label}）" if label != doc.title else doc.title, f"{doc.issued_on:%Y%m%d}", note, page))
                page += len(reader.pages)
            index = PdfReader(io.BytesIO(convert_to_pdf(index_docx(title, rows))))
            if len(index.pages) == index_pages:
                break
            index_pages = len(index.pages)
        assert index is not None
        writer.append(index)
    for _label, _doc, reader in readers:
        writer.append(reader)
    if bundle:
        stamp_page_numbers(writer.pages)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


# Documents without a PDF are converted by one LibreOffice run per this many (one start-up each),
# the progress shown after each run.
CONVERT_CHUNK = 10


def _stored_pdf(doc: IssuedDocument) -> bytes | None:
    if doc.pdf_status != PdfStatus.DONE or not doc.pdf:
        return None
    try:
        with doc.pdf.open("rb") as fh:
            data = fh.read()
    except (FileNotFoundError, ValueError):
        return None
    return data if sha256_hex(data) == doc.pdf_sha256 else None


def _convert_missing(docs: list[IssuedDocument], progress: Callable[[int], None], done: int) -> int:
    """Convert the documents that have no PDF yet, ``CONVERT_CHUNK`` per LibreOffice run, keeping
    each PDF on its document; a run that fails leaves its documents to ``_document_pdf`` (one by one,
    with its retries and its reason)."""
    from anjian.documents import pdf

    for start in range(0, len(docs), CONVERT_CHUNK):
        chunk = docs[start : start + CONVERT_CHUNK]
        sources = []
        try:
            for doc in chunk:
                with doc.file.open("rb") as fh:
                    data = fh.read()
                if sha256_hex(data) != doc.sha256:
                    raise DomainError("changed", code="document_changed")
                sources.append(data)
            outs = convert_many(sources, profile=pdf.profile_dir())
        except (DomainError, OSError):
            continue  # one by one below, each with its own reason
        for doc, out in zip(chunk, outs, strict=True):
            pdf.store(doc, out, attempts=doc.pdf_attempts + 1)
        done += len(chunk)
        progress(done)
    return done


def _build(job: PrintJob, progress: Callable[[int], None]) -> tuple[bytes, int]:
    by_id = {d.pk: d for d in IssuedDocument.objects.filter(pk__in=job.document_ids)}
    docs: list[IssuedDocument] = []
    for entry in job.entries:
        doc = by_id.get(int(entry["document"]))
        if doc is None:
            raise DomainError("所选文书已不存在。", code="document_missing")
        docs.append(doc)
    stored = {d.pk: _stored_pdf(d) for d in docs}
    ready = sum(1 for v in stored.values() if v is not None)
    progress(ready)
    _convert_missing([d for d in docs if stored[d.pk] is None], progress, ready)
    parts = [(str(entry["label"]), doc, stored[doc.pk] or _document_pdf(doc)) for entry, doc in zip(job.entries, docs, strict=True)]
    progress(len(parts))
    return assemble(job.title, parts, bundle=job.kind == PrintJobKind.BUNDLE)


def build(pk: int) -> str:
    """The task: mark running, build with progress, store the PDF or the reason it failed."""
    job = PrintJob.objects.filter(pk=pk).first()
    if job is None:
        return "missing"
    if job.status == PrintJobStatus.DONE:
        return "done"
    PrintJob.objects.filter(pk=pk).update(status=PrintJobStatus.RUNNING, done=0, error="")

    def progress(n: int) -> None:
        PrintJob.objects.filter(pk=pk).update(done=n)

    try:
        data, pages = _build(job, progress)
    except DomainError as exc:
        PrintJob.objects.filter(pk=pk).update(status=PrintJobStatus.FAILED, error=exc.message[:300], finished_at=timezone.now())
        return f"failed: {exc.message}"
    except Exception as exc:  # a broken PDF from a reader: the job says so, the worker goes on
        PrintJob.objects.filter(pk=pk).update(status=PrintJobStatus.FAILED, error=f"合并PDF失败：{type(exc).__name__}"[:300], finished_at=timezone.now())
        return f"failed: {exc!r}"
    job.file.save(f"{job.kind}-{job.pk}-{sha256_hex(data)[:12]}.pdf", ContentFile(data), save=False)
    PrintJob.objects.filter(pk=pk).update(
        file=job.file.name, sha256=sha256_hex(data), pages=pages, done=job.total, status=PrintJobStatus.DONE, error="", finished_at=timezone.now()
    )
    return "done"
