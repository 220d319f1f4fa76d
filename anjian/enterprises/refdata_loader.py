"""Loads the project-owned reference data into the database (idempotent: update or create)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

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


@transaction.atomic
def load_divisions(path: Path | str = refdata.DIVISIONS_CSV) -> int:
    n = 0
    for d in refdata.read_divisions(path):
        Division.objects.update_or_create(code=d.code, defaults={"name": d.name, "level": d.level, "parent_id": d.parent_code})
        n += 1
    return n


@transaction.atomic
def load_industries(path: Path | str = refdata.GBT4754_CSV) -> int:
    rows = refdata.read_gbt4754(path)
    for r in sorted(rows, key=lambda r: r.level != "section"):
        IndustryClass.objects.update_or_create(code=r.code, defaults={"name": r.name, "level": r.level, "parent_id": r.parent_code})
    return len(rows)


@transaction.atomic
def load_sectors(path: Path | str = refdata.SECTORS_YAML) -> int:
    tax = refdata.read_sectors(path)
    n = 0
    for gi, g in enumerate(tax.groups):
        SectorGroup.objects.update_or_create(code=g.code, defaults={"name": g.name, "order": gi})
        for si, s in enumerate(g.sectors):
            Sector.objects.update_or_create(code=s.code, defaults={"name": s.name, "group_id": g.code, "order": si})
            n += 1
    for fi, f in enumerate(tax.features):
        Feature.objects.update_or_create(code=f.code, defaults={"name": f.name, "order": fi})
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
