"""Export of the filtered ledger to .xlsx, in the import template's columns (re-importable).

The queryset is the list page's (``selectors.enterprise_list``), read in chunks with its
prefetches, written by openpyxl's write-only workbook (rows go to a temporary file as they come):
memory stays flat however many units are exported.

A list of more than ``sync_max()`` units (a whole city: 100,000 units take about half a minute) is
exported by the task worker as an ``ExportJob``; the page polls and then offers the file.
Every export is recorded in the audit log (the ledger holds people's names and phone numbers).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django_tasks import task
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from anjian.core import audit, context, crypto, xlsx
from anjian.core.scoping import scope_for
from anjian.enterprises import selectors
from anjian.enterprises.choices import OperatingStatus, Scale, StandardizationLevel, SupervisionLevel
from anjian.enterprises.classification import ClassTable
from anjian.enterprises.importing import COLUMNS, READ_ONLY_HEADERS, SHEET_NAME, Job, as_text_cells, job_root, remove_old_jobs
from anjian.enterprises.models import Enterprise, Site

log = logging.getLogger(__name__)

CHUNK = 500  # units per query and prefetch; about 10 KB each in memory (2,000 held 45 MB)
_SCALE = dict(Scale.choices)
_LEVEL = dict(StandardizationLevel.choices)
_SUPERVISION = dict(SupervisionLevel.choices)


def export_filename() -> str:
    return f"企业台账_{timezone.localdate():%Y%m%d}.xlsx"


def export_queryset(*, user: Any, filters: dict[str, Any] | None = None, sort: str = "name") -> QuerySet[Enterprise]:
    return selectors.enterprise_list(user=user, filters=filters, sort=sort).select_related("division").prefetch_related(
        Prefetch("sites", queryset=Site.objects.filter(is_primary=True).order_by("id"), to_attr="primary_sites")
    )


def _chunks(qs: QuerySet[Enterprise]) -> Iterator[list[Enterprise]]:
    # iterator(chunk_size) keeps prefetch_related working per chunk (Django ≥ 4.1).
    it = qs.iterator(chunk_size=CHUNK)
    while True:
        chunk = list(islice(it, CHUNK))
        if not chunk:
            return
        yield chunk


def _row(ent: Enterprise, classes: ClassTable, measures: list[selectors.ActiveMeasure]) -> list[Any]:
    site = ent.primary_sites[0] if ent.primary_sites else None  # type: ignore[attr-defined]
    values: dict[str, Any] = {
        "name": ent.name,
        "uscc": ent.uscc or "",
        "unlicensed": "是" if ent.unlicensed else "否",
        "division": ent.division.name if ent.division is not None else "",
        "legal_representative": ent.legal_representative,
        "principal": ent.principal,
        # Telephones masked for every role (core/pii.py); the import reads a matching mask as unchanged.
        "principal_phone": crypto.mask_phone(ent.principal_phone),
        "contact_name": ent.contact_name,
        "contact_phone": crypto.mask_phone(ent.contact_phone),
        "registered_address": ent.registered_address,
        "industry": ent.industry_id or "",
        "sectors": "、".join(c.label for c in classes.sectors_of(ent.class_bits)),
        "features": "、".join(c.label for c in classes.features_of(ent.class_bits)),
        "scale": _SCALE.get(ent.scale, ""),
        "employees": ent.employees,
        "risk_scheme": ent.risk_scheme.name if ent.risk_scheme is not None else "",
        "risk_grade": ent.risk_grade,
        "standardization_level": _LEVEL.get(ent.standardization_level, ""),
        "site_address": site.address if site is not None else "",
        "site_street": site.street if site is not None else "",
    }
    status = selectors.operating_status(ent, measures)
    updated = timezone.localtime(ent.updated_at).strftime("%Y-%m-%d %H:%M") if ent.updated_at else ""
    extras = [ent.jurisdiction.name, ent.owner_agency.name, _SUPERVISION.get(ent.supervision_level, ""), OperatingStatus(status).label, updated]
    return [values[c.key] for c in COLUMNS] + extras


def write_export(*, user: Any, filters: dict[str, Any] | None, sort: str, fh: IO[bytes]) -> int:
    """Write the user's filtered ledger to ``fh``; returns the number of units written."""
    classes = ClassTable.load()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAME)
    for i, c in enumerate(COLUMNS):
        ws.column_dimensions[_letter(i)].width = c.width
    for j in range(len(READ_ONLY_HEADERS)):
        ws.column_dimensions[_letter(len(COLUMNS) + j)].width = 14
    ws.freeze_panes = "B2"
    head = []
    for text in [c.header for c in COLUMNS] + list(READ_ONLY_HEADERS):
        head.append(xlsx.cell(ws, text, font=Font(bold=True), fill=PatternFill("solid", fgColor="F2F2F2" if text in READ_ONLY_HEADERS else "DDEBF7")))
    ws.append(head)
    n = 0
    for chunk in _chunks(export_queryset(user=user, filters=filters, sort=sort)):
        measures = selectors.active_measures(e.pk for e in chunk)
        for ent in chunk:
            ws.append(as_text_cells(ws, _row(ent, classes, measures.get(ent.pk, []))))
            n += 1
    wb.save(fh)
    return n


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --- who exported what, and large exports in the background -----------------------------------
def sync_max() -> int:
    """Up to this many units the file is written in the request (a few seconds); above, by the worker."""
    return int(getattr(settings, "ANJIAN_EXPORT_SYNC_MAX", 5000))


def _clean_filters(filters: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (filters or {}).items() if v not in (None, "")}


def _audit(actor: Any, *, rows: int, filters: dict[str, Any], sort: str, object_id: str) -> None:
    # The ledger holds names and phone numbers of people: every export is on the record.
    scope = scope_for(actor)
    audit.record_about(
        actor=actor, action="enterprise.export", object_type="enterprises.export", object_id=object_id, object_repr=export_filename(),
        jurisdiction_id=scope.jurisdiction_id, after={"rows": rows, "filters": filters, "sort": sort}, note=f"导出{rows}家企业",
    )


def export_now(*, actor: Any, filters: dict[str, Any] | None, sort: str, fh: IO[bytes]) -> int:
    """Write the export in the request (small lists) and record it."""
    clean = _clean_filters(filters)
    n = write_export(user=actor, filters=clean, sort=sort, fh=fh)
    _audit(actor, rows=n, filters=clean, sort=sort, object_id="direct")
    return n


def export_root() -> Path:
    return job_root("ANJIAN_EXPORT_DIR", "exports")


class ExportJob(Job):
    """One background export: ``<export dir>/<token>/`` holding meta.json and the finished file."""

    def __init__(self, token: str) -> None:
        super().__init__(token, root=export_root())
        self.file = self.dir / "export.xlsx"


def export_start(*, actor: Any, filters: dict[str, Any] | None, sort: str, expected: int) -> ExportJob:
    """Queue the export of a large list for the worker (``anjian worker``); the page polls for it."""
    root = export_root()
    remove_old_jobs(root)
    job = ExportJob(secrets.token_urlsafe(24))
    job.dir.mkdir(mode=0o700)
    job.meta = {
        "token": job.token, "user_id": actor.pk, "filters": _clean_filters(filters), "sort": sort, "expected": expected,
        "filename": export_filename(), "status": "queued", "queued_at": timezone.now().isoformat(),
    }
    job.save()
    info = context.current()
    export_task.enqueue(token=job.token, user_id=actor.pk, request_id=info.request_id, source_ip=info.source_ip)
    return export_get(actor=actor, token=job.token)


def export_get(*, actor: Any, token: str) -> ExportJob:
    """The user's own export; another user's token answers 404, as a missing one does."""
    return ExportJob.of_user(actor, token)


def export_run(*, actor: Any, token: str) -> ExportJob:
    """Write a queued export (the worker). The rows are read with the user's scope as it is now."""
    job = export_get(actor=actor, token=token)
    if job.meta.get("status") != "queued":
        return job
    job.meta.update(status="running", started_at=timezone.now().isoformat())
    job.save()
    started = time.perf_counter()
    partial = job.dir / "export.xlsx.part"
    try:
        with open(partial, "wb") as fh:
            n = write_export(user=actor, filters=job.meta["filters"], sort=job.meta["sort"], fh=fh)
        partial.replace(job.file)
        _audit(actor, rows=n, filters=job.meta["filters"], sort=job.meta["sort"], object_id=token)
    except Exception:
        log.exception("export %s failed", token)
        partial.unlink(missing_ok=True)
        job.meta.update(status="failed", error="导出过程中发生意外错误，请稍后重试或联系系统管理员。")
        job.save()
        raise
    job.meta.update(status="done", rows=n, seconds=round(time.perf_counter() - started, 1), finished_at=timezone.now().isoformat())
    job.save()
    return job


@task()
def export_task(*, token: str, user_id: int, request_id: str = "", source_ip: str | None = None) -> int:
    """The background export, run by the task worker with the request's audit context."""
    actor = get_user_model().objects.get(pk=user_id)
    with context.of_request(request_id, source_ip):
        job = export_run(actor=actor, token=token)
    return int(job.meta.get("rows", 0))
