"""Money: ``Decimal`` yuan with 2 places (ARCHITECTURE.md, rule 6). Never a float."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Final

from anjian.law.errors import AmountError, AmountPrecisionError, NegativeAmountError

CENT: Final = Decimal("0.01")
ZERO: Final = Decimal("0.00")


def to_amount(value: Decimal | int, field: str = "amount") -> Decimal:
    """Validate a yuan amount and return it with exactly 2 decimal places.

    Refused: floats and other types, NaN/infinity, negative amounts, more than 2 decimals.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise AmountError("金额必须是 Decimal（元，两位小数），不得使用浮点数", field=field)
    amount = Decimal(value)
    if not amount.is_finite():
        raise AmountError("金额不是有效数字", field=field)
    if amount < 0:
        raise NegativeAmountError(f"金额不得为负数：{amount}", field=field)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(CENT):
        raise AmountPrecisionError(f"金额最多保留两位小数（元、角、分）：{amount}", field=field)
    return amount.quantize(CENT)


def round_half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_CEILING)


def round_down(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_FLOOR)


def yuan(value: Decimal) -> str:
    """Display form: ``¥1,234.50``."""
    return f"¥{value:,.2f}"


def amount_cn(value: Decimal) -> str:
    """An amount as people write it in Chinese text: ``8万元``, ``1.5万元``, ``2000元``, ``1234.50元``.

    Whole multiples of 100 yuan from 10,000 up are written in 万 (up to two decimals, trailing zeros
    dropped); other whole amounts in 元; an amount with 角/分 keeps them. Exact: no rounding.
    """
    amount = to_amount(value)
    if amount >= 10000 and amount % 100 == 0:
        wan = (amount / 10000).normalize()
        return f"{wan:f}万元"
    if amount == amount.to_integral_value():
        return f"{int(amount)}元"
    return f"{amount:f}元"


def range_cn(minimum: Decimal | None, maximum: Decimal) -> str:
    """A range of amounts: ``2万元至5万元``; ``10万元以下`` without a minimum; one amount when both
    ends are equal (a single amount is not a range)."""
    if minimum is None:
        return f"{amount_cn(maximum)}以下"
    if to_amount(minimum) == to_amount(maximum):
        return amount_cn(maximum)
    return f"{amount_cn(minimum)}至{amount_cn(maximum)}"
