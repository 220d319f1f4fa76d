"""Major-hazard criteria as data (LEGAL.md §5)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from anjian.law.errors import HazardCriteriaError, LawError, RuleDataError
from anjian.law.hazards import (
    HazardCriteria,
    classifies_as_major,
    criteria_for,
    default_criteria,
    parse_items,
)
from anjian.law.ruleset import RuleStatus, load_yaml
from anjian.law.taxonomy import FEATURES, SECTORS

D = dt.date


def _ids(items: Any) -> list[str]:
    return [i.id for i in items]


def test_catalogue_sizes_follow_legal_md() -> None:
    cats = {c.code: c for c in default_criteria().catalogues}
    it10 = cats["IT10"].items
    per_article: dict[int | None, int] = {}
    for item in it10:
        per_article[item.article] = per_article.get(item.article, 0) + 1
    assert per_article == {3: 3, 4: 8, 5: 13, 6: 8, 7: 7, 8: 7, 9: 2, 10: 2, 11: 10, 12: 2, 13: 2, None: 1}
    assert len(cats["HC121"].items) == 20
    assert all(not i.text_pending for i in cats["HC121"].items)
    assert cats["IT25"].template and cats["IT25"].items == ()
    assert cats["IT10"].effective_from == D(2023, 5, 15)
    assert cats["KA88"].effective_from == D(2022, 9, 1)


def test_pending_items_never_classify() -> None:
    items = {i.id: i for i in default_criteria().items()}
    for ident in ["IT10-4-5", "IT10-4-8", "IT10-5-1", "IT10-5-13", "IT10-7-3", "IT10-8-7", "IT10-9-2",
                  "IT10-catchall", "KA88-T-rest"]:  # fmt: skip
        assert items[ident].text_pending and not classifies_as_major(items[ident])
    for ident in ["IT10-4-1", "IT10-11-4", "IT10-13-2", "HC121-20", "KA88-U-exits", "KA88-O-monitoring"]:
        assert classifies_as_major(items[ident])
    assert items["IT10-5-1"].text == "（条文待补录）"
    assert items["IT10-4-5"].status is RuleStatus.CFG
    assert items["IT10-4-1"].status is RuleStatus.S


def test_criteria_for_a_metallurgy_plant_with_dust() -> None:
    ids = _ids(criteria_for(["industry.metallurgy"], ["dust_explosion"]))
    assert ids[:2] == ["IT10-3-1", "IT10-3-2"]
    assert "IT10-3-3" not in ids  # metal smelting only
    assert [i for i in ids if i.startswith("IT10-4-")] == [f"IT10-4-{n}" for n in range(1, 9)]
    assert [i for i in ids if i.startswith("IT10-11-")] == [f"IT10-11-{n}" for n in range(1, 11)]
    assert not any(i.startswith(("IT10-12", "IT10-13", "HC121", "KA88", "IT10-5-")) for i in ids)
    assert "IT10-catchall" in ids


def test_features_add_items() -> None:
    ids = _ids(criteria_for(["industry.light"], ["ammonia_refrigeration", "confined_space", "metal_smelting"]))
    assert {"IT10-12-1", "IT10-12-2", "IT10-13-1", "IT10-13-2", "IT10-3-3"} <= set(ids)
    assert "IT10-11-1" not in ids


def test_chemicals_and_mines() -> None:
    chem = _ids(criteria_for(["hazchem.storage"]))
    assert chem == [f"HC121-{n}" for n in range(1, 21)]
    assert _ids(criteria_for(["mine.openpit"])) == ["KA88-O-benches", "KA88-O-monitoring", "KA88-O-rest"]
    assert _ids(criteria_for(["mine.tailings"])) == ["KA88-T-rest"]
    assert criteria_for(["hazchem.use"], ["dust_explosion"]) == criteria_for(["hazchem.use"])


def test_dates() -> None:
    assert criteria_for(["industry.metallurgy"], on=D(2023, 5, 14)) == []
    assert criteria_for(["industry.metallurgy"], on=D(2023, 5, 15))
    item = default_criteria().item("KA88-U-exits")
    assert not classifies_as_major(item, on=D(2022, 8, 31))
    assert classifies_as_major(item, on=D(2022, 9, 1))
    with pytest.raises(HazardCriteriaError):
        default_criteria().item("NOPE")


def test_codes_are_validated() -> None:
    with pytest.raises(HazardCriteriaError):
        criteria_for(["industry.steel"])
    with pytest.raises(HazardCriteriaError):
        criteria_for(["industry.metallurgy"], ["lasers"])


def test_every_code_in_the_data_is_a_known_code() -> None:
    for item in default_criteria().items():
        assert item.sectors <= SECTORS.keys()
        assert item.features <= FEATURES.keys()


def _import(rows: list[dict[str, Any]]) -> Any:
    return parse_items(rows, catalogue="IT10", source="法规科补录", status=RuleStatus.S,
                       effective_from=D(2023, 5, 15))  # fmt: skip


def test_an_import_completes_a_pending_item() -> None:
    items = _import([{"id": "IT10-5-1", "article": 5, "item": 1, "sectors": ["industry.nonferrous"],
                      "text": "（补录的条文）"}])  # fmt: skip
    assert classifies_as_major(items[0]) and items[0].source == "法规科补录"


@pytest.mark.parametrize(
    "row",
    [
        "x",
        {"id": "A"},  # no text and not pending
        {"id": "A", "text": "t", "status": "X"},
        {"id": "A", "text": "t", "sectors": ["nope.*"]},
        {"id": "A", "text": "t", "count": 3},  # count only for pending rows
        {"id": "A", "text_pending": True, "count": 0},
        {"id": None, "text": "t"},
    ],
)
def test_imported_rows_are_validated(row: Any) -> None:
    with pytest.raises(LawError):
        _import([row])


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(RuleDataError):
        _import([{"id": "A", "text": "t"}, {"id": "A", "text": "u"}])


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(catalogues={}),
        lambda d: d["catalogues"][0].update(effective_from=None),
        lambda d: d["catalogues"][0].update(status="Z"),
    ],
)
def test_criteria_data_is_validated(mutate: Any) -> None:
    data = copy.deepcopy(load_yaml("major_hazards.yaml"))
    mutate(data)
    with pytest.raises(RuleDataError):
        HazardCriteria.from_data(data)
    with pytest.raises(RuleDataError):
        HazardCriteria.from_data([])
