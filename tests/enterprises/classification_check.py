"""What every writer of sectors and features must leave behind: the copies on the unit equal its links."""

from __future__ import annotations

from collections import defaultdict

from anjian.enterprises.choices import SECTOR_GROUP_FLAGS
from anjian.enterprises.models import Enterprise, Feature, Sector


def expected_classification() -> dict[int, tuple[int, dict[str, bool]]]:
    """Unit id → (class_bits, group flags), recomputed in Python from the link tables."""
    s_mask = dict(Sector.objects.values_list("code", "mask"))
    s_group = dict(Sector.objects.values_list("code", "group_id"))
    f_mask = dict(Feature.objects.values_list("code", "mask"))
    bits: dict[int, int] = defaultdict(int)
    groups: dict[int, set[str]] = defaultdict(set)
    for eid, code in Enterprise.sectors.through.objects.values_list("enterprise_id", "sector_id"):
        bits[eid] |= s_mask[code]
        groups[eid].add(s_group[code])
    for eid, code in Enterprise.features.through.objects.values_list("enterprise_id", "feature_id"):
        bits[eid] |= f_mask[code]
    return {pk: (bits[pk], {flag: g in groups[pk] for g, flag in SECTOR_GROUP_FLAGS.items()}) for pk in Enterprise.objects.values_list("pk", flat=True)}


def assert_classification_matches_links() -> None:
    want = expected_classification()
    have = {row[0]: (row[1], dict(zip(SECTOR_GROUP_FLAGS.values(), row[2:], strict=True))) for row in Enterprise.objects.values_list("pk", "class_bits", *SECTOR_GROUP_FLAGS.values())}
    wrong = {pk: (have[pk], want[pk]) for pk in want if have[pk] != want[pk]}
    assert not wrong, f"{len(wrong)} units whose copied classification differs from their links, e.g. {list(wrong.items())[:3]}"
