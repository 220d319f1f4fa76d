"""Reads of the planning app: the facts handed to ``anjian.law.planning``, and the scoped lists.

Every read of a plan goes through ``AnnualPlan.objects.for_user`` (a district sees its own plans,
the city all of the city's); another district's plan is a 404 (``get_for_user``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from anjian.core.scoping import get_for_user, scope_for
from anjian.enterprises.choices import DeclaredStatus, WorseEnd
from anjian.enterprises.classification import ClassTable
from anjian.enterprises.models import Enterprise, GradingScheme, MajorHazardSource, PlannedSubject
from anjian.law import planning as pl
from anjian.law.calendar import WorkCalendar
from anjian.legal import lawcal
from anjian.org.choices import CertificateEventKind, Role, StaffKind
from anjian.org.models import Agency, Certificate, CertificateEvent, Membership
from anjian.planning.choices import IN_FORCE, PlanStatus
from anjian.planning.models import AnnualPlan, CapacityInput, GradingProfile, GradingProfileVersion, PlanItem

DEFAULT_WORKDAYS = {"hazchem": "2", "mine": "2", "industry": "1", "other": "1"}
DEFAULT_RESERVE = Decimal("0.10")
DEFAULT_KEY_SHARE = Decimal("0.60")

# Open major hazards per unit come from ``anjian.hazards`` (a layer above): it registers a provider
# at start-up (hazards/apps.py), as it does for the ledger's measures.
_open_major_hazards: list[Callable[[Iterable[int]], dict[int, int]]] = []


def register_open_major_hazards_provider(fn: Callable[[Iterable[int]], dict[int, int]]) -> None:
    if fn not in _open_major_hazards:
        _open_major_hazards.append(fn)


# The officers of each unit's last inspection come from ``anjian.inspections`` (a layer above), for
# the draw's conflict avoidance (回避); registered at start-up (inspections/apps.py).
_last_inspectors: list[Callable[[Any], dict[int, list[int]]]] = []


def register_last_inspectors_provider(fn: Callable[[Any], dict[int, list[int]]]) -> None:
    if fn not in _last_inspectors:
        _last_inspectors.append(fn)


def last_inspectors(unit_ids: Iterable[int] | QuerySet[Any]) -> dict[int, list[int]]:
    """``unit_ids``: ids, or a queryset of ids (handed to the providers as a subquery)."""
    ids: Any = unit_ids if hasattr(unit_ids, "query") else list(unit_ids)
    out: dict[int, list[int]] = {}
    for provider in _last_inspectors:
        for k, v in provider(ids).items():
            out.setdefault(k, []).extend(v)
    return out


def calendar() -> WorkCalendar:
    return lawcal.work_calendar()


# --- capacity ---------------------------------------------------------------------------------------
def officer_spans(agency: Agency, year: int) -> list[pl.OfficerSpans]:
    """The officers of ``agency`` in ``year``: civil servants whose membership grants the officer
    role, counted while a membership and an enforcement certificate are both valid (LEGAL.md §8).
    Three queries whatever the number of officers."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    memberships = list(
        Membership.objects.filter(agency=agency, staff__kind=StaffKind.CIVIL_SERVANT, role_grants__role=Role.OFFICER, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .select_related("staff")
        .distinct()
    )
    staff_ids = {m.staff_id for m in memberships}
    certs: dict[int, list[tuple[dt.date, dt.date]]] = {}
    ends: dict[int, dt.date] = {}
    for ev in CertificateEvent.objects.filter(certificate__staff_id__in=staff_ids, kind__in=[CertificateEventKind.REVOKED, CertificateEventKind.EXPIRED]):
        ends[ev.certificate_id] = min(ends.get(ev.certificate_id, ev.date), ev.date)
    for c in Certificate.objects.filter(staff_id__in=staff_ids, valid_from__lte=last, valid_to__gte=first):
        end = c.valid_to if c.pk not in ends else min(c.valid_to, ends[c.pk] - dt.timedelta(days=1))
        certs.setdefault(c.staff_id, []).append((c.valid_from, end))
    by_staff: dict[int, tuple[str, list[tuple[dt.date, dt.date]]]] = {}
    for m in memberships:
        m_end = m.valid_to or last
        name, spans = by_staff.setdefault(m.staff_id, (m.staff.name, []))
        for c_from, c_to in certs.get(m.staff_id, []):
            a, b = max(m.valid_from, c_from), min(m_end, c_to)
            if a <= b:
                spans.append((a, b))
    return [pl.OfficerSpans(name, tuple(spans)) for name, spans in sorted(by_staff.values())]


def capacity_input(agency: Agency, year: int) -> CapacityInput:
    """The stored inputs, or unsaved defaults when the bureau has entered none for the year."""
    row = CapacityInput.objects.filter(owner_agency=agency, year=year).first()
    if row is None:
        row = CapacityInput(
            owner_agency=agency, jurisdiction_id=agency.jurisdiction_id, year=year, deductions={}, workdays_per_inspection=dict(DEFAULT_WORKDAYS),
            reserve_share=DEFAULT_RESERVE, key_share=DEFAULT_KEY_SHARE,
        )  # fmt: skip
    return row


def workdays_map(row: CapacityInput) -> dict[str, Decimal]:
    data = {**DEFAULT_WORKDAYS, **(row.workdays_per_inspection or {})}
    return {k: Decimal(str(v)) for k, v in data.items()}


def capacity_for(agency: Agency, year: int, *, cal: WorkCalendar | None = None) -> tuple[CapacityInput, pl.Capacity]:
    row = capacity_input(agency, year)
    cap = pl.capacity(
        cal=cal or calendar(), year=year, officers=officer_spans(agency, year), deductions=row.deductions or {},
        reserve_share=row.reserve_share, key_share=row.key_share, officers_per_inspection=row.officers_per_inspection,
    )  # fmt: skip
    return row, cap


# --- grading profile -----------------------------------------------------------------------------
def province_of(agency: Agency) -> str:
    return agency.jurisdiction.code[:2] + "0000"


def profile_for(agency: Agency) -> GradingProfile | None:
    """The province's own active profile, else the shipped sample (示例配置)."""
    rows = list(GradingProfile.objects.filter(active=True, province__in=[province_of(agency), ""]))
    rows.sort(key=lambda p: (p.province == "", p.code))
    return rows[0] if rows else None


def profiles_visible(user: Any) -> QuerySet[GradingProfile]:
    """The profiles a user of a bureau may read: the sample (示例配置) and their own province's.
    Another province's profile is not theirs to see (a 404, ``profile_get``)."""
    from anjian.legal import authority

    # Configuration, not business rows: the separated system administrator (三员分立), who runs the
    # configuration but reads no business record, sees them too.
    scope = scope_for(user)
    if scope.agency_id is None:
        return GradingProfile.objects.none()
    province = authority.province_code(authority.actor_jurisdiction_code(user) or "") or ""
    return GradingProfile.objects.filter(province__in=["", province]).select_related("updated_by").order_by("-province", "code")


def profile_get(*, user: Any, pk: Any) -> GradingProfile:
    from anjian.core.errors import NotFound
    from anjian.core.ids import parse_id

    n = parse_id(pk)
    row = profiles_visible(user).filter(pk=n).first() if n is not None else None
    if row is None:
        raise NotFound()
    return row


def profile_versions(profile: GradingProfile) -> QuerySet[GradingProfileVersion]:
    return profile.versions.select_related("created_by").order_by("-version")


# --- the units of a plan -----------------------------------------------------------------------------
def subject_units(agency: Agency, year: int) -> QuerySet[Enterprise]:
    """Units whose planned subject (一企一主体) is ``agency`` for some part of ``year``, not closed."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    subjects = PlannedSubject.objects.filter(agency=agency, valid_from__lte=last).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
    return Enterprise.objects.filter(pk__in=subjects.values("enterprise_id")).exclude(declared_status=DeclaredStatus.CLOSED).order_by("name", "id")


def unit_facts(agency: Agency, year: int) -> list[pl.UnitFacts]:
    """The facts of every unit of the plan, in a fixed number of queries."""
    table = ClassTable.load()
    schemes = {s.pk: s for s in GradingScheme.objects.all()}
    units = subject_units(agency, year)
    rows = list(units.values_list("id", "name", "class_bits", "risk_scheme_id", "risk_grade", "standardization_level"))
    ids = [r[0] for r in rows]
    # Major hazard sources are few (a city registers hundreds to a few thousand): counted per unit
    # over the whole table and kept for the plan's units here, not joined to 100,000 units (issue 13 Speed).
    wanted = set(ids)
    mhs = {e: n for e, n in MajorHazardSource.objects.values("enterprise_id").annotate(n=Count("id")).values_list("enterprise_id", "n") if e in wanted}
    open_major: dict[int, int] = {}
    for provider in _open_major_hazards:
        for k, v in provider(ids).items():
            open_major[k] = open_major.get(k, 0) + v
    out = []
    facts, mhs_get, open_get = pl.UnitFacts, mhs.get, open_major.get
    # Units share a few classifications and grades: each distinct one is decoded once (100,000 units, issue 13 Speed).
    classes: dict[int, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
    ranks: dict[tuple[Any, str], tuple[int, bool]] = {}
    for pk, name, bits, scheme_id, grade, std in rows:
        cls = classes.get(bits)
        if cls is None:
            secs = frozenset(e.code for e in table.sectors_of(bits))
            cls = classes[bits] = (secs, frozenset(e.code for e in table.features_of(bits)), frozenset(s.split(".")[0] for s in secs))
        sectors, features, groups = cls
        rw = ranks.get((scheme_id, grade))
        if rw is None:
            rank, worst = 0, False
            scheme = schemes.get(scheme_id) if scheme_id else None
            if scheme is not None and grade in scheme.grades:
                grades = list(scheme.grades) if scheme.worse_end == WorseEnd.LAST else list(reversed(scheme.grades))
                rank = grades.index(grade)
                worst = rank == len(grades) - 1
            rw = ranks[(scheme_id, grade)] = (rank, worst)
        rank, worst = rw
        # Positional: the field order of ``pl.UnitFacts`` (a named tuple, cheap to make 100,000 of).
        out.append(facts(pk, name, groups, sectors, features, grade, worst, rank, std, mhs_get(pk, 0), open_get(pk, 0)))
    return out


# --- plans --------------------------------------------------------------------------------------------
def plan_list(*, user: Any, year: int | None = None) -> QuerySet[AnnualPlan]:
    qs = AnnualPlan.objects.for_user(user).select_related("owner_agency", "created_by", "approved_by").annotate(n_items=Count("items"))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "owner_agency__jurisdiction__code", "-version")


def plan_get(*, user: Any, pk: Any) -> AnnualPlan:
    return get_for_user(AnnualPlan.objects.select_related("owner_agency", "jurisdiction", "created_by", "submitted_by", "approved_by", "previous", "profile", "profile_version"), user, pk)


def plan_items(plan: AnnualPlan) -> QuerySet[PlanItem]:
    return plan.items.select_related("department").order_by("-key", "-frequency", "enterprise_name", "id")


def plan_conflicts(plan: AnnualPlan) -> list[pl.Conflict]:
    """This plan's units checked against every other current plan of the same year (the city's and
    the districts'): a unit planned by two agencies, or over its cap across them, is flagged with
    both plans named. Inspections outside any plan are exempt from the cap (LEGAL.md §6)."""
    # The other agencies' current plans of the year, the latest version of each (an approved plan
    # stays in force while its revision is prepared: counting both would double the unit's
    # inspections). Usually none or a few; then only the units both plans hold are read, found by
    # intersecting the two id sets here: a join or an IN list over 100,000 units is at the mercy of
    # the planner's statistics, which a freshly generated plan has not got yet.
    latest: dict[int, tuple[int, int]] = {}
    for pk, agency_id, version in (
        AnnualPlan.objects.filter(year=plan.year)
        .exclude(status=PlanStatus.SUPERSEDED)
        .exclude(owner_agency_id=plan.owner_agency_id)
        .values_list("id", "owner_agency_id", "version")
    ):
        if agency_id not in latest or version > latest[agency_id][1]:
            latest[agency_id] = (pk, version)
    other_ids = [pk for pk, _v in latest.values()]
    if not other_ids:
        return []
    theirs = set(PlanItem.objects.filter(plan_id__in=other_ids, count__gt=0).values_list("enterprise_id", flat=True).iterator(chunk_size=10000))
    common = theirs.intersection(plan.items.filter(count__gt=0).values_list("enterprise_id", flat=True).iterator(chunk_size=10000)) if theirs else set()
    if not common:
        return []
    items = PlanItem.objects.filter(plan_id__in=[*other_ids, plan.pk], enterprise_id__in=sorted(common), count__gt=0).select_related("plan__owner_agency")
    return pl.conflicts([_planned(i, i.plan) for i in items])


def _planned(item: PlanItem, plan: AnnualPlan) -> pl.PlannedCount:
    label = f"{plan.owner_agency.short_name}{plan.year}年度计划（第{plan.version}版，{plan.get_status_display()}）"
    return pl.PlannedCount(item.enterprise_id, item.enterprise_name, plan.pk, label, plan.owner_agency_id, item.count, item.cap)


def may_plan(user: Any) -> bool:
    return scope_for(user).has_role(Role.OFFICER, Role.DEPT_HEAD, Role.LEADER)


# --- draws --------------------------------------------------------------------------------------------
def draw_officers(agency: Agency, day: dt.date) -> list[tuple[int, str, str]]:
    """(staff id, name, certificate number) of the agency's officers eligible on ``day``: a
    membership valid that day with the officer role, a civil servant, a certificate valid that day
    (its dated events included, LEGAL.md §8). Three queries."""
    ms = list(Membership.objects.valid_on(day).filter(agency=agency, staff__kind=StaffKind.CIVIL_SERVANT, role_grants__role=Role.OFFICER).select_related("staff").distinct())
    staff = {m.staff_id: m.staff for m in ms}
    out = []
    certs: dict[int, list[Certificate]] = {}
    for c in Certificate.objects.filter(staff_id__in=list(staff)).prefetch_related("events").order_by("-valid_to"):
        certs.setdefault(c.staff_id, []).append(c)
    for sid, s in sorted(staff.items()):
        for c in certs.get(sid, []):
            if c.status_on(day, list(c.events.all()))[0]:
                out.append((sid, s.name, c.number))
                break
    return out


def draw_list(*, user: Any) -> QuerySet[Any]:
    from anjian.planning.models import Draw

    # The pools and the result may hold tens of thousands of ids: a list reads the counts from the
    # commitment instead.
    heavy = ("units", "unit_names", "officers", "officer_names", "exclusions", "result")
    return Draw.objects.for_user(user).select_related("owner_agency", "created_by").defer(*heavy).order_by("-created_at", "-id")


def draw_get(*, user: Any, pk: Any) -> Any:
    from anjian.planning.models import Draw

    return get_for_user(Draw.objects.select_related("owner_agency", "created_by", "drawn_by"), user, pk)


def draw_exclusion_counts(d: Any) -> dict[str, int]:
    """How many (unit, officer) pairs each ground excluded: the public page shows the counts only
    (who declared what is not published)."""
    src = d.exclusion_sources or {}
    return {k: sum(len(v) for v in (src.get(k) or {}).values()) for k in ("last_inspection", "declared")} if src else {}


def draw_result_rows(d: Any) -> list[dict[str, Any]]:
    """The result with the names recorded at commitment (the public page shows these)."""
    return [
        {"unit": r["unit"], "unit_name": d.unit_names.get(str(r["unit"]), ""), "officers": r["officers"], "officer_names": [d.officer_names.get(str(o), "") for o in r["officers"]]}
        for r in d.result
    ]


def plan_schedule(plan: AnnualPlan) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The month-by-month schedule, in one pass over the items (one query): inspections and
    officer-workdays per month, and inspections per team (department) and month."""
    n = [0] * 13
    days = [Decimal(0)] * 13
    per_team: dict[str, list[int]] = {}
    for months, cost, team in plan.items.filter(count__gt=0).values_list("months", "cost", "department__name").iterator(chunk_size=5000):
        counts = per_team.get(team or "未指定")
        if counts is None:
            counts = per_team[team or "未指定"] = [0] * 12
        for m in months:
            if 1 <= m <= 12:
                n[m] += 1
                days[m] += cost
                counts[m - 1] += 1
    return (
        [{"month": m, "inspections": n[m], "workdays": str(days[m])} for m in range(1, 13)],
        [{"team": k, "months": v, "total": sum(v)} for k, v in sorted(per_team.items())],
    )


def plan_months(plan: AnnualPlan) -> list[dict[str, Any]]:
    """The month-by-month schedule: inspections and officer-workdays per month (one query)."""
    return plan_schedule(plan)[0]


def plan_team_months(plan: AnnualPlan) -> list[dict[str, Any]]:
    """Inspections per team (department) and month, for the schedule (one query)."""
    return plan_schedule(plan)[1]


def default_teams(agency: Agency) -> dict[str, int | None]:
    """Sector group → the department that takes it by default: the supervision department of that
    sector (局队合一), else the enforcement team, else none."""
    from anjian.org.choices import DepartmentKind
    from anjian.org.models import Department

    depts = list(Department.objects.filter(agency=agency).order_by("id"))
    enforcement = next((d.pk for d in depts if d.kind == DepartmentKind.ENFORCEMENT), None)
    out: dict[str, int | None] = {g: enforcement for g in pl.GROUP_NAMES}
    for d in depts:
        if d.kind == DepartmentKind.SUPERVISION and d.sector_group in out:
            out[d.sector_group] = d.pk
    return out


# --- execution (issue 13 item 7) ----------------------------------------------------------------------
# The completed inspections that carried out plan items come from ``anjian.inspections`` (a layer
# above, which links an inspection to a ``PlanItem``): it registers a provider at start-up
# (inspections/apps.py). ``fn(year, agency_ids, enterprise_ids or None)`` answers, per (inspecting
# agency, unit), the dates of the completed inspections linked to that agency's plan items of
# ``year`` (any version: an inspection linked to version 1 still counts once version 2 is approved).
_plan_done: list[Callable[[int, Iterable[int], Iterable[int] | None], dict[tuple[int, int], list[dt.date]]]] = []


def register_plan_done_provider(fn: Callable[[int, Iterable[int], Iterable[int] | None], dict[tuple[int, int], list[dt.date]]]) -> None:
    if fn not in _plan_done:
        _plan_done.append(fn)


def plan_done_dates(year: int, agency_ids: Iterable[int], enterprise_ids: Iterable[int] | None = None) -> dict[tuple[int, int], list[dt.date]]:
    agencies = list(agency_ids)
    units = None if enterprise_ids is None else list(enterprise_ids)
    out: dict[tuple[int, int], list[dt.date]] = {}
    for provider in _plan_done:
        for k, v in provider(year, agencies, units).items():
            out.setdefault(k, []).extend(v)
    return out


def months_as_of(year: int, today: dt.date) -> tuple[int, int]:
    """(months passed, months due) of ``year`` on ``today``: the months whose last day is before
    today, and those up to and including today's month. A past year: (12, 12); a future one: (0, 0)."""
    if today.year < year:
        return 0, 0
    if today.year > year:
        return 12, 12
    return today.month - 1, today.month


@dataclass(frozen=True)
class ItemProgress:
    """One plan item on a day.

    * ``planned``: inspections planned in the year (the item's count);
    * ``planned_to_date``: planned in the months up to and including the current month;
    * ``done``: completed inspections linked to the item (the bureau's plan of the year, this unit),
      dated on or before the day;
    * ``done_counted``: ``done`` but at most ``planned_to_date`` (an inspection ahead of its month
      does not raise the completion rate above 100 %);
    * ``overdue``: inspections planned in months that have passed (before the current month) and
      not matched by a completed inspection: ``max(0, planned in passed months − done)``. A late
      inspection clears it. An item with ``overdue > 0`` is flagged (逾期未检)."""

    item_id: int
    enterprise_id: int
    planned: int
    planned_to_date: int
    due_passed: int
    done: int
    due_this_month: bool

    @property
    def done_counted(self) -> int:
        return min(self.done, self.planned_to_date)

    @property
    def overdue(self) -> int:
        return max(0, self.due_passed - self.done)


def _rate(done: int, planned: int) -> str | None:
    """A percentage with one decimal, or None when nothing was planned to date."""
    if planned <= 0:
        return None
    return str((Decimal(done) * 100 / Decimal(planned)).quantize(Decimal("0.1")))


@dataclass
class PlanProgress:
    year: int
    as_of: dt.date
    months_passed: int
    month_due: int
    items: dict[int, ItemProgress]
    months: list[dict[str, Any]]
    teams: list[dict[str, Any]]

    @property
    def planned(self) -> int:
        return sum(i.planned for i in self.items.values())

    @property
    def planned_to_date(self) -> int:
        return sum(i.planned_to_date for i in self.items.values())

    @property
    def done(self) -> int:
        return sum(i.done for i in self.items.values())

    @property
    def done_counted(self) -> int:
        return sum(i.done_counted for i in self.items.values())

    @property
    def rate(self) -> str | None:
        return _rate(self.done_counted, self.planned_to_date)

    @property
    def overdue_ids(self) -> list[int]:
        return [i.item_id for i in self.items.values() if i.overdue > 0]

    @property
    def overdue_inspections(self) -> int:
        return sum(i.overdue for i in self.items.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year, "as_of": self.as_of.isoformat(), "months_passed": self.months_passed, "planned": self.planned,
            "planned_to_date": self.planned_to_date, "done": self.done, "done_counted": self.done_counted, "rate": self.rate,
            "overdue_items": len(self.overdue_ids), "overdue_inspections": self.overdue_inspections, "months": self.months, "teams": self.teams,
        }  # fmt: skip


def _progress(year: int, rows: Sequence[tuple[int, int, int, Any, str | None]], done: dict[tuple[int, int], list[dt.date]], today: dt.date) -> PlanProgress:
    """``rows``: (item id, agency id, unit id, months, team name) of the plan(s)."""
    passed, due = months_as_of(year, today)
    planned_m, done_m = [0] * 13, [0] * 13
    items: dict[int, ItemProgress] = {}
    teams: dict[str, list[int]] = {}
    for pk, agency_id, ent_id, months, team in rows:
        ms = [m for m in months if 1 <= m <= 12]
        dates = [d for d in done.get((agency_id, ent_id), []) if d.year == year and d <= today]
        for m in ms:
            planned_m[m] += 1
        for d in dates:
            done_m[d.month] += 1
        p = ItemProgress(
            item_id=pk, enterprise_id=ent_id, planned=len(ms), planned_to_date=sum(1 for m in ms if m <= due), due_passed=sum(1 for m in ms if m <= passed),
            done=len(dates), due_this_month=due == passed + 1 and due in ms,
        )  # fmt: skip
        items[pk] = p
        t = teams.setdefault(team or "未指定", [0, 0, 0, 0, 0])
        t[0] += p.planned
        t[1] += p.planned_to_date
        t[2] += p.done
        t[3] += p.done_counted
        t[4] += 1 if p.overdue else 0
    month_rows = [{"month": m, "planned": planned_m[m], "done": done_m[m], "passed": m <= passed} for m in range(1, 13)]
    team_rows = [
        {"team": k, "planned": v[0], "planned_to_date": v[1], "done": v[2], "done_counted": v[3], "rate": _rate(v[3], v[1]), "overdue_items": v[4]}
        for k, v in sorted(teams.items())
    ]
    return PlanProgress(year, today, passed, due, items, month_rows, team_rows)


def plan_progress(plan: AnnualPlan, today: dt.date | None = None) -> PlanProgress:
    """Planned against done for one plan, by month, team and unit (two queries whatever its size).

    Done counts the bureau's completed inspections linked to its plan items of the year (the
    inspections app records the link), dated on or before ``today``."""
    from django.utils import timezone

    today = today or timezone.localdate()
    rows = [
        (pk, plan.owner_agency_id, ent, months, team)
        for pk, ent, months, team in plan.items.filter(count__gt=0).values_list("id", "enterprise_id", "months", "department__name").iterator(chunk_size=5000)
    ]
    done = plan_done_dates(plan.year, [plan.owner_agency_id]) if rows else {}
    return _progress(plan.year, rows, done, today)


def in_force(qs: QuerySet[AnnualPlan]) -> QuerySet[AnnualPlan]:
    """The approved version per agency and year (a superseded one no longer counts)."""
    return qs.filter(status__in=IN_FORCE)


def completion(*, user: Any, year: int, today: dt.date | None = None) -> dict[str, Any]:
    """The plan completion rate the statistics read (计划完成率): over the approved plans of
    ``year`` the user may read, inspections done (counted at most as planned per unit) ÷ inspections
    planned to date (months up to and including the current one), with the overdue figures.
    Three queries whatever the number of plans."""
    from django.utils import timezone

    today = today or timezone.localdate()
    plans = list(in_force(AnnualPlan.objects.for_user(user).filter(year=year)).values_list("id", "owner_agency_id"))
    agency_of = dict(plans)
    rows = [
        (pk, agency_of[plan_id], ent, months, None)
        for pk, plan_id, ent, months in PlanItem.objects.filter(plan_id__in=list(agency_of), count__gt=0)
        .values_list("id", "plan_id", "enterprise_id", "months")
        .iterator(chunk_size=5000)
    ]
    done = plan_done_dates(year, set(agency_of.values())) if rows else {}
    p = _progress(year, rows, done, today)
    return {
        "year": year, "as_of": today.isoformat(), "plans": len(plans), "planned": p.planned, "planned_to_date": p.planned_to_date, "done": p.done,
        "done_counted": p.done_counted, "rate": p.rate, "overdue_items": len(p.overdue_ids), "overdue_inspections": p.overdue_inspections,
    }  # fmt: skip


def plan_item_offer(*, agency_id: int | None, enterprise_id: int, day: dt.date) -> list[PlanItem]:
    """The plan items a new inspection of the unit may carry out (the start form offers them): the
    item of the unit in the inspecting bureau's approved plan of ``day``'s year, when it is planned
    this month or is overdue (planned in a passed month and not yet done). Three queries at most."""
    if agency_id is None:
        return []
    items = list(
        PlanItem.objects.filter(plan__owner_agency_id=agency_id, plan__year=day.year, plan__status__in=IN_FORCE, enterprise_id=enterprise_id, count__gt=0).select_related(
            "plan__owner_agency"
        )
    )
    out = []
    for it in items:
        done = plan_done_dates(day.year, [agency_id], [enterprise_id]) if any(m < day.month for m in it.months) else {}
        p = _progress(day.year, [(it.pk, agency_id, enterprise_id, it.months, None)], done, day).items[it.pk]
        if p.due_this_month or p.overdue:
            it.progress = p  # type: ignore[attr-defined]
            out.append(it)
    return out


def plan_item_label(it: PlanItem) -> str:
    p: ItemProgress | None = getattr(it, "progress", None)
    when = "、".join(str(m) for m in it.months)
    extra = f"，逾期未检{p.overdue}次" if p is not None and p.overdue else ""
    return f"{it.plan.owner_agency.short_name}{it.plan.year}年度计划（第{it.plan.version}版）：计划{it.count}次，安排在{when}月{extra}"


# --- declared relations (回避, issue 13 item 5) -------------------------------------------------------------
RELATION_READ_ROLES = (Role.OFFICE, Role.LEADER)


def relations_visible(user: Any) -> QuerySet[Any]:
    """The user's own declarations, and for the office and the leaders every declaration of the
    bureaus in their scope (the city's office sees the districts'). Nobody else's."""
    from anjian.planning.models import DeclaredRelation

    scope = scope_for(user)
    if scope.staff_id is None:
        return DeclaredRelation.objects.none()
    own = Q(staff_id=scope.staff_id)
    if scope.has_role(*RELATION_READ_ROLES) and scope.jurisdiction_ids:
        own |= Q(jurisdiction_id__in=sorted(scope.jurisdiction_ids))
    return DeclaredRelation.objects.filter(own).select_related("staff", "enterprise", "owner_agency").order_by("ended_on", "-declared_on", "-id")


def relation_get(*, user: Any, pk: Any) -> Any:
    from anjian.core.errors import NotFound
    from anjian.core.ids import parse_id

    n = parse_id(pk)
    row = relations_visible(user).filter(pk=n).first() if n is not None else None
    if row is None:
        raise NotFound()
    return row


def declared_exclusions(unit_ids: Iterable[int], officer_ids: Iterable[int]) -> dict[int, list[int]]:
    """Unit → the pool's officers who declared a relation with it and have not ended it. One query
    over the officers' open declarations (few), kept for the pool's units here."""
    from anjian.planning.models import DeclaredRelation

    units = set(unit_ids)
    out: dict[int, set[int]] = {}
    for ent, staff in DeclaredRelation.objects.active().filter(staff_id__in=list(officer_ids)).values_list("enterprise_id", "staff_id"):
        if ent in units:
            out.setdefault(ent, set()).add(staff)
    return {k: sorted(v) for k, v in out.items()}


# --- the public page of published plans (issue 13 item 6) -------------------------------------------------
def plan_public_summary(plan: AnnualPlan) -> dict[str, Any]:
    """What may be published of a plan: the totals only (units and inspections by key/general, by
    sector group and by month). No unit's name, no person, no internal note. One query."""
    units = inspections = 0
    key = [0, 0]
    groups: dict[str, int] = {}
    months = [0] * 12
    for is_key, group, count, ms in plan.items.filter(count__gt=0).values_list("key", "group", "count", "months").iterator(chunk_size=5000):
        units += 1
        inspections += count
        if is_key:
            key[0] += 1
            key[1] += count
        groups[group] = groups.get(group, 0) + count
        for m in ms:
            if 1 <= m <= 12:
                months[m - 1] += 1
    return {
        "units": units, "inspections": inspections, "key_units": key[0], "key_inspections": key[1], "general_units": units - key[0], "general_inspections": inspections - key[1],
        "groups": [{"group": g, "label": pl.GROUP_NAMES.get(g, g), "inspections": groups[g]} for g in pl.GROUP_NAMES if g in groups], "months": months,
    }  # fmt: skip


def public_agencies() -> list[dict[str, Any]]:
    """The bureaus with a published plan or a draw, for the public index (two queries)."""
    from anjian.planning.models import Draw

    plans = dict(AnnualPlan.objects.filter(published_at__isnull=False).values("owner_agency_id").annotate(n=Count("id")).values_list("owner_agency_id", "n"))
    draws = dict(Draw.objects.values("owner_agency_id").annotate(n=Count("id")).values_list("owner_agency_id", "n"))
    rows = Agency.objects.filter(pk__in=set(plans) | set(draws)).select_related("jurisdiction").order_by("jurisdiction__code")
    return [{"agency": a, "code": a.jurisdiction.code, "plans": plans.get(a.pk, 0), "draws": draws.get(a.pk, 0)} for a in rows]


def public_plans(agency: Agency) -> list[AnnualPlan]:
    """The agency's plans ever published, newest year and version first (a published version
    replaced by a newer one stays listed, marked)."""
    return list(AnnualPlan.objects.filter(owner_agency=agency, published_at__isnull=False).only("id", "year", "version", "status", "published_at", "public_summary", "owner_agency_id").order_by("-year", "-version"))


def public_draws(agency: Agency) -> list[Any]:
    from anjian.planning.models import Draw

    heavy = ("units", "unit_names", "officers", "officer_names", "exclusions", "exclusion_sources", "result", "filters")
    return list(Draw.objects.filter(owner_agency=agency).defer(*heavy).order_by("-created_at", "-id"))
