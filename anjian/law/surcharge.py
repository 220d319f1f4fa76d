"""Late-payment surcharge 加处罚款 (行政处罚法 §72 ¶1(1), §73 ¶3; 行政强制法 §45).

3 % of the fine for each day after the payment deadline; the total never exceeds the fine; days
inside a reconsideration or lawsuit period are not counted.

Example: fine ¥10,000.00, payment deadline 2026-04-07, paid 2026-04-10 → days 4/8, 4/9, 4/10 at
¥300.00 each = ¥900.00. From the 34th counted day the cap binds: 33 × ¥300 = ¥9,900, the 34th day
adds only ¥100.00 and nothing accrues after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from anjian.law.errors import LawError
from anjian.law.money import ZERO, round_half_up, to_amount

RATE: Final = Decimal("0.03")  # 行政处罚法 §72 ¶1(1): 每日按罚款数额的百分之三
BASIS: Final = "行政处罚法第七十二条第一款第（一）项、第七十三条第三款；行政强制法第四十五条"


@dataclass(frozen=True, slots=True)
class SurchargeDay:
    date: dt.date
    amount: Decimal
    cumulative: Decimal
    paused: bool = False


@dataclass(frozen=True, slots=True)
class SurchargeResult:
    """``total`` accrued from ``start`` through ``until``; ``days`` lists each day until the cap is
    reached (paused days with amount 0 and ``paused=True``)."""

    fine: Decimal
    start: dt.date
    until: dt.date
    total: Decimal
    capped: bool
    days: tuple[SurchargeDay, ...]
    basis: str = BASIS

    @property
    def counted_days(self) -> int:
        return sum(1 for d in self.days if not d.paused and d.amount > ZERO)


def surcharge(
    fine: Decimal,
    payment_due: dt.date,
    *,
    until: dt.date,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
) -> SurchargeResult:
    """The surcharge on ``fine`` from the day after ``payment_due`` through ``until`` (inclusive,
    e.g. the day of payment or of the calculation).

    ``pauses`` are inclusive date ranges of reconsideration or lawsuit periods (from the day the
    application was filed to the day the decision or judgment was served).
    """
    amount = to_amount(fine, "fine")
    periods = []
    for start, end in pauses:
        if end < start:
            raise LawError("暂停计算的期间终止日早于起始日", field="pauses", article=BASIS)
        periods.append((start, end))
    first = payment_due + dt.timedelta(days=1)
    days: list[SurchargeDay] = []
    total = ZERO
    counted = 0
    day = first
    one = dt.timedelta(days=1)
    while day <= until and total < amount:
        if any(start <= day <= end for start, end in periods):
            days.append(SurchargeDay(day, ZERO, total, paused=True))
        else:
            # cumulative = 3 % × fine × days counted, rounded once (no drift), capped at the fine
            counted += 1
            cumulative = min(amount, round_half_up(amount * RATE * counted))
            days.append(SurchargeDay(day, cumulative - total, cumulative))
            total = cumulative
        day += one
    return SurchargeResult(amount, first, until, total, total >= amount > ZERO, tuple(days))
