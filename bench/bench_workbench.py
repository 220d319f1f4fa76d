"""Workbench and indicator speed (issue 11): the workbench under 100 ms with a query count that
does not depend on the data; the indicator figures read from the rollups.

This measures on the demo city with its year of activity (``anjian demo``): demo-size figures, for
every persona. The issue's full-size data (1,000,000 inspections and 3,000,000 hazards) is written
by bench/gen_stats_world.py and measured by bench/bench_stats.py.

Prepare once (PostgreSQL, the production database):
    psql -h 127.0.0.1 -U postgres -c 'create database bench_workbench'
    export ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_workbench
    .venv/bin/anjian migrate && .venv/bin/anjian refdata load && .venv/bin/anjian calendar seed
    .venv/bin/anjian checklists sync && .venv/bin/anjian demo && .venv/bin/anjian stats refresh
Run:
    ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_workbench .venv/bin/python bench/bench_workbench.py [--n 30]

"Server time" is the time Django takes to answer through the test client (routing, middleware,
queries, rendering), without network; DEBUG off.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from anjian.hazards.models import Hazard  # noqa: E402
from anjian.inspections.models import Inspection  # noqa: E402
from bench._measure import measure  # noqa: E402

USERS = ("zhifu_officer", "zhifu_depthead", "zhifu_leader", "zhifu_legal", "zhifu_office", "city_leader", "zhifu_admin")
URLS = (
    ("workbench page", "/workbench/"),
    ("workbench API", "/api/v1/workbench/"),
    ("indicators page 2026", "/stats/indicators/?period=2026"),
    ("hazards found Q3 by district", "/api/v1/stats/indicators/hazards_found/?period=2026-Q3&by=district"),
)



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    args = ap.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}; inspections {Inspection.objects.count():,}; hazards {Hazard.objects.count():,}; load {os.getloadavg()[0]:.1f}")
    print(f"{'user':<16}{'request':<32}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'status':>8}")
    for username in USERS:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            print(f"{username:<16}(no such demo user)")
            continue
        c = Client()
        c.force_login(user)
        for name, url in URLS:
            med, p95, q, st = measure(c, url, args.n)
            print(f"{username:<16}{name:<32}{med:>10.1f}{p95:>9.1f}{q:>9}{st:>8}")


if __name__ == "__main__":
    main()
