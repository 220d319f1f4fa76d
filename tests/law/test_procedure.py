"""Hearing, legal review, collective discussion, summary procedure (LEGAL.md §2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anjian.law.errors import AmountError, LawError
from anjian.law.penalties import (
    CollectiveDiscussionRule,
    HearingConfig,
    MitigationGround,
    PartyKind,
    PenaltyKind,
    ReviewCatalogueEntry,
    collective_discussion_required,
    hearing_required,
    legal_review_required,
    onsite_collection_allowed,
    summary_procedure_allowed,
)
from anjian.law.ruleset import RuleOverride, config_value

D = dt.date
IND, ORG = PartyKind.INDIVIDUAL, PartyKind.ORGANISATION
FINE = PenaltyKind.FINE


@pytest.mark.parametrize(
    ("party", "fine", "required"),
    [
        (IND, "19999.99", False), (IND, "20000.00", True),  # inclusive
        (ORG, "49999.99", False), (ORG, "50000.00", True),
        (ORG, "20000.00", False),
    ],
)
def test_large_fine_thresholds(party: PartyKind, fine: str, required: bool) -> None:
    result = hearing_required(kinds=[FINE], party=party, fine=Decimal(fine))
    assert result.required is required
    assert bool(result) is required
    if required:
        assert result.reasons[0].code == "large_fine"
        assert result.reasons[0].article == "行政处罚法第六十三条第一款第（一）项"


@pytest.mark.parametrize(
    ("kind", "item"),
    [
        (PenaltyKind.ORDER_STOP, "（四）"), (PenaltyKind.ORDER_CLOSE, "（四）"),
        (PenaltyKind.RESTRICT_PRACTICE, "（四）"), (PenaltyKind.LICENCE_REVOCATION, "（三）"),
        (PenaltyKind.QUALIFICATION_DOWNGRADE, "（三）"),
    ],
)
def test_heavy_kinds_always_need_a_hearing(kind: PenaltyKind, item: str) -> None:
    result = hearing_required(kinds=[kind, FINE], party=ORG, fine=Decimal("100.00"))
    assert [r.code for r in result.reasons] == [kind.value]
    assert result.reasons[0].article.endswith(f"第{item}项")


def test_no_hearing_for_a_warning_or_a_small_fine() -> None:
    assert not hearing_required(kinds=["warning"], party="individual")
    assert not hearing_required(kinds=[FINE, PenaltyKind.LICENCE_SUSPENSION], party=ORG, fine=Decimal(1))


def test_confiscation() -> None:
    unset = hearing_required(kinds=[PenaltyKind.CONFISCATE_GAINS], party=ORG, confiscation=Decimal(10))
    assert unset.reasons[0].code == "large_confiscation" and "未配置" in unset.reasons[0].text
    cfg = HearingConfig(confiscation_organisation=Decimal("10000.00"), confiscation_individual=Decimal(500))
    assert not hearing_required(kinds=["confiscate_property"], party=ORG, confiscation=Decimal(9999), config=cfg)
    assert hearing_required(kinds=["confiscate_property"], party=ORG, confiscation=Decimal(10000), config=cfg)
    assert hearing_required(kinds=["confiscate_gains"], party=IND, confiscation=Decimal(500), config=cfg)
    assert hearing_required(kinds=["confiscate_gains"], party=IND, config=cfg)  # amount unknown


def test_other_heavy_and_other_rules() -> None:
    result = hearing_required(kinds=["warning"], party=IND, other_heavy=True, other_law_requires=True)
    assert [r.code for r in result.reasons] == ["other_heavy", "other_law"]


def test_a_provincial_threshold() -> None:
    cfg = HearingConfig(individual=Decimal(500), organisation=Decimal(5000), source="某省规定")
    result = hearing_required(kinds=[FINE], party=IND, fine=Decimal(500), config=cfg)
    assert result and "某省规定" in result.reasons[0].text


def test_hearing_config_from_overrides() -> None:
    def ov(key: str, value: Decimal | None, doc: str) -> RuleOverride:
        return RuleOverride(key, "370000", D(2026, 1, 1), doc, "法规处", value=value)

    overrides = [
        ov("hearing.fine.individual", Decimal(500), "鲁政字〔2026〕1号"),
        ov("hearing.confiscation.organisation", Decimal(30000), "鲁政字〔2026〕2号"),
        ov("hearing.confiscation.individual", None, "鲁政字〔2026〕3号"),
    ]
    cfg = HearingConfig.from_overrides(overrides, D(2026, 3, 2))
    assert cfg.individual == Decimal(500) and cfg.organisation == Decimal("50000.00")
    assert cfg.confiscation_organisation == Decimal(30000)
    assert cfg.confiscation_individual is None
    assert "鲁政字〔2026〕1号" in cfg.source
    assert HearingConfig.from_overrides(overrides, D(2025, 3, 2)) == HearingConfig()
    assert config_value("x", Decimal(1), D(2026, 3, 2)) == (Decimal(1), None)


def test_a_fine_kind_needs_an_amount() -> None:
    with pytest.raises(LawError) as info:
        hearing_required(kinds=[FINE], party=ORG)
    assert info.value.field == "fine"
    with pytest.raises(AmountError):
        hearing_required(kinds=[FINE], party=ORG, fine=Decimal("1.234"))


# -- legal review (§58) ---------------------------------------------------------------------------


def test_legal_review_four_conditions() -> None:
    assert not legal_review_required()
    assert [r.code for r in legal_review_required(major_public_interest=True).reasons] == ["public_interest"]
    assert [r.code for r in legal_review_required(complex_case=True).reasons] == ["complex"]
    assert [r.code for r in legal_review_required(several_legal_relationships=True).reasons] == ["complex"]
    assert [r.code for r in legal_review_required(other_law_requires=True).reasons] == ["other_law"]


@pytest.mark.parametrize(
    ("major_rights", "hearing", "required"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_condition_two_is_one_condition_with_two_facts(major_rights: bool, hearing: bool, required: bool) -> None:
    result = legal_review_required(concerns_major_rights=major_rights, hearing_held=hearing)
    assert result.required is required
    if required:
        assert result.reasons[0].article == "行政处罚法第五十八条第一款第（二）项"


def test_agency_catalogue_and_officer_flags() -> None:
    catalogue = [
        ReviewCatalogueEntry("stop", "责令停产停业", kinds=frozenset({PenaltyKind.ORDER_STOP})),
        ReviewCatalogueEntry("fine", "较大数额罚款", fine_individual=Decimal(10000), fine_organisation=Decimal(30000)),
        ReviewCatalogueEntry("all", "全部一般程序案件"),
    ]
    result = legal_review_required(catalogue=catalogue, kinds=[FINE], party=ORG, fine=Decimal(30000),
                                   officer_flags=["涉及多部门", "  "])  # fmt: skip
    assert [r.code for r in result.reasons] == ["catalogue:fine", "catalogue:all", "officer_flag"]
    small = legal_review_required(catalogue=catalogue[:2], kinds=[FINE], party=IND, fine=Decimal(9999))
    assert not small
    stop = legal_review_required(catalogue=catalogue[:2], kinds=["order_stop"])
    assert [r.code for r in stop.reasons] == ["catalogue:stop"]
    warning_only = legal_review_required(catalogue=catalogue[1:2], kinds=["warning"], party=ORG)
    assert not warning_only


# -- collective discussion (§57) -------------------------------------------------------------------


def test_collective_discussion_default_rule() -> None:
    assert not collective_discussion_required()
    assert [r.code for r in collective_discussion_required(complex_case=True).reasons] == ["complex"]
    assert not collective_discussion_required(serious_violation=True)
    assert not collective_discussion_required(heavier_penalty=True)
    both = collective_discussion_required(serious_violation=True, heavier_penalty=True)
    assert [r.code for r in both.reasons] == ["serious_heavier"]
    assert [r.code for r in collective_discussion_required(mitigated_below_range=True).reasons] == ["mitigated"]


def test_collective_discussion_agency_rule() -> None:
    rule = CollectiveDiscussionRule(
        complex_cases=False, kinds=frozenset({PenaltyKind.ORDER_STOP}), fine_organisation=Decimal(100000),
        source="烟台市应急管理局重大行政执法决定集体讨论规定",
    )  # fmt: skip
    assert not collective_discussion_required(complex_case=True, rule=rule)
    result = collective_discussion_required(kinds=["order_stop", FINE], fine=Decimal(100000), rule=rule)
    assert [r.code for r in result.reasons] == ["kind:order_stop", "fine"]
    assert result.reasons[0].article == rule.source
    assert not collective_discussion_required(kinds=[FINE], party=IND, fine=Decimal(10**6), rule=rule)


# -- summary procedure (§51) and on-the-spot collection (§68) -------------------------------------


@pytest.mark.parametrize(
    ("kinds", "party", "fine", "allowed"),
    [
        (["warning"], IND, None, True),
        ([FINE], IND, "200.00", True), ([FINE], IND, "200.01", False),
        ([FINE], ORG, "3000.00", True), ([FINE], ORG, "3000.01", False),
        (["warning", FINE], ORG, "100.00", True),
        (["order_stop"], ORG, None, False),
        ([], ORG, None, False),
    ],
)
def test_summary_procedure(kinds: list[str], party: PartyKind, fine: str | None, allowed: bool) -> None:
    result = summary_procedure_allowed(kinds=kinds, party=party, fine=Decimal(fine) if fine else None)
    assert result.allowed is allowed and bool(result) is allowed
    for reason in result.reasons:
        assert reason.article == "行政处罚法第五十一条"


def test_summary_procedure_needs_certain_facts_and_a_basis() -> None:
    result = summary_procedure_allowed(kinds=["warning"], party=IND, facts_certain=False, legal_basis=False)
    assert [r.code for r in result.reasons] == ["facts", "basis"]


@pytest.mark.parametrize(
    ("summary", "fine", "impossible", "allowed"),
    [(True, "100.00", False, True), (True, "100.01", False, False), (True, "150.00", True, True),
     (False, "50.00", False, False)],
)
def test_onsite_collection(summary: bool, fine: str, impossible: bool, allowed: bool) -> None:
    result = onsite_collection_allowed(summary=summary, fine=Decimal(fine), collection_impossible_later=impossible)
    assert result.allowed is allowed


def test_labels() -> None:
    assert PenaltyKind.ORDER_STOP.label == "责令停产停业"
    assert PartyKind.INDIVIDUAL.label == "公民" and PartyKind.ORGANISATION.label == "法人或者其他组织"
    assert MitigationGround.COERCED.article == "行政处罚法第三十二条第（二）项"
