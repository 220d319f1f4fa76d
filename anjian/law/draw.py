"""The random draw (双随机): units and officers drawn so that anyone can re-run and verify it.

Random selection of enterprises and officers, results published (国发〔2019〕5号; practice: within
20 days, LEGAL.md §6, CFG). The draw is reproducible:

1. Before the draw, the pool of units and the pool of officers are committed: each is written in a
   canonical text form and its SHA-256 published with the draw time and the parameters.
2. At the draw, the seed is the SHA-256 of those public inputs (and of an optional public random
   value announced after the commitment, e.g. a lottery result, so that nobody could know the
   result when the pools were fixed).
3. The random stream is SHA-256 in counter mode over the seed; an integer below ``n`` is taken by
   rejection sampling (no modulo bias); units are drawn by a partial Fisher–Yates shuffle of the
   sorted pool; for each drawn unit, the officers are drawn likewise from those eligible for it
   (the officer who inspected it last time, and declared relations, are excluded before).

Re-running :func:`run` on the stored inputs gives the stored result, bit for bit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from anjian.law.errors import LawError

ALGORITHM: Final = "anjian-draw-v1：SHA-256计数器模式随机流，拒绝采样取整，部分Fisher–Yates洗牌"
ARTICLE_DRAW: Final = "国发〔2019〕5号（双随机、一公开）"
ARTICLE_TWO_OFFICERS: Final = "《行政处罚法》第四十二条"


class DrawError(LawError):
    default_code = "draw_invalid"


def canonical(value: Any) -> str:
    """The one text form hashed and stored: JSON, keys sorted, no spaces, non-ASCII kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()


class Stream:
    """A deterministic random stream: SHA-256(seed ‖ counter), 8 bytes at a time."""

    def __init__(self, seed: bytes) -> None:
        self._seed = seed
        self._counter = 0
        self._buf = b""

    def _u64(self) -> int:
        if len(self._buf) < 8:
            self._buf += hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
        out, self._buf = self._buf[:8], self._buf[8:]
        return int.from_bytes(out, "big")

    def below(self, n: int) -> int:
        """A uniform integer in ``[0, n)`` (rejection sampling: no modulo bias)."""
        if n < 1:
            raise DrawError("抽取范围不能为空。")
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = self._u64()
            if x < limit:
                return x % n


def sample(items: Sequence[Any], k: int, stream: Stream) -> list[Any]:
    """``k`` distinct items, in draw order (partial Fisher–Yates over a copy)."""
    pool = list(items)
    for i in range(k):
        j = i + stream.below(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


@dataclass(frozen=True)
class Inputs:
    """Everything the result depends on; all of it is stored and published."""

    units: tuple[int, ...]  # the unit pool
    officers: tuple[int, ...]  # the officer pool
    count: int  # units to draw
    per_inspection: int  # officers per drawn unit (≥ 2)
    draw_at: str  # the published draw time, ISO 8601 with its offset
    exclusions: Mapping[int, tuple[int, ...]] = field(default_factory=dict)  # unit → officers excluded for it
    beacon: str = ""  # a public random value announced after the commitment (optional)
    reference: str = ""  # the draw's own identifier, e.g. "芝罘区应急局-2026-1"

    def commitment(self) -> dict[str, Any]:
        """What is published before the draw: the hashes of the pools and every parameter."""
        return {
            "algorithm": ALGORITHM,
            "reference": self.reference,
            "units_sha256": sha256(sorted(self.units)),
            "officers_sha256": sha256(sorted(self.officers)),
            "exclusions_sha256": sha256({str(k): sorted(v) for k, v in sorted(self.exclusions.items())}),
            "units": len(self.units),
            "officers": len(self.officers),
            "count": self.count,
            "per_inspection": self.per_inspection,
            "draw_at": self.draw_at,
        }

    def seed(self) -> bytes:
        return hashlib.sha256(canonical({**self.commitment(), "beacon": self.beacon}).encode()).digest()


def check(inputs: Inputs) -> None:
    """Refuse a draw that cannot be made: an empty pool, a count outside it, too few officers."""
    if not inputs.units:
        raise DrawError("抽取对象库为空，不能抽取。请调整筛选条件。", field="pool")
    if len(set(inputs.units)) != len(inputs.units) or len(set(inputs.officers)) != len(inputs.officers):
        raise DrawError("抽取对象库或执法人员库有重复。", field="pool")
    if not 1 <= inputs.count <= len(inputs.units):
        raise DrawError(f"抽取数量应在1至{len(inputs.units)}之间。", field="count")
    if inputs.per_inspection < 2:
        raise DrawError("每户须抽取至少两名执法人员。", field="per_inspection", article=ARTICLE_TWO_OFFICERS)
    if len(inputs.officers) < inputs.per_inspection:
        raise DrawError(f"符合条件的执法人员只有{len(inputs.officers)}名，少于每户所需的{inputs.per_inspection}名。", field="officers", article=ARTICLE_TWO_OFFICERS)


@dataclass(frozen=True)
class Drawn:
    unit: int
    officers: tuple[int, ...]


@dataclass(frozen=True)
class Result:
    seed: str
    drawn: tuple[Drawn, ...]

    def as_list(self) -> list[dict[str, Any]]:
        return [{"unit": d.unit, "officers": list(d.officers)} for d in self.drawn]


def run(inputs: Inputs) -> Result:
    """Draw the units, then the officers of each (excluding those excluded for that unit)."""
    check(inputs)
    seed = inputs.seed()
    stream = Stream(seed)
    officers = sorted(inputs.officers)
    out = []
    for u in sample(sorted(inputs.units), inputs.count, stream):
        excluded = set(inputs.exclusions.get(u, ()))
        eligible = [o for o in officers if o not in excluded]
        if len(eligible) < inputs.per_inspection:
            raise DrawError(f"单位{u}回避后可抽取的执法人员只有{len(eligible)}名，少于{inputs.per_inspection}名。", field="officers", article=ARTICLE_TWO_OFFICERS)
        out.append(Drawn(u, tuple(sample(eligible, inputs.per_inspection, stream))))
    return Result(seed=seed.hex(), drawn=tuple(out))


def verify(inputs: Inputs, stored: Sequence[Mapping[str, Any]], seed: str) -> tuple[bool, str]:
    """Re-run the draw on the stored inputs and compare with the stored result."""
    again = run(inputs)
    if again.seed != seed:
        return False, "由公开输入重新计算的随机种子与记录不一致。"
    if again.as_list() != [{"unit": r["unit"], "officers": list(r["officers"])} for r in stored]:
        return False, "重新抽取的结果与公布结果不一致。"
    return True, f"重新抽取{len(again.drawn)}户单位及其执法人员，结果与公布结果完全一致。"
