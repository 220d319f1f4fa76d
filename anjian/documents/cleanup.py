"""Files left on disk by an issue whose transaction rolled back (issue 14 item 4).

``document_issue`` saves the rendered .docx before the row, inside the transaction; an error inside
the service deletes it again, but a rollback further up (the app's own transaction failing after
the document was issued) leaves the file with no row. The PDF task and a proof of service's scan
can leave files the same way. This finds files under the documents storage that no row names.
Files younger than ``min_age`` are left alone: their transaction may still be running.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from anjian.documents.models import AgencyTemplate, IssuedDocument, PrintJob, ServiceRecord

ROOT = "documents"
# Folders under ROOT that hold files named by rows: the documents (per year), their PDFs, service scans.
# Folders under ROOT kept out of this: the batch and bundle PDFs (documents/printing.py) and the
# bureaus' templates (documents/templates.py) have their own rows and are never removed here.
OTHERS = ("bundles", "templates")


def _walk(storage: Storage, path: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    for f in files:
        yield f"{path}/{f}"
    for d in dirs:
        if path == ROOT and d in OTHERS:
            continue
        yield from _walk(storage, f"{path}/{d}")


def referenced() -> set[str]:
    names: set[str] = set()
    for file, pdf in IssuedDocument.objects.values_list("file", "pdf").iterator(chunk_size=5000):
        names.update(n for n in (file, pdf) if n)
    names.update(n for n in ServiceRecord.objects.exclude(scan="").values_list("scan", flat=True).iterator(chunk_size=5000) if n)
    names.update(AgencyTemplate.objects.values_list("file", flat=True))
    names.update(n for n in PrintJob.objects.exclude(file="").values_list("file", flat=True) if n)
    return names


def orphans(*, min_age: dt.timedelta = dt.timedelta(hours=1), storage: Storage | None = None) -> list[str]:
    """The files under the documents storage that no document, PDF or proof of service names."""
    storage = storage or default_storage
    known = referenced()
    cutoff = timezone.now() - min_age
    out = []
    for name in _walk(storage, ROOT):
        if name in known:
            continue
        try:
            if storage.get_modified_time(name) > cutoff:
                continue
        except (FileNotFoundError, NotImplementedError):
            continue
        out.append(name)
    return sorted(out)
