"""Audit-chain verification over 1,000,000 events (issue 10: report the verify time).

Prepare and run (PostgreSQL):
    psql -h 127.0.0.1 -U postgres -c 'create database bench_audit'
    export ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_audit
    .venv/bin/anjian migrate
    .venv/bin/python bench/bench_audit_verify.py [--events 1000000]

Writes the events (signed, as ``audit.build_event`` does) in batches, seals them, then times
``anjian audit verify``'s walk (``core.audit_chain.verify``).
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

from django.db import connection  # noqa: E402

from anjian.core import audit, audit_chain  # noqa: E402
from anjian.core.models import AuditEvent  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    args = ap.parse_args()
    have = AuditEvent.objects.count()
    t0 = time.perf_counter()
    batch = []
    for i in range(have, args.events):
        batch.append(
            audit.build_event(
                actor=None, action="enterprise.update", object_type="enterprises.enterprise", object_id=i, object_repr=f"烟台某某化工有限公司{i}",
                jurisdiction_id=None, before={"name": f"旧名称{i}", "employees": i % 500}, after={"name": f"新名称{i}", "employees": i % 700}, note="基准测试",
            )  # fmt: skip
        )
        if len(batch) == 10000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    if batch:
        AuditEvent.objects.bulk_create(batch)
    print(f"database: {connection.vendor}; wrote {args.events - have:,} events in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    n = audit_chain.seal()
    print(f"sealed {n:,} in {time.perf_counter() - t0:.1f} s")
    r = audit_chain.verify()
    print(f"verified {r.checked:,} links (unsealed {r.unsealed}) in {r.seconds:.1f} s; ok={r.ok}")


if __name__ == "__main__":
    main()
