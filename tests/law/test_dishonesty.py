"""The serious-dishonesty list grounds (LEGAL.md §9): verified grounds propose, text-pending never lists."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.law import dishonesty as d
from anjian.law.catalogue import AccidentGrade
from anjian.law.errors import LawError

D = dt.date


def unit(**kw: object) -> d.UnitFacts:
    base: dict[str, object] = {"key": "1", "name": "烟台示例化工有限公司", "sectors": frozenset({"hazchem.production"})}
    base.update(kw)
    return d.UnitFacts(**base)  # type: ignore[arg-type]


def acc(day: dt.date, grade: AccidentGrade, **kw: object) -> d.AccidentFact:
    return d.AccidentFact(occurred_on=day, grade=grade, ref=f"事故{day.isoformat()}", **kw)  # type: ignore[arg-type]


def test_every_ground_has_its_article_and_the_pending_ones_are_marked() -> None:
    assert len(d.CONDITIONS) == 9  # 11号: nine grounds, five after an accident, four after a penalty
    assert len(d.conditions(basis=d.Basis.ACCIDENT)) == 5
    assert len(d.conditions(basis=d.Basis.PENALTY)) == 4
    pending = [c.code for c in d.CONDITIONS if c.text_pending]
    assert pending == ["penalty_ground_2", "penalty_ground_3", "assessment_body_fraud"]  # LEGAL.md §9: (2)–(4) text pending
    assert all(c.status is d.Status.PENDING for c in d.CONDITIONS if c.text_pending)
    assert all("应急管理部令第11号" in c.article for c in d.CONDITIONS)
    assert {c.code for c in d.conditions(verified_only=True)} == {c.code for c in d.CONDITIONS} - set(pending)
    assert d.condition("accident_major").lists_units
    assert not d.condition("principal_fled").lists_units
    with pytest.raises(LawError) as exc:
        d.condition("nope")
    assert exc.value.code == "unknown_condition"


def test_a_major_accident_lists_the_unit() -> None:
    [p] = d.propose(unit(accidents=(acc(D(2026, 3, 1), AccidentGrade.MAJOR),)), on=D(2026, 6, 1))
    assert p.listed and p.condition.code == "accident_major" and p.refs == ("事故2026-03-01",)
    assert "谁处罚、谁决定、谁负责" in p.reason and p.triggered_on == D(2026, 3, 1)


def test_a_general_accident_touches_no_ground() -> None:
    assert d.propose(unit(accidents=(acc(D(2026, 3, 1), AccidentGrade.GENERAL),)), on=D(2026, 6, 1)) == []


def test_an_accident_after_the_day_asked_is_not_counted() -> None:
    assert d.propose(unit(accidents=(acc(D(2026, 7, 1), AccidentGrade.MAJOR),)), on=D(2026, 6, 1)) == []


def test_two_larger_accidents_within_twelve_months() -> None:
    two = (acc(D(2025, 3, 31), AccidentGrade.LARGER), acc(D(2026, 3, 31), AccidentGrade.LARGER))
    [p] = d.propose(unit(accidents=two), on=D(2026, 6, 1))
    assert p.listed and p.condition.code == "accident_larger_twice" and p.triggered_on == D(2026, 3, 31)
    apart = (acc(D(2025, 3, 30), AccidentGrade.LARGER), acc(D(2026, 3, 31), AccidentGrade.LARGER))
    assert d.propose(unit(accidents=apart), on=D(2026, 6, 1)) == []
    assert d.propose(unit(accidents=two[:1]), on=D(2026, 6, 1)) == []


def test_fine_multiple_and_concealment() -> None:
    facts = unit(accidents=(acc(D(2026, 1, 5), AccidentGrade.GENERAL, fine_multiple=True, concealed=True),))
    codes = {p.condition.code: p.listed for p in d.propose(facts, on=D(2026, 6, 1))}
    assert codes == {"accident_fine_multiple": True, "accident_concealed": True}


def test_a_text_pending_ground_never_lists_a_unit() -> None:
    for code in ("penalty_ground_2", "penalty_ground_3", "assessment_body_fraud"):
        [p] = d.propose(unit(penalties=((code, "芝应急罚〔2026〕1号"),), assessment_body=True), on=D(2026, 6, 1))
        assert not p.listed and "条文尚未取得" in p.reason and p.refs == ("芝应急罚〔2026〕1号",)


def test_unlicensed_operation_is_verified_and_lists() -> None:
    [p] = d.propose(unit(penalties=(("unlicensed_operation", "芝应急罚〔2026〕2号"), ("unlicensed_operation", "芝应急罚〔2026〕3号"))), on=D(2026, 6, 1))
    assert p.listed and p.refs == ("芝应急罚〔2026〕2号", "芝应急罚〔2026〕3号")


def test_a_ground_for_people_only_does_not_list_the_unit() -> None:
    [p] = d.propose(unit(penalties=(("principal_fled", "调查报告"),)), on=D(2026, 6, 1))
    assert not p.listed and "不列入单位" in p.reason


def test_a_unit_outside_the_sectors_is_not_listed() -> None:
    [p] = d.propose(unit(sectors=frozenset(), accidents=(acc(D(2026, 3, 1), AccidentGrade.ESPECIALLY_MAJOR),)), on=D(2026, 6, 1))
    assert not p.listed and "第二条" in p.reason
    assert d.in_scope(unit(sectors=frozenset(), assessment_body=True))


def test_facts_before_the_rule_came_into_force_do_not_list() -> None:
    [p] = d.propose(unit(accidents=(acc(D(2023, 9, 30), AccidentGrade.MAJOR),)), on=D(2026, 6, 1))
    assert not p.listed and "施行" in p.reason


def test_an_unknown_penalty_ground_is_refused() -> None:
    with pytest.raises(LawError):
        d.propose(unit(penalties=(("made_up", "x"),)), on=D(2026, 6, 1))


def test_add_months_clamps_to_the_month_end() -> None:
    assert d.add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert d.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert d.add_months(D(2026, 3, 31), 1) == D(2026, 4, 30)
    assert d.add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)


def test_listing_period_and_removal() -> None:
    p = d.listing_period(D(2026, 6, 1))
    assert p.ends_on == D(2029, 6, 1) and p.early_removal_from == D(2027, 6, 1) and p.status is d.Status.CFG
    assert d.removal_allowed(p, D(2029, 6, 2), early=False, repaired=False)[0]
    ok, why = d.removal_allowed(p, D(2028, 1, 1), early=False, repaired=True)
    assert not ok and "届满前" in why
    ok, why = d.removal_allowed(p, D(2027, 5, 31), early=True, repaired=True)
    assert not ok and "未满十二个月" in why
    ok, why = d.removal_allowed(p, D(2027, 6, 1), early=True, repaired=False)
    assert not ok and "信用修复" in why
    assert d.removal_allowed(p, D(2027, 6, 1), early=True, repaired=True)[0]
    with pytest.raises(LawError):
        d.listing_period(D(2026, 6, 1), years=0)
