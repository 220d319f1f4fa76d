"""The hazard loop: register → order served → rectifying → reported → re-inspected → closed.

Every transition is one function: it locks the row, checks the state and the law, writes, records
a HazardEvent and an AuditEvent (STYLE.md principle 2). Deadlines come from ``anjian.law``.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Sequence
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from anjian.core import audit, idempotency
from anjian.core.duties import is_same_person, require_other_person
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.scoping import require_owner, scope_for
from anjian.core.validators import date_bounds_error
from anjian.documents import services as documents
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import cn_date
from anjian.enterprises.models import Enterprise, Site
from anjian.hazards.choices import (
    HAZARD_TRANSITIONS,
    ApprovalStatus,
    ExtensionStatus,
    HazardSource,
    HazardStatus,
    MeasureKind,
    MeasureScope,
    MeasureStatus,
    MeasureType,
    ReinspectionResult,
    Severity,
    TransferStatus,
)
from anjian.hazards.models import (
    DeadlineExtension,
    Hazard,
    HazardEvent,
    InstitutionalMeasure,
    Measure,
    RectificationReport,
    Reinspection,
    RestartReview,
    SetAsideRequest,
    Transfer,
)
from anjian.inspections import services as inspections
from anjian.inspections.choices import InspectionStatus, InspectionType
from anjian.inspections.evidence import inspect_attachment
from anjian.inspections.models import Finding, Inspection
from anjian.inspections.record import record_content, record_findings, record_place, record_situation
from anjian.law import deadlines as law_deadlines
from anjian.law import periods
from anjian.legal import authority, lawcal
from anjian.org import selectors as org_selectors
from anjian.org.choices import DepartmentKind, HeadKind, Role, StaffKind
from anjian.org.models import Agency, AgencyHead, Department, Staff

WRITE_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD)
APPROVE_ROLES = (Role.DEPT_HEAD, Role.LEADER)
AQSCF_65_3 = "《中华人民共和国安全生产法》第六十五条第一款第三项"
AQSCF_102 = "《中华人民共和国安全生产法》第一百零二条"


def default_period_days(severity: str) -> int:
    """Rectification period by severity: the bureau's configuration (CFG, settings)."""
    table: dict[str, int] = getattr(settings, "ANJIAN_RECTIFICATION_DAYS", {"general": 15, "major": 60})
    return int(table.get(severity, 15))


def _criterion_is_sourced(criterion_id: str) -> bool:
    """A criterion classifies a hazard as major only when its wording has a source (LEGAL.md §5)."""
    if not criterion_id:
        return False
    from anjian.law import hazards as law_hazards
    from anjian.law.errors import LawError

    try:
        item = law_hazards.default_criteria().item(criterion_id)
    except LawError:  # unknown id: not a match; the officer may still escalate with reasons
        return False
    return law_hazards.classifies_as_major(item, on=timezone.localdate())


def _event(hazard: Hazard, to: str, actor: Any, note: str = "", on: dt.date | None = None) -> None:
    frm = hazard.status
    if to != frm and to not in HAZARD_TRANSITIONS[frm]:
        raise DomainError(f"隐患当前为“{HazardStatus(frm).label}”，不能转为“{HazardStatus(to).label}”。", code="bad_transition")
    HazardEvent.objects.create(hazard=hazard, from_status=frm, to_status=to, on=on or timezone.localdate(), actor=actor, note=note[:500])
    hazard.status = to


def _lock(actor: Any, hazard: Hazard, roles: tuple[str, ...] = WRITE_ROLES) -> Hazard:
    h = Hazard.objects.select_for_update(of=("self",)).select_related("enterprise", "owner_agency").get(pk=hazard.pk)
    require_owner(actor, h, roles=roles, what="该隐患")
    return h


# --- register ----------------------------------------------------------------------------------------
# Who may approve setting aside a major-hazard criterion: a leader of the bureau or one of its experts.
SET_ASIDE_KINDS = (StaffKind.EXPERT,)
SET_ASIDE_ROLES = (Role.LEADER,)
SET_ASIDE_WHAT = "本局的局领导或专家"


def set_aside_approvers(*, agency_id: int | None, on: dt.date) -> QuerySet[Staff]:
    """The leaders (leader role valid ``on``) and experts of the agency: what the form offers and
    exactly what ``hazard_create`` and ``set_aside_decide`` accept. Staff without a login can never
    decide in the system, so they are not offered."""
    return org_selectors.eligible_staff(agency_ids=[agency_id or 0], on=on, kinds=SET_ASIDE_KINDS, roles=SET_ASIDE_ROLES).filter(user__isnull=False)


def _set_aside_approver(actor: Any, approver: Staff | int | None, *, agency_id: int, on: dt.date) -> Staff | None:
    if approver is None:
        return None
    pk = approver.pk if isinstance(approver, Staff) else approver
    staff = org_selectors.staff_for_actor(actor, [pk], on=on, agency_ids=[agency_id], kinds=SET_ASIDE_KINDS, roles=SET_ASIDE_ROLES, what=SET_ASIDE_WHAT, field="set_aside_by")[0]
    if staff.user_id is None:
        msg = f"{staff.name}没有系统账号，不能在系统中审核；请选择有账号的局领导或专家。"
        raise ValidationFailed(msg, fields={"set_aside_by": msg})
    return staff


def may_register(scope: Any, ent: Enterprise, *, inspections: Sequence[Inspection] = ()) -> bool:
    """Whether the user may register a hazard of ``ent`` (and from ``inspections``): a writing role,
    the unit in the user's jurisdiction, and each inspection the agency's own or a joint one it
    took part in. Every page offering 登记隐患 asks this; ``hazard_create`` enforces it."""
    return (
        ent.jurisdiction_id in scope.jurisdiction_ids
        and scope.has_role(*WRITE_ROLES)
        and all(inspection_shared_with(i, scope.agency_id) for i in inspections)
    )


@transaction.atomic
def hazard_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    source: str,
    description: str,
    location: str,
    severity: str,
    found_on: dt.date,
    findings: Sequence[Finding] = (),
    inspection: Inspection | None = None,
    legal_basis: str = "",
    criterion_id: str = "",
    major_reason: str = "",
    set_aside_reason: str = "",
    set_aside_by: Staff | int | None = None,
    period_days: int | None = None,
    site: Site | None = None,
    idempotency_key: str | None = None,
) -> Hazard:
    """Register a hazard. "Major" is proposed when a finding maps to a sourced criterion; the
    officer confirms it, or asks to set it aside: a request with reasons that the named leader or
    expert approves in the system (``set_aside_decide``). Until then the hazard is major.

    A hazard found without an inspection (the unit's self-check, a report) has no inspection and
    no finding; one found by an inspection is registered by the inspecting agency (or one that
    took part in a joint inspection), so that its documents name that agency's officers.

    ``idempotency_key`` (a page's one-time form key, the API's ``Idempotency-Key``): a double
    submit returns the hazard the first one registered (``core.idempotency``)."""
    if idempotency_key:
        args = dict(locals())  # the parameters (nothing else is bound yet)
        del args["idempotency_key"]
        return idempotency.once(actor=actor, operation="hazard.create", key=idempotency_key, model=Hazard, do=lambda: hazard_create(**args))[0]
    scope = scope_for(actor)
    if enterprise.jurisdiction_id not in scope.jurisdiction_ids:
        raise NotFound()
    if not may_register(scope, enterprise):
        raise PermissionRefused("您的角色不能登记隐患。", code="role_refused")
    errors: dict[str, str] = {}
    if source not in HazardSource.values:
        errors["source"] = "未知的隐患来源。"
    if severity not in Severity.values:
        errors["severity"] = "隐患级别须为一般或重大。"
    if not (description or "").strip():
        errors["description"] = "请填写隐患描述。"
    if not (location or "").strip():
        errors["location"] = "请填写隐患部位。"
    if msg := date_bounds_error(found_on, "fact"):
        errors["found_on"] = msg
    elif found_on is None or found_on > timezone.localdate():
        errors["found_on"] = "发现日期不能晚于今天。"
    if site is not None and site.enterprise_id != enterprise.pk:
        errors["site"] = "场所不属于该单位。"
    for f in findings:
        if f.enterprise_id != enterprise.pk:
            errors["findings"] = "问题不属于该单位。"
    if inspection is None and findings:
        inspection = findings[0].inspection
    if inspection is not None and any(f.inspection_id != inspection.pk for f in findings):
        errors["findings"] = "所选问题须由同一次检查发现，且与所关联的检查一致。"
    # Every inspection the hazard rests on (the one given and those of its findings) must be this
    # agency's own or a joint inspection it took part in.
    inspections_used = {i.pk: i for i in [*([inspection] if inspection is not None else []), *(f.inspection for f in findings)]}
    if any(i.enterprise_id != enterprise.pk for i in inspections_used.values()):
        errors["inspection"] = "检查不属于该单位。"
    elif not may_register(scope, enterprise, inspections=list(inspections_used.values())):
        errors["inspection"] = "该检查由其他机关实施且不是联合检查：本机关不能据此登记隐患、签发文书（文书只列明本机关的执法人员）。"
    if source == HazardSource.INSPECTION and inspection is None and not findings:
        errors["inspection"] = "检查发现的隐患须关联检查或问题。"
    if period_days is not None and (period_days < 1 or period_days > 365):
        errors["period_days"] = "整改期限应为1至365日。"
    # The criterion a finding maps to (the first sourced one) is the system's proposal.
    proposed = criterion_id or next((f.criterion_id for f in findings if _criterion_is_sourced(f.criterion_id)), "")
    sourced = _criterion_is_sourced(proposed)
    asks_set_aside = severity == Severity.GENERAL and sourced
    approver: Staff | None = None
    if asks_set_aside:
        if not (set_aside_reason or "").strip() or set_aside_by is None:
            errors["severity"] = f"该问题符合重大事故隐患判定标准（条目{proposed}），认定为一般隐患须经局领导或专家审核并说明理由。"
        else:
            try:
                approver = _set_aside_approver(actor, set_aside_by, agency_id=scope.agency_id or 0, on=timezone.localdate())
            except ValidationFailed as exc:
                errors["set_aside_by"] = "".join(exc.fields.get("set_aside_by", [exc.message]))
            else:
                if approver is not None and is_same_person(approver, actor):
                    errors["set_aside_by"] = "审核人不能是申请人本人（职责分离）。"
    if severity == Severity.MAJOR and not sourced and not (major_reason or "").strip():
        errors["major_reason"] = "未匹配有依据的判定标准条目而认定为重大隐患的，须说明理由。"
    if errors:
        raise ValidationFailed("隐患信息有误。", fields=errors, article="重大事故隐患判定标准")
    agency = Agency.objects.get(pk=scope.agency_id)
    # A set-aside is a request: the hazard stays major (period, measures) until it is approved.
    registered = Severity.MAJOR if asks_set_aside else severity
    h = Hazard.objects.create(
        jurisdiction_id=enterprise.jurisdiction_id, owner_agency=agency, enterprise=enterprise, site=site, source=source,
        inspection=inspection, description=description.strip(), location=location.strip(), legal_basis=legal_basis,
        severity=registered, criterion_id=proposed, major_reason=major_reason.strip(),
        found_on=found_on, period_days=default_period_days(registered) if asks_set_aside else (period_days or default_period_days(severity)), created_by=actor,
    )  # fmt: skip
    if findings:
        h.findings.set(findings)
    HazardEvent.objects.create(hazard=h, from_status="", to_status=HazardStatus.OPEN, on=found_on, actor=actor, note="登记")
    audit.record(actor=actor, action="hazard.create", obj=h, after={"enterprise": enterprise.pk, "severity": registered, "criterion": h.criterion_id, "period_days": h.period_days})
    if asks_set_aside and approver is not None:
        req = SetAsideRequest(hazard=h, criterion_id=proposed, reason=set_aside_reason.strip(), period_days=period_days, requested_by=actor, approver=approver)
        req.full_clean()
        req.save()
        audit.record(actor=actor, action="hazard.set_aside_request", obj=h, after={"criterion": proposed, "approver": approver.name, "request": req.pk}, note=req.reason)
    return h


def inspection_shared_with(inspection: Inspection, agency_id: int | None) -> bool:
    """An inspection belongs to the agency that made it, and to the agencies that took part when
    it was recorded as joint. Only they register hazards from it and name its officers."""
    if inspection.owner_agency_id == agency_id:
        return True
    return bool(inspection.joint) and inspection.joint_agencies.filter(pk=agency_id or 0).exists()


def pending_set_aside(hazard: Hazard) -> SetAsideRequest | None:
    return hazard.set_asides.filter(status=ApprovalStatus.PENDING).select_related("approver", "requested_by").first()


def may_decide_set_aside(actor: Any, request: SetAsideRequest, *, on: dt.date | None = None) -> bool:
    """The named approver, still a leader or expert of the hazard's bureau, and not the requester.
    The pages ask this to show the form; ``set_aside_decide`` enforces the same."""
    scope = scope_for(actor)
    on = on or timezone.localdate()
    return (
        request.status == ApprovalStatus.PENDING
        and request.hazard.status != HazardStatus.CLOSED
        and scope.staff_id == request.approver_id
        and not is_same_person(request.requested_by, actor)
        and set_aside_approvers(agency_id=request.hazard.owner_agency_id, on=on).filter(pk=request.approver_id).exists()
    )


@transaction.atomic
def set_aside_decide(*, actor: Any, request: SetAsideRequest, approve: bool, note: str) -> SetAsideRequest:
    """The named leader or expert approves or refuses a set-aside. Approved: the hazard becomes a
    general hazard (its period follows, unless an order has already stated one). Refused: it stays
    major. The requester never decides (separation of duties)."""
    req = SetAsideRequest.objects.select_for_update(of=("self",)).select_related("approver", "requested_by").get(pk=request.pk)
    h = Hazard.objects.select_for_update(of=("self",)).select_related("owner_agency").get(pk=req.hazard_id)
    scope = scope_for(actor)
    if h.jurisdiction_id not in scope.jurisdiction_ids:
        raise NotFound()
    require_other_person(req.requested_by, actor, what="不予认定重大隐患的申请")
    if req.status != ApprovalStatus.PENDING:
        raise DomainError("该申请已审核。", code="already_decided")
    today = timezone.localdate()
    if scope.staff_id != req.approver_id:
        raise PermissionRefused(f"该申请由{req.approver.name}审核。", code="not_approver")
    if not set_aside_approvers(agency_id=h.owner_agency_id, on=today).filter(pk=req.approver_id).exists():
        raise PermissionRefused(f"您在{cn_date(today)}不是{h.owner_agency.name}的局领导或专家，不能审核。", code="not_approver")
    if h.status == HazardStatus.CLOSED:
        raise DomainError("隐患已销号，不再审核不予认定重大隐患的申请。", code="hazard_closed")
    if not (note or "").strip():
        raise ValidationFailed("请填写审核意见。", fields={"note": "请填写审核意见。"})
    if approve and h.measures.filter(status=MeasureStatus.ACTIVE).exists():
        raise DomainError("该隐患已按重大事故隐患采取现场处理措施，措施执行中不能批准不予认定。", code="measure_active", article=AQSCF_65_3)
    req.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
    req.decided_by_id, req.decided_at, req.decision_note = scope.staff_id, timezone.now(), note.strip()
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    before = audit.snapshot(h, ["severity", "supervised", "supervised_by", "supervised_on"])
    if approve:
        h.severity = Severity.GENERAL
        h.set_aside_reason, h.set_aside_by = req.reason, req.approver
        fields = ["severity", "set_aside_reason", "set_aside_by"]
        if h.order_document_id is None:
            # No document has stated a period yet: the general hazard's period applies.
            h.period_days = req.period_days or default_period_days(Severity.GENERAL)
            fields.append("period_days")
        if h.supervised:
            # 挂牌督办 is a step for major hazards only (``hazard_supervise``): a hazard no longer
            # major is no longer supervised; the audit record keeps who supervised it and when.
            h.supervised, h.supervised_by, h.supervised_on = False, "", None
            fields += ["supervised", "supervised_by", "supervised_on"]
        h.save(update_fields=fields)
    verdict = "同意不予认定，按一般事故隐患处理" if approve else "不同意不予认定，仍为重大事故隐患"
    _event(h, h.status, actor, note=f"不予认定重大隐患的申请：{req.approver.name}{verdict}。{note.strip()}")
    audit.record(
        actor=actor, action="hazard.set_aside", obj=h, before=before,
        after={"approved": approve, "criterion": req.criterion_id, "approver": req.approver.name, "severity": h.severity, "supervised": h.supervised},
        note=note.strip(),
    )  # fmt: skip
    return req


def may_withdraw_set_aside(actor: Any, request: SetAsideRequest) -> bool:
    """A pending request is withdrawn by its requester or by an approver of the hazard's bureau (a
    leader or expert who may decide set-asides, or a department head / leader): so that a request
    named to someone who can no longer decide does not stay pending for ever."""
    if request.status != ApprovalStatus.PENDING:
        return False
    if is_same_person(request.requested_by, actor):
        return True
    scope = scope_for(actor)
    agency_id = request.hazard.owner_agency_id
    if scope.agency_id != agency_id:
        return False
    return scope.has_role(*APPROVE_ROLES) or set_aside_approvers(agency_id=agency_id, on=timezone.localdate()).filter(pk=scope.staff_id or 0).exists()


@transaction.atomic
def set_aside_withdraw(*, actor: Any, request: SetAsideRequest, note: str) -> SetAsideRequest:
    """Withdraw a pending set-aside request (audited, on the hazard's timeline). The hazard stays
    major, as it was while the request was pending."""
    req = SetAsideRequest.objects.select_for_update(of=("self",)).select_related("approver", "requested_by").get(pk=request.pk)
    h = Hazard.objects.select_for_update(of=("self",)).get(pk=req.hazard_id)
    if h.jurisdiction_id not in scope_for(actor).jurisdiction_ids:
        raise NotFound()
    if req.status != ApprovalStatus.PENDING:
        raise DomainError("该申请已审核或已撤回。", code="already_decided")
    req.hazard = h
    if not may_withdraw_set_aside(actor, req):
        raise PermissionRefused("不予认定重大隐患的申请只能由申请人或本局的审批人撤回。", code="not_withdrawer")
    if not (note or "").strip():
        raise ValidationFailed("请填写撤回理由。", fields={"note": "请填写撤回理由。"})
    req.status = ApprovalStatus.WITHDRAWN
    req.decided_at, req.decision_note = timezone.now(), note.strip()
    req.save(update_fields=["status", "decided_at", "decision_note"])
    _event(h, h.status, actor, note=f"撤回不予认定重大隐患的申请（审核人{req.approver.name}），仍为重大事故隐患。{note.strip()}")
    audit.record(actor=actor, action="hazard.set_aside_withdraw", obj=h, after={"request": req.pk, "approver": req.approver.name}, note=note.strip())
    return req


# --- documents ----------------------------------------------------------------------------------------
def _agency_remedies(agency: Agency) -> dict[str, str]:
    """The reconsideration body and the court named on served documents (XZCF §59(5)), as the
    agency configured them; refused (422, naming what to configure) when they are not set."""
    return org_selectors.agency_remedies(agency)


def _party(ent: Enterprise) -> dict[str, str]:
    site = ent.sites.filter(is_primary=True).first() or ent.sites.first()
    return {
        "name": ent.name,
        "address": (site.address if site else "") or ent.registered_address,
        "legal_representative": ent.legal_representative or ent.principal,
        "phone": ent.contact_phone or ent.principal_phone,
        "uscc": ent.uscc or "无（无证无照）",
    }


def _officers(inspection: Inspection, agency: Agency | None = None) -> list[dict[str, str]]:
    """The officers a document of ``agency`` names: those of its own inspection, or of a joint
    inspection it took part in. Another agency's inspection is refused: a document names only
    officers of the issuing agency (XZCF §42; each bureau acts in its own name)."""
    if agency is not None and not inspection_shared_with(inspection, agency.pk):
        raise ValidationFailed(
            f"文书只能列明{agency.name}的执法人员：所关联的检查由{inspection.owner_agency.name}实施，且未登记为联合检查。请由本机关执法人员检查（复查）后再签发。",
            code="officers_other_agency", article="《行政处罚法》第四十二条", fields={"inspection": "检查不是本机关实施的，也不是联合检查。"},
        )  # fmt: skip
    return [{"name": o.staff.name, "certificate_no": o.certificate_number} for o in inspection.officers.select_related("staff").order_by("order")]


@transaction.atomic
def inspection_record_issue(*, actor: Any, inspection: Inspection, issued_on: dt.date | None = None) -> IssuedDocument:
    """The 现场检查记录 of a completed inspection (AQSCF §68: time, place, content, problems found
    and their handling). Its times pass the rule completion applied (``inspection_time_errors``)."""
    insp = Inspection.objects.select_for_update(of=("self",)).select_related("enterprise", "owner_agency", "site").get(pk=inspection.pk)
    require_owner(actor, insp, roles=WRITE_ROLES, what="该检查")
    if insp.status != InspectionStatus.COMPLETED:
        raise DomainError("检查尚未完成，不能签发现场检查记录。", code="inspection_not_completed")
    agency = insp.owner_agency
    local = timezone.localtime
    findings = record_findings(insp)
    ctx = {
        "party": _party(insp.enterprise),
        "place": record_place(insp),
        "started_at": local(insp.started_at),
        "ended_at": local(insp.ended_at) if insp.ended_at else None,
        "officers": _officers(insp, agency),
        "content": record_content(insp),
        "situation": record_situation(insp, findings),
        "findings": findings,
        "handling": insp.onsite_handling.strip() or "无",
        "party_signer": insp.party_representative if insp.party_signature in ("signed", "paper") else "",
        "refusal_note": insp.refusal_note if insp.party_signature == "refused" else "",
        "experts": [e.staff.name for e in insp.experts.select_related("staff")],
    }
    doc = documents.document_issue(
        actor=actor, kind_code="inspection_record", agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr,
        jurisdiction=insp.jurisdiction, subject_type="inspections.inspection", subject_id=insp.pk, enterprise_id=insp.enterprise_id, context=ctx,
        issued_on=issued_on or insp.inspected_on,
    )  # fmt: skip
    audit.record(actor=actor, action="inspection.document", obj=insp, after={"document": doc.number})
    return doc


@transaction.atomic
def rectification_order_issue(*, actor: Any, hazards: Sequence[Hazard], issued_on: dt.date, inspection: Inspection | None = None, idempotency_key: str | None = None) -> IssuedDocument:
    """One 责令限期整改指令书 for the open hazards of one unit; the period runs from its service.
    ``idempotency_key``: a replay returns the order the first request issued."""
    if idempotency_key:
        return idempotency.once(
            actor=actor, operation="hazard.order", key=idempotency_key, model=IssuedDocument,
            do=lambda: rectification_order_issue(actor=actor, hazards=hazards, issued_on=issued_on, inspection=inspection),
        )[0]  # fmt: skip
    if not hazards:
        raise ValidationFailed("请选择要责令整改的隐患。", fields={"hazards": "请选择隐患。"})
    locked = [_lock(actor, h) for h in sorted(hazards, key=lambda h: h.pk)]
    ent = locked[0].enterprise
    errors = {}
    for h in locked:
        if h.enterprise_id != ent.pk:
            errors["hazards"] = "一份指令书只能针对同一单位。"
        if h.status != HazardStatus.OPEN or h.order_document_id:
            errors["hazards"] = f"隐患“{h.description[:20]}”已下达过整改指令。"
    if errors:
        raise ValidationFailed("不能下达整改指令。", fields=errors)
    insp = inspection or locked[0].inspection
    if insp is None:
        raise ValidationFailed("下达整改指令须关联监督检查（执法人员与检查日期）。", fields={"inspection": "请关联检查。"})
    agency = locked[0].owner_agency
    # Each hazard keeps its own period, stated on its row: the deadline computed on service is
    # exactly what the party reads (ARCHITECTURE.md: deadlines told to a party are facts).
    ctx = {
        "party": _party(ent),
        "inspection_date": insp.inspected_on,
        "problems": [
            {
                "hazard_id": h.pk, "text": f"{h.description}（{h.location}）", "basis": h.legal_basis or "《中华人民共和国安全生产法》",
                "severity": h.get_severity_display(), "period_days": h.period_days, "period_text": f"自本指令书送达之日起{h.period_days}日内",
            }
            for h in locked
        ],
        "officers": _officers(insp, agency),
        **_agency_remedies(agency),
    }  # fmt: skip
    doc = documents.document_issue(
        actor=actor, kind_code="rectification_order", agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr,
        jurisdiction=locked[0].jurisdiction, subject_type="hazards.hazard", subject_id=",".join(str(h.pk) for h in locked), enterprise_id=locked[0].enterprise_id, context=ctx, issued_on=issued_on,
    )  # fmt: skip
    for h in locked:
        h.order_document = doc
        h.save(update_fields=["order_document"])
        audit.record(actor=actor, action="hazard.order", obj=h, after={"document": doc.number, "period_days": h.period_days})
    return doc


def stated_periods(document: IssuedDocument) -> dict[int, int]:
    """The rectification period (days from service) each hazard has on ``document``: the rows of
    an order (``problems``) or of a re-inspection opinion (``results``, the hazards that failed).
    An order issued before each row carried its period stated one period for all (``period_days``)."""
    ctx = document.context or {}
    out: dict[int, int] = {}
    for row in [*(ctx.get("problems") or []), *(ctx.get("results") or [])]:
        if isinstance(row, dict) and row.get("hazard_id") is not None and row.get("period_days"):
            out[int(row["hazard_id"])] = int(row["period_days"])
    if not out and ctx.get("period_days"):
        ids = Hazard.objects.filter(order_document=document).values_list("pk", flat=True)
        out = {pk: int(ctx["period_days"]) for pk in ids}
    return out


def _deadline_from_service(served_on: dt.date, days: int) -> periods.PeriodResult:
    # A calendar-day period from service: start day not counted, a last day that is not a working
    # day rolls forward (MSSSF §85, applied to administrative periods; LEGAL.md §1).
    return periods.add_calendar_days(lawcal.work_calendar(), served_on, days, basis="《民事诉讼法》第八十五条（期间计算）", rule_name="整改期限")


@transaction.atomic
def rectification_order_served(*, actor: Any, document: IssuedDocument, method: str, event_date: dt.date, recipient: str, refused: bool = False, witness: str = "", consent_ref: str = "", note: str = "") -> list[Hazard]:
    """Record the service of the order; each hazard's clock starts on the date of service."""
    record = documents.service_record(actor=actor, document=document, method=method, event_date=event_date, recipient=recipient, refused=refused, witness=witness, consent_ref=consent_ref, note=note)
    stated = stated_periods(document)
    out = []
    for h in Hazard.objects.select_for_update().filter(order_document=document).order_by("pk"):
        require_owner(actor, h, roles=WRITE_ROLES + (Role.OFFICE,), what="该隐患")
        # The period the served document states for this hazard, never one recomputed since.
        result = _deadline_from_service(record.served_on, stated.get(h.pk, h.period_days))
        _event(h, HazardStatus.RECTIFYING, actor, note=f"{document.title}{document.number}于{record.served_on.year}年{record.served_on.month}月{record.served_on.day}日送达", on=record.served_on)
        h.served_on = record.served_on
        h.deadline = result.date
        h.deadline_provisional = result.provisional
        h.deadline_rule = f"{result.basis}；日历{lawcal.work_calendar().version}"
        h.deadline_from_service = True
        h.save(update_fields=["status", "served_on", "deadline", "deadline_provisional", "deadline_rule", "deadline_from_service"])
        audit.record(actor=actor, action="hazard.served", obj=h, after={"served_on": record.served_on, "deadline": h.deadline, "provisional": h.deadline_provisional})
        out.append(h)
    return out


def service_corrected(actor: Any, document: IssuedDocument, record: Any) -> None:
    """The proof of service of an order (or of a failed re-inspection's opinion) was marked
    erroneous (documents.service_record_mark_erroneous, same transaction): the deadlines that ran
    from its date no longer run, until a correct service is recorded. Refused once the unit has
    acted on it (a report, an extension request, a re-inspection): those rest on the deadline."""
    hs = list(Hazard.objects.select_for_update(of=("self",)).filter(order_document=document, served_on=record.served_on).order_by("pk"))
    for h in hs:
        require_owner(actor, h, roles=WRITE_ROLES + (Role.OFFICE,), what="该隐患")
        acted = (
            h.status != HazardStatus.RECTIFYING
            or h.extensions.filter(requested_on__gte=record.served_on).exists()
            or h.reports.filter(reported_on__gte=record.served_on).exists()
        )
        if acted:
            raise DomainError(
                f"隐患“{h.description[:20]}”已按该送达日期起算的整改期限办理了后续事项（整改报告、延期申请或复查），"
                "不能将送达登记标为有误：期限的起算日须与送达日期一致（《中华人民共和国行政处罚法》第六十一条）。",
                code="service_relied_on",
            )
    for h in hs:
        before = {"served_on": h.served_on, "deadline": h.deadline}
        # The hazard's timeline shows the change: the withdrawn service date and deadline, then (when
        # the correct service is recorded) the new deadline from that date.
        was = f"（原登记送达日期{cn_date(h.served_on)}" + (f"，原整改期限至{cn_date(h.deadline)}" if h.deadline else "") + "）"
        note = f"{document.title}{document.number}的送达登记有误{was}，整改期限待重新登记送达后起算"
        _event(h, HazardStatus.OPEN if document.kind == "rectification_order" else h.status, actor, note=note)
        h.served_on = None
        h.deadline = None
        h.deadline_provisional = False
        h.deadline_rule = ""
        h.deadline_from_service = False
        h.overdue_since = None
        h.save(update_fields=["status", "served_on", "deadline", "deadline_provisional", "deadline_rule", "deadline_from_service", "overdue_since"])
        audit.record(actor=actor, action="hazard.service_corrected", obj=h, before=before, after={"served_on": None, "deadline": None}, note=note)


# --- rectification -------------------------------------------------------------------------------------
@transaction.atomic
def hazard_report_rectified(*, actor: Any, hazard: Hazard, reported_on: dt.date, description: str, evidence: IO[bytes] | None = None, evidence_name: str = "") -> RectificationReport:
    h = _lock(actor, hazard)
    if h.status != HazardStatus.RECTIFYING:
        raise DomainError("只有整改中的隐患可以登记整改完成报告（整改指令须先送达）。", code="bad_transition")
    if not (description or "").strip():
        raise ValidationFailed("请填写整改情况。", fields={"description": "请填写整改情况。"})
    if msg := date_bounds_error(reported_on, "fact"):
        raise ValidationFailed("报告日期有误。", fields={"reported_on": msg})
    if reported_on is None or reported_on > timezone.localdate() or (h.served_on and reported_on < h.served_on):
        raise ValidationFailed("报告日期有误。", fields={"reported_on": "报告日期不能晚于今天，也不能早于指令书送达日期。"})
    rep = RectificationReport(hazard=h, reported_on=reported_on, description=description.strip(), recorded_by=actor)
    if evidence is not None:
        # The same content and size checks as inspection evidence (type by magic bytes, not by name).
        try:
            mime, _size, sha = inspect_attachment(evidence, declared_name=evidence_name)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, fields={"evidence": exc.message}) from None
        rep.evidence_sha256 = sha
        # The stored name comes from the checked content, never from the client's file name.
        rep.evidence.save(f"{h.pk}-{sha[:16]}{mimetypes.guess_extension(mime) or ''}", File(evidence), save=False)
    rep.save()
    _event(h, HazardStatus.REPORTED, actor, note="整改完成报告", on=reported_on)
    if h.first_reported_on is None or reported_on < h.first_reported_on:
        h.first_reported_on = reported_on
    h.save(update_fields=["status", "first_reported_on"])
    audit.record(actor=actor, action="hazard.reported", obj=h, after={"reported_on": reported_on})
    return rep


@transaction.atomic
def extension_request(*, actor: Any, hazard: Hazard, requested_on: dt.date, requested_until: dt.date, reason: str) -> tuple[DeadlineExtension, list[str]]:
    """The party's reasoned request to extend (LEGAL.md §3: at least 10 days before expiry, CFG).

    Returns the request and warnings (an unverified default is shown, not used against the party).
    """
    h = _lock(actor, hazard)
    if h.status != HazardStatus.RECTIFYING or h.deadline is None:
        raise DomainError("只有整改中的隐患可以申请延期。", code="bad_transition")
    if h.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise DomainError("已有待审批的延期申请。", code="extension_pending")
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "延期申请须说明理由。"
    if requested_until is None or requested_until <= h.deadline:
        errors["requested_until"] = f"申请延期至的日期须晚于现整改期限{cn_date(h.deadline)}。"
    elif requested_until > extension_cap(first := first_deadline(h)):
        errors["requested_until"] = extension_cap_message(first)
    if msg := date_bounds_error(requested_on, "fact"):
        errors["requested_on"] = msg
    elif requested_on is None or requested_on > timezone.localdate():
        errors["requested_on"] = "申请日期不能晚于今天。"
    elif h.served_on is not None and requested_on < h.served_on:
        # Extensions are capped from the first deadline after service (``first_deadline``), found
        # by the requests made since: a request dated before the service would escape the cap.
        errors["requested_on"] = f"申请日期不能早于整改指令（复查意见）的送达日期{cn_date(h.served_on)}。"
    if errors:
        raise ValidationFailed("延期申请有误。", fields=errors)
    warnings: list[str] = []
    latest = law_deadlines.evaluate("rectification_extension_request", h.deadline, calendar=lawcal.work_calendar(), step_date=requested_on, overrides=lawcal.overrides_for(authority.scope_codes(h.enterprise.jurisdiction.code)))
    if requested_on > latest.date:
        msg = f"应当在整改期限届满{latest.amount}日前（即{latest.date:%Y-%m-%d}前）提出延期申请（{latest.basis}）"
        if latest.unverified:
            # The 10-day rule came from the repealed 办法; an unconfirmed default is not used
            # against the party — it is shown to the approver instead.
            warnings.append(msg + "；该规则为未经确认的默认值，仅作提示。")
        else:
            raise DomainError(msg + "。", code="extension_too_late", article=latest.basis)
    ext = DeadlineExtension.objects.create(hazard=h, requested_on=requested_on, requested_until=requested_until, reason=reason.strip(), previous_deadline=h.deadline, requested_by=actor)
    audit.record(actor=actor, action="hazard.extension_request", obj=h, after={"requested_until": requested_until, "warnings": warnings}, note=reason.strip())
    return ext, warnings


def extension_max_days() -> int:
    """The longest extension of a rectification deadline, in calendar days (CFG: the bureau's
    setting ``ANJIAN_EXTENSION_MAX_DAYS``, default 60). LEGAL.md §3 sets when the party applies
    (at least 10 days before expiry) and when the agency answers (within 5 days), not how long:
    without a cap an approval to 9999-12-31 would hide the hazard from the overdue sweep."""
    return int(getattr(settings, "ANJIAN_EXTENSION_MAX_DAYS", 60))


def first_deadline(hazard: Hazard) -> dt.date:
    """The deadline first set after the current service (order, or re-inspection opinion): the
    earliest ``previous_deadline`` of the extensions asked since, or the current deadline when none
    was. Extensions are capped against it, so that they cannot be chained past the maximum."""
    assert hazard.deadline is not None
    since = hazard.extensions.exclude(status=ExtensionStatus.WITHDRAWN)
    if hazard.served_on is not None:
        since = since.filter(requested_on__gte=hazard.served_on)
    earliest = since.order_by("previous_deadline").values_list("previous_deadline", flat=True).first()
    return min(earliest, hazard.deadline) if earliest else hazard.deadline


def extension_cap(previous_deadline: dt.date) -> dt.date:
    return previous_deadline + dt.timedelta(days=extension_max_days())


def extension_cap_message(previous_deadline: dt.date) -> str:
    return (
        f"延期不得超过{extension_max_days()}日（本局配置的整改延期最长期限），即最迟延至{cn_date(extension_cap(previous_deadline))}；"
        "确需更长时间的，应当复查后重新确定整改期限。"
    )


def may_decide_extension(actor: Any, ext: DeadlineExtension) -> bool:
    """Shown the approval form: an approver of the owning bureau who did not record the request."""
    scope = scope_for(actor)
    return ext.status == ExtensionStatus.PENDING and scope.agency_id == ext.hazard.owner_agency_id and scope.has_role(*APPROVE_ROLES) and not is_same_person(ext.requested_by, actor)


@transaction.atomic
def extension_decide(*, actor: Any, extension: DeadlineExtension, approve: bool, decided_on: dt.date, note: str) -> DeadlineExtension:
    """Approve or refuse an extension (LEGAL.md §3: answered within 5 days of the application).
    Whoever recorded the request does not decide it (``core.duties``); an approval never goes
    beyond the configured maximum (``extension_max_days``)."""
    ext = DeadlineExtension.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=extension.pk)
    h = _lock(actor, ext.hazard, roles=APPROVE_ROLES)
    require_other_person(ext.requested_by, actor, what="延期整改申请")
    if ext.status != ExtensionStatus.PENDING:
        raise DomainError("该申请已审批。", code="already_decided")
    first = first_deadline(h)
    if approve and ext.requested_until > extension_cap(first):
        raise ValidationFailed(extension_cap_message(first), fields={"approve": extension_cap_message(first)}, code="extension_too_long", article="整改延期最长期限（本局配置）")
    if not (note or "").strip():
        raise ValidationFailed("请填写审批意见。", fields={"note": "请填写审批意见。"})
    if msg := date_bounds_error(decided_on, "fact"):
        raise ValidationFailed("审批日期有误。", fields={"decided_on": msg})
    if decided_on is None or decided_on < ext.requested_on or decided_on > timezone.localdate():
        raise ValidationFailed("审批日期有误。", fields={"decided_on": "审批日期不能早于申请日期或晚于今天。"})
    scope = scope_for(actor)
    ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    ext.decided_on = decided_on
    ext.decided_by_id = scope.staff_id
    ext.decision_note = note.strip()
    ext.save()
    if approve:
        h.deadline = ext.requested_until
        h.deadline_provisional = False
        h.deadline_rule = f"经批准延期至{cn_date(ext.requested_until)}（{cn_date(decided_on)}批准）"
        h.deadline_from_service = False  # the approved date, not a period from service
        h.overdue_since = None if h.deadline >= timezone.localdate() else h.overdue_since
        h.save(update_fields=["deadline", "deadline_provisional", "deadline_rule", "deadline_from_service", "overdue_since"])
    answer = law_deadlines.evaluate("rectification_extension_answer", ext.requested_on, calendar=lawcal.work_calendar(), step_date=decided_on)
    late = decided_on > answer.date
    audit.record(actor=actor, action="hazard.extension_decide", obj=h, after={"approved": approve, "deadline": h.deadline, "answer_due": answer.date, "late": late}, note=note.strip())
    return ext


# --- re-inspection -------------------------------------------------------------------------------------
@transaction.atomic
def reinspection_start(*, actor: Any, hazards: Sequence[Hazard], inspected_on: dt.date, started_at: dt.datetime, place: str, officer_ids: Sequence[int], idempotency_key: str | None = None) -> Inspection:
    """A re-inspection is an Inspection of type 复查 started from the hazards it verifies."""
    locked = [_lock(actor, h) for h in sorted(hazards, key=lambda h: h.pk)]
    if not locked:
        raise ValidationFailed("请选择要复查的隐患。", fields={"hazards": "请选择隐患。"})
    ent = locked[0].enterprise
    for h in locked:
        if h.enterprise_id != ent.pk:
            raise ValidationFailed("一次复查只能针对同一单位。", fields={"hazards": "一次复查只能针对同一单位。"})
        if h.status not in (HazardStatus.RECTIFYING, HazardStatus.REPORTED):
            raise DomainError(f"隐患“{h.description[:20]}”尚未下达整改或已销号，不能复查。", code="bad_transition")
    insp = inspections.inspection_create(
        actor=actor, enterprise=ent, type=InspectionType.REINSPECTION, inspected_on=inspected_on, started_at=started_at, place=place,
        officer_ids=officer_ids, template_ids=[], idempotency_key=idempotency_key,
        # The bureau that ordered the rectification re-inspects it, in its own jurisdiction, also
        # after the unit moved elsewhere (docs/architecture.md, "A unit that moves").
        jurisdiction_id=locked[0].jurisdiction_id,
        extra_items=[{"text": f"复查：{h.description}（{h.location}）", "legal_basis": h.legal_basis} for h in locked],
    )  # fmt: skip
    for h in locked:
        Reinspection.objects.create(hazard=h, inspection=insp)
        audit.record(actor=actor, action="hazard.reinspect", obj=h, after={"inspection": insp.pk})
    return insp


@transaction.atomic
def reinspection_decide(*, actor: Any, reinspection: Reinspection, result: str, opinion: str, decided_on: dt.date, new_period_days: int | None = None) -> Reinspection:
    """Pass → closed (销号). Fail → a new period (runs from the opinion's service) or escalation."""
    r = Reinspection.objects.select_for_update(of=("self",)).select_related("inspection").get(pk=reinspection.pk)
    h = _lock(actor, r.hazard)
    if r.result:
        raise DomainError("该复查已有结论。", code="already_decided")
    if h.status not in (HazardStatus.RECTIFYING, HazardStatus.REPORTED):
        raise DomainError("隐患状态不允许复查结论。", code="bad_transition")
    errors = {}
    if result not in ReinspectionResult.values:
        errors["result"] = "复查结论须为合格或不合格。"
    if not (opinion or "").strip():
        errors["opinion"] = "请填写复查意见。"
    if msg := date_bounds_error(decided_on, "fact"):
        errors["decided_on"] = msg
    elif decided_on is None or decided_on < r.inspection.inspected_on or decided_on > timezone.localdate():
        errors["decided_on"] = "复查结论日期不能早于复查检查日期或晚于今天。"
    if result == ReinspectionResult.FAIL and not new_period_days:
        errors["new_period_days"] = "复查不合格的，须重新确定整改期限（或移交立案）。"
    if errors:
        raise ValidationFailed("复查结论有误。", fields=errors)
    r.result, r.opinion, r.decided_on, r.new_period_days = result, opinion.strip(), decided_on, new_period_days
    r.save()
    if result == ReinspectionResult.PASS:
        if h.status == HazardStatus.RECTIFYING:
            _event(h, HazardStatus.REPORTED, actor, note="复查时确认已整改", on=decided_on)
        _event(h, HazardStatus.CLOSED, actor, note=f"复查合格，销号：{opinion.strip()}", on=decided_on)
        h.closed_on = decided_on
        h.save(update_fields=["status", "closed_on"])
        audit.record(actor=actor, action="hazard.close", obj=h, after={"closed_on": decided_on, "reinspection": r.pk})
    else:
        if h.status == HazardStatus.REPORTED:
            _event(h, HazardStatus.RECTIFYING, actor, note=f"复查不合格：{opinion.strip()}", on=decided_on)
        h.period_days = int(new_period_days or h.period_days)
        # The new period is stated on the re-inspection opinion; it runs from that opinion's service.
        h.served_on = None
        h.deadline = None
        h.save(update_fields=["status", "period_days", "served_on", "deadline"])
    audit.record(actor=actor, action="hazard.reinspect_result", obj=h, after={"result": result, "new_period_days": new_period_days}, note=opinion.strip())
    return r


def _numbers(indexes: list[int]) -> str:
    return "、".join(f"第{i}项" for i in indexes)


@transaction.atomic
def reinspection_opinion_issue(*, actor: Any, inspection: Inspection, issued_on: dt.date) -> IssuedDocument:
    """The 整改复查意见书 of a re-inspection: exactly the hazards re-inspected, each with its result
    (合格, or 不合格 with its new period, which runs from this opinion's service)."""
    insp = Inspection.objects.select_for_update(of=("self",)).select_related("enterprise", "owner_agency").get(pk=inspection.pk)
    require_owner(actor, insp, roles=WRITE_ROLES, what="该复查")
    rs = list(Reinspection.objects.filter(inspection=insp).select_related("hazard", "hazard__order_document").order_by("hazard_id"))
    if not rs or any(not r.result for r in rs):
        raise DomainError("每项隐患都有复查结论后才能签发复查意见书。", code="reinspection_incomplete")
    order = rs[0].hazard.order_document
    if order is None:
        raise DomainError("隐患没有整改指令书，不能签发复查意见书。", code="no_order")
    results = []
    for r in rs:
        passed = r.result == ReinspectionResult.PASS
        row: dict[str, Any] = {"hazard_id": r.hazard_id, "text": f"{r.hazard.description}（{r.hazard.location}）", "rectified": passed, "note": r.opinion}
        if not passed:
            row.update(period_days=r.new_period_days, period_text=f"自本意见书送达之日起{r.new_period_days}日内整改完毕")
        results.append(row)
    passed_ix = [i for i, row in enumerate(results, start=1) if row["rectified"]]
    failed_ix = [i for i, row in enumerate(results, start=1) if not row["rectified"]]
    if not failed_ix:
        conclusion = f"经复查，本次复查的{len(results)}项隐患均已整改合格，予以销号。" if len(results) > 1 else "经复查，本次复查的隐患已整改合格，予以销号。"
    else:
        parts = []
        if passed_ix:
            parts.append(f"上表{_numbers(passed_ix)}隐患已整改合格，予以销号")
        parts.append(f"上表{_numbers(failed_ix)}隐患未整改合格，责令你单位按照上表所列期限整改完毕")
        conclusion = "经复查，" + "；".join(parts) + "。"
    # The hazards of the order that this re-inspection did not cover are not judged by it.
    listed = {int(p["hazard_id"]) for p in (order.context or {}).get("problems", []) if isinstance(p, dict) and p.get("hazard_id") is not None}
    listed |= set(Hazard.objects.filter(order_document=order).values_list("pk", flat=True))
    rest = listed - {r.hazard_id for r in rs}
    others = Hazard.objects.filter(pk__in=rest).exclude(status=HazardStatus.CLOSED).count() if rest else 0
    if others:
        conclusion += f"{order.number}《{order.title}》所列其余{others}项隐患不在本次复查范围内，另行复查。"
    ctx = {
        "party": _party(insp.enterprise),
        "order_number": order.number,
        "order_title": order.title,
        "order_date": order.issued_on,
        "reinspection_date": insp.inspected_on,
        "results": results,
        "conclusion": conclusion,
        "officers": _officers(insp, insp.owner_agency),
        **_agency_remedies(insp.owner_agency),
    }
    agency = insp.owner_agency
    doc = documents.document_issue(
        actor=actor, kind_code="reinspection_opinion", agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr,
        jurisdiction=insp.jurisdiction, subject_type="inspections.inspection", subject_id=insp.pk, enterprise_id=insp.enterprise_id, context=ctx, issued_on=issued_on,
    )  # fmt: skip
    Reinspection.objects.filter(pk__in=[r.pk for r in rs]).update(opinion_document=doc)
    for r in rs:
        if r.result == ReinspectionResult.FAIL:
            Hazard.objects.filter(pk=r.hazard_id).update(order_document=doc)
    return doc


def _close_basis(hazard: Hazard) -> tuple[Reinspection | None, DomainError | None]:
    """The re-inspection a 销号 rests on — the most recently decided one, which must have passed —
    or why there is none. A pass followed by a failed re-inspection does not close the hazard."""
    if hazard.status == HazardStatus.CLOSED:
        return None, DomainError("隐患已销号。", code="bad_transition")
    latest = hazard.reinspections.exclude(result="").filter(decided_on__isnull=False).order_by("-decided_on", "-id").first()
    if latest is None or latest.result != ReinspectionResult.PASS:
        return None, DomainError("隐患须经整改复查合格后才能销号（以最近一次复查结论为准）。", code="close_without_reinspection", article="《安全生产法》第六十五条")
    return latest, None


def close_refusal(hazard: Hazard) -> DomainError | None:
    """Why ``hazard`` cannot be closed now, or None. The page shows the 销号 button only when this
    is None (the same predicate the service enforces): closing follows a passed re-inspection,
    which closes the hazard itself, so the button is left for a passed one not yet closed."""
    return _close_basis(hazard)[1]


def may_close(scope: Any, hazard: Hazard) -> bool:
    return scope.agency_id == hazard.owner_agency_id and scope.has_role(*WRITE_ROLES) and close_refusal(hazard) is None


@transaction.atomic
def hazard_close(*, actor: Any, hazard: Hazard) -> Hazard:
    """销号 of a hazard whose re-inspection passed; anything else is refused (``close_refusal``)."""
    h = _lock(actor, hazard)
    passed, refusal = _close_basis(h)
    if refusal is not None:
        raise refusal
    assert passed is not None and passed.decided_on is not None
    if h.status == HazardStatus.RECTIFYING:
        _event(h, HazardStatus.REPORTED, actor, note="复查时确认已整改", on=passed.decided_on)
    _event(h, HazardStatus.CLOSED, actor, note="复查合格，销号", on=passed.decided_on)
    h.closed_on = passed.decided_on
    h.save(update_fields=["status", "closed_on"])
    audit.record(actor=actor, action="hazard.close", obj=h, after={"closed_on": h.closed_on, "reinspection": passed.pk})
    return h


# --- overdue and supervision -------------------------------------------------------------------------------
def hazards_overdue_sweep(*, today: dt.date | None = None) -> int:
    """Daily: flag hazards past their deadline (and for a case, AQSCF §102). One set-based UPDATE,
    so a million hazards are swept in seconds on PostgreSQL (index hazard_sweep_idx)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        n = Hazard.objects.filter(status=HazardStatus.RECTIFYING, deadline__lt=today, overdue_since__isnull=True).update(overdue_since=today, case_flag=True)
    return n


@transaction.atomic
def hazard_supervise(*, actor: Any, hazard: Hazard, by: str, on: dt.date) -> Hazard:
    """挂牌督办 of a major hazard."""
    h = _lock(actor, hazard, roles=APPROVE_ROLES)
    if h.severity != Severity.MAJOR:
        raise DomainError("挂牌督办只适用于重大事故隐患。", code="not_major")
    if h.status == HazardStatus.CLOSED:
        raise DomainError("隐患已销号。", code="bad_transition")
    if not (by or "").strip():
        raise ValidationFailed("请填写督办机关。", fields={"by": "请填写督办机关。"})
    if on is None:
        raise ValidationFailed("请填写挂牌督办日期。", fields={"on": "请填写挂牌督办日期。"})
    if msg := date_bounds_error(on, "fact"):
        raise ValidationFailed("挂牌督办日期有误。", fields={"on": msg})
    if on < h.found_on:
        raise ValidationFailed("挂牌督办日期有误。", fields={"on": f"挂牌督办日期不能早于隐患发现日期{cn_date(h.found_on)}。"})
    h.supervised, h.supervised_by, h.supervised_on = True, by.strip(), on
    h.save(update_fields=["supervised", "supervised_by", "supervised_on"])
    audit.record(actor=actor, action="hazard.supervise", obj=h, after={"by": by, "on": on})
    return h


# --- measures -------------------------------------------------------------------------------------------
def measure_suggestion(hazard: Hazard) -> dict[str, str] | None:
    """AQSCF §65(3): for a major hazard, suggest the on-site measure; the officer decides on the facts."""
    if hazard.severity != Severity.MAJOR:
        return None
    mines = hazard.enterprise.sectors.filter(group_id="mine").exists()
    mine_policy = getattr(settings, "ANJIAN_MINE_MAJOR_HAZARD_SUSPEND", False)
    if mines and mine_policy:
        return {"measure_type": MeasureType.SUSPEND, "scope": MeasureScope.UNIT, "why": "本局配置：非煤矿山重大事故隐患一律停产整顿（专项整治政策）。"}
    return {
        "measure_type": MeasureType.STOP_FACILITY,
        "scope": MeasureScope.EQUIPMENT,
        "why": "重大事故隐患排除前或者排除过程中无法保证安全的，应当责令从危险区域内撤出作业人员，责令暂时停产停业或者停止使用相关设施、设备（安全生产法第六十五条第一款第三项）；范围由执法人员根据现场事实确定。",
    }


def major_basis(hazard: Hazard) -> str:
    """判定依据 of a major hazard as the decision prints it: the matched criterion with its
    standard, article and item, else the officer's stated reasons for the escalation."""
    from anjian.law import hazards as law_hazards
    from anjian.law.catalogue import chinese_number
    from anjian.law.errors import LawError

    if hazard.criterion_id:
        try:
            item = law_hazards.default_criteria().item(hazard.criterion_id)
        except LawError:
            item = None
        if item is not None and not item.text_pending:
            cat = next(c for c in law_hazards.default_criteria().catalogues if c.code == item.catalogue)
            # The source names the issuing order first ("应急管理部令第10号（2023年5月15日施行…）").
            order = cat.source.split("（")[0].split("；")[0].strip()
            where = f"第{chinese_number(item.article)}条" if item.article else ""
            if where and item.item:
                where += f"第{chinese_number(item.item)}项"
            return f"《{cat.name}》（{order}）{where}：{item.text}"
    if hazard.major_reason:
        return f"执法人员认定：{hazard.major_reason}"
    return hazard.legal_basis


def _measure_scope_text(scope: str, site: Site | None, detail: str) -> str:
    """措施范围 as the officer decided it: the kind of scope with the site and the detail entered."""
    parts = []
    if scope == MeasureScope.SITE and site is not None:
        parts.append(f"{site.name}，{site.address}" if site.address else site.name)
    if (detail or "").strip():
        parts.append(detail.strip())
    label = MeasureScope(scope).label
    return f"{label}（{'；'.join(parts)}）" if parts else label


@transaction.atomic
def measure_decide(
    *, actor: Any, hazard: Hazard, measure_type: str, scope: str, reason: str, decided_on: dt.date, site: Site | None = None, scope_detail: str = "",
    issue_document: bool = True, idempotency_key: str | None = None,
) -> Measure:
    """An on-site measure (AQSCF §65(3)) and its decision. One decision per act (the documents core
    refuses a second one for the same hazard, measure and scope); ``idempotency_key``: a replay
    returns the measure the first request decided."""
    if idempotency_key:
        args = dict(locals())  # the parameters (nothing else is bound yet)
        del args["idempotency_key"]
        return idempotency.once(actor=actor, operation="measure.decide", key=idempotency_key, model=Measure, do=lambda: measure_decide(**args))[0]
    h = _lock(actor, hazard)
    errors = {}
    if h.severity != Severity.MAJOR:
        errors["hazard"] = "现场处理措施（安全生产法第六十五条第一款第三项）针对重大事故隐患。"
    if h.status == HazardStatus.CLOSED:
        errors["hazard"] = "隐患已销号。"
    if measure_type not in MeasureType.values:
        errors["measure_type"] = "请选择措施。"
    if scope not in MeasureScope.values:
        errors["scope"] = "请选择范围。"
    if scope in (MeasureScope.AREA, MeasureScope.EQUIPMENT) and not (scope_detail or "").strip():
        errors["scope_detail"] = "范围为区域或设施设备的，须写明具体区域或设备。"
    if scope == MeasureScope.SITE and (site is None or site.enterprise_id != h.enterprise_id):
        errors["site"] = "请选择该单位的场所。"
    if not (reason or "").strip():
        errors["reason"] = "请写明无法保证安全的现场事实（决定理由）。"
    if msg := date_bounds_error(decided_on, "fact"):
        errors["decided_on"] = msg
    elif decided_on is None or decided_on > timezone.localdate():
        errors["decided_on"] = "决定日期不能晚于今天。"
    if errors:
        raise ValidationFailed("现场处理措施有误。", fields=errors, article=AQSCF_65_3)
    m = Measure.objects.create(
        jurisdiction_id=h.jurisdiction_id, owner_agency=h.owner_agency, enterprise=h.enterprise, hazard=h, kind=MeasureKind.ONSITE,
        measure_type=measure_type, scope=scope, site=site, scope_detail=scope_detail.strip(), legal_basis=AQSCF_65_3, reason=reason.strip(),
        decided_on=decided_on, created_by=actor,
    )  # fmt: skip
    if issue_document and h.inspection is not None:
        agency = h.owner_agency
        ctx = {
            "party": _party(h.enterprise),
            "inspection_date": h.inspection.inspected_on,
            "hazards": [{"text": f"{h.description}（{h.location}）", "basis": major_basis(h)}],
            "measure": MeasureType(measure_type).label,
            "scope": _measure_scope_text(scope, site, scope_detail),
            "reason": reason.strip(),
            "officers": _officers(h.inspection, agency),
            **_agency_remedies(agency),
        }
        doc = documents.document_issue(
            actor=actor, kind_code="onsite_measure_decision", agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr,
            jurisdiction=h.jurisdiction, subject_type="hazards.measure", subject_id=m.pk, enterprise_id=h.enterprise_id, context=ctx, issued_on=decided_on,
            source=f"hazards.hazard:{h.pk}:{measure_type}:{scope}:{site.pk if site else ''}:{scope_detail.strip()}"[:200],  # one decision per act
        )  # fmt: skip
        m.decision_document = doc
        m.save(update_fields=["decision_document"])
    audit.record(actor=actor, action="measure.decide", obj=m, after={"hazard": h.pk, "type": measure_type, "scope": scope}, note=reason.strip())
    return m


@transaction.atomic
def restart_apply(*, actor: Any, measure: Measure, applied_on: dt.date, application: str) -> RestartReview:
    m = Measure.objects.select_for_update().get(pk=measure.pk)
    require_owner(actor, m, roles=WRITE_ROLES + (Role.OFFICE,), what="该措施")
    if m.status != MeasureStatus.ACTIVE:
        raise DomainError("措施已解除。", code="measure_ended")
    if m.restart_reviews.filter(reviewed_on__isnull=True).exists():
        raise DomainError("已有待审查的恢复生产申请。", code="restart_pending")
    if msg := date_bounds_error(applied_on, "fact"):
        raise ValidationFailed("恢复生产申请有误。", fields={"applied_on": msg})
    if not (application or "").strip() or applied_on is None or applied_on > timezone.localdate():
        raise ValidationFailed("恢复生产申请有误。", fields={"application": "请填写申请内容。", "applied_on": "申请日期不能晚于今天。"})
    rr = RestartReview.objects.create(measure=m, applied_on=applied_on, application=application.strip(), recorded_by=actor)
    audit.record(actor=actor, action="measure.restart_apply", obj=m, after={"applied_on": applied_on})
    return rr


def restart_review_due(review: RestartReview, *, calendar: Any = None) -> law_deadlines.DeadlineResult:
    """The agency reviews within 10 days of the application (LEGAL.md §3, CFG). ``calendar``: the
    loaded calendar when the caller already holds it (a list of reviews reads it once)."""
    return law_deadlines.evaluate("restart_review", review.applied_on, calendar=calendar or lawcal.work_calendar(), step_date=review.applied_on)


@transaction.atomic
def restart_review_decide(*, actor: Any, review: RestartReview, approved: bool, opinion: str, reviewed_on: dt.date) -> RestartReview:
    """Resume only after review and approval by the agency's head, once the hazard is removed
    (AQSCF §65(3)); ending a measure while its major hazard is open is refused."""
    rr = RestartReview.objects.select_for_update(of=("self",)).select_related("measure", "measure__hazard", "recorded_by").get(pk=review.pk)
    m = Measure.objects.select_for_update(of=("self",)).select_related("owner_agency").get(pk=rr.measure_id)
    require_owner(actor, m, roles=(Role.LEADER,), what="该措施")
    require_other_person(rr.recorded_by, actor, what="恢复生产申请")
    if rr.reviewed_on is not None:
        raise DomainError("该申请已审查。", code="already_decided")
    if not (opinion or "").strip():
        raise ValidationFailed("请填写审查意见。", fields={"opinion": "请填写审查意见。"})
    if msg := date_bounds_error(reviewed_on, "fact"):
        raise ValidationFailed("审查日期有误。", fields={"reviewed_on": msg})
    if reviewed_on is None or reviewed_on < rr.applied_on or reviewed_on > timezone.localdate():
        raise ValidationFailed("审查日期有误。", fields={"reviewed_on": "审查日期不能早于申请日期或晚于今天。"})
    scope = scope_for(actor)
    head = AgencyHead.objects.filter(agency_id=m.owner_agency_id, staff_id=scope.staff_id, valid_from__lte=reviewed_on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=reviewed_on)).filter(kind__in=[HeadKind.HEAD, HeadKind.PRINCIPAL_HEAD]).exists()
    if approved and not head:
        raise PermissionRefused(f"恢复生产须经{m.owner_agency.name}负责人审查批准；您在{reviewed_on:%Y-%m-%d}不是该机关的负责人。", code="not_head", article=AQSCF_65_3)
    if approved and m.hazard is not None and m.hazard.status != HazardStatus.CLOSED:
        raise DomainError("重大事故隐患尚未经复查销号，不能批准恢复生产、解除措施。", code="hazard_open", article=AQSCF_65_3)
    rr.reviewed_on, rr.approved, rr.approver_id, rr.opinion = reviewed_on, approved, scope.staff_id, opinion.strip()
    rr.save()
    if approved:
        m.status, m.ended_on = MeasureStatus.ENDED, reviewed_on
        m.save(update_fields=["status", "ended_on"])
    due = restart_review_due(rr)
    audit.record(actor=actor, action="measure.restart_review", obj=m, after={"approved": approved, "review_due": due.date, "late": reviewed_on > due.date}, note=opinion.strip())
    return rr


# --- transfers -----------------------------------------------------------------------------------------------
@transaction.atomic
def transfer_send(*, actor: Any, enterprise: Enterprise, from_department: Department, to_department: Department, facts: str, findings: Sequence[Finding] = (), hazards: Sequence[Hazard] = (), suggested_basis: str = "") -> Transfer:
    scope = scope_for(actor)
    if enterprise.jurisdiction_id not in scope.jurisdiction_ids:
        raise NotFound()
    errors = {}
    if from_department.agency_id != scope.agency_id or to_department.agency_id != scope.agency_id:
        errors["to_department"] = "移交在本局科室与本局执法队伍之间进行（局队合一）。"
    if to_department.kind != DepartmentKind.ENFORCEMENT:
        errors["to_department"] = "接收方须为执法队伍。"
    if from_department.kind == DepartmentKind.ENFORCEMENT:
        errors["from_department"] = "移交方应为监管科室。"
    if not findings and not hazards:
        errors["findings"] = "请选择移交的问题或隐患。"
    if not (facts or "").strip():
        errors["facts"] = "请写明违法事实。"
    if any(f.enterprise_id != enterprise.pk for f in findings) or any(h.enterprise_id != enterprise.pk for h in hazards):
        errors["findings"] = "问题或隐患不属于该单位。"
    if errors:
        raise ValidationFailed("移交信息有误。", fields=errors)
    if not scope.has_role(Role.SUPERVISOR, Role.DEPT_HEAD, Role.OFFICER):
        raise PermissionRefused("您的角色不能办理移交。")
    t = Transfer.objects.create(jurisdiction_id=enterprise.jurisdiction_id, owner_agency_id=scope.agency_id, enterprise=enterprise, from_department=from_department, to_department=to_department, facts=facts.strip(), suggested_basis=suggested_basis, sent_by=actor)
    t.findings.set(findings)
    t.hazards.set(hazards)
    audit.record(actor=actor, action="transfer.send", obj=t, after={"to": to_department.name, "findings": [f.pk for f in findings], "hazards": [h.pk for h in hazards]})
    return t


TRANSFER_DECIDE_ROLES = (Role.OFFICER, Role.DEPT_HEAD, Role.LEADER)


def may_decide_transfer(actor: Any, transfer: Transfer, *, in_receiving_team: bool) -> bool:
    """Who accepts or returns a pending transfer: the owning bureau's receiving team (officer or
    head), or a leader, never its sender (``core.duties``). The pages ask this to show the buttons;
    ``_decide_transfer`` enforces it."""
    scope = scope_for(actor)
    return (
        transfer.status == TransferStatus.PENDING
        and scope.agency_id == transfer.owner_agency_id
        and scope.has_role(*TRANSFER_DECIDE_ROLES)
        and (in_receiving_team or scope.has_role(Role.LEADER))
        and not is_same_person(transfer.sent_by, actor)  # the sender never accepts its own transfer
    )


def _decide_transfer(actor: Any, transfer: Transfer) -> Transfer:
    t = Transfer.objects.select_for_update(of=("self",)).select_related("to_department", "sent_by").get(pk=transfer.pk)
    require_owner(actor, t, roles=TRANSFER_DECIDE_ROLES, what="该移交")
    require_other_person(t.sent_by, actor, what="该移交")
    scope = scope_for(actor)
    from anjian.org.models import Membership

    in_team = Membership.objects.valid_on(timezone.localdate()).filter(staff_id=scope.staff_id, department=t.to_department).exists()
    if not in_team and not scope.has_role(Role.LEADER):
        raise PermissionRefused(f"移交由{t.to_department.name}接收或退回。", code="not_receiver")
    if t.status != TransferStatus.PENDING:
        raise DomainError("该移交已处理。", code="already_decided")
    return t


@transaction.atomic
def transfer_accept(*, actor: Any, transfer: Transfer) -> Transfer:
    """Accept into the enforcement team (a penalty case is opened here once cases exist)."""
    t = _decide_transfer(actor, transfer)
    t.status, t.decided_at, t.decided_by = TransferStatus.ACCEPTED, timezone.now(), actor
    t.save(update_fields=["status", "decided_at", "decided_by"])
    audit.record(actor=actor, action="transfer.accept", obj=t, after={"hours_to_accept": round((t.decided_at - t.sent_at).total_seconds() / 3600, 1)})
    return t


@transaction.atomic
def transfer_return(*, actor: Any, transfer: Transfer, reason: str) -> Transfer:
    t = _decide_transfer(actor, transfer)
    if not (reason or "").strip():
        raise ValidationFailed("退回须说明理由。", fields={"reason": "请填写退回理由。"})
    t.status, t.decided_at, t.decided_by, t.return_reason = TransferStatus.RETURNED, timezone.now(), actor, reason.strip()
    t.save(update_fields=["status", "decided_at", "decided_by", "return_reason"])
    audit.record(actor=actor, action="transfer.return", obj=t, note=reason.strip())
    return t


# --- institutional measures (second of the two lists) ----------------------------------------------------------
@transaction.atomic
def institutional_create(*, actor: Any, enterprise: Enterprise, title: str, description: str = "", due_on: dt.date | None = None, hazard: Hazard | None = None) -> InstitutionalMeasure:
    # The unit's own bureau keeps its two lists (ARCHITECTURE.md rule 4: the city reads, does not write).
    require_owner(actor, enterprise, roles=WRITE_ROLES, what=f"企业“{enterprise.name}”的两个清单")
    if not (title or "").strip():
        raise ValidationFailed("请填写制度措施。", fields={"title": "请填写制度措施。"})
    im = InstitutionalMeasure.objects.create(jurisdiction_id=enterprise.jurisdiction_id, owner_agency_id=enterprise.owner_agency_id, enterprise=enterprise, hazard=hazard, title=title.strip(), description=description, due_on=due_on, recorded_by=actor)
    audit.record(actor=actor, action="institutional.create", obj=enterprise, after={"title": im.title, "due_on": due_on})
    return im


@transaction.atomic
def institutional_done(*, actor: Any, measure: InstitutionalMeasure, done_on: dt.date) -> InstitutionalMeasure:
    im = InstitutionalMeasure.objects.select_for_update(of=("self",)).select_related("enterprise", "owner_agency").get(pk=measure.pk)
    require_owner(actor, im, roles=WRITE_ROLES, what="该制度措施")
    if done_on is None or done_on > timezone.localdate():
        raise ValidationFailed("完成日期不能晚于今天。", fields={"done_on": "完成日期不能晚于今天。"})
    im.done_on = done_on
    im.save(update_fields=["done_on"])
    audit.record(actor=actor, action="institutional.done", obj=im.enterprise, after={"title": im.title, "done_on": done_on})
    return im


def document_reissued(actor: Any, old: IssuedDocument, new: IssuedDocument) -> None:
    """An order, a measure decision or a re-inspection opinion was re-issued from the document's page
    before it was served (documents.document_reissue, same transaction): the hazards, measures and
    re-inspections that held the old one now hold the new one, whose service starts their clocks."""
    for h in Hazard.objects.select_for_update(of=("self",)).filter(order_document=old).order_by("pk"):
        h.order_document = new
        h.save(update_fields=["order_document"])
        _event(h, h.status, actor, note=f"{old.title}{old.number}重新签发为{new.number}")
    Reinspection.objects.filter(opinion_document=old).update(opinion_document=new)
    Measure.objects.filter(decision_document=old).update(decision_document=new)
