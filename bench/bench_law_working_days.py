"""Benchmark: one million working-day additions on the official 2004–2026 calendar.

Run: ``.venv/bin/python bench/bench_law_working_days.py``. Prints the time of the raw calendar
operation (``WorkCalendar.add_working_days``) and of the public period function
(``periods.add_working_days``, which also builds an immutable result with the provisional flag).
The inputs are generated with a fixed seed: start dates across 2004–2027 (2027 not loaded) and
periods of 1–20 working days.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from anjian.law.calendar import calendar_from_chinese_calendar
from anjian.law.periods import add_working_days

N = 1_000_000


def main() -> None:
    t0 = time.perf_counter()
    cal = calendar_from_chinese_calendar()
    built = time.perf_counter() - t0
    rng = random.Random(20260201)
    first = dt.date(2004, 1, 1).toordinal()
    last = dt.date(2027, 12, 31).toordinal()
    starts = [dt.date.fromordinal(rng.randint(first, last)) for _ in range(N)]
    counts = [rng.randint(1, 20) for _ in range(N)]

    add = cal.add_working_days
    t0 = time.perf_counter()
    for start, n in zip(starts, counts, strict=True):
        add(start, n)
    raw = time.perf_counter() - t0

    t0 = time.perf_counter()
    provisional = 0
    for start, n in zip(starts, counts, strict=True):
        provisional += add_working_days(cal, start, n, basis="bench").provisional
    public = time.perf_counter() - t0

    print(f"calendar built from chinese_calendar (2004–2026): {built * 1000:.0f} ms")
    print(f"{N:,} × WorkCalendar.add_working_days: {raw:.2f} s ({raw / N * 1e6:.2f} µs each)")
    print(f"{N:,} × periods.add_working_days:     {public:.2f} s ({public / N * 1e6:.2f} µs each; "
          f"{provisional:,} provisional)")


if __name__ == "__main__":
    main()
