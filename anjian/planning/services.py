"""Every write of the planning app (STYLE.md principle 1): capacity inputs, plan generation, item
edits, submission, return, approval and revision. One transaction per action; roles checked here.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import DecimalField, F, Q, Sum
from django.utils import timezone

from anjian.core import audit
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.scoping import require_owner, scope_for
from anjian.core.validators import date_bounds_error
from anjian.law import draw as dr
from anjian.law import planning as pl
from anjian.law.errors import LawError
from anjian.org.choices import Role
from anjian.org.models import Agency
from anjian.planning import selectors
from anjian.planning.choices import IN_FORCE, DrawStatus, PlanStatus
from anjian.planning.models import AnnualPlan, CapacityInput, DeclaredRelation, Draw, GradingProfile, GradingProfileVersion, PlanItem

PLAN_ROLES = (Role.OFFICER, Role.DEPT_HEAD, Role.LEADER)
APPROVE_ROLES = (Role.LEADER,)
YEAR_MIN, YEAR_MAX = 2004, 2199


def _law(exc: LawError) -> ValidationFailed:
    field = exc.field or "non_field_errors"
    return ValidationFailed(exc.message, code=exc.code, article=exc.article or "", fields={field: exc.message})


def check_year(year: Any) -> int:
    try:
        y = int(str(year).strip())
    except (TypeError, ValueError):
        raise ValidationFailed("年度应为四位数字。", fields={"year": "年度应为四位数字。"}) from None
    if not YEAR_MIN <= y <= YEAR_MAX:
        raise ValidationFailed(f"年度应在{YEAR_MIN}年至{YEAR_MAX}年之间。", fields={"year": f"年度应在{YEAR_MIN}年至{YEAR_MAX}年之间。"})
    return y


def _actor_agency(actor: Any, roles: tuple[str, ...] = PLAN_ROLES) -> Agency:
    scope = scope_for(actor)
    if scope.agency_id is None or not scope.reads_business:
        raise PermissionRefused("您不是执法机关的在职人员，不能编制计划。", code="role_refused")
    if not scope.has_role(*roles):
        raise PermissionRefused("编制年度计划须由执法人员、科室负责人或局领导办理。", code="role_refused")
    return Agency.objects.select_related("jurisdiction").get(pk=scope.agency_id)


# --- capacity -----------------------------------------------------------------------------------------
@transaction.atomic
def capacity_set(
    *, actor: Any, year: Any, deductions: Mapping[str, Any], workdays_per_inspection: Mapping[str, Any], reserve_share: Any, key_share: Any, officers_per_inspection: Any = 2
) -> CapacityInput:
    """Enter the bureau's deductions per category, days per inspection by sector, reserve and key shares."""
    agency = _actor_agency(actor, (Role.DEPT_HEAD, Role.LEADER))
    y = check_year(year)
    try:
        opi = int(str(officers_per_inspection))
    except ValueError:
        raise ValidationFailed("每次检查执法人员数应为整数。", fields={"officers_per_inspection": "应为整数。"}) from None
    if not 2 <= opi <= 20:
        raise ValidationFailed("每次检查的执法人员应为2至20人。", article=pl.ARTICLE_TWO_OFFICERS, fields={"officers_per_inspection": "应为2至20人。"})
    unknown = sorted(set(workdays_per_inspection) - pl.GROUP_NAMES.keys())
    if unknown:
        raise ValidationFailed("未知的行业。", fields={"workdays_per_inspection": f"未知的行业：{'、'.join(unknown)}"})
    try:
        per = {k: pl.to_days(v, f"workdays_per_inspection.{k}") for k, v in workdays_per_inspection.items()}
        for k, v in per.items():
            if v <= 0 or v > 30:
                raise pl.PlanningError("每次检查工作日应大于0且不超过30天。", field=f"workdays_per_inspection.{k}")
        ded = {k: pl.to_days(v, f"deductions.{k}") for k, v in deductions.items() if k in pl.CATEGORIES}
        unknown = sorted(set(deductions) - pl.CATEGORIES.keys())
        if unknown:
            raise pl.PlanningError(f"未知的工作日扣除类别：{'、'.join(unknown)}", field="deductions")
        reserve = pl.to_share(reserve_share, "reserve_share")
        key = pl.to_share(key_share, "key_share")
        # Check the whole computation (deductions not above the total) before anything is written.
        pl.capacity(
            cal=selectors.calendar(), year=y, officers=selectors.officer_spans(agency, y), deductions=ded, reserve_share=reserve, key_share=key, officers_per_inspection=opi
        )
    except LawError as exc:
        raise _law(exc) from None
    row, created = CapacityInput.objects.select_for_update().get_or_create(owner_agency=agency, year=y, defaults={"jurisdiction_id": agency.jurisdiction_id})
    before = {"deductions": row.deductions, "workdays_per_inspection": row.workdays_per_inspection, "reserve_share": str(row.reserve_share), "key_share": str(row.key_share)}
    row.deductions = {k: str(v) for k, v in ded.items()}
    row.workdays_per_inspection = {k: str(v) for k, v in per.items()}
    row.reserve_share, row.key_share, row.officers_per_inspection, row.updated_by = reserve, key, opi, actor
    row.save()
    after = {"deductions": row.deductions, "workdays_per_inspection": row.workdays_per_inspection, "reserve_share": str(reserve), "key_share": str(key)}
    audit.record(actor=actor, action="planning.capacity", obj=row, before=None if created else before, after=after)
    return row


# --- generation ---------------------------------------------------------------------------------------
@transaction.atomic
def plan_generate(*, actor: Any, year: Any, provisional: bool = False, acknowledge_over_capacity: bool = False) -> AnnualPlan:
    """Propose the plan of the actor's bureau for ``year``: every unit whose planned subject that
    year is the bureau (一企一主体), its count and months by the grading profile, fitted into the
    capacity (lowest-risk general units cut first, never a key unit).

    Refused, with nothing saved: a year whose calendar is not loaded unless ``provisional``; a plan
    still over capacity after cutting unless ``acknowledge_over_capacity``; a year with a plan in
    preparation or approved (revise it instead). An earlier draft of the year is replaced."""
    agency = _actor_agency(actor)
    y = check_year(year)
    cal = selectors.calendar()
    if not cal.is_loaded(y) and not provisional:
        msg = f"{y}年法定节假日安排尚未载入，工作日只能按周末推算。请先载入该年度日历，或勾选“按临时日历编制”。"
        raise ValidationFailed(msg, code="calendar_not_loaded", article="LEGAL.md §1（未载入年度不得推测）", fields={"provisional": msg})
    existing = list(AnnualPlan.objects.select_for_update().filter(owner_agency=agency, year=y).exclude(status=PlanStatus.SUPERSEDED).order_by("-version"))
    replaced: AnnualPlan | None = None
    for p in existing:
        if p.status == PlanStatus.DRAFT:
            replaced = p
        else:
            what = "已提交审批" if p.status == PlanStatus.SUBMITTED else "已批准"
            raise DomainError(f"{agency.short_name}{y}年度计划（第{p.version}版）{what}，不能重新生成；如需调整，请退回或修订。", code="plan_exists")
    profile = selectors.profile_for(agency) or sample_profile_sync()
    try:
        prof = pl.profile_from_data(profile.data)
        row, cap = selectors.capacity_for(agency, y, cal=cal)
        proposals = pl.propose(selectors.unit_facts(agency, y), prof, workdays_per_inspection=selectors.workdays_map(row), officers_per_inspection=row.officers_per_inspection)
    except LawError as exc:
        raise _law(exc) from None
    # General inspections are fitted into their own share of the capacity, as the plan document
    # prints it (安监总政法〔2017〕150号, LEGAL.md §6: inspection workdays split into key and general).
    fitted = pl.fit(proposals, cap.available, key_days=cap.key_days)
    if fitted.over > 0 and not acknowledge_over_capacity:
        msg = fitted.summary + "请确认“计划超出力量”后再生成。"
        raise ValidationFailed(msg, code="over_capacity", article=pl.ARTICLE_CAPACITY, fields={"acknowledge_over_capacity": msg})
    version = 1
    if replaced is not None:
        version = replaced.version
        previous = replaced.previous
        audit.record(actor=actor, action="plan.generate", obj=replaced, note=f"草稿（{len(fitted.proposals)}户）重新生成，原草稿作废")
        # The draft's items in one statement (a draft has no linked inspection: only a plan in force
        # can be carried out), not 100,000 rows loaded by the deletion collector (issue 13 Speed).
        PlanItem.objects.filter(plan=replaced)._raw_delete(PlanItem.objects.db)
        replaced.delete()
    else:
        last = AnnualPlan.objects.filter(owner_agency=agency, year=y).order_by("-version").first()
        version = last.version + 1 if last else 1
        previous = last
    try:
        with transaction.atomic():  # a savepoint: a concurrent generation of the same year loses cleanly
            plan = _create_plan(agency=agency, y=y, version=version, cap=cap, profile=profile, fitted=fitted, ack=acknowledge_over_capacity, previous=previous, actor=actor)
    except IntegrityError:
        raise DomainError(f"{agency.short_name}{y}年度计划正由他人同时生成，请刷新后查看。", code="plan_exists") from None
    audit.record(
        actor=actor, action="plan.generate", obj=plan,
        after={"year": y, "version": version, "units": len(fitted.proposals), "demand": str(fitted.demand), "available": str(cap.available), "cuts": fitted.cut_units, "provisional": cap.provisional},
    )  # fmt: skip
    return plan


def _create_plan(
    *, agency: Agency, y: int, version: int, cap: pl.Capacity, profile: GradingProfile, fitted: pl.Fit, ack: bool, previous: AnnualPlan | None, actor: Any
) -> AnnualPlan:
    acknowledge_over_capacity = ack
    teams = selectors.default_teams(agency)
    plan = AnnualPlan.objects.create(
        jurisdiction_id=agency.jurisdiction_id, owner_agency=agency, year=y, version=version, provisional=cap.provisional, profile=profile,
        profile_name=str(profile), profile_version=profile_version_row(profile), capacity=cap.as_dict(), available=cap.available, demand=fitted.demand, fit_summary=fitted.summary,
        key_available=cap.key_days, key_demand=fitted.key_demand, cut_units=fitted.cut_units, cut_inspections=fitted.cut_inspections,
        over_capacity_ack=bool(fitted.over > 0 and acknowledge_over_capacity), previous=previous, created_by=actor,
    )  # fmt: skip
    _insert_items(plan.pk, fitted.proposals, teams)
    return plan


_ITEM_COLUMNS = (
    "plan_id",
    "enterprise_id",
    "enterprise_name",
    "group",
    "rule",
    "grade_label",
    "frequency",
    "cap",
    "key",
    "key_reasons",
    "cost",
    "count",
    "months",
    "cut_from",
    "department_id",
    "edited",
    "note",
)
# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _insert_items(plan_id: int, proposals: Sequence[pl.Proposal], teams: Mapping[str, int | None], batch: int = 20000) -> None:
    """Insert a fresh plan's items without a model instance per item: a city's plan holds up to
    100,000 units (issue 13 Speed). The values are the ones ``PlanItem`` would write (JSON as text,
    the cost as a decimal string); the rows are a fresh plan's, so no signal or audit is skipped.

    PostgreSQL: COPY in text format, the lines built here (psycopg sends ``executemany`` row by row,
    and adapting every value of every row cost more than the insert). The few distinct rules, grades,
    key reasons and month spreads are encoded once. SQLite: one prepared statement (``executemany``
    is fast in-process)."""
    import json

    from django.db import connection

    table = connection.ops.quote_name(PlanItem._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in _ITEM_COLUMNS)
    months_json: dict[tuple[int, ...], str] = {}
    reasons_json: dict[tuple[str, ...], str] = {}

    def jm(months: tuple[int, ...]) -> str:
        out = months_json.get(months)
        if out is None:
            out = months_json[months] = json.dumps(list(months))
        return out

    def jr(reasons: tuple[str, ...]) -> str:
        out = reasons_json.get(reasons)
        if out is None:
            out = reasons_json[reasons] = json.dumps(list(reasons), ensure_ascii=False)
        return out

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # The parts shared by the units of one rule and grade, escaped once: (rule, grade, …) → text.
            middle: dict[tuple[Any, ...], str] = {}
            esc, null = _COPY_ESCAPES, "\\N"
            for start in range(0, len(proposals), batch):
                lines = []
                for p in proposals[start : start + batch]:
                    mk = (p.group, p.rule, p.grade_label, p.frequency, p.cap, p.key_reasons, p.cost)
                    mid = middle.get(mk)
                    if mid is None:
                        mid = middle[mk] = "\t".join(
                            (p.group.translate(esc), p.rule[:120].translate(esc), p.grade_label[:40].translate(esc), str(p.frequency), str(p.cap),
                             "t" if p.key_reasons else "f", jr(p.key_reasons).translate(esc), str(p.cost))
                        )  # fmt: skip
                    dept = teams.get(p.group)
                    lines.append(
                        f"{plan_id}\t{p.unit.id}\t{p.unit.name[:200].translate(esc)}\t{mid}\t{p.count}\t{jm(p.months)}\t"
                        f"{null if p.cut_from is None else p.cut_from}\t{null if dept is None else dept}\tf\t\n"
                    )
                with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    copy.write("".join(lines).encode())
            return
        marks = ", ".join("%s" for _ in _ITEM_COLUMNS)
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608 (column names are constants)
        for start in range(0, len(proposals), batch):
            cur.executemany(
                sql,
                [
                    (plan_id, p.unit.id, p.unit.name[:200], p.group, p.rule[:120], p.grade_label[:40], p.frequency, p.cap, bool(p.key_reasons), jr(p.key_reasons),
                     str(p.cost), p.count, jm(p.months), p.cut_from, teams.get(p.group), False, "")
                    for p in proposals[start : start + batch]
                ],
            )  # fmt: skip


def _copy_items(from_plan_id: int, to_plan_id: int) -> None:
    """A revised version's items: the previous version's rows copied by the database in one
    ``INSERT … SELECT`` (a city's plan holds up to 100,000 items; nothing passes through Python)."""
    from django.db import connection

    table = connection.ops.quote_name(PlanItem._meta.db_table)
    copied = _ITEM_COLUMNS[1:]
    cols = ", ".join(connection.ops.quote_name(c) for c in copied)
    with connection.cursor() as cur:
        # Column names are constants; the ids are parameters.
        cur.execute(f"INSERT INTO {table} (plan_id, {cols}) SELECT %s, {cols} FROM {table} WHERE plan_id = %s ORDER BY id", [to_plan_id, from_plan_id])  # noqa: S608


def _locked(plan: AnnualPlan, actor: Any, *, roles: tuple[str, ...] = PLAN_ROLES) -> AnnualPlan:
    p = AnnualPlan.objects.select_for_update(of=("self",)).select_related("owner_agency").get(pk=plan.pk)
    require_owner(actor, p, roles=roles, what="该计划")
    return p


def _recompute(plan: AnnualPlan) -> None:
    # One aggregate, not a loop over the items: a city's plan may hold tens of thousands of units.
    days = F("cost") * F("count")
    out = DecimalField(max_digits=14, decimal_places=2)
    totals = plan.items.aggregate(t=Sum(days, output_field=out), k=Sum(days, filter=Q(key=True), output_field=out))
    plan.demand, plan.key_demand = totals["t"] or Decimal(0), totals["k"] or Decimal(0)
    if not plan.over_capacity:
        plan.over_capacity_ack = False


@transaction.atomic
def plan_item_update(*, actor: Any, item: PlanItem, count: Any, months: Sequence[Any], note: str = "", department: Any = None) -> PlanItem:
    """An officer's edit of one unit's count and months, in a draft only; never above the unit's cap."""
    plan = _locked(item.plan, actor)
    if plan.status != PlanStatus.DRAFT:
        raise DomainError("只有草稿状态的计划可以调整；已批准的计划请先修订（须说明理由）。", code="plan_not_draft")
    it = PlanItem.objects.select_for_update().get(pk=item.pk, plan=plan)
    try:
        n = int(str(count).strip())
    except ValueError:
        raise ValidationFailed("检查次数应为整数。", fields={"count": "检查次数应为整数。"}) from None
    ms: list[int] = []
    for m in months:
        try:
            ms.append(int(str(m).strip()))
        except ValueError:
            raise ValidationFailed("月份应为1至12的整数。", fields={"months": "月份应为1至12的整数。"}) from None
    try:
        pl.check_item(count=n, months=ms, cap=it.cap)
    except LawError as exc:
        raise _law(exc) from None
    if department not in (None, ""):
        from anjian.core.ids import parse_id
        from anjian.org.models import Department

        dept = Department.objects.filter(pk=parse_id(department), agency_id=plan.owner_agency_id).first() if parse_id(department) else None
        if dept is None:
            raise ValidationFailed("承担科室应为本机关的科室。", fields={"department": "承担科室应为本机关的科室。"})
        it.department = dept
    before = {"count": it.count, "months": it.months, "note": it.note, "department": item.department_id}
    it.count, it.months, it.note, it.edited = n, sorted(ms), note.strip()[:200], True
    it.save(update_fields=["count", "months", "note", "edited", "department"])
    _recompute(plan)
    plan.save(update_fields=["demand", "key_demand", "over_capacity_ack"])
    audit.record(
        actor=actor,
        action="plan.item",
        obj=plan,
        before=before,
        after={"enterprise": it.enterprise_id, "count": n, "months": it.months, "note": it.note, "department": it.department_id},
    )
    return it


# --- approval -------------------------------------------------------------------------------------
@transaction.atomic
def plan_submit(*, actor: Any, plan: AnnualPlan, acknowledge_over_capacity: bool = False) -> AnnualPlan:
    p = _locked(plan, actor)
    if p.status != PlanStatus.DRAFT:
        raise DomainError(f"计划当前为“{p.get_status_display()}”，不能提交。", code="bad_state")
    over, why = p.capacity_check()
    if over > 0 and not (p.over_capacity_ack or acknowledge_over_capacity):
        msg = f"计划需要{p.demand}个工作日：{why}。请确认“计划超出力量”后再提交，或调减一般检查单位。"
        raise ValidationFailed(msg, code="over_capacity", article=pl.ARTICLE_CAPACITY, fields={"acknowledge_over_capacity": msg})
    p.status, p.submitted_by, p.submitted_at, p.return_reason = PlanStatus.SUBMITTED, actor, timezone.now(), ""
    p.over_capacity_ack = p.over_capacity
    p.save(update_fields=["status", "submitted_by", "submitted_at", "return_reason", "over_capacity_ack"])
    audit.record(actor=actor, action="plan.submit", obj=p, after={"status": p.status, "demand": str(p.demand), "available": str(p.available)})
    return p


@transaction.atomic
def plan_return(*, actor: Any, plan: AnnualPlan, reason: str) -> AnnualPlan:
    p = _locked(plan, actor, roles=APPROVE_ROLES)
    if p.status != PlanStatus.SUBMITTED:
        raise DomainError("只有已提交审批的计划可以退回。", code="bad_state")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写退回理由。", fields={"reason": "请填写退回理由。"})
    p.status, p.return_reason = PlanStatus.DRAFT, reason[:300]
    p.save(update_fields=["status", "return_reason"])
    audit.record(actor=actor, action="plan.return", obj=p, after={"status": p.status, "reason": p.return_reason})
    return p


@transaction.atomic
def plan_approve(*, actor: Any, plan: AnnualPlan) -> AnnualPlan:
    """A leader approves; never the person who submitted it. The version it revises is superseded."""
    p = _locked(plan, actor, roles=APPROVE_ROLES)
    if p.status != PlanStatus.SUBMITTED:
        raise DomainError("只有已提交审批的计划可以批准。", code="bad_state")
    if p.submitted_by_id == getattr(actor, "pk", None):
        raise PermissionRefused("计划的提交人不能批准自己提交的计划，请由其他局领导审批。", code="self_approval")
    p.status, p.approved_by, p.approved_at = PlanStatus.APPROVED, actor, timezone.now()
    p.save(update_fields=["status", "approved_by", "approved_at"])
    old = AnnualPlan.objects.select_for_update().filter(owner_agency_id=p.owner_agency_id, year=p.year, status__in=IN_FORCE).exclude(pk=p.pk)
    for o in old:
        o.status = PlanStatus.SUPERSEDED
        o.save(update_fields=["status"])
    audit.record(actor=actor, action="plan.approve", obj=p, after={"status": p.status, "version": p.version, "superseded": [o.pk for o in old]})
    return p


@transaction.atomic
def plan_revise(*, actor: Any, plan: AnnualPlan, reason: str) -> AnnualPlan:
    """Change an approved plan: a new draft version with the same items and the reason; the approved
    version stays in force and readable until the new one is approved."""
    p = _locked(plan, actor)
    if p.status not in IN_FORCE:
        raise DomainError("只有已批准的计划需要修订；草稿可直接调整。", code="bad_state")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("修订已批准的计划须说明理由。", fields={"reason": "请填写修订理由。"})
    if AnnualPlan.objects.filter(owner_agency_id=p.owner_agency_id, year=p.year, status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED]).exists():
        raise DomainError("该年度已有正在修订的计划版本。", code="plan_exists")
    last = AnnualPlan.objects.filter(owner_agency_id=p.owner_agency_id, year=p.year).order_by("-version").values_list("version", flat=True).first() or p.version
    new = AnnualPlan.objects.create(
        jurisdiction_id=p.jurisdiction_id, owner_agency_id=p.owner_agency_id, year=p.year, version=last + 1, provisional=p.provisional, profile_id=p.profile_id,
        profile_name=p.profile_name, profile_version_id=p.profile_version_id, capacity=p.capacity, available=p.available, demand=p.demand, fit_summary=p.fit_summary, cut_units=p.cut_units, cut_inspections=p.cut_inspections,
        key_available=p.key_available, key_demand=p.key_demand,
        over_capacity_ack=p.over_capacity_ack, previous=p, change_reason=reason[:300], created_by=actor,
    )  # fmt: skip
    _copy_items(p.pk, new.pk)
    audit.record(actor=actor, action="plan.revise", obj=new, after={"from_version": p.version, "version": new.version, "reason": new.change_reason})
    return new


def item_get(*, actor: Any, plan: AnnualPlan, pk: Any) -> PlanItem:
    from anjian.core.ids import parse_id

    n = parse_id(pk)
    item = PlanItem.objects.filter(plan=plan, pk=n).select_related("plan").first() if n is not None else None
    if item is None:
        raise NotFound()
    return item


# --- random draws (双随机) --------------------------------------------------------------------------
DRAW_ROLES = (Role.DEPT_HEAD, Role.LEADER)
PUBLISH_DAYS = 20  # results published within 20 days by default (LEGAL.md §6, practice, CFG): settings.ANJIAN_DRAW_PUBLISH_DAYS


def publish_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "ANJIAN_DRAW_PUBLISH_DAYS", PUBLISH_DAYS))


def _choice_label(form: Any, key: str, value: Any) -> str:
    flat: dict[str, str] = {}
    for k, v in getattr(form.fields[key], "choices", []) or []:
        if isinstance(v, list | tuple):  # an option group
            flat.update({str(k2): str(v2) for k2, v2 in v})
        else:
            flat[str(k)] = str(v)
    return flat.get(str(value), str(value))


def draw_inputs(d: Draw) -> dr.Inputs:
    """The inputs of ``anjian.law.draw`` as stored on the draw: re-running them is the verification."""
    return dr.Inputs(
        units=tuple(d.units), officers=tuple(d.officers), count=d.count, per_inspection=d.per_inspection, draw_at=d.commitment.get("draw_at", ""),
        exclusions={int(k): tuple(v) for k, v in d.exclusions.items()}, beacon=d.beacon, reference=str(d.public_id),
    )  # fmt: skip


@transaction.atomic
def draw_commit(
    *,
    actor: Any,
    title: str,
    filters: Mapping[str, Any],
    filters_text: str = "",
    count: Any = None,
    share: Any = None,
    per_inspection: Any = 2,
    planned_on: dt.date,
    draw_at: dt.datetime,
) -> Draw:
    """Fix and publish the pools and parameters before the draw (their SHA-256 go public).

    The unit pool is the ledger filtered as the actor's ledger list would be (``filters`` are the
    ledger's); the officer pool is the bureau's officers with a certificate valid on ``planned_on``;
    the officers of each unit's last inspection are excluded for it (回避)."""
    from anjian.enterprises import selectors as ent_selectors

    agency = _actor_agency(actor, DRAW_ROLES)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("请填写抽取事项。", fields={"title": "请填写抽取事项。"})
    now = timezone.now()
    if draw_at is None or draw_at <= now:
        raise ValidationFailed("抽取时间须晚于现在：抽取条件应在抽取前公示。", fields={"draw_at": "抽取时间须晚于现在。"})
    if planned_on is None or planned_on < timezone.localtime(draw_at).date():
        raise ValidationFailed("计划检查日期不能早于抽取日期。", fields={"planned_on": "计划检查日期不能早于抽取日期。"})
    if (msg := date_bounds_error(planned_on, "end")) is not None:
        raise ValidationFailed(msg, fields={"planned_on": msg})
    if (count in (None, "")) == (share in (None, "")):
        raise ValidationFailed("请填写抽取户数或抽取比例（二选一）。", fields={"count": "请填写抽取户数或抽取比例（二选一）。"})
    try:
        per = int(str(per_inspection))
        n = int(str(count)) if count not in (None, "") else 0
    except ValueError:
        raise ValidationFailed("抽取数量和人数应为整数。", fields={"count": "应为整数。"}) from None
    ratio: Decimal | None = None
    if share not in (None, ""):
        try:
            ratio = pl.to_share(share, "share")
        except LawError as exc:
            raise _law(exc) from None
        if ratio <= 0:
            raise ValidationFailed("抽取比例应大于0。", fields={"share": "抽取比例应大于0。"})
    from anjian.enterprises.forms import EnterpriseFilterForm

    form = EnterpriseFilterForm({k: v for k, v in dict(filters).items() if k in EnterpriseFilterForm.FILTER_KEYS}, scope=scope_for(actor))
    if not form.is_valid():
        raise ValidationFailed("对象库筛选条件有误。", fields={f"filters.{k}": [str(m) for m in v] for k, v in form.errors.items()})
    clean = form.filters()
    if not filters_text:
        filters_text = "；".join(f"{form.fields[k].label}：{_choice_label(form, k, v)}" for k, v in clean.items()) or "全部单位"
    pool = ent_selectors.enterprise_list(user=actor, filters=clean)
    rows = list(pool.values_list("id", "name"))
    officers = selectors.draw_officers(agency, planned_on)
    unit_ids = sorted(r[0] for r in rows)
    if ratio is not None:
        # A share of the pool, rounded up (at least one unit when the pool is not empty).
        n = int(math.ceil(len(unit_ids) * ratio)) if unit_ids else 0
        filters_text = f"{filters_text}；按{ratio * 100:.0f}%抽取"
    # 回避: the officers of each unit's last inspection, and the officers' declared relations (利害关系
    # 申报, 《行政处罚法》第四十三条). Both are kept apart on the draw and their union goes into the
    # committed inputs, so that verification re-runs the draw with them.
    staff = {o[0] for o in officers}
    # The pool's ids as a subquery (up to 50,000 units: not a parameter each).
    last = {u: sorted(set(v) & staff) for u, v in selectors.last_inspectors(pool.order_by().values("id")).items() if set(v) & staff}
    declared = selectors.declared_exclusions(unit_ids, staff)
    exclusions = {u: sorted(set(last.get(u, ())) | set(declared.get(u, ()))) for u in set(last) | set(declared)}
    d = Draw(
        jurisdiction_id=agency.jurisdiction_id, owner_agency=agency, public_id=uuid.uuid4(), title=title[:100], filters={k: str(v) for k, v in clean.items()}, filters_text=filters_text[:500],
        units=unit_ids, unit_names={str(i): name for i, name in rows}, officers=sorted(o[0] for o in officers),
        officer_names={str(o[0]): f"{o[1]}（执法证{o[2]}）" for o in officers}, exclusions={str(k): v for k, v in exclusions.items()},
        exclusion_sources={"last_inspection": {str(k): v for k, v in last.items()}, "declared": {str(k): v for k, v in declared.items()}},
        count=n, per_inspection=per, planned_on=planned_on, draw_at=draw_at, created_by=actor,
    )  # fmt: skip
    d.commitment = {"draw_at": timezone.localtime(draw_at).isoformat()}
    inputs = draw_inputs(d)
    try:
        dr.check(inputs)
    except LawError as exc:
        raise _law(exc) from None
    d.commitment = inputs.commitment()
    d.save()
    audit.record(actor=actor, action="draw.commit", obj=d, after=d.commitment)
    return d


@transaction.atomic
def draw_perform(*, actor: Any, draw: Draw, beacon: str = "") -> Draw:
    """Draw at or after the published time; the result, the seed and the publication date are stored."""
    d = Draw.objects.select_for_update(of=("self",)).select_related("owner_agency").get(pk=draw.pk)
    require_owner(actor, d, roles=DRAW_ROLES, what="该抽取")
    if d.status != DrawStatus.COMMITTED:
        raise DomainError("该抽取已完成，不能重复抽取。", code="bad_state")
    if timezone.now() < d.draw_at:
        raise DomainError(f"未到公示的抽取时间（{timezone.localtime(d.draw_at):%Y年%m月%d日 %H:%M}），不能抽取。", code="too_early", article=dr.ARTICLE_DRAW)
    d.beacon = (beacon or "").strip()[:100]
    try:
        res = dr.run(draw_inputs(d))
    except LawError as exc:
        raise _law(exc) from None
    d.seed, d.result, d.status, d.drawn_by, d.drawn_at = res.seed, res.as_list(), DrawStatus.DRAWN, actor, timezone.now()
    # The result is public from now (the draw's public page and the bureau's published plans page);
    # the due date is what the configured period allows, and the public page shows both.
    d.publish_due = timezone.localdate() + dt.timedelta(days=publish_days())
    d.save(update_fields=["beacon", "seed", "result", "status", "drawn_by", "drawn_at", "publish_due"])
    audit.record(actor=actor, action="draw.perform", obj=d, after={"seed": d.seed, "drawn": len(d.result), "beacon": d.beacon})
    return d


def draw_verify(d: Draw) -> tuple[bool, str]:
    """Re-run the stored draw; anyone may (the public page, ``anjian draw verify <id>``)."""
    if d.status != DrawStatus.DRAWN:
        return False, "尚未抽取。"
    if d.exclusion_sources:
        # The committed exclusions are exactly the last inspections' and the declared relations'.
        union: dict[str, set[int]] = {}
        for part in d.exclusion_sources.values():
            for u, staff in part.items():
                union.setdefault(str(u), set()).update(int(x) for x in staff)
        if {u: sorted(v) for u, v in union.items() if v} != {str(u): sorted(int(x) for x in v) for u, v in d.exclusions.items() if v}:
            return False, "回避记录（上次检查人员与申报的利害关系）与抽取时公示的回避名单不一致。"
    try:
        return dr.verify(draw_inputs(d), d.result, d.seed)
    except LawError as exc:
        return False, exc.message


# --- declared relations (利害关系申报, 回避: issue 13 item 5) --------------------------------------------------
@transaction.atomic
def relation_declare(*, actor: Any, enterprise: Any, kind: str, description: str = "") -> DeclaredRelation:
    """An officer declares, for themself, a relation with a unit of their ledger scope (the unit by
    its ledger number or its 统一社会信用代码). From then on no draw puts them on that unit."""
    from anjian.enterprises.models import Enterprise
    from anjian.planning.choices import RelationKind

    scope = scope_for(actor)
    if scope.staff_id is None or scope.agency_id is None or not scope.reads_business:
        raise PermissionRefused("只有执法机关的在职人员可以申报利害关系。", code="role_refused")
    if kind not in RelationKind.values:
        raise ValidationFailed("请选择关系类别。", fields={"kind": "请选择关系类别。"})
    description = (description or "").strip()
    if kind == RelationKind.OTHER and not description:
        raise ValidationFailed("“其他”关系须说明。", fields={"description": "请说明是何种关系。"})
    if len(description) > 300:
        raise ValidationFailed("说明不超过300字。", fields={"description": "说明不超过300字。"})
    ent = enterprise if isinstance(enterprise, Enterprise) else None
    if ent is None:
        from anjian.core.ids import parse_id

        raw = str(enterprise or "").strip().upper()
        qs = Enterprise.objects.for_user(actor)
        ent = qs.filter(uscc=raw).first() if len(raw) == 18 else None
        if ent is None and parse_id(raw) is not None:
            ent = qs.filter(pk=parse_id(raw)).first()
        if ent is None:
            msg = "在您可查看的企业台账中没有找到该单位（请填写统一社会信用代码或台账编号）。"
            raise ValidationFailed(msg, fields={"enterprise": msg})
    elif not Enterprise.objects.for_user(actor).filter(pk=ent.pk).exists():
        raise NotFound()
    agency = Agency.objects.get(pk=scope.agency_id)
    if DeclaredRelation.objects.active().filter(staff_id=scope.staff_id, enterprise=ent, kind=kind).exists():
        raise DomainError(f"您已申报与{ent.name}的该项关系，尚未终止。", code="relation_exists")
    row = DeclaredRelation.objects.create(
        jurisdiction_id=agency.jurisdiction_id, owner_agency=agency, staff_id=scope.staff_id, enterprise=ent, kind=kind, description=description,
        declared_on=timezone.localdate(), declared_by=actor,
    )  # fmt: skip
    audit.record(actor=actor, action="planning.relation", obj=row, after={"enterprise": ent.pk, "kind": kind})
    return row


@transaction.atomic
def relation_end(*, actor: Any, relation: DeclaredRelation, reason: str) -> DeclaredRelation:
    """The declaring officer ends their declaration (the relation no longer exists), with a reason.
    Draws committed before keep it (their committed inputs never change)."""
    row = DeclaredRelation.objects.select_for_update().get(pk=relation.pk)
    if row.staff_id != scope_for(actor).staff_id:
        raise PermissionRefused("只有申报人本人可以终止其申报。", code="not_owner")
    if row.ended_on is not None:
        raise DomainError("该申报已终止。", code="bad_state")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写终止理由。", fields={"reason": "请填写终止理由（如：已转让股份）。"})
    row.ended_on, row.end_reason = timezone.localdate(), reason[:300]
    row.save(update_fields=["ended_on", "end_reason"])
    audit.record(actor=actor, action="planning.relation_end", obj=row, after={"ended_on": row.ended_on.isoformat(), "reason": row.end_reason})
    return row


# --- grading profiles ----------------------------------------------------------------------------------
# Who changes a province's profile (issue 13 item 4). The frequencies and caps are the province's
# rules (国办发〔2024〕54号; LEGAL.md §6: CFG) and apply to every bureau of it, so one rule of
# ``anjian.legal.authority`` decides: a change is made by the agency whose jurisdiction it covers, and
# only the bureau at the top of the deployment (the city bureau) covers the province. A district or
# zone bureau cannot change the profile its neighbours plan with. Within that bureau: its leaders
# (the frequencies are an enforcement decision) and its system administrator (三员分立: the
# administrator runs the configuration). Every change is validated, audited and kept as a version.
PROFILE_ROLES = (Role.LEADER, Role.ADMIN)
PROFILE_WHAT = "分级检查频次配置"


def profile_may_edit(actor: Any, province: str) -> bool:
    """Whether ``actor`` may change (or create) the profile of ``province`` (buttons are shown only then)."""
    from anjian.legal import authority

    return authority.may_write_scope(actor, province, roles=PROFILE_ROLES)


def _require_profile_authority(actor: Any, province: str) -> None:
    from anjian.legal import authority

    authority.require_role(actor, roles=PROFILE_ROLES, message=f"{PROFILE_WHAT}只能由市级应急管理部门的局领导或系统管理员变更。")
    authority.require_scope(actor, province, what=PROFILE_WHAT, roles=PROFILE_ROLES, field="province")


def _check_profile_data(data: Any) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationFailed("配置格式错误。", fields={"data": "配置应为对象（含 rules 与 key_rules）。"})
    try:
        pl.check_profile(data)
    except LawError as exc:
        raise ValidationFailed(exc.message, code=exc.code, article=exc.article or pl.ARTICLE_CAP, fields={"data": exc.message}) from None
    from anjian.enterprises.models import Feature

    features = set(Feature.objects.values_list("code", flat=True))
    for i, r in enumerate(data["rules"], start=1):
        unknown = sorted(set(r.get("features") or ()) - features)
        if unknown:
            msg = f"第{i}条规则的企业特征“{'、'.join(unknown)}”不在企业分类表中。"
            raise ValidationFailed(msg, fields={"data": msg})
    # Only the keys the engine reads are stored.
    keep = ("code", "name", "groups", "features", "basis", "frequency", "cap", "ungraded")
    return {"rules": [{k: r[k] for k in keep if k in r} for r in data["rules"]], "key_rules": sorted(set(data.get("key_rules") or []))}


def _text(value: Any, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if len(text) > max_length:
        raise ValidationFailed(f"{label}不超过{max_length}字。", fields={field: f"{label}不超过{max_length}字。"})
    return text


def profile_version_row(profile: GradingProfile) -> GradingProfileVersion:
    """The stored version the profile reads as now (written if missing: a profile created before
    versions were kept, or the sample recreated in a flushed database)."""
    row, _ = GradingProfileVersion.objects.get_or_create(
        profile=profile, version=profile.version, defaults={"name": profile.name, "source": profile.source, "data": profile.data, "reason": "载入"}
    )
    return row


def _new_version(row: GradingProfile, *, actor: Any, reason: str) -> GradingProfileVersion:
    return GradingProfileVersion.objects.create(profile=row, version=row.version, name=row.name, source=row.source, data=row.data, reason=reason[:300], created_by=actor)


@transaction.atomic
def profile_create(*, actor: Any, name: str, source: str, reason: str = "", data: Mapping[str, Any] | None = None) -> GradingProfile:
    """The province's own profile, from ``data`` or else from the sample's values (示例配置) to be
    adjusted. The province is the actor's (the top bureau's); one profile per province is edited here
    (``planning load-profile`` may load more by code)."""
    from anjian.legal import authority

    code_of = authority.actor_jurisdiction_code(actor)
    province = authority.province_code(code_of or "") or ""
    _require_profile_authority(actor, province)
    name = _text(name, "name", "名称", 100)
    source = _text(source, "source", "依据文件", 300)
    clean = _check_profile_data(pl.SAMPLE_PROFILE if data is None else data)
    if GradingProfile.objects.select_for_update().filter(province=province, is_sample=False).exists():
        raise DomainError(f"本省（{province}）已有分级检查频次配置，请修改该配置。", code="profile_exists")
    row = GradingProfile.objects.create(
        code=f"{province}-{uuid.uuid4().hex[:8]}", name=name, province=province, is_sample=False, source=source, data=clean, active=True, version=1, updated_by=actor
    )
    _new_version(row, actor=actor, reason=reason.strip() or "建立本省配置")
    audit.record(actor=actor, action="planning.profile", obj=row, after={"version": 1, "province": province, "name": name, "source": source, "data": clean}, jurisdiction_id=None)
    return row


@transaction.atomic
def profile_update(
    *, actor: Any, profile: GradingProfile, data: Mapping[str, Any], name: str, source: str, reason: str, active: bool | None = None
) -> GradingProfile:
    """Change a province's profile: validated by the engine, saved as a new version with its
    reason, audited (before and after). The sample (示例配置) is never changed: a province builds its
    own from it. Plans already generated keep the version they were made with."""
    row = GradingProfile.objects.select_for_update().get(pk=profile.pk)
    if row.is_sample or not row.province:
        raise DomainError("示例配置不能修改：请以示例配置为基础建立本省配置。", code="profile_sample")
    _require_profile_authority(actor, row.province)
    name = _text(name, "name", "名称", 100)
    source = _text(source, "source", "依据文件", 300)
    reason = _text(reason, "reason", "修改理由", 300)
    clean = _check_profile_data(data)
    new_active = row.active if active is None else bool(active)
    if (clean, name, source, new_active) == (row.data, row.name, row.source, row.active):
        raise ValidationFailed("配置没有变化。", fields={"data": "配置没有变化。"})
    before = {"version": row.version, "name": row.name, "source": row.source, "data": row.data, "active": row.active}
    row.name, row.source, row.data, row.active, row.version, row.updated_by = name, source, clean, new_active, row.version + 1, actor
    row.save()
    _new_version(row, actor=actor, reason=reason)
    audit.record(
        actor=actor, action="planning.profile", obj=row, before=before,
        after={"version": row.version, "name": name, "source": source, "data": clean, "active": new_active, "reason": reason}, jurisdiction_id=None,
    )  # fmt: skip
    return row


@transaction.atomic
def profile_load(*, actor: Any, code: str, name: str, province: str, data: Mapping[str, Any], source: str) -> GradingProfile:
    """Load (or replace) a province's own grading profile from the operator's command line,
    validated by the engine first and kept as a new version. It then takes the place of the sample
    (示例配置) for that province's agencies (LEGAL.md §6: CFG)."""
    if not (len(province) == 6 and province.isdigit() and province.endswith("0000")):
        raise ValidationFailed("省份应为6位区划代码，如370000。", fields={"province": "省份应为6位区划代码，如370000。"})
    if not (source or "").strip():
        raise ValidationFailed("请填写依据文件。", fields={"source": "请填写依据文件。"})
    clean = _check_profile_data(data)
    if code == SAMPLE_CODE:
        raise ValidationFailed("示例配置不能被覆盖，请使用新的编码。", fields={"code": "该编码是示例配置。"})
    row, created = GradingProfile.objects.select_for_update().get_or_create(code=code, defaults={"name": name, "province": province, "data": clean})
    if row.is_sample and not created:
        raise ValidationFailed("示例配置不能被覆盖，请使用新的编码。", fields={"code": "该编码是示例配置。"})
    before = None if created else {"version": row.version, "data": row.data, "source": row.source}
    row.name, row.province, row.data, row.source, row.is_sample, row.active = name[:100], province, clean, source.strip()[:300], False, True
    row.version = 1 if created else row.version + 1
    row.updated_by = actor
    row.save()
    _new_version(row, actor=actor, reason="命令行载入")
    audit.record(actor=actor, action="planning.profile", obj=row, before=before, after={"code": code, "province": province, "source": row.source, "version": row.version}, jurisdiction_id=None)
    return row


SAMPLE_CODE = "sample-shanxi-2025"


def sample_profile_sync() -> GradingProfile:
    """The shipped sample profile (示例配置), created if missing (the data migration ships it; a
    database flushed since, e.g. by a test, gets it back here). An existing row is left as it is."""
    row, _ = GradingProfile.objects.get_or_create(
        code=SAMPLE_CODE,
        defaults={
            "name": "分级检查频次与上限（山西2025）", "province": "", "is_sample": True, "data": pl.SAMPLE_PROFILE, "active": True,
            "source": "示例配置：山西2025分级分类检查频次上限（国办发〔2024〕54号要求各地公布）；计划频次暂取上限值，请按本省规定调整",
        },
    )  # fmt: skip
    return row


# --- filing and publication (issue 13 item 6) -------------------------------------------------------------
FILE_ROLES = (Role.LEADER, Role.DEPT_HEAD, Role.OFFICE)
SUBJECT_TYPE = "planning.annualplan"


def _days(value: Any) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.1")))


def plan_document_context(plan: AnnualPlan, *, filed_to: str) -> dict[str, Any]:
    """The facts of the plan document (kind ``annual_plan``), all from the stored version."""
    cap = plan.capacity or {}
    rows = list(plan.items.filter(count__gt=0).values_list("key", "count", "cost", "months", "department__name", "enterprise_name", "key_reasons").iterator(chunk_size=5000))
    split: dict[bool, list[Any]] = {True: [0, 0, Decimal(0)], False: [0, 0, Decimal(0)]}
    n, days = [0] * 13, [Decimal(0)] * 13
    teams: dict[str, list[int]] = {}
    key_units = []
    for key, count, cost, months, team, name, reasons in rows:
        s = split[bool(key)]
        s[0] += 1
        s[1] += count
        s[2] += cost * count
        for m in months:
            if 1 <= m <= 12:
                n[m] += 1
                days[m] += cost
        t = teams.setdefault(team or "未指定科室", [0, 0])
        t[0] += count
        t[1] += count if key else 0
        if key:
            key_units.append({"name": name, "reasons": "、".join(reasons), "count": str(count), "months": "、".join(str(m) for m in months)})
    total = [split[True][0] + split[False][0], split[True][1] + split[False][1], split[True][2] + split[False][2]]
    return {
        "plan_year": str(plan.year),
        "version_label": f"第{plan.version}版" + (f"，修订理由：{plan.change_reason}" if plan.change_reason else ""),
        "filed_to": filed_to,
        "approved_on": timezone.localtime(plan.approved_at).date() if plan.approved_at else timezone.localdate(),
        "profile_name": plan.profile_name + (f"（第{plan.profile_version.version}版）" if plan.profile_version_id and plan.profile_version else ""),
        "provisional_note": f"本计划按临时日历测算：{plan.year}年法定节假日安排编制时尚未载入，工作日按周末推算。" if plan.provisional else "",
        "capacity_lines": [{"label": ln["label"], "formula": ln["formula"], "value": ln["value"]} for ln in cap.get("lines", [])],
        # Each part against its own share, as the fit and the submission check it (LEGAL.md §6).
        "split": [
            {"label": label, "units": str(v[0]), "inspections": str(v[1]), "workdays": _days(v[2]), "available": _cap_days(max(avail, Decimal(0)))}
            for label, v, avail in (("重点检查", split[True], plan.key_available), ("一般检查", split[False], plan.general_available), ("合计", total, plan.available))
        ],
        "share_check": _share_check_text(plan),
        "months": [{"label": f"{m}月", "inspections": str(n[m]), "workdays": _days(days[m])} for m in range(1, 13)]
        + [{"label": "全年", "inspections": str(sum(n)), "workdays": _days(sum(days, Decimal(0)))}],
        "teams": [{"text": f"{k}：全年检查{v[0]}次，其中重点检查{v[1]}次。"} for k, v in sorted(teams.items())],
        "fit_summary": plan.fit_summary or "—",
        "key_units": key_units,
    }


def _cap_days(value: Any) -> str:
    """Capacity figures with the two places the capacity lines print (e.g. 401.76)."""
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def _share_check_text(plan: AnnualPlan) -> str:
    """What the submission checked, in the document's words: each part against its own share."""
    over, why = plan.capacity_check()
    if over > 0:
        return f"经核对，{why}；超出部分已于提交时确认。" if plan.over_capacity_ack else f"经核对，{why}。"
    extra = f"（重点单位超出重点检查份额的{plan.key_demand - plan.key_available}个工作日从一般检查份额中安排）" if plan.key_demand > plan.key_available else ""
    return (
        f"经核对，重点检查需要{_days(plan.key_demand)}个工作日，可安排{_cap_days(plan.key_available)}个；"
        f"一般检查需要{_days(plan.general_demand)}个工作日，未超过一般检查可安排的{_cap_days(plan.general_available)}个{extra}。"
    )


def _filed_to(agency: Agency) -> str:
    parent = Agency.objects.filter(pk=agency.parent_id).values_list("name", flat=True).first() if agency.parent_id else None
    return parent or "上级应急管理部门"


@transaction.atomic
def plan_file(*, actor: Any, plan: AnnualPlan) -> AnnualPlan:
    """File the approved plan with the level above (报上级备案): the plan document (.docx, kind
    ``annual_plan``) is issued through the documents engine in the same transaction; the .xlsx of
    the items goes with it (``planning:xlsx``)."""
    from anjian.documents import services as documents

    p = _locked(plan, actor, roles=FILE_ROLES)
    if p.status != PlanStatus.APPROVED:
        raise DomainError(f"计划当前为“{p.get_status_display()}”：只有已批准的计划可以报上级备案。", code="bad_state")
    agency = Agency.objects.select_related("jurisdiction").get(pk=p.owner_agency_id)
    filed_to = _filed_to(agency)
    doc = documents.document_issue(
        actor=actor, kind_code="annual_plan", agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr, jurisdiction=agency.jurisdiction,
        subject_type=SUBJECT_TYPE, subject_id=p.pk, context=plan_document_context(p, filed_to=filed_to), issued_on=timezone.localdate(),
    )  # fmt: skip
    p.status, p.filed_to, p.filed_by, p.filed_at = PlanStatus.FILED, filed_to[:100], actor, timezone.now()
    p.save(update_fields=["status", "filed_to", "filed_by", "filed_at"])
    audit.record(actor=actor, action="plan.file", obj=p, after={"status": p.status, "filed_to": filed_to, "document": doc.number})
    return p


@transaction.atomic
def plan_publish(*, actor: Any, plan: AnnualPlan) -> AnnualPlan:
    """Publish the filed plan (向社会公布): its totals appear on the bureau's public page
    (``planning:public-plans``), without any unit, person or internal note."""
    p = _locked(plan, actor, roles=FILE_ROLES)
    if p.status != PlanStatus.FILED:
        raise DomainError(f"计划当前为“{p.get_status_display()}”：报上级备案后方可公布。", code="bad_state")
    p.status, p.published_by, p.published_at = PlanStatus.PUBLISHED, actor, timezone.now()
    p.public_summary = selectors.plan_public_summary(p)  # what the public page shows, fixed now
    p.save(update_fields=["status", "published_by", "published_at", "public_summary"])
    audit.record(actor=actor, action="plan.publish", obj=p, after={"status": p.status})
    return p


def plan_documents(plan: AnnualPlan) -> list[Any]:
    from anjian.documents.models import IssuedDocument

    return list(IssuedDocument.objects.filter(kind="annual_plan", subject_type=SUBJECT_TYPE, subject_id=str(plan.pk)).order_by("-issued_at"))


def plan_xlsx(plan: AnnualPlan) -> Any:
    """The plan's items as a workbook (计划明细表): every unit with its grade, key reasons, count,
    months and team, then the month totals. Written row by row (a city's plan may hold tens of thousands)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from anjian.core import xlsx

    bold = Font(bold=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("计划明细")
    ws.append(xlsx.row(ws, [f"{plan}（{plan.get_status_display()}）"], font=bold))
    ws.append(
        xlsx.row(
            ws,
            ["序号", "单位名称", "行业", "分级", "适用规则", "重点单位", "重点依据", "建议频次", "年度上限", "计划次数", "安排月份", "承担科室", "每次工作日（人·日）", "备注"],
            font=bold,
        )
    )
    fields = ("enterprise_name", "group", "grade_label", "rule", "key", "key_reasons", "frequency", "cap", "count", "months", "department__name", "cost", "note")
    for i, r in enumerate(plan.items.order_by("-key", "-frequency", "enterprise_name", "id").values_list(*fields).iterator(chunk_size=5000), start=1):
        name, group, grade, rule, key, reasons, freq, cap, count, months, team, cost, note = r
        ws.append(
            xlsx.row(
                ws,
                [
                    i,
                    name,
                    pl.GROUP_NAMES.get(group, group),
                    grade,
                    rule,
                    "是" if key else "",
                    "、".join(reasons),
                    freq,
                    cap,
                    count,
                    "、".join(str(m) for m in months),
                    team or "",
                    float(cost),
                    note,
                ],
            )
        )
    ws = wb.create_sheet("月度安排")
    ws.append(xlsx.row(ws, ["月份", "检查次数", "工作日（人·日）"], font=bold))
    for m in selectors.plan_months(plan):
        ws.append(xlsx.row(ws, [f"{m['month']}月", m["inspections"], float(m["workdays"])]))
    ws = wb.create_sheet("力量测算")
    ws.append(xlsx.row(ws, ["项目", "算式", "数值"], font=bold))
    for ln in (plan.capacity or {}).get("lines", []):
        ws.append(xlsx.row(ws, [ln["label"], ln["formula"], ln["value"]]))
    return wb
