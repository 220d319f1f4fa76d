"""Background work of the documents core (django-tasks; run by ``anjian worker``)."""

from __future__ import annotations

from django_tasks import task

from anjian.documents import pdf, printing


@task()
def document_pdf(document_id: int) -> str:
    """The PDF of one issued document (documents/pdf.py: retries, status on the document)."""
    return pdf.make(document_id)


@task()
def print_job_build(job_id: int) -> str:
    """One PDF of several documents: a batch from the register or a record's bundle (documents/printing.py)."""
    return printing.build(job_id)
