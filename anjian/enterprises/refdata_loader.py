"""Loads the project-owned reference data into the database (idempotent: update or create).

Each table is read once and written in bulk: only the rows that are missing are inserted and only
the rows whose values differ are updated (GB/T 4754 alone has ~1,700 classes; one query per row
made every load, and every test that loads the reference data, pay for ~3,400 round trips)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.db import models, transaction

from anjian.core import refdata
from anjian.core.models import Division
from anjian.enterprises.classification import assign_masks
from anjian.enterprises.models import Feature, GradingScheme, IndustryClass, Sector, SectorGroup

# LEGAL.md §6: grades and caps are provincial (CFG). Until a bureau configures its own, these
# sample schemes are shipped and labelled 示例配置 (sample profile: Shanxi 2025).
SAMPLE_SCHEMES = [
    {"code": "mine", "name": "非煤矿山安全风险分级（示例）", "grades": ["A", "B", "C", "D"], "worse_end": "last", "source": "示例配置：山西2025,A–D风险由低到高"},
    {"code": "hazchem", "name": "危险化学品企业安全风险分级（示例）", "grades": ["A", "B", "C", "D"], "worse_end": "first", "source": "示例配置：A为高风险"},
    {"code": "general", "name": "工贸企业安全风险分级（示例）", "grades": ["A", "B", "C", "D"], "worse_end": "first", "source": "示例配置：A为高风险"},
]


def _upsert(model: type[models.Model], rows: Iterable[tuple[str, Mapping[str, Any]]]) -> int:
    """Insert the missing ``(code, values)`` rows of ``model`` and update those whose values differ,
    in bulk (the same end state as ``update_or_create`` per row). Rows are written in the given
    order, so a parent listed before its children exists first. Returns how many rows were given."""
    rows = list(rows)
    if not rows:
        return 0
    fields = list(rows[0][1])
    manager: Any = model._default_manager
    existing = {r[0]: r[1:] for r in manager.values_list("code", *fields)}
    new, changed = [], []
    for code, values in rows:
        have = existing.get(code)
        if have is None:
            new.append(model(code=code, **values))
        elif tuple(values[f] for f in fields) != tuple(have):
            changed.append(model(code=code, **values))
    manager.bulk_create(new, batch_size=500)
    if changed:
        manager.bulk_update(changed, fields, batch_size=500)
    return len(rows)


@transaction.atomic
def load_divisions(path: Path | str = refdata.DIVISIONS_CSV) -> int:
    return _upsert(Division, ((d.code, {"name": d.name, "level": d.level, "parent_id": d.parent_code}) for d in refdata.read_divisions(path)))


@transaction.atomic
def load_industries(path: Path | str = refdata.GBT4754_CSV) -> int:
    rows = sorted(refdata.read_gbt4754(path), key=lambda r: r.level != "section")
    return _upsert(IndustryClass, ((r.code, {"name": r.name, "level": r.level, "parent_id": r.parent_code}) for r in rows))


@transaction.atomic
def load_sectors(path: Path | str = refdata.SECTORS_YAML) -> int:
    tax = refdata.read_sectors(path)
    _upsert(SectorGroup, ((g.code, {"name": g.name, "order": gi}) for gi, g in enumerate(tax.groups)))
    n = _upsert(Sector, ((s.code, {"name": s.name, "group_id": g.code, "order": si}) for g in tax.groups for si, s in enumerate(g.sectors)))
    _upsert(Feature, ((f.code, {"name": f.name, "order": fi}) for fi, f in enumerate(tax.features)))
    assign_masks()  # a new sector or feature gets its bit in Enterprise.class_bits
    return n


@transaction.atomic
def load_sample_schemes() -> int:
    for s in SAMPLE_SCHEMES:
        GradingScheme.objects.get_or_create(code=s["code"], defaults={**s, "is_sample": True})
    return len(SAMPLE_SCHEMES)


def load_all(divisions: Path | str | None = None) -> dict[str, int]:
    return {
        "divisions": load_divisions(divisions or refdata.DIVISIONS_CSV),
        "industries": load_industries(),
        "sectors": load_sectors(),
        "schemes": load_sample_schemes(),
    }
