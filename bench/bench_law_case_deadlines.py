"""Benchmark: all deadlines of one penalty case (target < 1 ms per case).

Run: ``.venv/bin/python bench/bench_law_case_deadlines.py``. Each case is a full general-procedure
case (filing, evidence preservation, notice, hearing, decision, service, reminder, limitation)
with dates drawn with a fixed seed across 2022–2026; ``case_deadlines`` computes every deadline
whose trigger is known (29 rules, including derived ones). Prints the median and the 95th
percentile per case.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from anjian.law.calendar import calendar_from_chinese_calendar
from anjian.law.deadlines import case_deadlines

CASES = 5_000


def facts(rng: random.Random) -> dict[str, dt.date]:
    filed = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 4 * 365))
    d = lambda n: filed + dt.timedelta(days=n)  # noqa: E731
    return {
        "act_ended": d(-rng.randint(1, 400)),
        "investigation_started": d(-rng.randint(0, 5)),
        "case_filed": filed,
        "evidence_preserved": d(rng.randint(1, 10)),
        "notice_served": d(rng.randint(20, 40)),
        "hearing_date": d(rng.randint(50, 60)),
        "decision_made": d(rng.randint(61, 80)),
        "decision_served": d(rng.randint(81, 88)),
        "reminder_served": d(rng.randint(280, 300)),
        "onsite_fine_collected": d(rng.randint(0, 3)),
        "decision_changed": d(rng.randint(90, 200)),
    }


def main() -> None:
    cal = calendar_from_chinese_calendar()
    rng = random.Random(20260201)
    cases = [facts(rng) for _ in range(CASES)]
    case_deadlines(cases[0], calendar=cal)  # warm the rule-data cache (YAML parsed once)
    timings = []
    computed = 0
    for case in cases:
        t0 = time.perf_counter()
        result = case_deadlines(case, calendar=cal)
        timings.append(time.perf_counter() - t0)
        computed += len(result.results)
    timings.sort()
    median = statistics.median(timings) * 1000
    p95 = timings[int(len(timings) * 0.95)] * 1000
    print(f"{CASES:,} cases, {computed / CASES:.1f} deadlines per case on average")
    print(f"median {median:.3f} ms per case; p95 {p95:.3f} ms; max {timings[-1] * 1000:.3f} ms")


if __name__ == "__main__":
    main()
