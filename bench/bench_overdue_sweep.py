"""The daily overdue sweep over 1,000,000 hazards on PostgreSQL (issue 4: under 10 s).

    psql -h 127.0.0.1 -U postgres -c 'create database bench_hazards'
    ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_hazards .venv/bin/python bench/bench_overdue_sweep.py [--rows 1000000]

Fills the hazard table with generated rows in SQL (a mix of statuses and deadlines around
today), runs ANALYZE, then times ``hazards_overdue_sweep`` (one set-based UPDATE).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("this benchmark needs PostgreSQL (set ANJIAN_DATABASE_URL)")
    call_command("migrate", verbosity=0)
    from anjian.hazards.models import Hazard
    from anjian.hazards.services import hazards_overdue_sweep
    from bench import _world

    w = _world.build()
    have = Hazard.objects.count()
    if have < args.rows:
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO hazards_hazard (jurisdiction_id, owner_agency_id, enterprise_id, source, description, location, legal_basis,
                    severity, criterion_id, major_reason, set_aside_reason, status, found_on, period_days, deadline_provisional,
                    deadline_rule, case_flag, supervised, supervised_by, created_by_id, created_at, served_on, deadline)
                SELECT %s, %s, %s, 'inspection', '基准隐患' || g, '部位', '', CASE WHEN g %% 10 = 0 THEN 'major' ELSE 'general' END,
                    '', '', '', (ARRAY['open','rectifying','rectifying','reported','closed'])[1 + g %% 5], CURRENT_DATE - (g %% 400),
                    30, false, '', false, false, '', %s, now(), CURRENT_DATE - (g %% 400) + 1, CURRENT_DATE - (g %% 400) + 31
                FROM generate_series(%s, %s) AS g
                """,
                [w["district"].pk, w["agency"].pk, w["enterprise"].pk, w["users"][0].pk, have + 1, args.rows],
            )
            cur.execute("ANALYZE hazards_hazard")
        print(f"generated {args.rows - have:,} hazards in {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cur:
        cur.execute("UPDATE hazards_hazard SET overdue_since = NULL, case_flag = false WHERE overdue_since IS NOT NULL")
    total = Hazard.objects.count()
    t0 = time.perf_counter()
    n = hazards_overdue_sweep(today=timezone.localdate())
    elapsed = time.perf_counter() - t0
    print(f"hazards: {total:,}; flagged overdue: {n:,}; sweep {elapsed:.2f} s")
    t0 = time.perf_counter()
    n2 = hazards_overdue_sweep(today=timezone.localdate())
    print(f"second sweep the same day (nothing new): {n2:,} in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
