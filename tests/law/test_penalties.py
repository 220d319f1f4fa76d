"""The penalty catalogue (LEGAL.md §4): every violation, its ranges, discretion, §37, accidents."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anjian.law.errors import (
    AmountError,
    LawError,
    PenaltyClauseError,
    RuleDataError,
    RuleNotInForceError,
    UnknownViolationError,
)
from anjian.law.penalties import (
    AccidentGrade,
    Band,
    Circumstance,
    DiscretionConfig,
    FineRange,
    Measure,
    MitigationGround,
    PenaltyCatalogue,
    Subject,
    accident_fine_range,
    accident_grade,
    applicable_range,
    band_of,
    check_amount,
    chinese_number,
    default_catalogue,
    discretion_bands,
    legal_range,
)
from anjian.law.ruleset import RuleStatus, load_yaml

D = dt.date
W = Decimal("10000")  # 万
U, PR, PS, OM, SP = Subject.UNIT, Subject.PRINCIPAL, Subject.PERSONS, Subject.OTHER_MANAGER, Subject.SOLE_PROPRIETOR
BASE, OVER, ACC, REF = Circumstance.BASE, Circumstance.OVERDUE, Circumstance.ACCIDENT, Circumstance.REFUSAL


def test_every_violation_of_legal_md_is_loaded() -> None:
    ids = default_catalogue().ids()
    assert ids == [
        "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P11", "P12", "P13", "P14", "P17",
        "P18", "P19", "P20", "P21", "P22", "P23", "P24", "P25",
    ]  # fmt: skip
    for vid in ids:
        v = default_catalogue().violation(vid)
        assert v.citation.startswith("安全生产法第")
        assert v.title and v.text and v.clauses
        assert v.status is RuleStatus.S
        assert v.effective_from == D(2021, 9, 1)


@pytest.mark.parametrize(
    ("vid", "article", "items"),
    [("P7", 97, 7), ("P8", 98, 4), ("P9", 99, 8), ("P11", 101, 5), ("P18", 105, 2), ("P24", 113, 4)],
)
def test_items_are_structured(vid: str, article: int, items: int) -> None:
    v = default_catalogue().violation(vid)
    assert v.article == article
    assert [i.item for i in v.items] == list(range(1, items + 1))


# violation, subject, circumstance, min (万 or None), max (万) — straight from LEGAL.md §4
RANGES: list[tuple[str, Subject, Circumstance, Decimal | None, Decimal]] = [
    ("P1", U, BASE, Decimal(3), Decimal(10)),
    ("P2", U, BASE, Decimal(10), Decimal(20)),  # no illegal gains
    ("P2", PS, BASE, Decimal(5), Decimal(10)),
    ("P3", SP, ACC, Decimal(2), Decimal(20)),
    ("P4", PR, BASE, Decimal(2), Decimal(5)),
    ("P4", PR, OVER, Decimal(5), Decimal(10)),
    ("P6", OM, BASE, Decimal(1), Decimal(3)),
    ("P7", U, BASE, None, Decimal(10)),
    ("P7", U, OVER, Decimal(10), Decimal(20)),
    ("P7", PS, OVER, Decimal(2), Decimal(5)),
    ("P8", U, BASE, Decimal(10), Decimal(50)),
    ("P8", U, OVER, Decimal(50), Decimal(100)),
    ("P8", PS, BASE, Decimal(2), Decimal(5)),
    ("P8", PS, OVER, Decimal(5), Decimal(10)),
    ("P9", U, BASE, None, Decimal(5)),
    ("P9", U, OVER, Decimal(5), Decimal(20)),
    ("P9", PS, OVER, Decimal(1), Decimal(2)),
    ("P11", U, BASE, None, Decimal(10)),
    ("P11", U, OVER, Decimal(10), Decimal(20)),
    ("P11", PS, OVER, Decimal(2), Decimal(5)),
    ("P12", U, BASE, None, Decimal(5)),
    ("P12", PS, REF, Decimal(5), Decimal(10)),
    ("P13", U, BASE, Decimal(10), Decimal(20)),
    ("P13", PS, BASE, Decimal(1), Decimal(2)),
    ("P14", U, BASE, None, Decimal(5)),
    ("P14", PS, BASE, None, Decimal(1)),
    ("P17", U, BASE, None, Decimal(5)),
    ("P17", PS, BASE, None, Decimal(1)),
    ("P18", U, BASE, None, Decimal(5)),
    ("P18", PS, BASE, None, Decimal(1)),
    ("P19", PR, BASE, Decimal(2), Decimal(10)),
    ("P19", SP, BASE, Decimal(2), Decimal(10)),
    ("P20", U, REF, Decimal(2), Decimal(20)),
    ("P20", PS, REF, Decimal(1), Decimal(2)),
    ("P21", U, BASE, Decimal(5), Decimal(10)),
    ("P21", U, OVER, Decimal(10), Decimal(20)),
]


@pytest.mark.parametrize(("vid", "subject", "circumstance", "low", "high"), RANGES)
def test_legal_ranges(vid: str, subject: Subject, circumstance: Circumstance, low: Decimal | None, high: Decimal) -> None:
    r = legal_range(vid, subject=subject, circumstance=circumstance)
    assert r.minimum == (low * W if low is not None else None)
    assert r.maximum == high * W
    assert r.basis.startswith("安全生产法第")


def test_ranges_accept_string_codes_and_a_date() -> None:
    r = legal_range("P4", subject="principal", circumstance="overdue", on=D(2026, 3, 2))
    assert (r.minimum, r.maximum) == (5 * W, 10 * W)
    assert str(r) == "5万元至10万元"
    assert str(legal_range("P7")) == "10万元以下"


@pytest.mark.parametrize(
    ("grade", "share"),
    [("general", "0.40"), ("larger", "0.60"), ("major", "0.80"), ("especially_major", "1.00")],
)
def test_income_share_by_accident_grade(grade: str, share: str) -> None:
    income = Decimal("250000.00")
    r = legal_range("P5", subject=PR, circumstance=ACC, grade=grade, income=income)
    assert r.minimum == r.maximum == income * Decimal(share)
    assert "年收入" in r.description


def test_income_shares_round_inwards_and_fixed_shares_half_up() -> None:
    r = legal_range("P22", subject=PR, income=Decimal("123456.78"))
    assert r.minimum == Decimal("74074.07")  # 60 % = 74,074.068 → up to the cent
    assert r.maximum == Decimal("123456.78")
    fixed = legal_range("P5", subject=PR, circumstance=ACC, grade="major", income=Decimal("123456.78"))
    assert fixed.minimum == fixed.maximum == Decimal("98765.42")  # 80 % = 98,765.424
    acc = legal_range("P6", subject=OM, circumstance=ACC, income=Decimal("100000"))
    assert (acc.minimum, acc.maximum) == (Decimal("20000.00"), Decimal("50000.00"))


@pytest.mark.parametrize(
    ("vid", "gains", "low", "high"),
    [
        ("P13", Decimal("200000.00"), Decimal("400000.00"), Decimal("1000000.00")),
        ("P13", Decimal("100000.00"), Decimal("200000.00"), Decimal("500000.00")),  # ≥10万 inclusive
        ("P13", Decimal("99999.99"), Decimal("100000.00"), Decimal("200000.00")),
        ("P13", Decimal("0"), Decimal("100000.00"), Decimal("200000.00")),
        ("P2", Decimal("300000.00"), Decimal("600000.00"), Decimal("1500000.00")),
    ],
)
def test_gains_multiples(vid: str, gains: Decimal, low: Decimal, high: Decimal) -> None:
    r = legal_range(vid, gains=gains)
    assert (r.minimum, r.maximum) == (low, high)


@pytest.mark.parametrize(
    ("grade", "low", "high"),
    [
        (AccidentGrade.GENERAL, 30, 100),
        (AccidentGrade.LARGER, 100, 200),
        (AccidentGrade.MAJOR, 200, 1000),
        (AccidentGrade.ESPECIALLY_MAJOR, 1000, 2000),
    ],
)
def test_accident_fines(grade: AccidentGrade, low: int, high: int) -> None:
    r = accident_fine_range(grade)
    assert (r.minimum, r.maximum) == (low * W, high * W)
    heavy = accident_fine_range(grade, especially_serious=True)
    assert (heavy.minimum, heavy.maximum) == (2 * low * W, 5 * high * W)
    assert heavy.basis.endswith("第二款")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"violation": "P5", "subject": PR, "circumstance": ACC, "grade": "major"}, "income"),
        ({"violation": "P25", "circumstance": ACC}, "grade"),
        ({"violation": "P25", "circumstance": Circumstance.ESPECIALLY_SERIOUS}, "grade"),
        ({"violation": "P23", "circumstance": REF}, "violation"),
        ({"violation": "P7", "subject": PS}, "subject"),  # persons are fined only when overdue
        ({"violation": "P3"}, "subject"),  # no fine on the unit
    ],
)
def test_missing_inputs_name_the_field(kwargs: dict[str, Any], field: str) -> None:
    violation = kwargs.pop("violation")
    with pytest.raises(PenaltyClauseError) as info:
        legal_range(violation, **kwargs)
    assert info.value.field == field


def test_unknown_violations_and_dates() -> None:
    with pytest.raises(UnknownViolationError) as info:
        legal_range("P99")
    assert info.value.field == "violation"
    with pytest.raises(RuleNotInForceError):
        legal_range("P7", on=D(2021, 8, 31))


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (92, "九十二"), (101, "一百零一"),
     (110, "一百一十"), (112, "一百一十二"), (1005, "一千零五"), (2030, "二千零三十")],
)
def test_chinese_numbers(n: int, text: str) -> None:
    assert chinese_number(n) == text


def test_chinese_numbers_are_bounded() -> None:
    with pytest.raises(ValueError):
        chinese_number(0)


def test_citations() -> None:
    cat = default_catalogue()
    assert cat.violation("P12").citation == "安全生产法第一百零二条"
    assert cat.violation("P14").citation == "安全生产法第一百零三条第二款"
    assert cat.violation("P2").citation == "安全生产法第九十二条第二款"


def test_non_money_measures_are_data() -> None:
    p24 = default_catalogue().violation("P24")
    assert {c.measure for c in p24.clauses} == {Measure.CLOSE_REQUEST, Measure.BAN}
    assert not Measure.CLOSE_REQUEST.is_money and Measure.DAILY_FINE.is_money
    assert Measure.SUSPENSION.label == "责令停产停业整顿"
    assert Subject.PERSONS.label.startswith("直接负责")
    assert Circumstance.OVERDUE.label == "逾期未改正"


# -- discretion --------------------------------------------------------------------------------------


def test_bands_split_a_range_into_thirds() -> None:
    bands = discretion_bands(legal_range("P4", subject=PR))
    assert [(b.minimum, b.maximum) for b in bands.values()] == [
        (2 * W, 3 * W), (3 * W, 4 * W), (4 * W, 5 * W),
    ]  # fmt: skip
    uneven = discretion_bands(FineRange(Decimal("10000.00"), Decimal("30000.00"), "x"))
    assert uneven[Band.LENIENT].maximum == Decimal("16666.67")
    assert uneven[Band.HEAVY].minimum == Decimal("23333.33")


def test_bands_of_a_maximum_only_range() -> None:
    bands = discretion_bands(legal_range("P7"))
    assert bands[Band.LENIENT].minimum is None
    assert bands[Band.LENIENT].maximum == 3 * W
    assert (bands[Band.ORDINARY].minimum, bands[Band.ORDINARY].maximum) == (3 * W, 6 * W)
    assert (bands[Band.HEAVY].minimum, bands[Band.HEAVY].maximum) == (6 * W, 10 * W)


@pytest.mark.parametrize(
    ("amount", "band"),
    [
        ("0.01", Band.LENIENT), ("30000.00", Band.LENIENT), ("30000.01", Band.ORDINARY),
        ("59999.99", Band.ORDINARY), ("60000.00", Band.HEAVY), ("100000.00", Band.HEAVY),
        ("100000.01", None), ("0", None),
    ],
)
def test_band_of_on_the_boundaries(amount: str, band: Band | None) -> None:
    assert band_of(Decimal(amount), legal_range("P7")) is band


def test_a_configured_band_formula() -> None:
    cfg = DiscretionConfig(Decimal("0.25"), Decimal("0.75"), Decimal("0.2"), Decimal("0.5"), "某省基准")
    bands = discretion_bands(legal_range("P4", subject=PR), cfg)
    assert bands[Band.LENIENT].maximum == Decimal("27500.00")
    assert "某省基准" in bands[Band.HEAVY].basis
    assert band_of(Decimal("15000"), legal_range("P9"), cfg) is Band.ORDINARY
    assert [b.label for b in Band] == ["从轻", "一般", "从重"]


@pytest.mark.parametrize(
    ("low", "high"), [(Decimal("0.7"), Decimal("0.3")), (Decimal("0"), Decimal("0.5")), (Decimal("0.5"), Decimal("1"))]
)
def test_band_formula_is_validated(low: Decimal, high: Decimal) -> None:
    with pytest.raises(LawError):
        DiscretionConfig(lower=low, upper=high)
    with pytest.raises(LawError):
        DiscretionConfig(max_only_lower=low, max_only_upper=high)


def test_check_amount_inside_the_range() -> None:
    r = legal_range("P4", subject=PR)
    ok = check_amount(Decimal("25000.00"), r)
    assert ok and ok.lawful and ok.band is Band.LENIENT and not ok.mitigated
    assert ok.article == r.basis


def test_check_amount_above_the_range_is_never_lawful() -> None:
    r = legal_range("P4", subject=PR)
    above = check_amount(Decimal("50000.01"), r, mitigation_ground=MitigationGround.CONFESSED,
                         collectively_approved=True)  # fmt: skip
    assert not above and not above.lawful and "上限" in above.reason


def test_check_amount_below_the_range_needs_a_ground_and_collective_approval() -> None:
    r = legal_range("P4", subject=PR)
    bare = check_amount(Decimal("10000.00"), r)
    assert not bare.lawful and "第三十二条" in bare.article
    no_vote = check_amount(Decimal("10000.00"), r, mitigation_ground="eliminated_harm")
    assert not no_vote.lawful and "集体讨论" in no_vote.reason
    assert no_vote.article.startswith("行政处罚法第三十二条第（一）项")
    ok = check_amount(Decimal("10000.00"), r, mitigation_ground=MitigationGround.MERITORIOUS,
                      collectively_approved=True)  # fmt: skip
    assert ok.lawful and ok.mitigated and ok.band is None
    assert ok.article == "行政处罚法第三十二条第（四）项"


@pytest.mark.parametrize(
    ("amount", "error_code"),
    [(Decimal("0"), "amount_invalid"), (Decimal("-1"), "amount_negative"),
     (Decimal("100.001"), "amount_precision"), (100.5, "amount_invalid")],
)
def test_check_amount_validates_money(amount: Any, error_code: str) -> None:
    with pytest.raises(AmountError) as info:
        check_amount(amount, legal_range("P7"))
    assert info.value.code == error_code
    assert info.value.field == "amount"


# -- 行政处罚法 §37 ------------------------------------------------------------------------------------


def _two_editions(new_p7: dict[str, Any] | None, repeal_p12: bool = False) -> PenaltyCatalogue:
    data = copy.deepcopy(load_yaml("penalties.yaml"))
    law = data["laws"][0]
    law["effective_to"] = D(2026, 12, 31)
    amended = copy.deepcopy(law)
    amended.update(edition="2027年修正（假设）", effective_from=D(2027, 1, 1), effective_to=None)
    for article in amended["articles"]:
        for prov in article["provisions"]:
            kept = []
            for v in prov["violations"]:
                if v["id"] == "P7" and new_p7 is not None:
                    v["clauses"] = [dict(c) for c in v["clauses"]]
                    v["clauses"][1] = {"subject": "unit", "circumstance": "base", "measure": "fine", **new_p7}
                if not (repeal_p12 and v["id"] == "P12"):
                    kept.append(v)
            prov["violations"] = kept
    data["laws"].append(amended)
    return PenaltyCatalogue.from_data(data)


def test_the_law_at_the_time_of_the_act_applies() -> None:
    cat = _two_editions({"max": "200000.00"})  # heavier later
    result = applicable_range("P7", D(2026, 6, 1), D(2027, 3, 1), catalogue=cat)
    assert result.applied == "act"
    assert result.range is not None and result.range.maximum == 10 * W
    assert result.decision_range is not None and result.decision_range.maximum == 20 * W
    assert result.article == "行政处罚法第三十七条"


def test_a_lighter_new_law_applies() -> None:
    cat = _two_editions({"max": "50000.00"})
    result = applicable_range("P7", D(2026, 6, 1), D(2027, 3, 1), catalogue=cat)
    assert result.applied == "decision" and result.range is not None
    assert result.range.maximum == 5 * W
    assert result.act_range.maximum == 10 * W


def test_same_maximum_lower_minimum_is_lighter() -> None:
    cat = _two_editions({"min": "10000.00", "max": "100000.00"})  # heavier: adds a minimum
    assert applicable_range("P7", D(2026, 6, 1), D(2027, 3, 1), catalogue=cat).applied == "act"
    cat2 = _two_editions(None)
    same = applicable_range("P7", D(2026, 6, 1), D(2027, 3, 1), catalogue=cat2)
    assert same.applied == "act"


def test_an_act_no_longer_unlawful_gets_no_range() -> None:
    cat = _two_editions(None, repeal_p12=True)
    result = applicable_range("P12", D(2026, 6, 1), D(2027, 3, 1), catalogue=cat)
    assert result.range is None and result.decision_range is None
    assert "不认为" in result.reason


def test_applicable_range_with_the_shipped_catalogue() -> None:
    result = applicable_range("P4", D(2025, 5, 1), D(2026, 3, 2), subject="principal")
    assert result.applied == "act"
    assert result.range == result.decision_range


# -- accidents -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "grade"),
    [
        (0, 0, "0", AccidentGrade.GENERAL),
        (2, 9, "9999999.99", AccidentGrade.GENERAL),
        (3, 0, "0", AccidentGrade.LARGER),  # "以上" includes the number
        (0, 10, "0", AccidentGrade.LARGER),
        (0, 0, "10000000.00", AccidentGrade.LARGER),
        (9, 49, "49999999.99", AccidentGrade.LARGER),  # "以下" excludes the number
        (10, 0, "0", AccidentGrade.MAJOR),
        (0, 50, "0", AccidentGrade.MAJOR),
        (0, 0, "50000000.00", AccidentGrade.MAJOR),
        (29, 99, "99999999.99", AccidentGrade.MAJOR),
        (30, 0, "0", AccidentGrade.ESPECIALLY_MAJOR),
        (0, 100, "0", AccidentGrade.ESPECIALLY_MAJOR),
        (0, 0, "100000000.00", AccidentGrade.ESPECIALLY_MAJOR),
        (1, 60, "0", AccidentGrade.MAJOR),  # the highest grade any measure reaches
    ],
)
def test_accident_grades(deaths: int, injuries: int, loss: str, grade: AccidentGrade) -> None:
    assert accident_grade(deaths, injuries, Decimal(loss)) is grade


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "field"),
    [(-1, 0, Decimal(0), "deaths"), (0, True, Decimal(0), "serious_injuries"),
     (0, 0, Decimal("-1"), "direct_loss"), (1.0, 0, Decimal(0), "deaths")],
)
def test_accident_inputs_are_validated(deaths: Any, injuries: Any, loss: Decimal, field: str) -> None:
    with pytest.raises(LawError) as info:
        accident_grade(deaths, injuries, loss)
    assert info.value.field == field


def test_accident_grade_labels() -> None:
    assert [g.label for g in AccidentGrade] == ["一般事故", "较大事故", "重大事故", "特别重大事故"]


# -- catalogue data validation ------------------------------------------------------------------------


def _raw() -> dict[str, Any]:
    return copy.deepcopy(load_yaml("penalties.yaml"))


def _first_violation(d: dict[str, Any]) -> dict[str, Any]:
    return d["laws"][0]["articles"][0]["provisions"][0]["violations"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(laws={}),
        lambda d: d["laws"].append("x"),
        lambda d: d["laws"][0].update(effective_from=None),
        lambda d: d["laws"][0].update(status="X"),
        lambda d: d["laws"][0]["articles"][0].update(number="92"),
        lambda d: _first_violation(d).update(id=None),
        lambda d: _first_violation(d)["clauses"].append("x"),
        lambda d: _first_violation(d)["clauses"].append({"subject": "nobody", "measure": "fine"}),
        lambda d: _first_violation(d)["clauses"].append({"subject": "unit", "measure": "fine"}),
        lambda d: _first_violation(d)["clauses"].append({"subject": "unit", "measure": "fine", "max": 5}),
        lambda d: _first_violation(d)["clauses"].append({"subject": "unit", "measure": "fine", "max": "x"}),
        lambda d: _first_violation(d)["clauses"].append(
            {"subject": "unit", "measure": "fine", "min": "3", "max": "2"}),
        lambda d: _first_violation(d)["clauses"].append(
            {"subject": "unit", "measure": "fine", "max": "1.001"}),
        lambda d: _first_violation(d)["clauses"].append({"subject": "unit", "measure": "income_share", "pct_min": "0.1"}),
        lambda d: d["laws"].append(copy.deepcopy(d["laws"][0])),  # overlapping editions
    ],
)
def test_catalogue_data_is_validated(mutate: Any) -> None:
    data = _raw()
    mutate(data)
    with pytest.raises(LawError) as info:
        PenaltyCatalogue.from_data(data)
    assert info.value.field


def test_catalogue_data_must_be_a_mapping() -> None:
    with pytest.raises(RuleDataError):
        PenaltyCatalogue.from_data([])


def test_the_default_is_the_latest_version() -> None:
    cat = _two_editions({"max": "50000.00"})
    assert cat.violation("P7").edition == "2027年修正（假设）"
    assert cat.violation("P7", on=D(2026, 1, 1)).edition == "2021年修正"
