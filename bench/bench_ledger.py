"""Ledger list and search speed (issue 2: with 100,000 enterprises on PostgreSQL the filtered list
answers in under 50 ms median server time; a 2-character search under 100 ms).

Prepare once:
    psql -h 127.0.0.1 -U postgres -c 'create database demo100k'
    export ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/demo100k
    .venv/bin/anjian migrate && .venv/bin/anjian demo --enterprises 100000
Run:
    ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/demo100k .venv/bin/python bench/bench_ledger.py [--n 50]

"Server time" is the time Django takes to answer a request through the test client (routing,
middleware, queries, rendering), without network.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from anjian.enterprises.models import Enterprise  # noqa: E402
from anjian.org.models import Agency, Membership  # noqa: E402


def measure(client: Client, url: str, n: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm
    times = []
    status = 0
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        status = r.status_code
    # Queries are counted on one more request, apart from the timed ones: recording them slows the
    # request down (the timed requests run as in production, with DEBUG off).
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(ctx.captured_queries), status


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    args = ap.parse_args()
    settings.DEBUG = False  # as served in production (templates compiled without debug info)
    settings.ALLOWED_HOSTS = ["*"]
    total = Enterprise.objects.count()
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}; enterprises: {total:,}")
    User = get_user_model()
    users = {}
    for label, level in (("city", "city"), ("district", "district")):
        m = Membership.objects.filter(agency__level=level, role_grants__role="officer", staff__user__isnull=False).select_related("staff__user").first()
        users[label] = m.staff.user if m else User.objects.filter(is_superuser=True).first()
    city_agency = Agency.objects.filter(level="city").values_list("pk", flat=True).first()
    cases = [
        ("API list (default)", "/api/v1/enterprises/"),
        ("API list sector=hazchem grade=A", "/api/v1/enterprises/?sector=hazchem&grade=A"),
        ("API list status+supervision", "/api/v1/enterprises/?status=operating&supervision=city"),
        ("API list sort=-employees", "/api/v1/enterprises/?sort=-employees"),
        ("API list feature=dust_explosion", "/api/v1/enterprises/?feature=dust_explosion"),
        ("API list sector=industry.machinery", "/api/v1/enterprises/?sector=industry.machinery"),
        ("API list sector=industry.tobacco (rare)", "/api/v1/enterprises/?sector=industry.tobacco"),
        ("API list has_hazard_source=1", "/api/v1/enterprises/?has_hazard_source=1"),
        ("API list subject=city bureau", f"/api/v1/enterprises/?subject={city_agency}"),
        ("API search 2 chars 化工", "/api/v1/enterprises/?q=%E5%8C%96%E5%B7%A5"),
        ("API search 4 chars 有限公司", "/api/v1/enterprises/?q=%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8"),
        ("page list (default)", "/enterprises/"),
        ("page list sector=hazchem", "/enterprises/?sector=hazchem"),
        ("page list feature=dust_explosion", "/enterprises/?feature=dust_explosion"),
        ("page list sector=industry.machinery", "/enterprises/?sector=industry.machinery"),
        ("page search 2 chars 化工", "/enterprises/?q=%E5%8C%96%E5%B7%A5"),
    ]
    print(f"{'user':<9}{'case':<42}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'status':>8}")
    for label, user in users.items():
        c = Client()
        c.force_login(user)
        for name, url in cases:
            med, p95, q, st = measure(c, url, args.n)
            print(f"{label:<9}{name:<42}{med:>10.1f}{p95:>9.1f}{q:>9}{st:>8}")


if __name__ == "__main__":
    main()
