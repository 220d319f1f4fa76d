"""Every write of checklists and inspections (STYLE.md principle 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from anjian.core import audit
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.scoping import require_owner, scope_for
from anjian.core.validators import date_bounds_error
from anjian.documents.choices import DocumentStatus
from anjian.documents.models import IssuedDocument
from anjian.documents.registry import inspection_time_errors
from anjian.documents.rendering import cn_date
from anjian.enterprises.models import Enterprise, Site
from anjian.inspections.choices import InspectionStatus, InspectionType, ItemResult, PartySignature, TemplateKind, TemplateStatus
from anjian.inspections.evidence import inspect_file
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Evidence,
    Finding,
    Inspection,
    InspectionExpert,
    InspectionItem,
    InspectionOfficer,
)
from anjian.legal import authority
from anjian.org.choices import Role, StaffKind
from anjian.org.models import Agency, Certificate, Membership, Staff
from anjian.org.selectors import staff_for_actor
from anjian.planning.models import PlanItem

INSPECT_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD)


# --- officers ------------------------------------------------------------------------------------
def check_officers(*, agency: Agency, staff_ids: Sequence[int], day: dt.date, actor: Any = None, joint_agencies: Sequence[Agency] = ()) -> list[dict[str, Any]]:
    """Check every officer on ``day``: a civil servant, a member of ``agency`` (or, for a joint
    inspection, of one of ``joint_agencies``) with the officer role, holding a certificate valid
    that day. At least two must pass (XZCF §42, §55; AQSCF §67).

    With ``actor``, an id of staff the actor cannot see is answered exactly like a missing id
    (``org.selectors.visible_staff_ids``): the check never names another bureau's staff.
    Returns the check result per person (stored on the inspection); raises naming who and why.
    """
    from anjian.org.selectors import clean_ids, visible_staff_ids

    agencies = [agency, *[a for a in joint_agencies if a.pk != agency.pk]]
    ids = clean_ids(staff_ids)
    bad_ids = [i for i in staff_ids if not clean_ids([i])]
    if actor is not None:
        visible = visible_staff_ids(actor, ids, on=day, extra_agency_ids=[a.pk for a in agencies])
        bad_ids += [i for i in ids if i not in visible]
        ids = [i for i in ids if i in visible]
    staff = {s.pk: s for s in Staff.objects.filter(pk__in=ids)}
    memberships = {
        m.staff_id: m
        for m in Membership.objects.valid_on(day).filter(staff_id__in=ids, agency__in=agencies).prefetch_related("role_grants")
    }
    certs: dict[int, list[Certificate]] = {}
    for c in Certificate.objects.filter(staff_id__in=ids).prefetch_related("events").order_by("-valid_to"):
        certs.setdefault(c.staff_id, []).append(c)
    results: list[dict[str, Any]] = []
    problems: list[str] = [f"人员编号{i}不存在" for i in bad_ids]
    agency_names = "、".join(a.name for a in agencies)
    for sid in ids:
        s = staff.get(sid)
        if s is None:
            problems.append(f"人员编号{sid}不存在")
            continue
        entry: dict[str, Any] = {"staff_id": sid, "name": s.name, "certificate_id": None, "certificate_number": "", "valid": False, "reason": ""}
        m = memberships.get(sid)
        if s.kind != StaffKind.CIVIL_SERVANT:
            entry["reason"] = f"{s.name}是{s.get_kind_display()}，不能作为执法人员"
        elif m is None:
            entry["reason"] = f"{s.name}在{cn_date(day)}不是{agency_names}的在职人员"
        elif not set(m.roles) & {Role.OFFICER}:
            entry["reason"] = f"{s.name}未被授予执法人员角色"
        else:
            reasons = []
            for c in certs.get(sid, []):
                ok, why = c.status_on(day, list(c.events.all()))
                if ok:
                    entry.update(certificate_id=c.pk, certificate_number=c.number, valid=True, reason="有效")
                    break
                reasons.append(why)
            if not entry["valid"]:
                entry["reason"] = f"{s.name}:" + ("；".join(reasons) if reasons else "未持有行政执法证")
        if not entry["valid"]:
            problems.append(entry["reason"])
        results.append(entry)
    if problems:
        raise ValidationFailed(
            "执法人员不符合要求：" + "；".join(problems) + "。",
            code="officers_invalid",
            article="《行政处罚法》第四十二条、第五十五条；《安全生产法》第六十七条",
            fields={"officers": problems},
        )
    if len(results) < 2:
        raise ValidationFailed(
            "执法人员不得少于两人，且均须持有有效的行政执法证件。",
            code="officers_too_few",
            article="《行政处罚法》第四十二条",
            fields={"officers": "执法人员不得少于两人。"},
        )
    return results


# Who joins an inspection as expert or auxiliary staff (they never count as officers).
EXPERT_KINDS = (StaffKind.EXPERT, StaffKind.AUXILIARY)


def joint_agencies_for(*, enterprise: Enterprise, agency: Agency, ids: Sequence[Any]) -> list[Agency] | str:
    """The agencies of a joint inspection led by ``agency``: each must have jurisdiction over the
    unit (the bureau of the unit's jurisdiction or the bureau above it). Returns the agencies, or
    a Chinese message; an id of another agency answers like a missing one."""
    from anjian.org.selectors import clean_ids

    wanted = [i for i in clean_ids(ids) if i != agency.pk]
    if not wanted:
        return []
    j = enterprise.jurisdiction
    allowed = Agency.objects.filter(Q(jurisdiction_id=j.pk) | Q(jurisdiction_id=j.parent_id) if j.parent_id else Q(jurisdiction_id=j.pk))
    found = {a.pk: a for a in allowed.filter(pk__in=wanted)}
    missing = [i for i in wanted if i not in found] + [i for i in ids if not clean_ids([i])]
    if missing:
        return "".join(f"机关编号{i}不存在或对该单位没有管辖权。" for i in missing)
    return [found[i] for i in wanted]


# --- checklists ------------------------------------------------------------------------------------
def usable_templates(agency_id: int | None) -> QuerySet[ChecklistTemplate]:
    """Published lists an agency may inspect with: the statutory ones (owned by no agency) and its
    own. Another agency's own list applies to that agency only (issue 8: one agency's configuration
    never changes another's)."""
    return ChecklistTemplate.objects.filter(status=TemplateStatus.PUBLISHED).filter(Q(owner_agency__isnull=True) | Q(owner_agency_id=agency_id))


def templates_for(enterprise: Enterprise, *, agency_id: int | None = None) -> list[ChecklistTemplate]:
    """Published templates that apply to the unit's sectors and features (general ones always),
    among those the inspecting agency may use (``usable_templates``)."""
    sectors = {s.code for s in enterprise.sectors.all()}
    groups = {c.split(".")[0] for c in sectors}
    features = {f.code for f in enterprise.features.all()}
    out = []
    for t in usable_templates(agency_id).order_by("kind", "code"):
        if t.kind == TemplateKind.BUREAU and not t.sectors and not t.features:
            continue  # bureau lists with no scope are picked by hand
        ts, tf = set(t.sectors), set(t.features)
        # Both must hold: the unit is in one of the template's sectors (if it names any) and has
        # one of its features (if it names any) — e.g. the dust list is for 工贸 units with dust.
        if (not ts or ts & (sectors | groups)) and (not tf or tf & features):
            out.append(t)
    prefetch_related_objects(out, "items")  # the items of the chosen lists, in one query
    return out


# Who writes checklists: a system administrator or a department head of the owning agency; a
# statutory list owned by no agency only the top bureau's administrator (legal.authority).
CHECKLIST_ROLES = (Role.ADMIN, Role.DEPT_HEAD)


@transaction.atomic
def checklist_create(*, actor: Any, code: str, name: str, kind: str, sectors: Iterable[str] = (), features: Iterable[str] = (), source: str = "", items: Sequence[dict[str, str]] = ()) -> ChecklistTemplate:
    scope = scope_for(actor)
    if not scope.has_role(Role.ADMIN, Role.DEPT_HEAD):
        raise PermissionRefused("只有系统管理员或科室负责人可以编制检查表。")
    if ChecklistTemplate.objects.filter(code=code).exists():
        raise ValidationFailed("检查表编码已存在，请在原检查表上建立新版本。", fields={"code": "编码已存在。"})
    # A criteria or general list written by the top bureau's administrator applies to every
    # agency (owned by none); anything else is the author's agency's own (legal.authority).
    statutory = kind in (TemplateKind.CRITERIA, TemplateKind.GENERAL) and scope.has_role(Role.ADMIN) and authority.is_top(authority.actor_jurisdiction(actor))
    owner = None if statutory else Agency.objects.get(pk=scope.agency_id)
    t = ChecklistTemplate.objects.create(code=code, name=name, kind=kind, sectors=list(sectors), features=list(features), source=source, owner_agency=owner)
    _set_items(t, items)
    audit.record(actor=actor, action="checklist.create", obj=t, after={"code": code, "name": name, "items": len(items), "owner_agency": t.owner_agency_id, "source": t.source})
    return t


def _set_items(t: ChecklistTemplate, items: Sequence[dict[str, str]]) -> None:
    rows = []
    for i, it in enumerate(items, start=1):
        text = (it.get("text") or "").strip()
        if not text:
            raise ValidationFailed(f"第{i}项检查内容为空。", fields={"items": f"第{i}项检查内容为空。"})
        rows.append(ChecklistItem(template=t, order=i, text=text[:500], legal_basis=(it.get("legal_basis") or "")[:300], criterion_id=it.get("criterion_id") or "", violation_id=it.get("violation_id") or ""))
    ChecklistItem.objects.bulk_create(rows)


@transaction.atomic
def checklist_set_items(*, actor: Any, template: ChecklistTemplate, items: Sequence[dict[str, str]]) -> ChecklistTemplate:
    """Replace the items of a draft. A published checklist never changes (make a new version)."""
    t = ChecklistTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    authority.require_checklist_authority(actor, owner_agency_id=t.owner_agency_id, roles=CHECKLIST_ROLES, what="修改")
    if t.status != TemplateStatus.DRAFT:
        raise DomainError("已发布的检查表不能修改，请建立新版本；新版本只用于之后开始的检查。", code="checklist_published")
    t.items.all().delete()
    _set_items(t, items)
    audit.record(actor=actor, action="checklist.create", obj=t, after={"code": t.code, "version": t.version, "items": len(items), "source": t.source}, note="修改草稿检查项")
    return t


@transaction.atomic
def checklist_new_version(*, actor: Any, template: ChecklistTemplate, items: Sequence[dict[str, str]], name: str | None = None) -> ChecklistTemplate:
    """An edit of a published checklist is a new draft version; inspections keep their copy."""
    last = ChecklistTemplate.objects.select_for_update(of=("self",)).filter(code=template.code).order_by("-version").first()
    assert last is not None
    authority.require_checklist_authority(actor, owner_agency_id=last.owner_agency_id, roles=CHECKLIST_ROLES, what="修订")
    if last.status == TemplateStatus.DRAFT:
        raise DomainError("该检查表已有未发布的草稿版本，请先发布或修改草稿。", code="draft_exists")
    t = ChecklistTemplate.objects.create(code=template.code, version=last.version + 1, name=name or template.name, kind=template.kind, sectors=template.sectors, features=template.features, source=template.source, owner_agency=template.owner_agency)
    _set_items(t, items)
    audit.record(actor=actor, action="checklist.create", obj=t, after={"code": t.code, "version": t.version, "items": len(items), "source": t.source}, note=f"以第{last.version}版建立新草稿")
    return t


@transaction.atomic
def checklist_publish(*, actor: Any, template: ChecklistTemplate) -> ChecklistTemplate:
    t = ChecklistTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    authority.require_checklist_authority(actor, owner_agency_id=t.owner_agency_id, roles=CHECKLIST_ROLES, what="发布")
    if t.status != TemplateStatus.DRAFT:
        raise DomainError("只有草稿可以发布。", code="not_draft")
    ChecklistTemplate.objects.filter(code=t.code, status=TemplateStatus.PUBLISHED).update(status=TemplateStatus.RETIRED)
    t.status = TemplateStatus.PUBLISHED
    t.published_at = timezone.now()
    t.save(update_fields=["status", "published_at"])
    audit.record(actor=actor, action="checklist.publish", obj=t, after={"code": t.code, "version": t.version, "owner_agency": t.owner_agency_id, "source": t.source})
    return t


# --- inspections ------------------------------------------------------------------------------------
@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    type: str,
    inspected_on: dt.date,
    started_at: dt.datetime,
    place: str,
    officer_ids: Sequence[int],
    expert_ids: Sequence[int] = (),
    site: Site | None = None,
    template_ids: Sequence[int] | None = None,
    idempotency_key: str | None = None,
    extra_items: Sequence[dict[str, str]] = (),
    joint_agency_ids: Sequence[int] = (),
    jurisdiction_id: int | None = None,
    plan_item_id: Any = None,
) -> Inspection:
    """Open an inspection. Any bureau with jurisdiction may inspect (the planned subject drives
    plans, not access); the inspection belongs to the inspecting agency.

    ``joint_agency_ids`` records a joint inspection (联合检查) with other agencies that have
    jurisdiction over the unit (the unit's own bureau or the city above it); their officers may
    then take part, and the documents may name them. Otherwise every officer and expert is of the
    inspecting agency. Staff ids are checked through ``org.selectors`` (visible, right kind,
    valid that day): an id of another bureau's staff is answered like a missing id.

    ``jurisdiction_id``: only for a re-inspection of hazards kept by the bureau that ordered them
    after the unit moved (``hazards.reinspection_start`` passes the hazards' jurisdiction).

    ``plan_item_id``: the annual plan's item this inspection carries out (issue 13 item 7), checked
    by ``plan_item_error``: the same unit, the inspecting bureau's approved plan of the inspection's
    year, a planned or random inspection."""
    if idempotency_key:
        existing = Inspection.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.created_by_id != actor.pk:
                raise ValidationFailed("幂等键已被使用。", fields={"idempotency_key": "幂等键已被使用。"})
            return existing
    scope = scope_for(actor)
    record_jurisdiction = enterprise.jurisdiction_id if jurisdiction_id is None else jurisdiction_id
    if record_jurisdiction not in scope.jurisdiction_ids:
        raise NotFound()
    if not scope.has_role(*INSPECT_ROLES):
        raise PermissionRefused("您的角色不能开展监督检查。", code="role_refused")
    errors: dict[str, str] = {}
    if type not in InspectionType.values:
        errors["type"] = "未知的检查类型。"
    today = timezone.localdate()
    if inspected_on is None:
        errors["inspected_on"] = "请填写检查日期。"
    elif msg := date_bounds_error(inspected_on, "fact"):
        errors["inspected_on"] = msg
    elif inspected_on > today:
        errors["inspected_on"] = "检查日期不能晚于今天。"
    if not (place or "").strip():
        errors["place"] = "请填写检查地点。"
    if site is not None and site.enterprise_id != enterprise.pk:
        errors["site"] = "场所不属于该单位。"
    agency = Agency.objects.get(pk=scope.agency_id)
    joint = joint_agencies_for(enterprise=enterprise, agency=agency, ids=joint_agency_ids)
    if isinstance(joint, str):
        errors["joint_agency_ids"] = joint
    plan_item = None
    if plan_item_id not in (None, ""):
        plan_item, msg = linked_plan_item(plan_item_id, agency=agency, enterprise=enterprise, type=type, day=inspected_on)
        if msg:
            errors["plan_item"] = msg
    if errors:
        raise ValidationFailed("检查信息有误。", fields=errors)
    assert not isinstance(joint, str)
    officer_check = check_officers(agency=agency, staff_ids=officer_ids, day=inspected_on, actor=actor, joint_agencies=joint)
    officer_set = {o["staff_id"] for o in officer_check}
    # Experts and auxiliary staff of the inspecting (or a joint) agency on the day: exactly what the form offers.
    experts = staff_for_actor(
        actor, expert_ids, on=inspected_on, agency_ids=[agency.pk, *(a.pk for a in joint)], kinds=EXPERT_KINDS,
        what="参检机关的专家或辅助人员", field="expert_ids",
    )  # fmt: skip
    if any(e.pk in officer_set for e in experts):
        raise ValidationFailed("同一人不能既是执法人员又是专家。", fields={"experts": "人员重复。"})
    if type == InspectionType.EXPERT and not experts:
        raise ValidationFailed("专家诊断检查须有专家参加。", fields={"experts": "请选择参加的专家。"})
    insp = Inspection(
        jurisdiction_id=record_jurisdiction, owner_agency=agency, enterprise=enterprise, site=site, type=type,
        inspected_on=inspected_on, started_at=started_at, place=place.strip(), certificate_check=officer_check,
        idempotency_key=idempotency_key or None, created_by=actor, joint=bool(joint), plan_item=plan_item,
    )  # fmt: skip
    try:
        with transaction.atomic():
            insp.save()
    except IntegrityError:
        raise ValidationFailed("幂等键已被使用。", fields={"idempotency_key": "幂等键已被使用。"}) from None
    if joint:
        insp.joint_agencies.set(joint)
    InspectionOfficer.objects.bulk_create(
        [InspectionOfficer(inspection=insp, staff_id=o["staff_id"], certificate_id=o["certificate_id"], certificate_number=o["certificate_number"], order=i) for i, o in enumerate(officer_check)]
    )
    InspectionExpert.objects.bulk_create([InspectionExpert(inspection=insp, staff=e, role_note=e.get_kind_display()) for e in experts])
    templates = list(usable_templates(agency.pk).filter(pk__in=template_ids).prefetch_related("items")) if template_ids is not None else templates_for(enterprise, agency_id=agency.pk)
    insp.templates.set(templates)
    rows = [
        InspectionItem(inspection=insp, source_item=ci, order=order, text=ci.text, legal_basis=ci.legal_basis, criterion_id=ci.criterion_id, violation_id=ci.violation_id)
        for order, ci in plan_items(templates)
    ]
    order = len(rows)
    for extra in extra_items:
        order += 1
        rows.append(InspectionItem(inspection=insp, order=order, text=(extra.get("text") or "")[:500], legal_basis=extra.get("legal_basis") or ""))
    InspectionItem.objects.bulk_create(rows)
    after = {"enterprise": enterprise.pk, "type": type, "inspected_on": inspected_on, "officers": [o["name"] for o in officer_check], "items": len(rows)}
    audit.record(actor=actor, action="inspection.create", obj=insp, after={**after, "plan_item": plan_item.pk if plan_item else None})
    return insp


# Only these inspections carry out a plan item: the others (complaint, accident, transfer,
# re-inspection, special, expert) are outside the plan, exempt from the cap and counted separately
# (LEGAL.md §6, 国办发〔2024〕54号).
PLAN_TYPES = (InspectionType.PLANNED, InspectionType.RANDOM)


def linked_plan_item(value: Any, *, agency: Agency, enterprise: Enterprise, type: str, day: dt.date | None) -> tuple[PlanItem | None, str]:
    """The plan item ``value`` names, or the Chinese reason it cannot be linked (AQSCF §62: the
    bureau inspects according to its approved plan). An id of another bureau's plan reads as missing."""
    from anjian.core.ids import parse_id
    from anjian.planning.choices import IN_FORCE

    n = parse_id(value)
    item = PlanItem.objects.select_related("plan").filter(pk=n, plan__owner_agency_id=agency.pk).first() if n is not None else None
    if item is None:
        return None, "计划检查事项不存在，或不属于本机关的年度计划。"
    if item.enterprise_id != enterprise.pk:
        return None, f"该计划检查事项是“{item.enterprise_name}”的，不是本次被检查单位的（计划检查应对计划中的单位开展）。"
    if item.plan.status not in IN_FORCE:
        state = item.plan.get_status_display()
        return None, f"该计划检查事项所在的计划（第{item.plan.version}版）为“{state}”，只能关联已批准且在执行中的年度计划（《安全生产法》第六十二条：按年度监督检查计划检查）。"
    if day is not None and item.plan.year != day.year:
        return None, f"该计划检查事项属于{item.plan.year}年度计划，与检查日期所在年度不符。"
    if item.count <= 0:
        return None, "该单位在计划中安排0次检查，不能关联。"
    if type not in PLAN_TYPES:
        return None, "只有计划检查或双随机检查可以关联年度计划；投诉举报核查、事故调查、移交、复查等计划外检查单独统计，不计入计划（国办发〔2024〕54号）。"
    return item, ""


def plan_done(year: int, agency_ids: Iterable[int], enterprise_ids: Iterable[int] | None) -> dict[tuple[int, int], list[dt.date]]:
    """Per (inspecting agency, unit): the dates of completed inspections linked to that agency's plan
    items of ``year`` (the planning app's execution figures read this). One query."""
    qs = Inspection.objects.filter(status=InspectionStatus.COMPLETED, plan_item__isnull=False, plan_item__plan__year=year, owner_agency_id__in=list(agency_ids))
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    out: dict[tuple[int, int], list[dt.date]] = {}
    for agency_id, ent_id, day in qs.order_by().values_list("owner_agency_id", "enterprise_id", "inspected_on").iterator(chunk_size=5000):
        out.setdefault((agency_id, ent_id), []).append(day)
    return out


def _locked_own(actor: Any, inspection: Inspection) -> Inspection:
    """The inspection row, locked for this transaction, after checking the actor's bureau owns it."""
    insp = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require_owner(actor, insp, roles=INSPECT_ROLES, what="该检查")
    return insp


def _editable(actor: Any, inspection: Inspection) -> Inspection:
    insp = _locked_own(actor, inspection)
    if insp.status != InspectionStatus.DRAFT:
        raise DomainError("检查已完成，记录不能再修改。", code="inspection_completed")
    return insp


@transaction.atomic
def inspection_record_results(*, actor: Any, inspection: Inspection, results: Sequence[dict[str, Any]]) -> Inspection:
    """Record item results in one go (the field form saves 150 items at once).

    A non-compliant item is a finding: its Finding row is created, updated or removed here.
    """
    insp = _editable(actor, inspection)
    items = {i.pk: i for i in insp.items.all()}
    by_order = {i.order: i for i in items.values()}
    changed: list[InspectionItem] = []
    errors: dict[str, str] = {}
    for r in results:
        item = items.get(int(r["item"])) if r.get("item") is not None else by_order.get(int(r.get("order", 0)))
        if item is None:
            errors[f"item_{r.get('item') or r.get('order')}"] = "检查项不属于本次检查。"
            continue
        result = r.get("result", item.result)
        if result not in ItemResult.values:
            errors[f"item_{item.pk}"] = "结果须为符合、不符合、不适用或未检查。"
            continue
        note = (r.get("note") or "")[:500]
        if result == ItemResult.NONCOMPLIANT and not note.strip():
            note = ""
        item.result, item.note = result, note
        changed.append(item)
    if errors:
        raise ValidationFailed("检查结果有误。", fields=errors)
    InspectionItem.objects.bulk_update(changed, ["result", "note"])
    _sync_findings(insp)
    insp.save(update_fields=["updated_at"])
    return insp


def _sync_findings(insp: Inspection) -> None:
    items = list(insp.items.all())
    existing = {f.item_id: f for f in Finding.objects.filter(inspection=insp)}
    wanted = {i.pk: i for i in items if i.result == ItemResult.NONCOMPLIANT}
    stale = [f.pk for iid, f in existing.items() if iid not in wanted]
    if stale:
        if Finding.objects.filter(pk__in=stale, hazards__isnull=False).exists():
            raise DomainError("该问题已登记隐患，不能改为符合；请先处理相应隐患。", code="finding_in_use")
        Finding.objects.filter(pk__in=stale).delete()
    new, upd = [], []
    for iid, i in wanted.items():
        desc = (i.note or i.text)[:500]
        f = existing.get(iid)
        if f is None:
            new.append(Finding(inspection=insp, item=i, enterprise_id=insp.enterprise_id, jurisdiction_id=insp.jurisdiction_id, description=desc, legal_basis=i.legal_basis, criterion_id=i.criterion_id, violation_id=i.violation_id, found_on=insp.inspected_on))
        elif f.description != desc:
            f.description = desc
            upd.append(f)
    Finding.objects.bulk_create(new)
    if upd:
        Finding.objects.bulk_update(upd, ["description"])


@transaction.atomic
def finding_add(*, actor: Any, inspection: Inspection, description: str, legal_basis: str = "", order_to_correct: bool = False, criterion_id: str = "", violation_id: str = "") -> Finding:
    """A finding outside the checklist (the officer saw something no item lists)."""
    insp = _editable(actor, inspection)
    if not (description or "").strip():
        raise ValidationFailed("请填写问题描述。", fields={"description": "请填写问题描述。"})
    f = Finding.objects.create(inspection=insp, enterprise_id=insp.enterprise_id, jurisdiction_id=insp.jurisdiction_id, description=description.strip()[:500], legal_basis=legal_basis, order_to_correct=order_to_correct, criterion_id=criterion_id, violation_id=violation_id, found_on=insp.inspected_on)
    audit.record(actor=actor, action="finding.create", obj=insp, after={"finding": f.pk, "description": f.description})
    return f


@transaction.atomic
def evidence_add(*, actor: Any, inspection: Inspection, kind: str, fh: IO[bytes], name: str, item: InspectionItem | None = None, note: str = "") -> Evidence:
    insp = _locked_own(actor, inspection)
    if kind != "scan" and insp.status != InspectionStatus.DRAFT:
        raise DomainError("检查已完成，不能再补充现场证据。", code="inspection_completed")
    if item is not None and item.inspection_id != insp.pk:
        raise ValidationFailed("检查项不属于本次检查。", fields={"item": "检查项不属于本次检查。"})
    mime, size, sha = inspect_file(fh, kind=kind, declared_name=name)
    ev = Evidence(inspection=insp, item=item, kind=kind, original_name=name[:200], content_type=mime, size=size, sha256=sha, note=note, uploaded_by=actor)
    ev.file.save(sha, File(fh), save=False)
    ev.save()
    audit.record(actor=actor, action="evidence.add", obj=insp, after={"evidence": ev.pk, "kind": kind, "sha256": sha, "size": size, "name": name})
    return ev


@transaction.atomic
def inspection_complete(
    *,
    actor: Any,
    inspection: Inspection,
    party_representative: str,
    party_signature: str,
    ended_at: dt.datetime | None = None,
    refusal_note: str = "",
    summary: str = "",
    onsite_handling: str = "",
    party_title: str = "",
) -> Inspection:
    """Close the on-site record: every item answered; the party signs, or its refusal is recorded
    (AQSCF §68), or the record is printed for paper signature and the scan uploaded later.

    The end is the moment of completion unless the officer gives it (the offline form stamps the
    moment its 完成检查 was pressed). The times pass the same rule as the record
    (``registry.inspection_time_errors``), so a completed inspection can always be recorded."""
    insp = _editable(actor, inspection)
    errors: dict[str, str] = {}
    unchecked = insp.items.filter(result=ItemResult.UNCHECKED).count()
    if unchecked:
        errors["items"] = f"还有{unchecked}项未检查（可选择“不适用”）。"
    ended_at = ended_at or timezone.now()
    errors.update(_time_errors(insp.started_at, ended_at))
    if not (party_representative or "").strip():
        errors["party_representative"] = "请填写被检查单位现场负责人。"
    if party_signature not in (PartySignature.SIGNED, PartySignature.REFUSED, PartySignature.PAPER):
        errors["party_signature"] = "请选择签字情况：已签字、拒绝签字或纸质签字。"
    if party_signature == PartySignature.REFUSED and not (refusal_note or "").strip():
        errors["refusal_note"] = "被检查单位负责人拒绝签字的，检查人员应当将情况记录在案（《安全生产法》第六十八条）。"
    if insp.findings.filter(description="").exists():
        errors["findings"] = "问题描述不能为空。"
    if errors:
        raise ValidationFailed("检查记录尚不完整。", fields=errors, article="《安全生产法》第六十八条")
    insp.ended_at = ended_at
    insp.party_representative = party_representative.strip()
    insp.party_title = party_title.strip()
    insp.party_signature = party_signature
    insp.refusal_note = refusal_note.strip()
    insp.summary = summary
    insp.onsite_handling = onsite_handling
    insp.status = InspectionStatus.COMPLETED
    insp.save()
    audit.record(actor=actor, action="inspection.complete", obj=insp, after={"party_signature": party_signature, "findings": insp.findings.count()})
    return insp


def _time_errors(started_at: dt.datetime, ended_at: dt.datetime | None) -> dict[str, str]:
    errors = inspection_time_errors(started_at, ended_at)
    if not errors and ended_at is not None and ended_at > timezone.now() + dt.timedelta(minutes=5):
        errors["ended_at"] = "检查结束时间不能晚于现在。"
    return errors


def record_issued(inspection: Inspection) -> bool:
    """Whether the 现场检查记录 of the inspection stands (issued and not voided)."""
    return IssuedDocument.objects.filter(
        kind="inspection_record", subject_type="inspections.inspection", subject_id=str(inspection.pk), status=DocumentStatus.ISSUED
    ).exists()


@transaction.atomic
def inspection_correct_times(*, actor: Any, inspection: Inspection, started_at: dt.datetime, ended_at: dt.datetime | None, reason: str) -> Inspection:
    """Correct the start and end of an inspection whose 现场检查记录 has not been issued (e.g. the
    record was refused for its times). The record states the time (AQSCF §68), so once it is
    issued the times stand; before that a correction is allowed, with a reason, and audited.
    A draft has no end yet (it is taken at completion): only its start is corrected."""
    insp = _locked_own(actor, inspection)
    if record_issued(insp):
        raise DomainError("现场检查记录已签发，检查起止时间以记录为准，不能更正；如记录有误，须先作废记录。", code="inspection_record_issued", article="《安全生产法》第六十八条")
    draft = insp.status == InspectionStatus.DRAFT
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = "请写明更正的原因。"
    if started_at is None:
        errors["started_at"] = "请填写检查开始时间。"
    elif timezone.localtime(started_at).date() != insp.inspected_on:
        day = insp.inspected_on
        errors["started_at"] = f"检查开始时间须在检查日期（{day.year}年{day.month}月{day.day}日）当天。"
    elif draft:
        if ended_at is not None:
            errors["ended_at"] = "检查尚未完成，结束时间在完成检查时记录。"
        elif started_at > timezone.now() + dt.timedelta(minutes=5):
            errors["started_at"] = "检查开始时间不能晚于现在。"
    else:
        errors.update(_time_errors(started_at, ended_at))
    if errors:
        raise ValidationFailed("检查起止时间有误。", fields=errors, article="《安全生产法》第六十八条")
    before = {"started_at": insp.started_at, "ended_at": insp.ended_at}
    insp.started_at = started_at
    if not draft:
        insp.ended_at = ended_at
    insp.save(update_fields=["started_at", "ended_at", "updated_at"])
    audit.record(actor=actor, action="inspection.correct_times", obj=insp, before=before, after={"started_at": insp.started_at, "ended_at": insp.ended_at}, note=reason.strip())
    return insp


@transaction.atomic
def inspection_attach_signed_scan(*, actor: Any, inspection: Inspection, fh: IO[bytes], name: str) -> Evidence:
    """Printed record signed on paper: the scan is uploaded after the visit."""
    insp = _locked_own(actor, inspection)
    ev = evidence_add(actor=actor, inspection=insp, kind="scan", fh=fh, name=name, note="签字的现场检查记录扫描件")
    if insp.party_signature == PartySignature.PAPER:
        insp.party_signature = PartySignature.SIGNED
        insp.save(update_fields=["party_signature", "updated_at"])
    return ev


def inspection_sync(*, actor: Any, results: Sequence[dict[str, Any]] = (), complete: dict[str, Any] | None = None, **create: Any) -> Inspection:
    """An inspection filled on one page or offline, in one transaction: create it (idempotent by
    key: a replay returns the first one), record the results and, if asked, complete it. A replay
    of an inspection already completed changes nothing."""
    with transaction.atomic():
        insp = inspection_create(actor=actor, **create)
        if insp.status == InspectionStatus.DRAFT:
            if results:
                inspection_record_results(actor=actor, inspection=insp, results=results)
            if complete:
                inspection_complete(actor=actor, inspection=insp, **complete)
    return insp


def plan_items(templates: Iterable[ChecklistTemplate]) -> list[tuple[int, ChecklistItem]]:
    """The checklist items a new inspection copies, numbered from 1: templates in order, the same
    criterion listed by two templates checked once. The offline field form numbers its draft with
    this too, so results keyed by ``order`` land on the right item when the draft is synced."""
    out: list[tuple[int, ChecklistItem]] = []
    seen: set[tuple[str, str]] = set()
    for t in templates:
        for ci in t.items.all():
            key = (ci.text, ci.criterion_id)
            if key not in seen:
                seen.add(key)
                out.append((len(out) + 1, ci))
    return out


def repeat_window_years() -> int:
    """How far back earlier findings on the same item are shown (CFG ANJIAN_REPEAT_WINDOW_YEARS, default 3)."""
    from django.conf import settings

    return int(getattr(settings, "ANJIAN_REPEAT_WINDOW_YEARS", 3))


def repeat_window_start(day: dt.date, years: int | None = None) -> dt.date:
    """The first day of the repeat-finding window ending ``day``."""
    years = years if years is not None else repeat_window_years()
    return day.replace(year=day.year - years) if not (day.month == 2 and day.day == 29) else day.replace(year=day.year - years, day=28)


def repeat_history(*, enterprise: Enterprise, item: InspectionItem | Finding, day: dt.date, years: int | None = None) -> list[Finding]:
    """Earlier findings of the unit on the same item within ``years`` (CFG, default 3: LEGAL.md §4
    "repeat offences", a practice default configured by ANJIAN_REPEAT_WINDOW_YEARS)."""
    start = repeat_window_start(day, years)
    text = item.text if isinstance(item, InspectionItem) else item.description
    q = Q(criterion_id=item.criterion_id) if item.criterion_id else Q(description__startswith=text[:30])
    qs = Finding.objects.filter(enterprise=enterprise, found_on__gte=start, found_on__lt=day).filter(q)
    if isinstance(item, Finding):
        qs = qs.exclude(pk=item.pk)
    return list(qs.select_related("inspection")[:20])


def last_inspectors(enterprise_ids: Iterable[int] | QuerySet[Any]) -> dict[int, list[int]]:
    """The officers of each unit's latest inspection: a random draw avoids sending them again
    (issue 13 item 5, 回避). ``enterprise_ids`` may be a queryset of ids (the draw's pool, up to
    50,000 units): it is then a subquery, not an IN list of 50,000 parameters, which cost the
    draw's commitment half a second on PostgreSQL with no inspection at all. The latest
    inspections' officers are read in chunks. Queries: one, plus one per 5,000 units inspected."""
    ids: Any = enterprise_ids if hasattr(enterprise_ids, "query") else list(enterprise_ids)
    latest: dict[int, int] = {}
    for ent_id, insp_id in Inspection.objects.filter(enterprise_id__in=ids).order_by("enterprise_id", "-inspected_on", "-id").values_list("enterprise_id", "id").iterator(chunk_size=5000):
        latest.setdefault(ent_id, insp_id)
    out: dict[int, list[int]] = {}
    by_insp = {v: k for k, v in latest.items()}
    wanted = list(by_insp)
    for start in range(0, len(wanted), 5000):
        for insp_id, staff_id in InspectionOfficer.objects.filter(inspection_id__in=wanted[start : start + 5000]).values_list("inspection_id", "staff_id"):
            out.setdefault(by_insp[insp_id], []).append(staff_id)
    return out
