"""The demo city's year of activity (issue 11, item 1): 2026 from 1 January up to today.

``anjian demo`` builds the ledger first (``enterprises.demo``), then the 芝罘区 penalty cases
(``cases.demo``), then this: inspections by every bureau, their findings and hazards, the
rectification orders and their service, reports, extensions, re-inspections, on-site measures and
restart reviews, and transfers to the enforcement teams (some accepted into cases).

Everything goes through the services a user's action goes through (``inspections.services``,
``hazards.services``, ``documents.services``, ``cases.services``): every rule, deadline and document
is the real one. The clock is set to each working day in turn (``time_machine``, as ``cases.demo``
does) and the day's acts are entered on it, so services that stamp "now" (audit, transfers,
documents) and refuse future dates see that day as today. The daily overdue sweep runs on every
simulated day, as the task does.

Deterministic: one ``random.Random(seed)``, the days in order, and every query ordered; the same
seed on the same date gives the same rows (``activity_digest``). The rates (``Rates``) are plain
data and the draws pure functions of a ``Random``, so the benchmark's bulk writer can reuse them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from anjian.core import audit
from anjian.core.errors import DomainError
from anjian.core.scoping import forget_scope
from anjian.documents import services as documents
from anjian.documents.models import IssuedDocument
from anjian.enterprises import demo as ledger_demo
from anjian.enterprises.choices import DeclaredStatus
from anjian.enterprises.models import Enterprise
from anjian.hazards import services as hazards
from anjian.hazards.choices import HazardSource, HazardStatus, MeasureScope, MeasureType, ReinspectionResult, Severity
from anjian.hazards.models import DeadlineExtension, Hazard, Measure, Reinspection, RestartReview, Transfer
from anjian.inspections import services as inspections
from anjian.inspections.choices import InspectionType, ItemResult, PartySignature
from anjian.inspections.models import Inspection
from anjian.law import hazards as law_hazards
from anjian.law.errors import LawError
from anjian.legal import lawcal
from anjian.org.choices import AgencyLevel, DepartmentKind, HeadKind, Role, StaffKind
from anjian.org.models import Agency, AgencyHead, Certificate, Department, Membership, Staff

TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_SCALE = 1.0


# --- the distributions (plain data: the benchmark's writer reuses them) ---------------------------
@dataclass(frozen=True)
class Rates:
    """How much happens, per officer and per hazard. ``scale`` multiplies the inspections only;
    every other rate is a share of what the inspections find."""

    # Site visits each officer takes part in per month (two officers each), re-inspections apart.
    # Sized so that the whole demo stays under two minutes on SQLite: every inspection issues its
    # record, every order and opinion is a rendered .docx (documents engine), ~0.2 s of CPU per
    # inspection with its follow-ups. ``scale`` multiplies it (the benchmark asks for more).
    inspections_per_officer_month: float = 0.9
    # (type, weight): planned and random (双随机) inspections, and the unplanned kinds.
    types: tuple[tuple[str, int], ...] = (
        (InspectionType.PLANNED, 48),
        (InspectionType.RANDOM, 30),
        (InspectionType.SPECIAL, 14),
        (InspectionType.COMPLAINT, 8),
    )
    # How many non-compliant items an inspection finds: (count, weight).
    findings: tuple[tuple[int, int], ...] = ((0, 30), (1, 25), (2, 22), (3, 14), (4, 9))
    major_share: float = 0.07  # of the hazards, on items of the major-hazard criteria
    # What becomes of a hazard once its order is served: (outcome, weight).
    outcomes: tuple[tuple[str, int], ...] = (("on_time", 68), ("late", 10), ("extended", 8), ("failed", 6), ("open", 8))
    extension_refused: float = 0.15
    served_same_day: float = 0.7  # the order is served on the day of the inspection; else 1–4 working days later
    measure_share: float = 0.75  # of the major hazards: an on-site measure (AQSCF §65(3))
    measure_served: float = 0.9
    supervised_share: float = 0.4  # of the major hazards: 挂牌督办
    opinion_served: float = 0.85  # a re-inspection opinion that passed: proof of service recorded
    transfer_share: float = 0.06  # of the inspections with findings: transferred to the enforcement team
    overdue_transfer_share: float = 0.5  # of the hazards left overdue: transferred (AQSCF §102)
    transfer_outcomes: tuple[tuple[str, int], ...] = (("accept", 60), ("case", 25), ("return", 8), ("wait", 7))


def pick(rng: random.Random, weighted: Sequence[tuple[Any, int]]) -> Any:
    """One value of ``(value, weight)`` pairs, drawn from ``rng``."""
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for value, w in weighted:
        x -= w
        if x < 0:
            return value
    return weighted[-1][0]


def inspections_on_day(rng: random.Random, rates: Rates, *, officers: int, scale: float) -> int:
    """How many inspections a bureau with ``officers`` certified officers starts on one working day."""
    mean = scale * rates.inspections_per_officer_month * officers / 2 / 21
    n = int(mean)
    return n + (1 if rng.random() < mean - n else 0)


# --- the run ------------------------------------------------------------------------------------------
@dataclass
class ActivityResult:
    seed: int
    scale: float
    first_day: dt.date
    last_day: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)  # acts the rules refused, by code (expected none)
    seconds: float = 0.0


def has_activity() -> bool:
    return Inspection.objects.exists()


def summary_line(counts: dict[str, int]) -> str:
    """What the activity generated, in Chinese (the command prints it)."""
    c = counts.get
    return (
        f"检查{c('inspections', 0)}次（计划{c('inspections_planned', 0)}、双随机{c('inspections_random', 0)}、专项{c('inspections_special', 0)}、"
        f"投诉举报核查{c('inspections_complaint', 0)}、整改复查{c('inspections_reinspection', 0)}），发现问题{c('findings', 0)}项；"
        f"隐患{c('hazards', 0)}项（重大{c('hazards_major', 0)}），已销号{c('hazards_closed', 0)}、整改中{c('hazards_rectifying', 0)}、"
        f"待复查{c('hazards_reported', 0)}、待送达指令{c('hazards_open', 0)}，逾期未整改{c('hazards_overdue_open', 0)}；"
        f"延期申请{c('extensions', 0)}件（批准{c('extensions_approved', 0)}、不予批准{c('extensions_refused', 0)}、待审批{c('extensions_pending', 0)}）；"
        f"现场处理措施{c('measures', 0)}项（已解除{c('measures_ended', 0)}），恢复生产申请{c('restart_reviews', 0)}件（待审查{c('restart_pending', 0)}）；"
        f"移交{c('transfers', 0)}件（接收{c('transfers_accepted', 0)}、退回{c('transfers_returned', 0)}、待接收{c('transfers_pending', 0)}），由移交立案{c('cases_from_transfers', 0)}件；"
        f"文书{c('documents', 0)}份，已登记送达{c('documents_served', 0)}份、待送达{c('documents_unserved', 0)}份。"
    )


def generate(
    *,
    seed: int = ledger_demo.DEFAULT_SEED,
    scale: float = DEFAULT_SCALE,
    rates: Rates | None = None,
    today: dt.date | None = None,
    first: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ActivityResult:
    """Generate the year so far into a database holding the demo city and no inspections (callers
    check ``has_activity``): every working day from ``first`` (1 January of today's year) up to
    yesterday is lived through; on ``today`` (the project's date, ``timezone.localdate``) only the
    morning's overdue sweep has run, so nothing is dated in the future and the same seed on the
    same date gives the same rows whatever the hour."""
    started = time.monotonic()
    today = today or timezone.localdate()
    first = first or dt.date(today.year, 1, 1)
    # The demo ledger stands for the register the bureau brought into anjian before the year it
    # simulates; its rows are stamped when generated (today). Left so, every period before today
    # would count no unit in the ledger and no key unit to cover, beside a year of inspections.
    entered = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(9), tzinfo=TZ)
    Enterprise.objects.filter(created_at__gt=entered).update(created_at=entered)
    sim = _Simulation(seed=seed, scale=scale, rates=rates or Rates(), today=today, first=first, say=progress or (lambda _m: None))
    sim.run()
    counts = activity_counts(today)
    admin = get_user_model().objects.filter(username=ledger_demo.ADMIN_USERNAME).first()
    city = Agency.objects.filter(level=AgencyLevel.CITY).order_by("pk").first()
    if city is not None:
        audit.record(
            actor=admin, action="demo.load", obj=city, jurisdiction_id=city.jurisdiction_id,
            after={"seed": seed, "scale": scale, "first_day": first, "last_day": today, "counts": counts, "refused": dict(sim.failures)},
            note=f"生成演示业务数据：{first:%Y年%m月%d日}至{today:%Y年%m月%d日}，随机种子{seed}，规模{scale:g}。每一项均经业务服务办理。",
        )  # fmt: skip
    counts["accounts_created"] = sim.accounts_created
    return ActivityResult(seed=seed, scale=scale, first_day=first, last_day=today, counts=counts, refused=dict(sim.failures), seconds=time.monotonic() - started)


def activity_counts(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    out: dict[str, int] = {"inspections": Inspection.objects.count()}
    for t in InspectionType.values:
        out[f"inspections_{t}"] = Inspection.objects.filter(type=t).count()
    from anjian.inspections.models import Finding

    out["findings"] = Finding.objects.count()
    out["hazards"] = Hazard.objects.count()
    out["hazards_major"] = Hazard.objects.filter(severity=Severity.MAJOR).count()
    for s in HazardStatus.values:
        out[f"hazards_{s}"] = Hazard.objects.filter(status=s).count()
    out["hazards_overdue_open"] = Hazard.objects.filter(status=HazardStatus.RECTIFYING, deadline__lt=today).count()
    out["hazards_closed_late"] = Hazard.objects.filter(status=HazardStatus.CLOSED, overdue_since__isnull=False).count()
    out["extensions"] = DeadlineExtension.objects.count()
    for s in ("approved", "refused", "pending"):
        out[f"extensions_{s}"] = DeadlineExtension.objects.filter(status=s).count()
    out["reinspections"] = Reinspection.objects.count()
    out["measures"] = Measure.objects.count()
    out["measures_ended"] = Measure.objects.filter(status="ended").count()
    out["restart_reviews"] = RestartReview.objects.count()
    out["restart_pending"] = RestartReview.objects.filter(reviewed_on=None).count()
    out["transfers"] = Transfer.objects.count()
    for s in ("accepted", "returned", "pending"):
        out[f"transfers_{s}"] = Transfer.objects.filter(status=s).count()
    from anjian.cases.models import Case

    out["cases_from_transfers"] = Case.objects.filter(transfer__isnull=False).count()
    out["documents"] = IssuedDocument.objects.count()
    out["documents_served"] = IssuedDocument.objects.filter(service_records__isnull=False).distinct().count()
    from anjian.documents import registry

    unserved = 0
    for kind in IssuedDocument.objects.filter(status="issued", service_records__isnull=True).values_list("kind", flat=True):
        if registry.get(kind).served:
            unserved += 1
    out["documents_unserved"] = unserved
    return out


def activity_digest() -> str:
    """A stable digest of the generated activity (no primary keys, no wall-clock times): the same
    seed on the same date gives the same digest, on any database."""
    h = hashlib.sha256()

    def feed(rows: Iterable[Sequence[Any]]) -> None:
        for row in sorted(tuple(str(v) for v in r) for r in rows):
            h.update("|".join(row).encode())
            h.update(b"\n")

    feed(Inspection.objects.values_list("owner_agency__name", "enterprise__name", "type", "inspected_on", "started_at", "ended_at", "status", "party_signature"))
    from anjian.inspections.models import Finding, InspectionOfficer

    feed(InspectionOfficer.objects.values_list("inspection__enterprise__name", "inspection__inspected_on", "inspection__type", "staff__name", "certificate_number"))
    feed(Finding.objects.values_list("enterprise__name", "found_on", "description"))
    feed(
        Hazard.objects.values_list(
            "owner_agency__name",
            "enterprise__name",
            "severity",
            "status",
            "found_on",
            "served_on",
            "deadline",
            "overdue_since",
            "closed_on",
            "period_days",
            "supervised",
            "description",
        )
    )
    feed(IssuedDocument.objects.values_list("agency_name", "kind", "number", "issued_on", "subject_type"))  # not sha256: a .docx zip carries its render time
    feed(IssuedDocument.objects.filter(service_records__isnull=False).values_list("number", "service_records__method", "service_records__served_on"))
    feed(DeadlineExtension.objects.values_list("hazard__enterprise__name", "requested_on", "requested_until", "status", "decided_on", "decided_by__name"))
    feed(Measure.objects.values_list("enterprise__name", "measure_type", "scope", "decided_on", "status", "ended_on"))
    feed(RestartReview.objects.values_list("measure__enterprise__name", "applied_on", "reviewed_on", "approved"))
    feed(Transfer.objects.values_list("enterprise__name", "status", "sent_at", "decided_at", "from_department__name", "sent_by__username"))
    return h.hexdigest()


# --- the simulation ---------------------------------------------------------------------------------
@dataclass
class _Member:
    user: Any
    staff: Staff
    agency_id: int
    roles: frozenset[str]
    department_kind: str


class _Simulation:
    def __init__(self, *, seed: int, scale: float, rates: Rates, today: dt.date, first: dt.date, say: Callable[[str], None]) -> None:
        self.rng = random.Random(f"activity:{seed}")
        self.scale, self.rates, self.today, self.first, self.say = scale, rates, today, first, say
        self.cal = lawcal.work_calendar()
        self.agenda: dict[dt.date, list[Callable[[], None]]] = defaultdict(list)
        self.accounts_created = 0
        self.agencies = list(Agency.objects.select_related("jurisdiction").order_by("pk"))
        self.supervision = {a.pk: Department.objects.filter(agency=a, kind=DepartmentKind.SUPERVISION).order_by("pk").first() for a in self.agencies}
        self.enforcement = {a.pk: Department.objects.filter(agency=a, kind=DepartmentKind.ENFORCEMENT).order_by("pk").first() for a in self.agencies}
        self._memberships: list[Membership] = []
        self._pools: dict[dt.date, dict[int, list[_Member]]] = {}
        self._officers: dict[tuple[int, dt.date], list[_Member]] = {}
        self._certs: dict[int, list[tuple[Certificate, list[Any]]]] = {}
        self._units: dict[tuple[int, str], list[Enterprise]] = {}
        self.users: dict[int, Any] = {}
        self.failures: dict[str, int] = defaultdict(int)

    # --- set-up ---------------------------------------------------------------------------------
    def ensure_accounts(self) -> None:
        """Every civil servant of the demo bureaus gets a login, as in a real deployment (the demo
        ledger gives logins to the personas only): acts are entered by the person who did them.
        Same password as the personas; the hash is computed once."""
        User = get_user_model()
        keys = {a.code: a.key for a in ledger_demo.AREAS}
        password = make_password(ledger_demo.DEMO_PASSWORD)
        taken = set(User.objects.values_list("username", flat=True))
        per_prefix: dict[str, int] = defaultdict(int)
        made: list[str] = []
        staff = Staff.objects.filter(kind=StaffKind.CIVIL_SERVANT, user__isnull=True, memberships__isnull=False).distinct().order_by("pk")
        for s in staff:
            m = s.memberships.select_related("agency__jurisdiction").order_by("valid_from", "pk").first()
            assert m is not None
            code = m.agency.jurisdiction.code
            prefix = "city" if m.agency.level == AgencyLevel.CITY else keys.get(code, "bureau")
            while True:
                per_prefix[prefix] += 1
                username = f"{prefix}_staff{per_prefix[prefix]:02d}"
                if username not in taken:
                    break
            taken.add(username)
            user = User.objects.create(username=username, password=password, first_name=s.name)
            s.user = user
            s.save(update_fields=["user"])
            made.append(f"{username}（{s.name}）")
        self.accounts_created = len(made)
        city = Agency.objects.filter(level=AgencyLevel.CITY).order_by("pk").first()
        if made and city is not None:
            audit.record(
                actor=get_user_model().objects.filter(username=ledger_demo.ADMIN_USERNAME).first(), action="demo.load", obj=city,
                jurisdiction_id=city.jurisdiction_id, after={"accounts": made}, note=f"演示数据：为{len(made)}名在编人员开通系统账号（密码同演示账号）。",
            )  # fmt: skip

    def _load_people(self) -> None:
        """Memberships (role grants are not dated) and certificates, read once for the whole year."""
        self._memberships = list(
            Membership.objects.filter(staff__user__isnull=False).select_related("staff__user", "department").prefetch_related("role_grants").order_by("valid_from", "pk")
        )
        for c in Certificate.objects.prefetch_related("events").order_by("staff_id", "-valid_to", "pk"):
            self._certs.setdefault(c.staff_id, []).append((c, list(c.events.all())))

    def cert_valid(self, staff_id: int, day: dt.date) -> bool:
        return any(c.status_on(day, evs)[0] for c, evs in self._certs.get(staff_id, []))

    def pools(self, day: dt.date) -> dict[int, list[_Member]]:
        """Who acts for each bureau on ``day``: the membership a user's scope resolves to that day
        (``org.selectors.user_scope``: the latest valid one), with its roles."""
        got = self._pools.get(day)
        if got is not None:
            return got
        chosen: dict[int, Membership] = {}
        for m in self._memberships:  # ordered by valid_from: the latest valid one wins, as in user_scope
            if m.valid_from <= day and (m.valid_to is None or m.valid_to >= day):
                chosen[m.staff.user_id] = m  # type: ignore[index]
        out: dict[int, list[_Member]] = defaultdict(list)
        for uid in sorted(chosen):
            m = chosen[uid]
            user = self.users.setdefault(uid, m.staff.user)
            out[m.agency_id].append(_Member(user=user, staff=m.staff, agency_id=m.agency_id, roles=frozenset(m.roles), department_kind=m.department.kind if m.department else ""))
        self._pools = {day: out}  # only today's pools are ever asked again
        return out

    def officers(self, agency_id: int, day: dt.date) -> list[_Member]:
        """The bureau's officers who may inspect on ``day`` (as ``inspections.check_officers`` checks)."""
        key = (agency_id, day)
        if key not in self._officers:
            if self._officers and next(iter(self._officers))[1] != day:
                self._officers.clear()
            self._officers[key] = [
                m for m in self.pools(day).get(agency_id, []) if Role.OFFICER in m.roles and m.staff.kind == StaffKind.CIVIL_SERVANT and self.cert_valid(m.staff.pk, day)
            ]
        return self._officers[key]

    def member(self, agency_id: int, day: dt.date, roles: Iterable[str], *, not_user: Any = None, department_kind: str | None = None) -> _Member | None:
        wanted = set(roles)
        cands = [
            m for m in self.pools(day).get(agency_id, [])
            if m.roles & wanted and (not_user is None or m.user.pk != not_user.pk) and (department_kind is None or m.department_kind == department_kind)
        ]  # fmt: skip
        return self.rng.choice(cands) if cands else None

    def head(self, agency_id: int, day: dt.date) -> _Member | None:
        from django.db.models import Q

        ids = set(
            AgencyHead.objects.filter(agency_id=agency_id, valid_from__lte=day, kind__in=[HeadKind.HEAD, HeadKind.PRINCIPAL_HEAD])
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .values_list("staff_id", flat=True)
        )
        cands = [m for m in self.pools(day).get(agency_id, []) if m.staff.pk in ids and Role.LEADER in m.roles]
        return self.rng.choice(cands) if cands else None

    def units(self, agency: Agency, kind: str) -> list[Enterprise]:
        key = (agency.pk, kind)
        if key not in self._units:
            qs = Enterprise.objects.filter(declared_status=DeclaredStatus.OPERATING)
            if agency.level != AgencyLevel.CITY:
                qs = qs.filter(jurisdiction_id=agency.jurisdiction_id)
            else:
                qs = qs.filter(jurisdiction__parent_id=agency.jurisdiction_id) | qs.filter(jurisdiction_id=agency.jurisdiction_id)
            if kind == InspectionType.PLANNED:
                planned = qs.filter(subject_agency=agency)
                qs = planned if planned.exists() else qs
            elif kind == InspectionType.SPECIAL:
                special = qs.filter(in_hazchem=True) | qs.filter(in_mine=True)
                qs = special if special.exists() else qs
            self._units[key] = list(qs.select_related("jurisdiction").order_by("pk"))
        return self._units[key]

    # --- the clock -------------------------------------------------------------------------------
    def working(self, day: dt.date) -> dt.date:
        """The first working day on or after ``day``."""
        return day if self.cal.is_working_day(day) else self.cal.next_working_day(day)

    def later(self, day: dt.date, working_days: int) -> dt.date:
        return self.cal.add_working_days(day, working_days) if working_days > 0 else self.working(day)

    def at(self, day: dt.date, fn: Callable[[], None]) -> None:
        """Schedule ``fn`` on ``day`` (moved to a working day); acts from today on have not happened yet."""
        day = self.working(day)
        if day < self.today:
            self.agenda[day].append(fn)

    def run(self) -> None:
        with transaction.atomic():
            self.ensure_accounts()
        self._load_people()
        day = self.working(self.first)
        n = 0
        while day < self.today:
            moment = dt.datetime.combine(day, dt.time(18, 0), tzinfo=TZ)
            # One transaction per simulated day (each act a savepoint inside it): the acts are the
            # services' own; only the commits (and the audit chain's seal after each) are batched.
            with time_machine.travel(moment, tick=False), transaction.atomic():
                for u in self.users.values():
                    forget_scope(u)
                hazards.hazards_overdue_sweep(today=day)
                self.new_inspections(day)
                queue = self.agenda.pop(day, [])
                i = 0
                while i < len(queue):  # acts scheduled for today by today's acts run today too
                    self.act(queue[i])
                    i += 1
                    queue.extend(self.agenda.pop(day, []))
            n += 1
            if day.day <= 7 and day.weekday() == 0:
                self.say(f"业务数据：已模拟至{day:%Y年%m月%d日}（{n}个工作日）。")
            day = self.cal.add_working_days(day, 1)
        hazards.hazards_overdue_sweep(today=self.today)  # this morning's sweep

    def act(self, fn: Callable[[], None]) -> None:
        """One user action, in its own transaction (as a request would be)."""
        try:
            with transaction.atomic():
                fn()
        except DomainError as exc:  # a refusal of the rules is a fact of the demo, not a crash
            self.failures[getattr(exc, "code", "") or type(exc).__name__] += 1
            if self.failures[getattr(exc, "code", "") or type(exc).__name__] <= 3:
                self.say(f"  （业务规则拒绝：{exc}）")

    # --- inspections -------------------------------------------------------------------------------
    def new_inspections(self, day: dt.date) -> None:
        for agency in self.agencies:
            officers = self.officers(agency.pk, day)
            if len(officers) < 2:
                continue
            n = inspections_on_day(self.rng, self.rates, officers=len(officers), scale=self.scale)
            for _ in range(n):
                kind = pick(self.rng, self.rates.types)
                units = self.units(agency, kind)
                if not units:
                    continue
                unit = self.rng.choice(units)
                team = self.rng.sample(officers, 2)
                findings = pick(self.rng, self.rates.findings)
                minute = self.rng.randrange(8 * 60 + 30, 15 * 60)
                self.act(lambda a=agency, u=unit, t=team, k=kind, f=findings, m=minute: self.inspect(a, u, t, k, f, day, m))

    def inspect(self, agency: Agency, unit: Enterprise, team: list[_Member], kind: str, n_findings: int, day: dt.date, minute: int) -> None:
        actor = team[0].user
        started = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=TZ)
        insp = inspections.inspection_create(
            actor=actor, enterprise=unit, type=kind, inspected_on=day, started_at=started,
            place=f"{unit.name}生产经营场所", officer_ids=[m.staff.pk for m in team],
        )  # fmt: skip
        items = list(insp.items.order_by("order"))
        majors = [i for i in items if _sourced(i.criterion_id, day)]
        # An item of a criterion whose text is still to be entered (待补录) has nothing an officer
        # could find wanting: it never becomes a finding.
        others = [i for i in items if i not in majors and "待补录" not in i.text]
        bad: list[Any] = []
        for _ in range(min(n_findings, len(items))):
            pool = majors if majors and self.rng.random() < self.rates.major_share else others or majors
            pool = [i for i in pool if i not in bad]
            if pool:
                bad.append(self.rng.choice(pool))
        bad_ids = {i.pk for i in bad}
        results = []
        for i in items:
            if i.pk in bad_ids:
                results.append({"item": i.pk, "result": ItemResult.NONCOMPLIANT, "note": f"现场检查发现：{i.text[:60]}，不符合要求。"})
            else:
                results.append({"item": i.pk, "result": ItemResult.COMPLIANT if self.rng.random() < 0.8 else ItemResult.NOT_APPLICABLE})
        inspections.inspection_record_results(actor=actor, inspection=insp, results=results)
        ended = started + dt.timedelta(minutes=self.rng.randrange(60, 180))
        refused = self.rng.random() < 0.03
        inspections.inspection_complete(
            actor=actor, inspection=insp, party_representative=unit.principal or unit.legal_representative or "现场负责人",
            party_signature=PartySignature.REFUSED if refused else PartySignature.SIGNED,
            refusal_note="被检查单位现场负责人拒绝签字，检查人员已将情况记录在案。" if refused else "",
            ended_at=ended, summary=f"{InspectionType(kind).label}，检查{len(items)}项，发现问题{len(bad)}项。",
            onsite_handling="对发现的问题当场责令改正，下达责令限期整改指令书。" if bad else "",
        )  # fmt: skip
        hazards.inspection_record_issue(actor=actor, inspection=insp, issued_on=day)
        found = list(insp.findings.order_by("pk"))
        if not found:
            return
        made: list[Hazard] = []
        for f in found:
            major = _sourced(f.criterion_id, day)
            h = hazards.hazard_create(
                actor=actor, enterprise=unit, source=HazardSource.INSPECTION, description=f.description, location=self.rng.choice(_PLACES),
                severity=Severity.MAJOR if major else Severity.GENERAL, found_on=day, findings=[f], inspection=insp, legal_basis=f.legal_basis,
            )  # fmt: skip
            made.append(h)
            if major:
                self.major_steps(h, team, day)
        order = hazards.rectification_order_issue(actor=actor, hazards=made, issued_on=day, inspection=insp)
        served = day if self.rng.random() < self.rates.served_same_day else self.later(day, self.rng.randrange(1, 5))
        outcome = pick(self.rng, self.rates.outcomes)
        self.at(served, lambda: self.serve_order(order.pk, actor, served, outcome, team))
        if self.rng.random() < self.rates.transfer_share:
            self.at(self.later(day, self.rng.randrange(1, 4)), lambda: self.transfer(agency, unit, found, [], day))

    def major_steps(self, h: Hazard, team: list[_Member], day: dt.date) -> None:
        actor = team[0].user
        if self.rng.random() < self.rates.measure_share:
            m = hazards.measure_decide(
                actor=actor, hazard=h, measure_type=MeasureType.STOP_FACILITY, scope=MeasureScope.EQUIPMENT,
                scope_detail=f"{h.location}相关设施、设备", reason=f"{h.description[:80]}，隐患排除前无法保证安全。", decided_on=day,
            )  # fmt: skip
            if m.decision_document is not None and self.rng.random() < self.rates.measure_served:
                documents.service_record(actor=actor, document=m.decision_document, method="direct", event_date=day, recipient=h.enterprise.principal or "现场负责人")
        if self.rng.random() < self.rates.supervised_share:
            approver = self.member(h.owner_agency_id, day, (Role.DEPT_HEAD, Role.LEADER))
            if approver is not None:
                hazards.hazard_supervise(actor=approver.user, hazard=h, by=h.owner_agency.name, on=day)

    # --- the rectification loop ------------------------------------------------------------------------
    def serve_order(self, doc_id: int, actor: Any, day: dt.date, outcome: str, team: list[_Member]) -> None:
        """The order (or a failed re-inspection's opinion) is served: each hazard's clock starts.
        The unit deals with the hazards of one order together; ``outcome`` is how."""
        doc = IssuedDocument.objects.get(pk=doc_id)
        first = Hazard.objects.filter(order_document=doc).select_related("enterprise").order_by("pk").first()
        who = (first.enterprise.principal if first else "") or "现场负责人"
        served = hazards.rectification_order_served(actor=actor, document=doc, method="direct", event_date=day, recipient=who)
        self.plan_outcome([h.pk for h in served], outcome, team)

    def plan_outcome(self, hazard_ids: list[int], outcome: str, team: list[_Member]) -> None:
        hs = list(Hazard.objects.filter(pk__in=hazard_ids).order_by("pk"))
        if not hs or any(h.deadline is None or h.served_on is None for h in hs):
            return
        served = min(h.served_on for h in hs if h.served_on)
        deadline = min(h.deadline for h in hs if h.deadline)
        period = (deadline - served).days
        on_time = min(deadline, served + dt.timedelta(days=max(1, int(period * self.rng.uniform(0.3, 0.9)))))
        if outcome == "on_time":
            self.at(on_time, lambda: self.report(hazard_ids, team))
        elif outcome == "late":
            self.at(deadline + dt.timedelta(days=self.rng.randrange(3, 25)), lambda: self.report(hazard_ids, team))
        elif outcome == "extended":
            ask = served + dt.timedelta(days=self.rng.randrange(1, 4))
            self.at(min(ask, deadline - dt.timedelta(days=12)) if period > 14 else served, lambda: self.extension(hazard_ids, team))
        elif outcome == "failed":
            self.at(on_time, lambda: self.report(hazard_ids, team, fail=True))
        elif self.rng.random() < self.rates.overdue_transfer_share:  # left open: overdue, then transferred (AQSCF §102)
            self.at(self.later(deadline, self.rng.randrange(2, 8)), lambda: self.transfer_overdue(hazard_ids))

    def writer(self, agency_id: int, team: list[_Member], day: dt.date) -> Any:
        ok = [m for m in team if m in self.officers(agency_id, day)]
        if ok:
            return ok[0].user
        m = self.member(agency_id, day, (Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD))
        return m.user if m else None

    def report(self, hazard_ids: list[int], team: list[_Member], *, fail: bool = False) -> None:
        """The unit reports its hazards rectified (recorded by an officer); a re-inspection follows."""
        hs = list(Hazard.objects.filter(pk__in=hazard_ids, status=HazardStatus.RECTIFYING).order_by("pk"))
        if not hs:
            return
        day = timezone.localdate()
        actor = self.writer(hs[0].owner_agency_id, team, day)
        if actor is None:
            return
        for h in hs:
            hazards.hazard_report_rectified(actor=actor, hazard=h, reported_on=day, description="单位已按整改要求完成整改，提交整改完成报告及整改前后照片。")
        ids = [h.pk for h in hs]
        self.at(self.later(day, self.rng.randrange(1, 4)), lambda: self.reinspect(ids, team, fail=fail))

    def reinspect(self, hazard_ids: list[int], team: list[_Member], *, fail: bool = False) -> None:
        hs = list(Hazard.objects.filter(pk__in=hazard_ids, status__in=[HazardStatus.RECTIFYING, HazardStatus.REPORTED]).select_related("enterprise").order_by("pk"))
        if not hs:
            return
        day = timezone.localdate()
        officers = self.officers(hs[0].owner_agency_id, day)
        keep = [m for m in team if m in officers]
        pair = (keep + [m for m in officers if m not in keep])[:2]
        if len(pair) < 2:  # no two certified officers today: the re-inspection waits
            self.at(self.later(day, 2), lambda: self.reinspect(hazard_ids, team, fail=fail))
            return
        actor = pair[0].user
        unit = hs[0].enterprise
        started = dt.datetime.combine(day, dt.time(9, self.rng.randrange(0, 60)), tzinfo=TZ)
        insp = hazards.reinspection_start(actor=actor, hazards=hs, inspected_on=day, started_at=started, place=f"{unit.name}生产经营场所", officer_ids=[m.staff.pk for m in pair])
        results = [{"item": i.pk, "result": ItemResult.NONCOMPLIANT if fail else ItemResult.COMPLIANT, "note": "复查发现整改不到位。" if fail else ""} for i in insp.items.all()]
        inspections.inspection_record_results(actor=actor, inspection=insp, results=results)
        inspections.inspection_complete(
            actor=actor, inspection=insp, party_representative=unit.principal or "现场负责人", party_signature=PartySignature.SIGNED,
            ended_at=started + dt.timedelta(minutes=self.rng.randrange(30, 90)), summary=f"整改复查，复查隐患{len(hs)}项。",
        )  # fmt: skip
        for r in Reinspection.objects.filter(inspection=insp).order_by("pk"):
            if fail:
                hazards.reinspection_decide(
                    actor=actor, reinspection=r, result=ReinspectionResult.FAIL, opinion="整改不到位，隐患未消除，重新确定整改期限。", decided_on=day, new_period_days=10
                )
            else:
                hazards.reinspection_decide(actor=actor, reinspection=r, result=ReinspectionResult.PASS, opinion="经复查，隐患已整改到位。", decided_on=day)
        opinion = hazards.reinspection_opinion_issue(actor=actor, inspection=insp, issued_on=day)
        who = unit.principal or "现场负责人"
        if fail:  # the new period runs from the opinion's service
            served = hazards.rectification_order_served(actor=actor, document=opinion, method="direct", event_date=day, recipient=who)
            self.plan_outcome([h.pk for h in served], "on_time", pair)
            return
        if self.rng.random() < self.rates.opinion_served:
            documents.service_record(actor=actor, document=opinion, method="direct", event_date=day, recipient=who)
        for m in Measure.objects.filter(hazard__in=hs, status="active").order_by("pk"):
            self.at(self.later(day, self.rng.randrange(1, 4)), lambda mid=m.pk: self.restart(mid))

    def extension(self, hazard_ids: list[int], team: list[_Member]) -> None:
        """The unit asks, for each hazard, to extend its deadline; an approver decides within days."""
        day = timezone.localdate()
        asked: list[int] = []
        for h in Hazard.objects.filter(pk__in=hazard_ids, status=HazardStatus.RECTIFYING).order_by("pk"):
            actor = self.writer(h.owner_agency_id, team, day)
            if actor is None or h.deadline is None:
                continue
            until = min(h.deadline + dt.timedelta(days=self.rng.randrange(10, 31)), hazards.extension_cap(hazards.first_deadline(h)))
            ext, _warnings = hazards.extension_request(
                actor=actor, hazard=h, requested_on=day, requested_until=until, reason="整改所需设备采购周期较长，申请延期整改，已采取临时防范措施。"
            )
            asked.append(ext.pk)
        if asked:
            self.at(self.later(day, self.rng.randrange(1, 4)), lambda: self.decide_extensions(asked, hazard_ids, team))

    def decide_extensions(self, ext_ids: list[int], hazard_ids: list[int], team: list[_Member]) -> None:
        day = timezone.localdate()
        approve = self.rng.random() >= self.rates.extension_refused
        for ext in DeadlineExtension.objects.filter(pk__in=ext_ids).select_related("hazard", "requested_by").order_by("pk"):
            approver = self.member(ext.hazard.owner_agency_id, day, hazards.APPROVE_ROLES, not_user=ext.requested_by)
            if approver is None:
                continue
            note = "理由充分，同意延期。" if approve else "理由不充分，不予延期，请按原期限整改。"
            hazards.extension_decide(actor=approver.user, extension=ext, approve=approve, decided_on=day, note=note)
        deadlines = [d for d in Hazard.objects.filter(pk__in=hazard_ids).values_list("deadline", flat=True) if d]
        if not deadlines:
            return
        end = min(deadlines) if approve else min(deadlines) + dt.timedelta(days=self.rng.randrange(-3, 10))
        self.at(max(day, end - dt.timedelta(days=self.rng.randrange(0, 8))), lambda: self.report(hazard_ids, team))

    def restart(self, measure_id: int) -> None:
        m = Measure.objects.select_related("owner_agency", "enterprise").get(pk=measure_id)
        day = timezone.localdate()
        recorder = self.member(m.owner_agency_id, day, (Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD, Role.OFFICE))
        if recorder is None:
            return
        rr = hazards.restart_apply(actor=recorder.user, measure=m, applied_on=day, application=f"{m.enterprise.name}已完成隐患整改，经复查合格，申请恢复使用相关设施、设备。")
        self.at(self.later(day, self.rng.randrange(1, 6)), lambda: self.restart_decide(rr.pk, recorder.user))

    def restart_decide(self, review_id: int, recorder: Any) -> None:
        rr = RestartReview.objects.select_related("measure").get(pk=review_id)
        day = timezone.localdate()
        head = self.head(rr.measure.owner_agency_id, day)
        if head is None or head.user.pk == recorder.pk:
            return
        hazards.restart_review_decide(actor=head.user, review=rr, approved=True, opinion="经审查，重大事故隐患已排除，同意恢复生产。", reviewed_on=day)

    # --- transfers -------------------------------------------------------------------------------------
    def transfer(self, agency: Agency, unit: Enterprise, findings: list[Any], hazard_list: list[Hazard], found_on: dt.date) -> None:
        day = timezone.localdate()
        frm, to = self.supervision.get(agency.pk), self.enforcement.get(agency.pk)
        sender = self.member(agency.pk, day, (Role.SUPERVISOR, Role.DEPT_HEAD, Role.OFFICER), department_kind=DepartmentKind.SUPERVISION) or self.member(
            agency.pk, day, (Role.SUPERVISOR, Role.DEPT_HEAD, Role.OFFICER)
        )
        if frm is None or to is None or sender is None:
            return
        what = "；".join(f.description[:40] for f in findings) or "；".join(h.description[:40] for h in hazard_list)
        late = bool(hazard_list)
        facts = (
            f"{unit.name}逾期未整改事故隐患（{what}），涉嫌违反《中华人民共和国安全生产法》第一百零二条，移交执法队伍立案查处。"
            if late
            else f"{found_on:%Y年%m月%d日}检查发现{unit.name}存在违法行为（{what}），移交执法队伍依法查处。"
        )
        t = hazards.transfer_send(actor=sender.user, enterprise=unit, from_department=frm, to_department=to, facts=facts, findings=findings, hazards=hazard_list)
        outcome = pick(self.rng, self.rates.transfer_outcomes)
        if outcome != "wait":
            self.at(self.later(day, self.rng.randrange(1, 7)), lambda: self.decide_transfer(t.pk, outcome))

    def transfer_overdue(self, hazard_ids: list[int]) -> None:
        day = timezone.localdate()
        hs = list(Hazard.objects.filter(pk__in=hazard_ids, status=HazardStatus.RECTIFYING, deadline__lt=day).select_related("owner_agency", "enterprise").order_by("pk"))
        if hs:
            self.transfer(hs[0].owner_agency, hs[0].enterprise, [], hs, hs[0].found_on)

    def decide_transfer(self, transfer_id: int, outcome: str) -> None:
        t = Transfer.objects.select_related("sent_by", "enterprise", "owner_agency").get(pk=transfer_id)
        day = timezone.localdate()
        who = self.member(t.owner_agency_id, day, hazards.TRANSFER_DECIDE_ROLES, not_user=t.sent_by, department_kind=DepartmentKind.ENFORCEMENT) or self.member(
            t.owner_agency_id, day, (Role.LEADER,), not_user=t.sent_by
        )
        if who is None:
            return
        if outcome == "return":
            hazards.transfer_return(actor=who.user, transfer=t, reason="移交材料中违法事实证据不足，请补充现场检查记录和证据后再行移交。")
        elif outcome == "case":
            from anjian.cases import services as case_services

            title = f"{t.enterprise.name}{'逾期未整改事故隐患' if t.hazards.exists() else '安全生产违法'}案"
            case_services.transfer_accept_into_case(actor=who.user, transfer=t, title=title[:100])
        else:
            hazards.transfer_accept(actor=who.user, transfer=t)


_PLACES = ("生产车间", "原料仓库", "成品仓库", "配电室", "锅炉房", "储罐区", "装卸区", "危险化学品库房", "有限空间作业点", "粉尘作业区", "办公楼", "厂区道路")


def _sourced(criterion_id: str, day: dt.date) -> bool:
    """The item maps to a major-hazard criterion with a sourced wording (as ``hazards`` decides)."""
    if not criterion_id:
        return False
    try:
        item = law_hazards.default_criteria().item(criterion_id)
    except LawError:
        return False
    return law_hazards.classifies_as_major(item, on=day)
