"""Limitation, repeat offences, daily penalty, closure, money, errors, taxonomy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anjian.law import errors
from anjian.law.errors import AmountError, AmountPrecisionError, HazardCriteriaError, LawError, NegativeAmountError
from anjian.law.money import to_amount, yuan
from anjian.law.penalties import (
    closure_request_triggered,
    daily_penalty_eligible,
    limitation,
    repeat_offence,
)
from anjian.law.taxonomy import (
    FEATURES,
    HAZCHEM_SECTORS,
    INDUSTRY_SECTORS,
    MINE_SECTORS,
    SECTOR_GROUPS,
    SECTORS,
    check_features,
    check_sectors,
    sector_group,
)

D = dt.date


@pytest.mark.parametrize(
    ("act", "ended", "life", "harm", "discovered", "expires", "years", "within"),
    [
        (D(2024, 3, 1), None, False, False, D(2026, 3, 1), D(2026, 3, 1), 2, True),
        (D(2024, 3, 1), None, False, False, D(2026, 3, 2), D(2026, 3, 1), 2, False),
        (D(2024, 2, 29), None, False, False, None, D(2026, 2, 28), 2, None),
        (D(2024, 3, 1), D(2025, 6, 30), False, False, D(2027, 6, 30), D(2027, 6, 30), 2, True),  # continuing act
        (D(2021, 10, 1), None, True, True, D(2026, 9, 30), D(2026, 10, 1), 5, True),
        (D(2021, 10, 1), None, True, False, D(2026, 9, 30), D(2023, 10, 1), 2, False),  # no harm: 2 years
        (D(2021, 10, 1), None, False, True, D(2026, 9, 30), D(2023, 10, 1), 2, False),
        (D(2001, 5, 1), None, False, False, None, D(2003, 5, 1), 2, None),  # no calendar needed
    ],
)
def test_limitation(act: D, ended: D | None, life: bool, harm: bool, discovered: D | None,
                    expires: D, years: int, within: bool | None) -> None:  # fmt: skip
    result = limitation(act, act_ended_on=ended, life_health_involved=life, harm_occurred=harm,
                        discovered_on=discovered)  # fmt: skip
    assert (result.expires_on, result.years, result.within) == (expires, years, within)
    assert result.basis == "行政处罚法第三十六条"


def test_a_continuing_act_cannot_end_before_it_began() -> None:
    with pytest.raises(LawError) as info:
        limitation(D(2024, 3, 1), act_ended_on=D(2024, 2, 1))
    assert info.value.field == "act_ended_on"


def test_repeat_offence() -> None:
    earlier = [D(2022, 3, 1), D(2023, 3, 2), D(2026, 3, 2), D(2025, 1, 1)]
    assert repeat_offence(earlier, D(2026, 3, 2)) == [D(2023, 3, 2), D(2025, 1, 1)]
    assert repeat_offence(earlier, D(2026, 3, 2), lookback_years=1) == []
    assert repeat_offence([], D(2026, 3, 2)) == []
    with pytest.raises(LawError):
        repeat_offence(earlier, D(2026, 3, 2), lookback_years=0)


def test_daily_penalty_needs_all_three_conditions() -> None:
    ok = daily_penalty_eligible(correction_ordered_on=D(2026, 3, 2), fine_amount=Decimal("50000.00"),
                                refused_to_correct=True)  # fmt: skip
    assert ok and ok.eligible and ok.start_date == D(2026, 3, 3) and ok.daily_amount == Decimal("50000.00")
    assert ok.article == "安全生产法第一百一十二条"
    none = daily_penalty_eligible(correction_ordered_on=None, fine_amount=None, refused_to_correct=False)
    assert not none and len(none.missing) == 3 and none.start_date is None
    zero = daily_penalty_eligible(correction_ordered_on=D(2026, 3, 2), fine_amount=Decimal(0),
                                  refused_to_correct=True)  # fmt: skip
    assert zero.missing == ("未受到罚款处罚",)


@pytest.mark.parametrize(
    ("dates", "triggered", "text"),
    [
        ([D(2026, 1, 1), D(2026, 3, 1), D(2026, 6, 30)], True, "一百八十日内三次"),  # 6/30 = 1/1 + 180
        ([D(2026, 1, 1), D(2026, 3, 1), D(2026, 7, 1)], False, ""),
        ([D(2025, 1, 1), D(2025, 5, 1), D(2025, 9, 1), D(2026, 1, 1)], True, "一年内四次"),
        ([D(2025, 1, 1), D(2025, 5, 1), D(2025, 9, 1), D(2026, 1, 2)], False, ""),
        ([D(2026, 5, 1), D(2026, 1, 1), D(2026, 3, 1), D(2027, 1, 1)], True, "2026-01-01、2026-03-01、2026-05-01"),
    ],
)
def test_closure_ground_one(dates: list[D], triggered: bool, text: str) -> None:
    result = closure_request_triggered(major_hazard=True, penalty_dates=dates)
    assert result.triggered is triggered
    assert all(text in r for r in result.reasons)
    without_hazard = closure_request_triggered(major_hazard=False, penalty_dates=dates)
    assert not without_hazard.triggered


def test_closure_counts_only_penalties_up_to_the_assessment_date() -> None:
    dates = [D(2026, 1, 1), D(2026, 3, 1), D(2026, 6, 1)]
    assert not closure_request_triggered(major_hazard=True, penalty_dates=dates, on=D(2026, 5, 1))
    assert closure_request_triggered(major_hazard=True, penalty_dates=dates, on=D(2026, 6, 1)).triggered


def test_closure_other_grounds() -> None:
    result = closure_request_triggered(major_hazard=False, unsafe_after_suspension=True,
                                       major_accident_from_unsafe=True, refused_suspension=True)  # fmt: skip
    assert len(result.reasons) == 3 and result.article == "安全生产法第一百一十三条"


@pytest.mark.parametrize(
    ("value", "error"),
    [(1.5, AmountError), (True, AmountError), ("100", AmountError), (Decimal("NaN"), AmountError),
     (Decimal("Infinity"), AmountError), (Decimal("-0.01"), NegativeAmountError),
     (Decimal("0.001"), AmountPrecisionError)],
)
def test_money_validation(value: Any, error: type[LawError]) -> None:
    with pytest.raises(error) as info:
        to_amount(value, "fine")
    assert info.value.field == "fine"


def test_money_normalisation() -> None:
    assert to_amount(100) == Decimal("100.00")
    assert to_amount(Decimal("1.500")) == Decimal("1.50")  # trailing zeros are not precision
    assert to_amount(Decimal("1E+2")) == Decimal("100.00")
    assert yuan(Decimal("1234.5")) == "¥1,234.50"


def test_errors_carry_code_message_article_field() -> None:
    e = errors.UnknownRuleError("未知", field="code", article="某法第一条")
    assert isinstance(e, ValueError) and isinstance(e, LawError)
    assert str(e) == "未知"
    assert e.as_dict() == {"code": "unknown_rule", "message": "未知", "article": "某法第一条", "field": "code"}
    assert LawError("x", code="custom").code == "custom"
    assert LawError("x").code == "law_error"
    for name in dir(errors):
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, LawError):
            assert obj.default_code


def test_taxonomy() -> None:
    assert len(SECTORS) == 15 and len(FEATURES) == 6
    assert INDUSTRY_SECTORS[0] == "industry.metallurgy" and len(INDUSTRY_SECTORS) == 8
    assert len(HAZCHEM_SECTORS) == 4 and len(MINE_SECTORS) == 3
    assert sector_group("mine.tailings") == "mine" and SECTOR_GROUPS["mine"] == "非煤矿山"
    assert check_sectors(["hazchem.use"]) == frozenset({"hazchem.use"})
    with pytest.raises(HazardCriteriaError) as info:
        check_sectors(["coal"])
    assert info.value.field == "sectors"
    with pytest.raises(HazardCriteriaError) as info:
        check_features(["fireworks"])
    assert info.value.field == "features"


def test_amounts_read_as_people_write_them() -> None:
    """Issue 8 G: "¥80,000.00至¥80,000.00" reads "8万元"; a single amount is not a range."""
    from anjian.law.money import amount_cn, range_cn

    assert amount_cn(Decimal("80000")) == "8万元"
    assert amount_cn(Decimal("15000.00")) == "1.5万元"
    assert amount_cn(Decimal("12345")) == "12345元"
    assert amount_cn(Decimal("2000")) == "2000元"
    assert amount_cn(Decimal("1234.50")) == "1234.50元"
    assert range_cn(Decimal("80000.00"), Decimal("80000.00")) == "8万元"
    assert range_cn(Decimal("20000"), Decimal("50000")) == "2万元至5万元"
    assert range_cn(None, Decimal("100000")) == "10万元以下"


@pytest.mark.parametrize(
    ("value", "capitals"),
    [
        ("20000", "贰万元整"),
        ("15000.00", "壹万伍仟元整"),
        ("10", "壹拾元整"),
        ("200", "贰佰元整"),
        ("10005", "壹万零伍元整"),
        ("105000", "壹拾万伍仟元整"),
        ("100500", "壹拾万零伍佰元整"),
        ("1010.10", "壹仟零壹拾元壹角"),
        ("100000000", "壹亿元整"),
        ("100000001", "壹亿零壹元整"),
        ("1234.50", "壹仟贰佰叁拾肆元伍角"),
        ("3.05", "叁元零伍分"),
        ("0.55", "伍角伍分"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amounts_in_chinese_capitals_as_on_a_decision(value: str, capitals: str) -> None:
    """大写 as the People's Bank rules write it: 拾 with its digit, one 零 for a run of zeros, 整 after 元."""
    from anjian.law.money import amount_capitals

    assert amount_capitals(Decimal(value)) == capitals
