"""The statistics benchmark's data (issue 11, Speed): the demo city at scale on PostgreSQL.

The demo generator (``stats.demo``) enters every act through the services, ~0.2 s of CPU per
inspection: a million inspections would take days. This writer keeps the demo city's reference
data and ledger (the real commands) and writes the activity with COPY, drawing from the demo's own
distributions (``stats.demo.Rates``: inspection types, findings per inspection, the major share,
what becomes of an order — rectified on time, late, extended, failed at re-inspection, left open —,
on-site measures and 挂牌督办 of major hazards, transfers and their outcomes) so that the figures
look like the demo's, only larger.

What it writes, working day by working day from ``--first`` to yesterday, spread over the bureaus
by their staff and over each bureau's units as the demo picks them:

* completed inspections (``inspections_inspection``), and one 整改复查 inspection per order whose
  hazards were rectified (on the day of closing): the re-inspections are part of ``--inspections``;
* hazards (``hazards_hazard``), ``--hazards`` in all, on the inspections that found something: the
  order served the same day or 1–5 days later, the deadline the period (15 days, major 60) after
  service, 逾期 flagged the day after a deadline passed unreported (as the daily sweep does), closed
  on re-inspection; extended deadlines carry the extension's rule text;
* the first rectification report of each reported hazard (``hazards_rectificationreport``, and
  its date on the hazard, ``first_reported_on``, which the indicator ``hazards_found_reported`` reads);
* on-site measures for major hazards (``hazards_measure``), ended when the hazard is closed;
* transfers to the enforcement team (``hazards_transfer``), accepted, returned or waiting.

Not written (no indicator, the dashboard or the workbench reads them at this scale): checklist
items and findings, officers on each inspection, documents and proofs of service, extension
requests, re-inspection records, audit events. Every model constraint holds (a hazard's status
matches its dates; a major hazard carries a criterion; transfers go from a supervision department
to the same bureau's enforcement team). The units' registration time is moved to before
``--first`` so that the ledger figures cover the whole range (a bulk change to the ledger rows).

Deterministic: one ``random.Random(--seed)`` and the days in order.

Usage (PostgreSQL only; takes about 20 minutes at full size on 2 shared CPUs):
    psql -h 127.0.0.1 -U postgres -c 'create database bench_stats'
    export ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_stats
    .venv/bin/python bench/gen_stats_world.py --setup                       # 1,000,000 / 3,000,000
    .venv/bin/python bench/gen_stats_world.py --setup --inspections 20000 --hazards 60000   # quick check
``--setup`` runs migrate, refdata load, calendar seed, checklists sync and ``anjian demo
--ledger-only`` when the database has no bureau yet. ``--replace`` empties the activity tables
first (TRUNCATE … CASCADE) so the run can be repeated. ``--no-refresh`` skips ``anjian stats
refresh --full``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from anjian.enterprises.choices import DeclaredStatus  # noqa: E402
from anjian.enterprises.models import Enterprise  # noqa: E402
from anjian.hazards.choices import HazardSource, HazardStatus, MeasureKind, MeasureScope, MeasureStatus, MeasureType, Severity, TransferStatus  # noqa: E402
from anjian.hazards.models import Hazard, Measure, RectificationReport, Transfer  # noqa: E402
from anjian.inspections.choices import InspectionStatus, InspectionType, PartySignature  # noqa: E402
from anjian.inspections.models import ChecklistItem, Inspection  # noqa: E402
from anjian.legal import lawcal  # noqa: E402
from anjian.org.choices import AgencyLevel, DepartmentKind  # noqa: E402
from anjian.org.models import Agency, Department, Membership  # noqa: E402
from anjian.stats.demo import Rates, pick  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
PERIOD = {Severity.GENERAL: 15, Severity.MAJOR: 60}  # hazards.services.default_period_days
AQSCF = "《中华人民共和国安全生产法》"
PLACES = ("生产车间", "仓库", "配电室", "罐区", "装卸区", "办公区", "锅炉房", "危险化学品库房", "作业现场", "消防通道")
DESCRIPTIONS = (
    "安全出口堵塞，疏散通道不畅", "配电箱未设置漏电保护装置", "危险化学品储存未分类分库", "特种作业人员未持证上岗", "安全警示标志缺失",
    "消防器材过期未更换", "有限空间作业未执行审批", "动火作业未落实监护措施", "防爆电气设备失效", "安全生产责任制未落实到岗位",
)  # fmt: skip
BATCH = 50_000


# ---- COPY -----------------------------------------------------------------------------------------------------


class Copier:
    """COPY rows of one model: the given fields per row, every other column its default (blank,
    null, or the time of the run for auto times)."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], now: dt.datetime) -> None:
        self.model = model
        self.fields = list(fields)
        given = set(self.fields)
        # The id is left to the sequence unless given.
        rest = [f for f in model._meta.concrete_fields if not given & {f.name, f.attname} and not (f.primary_key and isinstance(f, models.AutoField))]
        self.consts: list[Any] = []
        for f in rest:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                v: Any = now
            elif f.has_default():
                v = f.get_default()
            elif f.null:
                v = None
            elif isinstance(f, models.CharField | models.TextField | models.FileField) and f.blank:
                v = ""
            else:
                raise ValueError(f"{model.__name__}.{f.name}: no value")
            self.consts.append(json.dumps(v) if isinstance(f, models.JSONField) else v)
        cols = [model._meta.get_field(f).column for f in self.fields] + [f.column for f in rest]
        self.sql = f"COPY {model._meta.db_table} ({', '.join(cols)}) FROM STDIN"
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, *values: Any) -> None:
        self.rows.append(values)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        consts = tuple(self.consts)
        with connection.cursor() as c, c.cursor.copy(self.sql) as cp:
            for r in self.rows:
                cp.write_row(r + consts)
        self.written += len(self.rows)
        self.rows = []


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequence(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as c:
        c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))")  # noqa: S608 (a model's table name)


# ---- the world ---------------------------------------------------------------------------------------------


class Bureau:
    def __init__(self, agency: Agency, staff: int, user_id: int, units: dict[str, list[tuple[int, int]]], supervision: list[int], enforcement: int | None) -> None:
        self.agency, self.staff, self.user_id, self.units = agency, staff, user_id, units
        self.supervision, self.enforcement = supervision, enforcement


def bureaus() -> list[Bureau]:
    """Each bureau with its staff (the weight of its share of inspections), a user who enters its
    rows, and its units per inspection type as the demo picks them (``_Simulation.units``)."""
    admin = get_user_model().objects.order_by("pk").values_list("pk", flat=True).first()
    ents = list(
        Enterprise.objects.filter(declared_status=DeclaredStatus.OPERATING)
        .order_by("pk")
        .values_list("pk", "jurisdiction_id", "jurisdiction__parent_id", "subject_agency_id", "in_hazchem", "in_mine")
    )
    out = []
    for a in Agency.objects.order_by("pk"):
        staff = Membership.objects.filter(agency=a).count()
        user_id = Membership.objects.filter(agency=a, staff__user__isnull=False).order_by("pk").values_list("staff__user_id", flat=True).first() or admin
        if a.level == AgencyLevel.CITY:
            mine = [e for e in ents if e[1] == a.jurisdiction_id or e[2] == a.jurisdiction_id]
        else:
            mine = [e for e in ents if e[1] == a.jurisdiction_id]
        if not mine or not staff:
            continue
        planned = [e for e in mine if e[3] == a.pk] or mine
        special = [e for e in mine if e[4] or e[5]] or mine
        units = {k: [(e[0], e[1]) for e in v] for k, v in (("planned", planned), ("special", special), ("any", mine))}
        depts = list(Department.objects.filter(agency=a).order_by("pk").values_list("pk", "kind"))
        sup = [d for d, k in depts if k == DepartmentKind.SUPERVISION]
        enf = next((d for d, k in depts if k == DepartmentKind.ENFORCEMENT), None)
        out.append(Bureau(a, staff, user_id, units, sup, enf))
    return out


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    cal = lawcal.work_calendar()
    out, day = [], first
    while day <= last:
        if cal.is_working_day(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def aware(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=TZ)


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---- the run -----------------------------------------------------------------------------------------------


def generate(*, n_inspections: int, n_hazards: int, seed: int, first: dt.date, today: dt.date, say: Any = print) -> dict[str, int]:
    rng = random.Random(seed)
    rates = Rates()
    now = timezone.now()
    world = bureaus()
    weights = [(b, b.staff) for b in world]
    criteria = sorted(set(ChecklistItem.objects.exclude(criterion_id="").values_list("criterion_id", flat=True))) or ["HC-BENCH"]
    days = working_days(first, today - dt.timedelta(days=1))
    # The re-inspections are part of the total: one per order whose hazards were rectified.
    p_find = sum(w for n, w in rates.findings if n) / sum(w for _, w in rates.findings)
    mean_find = sum(n * w for n, w in rates.findings) / sum(w for n, w in rates.findings if n)
    p_closed = 1 - dict(rates.outcomes)["open"] / sum(w for _, w in rates.outcomes)
    originals = n_inspections / (1 + p_find * p_closed * 0.97)
    per_find = n_hazards / (originals * p_find) / mean_find  # hazards per finding of the demo's draw
    per_day = originals / len(days)

    insp = Copier(Inspection, ["id", "jurisdiction_id", "owner_agency_id", "enterprise_id", "type", "status", "inspected_on", "started_at", "ended_at", "place", "party_representative", "party_signature", "summary", "onsite_handling", "created_by_id"], now)  # fmt: skip
    haz = Copier(Hazard, ["id", "jurisdiction_id", "owner_agency_id", "enterprise_id", "source", "inspection_id", "description", "location", "legal_basis", "severity", "criterion_id", "status", "found_on", "period_days", "served_on", "deadline", "deadline_rule", "deadline_from_service", "overdue_since", "case_flag", "supervised", "supervised_by", "supervised_on", "closed_on", "first_reported_on", "created_by_id"], now)  # fmt: skip
    rep = Copier(RectificationReport, ["hazard_id", "reported_on", "description", "recorded_by_id"], now)
    mea = Copier(Measure, ["jurisdiction_id", "owner_agency_id", "enterprise_id", "hazard_id", "kind", "measure_type", "scope", "scope_detail", "legal_basis", "reason", "decided_on", "status", "ended_on", "created_by_id"], now)  # fmt: skip
    tra = Copier(Transfer, ["jurisdiction_id", "owner_agency_id", "enterprise_id", "from_department_id", "to_department_id", "facts", "suggested_basis", "status", "sent_at", "sent_by_id", "decided_at", "decided_by_id", "return_reason"], now)  # fmt: skip
    iid, hid = next_id(Inspection), next_id(Hazard)
    pending_reinspections: list[tuple[dt.date, tuple[Any, ...]]] = []
    counts = {"inspections": 0, "reinspections": 0, "hazards": 0, "major": 0, "closed": 0, "overdue_open": 0, "reports": 0, "measures": 0, "transfers": 0}

    def inspection(b: Bureau, unit: tuple[int, int], kind: str, day: dt.date, found: int) -> int:
        nonlocal iid
        minute = rng.randrange(8 * 60 + 30, 15 * 60)
        started = aware(day, minute)
        insp.add(
            iid, unit[1], b.agency.pk, unit[0], kind, InspectionStatus.COMPLETED, day, started, started + dt.timedelta(minutes=rng.randrange(60, 180)),
            "生产经营场所", "现场负责人", PartySignature.SIGNED, f"{InspectionType(kind).label}，发现问题{found}项。（基准测试数据）",
            "对发现的问题当场责令改正，下达责令限期整改指令书。" if found else "", b.user_id,
        )  # fmt: skip
        iid += 1
        return iid - 1

    t0 = time.monotonic()
    for n_day, day in enumerate(days):
        # Re-inspections that fall on this day are written in date order with the day's others.
        n = int(per_day) + (1 if rng.random() < per_day - int(per_day) else 0)
        for _ in range(n):
            b = pick(rng, weights)
            kind = pick(rng, rates.types)
            pool = b.units["planned" if kind == InspectionType.PLANNED else "special" if kind == InspectionType.SPECIAL else "any"]
            unit = rng.choice(pool)
            draw = pick(rng, rates.findings)
            want = draw * per_find
            k = int(want) + (1 if rng.random() < want - int(want) else 0)
            this = inspection(b, unit, kind, day, k)
            counts["inspections"] += 1
            if not k:
                continue
            served = day if rng.random() < rates.served_same_day else day + dt.timedelta(days=rng.randrange(1, 6))
            outcome = pick(rng, rates.outcomes)
            close_day: dt.date | None = None
            for _ in range(k):
                major = rng.random() < rates.major_share
                sev = Severity.MAJOR if major else Severity.GENERAL
                period = PERIOD[sev]
                deadline = served + dt.timedelta(days=period)
                rule = f"{AQSCF}第一百零二条；自送达之日起{period}日（基准测试数据）"
                reported: dt.date | None = None
                closed: dt.date | None = None
                if outcome == "on_time":
                    reported = served + dt.timedelta(days=rng.randrange(1, period))
                    closed = min(reported + dt.timedelta(days=rng.randrange(1, 6)), deadline)
                elif outcome == "extended" and rng.random() >= rates.extension_refused:
                    deadline = deadline + dt.timedelta(days=rng.randrange(10, 31))
                    rule = f"经批准延期至{cn(deadline)}（基准测试数据）"
                    reported = deadline - dt.timedelta(days=rng.randrange(1, 10))
                    closed = reported + dt.timedelta(days=rng.randrange(1, 5))
                elif outcome in ("late", "extended"):
                    reported = deadline + dt.timedelta(days=rng.randrange(2, 30))
                    closed = reported + dt.timedelta(days=rng.randrange(1, 6))
                elif outcome == "failed":
                    # Reported in time, failed at re-inspection, rectified again and closed late.
                    reported = served + dt.timedelta(days=rng.randrange(1, period))
                    closed = deadline + dt.timedelta(days=rng.randrange(5, 30))
                if served > today - dt.timedelta(days=1):
                    status, served_on, dl, rule_text, reported, closed = HazardStatus.OPEN, None, None, "", None, None
                else:
                    served_on, dl, rule_text = served, deadline, rule
                    if reported is not None and reported >= today:
                        reported = closed = None
                    if closed is not None and closed >= today:
                        closed = None
                    status = HazardStatus.CLOSED if closed else HazardStatus.REPORTED if reported else HazardStatus.RECTIFYING
                # The daily sweep flags a rectifying hazard the day after its deadline passed.
                overdue = None
                if dl is not None and dl + dt.timedelta(days=1) < today and (reported is None or reported > dl):
                    overdue = dl + dt.timedelta(days=1)
                supervised = major and rng.random() < rates.supervised_share
                haz.add(
                    hid, unit[1], b.agency.pk, unit[0], HazardSource.INSPECTION, this, f"{rng.choice(DESCRIPTIONS)}（基准测试数据）", rng.choice(PLACES),
                    f"{AQSCF}第四十一条", sev, rng.choice(criteria) if major else "", status, day, period, served_on, dl, rule_text, not rule_text.startswith("经批准"),
                    overdue, overdue is not None, supervised, "烟台市安全生产委员会办公室" if supervised else "", day if supervised else None, closed, reported, b.user_id,
                )  # fmt: skip
                counts["hazards"] += 1
                counts["major"] += major
                counts["closed"] += closed is not None
                counts["overdue_open"] += overdue is not None and closed is None
                if reported is not None:
                    rep.add(hid, reported, "已按整改指令书完成整改。（基准测试数据）", b.user_id)
                    counts["reports"] += 1
                if major and rng.random() < rates.measure_share:
                    mea.add(
                        unit[1], b.agency.pk, unit[0], hid, MeasureKind.ONSITE, MeasureType.STOP_FACILITY, MeasureScope.EQUIPMENT, "相关设施、设备",
                        f"{AQSCF}第六十五条第一款第三项", "重大事故隐患排除前无法保证安全。（基准测试数据）", day,
                        MeasureStatus.ENDED if closed else MeasureStatus.ACTIVE, closed, b.user_id,
                    )  # fmt: skip
                    counts["measures"] += 1
                if closed is not None:
                    close_day = max(close_day or closed, closed)
                hid += 1
            if close_day is not None:
                pending_reinspections.append((close_day, (b, unit)))
            if b.supervision and b.enforcement and rng.random() < rates.transfer_share:
                sent = aware(day + dt.timedelta(days=rng.randrange(1, 4)), rng.randrange(9 * 60, 17 * 60))
                if sent.date() < today:
                    out = pick(rng, rates.transfer_outcomes)
                    decided = sent + dt.timedelta(days=rng.randrange(0, 6), hours=rng.randrange(0, 4))
                    if out == "wait" or decided.date() >= today:
                        st, decided_at, decided_by = TransferStatus.PENDING, None, None
                    else:
                        st, decided_at, decided_by = (TransferStatus.RETURNED if out == "return" else TransferStatus.ACCEPTED), decided, b.user_id
                    tra.add(
                        unit[1], b.agency.pk, unit[0], rng.choice(b.supervision), b.enforcement, "检查发现的违法行为，移交执法队伍查处。（基准测试数据）",
                        f"{AQSCF}第一百零二条", st, sent, b.user_id, decided_at, decided_by, "事实不清，退回补充。" if st == TransferStatus.RETURNED else "",
                    )  # fmt: skip
                    counts["transfers"] += 1
        # The re-inspections of orders closed by today (the day they fall on, in order).
        due = [p for p in pending_reinspections if p[0] <= day]
        if due:
            pending_reinspections = [p for p in pending_reinspections if p[0] > day]
            for close_day, (b, unit) in sorted(due, key=lambda p: (p[0], p[1][0].agency.pk, p[1][1])):
                inspection(b, unit, InspectionType.REINSPECTION, close_day, 0)
                counts["reinspections"] += 1
        if n_day % 60 == 0:
            say(f"  {day}: {counts['inspections'] + counts['reinspections']:,} inspections, {counts['hazards']:,} hazards ({time.monotonic() - t0:.0f} s)")
    for close_day, (b, unit) in sorted(pending_reinspections, key=lambda p: (p[0], p[1][0].agency.pk, p[1][1])):
        if close_day < today:
            inspection(b, unit, InspectionType.REINSPECTION, close_day, 0)
            counts["reinspections"] += 1
    for c in (insp, haz, rep, mea, tra):
        c.flush()
    for m in (Inspection, Hazard, RectificationReport, Measure, Transfer):
        reset_sequence(m)
    return counts


def setup() -> None:
    call_command("migrate", verbosity=0)
    if Agency.objects.exists():
        return
    for args in (("refdata", "load"), ("calendar", "seed"), ("checklists", "sync"), ("demo", "--ledger-only")):
        call_command(*args)


def run_sql(statements: Iterable[str]) -> None:
    with connection.cursor() as c:
        for s in statements:
            c.execute(s)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inspections", type=int, default=1_000_000)
    ap.add_argument("--hazards", type=int, default=3_000_000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--first", type=dt.date.fromisoformat, default=dt.date(2025, 1, 1))
    ap.add_argument("--setup", action="store_true", help="migrate and load the reference data and the demo ledger when missing")
    ap.add_argument("--replace", action="store_true", help="empty the activity tables first")
    ap.add_argument("--no-refresh", action="store_true")
    args = ap.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only (set ANJIAN_DATABASE_URL).")
    t_all = time.monotonic()
    if args.setup:
        t = time.monotonic()
        setup()
        print(f"setup: {time.monotonic() - t:.0f} s")
    tables = [m._meta.db_table for m in (Inspection, Hazard, RectificationReport, Measure, Transfer)]
    if Inspection.objects.exists():
        if not args.replace:
            sys.exit("The database already has inspections: --replace empties the activity tables first.")
        run_sql([f"TRUNCATE {', '.join(tables)} CASCADE", "TRUNCATE stats_rollup, stats_rollupwatermark"])
    today = timezone.localdate()
    t = time.monotonic()
    with transaction.atomic():
        # Units registered before the first day, so that the ledger figures cover the range.
        Enterprise.objects.filter(created_at__gte=aware(args.first, 0)).update(created_at=aware(args.first - dt.timedelta(days=1), 9 * 60))
        counts = generate(n_inspections=args.inspections, n_hazards=args.hazards, seed=args.seed, first=args.first, today=today)
    gen_s = time.monotonic() - t
    t = time.monotonic()
    # As autovacuum would: the planner's statistics, and the visibility map for index-only scans.
    run_sql([f"VACUUM (ANALYZE) {tb}" for tb in tables])
    print(f"written in {gen_s:.0f} s (+VACUUM ANALYZE {time.monotonic() - t:.0f} s): " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    if not args.no_refresh:
        from anjian.stats import rollups

        t = time.monotonic()
        r = rollups.rebuild()
        run_sql(["VACUUM (ANALYZE) stats_rollup"])
        print(f"stats refresh --full: {r.rows:,} rollup rows in {time.monotonic() - t:.0f} s")
    print(f"total {time.monotonic() - t_all:.0f} s")


if __name__ == "__main__":
    main()
