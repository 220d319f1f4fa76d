"""A unit's sectors and features as one bit mask, ``Enterprise.class_bits``.

The sector and feature links (two many-to-many tables) stay the record. Every writer that changes
them calls ``services.refresh_classification``, which copies them onto the unit as a 63-bit mask:
each sector and feature owns one bit for good (``Sector.mask`` / ``Feature.mask``, assigned once by
``assign_masks`` and never reused). Two things read the mask:

* the exact count behind a city-wide "sector = 机械" or "feature = 粉尘涉爆" list reads one index
  (jurisdiction, class_bits) instead of joining 100,000 units with the link table;
* the list, the API and the export show a unit's sectors and features from the mask and a
  ``ClassTable`` loaded once per request, instead of two prefetch queries building a model object per link.

The rows of a filtered page are still chosen through the link tables (``selectors``): the planner
knows their statistics, and a rare sector (烟草, 117 of 100,000 units) is then read from its links
rather than by walking the whole name index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

MAX_BITS = 63  # a signed 64-bit column: bits 0–62


class TaxonomyFull(ValueError):
    pass


@dataclass(frozen=True)
class ClassEntry:
    code: str
    label: str  # 危险化学品·生产 for a sector, 粉尘涉爆 for a feature
    mask: int


class ClassTable:
    """Sectors and features in display order with their bits; decodes ``class_bits``."""

    def __init__(self, sectors: Iterable[ClassEntry], features: Iterable[ClassEntry]) -> None:
        self.sectors = [e for e in sectors if e.mask]
        self.features = [e for e in features if e.mask]

    @classmethod
    def from_objects(cls, sectors: Iterable[object], features: Iterable[object]) -> ClassTable:
        """From Sector objects (with their group loaded) and Feature objects, in display order."""
        return cls(
            (ClassEntry(s.code, f"{s.group.name}·{s.name}", s.mask or 0) for s in sectors),  # type: ignore[attr-defined]
            (ClassEntry(f.code, f.name, f.mask or 0) for f in features),  # type: ignore[attr-defined]
        )

    @classmethod
    def load(cls) -> ClassTable:
        """Two small queries (the taxonomy has a few dozen rows)."""
        from anjian.enterprises.models import Feature, Sector

        return cls.from_objects(Sector.objects.select_related("group"), Feature.objects.all())

    def sectors_of(self, bits: int) -> list[ClassEntry]:
        return [e for e in self.sectors if bits & e.mask]

    def features_of(self, bits: int) -> list[ClassEntry]:
        return [e for e in self.features if bits & e.mask]


def mask_of(kind: str, code: str) -> int | None:
    """The bit of one sector (kind "s") or feature (kind "f"); None if unknown or not yet assigned."""
    from anjian.enterprises.models import Feature, Sector

    model = Sector if kind == "s" else Feature
    return model.objects.filter(code=code).values_list("mask", flat=True).first()


@transaction.atomic
def assign_masks() -> int:
    """Give every sector and feature without a bit the lowest free one; returns how many were given.
    A bit, once given, stays with its code: the masks stored on units keep their meaning."""
    from anjian.enterprises.models import Feature, Sector

    taken = {m for model in (Sector, Feature) for m in model.objects.exclude(mask=None).values_list("mask", flat=True)}
    free = (1 << b for b in range(MAX_BITS) if (1 << b) not in taken)
    n = 0
    for model in (Sector, Feature):
        given: list[Any] = []
        for obj in model.objects.select_for_update().filter(mask=None).order_by("code"):
            mask = next(free, None)
            if mask is None:
                raise TaxonomyFull(
                    f"监管行业与行业领域特征合计超过{MAX_BITS}项，分类位已用完（Enterprise.class_bits 须改为更宽的类型）。"
                )
            obj.mask = mask
            given.append(obj)
        model.objects.bulk_update(given, ["mask"], batch_size=500)
        n += len(given)
    return n
