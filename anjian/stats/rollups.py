"""Daily rollups of the indicators (issue 11 item 6), their refresh, their reading and their check.

What is stored, per indicator kind (``indicators.py``), for each day and each cut (jurisdiction;
jurisdiction × agency; jurisdiction × sector; jurisdiction × agency × sector — the ``grain``):

* ``count`` / ``sum``: the day's events. A period's figure is the sum over its days: exact,
  because every event has one date.
* ``distinct``: a unit is distinct per period, so daily distinct counts do not add up. We store,
  for each of month, quarter and year, the number of units whose *first* event of that month
  (quarter, year) fell on the day (``key@m``, ``key@q``, ``key@y``). Summing ``key@q`` over a
  quarter's days counts each unit once: exact. Year-to-date reads ``key@y`` up to today.
* ``cohort``: rows that left on the day having entered in the same month (quarter, year):
  ``key@m|q|y``; a period's sum is the rows that entered in it and left by its end.
* ``state`` / ``staff``: the state at the end of the day (a snapshot), written for every month
  end and for the last day computed: every period ends on a month end or, while it runs, on
  today, so the figure is the snapshot of one day — no sum of days is ever taken over a state.

The refresh recomputes, per family of indicators, the days from the earliest one that may have
changed: the days after the last refresh, and the dates of the records the audit trail shows
changed since (every service writes an audit event: a hazard registered late with an old
discovery date, a set-aside that turned a major hazard general, a unit's sectors changed …).
Writes that bypass the services (a bulk load) need ``anjian stats refresh --full``; the overdue
flags of the daily sweep (no audit event) are read by the daily task, which always recomputes
today. ``anjian stats check`` recounts from the raw tables and reports every difference.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Min, Q, Sum
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.enterprises.models import Enterprise, Sector
from anjian.org.models import Membership
from anjian.stats import indicators as reg
from anjian.stats.indicators import BASE, Indicator, Period, bucket, bucket_start, month_ends, staff_on, state_rows, valid_state
from anjian.stats.models import Grain, Rollup, RollupWatermark

WATERMARK = "rollups"
# An audit event is stamped when it is built, inside the transaction of the action; one that
# commits after a refresh started may carry an earlier time (a ledger import's transaction runs
# for minutes). Events this recent are read again; those already read are skipped (``seen``).
AUDIT_MARGIN = dt.timedelta(minutes=30)
ONE_DAY = dt.timedelta(days=1)

# A unit's changes (sectors, jurisdiction, status, hazard sources) may move every figure that counts it.
ENTERPRISE = "enterprises.enterprise"
ORG_PREFIX = "org."


def families() -> dict[str, list[Indicator]]:
    out: dict[str, list[Indicator]] = defaultdict(list)
    for ind in BASE:
        assert ind.source is not None
        out[ind.source.family].append(ind)
    return dict(out)


# ---- computing a family's days ---------------------------------------------------------------------------


class _Acc:
    """Figures being built: (indicator, grain, day, jurisdiction, agency, sector) → value."""

    def __init__(self) -> None:
        self.v: dict[tuple[str, str, dt.date, int, int | None, str], int] = defaultdict(int)

    def add(self, name: str, day: dt.date, jur: int, agency: int | None, sector: str | None, n: int, *, grains: Iterable[str] = ("", "a")) -> None:
        for g in grains:
            if g in ("s", "as") and not sector:
                continue
            self.v[(name, g, day, jur, agency if "a" in g else None, (sector or "") if "s" in g else "")] += n

    def rows(self) -> list[Rollup]:
        return [Rollup(indicator=k[0], grain=k[1], day=k[2], jurisdiction_id=k[3], agency_id=k[4], sector=k[5], value=v) for k, v in self.v.items() if v]


PLAIN = ("", "a")
SECTORED = ("s", "as")
# The passes over a source: no sector; by sector; by sector group (a row counted once per group).
LEVELS = (("", PLAIN), ("code", SECTORED), ("group", SECTORED))


def _grouped(ind: Indicator, qs: Any, *fields: str, level: str) -> Iterable[dict[str, Any]]:
    """``qs`` grouped by ``fields`` plus jurisdiction and agency (and sector or sector group)."""
    src = ind.source
    assert src is not None
    keys = {"_j": F(src.jurisdiction), "_a": F(src.agency)}
    if level:
        keys["_s"] = F(src.sectors if level == "code" else src.groups)
    return qs.order_by().values(*fields, **keys).annotate(_n=Count("pk", distinct=level == "group"))


def _compute_flow(acc: _Acc, ind: Indicator, start: dt.date, end: dt.date) -> None:
    qs = ind.period_rows(start, end)
    for level, grains in LEVELS:
        if ind.kind == "sum":
            assert ind.value is not None and ind.source is not None
            keys = {"_j": F(ind.source.jurisdiction), "_a": F(ind.source.agency)}
            if level:
                keys["_s"] = F(ind.source.sectors if level == "code" else ind.source.groups)
            for row in qs.order_by().values(ind.date, "pk", *ind.value_fields, **keys).distinct():
                acc.add(ind.key, row[ind.date], row["_j"], row["_a"], row.get("_s"), ind.value(row), grains=grains)
        else:
            for row in _grouped(ind, qs, ind.date, level=level):
                acc.add(ind.key, row[ind.date], row["_j"], row["_a"], row.get("_s"), row["_n"], grains=grains)


def _sectors_of(enterprise_ids: Any) -> dict[int, list[str]]:
    """Each unit's sectors and sector groups (a group once)."""
    groups = dict(Sector.objects.values_list("code", "group_id"))
    out: dict[int, list[str]] = defaultdict(list)
    link = Enterprise.sectors.through.objects.filter(enterprise_id__in=enterprise_ids)
    for ent, code in link.values_list("enterprise_id", "sector_id"):
        out[ent].append(code)
    for codes in out.values():
        codes += sorted({groups[c] for c in codes if c in groups})
    return out


def _compute_distinct(acc: _Acc, ind: Indicator, start: dt.date, end: dt.date) -> None:
    src = ind.source
    assert src is not None and ind.rows is not None
    touched = ind.period_rows(start, end).order_by().values(src.enterprise)
    # Every event of the touched units since the start of the year of ``start``: a unit's first
    # event of a month, quarter or year may lie before ``start``.
    rows = list(
        ind.rows()
        .filter(**{f"{ind.date}__gte": bucket_start(start, "y"), f"{ind.date}__lte": end, f"{src.enterprise}__in": touched})
        .order_by()
        .values_list(src.enterprise, src.jurisdiction, src.agency, ind.date)
        .distinct()
    )
    sectors = _sectors_of(touched)
    for g in ("m", "q", "y"):
        name = f"{ind.key}@{g}"
        first: dict[tuple[Any, ...], dt.date] = {}
        first_a: dict[tuple[Any, ...], dt.date] = {}
        for ent, jur, agency, day in rows:
            b = bucket(day, g)
            k = (ent, jur, b)
            if k not in first or day < first[k]:
                first[k] = day
            ka = (ent, jur, agency, b)
            if ka not in first_a or day < first_a[ka]:
                first_a[ka] = day
        for (ent, jur, _b), day in first.items():
            if start <= day <= end:
                acc.add(name, day, jur, None, None, 1, grains=("",))
                for s in sectors.get(ent, []):
                    acc.add(name, day, jur, None, s, 1, grains=("s",))
        for (ent, jur, agency, _b), day in first_a.items():
            if start <= day <= end:
                acc.add(name, day, jur, agency, None, 1, grains=("a",))
                for s in sectors.get(ent, []):
                    acc.add(name, day, jur, agency, s, 1, grains=("as",))


def _compute_cohort(acc: _Acc, ind: Indicator, start: dt.date, end: dt.date) -> None:
    assert ind.rows is not None
    qs = ind.rows().filter(**{f"{ind.date}__gte": start, f"{ind.date}__lte": end})
    for level, grains in LEVELS:
        for row in _grouped(ind, qs, ind.date, ind.origin, level=level):
            left, entered = row[ind.date], row[ind.origin]
            for g in ("m", "q", "y"):
                if bucket(entered, g) == bucket(left, g):
                    acc.add(f"{ind.key}@{g}", left, row["_j"], row["_a"], row.get("_s"), row["_n"], grains=grains)


def snapshot_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return sorted({*month_ends(start, end), end})


def _compute_state(acc: _Acc, ind: Indicator, start: dt.date, end: dt.date) -> None:
    assert ind.rows is not None
    before = start - ONE_DAY
    base = valid_state(ind, ind.rows())
    days = snapshot_days(start, end)
    for cut, grains in LEVELS:
        level: dict[tuple[int, int, str | None], int] = defaultdict(int)
        for row in _grouped(ind, valid_state(ind, state_rows(ind, before)), level=cut):
            level[(row["_j"], row["_a"], row.get("_s"))] += row["_n"]
        deltas: dict[tuple[int, int, str | None], list[tuple[dt.date, int]]] = defaultdict(list)
        for field_name, sign in ((ind.start, 1), (ind.end, -1)):
            moved = base.filter(**{f"{field_name}__gte": start, f"{field_name}__lte": end})
            for row in _grouped(ind, moved, field_name, level=cut):
                deltas[(row["_j"], row["_a"], row.get("_s"))].append((row[field_name], sign * row["_n"]))
        for key in set(level) | set(deltas):
            if cut and not key[2]:
                continue
            changes = sorted(deltas.get(key, []))
            value, i = level.get(key, 0), 0
            for day in days:
                while i < len(changes) and changes[i][0] <= day:
                    value += changes[i][1]
                    i += 1
                if value:
                    acc.add(ind.key, day, key[0], key[1], key[2], value, grains=grains)


def _compute_staff(acc: _Acc, inds: list[Indicator], start: dt.date, end: dt.date) -> None:
    days = snapshot_days(start, end)
    found = staff_on(days)
    for ind in inds:
        for day in days:
            for (jur, agency), members in found.members(ind.key, day).items():
                acc.add(ind.key, day, jur, agency, None, len(members), grains=PLAIN)


def compute(family: str, start: dt.date, end: dt.date) -> list[Rollup]:
    """The rollup rows of one family's indicators for the days ``start``–``end``."""
    acc = _Acc()
    inds = families()[family]
    if family == "staff":
        _compute_staff(acc, inds, start, end)
        return acc.rows()
    for ind in inds:
        if ind.kind in ("count", "sum"):
            _compute_flow(acc, ind, start, end)
        elif ind.kind == "distinct":
            _compute_distinct(acc, ind, start, end)
        elif ind.kind == "cohort":
            _compute_cohort(acc, ind, start, end)
        elif ind.kind == "state":
            _compute_state(acc, ind, start, end)
    return acc.rows()


def write(family: str, start: dt.date, end: dt.date) -> int:
    """Replace the family's rows for ``start``–``end`` (idempotent: the same days give the same rows)."""
    rows = compute(family, start, end)
    names = [n for ind in families()[family] for n in ind.stored]
    Rollup.objects.filter(indicator__in=names, day__gte=start, day__lte=end).delete()
    Rollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# ---- when each family must be recomputed -------------------------------------------------------------------


def _date_fields(ind: Indicator) -> list[str]:
    return [f for f in (ind.date, ind.origin, ind.start) if f]


def earliest(family: str, where: Callable[[Indicator], dict[str, Any] | None] | None = None) -> dt.date | None:
    """The first day a figure of the family depends on; with ``where``, for the rows it selects
    (per indicator; None leaves the indicator out). Each family has an indicator over all its
    rows dated by their first date (hazards found, transfers sent …), so the minimum over the
    family's date fields covers every figure a changed row is in."""
    if family == "staff":
        first = Membership.objects.aggregate(d=Min("valid_from"))["d"]
        return max(first, reg.FLOOR) if first else None
    days = []
    for ind in families()[family]:
        assert ind.rows is not None and ind.source is not None
        qs = ind.rows()
        if where is not None:
            lookup = where(ind)
            if lookup is None:
                continue
            qs = qs.filter(**lookup)
        got = qs.order_by().aggregate(**{f"d{i}": Min(f) for i, f in enumerate(_date_fields(ind))})
        days += [d for d in got.values() if d is not None]
    return max(min(days), reg.FLOOR) if days else None


def _ids(values: Iterable[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) <= 18]


def dirty_from(changed: dict[str, set[str]]) -> dict[str, dt.date]:
    """Per family, the earliest day whose figures the audited changes may have altered."""
    out: dict[str, dt.date] = {}
    fams = families()

    def note(family: str, day: dt.date | None) -> None:
        if day is not None and family in fams:
            out[family] = min(day, out.get(family, day))

    if any(t.startswith(ORG_PREFIX) for t in changed):
        note("staff", earliest("staff"))

    def audited(ind: Indicator) -> dict[str, Any] | None:
        assert ind.source is not None
        ids = sorted({i for t in ind.source.audited for i in _ids(changed.get(t, ()))})
        return {f"{ind.source.audit_path}__in": ids} if ids else None

    for family in fams:
        if family != "staff" and any(audited(ind) for ind in fams[family]):
            note(family, earliest(family, audited))
    ent_ids = _ids(changed.get(ENTERPRISE, ()))
    if ent_ids:
        # A unit's sectors, jurisdiction, status or hazard sources changed: every figure that
        # counted it may move, from its first record on. A deleted unit had no records (the
        # ledger refuses that) but was in the ledger: that family is recomputed from its start.
        if Enterprise.objects.filter(pk__in=ent_ids).count() < len(set(ent_ids)):
            note("ledger", earliest("ledger"))
        for family in fams:
            if family != "staff":
                note(family, earliest(family, lambda ind: {f"{ind.source.enterprise}__in": ent_ids} if ind.source else None))
    return out


@dataclass
class RefreshResult:
    through: dt.date | None
    recomputed: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)
    rows: int = 0


def _changes(wm: RollupWatermark) -> tuple[dict[str, set[str]], list[tuple[int, dt.datetime]]]:
    """Audit events since the last refresh (not read before), by object type; and every event
    read (id, time), so that the refresh can remember the recent ones as seen."""
    if wm.at is None:
        return {}, []
    seen = set(wm.seen or [])
    changed: dict[str, set[str]] = defaultdict(set)
    read = []
    for pk, at, otype, oid in AuditEvent.objects.filter(at__gte=wm.at - AUDIT_MARGIN).order_by().values_list("pk", "at", "object_type", "object_id"):
        read.append((pk, at))
        if pk not in seen:
            changed[otype].add(oid)
    return dict(changed), read


def refresh(*, upto: dt.date | None = None, full: bool = False, today_too: bool = False) -> RefreshResult:
    """Bring the rollups up to ``upto`` (default today). Idempotent; cheap when nothing changed
    (two queries). ``full``: recompute everything; ``today_too``: recompute today in any case (the
    daily task, after the overdue sweep, which writes no audit event)."""
    today = timezone.localdate()
    upto = min(upto or today, today)
    wm = RollupWatermark.objects.filter(name=WATERMARK).first() or RollupWatermark(name=WATERMARK)
    changed, _ = _changes(wm)
    if not full and not today_too and not changed and wm.through is not None and wm.through >= upto:
        return RefreshResult(through=wm.through)
    with transaction.atomic():
        RollupWatermark.objects.get_or_create(name=WATERMARK)
        wm = RollupWatermark.objects.select_for_update().get(name=WATERMARK)
        started = timezone.now()
        changed, audit_read = _changes(wm)
        if full or wm.at is None:
            # Everything is computed from the tables as they are now: the recent events are in it
            # (a second refresh must not read them again as changes).
            audit_read = list(AuditEvent.objects.filter(at__gte=started - AUDIT_MARGIN).order_by().values_list("pk", "at"))
        result = RefreshResult(through=wm.through)
        end = max(upto, wm.through or upto)
        dirty = {} if full or wm.through is None else dirty_from(changed)
        for family in families():
            if full or wm.through is None:
                start = earliest(family)
            else:
                candidates = [wm.through + ONE_DAY]
                if today_too and end >= today:
                    candidates.append(today)
                if family in dirty:
                    candidates.append(dirty[family])
                start = min(candidates)
            if start is None or start > end:
                continue
            result.rows += write(family, start, end)
            result.recomputed[family] = (start, end)
        wm.through = end
        # Only the events read above count as seen: one committed since is read next time.
        wm.seen = sorted(pk for pk, at in audit_read if at >= started - AUDIT_MARGIN)
        wm.at = started
        wm.save()
        result.through = end
    return result


def rebuild() -> RefreshResult:
    """Recompute every rollup from the raw tables (after a bulk load that wrote no audit events)."""
    with transaction.atomic():
        Rollup.objects.all().delete()
        RollupWatermark.objects.filter(name=WATERMARK).delete()
    return refresh(full=True)


def through() -> dt.date | None:
    wm = RollupWatermark.objects.filter(name=WATERMARK).first()
    return wm.through if wm else None


# ---- reading figures -------------------------------------------------------------------------------------------


@dataclass
class Figure:
    value: int | Decimal | None
    numerator: int | None = None
    denominator: int | None = None


def _combine(ind: Indicator, num: int, den: int) -> Figure:
    if not den:
        return Figure(None, num, den)
    q = Decimal(num * 100 if ind.kind == "ratio" else num) / Decimal(den)
    return Figure(q.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), num, den)


BY_FIELD = {"district": "jurisdiction_id", "agency": "agency_id", "sector": "sector", "group": "sector"}


def _base_figures(ind: Indicator, period: Period, as_of: dt.date, *, jurisdictions: Iterable[int], agency: int | None, sector: str | None, by: str) -> tuple[int, dict[Any, int]]:
    grain = ("a" if agency or by == "agency" else "") + ("s" if sector or by in ("sector", "group") else "")
    qs = Rollup.objects.filter(grain=grain, jurisdiction_id__in=sorted(jurisdictions))
    if agency:
        qs = qs.filter(agency_id=agency)
    if sector:
        qs = qs.filter(sector=sector)
    if ind.is_state:
        days = snapshot_days(period.start, as_of) if by == "month" else [as_of]
        qs = qs.filter(indicator=ind.key, day__in=days)
    else:
        qs = qs.filter(indicator=ind.stored_name("m" if by == "month" else period.grain), day__gte=period.start, day__lte=as_of)
    groups: dict[Any, int] = defaultdict(int)
    if not by:
        return qs.aggregate(v=Sum("value"))["v"] or 0, {}
    if by == "month":
        for day, v in qs.order_by().values("day").annotate(v=Sum("value")).values_list("day", "v"):
            groups[f"{day:%Y-%m}"] += v
    else:
        for k, v in qs.order_by().values(BY_FIELD[by]).annotate(v=Sum("value")).values_list(BY_FIELD[by], "v"):
            groups[k] += v
    if by == "district":
        return sum(groups.values()), dict(groups)  # every figure is a sum over jurisdictions
    # Not the sum of the groups: a unit in two sectors (inspected by two agencies, in two months
    # of the quarter) counts once in the total; a state's total is its last day's.
    total, _ = _base_figures(ind, period, as_of, jurisdictions=jurisdictions, agency=agency, sector=sector, by="")
    return total, dict(groups)


def figures(
    ind: Indicator, period: Period, as_of: dt.date, *, jurisdictions: Iterable[int], agency: int | None = None, sector: str | None = None, by: str = ""
) -> tuple[Figure, dict[Any, Figure]]:
    """The period's figure (and one per group of ``by``), read from the rollups."""
    jurisdictions = list(jurisdictions)
    if ind.derived:
        n_total, n_rows = _base_figures(reg.REGISTRY[ind.numerator], period, as_of, jurisdictions=jurisdictions, agency=agency, sector=sector, by=by)
        d_total, d_rows = _base_figures(reg.REGISTRY[ind.denominator], period, as_of, jurisdictions=jurisdictions, agency=agency, sector=sector, by=by)
        keys = set(n_rows) | set(d_rows)
        return _combine(ind, n_total, d_total), {k: _combine(ind, n_rows.get(k, 0), d_rows.get(k, 0)) for k in keys}
    total, rows = _base_figures(ind, period, as_of, jurisdictions=jurisdictions, agency=agency, sector=sector, by=by)
    return scaled(ind, total), {k: scaled(ind, v) for k, v in rows.items()}


def by_agency(
    inds: Iterable[Indicator], period: Period, as_of: dt.date, *, jurisdictions: Iterable[int]
) -> tuple[dict[str, Figure], dict[str, dict[int, Figure]]]:
    """Several indicators at once, for the whole of ``jurisdictions`` and per owning agency (the
    periodic returns): two queries per grain, the same sums as ``figures`` (the agency grain "a",
    and the total grain for the whole, so that a unit inspected by two bureaus counts once in it)."""
    inds = list(inds)
    base: dict[str, Indicator] = {}
    for ind in inds:
        for key in (ind.numerator, ind.denominator) if ind.derived else (ind.key,):
            base[key] = reg.REGISTRY[key]
    flows = {b.stored_name(period.grain): b.key for b in base.values() if not b.is_state}
    states = [b.key for b in base.values() if b.is_state]
    jurisdictions = sorted(jurisdictions)
    totals: dict[str, int] = defaultdict(int)
    rows: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for grain in ("", "a"):
        qs = Rollup.objects.filter(grain=grain, jurisdiction_id__in=jurisdictions).order_by()
        for where in (
            {"indicator__in": sorted(flows), "day__gte": period.start, "day__lte": as_of},
            {"indicator__in": states, "day": as_of},
        ):
            if not where["indicator__in"]:
                continue
            fields = ("indicator", "agency_id") if grain else ("indicator",)
            for rec in qs.filter(**where).values(*fields).annotate(v=Sum("value")):
                key = flows.get(rec["indicator"], rec["indicator"])
                if grain:
                    rows[key][rec["agency_id"]] += rec["v"]
                else:
                    totals[key] += rec["v"]
    agencies = {a for per in rows.values() for a in per}

    def one(ind: Indicator, pick: Callable[[str], int]) -> Figure:
        if ind.derived:
            return _combine(ind, pick(ind.numerator), pick(ind.denominator))
        return scaled(ind, pick(ind.key))

    out_total = {ind.key: one(ind, lambda k: totals.get(k, 0)) for ind in inds}
    out_rows = {ind.key: {a: one(ind, lambda k, a=a: rows[k].get(a, 0)) for a in agencies} for ind in inds}
    return out_total, out_rows


def scaled(ind: Indicator, value: int) -> Figure:
    return Figure(value if ind.scale == 1 else (Decimal(value) / ind.scale).quantize(Decimal(1) / ind.scale))


# ---- the check -------------------------------------------------------------------------------------------------


@dataclass
class Difference:
    indicator: str
    period: str
    cut: str
    jurisdiction: int
    key: Any
    rollup: int
    raw: int

    def __str__(self) -> str:
        where = f"辖区{self.jurisdiction}" + (f"，{self.cut}={self.key}" if self.cut else "")
        return f"{self.indicator} {self.period} {where}：汇总 {self.rollup}，原始 {self.raw}"


def _periods(start: dt.date, end: dt.date) -> list[tuple[str, Period]]:
    """Every month, quarter and year overlapping ``start``–``end``, as periods."""
    out: dict[str, Period] = {}
    for me in month_ends(start.replace(day=1), reg.month_end(end.year, end.month)):
        for code in (f"{me:%Y-%m}", f"{me.year}-Q{(me.month - 1) // 3 + 1}", f"{me.year}"):
            if code not in out:
                out[code] = reg.parse_period(code, today=max(end, me))
    return sorted(out.items())


def check(start: dt.date, end: dt.date) -> list[Difference]:
    """Compare, for every month, quarter and year from ``start`` to ``end`` (up to the day the
    rollups reach), every base indicator's rollup figures with the raw recount, per jurisdiction
    and per jurisdiction × agency and × sector."""
    last = through()
    if last is None:
        return []
    end = min(end, last)
    out: list[Difference] = []
    for code, period in _periods(start, end):
        as_of = min(period.end, last)
        for ind in BASE:
            for dim in ("", "agency", "sector"):
                if dim == "sector" and "sector" not in ind.cuts:
                    continue
                raw = reg.raw_figures(ind, period.start, as_of, dim)
                grain = {"": Grain.TOTAL, "agency": Grain.AGENCY, "sector": Grain.SECTOR}[dim]
                qs = Rollup.objects.filter(grain=grain)
                if ind.is_state:
                    qs = qs.filter(indicator=ind.key, day=as_of)
                else:
                    qs = qs.filter(indicator=ind.stored_name(period.grain), day__gte=period.start, day__lte=as_of)
                cut_field = {"": None, "agency": "agency_id", "sector": "sector"}[dim]
                stored: dict[tuple[Any, Any], int] = defaultdict(int)
                fields = ["jurisdiction_id"] + ([cut_field] if cut_field else [])
                for row in qs.order_by().values(*fields).annotate(v=Sum("value")):
                    stored[(row["jurisdiction_id"], row[cut_field] if cut_field else None)] += row["v"]
                for k in sorted(set(raw) | set(stored), key=str):
                    if raw.get(k, 0) != stored.get(k, 0):
                        out.append(Difference(ind.key, code, dim, k[0], k[1], stored.get(k, 0), raw.get(k, 0)))
    return out


__all__ = ["Figure", "Q", "check", "figures", "rebuild", "refresh"]
