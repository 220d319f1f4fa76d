"""Comparable decisions (同案不同罚): the spread of the amounts decided for the same violation in
the same band, and when a proposed amount is "far" from them.

The issue asks to warn "when the proposed amount is far from" the amounts decided for the same
violation and band city-wide (issue 9 item 5, 同案不同罚), defining "far" plainly. Here, plainly:

* at least :data:`MIN_COMPARABLES` (5) decided amounts, else no warning (too few to compare);
* far = outside the interquartile range widened by :data:`FENCE_FACTOR` (1.5) times its width on
  each side (Tukey's fences): below ``Q1 − 1.5 × (Q3 − Q1)`` or above ``Q3 + 1.5 × (Q3 − Q1)``.

Quartiles are the medians of the lower and upper halves (the middle value excluded when the count
is odd), which needs no interpolation and stays in yuan with two decimals (ROUND_HALF_UP).
A warning never refuses the amount: the officer states the reasons (行政处罚法第五条：过罚相当).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from anjian.law.money import amount_cn, round_half_up, to_amount

MIN_COMPARABLES: Final = 5
FENCE_FACTOR: Final = Decimal("1.5")
XZCF_5: Final = "行政处罚法第五条"


def _median(sorted_values: Sequence[Decimal]) -> Decimal:
    n = len(sorted_values)
    mid = n // 2
    if n % 2:
        return sorted_values[mid]
    return round_half_up((sorted_values[mid - 1] + sorted_values[mid]) / 2)


@dataclass(frozen=True, slots=True)
class Spread:
    count: int
    minimum: Decimal | None = None
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None
    maximum: Decimal | None = None

    @property
    def comparable(self) -> bool:
        """Enough decided amounts to compare with (at least :data:`MIN_COMPARABLES`)."""
        return self.count >= MIN_COMPARABLES

    def fences(self) -> tuple[Decimal, Decimal] | None:
        if not self.comparable:
            return None
        assert self.q1 is not None and self.q3 is not None
        width = (self.q3 - self.q1) * FENCE_FACTOR
        return round_half_up(max(self.q1 - width, Decimal(0))), round_half_up(self.q3 + width)


def spread(amounts: Iterable[Decimal]) -> Spread:
    """Count, minimum, quartiles, median and maximum of decided amounts."""
    values = sorted(to_amount(a) for a in amounts)
    n = len(values)
    if n == 0:
        return Spread(0)
    half = n // 2
    lower = values[:half] or values[:1]
    upper = values[half + (n % 2) :] or values[-1:]
    return Spread(n, values[0], _median(lower), _median(values), _median(upper), values[-1])


@dataclass(frozen=True, slots=True)
class FarCheck:
    far: bool
    message: str
    article: str = XZCF_5

    def __bool__(self) -> bool:
        return self.far


def far_from(amount: Decimal, s: Spread) -> FarCheck:
    """Is ``amount`` far from the comparable decisions ``s``? (see the module docstring)"""
    value = to_amount(amount)
    fences = s.fences()
    if fences is None:
        return FarCheck(False, f"可比案例{s.count}件，少于{MIN_COMPARABLES}件，不作比较")
    low, high = fences
    assert s.median is not None
    where = f"全市同一违法行为、同一裁量档次已决定的{s.count}件案件罚款中位数{amount_cn(s.median)}，四分位区间{amount_cn(s.q1 or s.median)}至{amount_cn(s.q3 or s.median)}"
    if value < low:
        return FarCheck(True, f"拟罚款{amount_cn(value)}明显低于可比案例（{where}），请在裁量理由中说明")
    if value > high:
        return FarCheck(True, f"拟罚款{amount_cn(value)}明显高于可比案例（{where}），请在裁量理由中说明")
    return FarCheck(False, f"拟罚款{amount_cn(value)}与可比案例相当（{where}）")
