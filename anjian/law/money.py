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
_CAPITAL_PLACES: Final = ("仟", "佰", "拾", "")
_CAPITAL_GROUPS: Final = ("", "万", "亿", "万亿")


def _capital_group(n: int) -> str:
    """0 < n < 10000 in capitals, a zero inside written once: 1005 → 壹仟零伍, 1050 → 壹仟零伍拾."""
    out, zero = [], False
    for digit, place in zip(f"{n:04d}", _CAPITAL_PLACES, strict=True):
        if digit == "0":
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_CAPITAL_DIGITS[int(digit)] + place)
    return "".join(out)


def amount_capitals(value: Decimal | int) -> str:
    """The amount in Chinese capitals (大写), as on a decision or a payment slip: ``贰万元整``,
    ``壹拾万零伍佰元整``, ``壹仟贰佰叁拾肆元伍角``, ``叁元零伍分``.

    Follows 中国人民银行《正确填写票据和结算凭证的基本规定》: 拾 always with its digit (壹拾);
    one 零 for a run of zeros in the middle; 整 after 元 when there are no 角 and 分; no 整 after 分.
    """
    amount = to_amount(value)
    cents = int(amount * 100)
    whole, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if whole >= 10**16:  # beyond 万亿 groups
        raise AmountError("金额过大，无法写成大写", field="amount")
    groups: list[int] = []
    rest = whole
    while rest:
        rest, group = divmod(rest, 10000)
        groups.append(group)
    text = ""
    for i in reversed(range(len(groups))):
        group = groups[i]
        if not group:
            continue
        if text and group < 1000:
            text += "零"  # zeros between this group's first digit and the text before it
        text += _capital_group(group) + _CAPITAL_GROUPS[i]
    if text:
        text += "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += _CAPITAL_DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _CAPITAL_DIGITS[fen] + "分"
    return text
