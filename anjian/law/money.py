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


_CAPITAL_DIGITS: Final = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_UNITS: Final = ("", "拾", "佰", "仟")
_CAPITAL_GROUPS: Final = ("", "万", "亿", "万亿")


def amount_capitals(value: Decimal | int) -> str:
    """An amount in Chinese capitals as written on documents and vouchers: ``壹万伍仟元整``,
    ``壹万零伍佰元整``, ``壹佰贰拾叁元肆角伍分``, ``贰拾元零伍分``.

    The capitals (大写) cannot be altered by adding a stroke, which is why a penalty notice and a
    decision state the fine in them beside the figures (the legacy national forms, LEGAL.md §8)."""
    amount = to_amount(value)
    whole = int(amount)
    cents = int((amount - whole) * 100)
    jiao, fen = divmod(cents, 10)
    if whole >= 10**16:
        raise AmountError("金额过大，无法写成大写", field="amount")
    out: list[str] = []
    if whole:
        digits = str(whole)
        zero = False
        group_used = False
        for i, ch in enumerate(digits):
            pos = len(digits) - 1 - i
            d = int(ch)
            if d == 0:
                zero = True
            else:
                if zero:
                    out.append("零")
                    zero = False
                out.append(_CAPITAL_DIGITS[d] + _CAPITAL_UNITS[pos % 4])
                group_used = True
            if pos % 4 == 0:
                if group_used:
                    out.append(_CAPITAL_GROUPS[pos // 4])
                group_used = False
        out.append("元")
    if not cents:
        return ("".join(out) or "零元") + "整"
    if jiao:
        out.append(_CAPITAL_DIGITS[jiao] + "角")
    elif whole:
        out.append("零")
    if fen:
        out.append(_CAPITAL_DIGITS[fen] + "分")
    return "".join(out)
