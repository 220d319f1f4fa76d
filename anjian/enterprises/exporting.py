"""Export of the filtered ledger to .xlsx, in the import template's columns (re-importable).

The queryset is the list page's (``selectors.enterprise_list``), read in chunks with its
prefetches, written by openpyxl's write-only workbook (rows go to a temporary file as they come):
memory stays flat however many units are exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from anjian.enterprises import selectors
from anjian.enterprises.choices import OperatingStatus, Scale, StandardizationLevel, SupervisionLevel
from anjian.enterprises.classification import ClassTable
from anjian.enterprises.importing import COLUMNS, READ_ONLY_HEADERS, SHEET_NAME, as_text_cells
from anjian.enterprises.models import Enterprise, Site

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
        "principal_phone": ent.principal_phone,
        "contact_name": ent.contact_name,
        "contact_phone": ent.contact_phone,
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
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2" if text in READ_ONLY_HEADERS else "DDEBF7")
        head.append(cell)
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
