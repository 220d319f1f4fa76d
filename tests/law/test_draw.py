"""The random draw (anjian.law.draw): reproducible, sensitive to every input, uniform."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import pytest

from anjian.law import draw as dr

BASE = dr.Inputs(
    units=tuple(range(100, 160)),
    officers=(1, 2, 3, 4, 5, 6),
    count=10,
    per_inspection=2,
    draw_at="2026-03-02T10:00:00+08:00",
    exclusions={100: (1, 2)},
    reference="芝罘区应急局-2026-1",
)


def test_the_same_inputs_give_the_same_result() -> None:
    a, b = dr.run(BASE), dr.run(dataclasses.replace(BASE, units=tuple(reversed(BASE.units))))  # order of the pool does not matter
    assert a == b and len(a.drawn) == 10 and len({d.unit for d in a.drawn}) == 10
    assert all(len(set(d.officers)) == 2 for d in a.drawn)
    assert dr.verify(BASE, a.as_list(), a.seed) == (True, "重新抽取10户单位及其执法人员，结果与公布结果完全一致。")


@pytest.mark.parametrize(
    "change",
    [
        {"units": tuple(range(100, 161))},
        {"units": tuple(range(101, 161))},
        {"officers": (1, 2, 3, 4, 5, 7)},
        {"count": 11},
        {"per_inspection": 3},
        {"draw_at": "2026-03-02T10:00:01+08:00"},
        {"exclusions": {100: (1,)}},
        {"beacon": "07 12 19 25 31 33 + 09"},
        {"reference": "芝罘区应急局-2026-2"},
    ],
)
def test_any_changed_input_gives_a_different_result(change: dict[str, Any]) -> None:
    base = dr.run(BASE)
    other = dr.run(dataclasses.replace(BASE, **change))
    assert other.seed != base.seed and other.drawn != base.drawn
    ok, why = dr.verify(dataclasses.replace(BASE, **change), base.as_list(), base.seed)
    assert not ok and "不一致" in why


def test_a_tampered_result_fails_verification() -> None:
    res = dr.run(BASE)
    tampered = res.as_list()
    tampered[0]["officers"] = list(reversed(tampered[0]["officers"]))
    assert dr.verify(BASE, tampered, res.seed) == (False, "重新抽取的结果与公布结果不一致。")


def test_exclusions_are_respected() -> None:
    inputs = dataclasses.replace(BASE, units=(100,), count=1, exclusions={100: (1, 2, 3, 4)})
    assert set(dr.run(inputs).drawn[0].officers) == {5, 6}
    with pytest.raises(dr.DrawError) as info:
        dr.run(dataclasses.replace(inputs, exclusions={100: (1, 2, 3, 4, 5)}))
    assert info.value.field == "officers"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"units": ()}, "pool"),
        ({"units": (1, 1)}, "pool"),
        ({"count": 0}, "count"),
        ({"count": 61}, "count"),
        ({"per_inspection": 1}, "per_inspection"),
        ({"officers": (1,)}, "officers"),
    ],
)
def test_impossible_draws_are_refused(change: dict[str, Any], field: str) -> None:
    with pytest.raises(dr.DrawError) as info:
        dr.run(dataclasses.replace(BASE, **change))
    assert info.value.field == field


def test_below_refuses_an_empty_range() -> None:
    with pytest.raises(dr.DrawError):
        dr.Stream(b"x").below(0)


def test_the_rejection_branch_is_taken_for_a_range_that_does_not_divide_2_64() -> None:
    s = dr.Stream(b"seed")
    n = (1 << 63) + 1  # about half of all 64-bit values are rejected
    assert all(0 <= s.below(n) < n for _ in range(50))


# Chi-square critical values at p = 0.001 (tables): df 11 → 31.26, df 5 → 20.52.
CHI2_001 = {11: 31.264, 5: 20.515}


def chi2(counts: Counter[int], cells: list[int], expected: float) -> float:
    return sum((counts.get(c, 0) - expected) ** 2 / expected for c in cells)


def test_units_and_officers_are_drawn_uniformly_over_many_seeds() -> None:
    units, officers = list(range(12)), [1, 2, 3, 4, 5, 6]
    n = 6000
    first_unit: Counter[int] = Counter()
    chosen_officers: Counter[int] = Counter()
    for i in range(n):
        res = dr.run(dr.Inputs(units=tuple(units), officers=tuple(officers), count=1, per_inspection=2, draw_at=f"2026-01-01T00:00:00+08:00#{i}"))
        first_unit[res.drawn[0].unit] += 1
        chosen_officers.update(res.drawn[0].officers)
    assert chi2(first_unit, units, n / 12) < CHI2_001[11]
    assert chi2(chosen_officers, officers, 2 * n / 6) < CHI2_001[5]
    assert dr.sha256({"b": 1, "a": "甲"}) == dr.sha256({"a": "甲", "b": 1})
