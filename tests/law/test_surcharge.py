"""Late-payment surcharge (行政处罚法 §72, §73; 行政强制法 §45)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.law.errors import AmountError, LawError
from anjian.law.penalties import surcharge

D = dt.date


def test_three_percent_a_day_from_the_day_after_the_deadline() -> None:
    result = surcharge(Decimal("10000.00"), D(2026, 4, 7), until=D(2026, 4, 10))
    assert result.start == D(2026, 4, 8)
    assert [(d.date, d.amount) for d in result.days] == [
        (D(2026, 4, 8), Decimal("300.00")),
        (D(2026, 4, 9), Decimal("300.00")),
        (D(2026, 4, 10), Decimal("300.00")),
    ]
    assert result.total == Decimal("900.00") and not result.capped
    assert result.counted_days == 3
    assert "第七十二条" in result.basis


def test_paid_on_time_means_no_surcharge() -> None:
    result = surcharge(Decimal("10000.00"), D(2026, 4, 7), until=D(2026, 4, 7))
    assert result.total == Decimal("0.00") and result.days == ()


def test_the_surcharge_never_exceeds_the_fine() -> None:
    result = surcharge(Decimal("10000.00"), D(2026, 4, 7), until=D(2027, 4, 7))
    assert result.total == Decimal("10000.00") and result.capped
    assert len(result.days) == 34  # 33 × 300 = 9,900, then 100 on the 34th day; nothing after
    assert result.days[-1].amount == Decimal("100.00")
    assert result.days[-1].cumulative == Decimal("10000.00")


def test_reconsideration_and_lawsuit_periods_are_not_counted() -> None:
    pause = (D(2026, 4, 9), D(2026, 4, 11))
    result = surcharge(Decimal("10000.00"), D(2026, 4, 7), until=D(2026, 4, 13), pauses=[pause])
    assert [d.paused for d in result.days] == [False, True, True, True, False, False]
    assert result.total == Decimal("900.00")
    assert result.days[2].amount == Decimal("0.00") and result.days[2].cumulative == Decimal("300.00")


def test_rounding_does_not_drift() -> None:
    result = surcharge(Decimal("333.33"), D(2026, 4, 7), until=D(2026, 4, 10))
    # 3 % of 333.33 = 9.9999/day: cumulative 10.00, 20.00, 30.00 (rounded once per total)
    assert [d.cumulative for d in result.days] == [Decimal("10.00"), Decimal("20.00"), Decimal("30.00")]
    tiny = surcharge(Decimal("0.10"), D(2026, 4, 7), until=D(2026, 4, 30))
    assert tiny.total == Decimal("0.07")  # 23 days × 0.003 = 0.069 → 0.07


def test_inputs_are_validated() -> None:
    with pytest.raises(AmountError):
        surcharge(Decimal("-1"), D(2026, 4, 7), until=D(2026, 4, 9))
    with pytest.raises(LawError) as info:
        surcharge(Decimal("1"), D(2026, 4, 7), until=D(2026, 4, 9), pauses=[(D(2026, 4, 9), D(2026, 4, 8))])
    assert info.value.field == "pauses"


money = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("20000000.00"), places=2)


@settings(max_examples=200, deadline=None)
@given(
    fine=money,
    days=st.integers(min_value=0, max_value=120),
    pause_start=st.integers(min_value=0, max_value=60),
    pause_len=st.integers(min_value=0, max_value=30),
)
def test_the_surcharge_never_exceeds_the_fine_property(fine: Decimal, days: int, pause_start: int, pause_len: int) -> None:
    due = D(2026, 3, 2)
    pause = (due + dt.timedelta(days=pause_start), due + dt.timedelta(days=pause_start + pause_len))
    result = surcharge(fine, due, until=due + dt.timedelta(days=days), pauses=[pause])
    assert Decimal(0) <= result.total <= fine
    assert sum((d.amount for d in result.days), Decimal(0)) == result.total
    cumulative = [d.cumulative for d in result.days]
    assert cumulative == sorted(cumulative)
    assert all(d.amount == 0 for d in result.days if d.paused)
    counted = sum(1 for d in result.days if not d.paused)
    assert result.total == min(fine, (fine * Decimal("0.03") * counted).quantize(Decimal("0.01"), "ROUND_HALF_UP"))
