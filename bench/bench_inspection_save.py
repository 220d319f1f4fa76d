"""Saving an inspection with 150 items (issue 4: under 300 ms).

    .venv/bin/python bench/bench_inspection_save.py [--items 150] [--n 20]
    ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_inspections .venv/bin/python bench/bench_inspection_save.py

Measures (a) creating the inspection with a 150-item checklist copied in, and (b) saving all
150 results at once (the field form's save), each one transaction through the services.
Uses a temporary SQLite file unless ANJIAN_DATABASE_URL is set (the database is migrated).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
if not os.environ.get("ANJIAN_DATABASE_URL"):
    os.environ.setdefault("ANJIAN_VAR_DIR", tempfile.mkdtemp(prefix="bench-insp-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=150)
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args()
    call_command("migrate", verbosity=0)
    from anjian.inspections import services
    from anjian.inspections.models import ChecklistTemplate
    from bench import _world

    w = _world.build()
    actor = w["users"][0]
    code = f"bench-{args.items}"
    t = ChecklistTemplate.objects.filter(code=code).first()
    if t is None:
        from anjian.inspections.models import ChecklistItem

        t = ChecklistTemplate.objects.create(code=code, name="基准检查表", kind="general", status="published", published_at=timezone.now())
        ChecklistItem.objects.bulk_create([ChecklistItem(template=t, order=i + 1, text=f"检查项{i + 1}", legal_basis="《安全生产法》") for i in range(args.items)])
    officer_ids = [u.staff.pk for u in w["users"]]
    create_ms, save_ms = [], []
    for _ in range(args.n):
        t0 = time.perf_counter()
        insp = services.inspection_create(actor=actor, enterprise=w["enterprise"], type="planned", inspected_on=timezone.localdate(), started_at=timezone.now(), place="厂区", officer_ids=officer_ids, template_ids=[t.pk])
        create_ms.append((time.perf_counter() - t0) * 1000)
        items = list(insp.items.values_list("pk", flat=True))
        results = [{"item": pk, "result": "noncompliant" if i % 10 == 0 else "compliant", "note": "问题" if i % 10 == 0 else ""} for i, pk in enumerate(items)]
        t0 = time.perf_counter()
        services.inspection_record_results(actor=actor, inspection=insp, results=results)
        save_ms.append((time.perf_counter() - t0) * 1000)
    print(f"database: {connection.vendor}; items per inspection: {args.items}; runs: {args.n}")
    print(f"create inspection (copy checklist): median {statistics.median(create_ms):.1f} ms, max {max(create_ms):.1f} ms")
    print(f"save {args.items} results (+findings): median {statistics.median(save_ms):.1f} ms, max {max(save_ms):.1f} ms")


if __name__ == "__main__":
    main()
