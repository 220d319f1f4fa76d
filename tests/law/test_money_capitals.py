"""Amounts in Chinese capitals (大写), as the penalty notice and decision state them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anjian.law.errors import AmountError
from anjian.law.money import amount_capitals


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("15000.00"), "壹万伍仟元整"),
        (Decimal("20000"), "贰万元整"),
        (Decimal("10500"), "壹万零伍佰元整"),
        (Decimal("100000"), "壹拾万元整"),
        (Decimal("100010000"), "壹亿零壹万元整"),
        (Decimal("10000001"), "壹仟万零壹元整"),
        (Decimal("123.45"), "壹佰贰拾叁元肆角伍分"),
        (Decimal("20.05"), "贰拾元零伍分"),
        (Decimal("3.50"), "叁元伍角"),
        (Decimal("0.07"), "柒分"),
        (Decimal("0"), "零元整"),
        (5000, "伍仟元整"),
    ],
)
def test_amount_in_capitals(amount, text):
    assert amount_capitals(amount) == text


def test_an_amount_too_large_for_the_capitals_is_refused():
    with pytest.raises(AmountError):
        amount_capitals(Decimal(10**16))
