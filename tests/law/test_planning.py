"""The annual plan's arithmetic (anjian.law.planning) on the official 2026 calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.law import planning as pl
from anjian.law.calendar import WorkCalendar
from tests.law.conftest import oracle_working

D = dt.date
DAYS = {"mine": Decimal(2), "hazchem": Decimal("1.5"), "industry": Decimal(1), "other": Decimal(1)}


def oracle_count(first: D, last: D) -> int:
    n, day = 0, first
    while day <= last:
        n += oracle_working(day)
        day += dt.timedelta(days=1)
    return n


def test_capacity_on_the_2026_calendar(official: WorkCalendar) -> None:
    statutory = oracle_count(D(2026, 1, 1), D(2026, 12, 31))
    assert statutory == 248  # 2026: 261 weekdays − 13 weekday holidays + makeup Saturdays/Sundays
    half = oracle_count(D(2026, 7, 1), D(2026, 12, 31))
    officers = [
        pl.OfficerSpans("甲", ((D(2020, 1, 1), D(2030, 12, 31)),)),
        pl.OfficerSpans("乙", ((D(2020, 1, 1), D(2030, 12, 31)),)),
        pl.OfficerSpans("丙", ((D(2026, 7, 1), D(2030, 12, 31)), (D(2026, 8, 1), D(2026, 9, 1)))),  # joined 1 July; an overlap counts once
        pl.OfficerSpans("丁", ((D(2019, 1, 1), D(2025, 12, 31)),)),  # left before the year: not counted
    ]
    cap = pl.capacity(
        cal=official, year=2026, officers=officers, reserve_share="0.1", key_share="0.6",
        deductions={"licensing": 40, "accident_investigation": "20.5", "duty": 30, "leave": 15},
    )  # fmt: skip
    total = Decimal(2 * statutory + half)
    assert (cap.statutory_days, cap.officers, cap.total, cap.provisional) == (statutory, 3, total, False)
    assert cap.other_enforcement == Decimal("60.5") and cap.non_enforcement == Decimal(45)
    inspection = total - Decimal("105.5")
    assert cap.inspection_days == inspection
    assert cap.reserve == (inspection * Decimal("0.1")).quantize(Decimal("0.01"))
    assert cap.available == inspection - cap.reserve
    assert cap.key_days + cap.general_days == cap.available
    labels = [ln.label for ln in cap.lines]
    assert labels[:3] == ["法定工作日", "执法人员", "总工作日"] and "其他执法工作：行政许可" in labels and labels[-1] == "其中：一般检查"
    assert "临时" not in cap.lines[0].formula
    assert cap.as_dict()["available"] == str(cap.available) and len(cap.as_dict()["lines"]) == len(cap.lines)
    assert dict(cap.per_officer)["丁"] == 0


def test_a_year_not_loaded_is_provisional(official: WorkCalendar) -> None:
    cap = pl.capacity(cal=official, year=2027, officers=[pl.OfficerSpans("甲", ((D(2020, 1, 1), D(2030, 1, 1)),))], deductions={}, reserve_share=0, key_share=1)
    assert cap.provisional and "临时结果" in cap.lines[0].formula and cap.statutory_days == 261


def test_no_officers_no_capacity() -> None:
    empty = WorkCalendar({}, [])
    cap = pl.capacity(cal=empty, year=2026, officers=[], deductions={}, reserve_share="0", key_share="0.5")
    assert cap.total == 0 and cap.available == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": 2003}, "year"),
        ({"officers_per_inspection": 1}, "officers_per_inspection"),
        ({"deductions": {"golf": 1}}, "deductions"),
        ({"deductions": {"duty": "x"}}, "deductions.duty"),
        ({"deductions": {"duty": -1}}, "deductions.duty"),
        ({"deductions": {"duty": "1e9"}}, "deductions.duty"),
        ({"deductions": {"duty": "0.25"}}, "deductions.duty"),
        ({"deductions": {"duty": "NaN"}}, "deductions.duty"),
        ({"deductions": {"duty": 100000}}, "deductions"),
        ({"reserve_share": "abc"}, "reserve_share"),
        ({"reserve_share": "1.5"}, "reserve_share"),
        ({"key_share": "-0.1"}, "key_share"),
    ],
)
def test_capacity_refuses_bad_input(official: WorkCalendar, kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {
        "cal": official,
        "year": 2026,
        "officers": [pl.OfficerSpans("甲", ((D(2026, 1, 1), D(2026, 12, 31)),))],
        "deductions": {},
        "reserve_share": "0.1",
        "key_share": "0.5",
    }
    args.update(kwargs)
    with pytest.raises(pl.PlanningError) as info:
        pl.capacity(**args)
    assert info.value.field == field


# --- profile ----------------------------------------------------------------------------------------
def sample() -> pl.Profile:
    return pl.profile_from_data(pl.SAMPLE_PROFILE)


def unit(i: int, **kw: Any) -> pl.UnitFacts:
    base: dict[str, Any] = {"id": i, "name": f"单位{i}", "groups": frozenset({"industry"}), "sectors": frozenset({"industry.machinery"}), "features": frozenset()}
    base.update(kw)
    return pl.UnitFacts(**base)


def test_the_sample_profile_caps_by_grade() -> None:
    prof = sample()
    units = [
        unit(1, groups=frozenset({"mine"}), sectors=frozenset({"mine.openpit"}), risk_grade="A", risk_rank=0),
        unit(2, groups=frozenset({"mine"}), sectors=frozenset({"mine.openpit"}), risk_grade="D", risk_rank=3, worst_grade=True),
        unit(3, groups=frozenset({"mine"}), sectors=frozenset({"mine.openpit"})),  # ungraded → D
        unit(4, groups=frozenset({"hazchem"}), sectors=frozenset({"hazchem.use"}), standardization="2"),
        unit(5, features=frozenset({"metal_smelting"}), standardization="1"),
        unit(6, standardization="3"),
        unit(7, standardization="bogus"),
        unit(8, groups=frozenset(), sectors=frozenset()),
    ]
    props = pl.propose(units, prof, workdays_per_inspection=DAYS)
    got = {p.unit.id: (p.frequency, p.cap, p.count, p.group) for p in props}
    assert got == {
        1: (1, 1, 1, "mine"), 2: (4, 4, 4, "mine"), 3: (4, 4, 4, "mine"), 4: (4, 4, 4, "hazchem"),
        5: (2, 2, 2, "industry"), 6: (4, 4, 4, "industry"), 7: (6, 6, 6, "industry"), 8: (6, 6, 6, "other"),
    }  # fmt: skip
    assert props[2].grade_label == "未定级（按D级计）" and props[0].grade_label == "风险等级A"
    assert props[1].key_reasons == ("风险等级为最高一级",) and not props[0].key
    assert props[3].cost == Decimal(3) and props[1].cost == Decimal(4)  # days × two officers
    assert all(len(p.months) == p.count for p in props)


def test_key_unit_rules() -> None:
    u = unit(1, groups=frozenset({"mine"}), sectors=frozenset({"mine.underground", "mine.tailings"}), major_hazard_sources=1, open_major_hazards=2, worst_grade=True)
    assert pl.key_reasons(u, frozenset(pl.KEY_RULES)) == tuple(pl.KEY_RULES.values())
    assert pl.key_reasons(u, frozenset({"tailings_pond"})) == ("尾矿库",)


def test_a_profile_without_a_catch_all_rule_skips_the_unit() -> None:
    data = {"rules": [pl.SAMPLE_PROFILE["rules"][0]]}
    prof = pl.profile_from_data(data)
    assert prof.key_rules == frozenset()
    assert pl.propose([unit(1)], prof, workdays_per_inspection={}) == []
    only_other = pl.propose([unit(2, groups=frozenset({"mine"}))], prof, workdays_per_inspection={})
    assert only_other[0].cost == Decimal(2)  # no configured days: one day × two officers


GOOD_RULE = {"basis": "standardization", "frequency": {"1": 1, "2": 1, "3": 1, "none": 1}, "cap": {"1": 1, "2": 1, "3": 1, "none": 1}, "ungraded": "none"}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"rules": ["x"]},
        {"rules": [{**GOOD_RULE, "basis": "size"}]},
        {"rules": [{**GOOD_RULE, "cap": {"1": 1}}]},
        {"rules": [{**GOOD_RULE, "frequency": {"A": 1}, "cap": {"A": 1}}]},
        {"rules": [{**GOOD_RULE, "frequency": {**GOOD_RULE["frequency"], "1": 2}}]},
        {"rules": [{**GOOD_RULE, "frequency": {**GOOD_RULE["frequency"], "1": True}}]},
        {"rules": [{**GOOD_RULE, "cap": {**GOOD_RULE["cap"], "1": 0}}]},
        {"rules": [{**GOOD_RULE, "ungraded": "9"}]},
        {"rules": [GOOD_RULE], "key_rules": ["moon"]},
    ],
)
def test_bad_profiles_are_refused(data: dict[str, Any]) -> None:
    with pytest.raises(pl.PlanningError):
        pl.profile_from_data(data)


def _rule(i: int, **kw: Any) -> dict[str, Any]:
    return {"code": f"r{i}", "name": f"规则{i}", **GOOD_RULE, **kw}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"rules": [_rule(1, code="")]}, "应有编码和名称"),
        ({"rules": [_rule(1), _rule(2, code="r1")]}, "重复"),
        ({"rules": [_rule(1, name="名" * 61)]}, "名称过长"),
        ({"rules": [_rule(1, groups=["moon"])]}, "不是计划的行业"),
        ({"rules": [_rule(1, features=[" "]), _rule(2)]}, "企业特征应为编码文字"),
        ({"rules": [_rule(1, basis="risk_grade", frequency={"ABCDEFGHI": 1}, cap={"ABCDEFGHI": 1}, ungraded="ABCDEFGHI")]}, "等级名称"),
        ({"rules": [_rule(1, groups=["mine"])]}, "兜底规则"),
        ({"rules": []}, "至少应有一条规则"),
    ],
)
def test_a_province_edit_is_checked_beyond_the_engine(data: dict[str, Any], words: str) -> None:
    with pytest.raises(pl.PlanningError) as info:
        pl.check_profile(data)
    assert words in info.value.message


def test_the_sample_passes_the_edit_check() -> None:
    assert pl.check_profile(pl.SAMPLE_PROFILE) == sample()


def test_months_spread_over_the_year() -> None:
    assert pl.spread_months(0, 0) == ()
    assert pl.spread_months(1, 0) == (1,) and pl.spread_months(1, 5) == (6,)
    assert pl.spread_months(4, 1) == (2, 5, 8, 11)
    assert pl.spread_months(12, 3) == tuple(range(1, 13))
    assert len(pl.spread_months(20, 0)) == 20 and set(pl.spread_months(20, 0)) == set(range(1, 13))


# --- fitting ----------------------------------------------------------------------------------------
def _props() -> list[pl.Proposal]:
    units = [
        unit(1, standardization="1"),  # 1 inspection, lowest risk
        unit(2, standardization="3"),  # 4
        unit(3, standardization="none"),  # 6
        unit(4, groups=frozenset({"mine"}), sectors=frozenset({"mine.underground"}), risk_grade="A"),  # key: 1 × 4 days
    ]
    return pl.propose(units, sample(), workdays_per_inspection=DAYS)


def test_enough_capacity_cuts_nothing() -> None:
    f = pl.fit(_props(), Decimal(100))
    assert f.demand == f.demand_before == Decimal(2 * 11 + 4) and not f.cuts and f.over == 0 and "力量充足" in f.summary


def test_short_capacity_cuts_lowest_risk_first_never_a_key_unit() -> None:
    props = _props()
    f = pl.fit(props, Decimal(14))  # needs 26: cut 12 days = 6 general inspections
    assert f.shortfall_before == 12 and f.over == 0 and f.demand == 14
    counts = {p.unit.id: p.count for p in f.proposals}
    # first every general unit down to one, lowest risk first: unit 2 (4→1) then unit 3 (6→3)
    assert counts == {1: 1, 2: 1, 3: 3, 4: 1}
    assert [(c.unit_id, c.before, c.after) for c in f.cuts] == [(2, 4, 1), (3, 6, 3)]
    assert "缺口12" in f.summary and "共6次" in f.summary
    cut = next(p for p in f.proposals if p.unit.id == 3)
    assert cut.cut_from == 6 and len(cut.months) == 3


def test_when_still_short_general_units_drop_to_none_and_key_units_stay() -> None:
    f = pl.fit(_props(), Decimal(5))
    counts = {p.unit.id: p.count for p in f.proposals}
    assert counts == {1: 0, 2: 0, 3: 0, 4: 1} and f.over == 0 and f.demand == 4
    f = pl.fit(_props(), Decimal(1))
    assert {p.unit.id: p.count for p in f.proposals}[4] == 1 and f.over == 3 and f.key_demand == 4
    assert "重点单位不得削减" in f.summary


def test_general_inspections_fit_their_own_share_and_idle_key_days_are_not_lent() -> None:
    # General units need 22 days (1×2 + 4×2 + 6×2), the key unit 4. Of 100 days, 90 are the key
    # share: general inspections get the other 10, although the total would hold them all.
    f = pl.fit(_props(), Decimal(100), key_days=Decimal(90))
    general = sum((p.demand for p in f.proposals if not p.key), Decimal(0))
    assert general <= 10 and f.demand == general + 4 and f.key_demand == 4 and f.over == 0
    assert {p.unit.id: p.count for p in f.proposals}[4] == 1  # the key unit is never cut
    assert f.shortfall_before == 12 and f.cut_units > 0
    assert "（重点检查4个、一般检查22个）" in f.summary and "（重点检查90个、一般检查10个）" in f.summary
    assert "未用的86个工作日" in f.summary and "不调剂给一般检查" in f.summary
    # The same proposals against the total only (no split) cut nothing.
    assert pl.fit(_props(), Decimal(100)).cut_units == 0


def test_key_units_beyond_their_share_take_from_the_general_share() -> None:
    f = pl.fit(_props(), Decimal(30), key_days=Decimal(2))  # key needs 4 of a 2-day share: general keeps 26
    assert f.cut_units == 0 and f.over == 0 and "超出重点检查份额2个" in f.summary and "力量充足" in f.summary
    f = pl.fit(_props(), Decimal(20), key_days=Decimal(2))  # general 22 > 20 − 4 = 16: cut
    assert f.over == 0 and sum((p.demand for p in f.proposals if not p.key), Decimal(0)) <= 16 and "缺口6个" in f.summary
    f = pl.fit(_props(), Decimal(3), key_days=Decimal(2))  # the key unit alone needs more than everything
    assert f.over == 1 and all(p.count == 0 for p in f.proposals if not p.key) and "重点单位不得削减" in f.summary


def test_share_check() -> None:
    args: dict[str, Any] = {"available": Decimal(100), "key_days": Decimal(60)}
    assert pl.share_check(key_demand=Decimal(50), general_demand=Decimal(40), **args) == (Decimal(0), "")
    over, text = pl.share_check(key_demand=Decimal(50), general_demand=Decimal(45), **args)
    assert over == 5 and "一般检查需要45个工作日，比一般检查可安排的40个多5个" in text and "重点检查份额60个，不调剂给一般检查" in text
    over, text = pl.share_check(key_demand=Decimal(70), general_demand=Decimal(35), **args)  # key over its share: general gets 30
    assert over == 5 and "可安排的30个多5个" in text and "重点单位需要70个，不得削减" in text
    over, text = pl.share_check(key_demand=Decimal(120), general_demand=Decimal(0), **args)
    assert over == 20 and "重点单位需要120个工作日" in text and "多20个" in text
    assert pl.share_check(key_demand=Decimal(50), general_demand=Decimal(50), available=Decimal(100), key_days=None) == (Decimal(0), "")
    over, text = pl.share_check(key_demand=Decimal(50), general_demand=Decimal(51), available=Decimal(100), key_days=None)
    assert over == 1 and "比一般检查可安排的50个多1个（可安排100个工作日，重点单位需要50个）" in text


def test_item_edit_rules() -> None:
    pl.check_item(count=2, months=[3, 3], cap=2)
    for kw, field in [
        ({"count": -1, "months": [], "cap": 2}, "count"),
        ({"count": 3, "months": [1, 2, 3], "cap": 2}, "count"),
        ({"count": 1, "months": [13], "cap": 2}, "months"),
        ({"count": 2, "months": [1], "cap": 2}, "months"),
    ]:
        with pytest.raises(pl.PlanningError) as info:
            pl.check_item(**kw)
        assert info.value.field == field


def test_conflicts_across_plans() -> None:
    rows = [
        pl.PlannedCount(1, "甲公司", 10, "市应急局2026年度计划（第1版）", 100, 1, 2),
        pl.PlannedCount(1, "甲公司", 20, "芝罘区应急局2026年度计划（第1版）", 200, 2, 2),
        pl.PlannedCount(2, "乙公司", 20, "芝罘区应急局2026年度计划（第1版）", 200, 2, 2),
        pl.PlannedCount(3, "丙公司", 20, "芝罘区应急局2026年度计划（第1版）", 200, 3, 2),
        pl.PlannedCount(4, "丁公司", 10, "市应急局2026年度计划（第1版）", 100, 0, 2),
        pl.PlannedCount(4, "丁公司", 20, "芝罘区应急局2026年度计划（第1版）", 200, 1, 2),
    ]
    got = pl.conflicts(rows)
    assert [(c.unit_id, c.kind) for c in got] == [(1, "two_subjects"), (1, "over_cap"), (3, "over_cap")]
    assert "市应急局2026年度计划（第1版）、芝罘区应急局2026年度计划（第1版）" in got[0].message and got[0].plan_ids == (10, 20)


@st.composite
def _units(draw: Any) -> list[pl.UnitFacts]:
    n = draw(st.integers(min_value=1, max_value=40))
    out = []
    for i in range(n):
        kind = draw(st.sampled_from(["mine", "hazchem", "industry"]))
        sectors = {"mine": "mine.openpit", "hazchem": "hazchem.use", "industry": "industry.light"}[kind]
        grade = draw(st.sampled_from(["", "A", "B", "C", "D"]))
        out.append(
            pl.UnitFacts(
                id=i + 1, name=f"单位{i}", groups=frozenset({kind}), sectors=frozenset({sectors}), features=frozenset(), risk_grade=grade,
                worst_grade=grade == "D", risk_rank="ABCD".find(grade) if grade else 0, standardization=draw(st.sampled_from(pl.STANDARDIZATION_KEYS)),
                major_hazard_sources=draw(st.integers(min_value=0, max_value=1)),
            )
        )  # fmt: skip
    return out


@given(units=_units(), available=st.integers(min_value=0, max_value=400), key_share=st.one_of(st.none(), st.integers(min_value=0, max_value=100)))
def test_fitting_respects_caps_and_never_cuts_a_key_unit(units: list[pl.UnitFacts], available: int, key_share: int | None) -> None:
    props = pl.propose(units, sample(), workdays_per_inspection=DAYS)
    key_days = None if key_share is None else (Decimal(available) * key_share / 100).quantize(Decimal("0.01"))
    f = pl.fit(props, Decimal(available), key_days=key_days)
    assert f.demand == sum((p.demand for p in f.proposals), Decimal(0))
    for before, after in zip(props, f.proposals, strict=True):
        assert 0 <= after.count <= before.count <= after.cap and len(after.months) == after.count
        if before.key:
            assert after.count == before.count
    general = sum((p.demand for p in f.proposals if not p.key), Decimal(0))
    share = pl.general_share(available=Decimal(available), key_days=key_days, key_demand=f.key_demand)
    assert f.over == pl.share_check(key_demand=f.key_demand, general_demand=general, available=Decimal(available), key_days=key_days)[0]
    if f.over > 0:
        assert all(p.count == 0 for p in f.proposals if not p.key)
    else:
        assert f.demand <= available and general <= share
