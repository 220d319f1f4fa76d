"""Annual plan and random draw speed (issue 13, Speed): plan generation for 100,000 units and 500
officers on the database under 5 s; a draw over 50,000 units under 1 s, and its verification likewise.

Into an empty, migrated scratch database (it writes 100,000 units, their planned subjects and 500
officers, then times the services end to end: every query, the engine, the bulk insert):

    export ANJIAN_VAR_DIR=/tmp/bench_planning            # SQLite: a fresh file there
    .venv/bin/anjian migrate --noinput -v0
    .venv/bin/python bench/bench_planning.py [--units 100000] [--officers 500] [--pool 50000]

PostgreSQL: the same with ``ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<empty db>``.

What is timed:
* ``plan_generate``: capacity from the officers' dated memberships and certificates, the facts of
  every unit (grades, sectors, major hazard sources), the grading profile, the proposal, the fit
  into the capacity (cuts), and the bulk insert of the plan's items — one call, as the page makes it;
* ``draw_commit``: the ledger filtered to the pool (``--pool`` units), the officer pool, the
  conflict exclusions and the SHA-256 commitments, saved;
* ``draw_perform``: the seeded draw over the pool (at the published time), saved;
* ``draw_verify``: the re-run from the stored inputs (what ``anjian draw verify`` and the public page do).

Results on this machine (2 shared CPUs, load 1.0-1.7; a fresh database each run, three runs on
PostgreSQL 15, two on SQLite), issue 13 Speed:

=====================================  ======================  =================
                                       PostgreSQL (median)     SQLite
=====================================  ======================  =================
plan generation, 100,000 units         3.73 s (3.69-3.80)      2.88-2.90 s
draw commitment, pool of 50,000        0.29 s                  0.28 s
draw, 500 of 50,000                    0.11 s                  0.09-0.10 s
verification                           0.02 s                  0.02 s
=====================================  ======================  =================

Before (same machine and method): generation 9.2 s on PostgreSQL, 6.2-6.6 s reported by the last
session; commitment 0.91-1.43 s. The generation's PostgreSQL time is about a third deferred
foreign-key checks of the 100,000 items (plan, unit, team: 1.2 s), which are kept. The plan now
holds 81,640 workdays where it held 112,268: general inspections are fitted into their own
share (LEGAL.md §6), not into the total.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 5000
SECTORS = [
    ("industry.machinery", 0.45, None),
    ("industry.light", 0.20, None),
    ("hazchem.production", 0.10, None),
    ("hazchem.trade", 0.10, None),
    ("mine.openpit", 0.05, "mine"),
    ("other", 0.10, None),
]


def populate(units: int, officers: int, pool: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from anjian.enterprises.models import Enterprise, GradingScheme, MajorHazardSource, PlannedSubject, Sector
    from anjian.legal import lawcal
    from anjian.org.models import Certificate, CertificateEvent, Membership, RoleGrant, Staff
    from anjian.planning import services
    from bench import _world

    w = _world.build()
    agency, district = w["agency"], w["district"]
    lawcal.seed_from_package(2025, 2026)
    services.sample_profile_sync()
    if Enterprise.objects.count() > 10:
        raise SystemExit("请使用空数据库（已迁移、无数据）：本基准会写入10万家单位。")
    rng = random.Random(13)
    masks = dict(Sector.objects.exclude(mask=None).values_list("code", "mask"))
    mine = GradingScheme.objects.filter(code="mine").first()
    t = time.perf_counter()
    User = get_user_model()
    # 500 officers with a certificate for the year, plus a head who runs the draw.
    with transaction.atomic():
        users = User.objects.bulk_create([User(username=f"bench_plan_{i:04d}") for i in range(officers + 1)], batch_size=BATCH)
        staff = Staff.objects.bulk_create([Staff(user=u, name=f"执法员{i:04d}") for i, u in enumerate(users)], batch_size=BATCH)
        ms = Membership.objects.bulk_create([Membership(staff=s, agency=agency, valid_from=dt.date(2020, 1, 1)) for s in staff], batch_size=BATCH)
        RoleGrant.objects.bulk_create([RoleGrant(membership=m, role="officer") for m in ms] + [RoleGrant(membership=ms[-1], role="dept_head")], batch_size=BATCH)
        certs = Certificate.objects.bulk_create(
            [Certificate(staff=s, number=f"37BP{i:06d}", issuer="山东省人民政府", valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2030, 12, 31)) for i, s in enumerate(staff)],
            batch_size=BATCH,
        )
        CertificateEvent.objects.bulk_create([CertificateEvent(certificate=c, kind="issued", date=c.valid_from) for c in certs], batch_size=BATCH)
    # The units: half of them at standardization level 3 (the draw's pool), the planned subject the district bureau.
    std_rest = ["1", "2", "none"]
    with transaction.atomic():
        for start in range(0, units, BATCH):
            rows = []
            for i in range(start, min(start + BATCH, units)):
                r = rng.random()
                acc = 0.0
                code, scheme = "other", None
                for c, share, sch in SECTORS:
                    acc += share
                    if r < acc:
                        code, scheme = c, sch
                        break
                std = "3" if i < pool else rng.choice(std_rest)
                rows.append(
                    Enterprise(
                        name=f"基准单位{i:06d}", unlicensed=True, jurisdiction=district, owner_agency=agency, class_bits=masks.get(code, 0),
                        risk_scheme=mine if scheme == "mine" else None, risk_grade=rng.choice("ABCD") if scheme == "mine" else "", standardization_level=std,
                        search_text=f"基准单位{i:06d}",
                    )
                )  # fmt: skip
            made = Enterprise.objects.bulk_create(rows, batch_size=BATCH)
            PlannedSubject.objects.bulk_create([PlannedSubject(enterprise=e, agency=agency, valid_from=dt.date(2025, 1, 1)) for e in made], batch_size=BATCH)
            MajorHazardSource.objects.bulk_create(
                [MajorHazardSource(enterprise=e, name="储罐区", level=2, substance="液氨", quantity_t=20) for e in made if rng.random() < 0.02], batch_size=BATCH
            )
    print(f"准备数据：{units}家单位、{officers}名执法人员，用时{time.perf_counter() - t:.1f}秒")
    return {"agency": agency, "officer": users[0], "head": users[-1]}


def timed(label: str, fn: Any, target: float) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    s = time.perf_counter() - t
    print(f"{label}：{s:.2f}秒（目标 < {target:g}秒）{'' if s < target else '  超出目标'}")
    return out, s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--officers", type=int, default=500)
    ap.add_argument("--pool", type=int, default=50_000)
    ap.add_argument("--year", type=int, default=2026)
    args = ap.parse_args()
    from anjian.planning import services

    print(f"数据库：{connection.vendor}")
    w = populate(args.units, args.officers, args.pool)
    plan, _ = timed(
        f"生成年度计划（{args.units}家单位、{args.officers}名执法人员）",
        lambda: services.plan_generate(actor=w["officer"], year=args.year, acknowledge_over_capacity=True),
        5,
    )
    print(f"  计划{plan.items.count()}户，需要{plan.demand}个工作日，可安排{plan.available}个工作日；削减{plan.cut_units}户（{plan.cut_inspections}次）")  # type: ignore[attr-defined]
    draw_at = timezone.now() + dt.timedelta(seconds=2)
    d, _ = timed(
        f"公示抽取条件（对象库{args.pool}家单位）",
        lambda: services.draw_commit(
            actor=w["head"], title="基准抽取", filters={"standardization": "3"}, count=500, planned_on=timezone.localdate() + dt.timedelta(days=3), draw_at=draw_at
        ),
        1,
    )
    assert len(d.units) == args.pool, len(d.units)  # type: ignore[attr-defined]
    time.sleep(max(0.0, (draw_at - timezone.now()).total_seconds()) + 0.05)
    d, _ = timed(f"抽取（{args.pool}家中抽500家，每家2名执法人员）", lambda: services.draw_perform(actor=w["head"], draw=d), 1)
    from anjian.planning.models import Draw

    stored = Draw.objects.get(pk=d.pk)  # type: ignore[attr-defined]
    (ok, message), _ = timed("核验（按存储的输入重新抽取）", lambda: services.draw_verify(stored), 1)
    print(f"  核验结果：{'通过' if ok else '未通过'}（{message}）")


if __name__ == "__main__":
    main()
