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
