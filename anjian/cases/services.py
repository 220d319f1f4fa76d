"""The penalty procedure: one service per transition (STYLE.md principle 2).

Each service locks the case, checks the edge in ``CASE_TRANSITIONS``, the scope, the owner and the
role, asks ``anjian.law`` and refuses an unlawful step with the rule and the article in Chinese,
writes, audits (``core.audit.record``, ``case.*`` codes) and appends a ``CaseStep`` to the timeline.

Deadlines a served document starts are stored as facts (``CaseDeadline``). A step that relies on a
window protecting the party (the decision relies on the defence and hearing-request windows, the
surcharge on the payment window) recomputes it with today's calendar and overrides
(``_rely_on``): an unverified default or a year still provisional refuses the step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anjian.cases import decision as decision_docs
from anjian.cases import discretion as case_discretion
from anjian.cases import measures as case_measures
from anjian.cases import paperwork
from anjian.cases.choices import (
    CASE_TRANSITIONS,
    NEXT_STEP,
    NO_PENALTY_ARTICLES,
    PROPOSAL_STATUSES,
    CaseSource,
    CaseStatus,
    ExtensionStatus,
    HearingOutcome,
    NoPenaltyGround,
    PartyType,
    StatementForm,
    StatementKind,
)
from anjian.cases.models import (
    Accident,
    Case,
    CaseDeadline,
    CaseOfficer,
    CaseStep,
    CaseViolation,
    CollectiveDiscussion,
    DecisionExtension,
    Hearing,
    LegalReview,
    Notice,
    Payment,
    Recusal,
    Statement,
    Waiver,
)
from anjian.core import audit
from anjian.core.crypto import blind_filter
from anjian.core.duties import require_other_person
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.scoping import require_owner, scope_for
from anjian.core.validators import id_number_error
from anjian.enterprises.models import Enterprise
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import TransferStatus
from anjian.hazards.models import Hazard, Transfer
from anjian.inspections.evidence import inspect_file
from anjian.inspections.models import Finding
from anjian.inspections.services import check_officers
from anjian.law import deadlines as law_deadlines
from anjian.law import penalties as law_penalties
from anjian.law.catalogue import AccidentGrade, Circumstance, Subject, default_catalogue
from anjian.law.errors import LawError, PenaltyClauseError
from anjian.law.money import yuan
from anjian.law.periods import party_protecting_window_blocked, service_date
from anjian.law.procedure import HearingConfig, MitigationGround, PartyKind, PenaltyKind
from anjian.law.ruleset import RuleOverride as EngineOverride
from anjian.law.ruleset import default_ruleset, select_override
from anjian.legal import authority, lawcal
from anjian.org.choices import HeadKind, Role
from anjian.org.models import AgencyHead, Membership, Staff

WRITE_ROLES = (Role.OFFICER, Role.DEPT_HEAD)
APPROVE_ROLES = (Role.DEPT_HEAD, Role.LEADER)
CENT = Decimal("0.01")

XZCF = "《中华人民共和国行政处罚法》"
XZCF_22 = f"{XZCF}第二十二条"
XZCF_27 = f"{XZCF}第二十七条"
XZCF_29 = f"{XZCF}第二十九条"
XZCF_36 = f"{XZCF}第三十六条"
XZCF_37 = f"{XZCF}第三十七条"
XZCF_42 = f"{XZCF}第四十二条"
XZCF_44 = f"{XZCF}第四十四条"
XZCF_45 = f"{XZCF}第四十五条"
XZCF_54 = f"{XZCF}第五十四条"
XZCF_57 = f"{XZCF}第五十七条"
XZCF_58 = f"{XZCF}第五十八条"
XZCF_60 = f"{XZCF}第六十条"
XZCF_61 = f"{XZCF}第六十一条"
XZCF_62 = f"{XZCF}第六十二条"
XZCF_63 = f"{XZCF}第六十三条"
XZCF_64 = f"{XZCF}第六十四条"
XZCF_67 = f"{XZCF}第六十七条"
AQSCF_102 = "《中华人民共和国安全生产法》第一百零二条"


# --- small helpers --------------------------------------------------------------------------------------
def _today() -> dt.date:
    return timezone.localdate()


def _law_refusal(exc: LawError, *, http422: bool = False) -> DomainError:
    cls = ValidationFailed if http422 else DomainError
    fields = {exc.field: [exc.message]} if exc.field else None
    return cls(exc.message if exc.message.endswith("。") else exc.message + "。", code=exc.code, article=exc.article or "", fields=fields)


def _money(value: Any, field: str, label: str) -> Decimal:
    """Money is Decimal yuan with at most 2 places (ARCHITECTURE.md rule 6)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(f"{label}不是有效的金额。", fields={field: "请填写金额（元）。"}) from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationFailed(f"{label}最多保留两位小数。", fields={field: "金额最多保留两位小数（元、角、分）。"})
    if amount < 0:
        raise ValidationFailed(f"{label}不能为负数。", fields={field: "金额不能为负数。"})
    return amount.quantize(CENT)


def _day(value: Any, field: str, label: str, *, not_before: dt.date | None = None, before_label: str = "") -> dt.date:
    """A fact's date: a date, not after today, and not before the fact it follows."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationFailed(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if value > _today():
        raise ValidationFailed(f"{label}不能晚于今天：登记的是已经发生的事实。", fields={field: f"{label}不能晚于今天。"})
    if not_before is not None and value < not_before:
        text = f"{label}不能早于{before_label}（{not_before:%Y年%-m月%-d日}）。"
        raise ValidationFailed(text, fields={field: text})
    return value


def _law_context(case: Case) -> tuple[Any, list[EngineOverride], list[str]]:
    """The working-day calendar and the rule overrides in force for the case's agency."""
    codes = authority.scope_codes(case.jurisdiction.code)
    return lawcal.work_calendar(), lawcal.overrides_for(codes), codes


def _lock(actor: Any, case: Case, roles: tuple[str, ...] = WRITE_ROLES) -> Case:
    c = Case.objects.select_for_update(of=("self",)).select_related("jurisdiction", "owner_agency", "enterprise").get(pk=case.pk)
    require_owner(actor, c, roles=roles, what="该案件")
    return c


def _staff_of(actor: Any) -> Staff:
    scope = scope_for(actor)
    if scope.staff_id is None:
        raise PermissionRefused("您的账号未关联人员信息，不能办理案件。", code="no_staff")
    return Staff.objects.get(pk=scope.staff_id)


def _is_head(agency_id: int, staff_id: int | None, day: dt.date) -> bool:
    if staff_id is None:
        return False
    return (
        AgencyHead.objects.filter(agency_id=agency_id, staff_id=staff_id, kind__in=[HeadKind.HEAD, HeadKind.PRINCIPAL_HEAD], valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .exists()
    )


def _require_head(actor: Any, case: Case, day: dt.date, *, what: str, article: str) -> Staff:
    staff = _staff_of(actor)
    if not _is_head(case.owner_agency_id, staff.pk, day):
        raise PermissionRefused(f"{what}须由{case.owner_agency.name}负责人决定；您在{day:%Y年%-m月%-d日}不是该机关的负责人。", code="not_head", article=article)
    return staff


def _step(
    case: Case,
    *,
    actor: Any,
    action: str,
    on: dt.date,
    summary: str = "",
    article: str = "",
    to: str | None = None,
    deadline: CaseDeadline | None = None,
    met: bool | None = None,
    audit_after: Mapping[str, Any] | None = None,
) -> CaseStep:
    """Append the timeline row and the audit event; move the status when ``to`` is given."""
    frm = case.status
    if to is not None and to != frm:
        if to not in CASE_TRANSITIONS[frm]:
            raise DomainError(f"案件当前为“{CaseStatus(frm).label}”，不能转为“{CaseStatus(to).label}”。", code="bad_transition")
        case.status = to
        case.save(update_fields=["status"])
    step = CaseStep.objects.create(
        case=case, action=action, label=audit.ACTIONS[action], from_status=frm if to else "", to_status=to or "", on=on, actor=actor,
        actor_name=audit.actor_name(actor), summary=summary[:2000], article=article[:300],
        deadline_code=deadline.code if deadline else "", deadline_due=deadline.due if deadline else None, deadline_met=met,
    )  # fmt: skip
    _refresh_next_due(case)
    after = {"status": case.status, **(audit_after or {})}
    audit.record(actor=actor, action=action, obj=case, before={"status": frm} if to else None, after=after, note=summary[:500])
    return step


def _refresh_next_due(case: Case) -> None:
    """Keep ``Case.next_due``, the board's sort key, equal to the due date of the stored deadline
    that governs the next legal step (``NEXT_STEP``); every transition passes through ``_step``."""
    code = NEXT_STEP.get(case.status, ("", None))[1]
    due = CaseDeadline.objects.filter(case=case, code=code, active=True).values_list("due", flat=True).first() if code else None
    if due != case.next_due:
        case.next_due = due
        case.save(update_fields=["next_due"])


def _require_state(case: Case, allowed: Iterable[str], what: str) -> None:
    allowed = set(allowed)
    if case.status not in allowed:
        names = "、".join(CaseStatus(s).label for s in CaseStatus.values if s in allowed)
        raise DomainError(f"案件当前为“{CaseStatus(case.status).label}”，不能{what}（须处于：{names}）。", code="bad_state")


def _evaluate(case: Case, code: str, trigger: dt.date, *, step_date: dt.date | None = None) -> law_deadlines.DeadlineResult:
    cal, overrides, _ = _law_context(case)
    try:
        return law_deadlines.evaluate(code, trigger, calendar=cal, step_date=step_date or trigger, overrides=overrides)
    except LawError as exc:
        raise _law_refusal(exc) from None


def _store_deadline(case: Case, result: law_deadlines.DeadlineResult, *, met_on: dt.date | None = None) -> CaseDeadline:
    """Store a computed deadline as a fact; a previous active row of the same rule becomes history.

    A row of the same rule withdrawn because the service it ran from was marked erroneous
    (``cases.service_correction``) and not replaced yet is named as the one this row replaces: the
    case page and the timeline show the old due date next to the new one (行政处罚法 §61)."""
    CaseDeadline.objects.filter(case=case, code=result.code, active=True).update(active=False)
    withdrawn = CaseDeadline.objects.filter(case=case, code=result.code, withdrawn_at__isnull=False, replaced_by__isnull=True).order_by("-withdrawn_at", "-id").first()
    return CaseDeadline.objects.create(
        case=case, code=result.code, name=result.name, trigger_event=result.trigger_event, trigger_date=result.trigger,
        due=result.date, article=result.basis[:300], rule_version=result.rule_version[:200], calendar_version=result.calendar_version[:100],
        provisional=result.provisional, unverified=result.unverified, protects_party=result.protects_party, warning=result.warning or "",
        met_on=met_on, replaces=withdrawn,
    )  # fmt: skip


def _due_text(row: CaseDeadline) -> str:
    """"…期限至<due>" for a timeline line, with the withdrawn due date it replaces when there is one."""
    text = f"{row.name}至{row.due:%Y年%-m月%-d日}"
    old = row.replaces
    if old is not None:
        text += f"（原按有误的送达登记计算至{old.due:%Y年%-m月%-d日}，已撤回，现按重新登记的送达日期起算）"
    return text


def _active_deadline(case: Case, code: str) -> CaseDeadline | None:
    return CaseDeadline.objects.filter(case=case, code=code, active=True).first()


def _rely_on(case: Case, row: CaseDeadline, *, actor: Any, on: dt.date) -> dt.date:
    """The end of a stored window that a step now relies on.

    Recomputed with today's calendar and overrides: an unverified default (the legal department
    has not confirmed it) or a provisional end of a party-protecting window refuses the step
    (``ensure_usable``; LEGAL.md §1 and introduction). The date told to the party is never moved:
    when the recomputation ends later, the later date is used and the difference is recorded.
    """
    result = _evaluate(case, row.code, row.trigger_date, step_date=row.trigger_date)
    blocked = law_deadlines.unverified_default_blocked(result)
    if blocked is not None:
        raise DomainError(blocked, code="unverified_default", article=result.basis)
    message = party_protecting_window_blocked(result)
    if message is not None:
        raise DomainError(message, code="window_provisional", article=result.basis)
    if result.date != row.due and not CaseStep.objects.filter(case=case, action="case.deadline_recomputed", deadline_code=row.code, deadline_due=result.date).exists():
        CaseStep.objects.create(
            case=case, action="case.deadline_recomputed", label=audit.ACTIONS["case.deadline_recomputed"], on=on, actor=actor, actor_name=audit.actor_name(actor),
            summary=f"{row.name}按现行日历与规则重算为{result.date:%Y年%-m月%-d日}，与已告知的{row.due:%Y年%-m月%-d日}不同；已告知的日期不变，办理下一步时以两者中较晚者为准。",
            article=result.basis[:300], deadline_code=row.code, deadline_due=result.date,
        )  # fmt: skip
        audit.record(actor=actor, action="case.deadline_recomputed", obj=case, before={"code": row.code, "due": row.due}, after={"code": row.code, "due": result.date, "calendar": result.calendar_version})
    return max(row.due, result.date)


def _party_kind(case: Case) -> PartyKind:
    return PartyKind.INDIVIDUAL if case.party_type == PartyType.PERSON else PartyKind.ORGANISATION


def _current_notice(case: Case) -> Notice | None:
    return case.notices.order_by("-issued_on", "-id").first()


def _violations(case: Case) -> list[CaseViolation]:
    return list(CaseViolation.objects.filter(case=case).order_by("act_group", "id"))


def _kinds(violations: Sequence[CaseViolation]) -> set[PenaltyKind]:
    kinds: set[PenaltyKind] = set()
    for v in violations:
        if v.proposed_amount is not None:
            kinds.add(PenaltyKind.FINE)
        kinds.update(PenaltyKind(k) for k in v.other_kinds)
    return kinds


def _total(violations: Sequence[CaseViolation]) -> Decimal:
    return sum((v.proposed_amount for v in violations if v.proposed_amount is not None), Decimal("0.00"))


def _defence_recorded(case: Case, notice: Notice | None) -> bool:
    """A statement, a defence or a hearing request has been recorded against the notice (§45)."""
    if notice is None:
        return False
    return Statement.objects.filter(notice=notice).exists() or Hearing.objects.filter(notice=notice).exists()


def _applicable(v: CaseViolation, decision_date: dt.date) -> law_penalties.ApplicableRange | None:
    """The range to apply (行政处罚法 §37); ``None`` when no fine is provided for this subject."""
    try:
        return law_penalties.applicable_range(
            v.violation_id, v.act_date, decision_date, subject=v.subject, circumstance=v.circumstance,
            grade=v.grade or None, income=v.income, gains=v.gains,
        )  # fmt: skip
    except PenaltyClauseError as exc:
        if exc.field == "subject":
            return None
        raise _law_refusal(exc, http422=True) from None
    except LawError as exc:
        raise _law_refusal(exc, http422=True) from None


def _check_amount(v: CaseViolation, amount: Decimal, on: dt.date, *, collectively_approved: bool | None) -> law_penalties.AmountCheck:
    """Is ``amount`` lawful for ``v`` on ``on``? ``collectively_approved=None`` means the discussion
    is still to come (a proposal below the minimum with a §32 ground is then accepted pending it)."""
    app = _applicable(v, on)
    field = f"violation_{v.pk}"
    if app is None:
        raise ValidationFailed(f"{v.violation_id}对该处罚对象在该情形下没有罚款规定，不能罚款。", code="no_fine_provided", fields={field: "没有罚款规定。"})
    if app.range is None:
        raise ValidationFailed(f"{app.reason}，不能罚款。", code="no_longer_unlawful", article=XZCF_37, fields={field: app.reason})
    standard = case_discretion.standard_for_violation(v, app.range, on)  # the local 裁量基准 (issue 9 item 5)
    try:
        check = law_penalties.check_amount(
            amount, app.range, mitigation_ground=v.mitigation_ground or None,
            collectively_approved=True if collectively_approved is None else collectively_approved, config=standard.cuts,
        )  # fmt: skip
    except LawError as exc:
        raise _law_refusal(exc, http422=True) from None
    if not check.lawful:
        raise ValidationFailed(f"{v.violation_id}：{check.reason}（适用幅度{app.range}）。", code="amount_out_of_range", article=check.article, fields={field: check.reason})
    v.range_min, v.range_max, v.range_basis = app.range.minimum, app.range.maximum, f"{app.range.basis}；{app.reason}；裁量基准：{standard.source}"[:300]
    v.band = check.band.value if check.band is not None else ("mitigated" if check.mitigated else "")
    return check


def _one_act_one_fine(violations: Sequence[CaseViolation]) -> None:
    """行政处罚法 §29: one act is fined once; where several norms apply, the higher fine applies."""
    groups: dict[int, list[CaseViolation]] = {}
    for v in violations:
        groups.setdefault(v.act_group, []).append(v)
    for number, group in groups.items():
        fined = [v for v in group if v.proposed_amount is not None]
        if len(fined) > 1:
            ids = "、".join(v.violation_id for v in fined)
            raise ValidationFailed(
                f"第{number}项违法行为同时适用{ids}，同一个违法行为不得给予两次以上罚款，应当按照罚款数额高的规定处罚。",
                code="one_act_one_fine", article=XZCF_29, fields={"amounts": "同一违法行为只能罚款一次。"},
            )  # fmt: skip
        if fined and len(group) > 1:
            top = max((v.range_max for v in group if v.range_max is not None), default=None)
            if top is not None and fined[0].range_max is not None and fined[0].range_max < top:
                raise ValidationFailed(
                    f"第{number}项违法行为适用多个规定，应当依照罚款数额高的规定（上限{yuan(top)}）处罚。",
                    code="one_act_higher_fine", article=XZCF_29, fields={"amounts": "应当按照罚款数额高的规定处罚。"},
                )  # fmt: skip


def _notice_amounts(notice: Notice) -> dict[int, tuple[Decimal | None, set[str]]]:
    out: dict[int, tuple[Decimal | None, set[str]]] = {}
    for row in notice.proposal:
        amount = Decimal(row["amount"]) if row.get("amount") is not None else None
        out[int(row["violation"])] = (amount, set(row.get("kinds", [])))
    return out


def _not_above_notice(violations: Sequence[CaseViolation], notice: Notice, *, article: str, code: str, because: str) -> None:
    told = _notice_amounts(notice)
    for v in violations:
        amount, kinds = told.get(v.pk, (None, set()))
        if v.proposed_amount is not None and (amount is None or v.proposed_amount > amount):
            was = yuan(amount) if amount is not None else "未拟罚款"
            raise DomainError(
                f"{v.violation_id}的罚款{yuan(v.proposed_amount)}高于告知书告知的数额（{was}）：{because}",
                code=code, article=article, fields={f"violation_{v.pk}": "不得高于告知的数额。"},
            )  # fmt: skip
        extra = set(v.other_kinds) - kinds
        if extra:
            names = "、".join(PenaltyKind(k).label for k in sorted(extra))
            raise DomainError(f"{v.violation_id}增加了告知书未告知的处罚种类（{names}）：{because}", code=code, article=article)


# --- accidents ----------------------------------------------------------------------------------------------
@transaction.atomic
def accident_record(*, actor: Any, enterprise: Enterprise, occurred_on: dt.date, deaths: int, serious_injuries: int, direct_loss: Any, narrative: str) -> Accident:
    """Record an accident; its grade is computed (生产安全事故报告和调查处理条例 §3), never typed."""
    require_owner(actor, enterprise, roles=WRITE_ROLES + APPROVE_ROLES, what=f"单位“{enterprise.name}”")
    occurred_on = _day(occurred_on, "occurred_on", "事故发生日期")
    loss = _money(direct_loss, "direct_loss", "直接经济损失")
    if not (narrative or "").strip():
        raise ValidationFailed("请填写事故经过。", fields={"narrative": "请填写事故经过。"})
    try:
        grade = law_penalties.accident_grade(deaths, serious_injuries, loss)
        # The §114 range must exist on that day (the catalogue starts with the 2021 law): refused
        # here, before anything is written, rather than failing when the case asks for the range.
        law_penalties.accident_fine_range(grade, on=occurred_on)
    except LawError as exc:
        raise _law_refusal(exc, http422=True) from None
    a = Accident.objects.create(
        jurisdiction_id=enterprise.jurisdiction_id, owner_agency_id=scope_for(actor).agency_id, enterprise=enterprise, occurred_on=occurred_on,
        deaths=deaths, serious_injuries=serious_injuries, direct_loss=loss, narrative=narrative.strip(), grade=grade.value, recorded_by=actor,
    )  # fmt: skip
    audit.record(actor=actor, action="accident.record", obj=a, after={"grade": grade.value, "deaths": deaths, "serious_injuries": serious_injuries, "direct_loss": loss})
    return a


def accident_ranges(accident: Accident) -> dict[str, Any]:
    """The ranges offered in a case from an accident: the unit (安全生产法 §114) and the principal
    (§95, a share of the previous year's income; the income is needed to give figures)."""
    grade = AccidentGrade(accident.grade)
    unit = law_penalties.accident_fine_range(grade, on=accident.occurred_on)
    serious = law_penalties.accident_fine_range(grade, especially_serious=True, on=accident.occurred_on)
    return {"grade": grade, "grade_label": grade.label, "unit": unit, "unit_especially_serious": serious, "principal_violation": "P5"}


# --- opening and filing -------------------------------------------------------------------------------------
def _source_open_elsewhere(field: str, obj: Any) -> bool:
    return Case.objects.filter(**{field: obj}).exclude(status=CaseStatus.WITHDRAWN).exists()


@transaction.atomic
def case_open(
    *,
    actor: Any,
    source: str,
    title: str,
    facts: str,
    discovered_on: dt.date,
    enterprise: Enterprise | None = None,
    person_name: str = "",
    person_id_number: str = "",
    person_position: str = "",
    person_address: str = "",
    transfer: Transfer | None = None,
    hazard: Hazard | None = None,
    finding: Finding | None = None,
    accident: Accident | None = None,
    source_reason: str = "",
    complex_case: bool = False,
    major_public_interest: bool = False,
    serious_violation: bool = False,
) -> Case:
    """Register a case to be filed (立案申请), linked to its source. The party is a unit or, for the
    personal fines of 安全生产法 §94–§97, a natural person (then ``enterprise`` is where they work)."""
    scope = scope_for(actor)
    if not scope.is_member:
        raise NotFound()
    if not scope.has_role(*WRITE_ROLES):
        raise PermissionRefused("您的角色不能办理行政处罚案件。", code="role_refused")
    errors: dict[str, str] = {}
    if source not in CaseSource.values:
        errors["source"] = "未知的案件来源。"
    for obj in (transfer, hazard, finding, accident):
        if obj is not None and obj.jurisdiction_id not in scope.jurisdiction_ids:
            raise NotFound()
        if obj is not None and getattr(obj, "owner_agency_id", scope.agency_id) != scope.agency_id:
            raise PermissionRefused("案件来源属于其他机关。", code="not_owner")
    linked_ent: Enterprise | None = None
    # source kind → (the linked record, its field, message when missing, its own precondition, message when already filed)
    linked: dict[str, tuple[Any, str, str, tuple[Callable[[Any], bool], str], str]] = {
        CaseSource.TRANSFER: (transfer, "transfer", "请选择移交。", (lambda o: o.status == TransferStatus.ACCEPTED, "移交须先由执法队伍接收。"), "该移交已立案。"),
        CaseSource.HAZARD: (hazard, "hazard", "请选择逾期未整改的隐患。", (lambda o: bool(o.case_flag), "该隐患未被标记为逾期未整改、建议立案。"), "该隐患已立案。"),
        CaseSource.FINDING: (finding, "finding", "请选择检查发现的问题。", (lambda o: bool(o.violation_id), "该问题未对应处罚目录中的违法行为。"), "该问题已立案。"),
    }
    if source in linked:
        obj, field, missing, (ok, not_ok), filed = linked[source]
        if obj is None:
            errors[field] = missing
        elif not ok(obj):
            errors[field] = not_ok
        elif _source_open_elsewhere(field, obj):
            errors[field] = filed
        else:
            linked_ent = obj.enterprise
    elif source == CaseSource.ACCIDENT:
        if accident is None:
            errors["accident"] = "请选择事故。"
        else:
            linked_ent = accident.enterprise
    elif not (source_reason or "").strip():
        errors["source_reason"] = "举报、移送或其他来源须说明来源（举报编号、移送机关及文号或理由）。"
    if linked_ent is not None and enterprise is not None and enterprise.pk != linked_ent.pk:
        errors["enterprise"] = "当事单位与案件来源的单位不一致。"
    ent = enterprise or linked_ent
    person_name, person_id_number = (person_name or "").strip(), (person_id_number or "").strip().upper()
    party_type = PartyType.PERSON if person_name else PartyType.UNIT
    if party_type == PartyType.UNIT and ent is None:
        errors["enterprise"] = "请选择当事单位或填写当事人姓名。"
    if party_type == PartyType.PERSON:
        problem = id_number_error(person_id_number) if person_id_number else "请填写身份证号码。"
        if problem:
            errors["person_id_number"] = problem
    if ent is not None and ent.jurisdiction_id not in scope.jurisdiction_ids:
        raise NotFound()
    if not (title or "").strip():
        errors["title"] = "请填写案由。"
    if not (facts or "").strip():
        errors["facts"] = "请写明初步查明的违法事实。"
    if not isinstance(discovered_on, dt.date) or discovered_on > _today():
        errors["discovered_on"] = "发现日期不能晚于今天。"
    if errors:
        raise ValidationFailed("立案申请有误。", fields=errors, article=XZCF_54)
    jurisdiction_id = ent.jurisdiction_id if ent is not None else scope.jurisdiction_id
    c = Case(
        jurisdiction_id=jurisdiction_id, owner_agency_id=scope.agency_id, title=title.strip(), party_type=party_type, enterprise=ent,
        person_name=person_name, person_id_number=person_id_number, person_position=(person_position or "").strip(), person_address=(person_address or "").strip()[:200], source=source,
        source_reason=(source_reason or "").strip(), transfer=transfer if source == CaseSource.TRANSFER else None,
        hazard=hazard if source == CaseSource.HAZARD else None, finding=finding if source == CaseSource.FINDING else None,
        accident=accident if source == CaseSource.ACCIDENT else None, facts=facts.strip(), discovered_on=discovered_on,
        complex_case=complex_case, major_public_interest=major_public_interest, serious_violation=serious_violation, opened_by=actor,
    )  # fmt: skip
    c.full_clean()
    c.save()
    c = Case.objects.select_related("jurisdiction", "owner_agency", "enterprise").get(pk=c.pk)
    _step(c, actor=actor, action="case.open", on=_today(), summary=f"来源：{CaseSource(source).label}。{c.source_reason}", article=XZCF_54,
          audit_after={"source": source, "party": c.party_name})  # fmt: skip
    # Suggested violations from the source, for the handler to confirm or change.
    if source == CaseSource.FINDING and finding is not None and party_type == PartyType.UNIT:
        _add_violation(c, violation_id=finding.violation_id, act_date=finding.found_on, subject=Subject.UNIT.value, circumstance=Circumstance.BASE.value)
    if source == CaseSource.HAZARD and hazard is not None and party_type == PartyType.UNIT and hazard.deadline is not None:
        # 安全生产法 §102: the hazard not eliminated by the deadline is the act (continuing).
        _add_violation(c, violation_id="P12", act_date=hazard.deadline + dt.timedelta(days=1), subject=Subject.UNIT.value, circumstance=Circumstance.BASE.value,
                       circumstances=f"隐患“{hazard.description[:60]}”逾期未整改")  # fmt: skip
    if source == CaseSource.ACCIDENT and accident is not None and party_type == PartyType.UNIT:
        _add_violation(c, violation_id="P25", act_date=accident.occurred_on, subject=Subject.UNIT.value, circumstance=Circumstance.ACCIDENT.value, grade=accident.grade,
                       life_health_harm=accident.deaths > 0 or accident.serious_injuries > 0)  # fmt: skip
    if source == CaseSource.TRANSFER and transfer is not None and party_type == PartyType.UNIT:
        seen: set[str] = set()
        for f in transfer.findings.exclude(violation_id="").order_by("id"):
            if f.violation_id not in seen:
                seen.add(f.violation_id)
                _add_violation(c, violation_id=f.violation_id, act_date=f.found_on, subject=Subject.UNIT.value, circumstance=Circumstance.BASE.value, act_group=len(seen))
    return c


@transaction.atomic
def transfer_accept_into_case(*, actor: Any, transfer: Transfer, title: str, facts: str = "") -> Case:
    """Accept a transfer into the enforcement team and open its case (局队合一). The acceptance
    itself is the hazards service; the case lives here, in the higher layer."""
    t = hazard_services.transfer_accept(actor=actor, transfer=transfer)
    return case_open(actor=actor, source=CaseSource.TRANSFER, transfer=t, enterprise=t.enterprise, title=title, facts=facts or t.facts, discovered_on=timezone.localtime(t.sent_at).date())


def _add_violation(
    case: Case,
    *,
    violation_id: str,
    act_date: dt.date,
    subject: str,
    circumstance: str,
    item: int | None = None,
    act_ended_on: dt.date | None = None,
    act_group: int | None = None,
    life_health_harm: bool = False,
    circumstances: str = "",
    grade: str = "",
    income: Decimal | None = None,
    gains: Decimal | None = None,
) -> CaseViolation:
    errors: dict[str, str] = {}
    cat = default_catalogue()
    try:
        v = cat.violation(violation_id, act_date)
    except LawError as exc:
        raise ValidationFailed(exc.message + "。", code=exc.code, article=exc.article or "", fields={"violation_id": exc.message}) from None
    if subject not in Subject.__members__.values() and subject not in {s.value for s in Subject}:
        errors["subject"] = "未知的处罚对象。"
    elif (case.party_type == PartyType.UNIT) != (subject == Subject.UNIT.value):
        errors["subject"] = "一案一个当事人：当事人为单位的，处罚对象须为单位；为自然人的，处罚对象须为相应的个人。"
    if circumstance not in {c.value for c in Circumstance}:
        errors["circumstance"] = "未知的违法情形。"
    if grade and grade not in {g.value for g in AccidentGrade}:
        errors["grade"] = "未知的事故等级。"
    if item is not None and not any(i.item == item for i in v.items):
        errors["item"] = f"{v.id}没有第{item}项。"
    if act_date > case.discovered_on:
        errors["act_date"] = "违法行为发生日期不能晚于发现日期。"
    if act_ended_on is not None and act_ended_on < act_date:
        errors["act_ended_on"] = "违法行为终了日期不能早于发生日期。"
    if errors:
        raise ValidationFailed("违法行为信息有误。", fields=errors, article=v.citation)
    group = act_group or (CaseViolation.objects.filter(case=case).count() + 1)
    if CaseViolation.objects.filter(case=case, violation_id=v.id, act_group=group).exists():
        raise ValidationFailed(f"第{group}项违法行为已登记{v.id}。", fields={"violation_id": "重复登记。"}, article=XZCF_29)
    row = CaseViolation(
        case=case, violation_id=v.id, item=item, subject=subject, circumstance=circumstance, grade=grade, income=income, gains=gains,
        act_group=group, act_date=act_date, act_ended_on=act_ended_on, life_health_harm=life_health_harm, circumstances=circumstances,
    )  # fmt: skip
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def case_violation_add(
    *,
    actor: Any,
    case: Case,
    violation_id: str,
    act_date: dt.date,
    subject: str = "unit",
    circumstance: str = "base",
    item: int | None = None,
    act_ended_on: dt.date | None = None,
    act_group: int | None = None,
    life_health_harm: bool = False,
    circumstances: str = "",
    grade: str = "",
    income: Any = None,
    gains: Any = None,
) -> CaseViolation:
    """Add a violation from the catalogue (before the notice; the notice fixes what the party is told)."""
    c = _lock(actor, case)
    _require_state(c, {CaseStatus.DRAFT, CaseStatus.FILED}, "登记违法行为")
    act_date = _day(act_date, "act_date", "违法行为发生日期")
    inc = _money(income, "income", "上一年年收入") if income not in (None, "") else None
    gai = _money(gains, "gains", "违法所得") if gains not in (None, "") else None
    row = _add_violation(
        c, violation_id=violation_id, act_date=act_date, subject=subject, circumstance=circumstance, item=item, act_ended_on=act_ended_on,
        act_group=act_group, life_health_harm=life_health_harm, circumstances=(circumstances or "").strip(), grade=grade, income=inc, gains=gai,
    )  # fmt: skip
    _step(c, actor=actor, action="case.violation", on=_today(), summary=f"{row.violation_id}（第{row.act_group}项行为，{row.act_date:%Y年%-m月%-d日}）",
          audit_after={"violation": row.violation_id, "act_group": row.act_group})  # fmt: skip
    return row


def _previous_dates(case: Case, violation_ids: set[str], before: dt.date) -> list[dt.date]:
    """Decision dates of the party's earlier cases on the same violations (for ``repeat_offence``)."""
    qs = Case.objects.filter(decided_on__isnull=False, decided_on__lt=before, violations__violation_id__in=violation_ids).exclude(pk=case.pk)
    if case.party_type == PartyType.UNIT:
        qs = qs.filter(party_type=PartyType.UNIT, enterprise_id=case.enterprise_id)
    else:
        qs = qs.filter(party_type=PartyType.PERSON, **blind_filter("person_id_number", case.person_id_number, model=Case))  # encrypted: by blind index
    dates: set[dt.date] = {d for d in qs.values_list("decided_on", flat=True) if d is not None}
    if case.enterprise_id and case.party_type == PartyType.UNIT:
        # Findings before this act began are earlier records; later ones are this act itself.
        first_act = CaseViolation.objects.filter(case=case).order_by("act_date").values_list("act_date", flat=True).first() or before
        dates |= set(Finding.objects.filter(enterprise_id=case.enterprise_id, violation_id__in=violation_ids, found_on__lt=min(first_act, before)).values_list("found_on", flat=True))
    return sorted(dates)


@transaction.atomic
def case_file(*, actor: Any, case: Case, filed_on: dt.date) -> Case:
    """立案审批: another person approves; limitation (§36), jurisdiction (§22) and the one-subject,
    one-act rule (§29) are checked; the party's earlier records are shown (repeat offences)."""
    c = _lock(actor, case, roles=APPROVE_ROLES)
    _require_state(c, {CaseStatus.DRAFT}, "立案")
    require_other_person(c.opened_by, actor, what="立案审批", article=XZCF_54)
    filed_on = _day(filed_on, "filed_on", "立案日期", not_before=c.discovered_on, before_label="发现日期")
    violations = _violations(c)
    if not violations:
        raise ValidationFailed("立案前须登记至少一项违法行为（处罚目录）。", fields={"violations": "请登记违法行为。"}, article=XZCF_54)
    # Jurisdiction: the unit's own bureau or its planned enforcement subject (行政处罚法 §22, §23).
    if c.party_type == PartyType.UNIT and c.enterprise is not None and c.owner_agency_id not in (c.enterprise.owner_agency_id, c.enterprise.subject_agency_id):
        raise DomainError(f"{c.owner_agency.name}对“{c.enterprise.name}”没有管辖权：该单位由其他机关管理。", code="no_jurisdiction", article=XZCF_22)
    for v in violations:
        if (c.party_type == PartyType.UNIT) != (v.subject == Subject.UNIT.value):
            raise DomainError("一案一个当事人：违法行为的处罚对象与当事人不一致，应当分别立案。", code="one_subject", article=XZCF_29)
        lim = law_penalties.limitation(v.act_date, act_ended_on=v.act_ended_on, life_health_involved=v.life_health_harm, harm_occurred=v.life_health_harm, discovered_on=c.discovered_on)
        if lim.within is False:
            raise DomainError(
                f"{v.violation_id}的违法行为自{(v.act_ended_on or v.act_date):%Y年%-m月%-d日}起{lim.years}年内未被发现（至{lim.expires_on:%Y年%-m月%-d日}），不再给予行政处罚。",
                code="limitation_expired", article=XZCF_36,
            )  # fmt: skip
        same = CaseViolation.objects.filter(violation_id=v.violation_id, act_date=v.act_date).exclude(case=c).exclude(case__status=CaseStatus.WITHDRAWN)
        same = same.filter(case__enterprise_id=c.enterprise_id) if c.party_type == PartyType.UNIT else same.filter(**blind_filter("person_id_number", c.person_id_number, model=Case, prefix="case__"))
        if same.exists():
            raise DomainError(f"当事人的同一违法行为（{v.violation_id}，{v.act_date:%Y年%-m月%-d日}）已在其他案件中处理，不得重复处罚。", code="same_act_other_case", article=XZCF_29)
    earlier = _previous_dates(c, {v.violation_id for v in violations}, filed_on)
    repeats = law_penalties.repeat_offence(earlier, filed_on)
    c.filed_on, c.filed_by, c.repeat_dates = filed_on, actor, [d.isoformat() for d in repeats]
    c.save(update_fields=["filed_on", "filed_by", "repeat_dates"])
    row = _store_deadline(c, _evaluate(c, "decision_deadline", filed_on))
    repeat_text = "三年内有同类违法记录：" + "、".join(f"{d:%Y年%-m月%-d日}" for d in repeats) if repeats else "三年内无同类违法记录（初次违法）"
    step = _step(c, actor=actor, action="case.file", on=filed_on, to=CaseStatus.FILED, deadline=row,
          summary=f"立案。{repeat_text}。作出处罚决定期限至{row.due:%Y年%-m月%-d日}。", article=XZCF_54,
          audit_after={"filed_on": filed_on, "repeat_dates": c.repeat_dates, "decision_deadline": row.due})  # fmt: skip
    # The 立案审批表, issued with the approval (the DRAFT state refuses a second filing first).
    from anjian.cases import filing as docs

    ctx = docs.filing_approval_context(c, actor=actor, violations=violations, repeats=repeats)
    paperwork.attach(step, paperwork.issue(actor=actor, case=c, kind="case_filing_approval", context=ctx, issued_on=filed_on))
    return c


@transaction.atomic
def case_assign_officers(*, actor: Any, case: Case, staff_ids: Sequence[int], on: dt.date | None = None) -> list[CaseOfficer]:
    """At least two officers holding certificates valid on the day (行政处罚法 §42, §55); the check
    of the day is stored on each row."""
    c = _lock(actor, case, roles=WRITE_ROLES + APPROVE_ROLES)
    _require_state(c, {CaseStatus.FILED, CaseStatus.NOTICE_ISSUED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "指派承办人员")
    day = _day(on or _today(), "on", "指派日期")
    results = check_officers(agency=c.owner_agency, staff_ids=staff_ids, day=day)
    CaseOfficer.objects.filter(case=c, active=True).update(active=False)
    rows = [
        CaseOfficer.objects.create(
            case=c, staff_id=r["staff_id"], order=i, certificate_id=r["certificate_id"], certificate_number=r["certificate_number"],
            checked_on=day, valid=r["valid"], check_result=r["reason"],
        )  # fmt: skip
        for i, r in enumerate(results, start=1)
    ]
    names = "、".join(f"{r['name']}（{r['certificate_number']}）" for r in results)
    _step(c, actor=actor, action="case.officers", on=day, summary=f"承办人员：{names}", article=XZCF_42, audit_after={"officers": [r["staff_id"] for r in results]})
    return rows


def _officers_valid_on(c: Case, day: dt.date) -> list[dict[str, Any]]:
    ids = list(CaseOfficer.objects.filter(case=c, active=True).order_by("order").values_list("staff_id", flat=True))
    if len(ids) < 2:
        raise DomainError("执法人员不得少于两人：请先指派两名以上持有有效执法证件的承办人员。", code="officers_too_few", article=XZCF_42)
    return check_officers(agency=c.owner_agency, staff_ids=ids, day=day)


# --- the proposal ---------------------------------------------------------------------------------------------
@transaction.atomic
def case_propose(*, actor: Any, case: Case, items: Sequence[Mapping[str, Any]], proposed_on: dt.date | None = None) -> list[CaseViolation]:
    """The handler's proposed penalty per violation, with reasons (案件处理意见).

    ``items``: ``{"violation": pk, "amount": Decimal | None, "reasons": str, "mitigation_ground": str,
    "other_kinds": [PenaltyKind values]}``. Amounts lie inside the applicable range (§37); below it
    only with a §32 ground, and then a collective discussion is required before the decision; one
    act is fined once (§29); after a statement, defence or hearing request nothing may rise (§45).
    """
    c = _lock(actor, case)
    _require_state(c, PROPOSAL_STATUSES, "提出拟处罚意见")
    day = _day(proposed_on or _today(), "proposed_on", "拟处罚意见日期", not_before=c.filed_on, before_label="立案日期")
    rows = {v.pk: v for v in _violations(c)}
    if not items:
        raise ValidationFailed("请填写拟处罚意见。", fields={"items": "请填写拟处罚意见。"})
    for it in items:
        v = rows.get(int(it.get("violation", 0)))
        if v is None:
            raise ValidationFailed("违法行为不属于本案。", fields={"items": "违法行为不属于本案。"})
        field = f"violation_{v.pk}"
        raw = it.get("amount")
        amount = _money(raw, field, "拟罚款数额") if raw not in (None, "") else None
        if amount is not None and amount == 0:
            raise ValidationFailed("罚款数额须大于零；不予处罚请办理不予行政处罚。", fields={field: "罚款数额须大于零。"})
        ground = (it.get("mitigation_ground") or "").strip()
        if ground and ground not in {g.value for g in MitigationGround}:
            raise ValidationFailed("未知的减轻处罚情节。", fields={field: "请选择行政处罚法第三十二条规定的情节。"})
        kinds = list(dict.fromkeys(it.get("other_kinds") or []))
        try:
            parsed = [PenaltyKind(k) for k in kinds]
        except ValueError:
            raise ValidationFailed("未知的处罚种类。", fields={field: "未知的处罚种类。"}) from None
        if PenaltyKind.FINE in parsed:
            raise ValidationFailed("罚款请填写数额。", fields={field: "罚款请填写数额。"})
        reasons = (it.get("reasons") or "").strip()
        if (amount is not None or parsed) and not reasons:
            raise ValidationFailed("请写明裁量理由（违法情节、危害后果、改正情况等）。", fields={field: "请写明裁量理由。"})
        v.proposed_amount, v.mitigation_ground, v.other_kinds, v.reasons = amount, ground, [k.value for k in parsed], reasons
        if amount is not None:
            _check_amount(v, amount, day, collectively_approved=None)
        else:
            v.band, v.range_min, v.range_max, v.range_basis = "", None, None, ""
        if missing := case_discretion.reasons_error(v):
            raise ValidationFailed(missing, code="reasons_missing", fields={field: missing}, article="《中华人民共和国行政处罚法》第五条、第三十四条")
    all_rows = list(rows.values())
    _one_act_one_fine(all_rows)
    notice = _current_notice(c)
    if notice is not None and _defence_recorded(c, notice):
        _not_above_notice(all_rows, notice, article=XZCF_45, code="increase_after_defence", because="当事人已陈述、申辩或者申请听证，行政机关不得因当事人陈述、申辩而给予更重的处罚。")
    elif notice is not None:
        # Once the party has been told the intended penalty, a heavier one would be a penalty never
        # notified (§44, §62); this system does not re-notify, so the proposal may only go down.
        _not_above_notice(all_rows, notice, article=f"{XZCF_44}；{XZCF_62}", code="above_notice", because="告知后不得提出高于告知内容的处罚意见。")
    for v in all_rows:
        v.full_clean()
        v.save()
    c.proposed_by, c.proposed_on = actor, day
    c.save(update_fields=["proposed_by", "proposed_on"])
    text = "；".join(f"{v.violation_id}：{yuan(v.proposed_amount) if v.proposed_amount is not None else '不罚款'}" + (f"，{'、'.join(PenaltyKind(k).label for k in v.other_kinds)}" if v.other_kinds else "") for v in all_rows)
    warnings = "".join(f"提示：{w}。" for w in case_discretion.proposal_warnings(c, all_rows, day))  # 同案不同罚 (warns, never refuses)
    _step(c, actor=actor, action="case.propose", on=day, summary=f"拟处罚意见：{text}。{warnings}", article=XZCF_37,
          audit_after={"amounts": {v.violation_id: v.proposed_amount for v in all_rows}, "total": _total(all_rows)})  # fmt: skip
    return all_rows


def _hearing_config(c: Case, on: dt.date) -> tuple[HearingConfig, str]:
    """The hearing thresholds in force, and the warning when they are the old 办法's unverified default."""
    _, overrides, _ = _law_context(c)
    config = HearingConfig.from_overrides(overrides, on)
    party = _party_kind(c)
    key = HearingConfig.KEYS[0] if party is PartyKind.INDIVIDUAL else HearingConfig.KEYS[1]
    old = default_ruleset().laws.get("OLD_BANFA")
    warning = ""
    if select_override(key, on, overrides) is None and old is not None and old.repealed_on is not None and on >= old.repealed_on:
        warning = (
            f"听证“较大数额罚款”标准（{party.label}{config.fine_threshold(party)}元以上）取自{config.source}，"
            f"该规定自{old.repealed_on:%Y年%-m月%-d日}起不再有效，属未经核实的默认值，须经法规科确认或者替换；本省另有规定的从其规定。"
        )
    return config, warning


def hearing_requirement(case: Case, on: dt.date) -> tuple[Any, str]:
    """Whether the party must be told of the right to a hearing (行政处罚法 §63), with the reasons."""
    violations = _violations(case)
    config, warning = _hearing_config(case, on)
    kinds = _kinds(violations)
    total = _total(violations)
    try:
        req = law_penalties.hearing_required(kinds=kinds, party=_party_kind(case), fine=total if PenaltyKind.FINE in kinds else None, config=config)
    except LawError as exc:
        raise _law_refusal(exc) from None
    return req, warning


def legal_review_requirement(case: Case, on: dt.date) -> Any:
    violations = _violations(case)
    kinds = _kinds(violations)
    total = _total(violations)
    _, _, codes = _law_context(case)
    held = Hearing.objects.filter(case=case, outcome=HearingOutcome.HELD).exists()
    notice = _current_notice(case)
    try:
        return law_penalties.legal_review_required(
            major_public_interest=case.major_public_interest,
            # A penalty for which §63 offers a hearing directly concerns the party's major rights;
            # §58(2) applies when such a case also went through the hearing.
            concerns_major_rights=bool(notice and notice.hearing_offered), hearing_held=held,
            complex_case=case.complex_case, kinds=kinds, party=_party_kind(case), fine=total if PenaltyKind.FINE in kinds else None,
            catalogue=lawcal.review_catalogue_for(codes, on),
        )  # fmt: skip
    except LawError as exc:
        raise _law_refusal(exc) from None


def collective_requirement(case: Case, on: dt.date) -> Any:
    violations = _violations(case)
    kinds = _kinds(violations)
    total = _total(violations)
    _, _, codes = _law_context(case)
    heavier = any(v.band == law_penalties.Band.HEAVY.value for v in violations) or bool(kinds & {PenaltyKind.ORDER_STOP, PenaltyKind.ORDER_CLOSE, PenaltyKind.LICENCE_REVOCATION, PenaltyKind.RESTRICT_PRACTICE, PenaltyKind.QUALIFICATION_DOWNGRADE})
    mitigated = any(v.proposed_amount is not None and v.range_min is not None and v.proposed_amount < v.range_min for v in violations)
    try:
        return law_penalties.collective_discussion_required(
            complex_case=case.complex_case, serious_violation=case.serious_violation, heavier_penalty=heavier, mitigated_below_range=mitigated,
            kinds=kinds, party=_party_kind(case), fine=total if PenaltyKind.FINE in kinds else None, rule=lawcal.collective_rule_for(codes, on),
        )  # fmt: skip
    except LawError as exc:
        raise _law_refusal(exc) from None


# --- the notice (告知) and the party's answer ---------------------------------------------------------------------------
@transaction.atomic
def notice_issue(*, actor: Any, case: Case, issued_on: dt.date) -> Notice:
    """行政处罚告知书 (行政处罚法 §44): the intended penalty, facts, reasons and basis, and the rights to
    state, defend and — where §63 applies — request a hearing. Its content is a snapshot that the
    decision may not exceed."""
    c = _lock(actor, case)
    _require_state(c, {CaseStatus.FILED}, "制作行政处罚告知书")
    issued_on = _day(issued_on, "issued_on", "告知日期", not_before=c.filed_on, before_label="立案日期")
    _officers_valid_on(c, issued_on)
    violations = _violations(c)
    if not violations or any(v.proposed_amount is None and not v.other_kinds for v in violations):
        raise DomainError("每项违法行为都须有拟处罚意见（罚款数额或其他处罚种类）后才能告知。", code="proposal_incomplete", article=XZCF_44)
    for v in violations:
        if v.proposed_amount is not None:
            _check_amount(v, v.proposed_amount, issued_on, collectively_approved=None)
            v.save()
    _one_act_one_fine(violations)
    # The defence window told to the party must rest on a confirmed rule (LEGAL.md introduction).
    defence = _evaluate(c, "defence_statement", issued_on)
    blocked = law_deadlines.unverified_default_blocked(defence)
    if blocked is not None:
        raise DomainError(blocked, code="unverified_default", article=defence.basis)
    req, warning = hearing_requirement(c, issued_on)
    n = Notice.objects.create(
        case=c, issued_on=issued_on, issued_by=actor,
        proposal=[{"violation": v.pk, "violation_id": v.violation_id, "amount": str(v.proposed_amount) if v.proposed_amount is not None else None, "kinds": list(v.other_kinds)} for v in violations],
        fine_total=_total(violations), hearing_offered=req.required, hearing_reasons=[{"text": r.text, "article": r.article} for r in req.reasons], hearing_warning=warning,
    )  # fmt: skip
    hearing_text = "并告知听证权利（" + "；".join(r.text for r in req.reasons) + "）" if req.required else "不属于应当告知听证权利的情形"
    step = _step(c, actor=actor, action="case.notice", on=issued_on, to=CaseStatus.NOTICE_ISSUED, summary=f"告知拟罚款合计{yuan(n.fine_total)}，{hearing_text}。{warning}",
          article=XZCF_44 + ("；" + XZCF_63 if req.required else ""), audit_after={"fine_total": n.fine_total, "hearing_offered": n.hearing_offered})  # fmt: skip
    # The 行政处罚告知书 itself, with the hearing right folded in (see casetemplates/filing.py).
    from anjian.cases import filing as docs

    hearing = _evaluate(c, "hearing_request", issued_on) if n.hearing_offered else None
    n.document = paperwork.issue(actor=actor, case=c, kind="penalty_notice", context=docs.notice_context(c, n, defence=defence, hearing=hearing), issued_on=issued_on, act=str(n.pk))
    n.save(update_fields=["document"])
    paperwork.attach(step, n.document)
    return n


def _service(method: str, event_date: Any, *, not_before: dt.date, recipient: str, witness: str, consent_ref: str) -> tuple[dt.date, str]:
    """The date of service from the method's recorded event (行政处罚法 §61; 民事诉讼法 §87–§95),
    computed as ``documents.services.service_record`` does."""
    errors: dict[str, str] = {}
    if not (recipient or "").strip():
        errors["recipient"] = "请填写受送达人。"
    event = _day(event_date, "event_date", "送达事件日期", not_before=not_before, before_label="文书制作日期")
    if errors:
        raise ValidationFailed("送达登记有误。", code="service_invalid", fields=errors)
    try:
        result = service_date(method, event, consent=bool((consent_ref or "").strip()), witnessed=bool((witness or "").strip()))
    except LawError as exc:
        field = {"witnessed": "witness", "consent": "consent_ref"}.get(exc.field or "", exc.field or "method")
        raise ValidationFailed(f"{exc.message}（{exc.article or XZCF_61}）。", code=exc.code, article=exc.article or XZCF_61, fields={field: exc.message}) from None
    if result.date > _today():
        raise DomainError(f"公告送达自公告之日起经过三十日视为送达（{result.date:%Y年%-m月%-d日}），尚未届满。", code="not_yet_served", article=result.basis)
    return result.date, result.basis


@transaction.atomic
def notice_served(*, actor: Any, case: Case, method: str, event_date: dt.date, recipient: str, witness: str = "", consent_ref: str = "") -> Notice:
    """The notice is served: the defence window and, where a hearing was offered, the
    hearing-request window start on the date of service and are stored as facts."""
    c = _lock(actor, case, roles=WRITE_ROLES + (Role.OFFICE,))
    _require_state(c, {CaseStatus.NOTICE_ISSUED}, "登记告知书送达")
    n = _current_notice(c)
    assert n is not None  # NOTICE_ISSUED has a notice
    served_on, basis = _service(method, event_date, not_before=n.issued_on, recipient=recipient, witness=witness, consent_ref=consent_ref)
    n.served_on, n.service_method, n.service_event_date, n.service_basis = served_on, method, event_date, basis
    n.recipient, n.witness, n.consent_ref = recipient.strip(), (witness or "").strip(), (consent_ref or "").strip()
    n.save()
    if n.document is not None:
        # The proof of service on the 告知书 itself (送达回证), so the case file lists it (§61).
        from anjian.documents import services as documents

        documents.service_record(actor=actor, document=n.document, method=method, event_date=event_date, recipient=n.recipient, witness=n.witness, consent_ref=n.consent_ref)
    defence = _store_deadline(c, _evaluate(c, "defence_statement", served_on))
    lines = [f"{_due_text(defence)}（{defence.article}）"]
    if n.hearing_offered:
        hearing = _store_deadline(c, _evaluate(c, "hearing_request", served_on))
        lines.append(f"{_due_text(hearing)}（{hearing.article}）")
    flags = [r for r in CaseDeadline.objects.filter(case=c, active=True, code__in=["defence_statement", "hearing_request"]) if r.provisional or r.unverified]
    if flags:
        lines.append("注意：" + "；".join(r.warning or f"{r.name}为临时计算" for r in flags))
    _step(c, actor=actor, action="case.notice_served", on=served_on, to=CaseStatus.NOTICE_SERVED, summary="告知书于" + f"{served_on:%Y年%-m月%-d日}送达。" + "；".join(lines) + "。",
          article=basis, audit_after={"served_on": served_on, "method": method})  # fmt: skip
    return n


@transaction.atomic
def defence_record(*, actor: Any, case: Case, received_on: dt.date, kind: str, form: str, content: str) -> Statement:
    """Record the party's statement or defence; it must be heard and reviewed (行政处罚法 §45)."""
    c = _lock(actor, case)
    _require_state(c, {CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "记录陈述申辩")
    n = _current_notice(c)
    assert n is not None and n.served_on is not None
    received_on = _day(received_on, "received_on", "陈述申辩日期", not_before=n.served_on, before_label="告知书送达日期")
    errors = {}
    if kind not in StatementKind.values:
        errors["kind"] = "请选择陈述或申辩。"
    if form not in StatementForm.values:
        errors["form"] = "请选择书面或口头。"
    if not (content or "").strip():
        errors["content"] = "请记录陈述申辩的内容。"
    if errors:
        raise ValidationFailed("陈述申辩记录有误。", fields=errors, article=XZCF_45)
    window = _active_deadline(c, "defence_statement")
    in_time = window is None or received_on <= window.due
    s = Statement.objects.create(case=c, notice=n, kind=kind, form=form, received_on=received_on, in_time=in_time, content=content.strip(), recorded_by=actor)
    step = _step(c, actor=actor, action="case.defence", on=received_on, deadline=window, met=in_time,
          summary=f"当事人提出{StatementKind(kind).label}（{StatementForm(form).label}）{'' if in_time else '，已超过陈述申辩期限，仍予听取'}。", article=XZCF_45)  # fmt: skip
    if form == StatementForm.ORAL:
        # An oral statement is written down in the 当事人陈述申辩笔录 (§45 ¶1: 充分听取).
        from anjian.cases import filing as docs

        paperwork.attach(step, paperwork.issue(actor=actor, case=c, kind="defence_record", context=docs.defence_record_context(c, n, s), issued_on=received_on, act=str(s.pk)))
    return s


@transaction.atomic
def waiver_record(*, actor: Any, case: Case, signed_on: dt.date, signer: str, fh: IO[bytes], name: str, waives_hearing: bool = False) -> Waiver:
    """放弃陈述申辩声明: the party's written, signed waiver, as a scan checked by content (the way
    inspections store signed scans, SHA-256 kept). Without it no decision is made before the
    windows pass (行政处罚法 §62)."""
    c = _lock(actor, case)
    _require_state(c, {CaseStatus.NOTICE_SERVED}, "登记放弃陈述申辩声明")
    n = _current_notice(c)
    assert n is not None and n.served_on is not None
    signed_on = _day(signed_on, "signed_on", "声明签署日期", not_before=n.served_on, before_label="告知书送达日期")
    if not (signer or "").strip():
        raise ValidationFailed("请填写签署人。", fields={"signer": "请填写签署人。"}, article=XZCF_62)
    if fh is None:
        raise ValidationFailed("放弃陈述申辩声明须上传当事人签字的扫描件。", fields={"file": "请上传签字扫描件。"}, article=XZCF_62)
    if waives_hearing and Hearing.objects.filter(notice=n).exists():
        raise DomainError("当事人已申请听证，放弃听证须撤回听证申请（在听证记录中登记）。", code="hearing_requested", article=XZCF_64)
    mime, size, sha = inspect_file(fh, kind="scan", declared_name=name)
    w = Waiver(case=c, notice=n, signed_on=signed_on, signer=signer.strip(), waives_hearing=bool(waives_hearing and n.hearing_offered), original_name=(name or "scan")[:200],
               content_type=mime, size=size, sha256=sha, recorded_by=actor)  # fmt: skip
    w.scan.save(sha, File(fh), save=False)
    w.save()
    _step(c, actor=actor, action="case.waiver", on=signed_on, summary=f"{w.signer}书面放弃陈述、申辩权利{'及听证权利' if w.waives_hearing else ''}（扫描件SHA-256：{sha[:16]}…）。",
          article=XZCF_62, audit_after={"sha256": sha, "waives_hearing": w.waives_hearing})  # fmt: skip
    return w


@transaction.atomic
def defence_review(*, actor: Any, statement: Statement, review: str) -> Statement:
    """The agency reviews the facts, reasons and evidence the party put forward (复核, 行政处罚法
    §45 ¶1); no decision is made while a statement is unreviewed."""
    c = _lock(actor, statement.case)
    s = Statement.objects.select_for_update().get(pk=statement.pk)
    _require_state(c, {CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "复核陈述申辩")
    if not (review or "").strip():
        raise ValidationFailed("请填写复核意见（是否采纳及理由）。", fields={"review": "请填写复核意见。"}, article=XZCF_45)
    s.review = review.strip()
    s.save(update_fields=["review"])
    _step(c, actor=actor, action="case.defence_review", on=_today(), summary=f"复核{s.get_kind_display()}（{s.received_on:%Y年%-m月%-d日}）：{s.review[:200]}", article=XZCF_45)
    return s


# --- the hearing ----------------------------------------------------------------------------------------------------
def _open_hearing(c: Case) -> Hearing:
    h = Hearing.objects.filter(case=c).order_by("-id").first()
    if h is None:
        raise DomainError("本案没有听证申请。", code="no_hearing")
    return h


@transaction.atomic
def hearing_request(*, actor: Any, case: Case, requested_on: dt.date) -> Hearing:
    """The party asks for a hearing within 5 working days after the notice (行政处罚法 §64(1))."""
    c = _lock(actor, case)
    _require_state(c, {CaseStatus.NOTICE_SERVED}, "登记听证申请")
    n = _current_notice(c)
    assert n is not None and n.served_on is not None
    if not n.hearing_offered:
        raise DomainError("本案拟作出的处罚不属于应当告知听证权利的情形。", code="hearing_not_offered", article=XZCF_63)
    requested_on = _day(requested_on, "requested_on", "听证申请日期", not_before=n.served_on, before_label="告知书送达日期")
    if Waiver.objects.filter(notice=n, waives_hearing=True).exists():
        raise DomainError("当事人已书面放弃听证权利。", code="hearing_waived", article=XZCF_64)
    window = _active_deadline(c, "hearing_request")
    assert window is not None
    if requested_on > window.due:
        raise DomainError(f"当事人应当在告知后五个工作日内提出听证申请（至{window.due:%Y年%-m月%-d日}），本申请已逾期。", code="hearing_request_late", article=window.article)
    h = Hearing.objects.create(case=c, notice=n, requested_on=requested_on, recorded_by=actor)
    _step(c, actor=actor, action="case.hearing_request", on=requested_on, to=CaseStatus.HEARING, deadline=window, met=True, summary="当事人申请听证。", article=window.article)
    return h


@transaction.atomic
def hearing_notice(*, actor: Any, case: Case, hearing_date: dt.date, notice_served_on: dt.date, place: str, chair: Staff, public: bool = True, not_public_reason: str = "") -> Hearing:
    """The hearing notice, served at least 7 working days before the hearing; chaired by someone who
    did not investigate the case (行政处罚法 §64(2)(4))."""
    c = _lock(actor, case)
    _require_state(c, {CaseStatus.HEARING}, "通知听证")
    h = _open_hearing(c)
    if h.outcome:
        raise DomainError("听证已经结束。", code="hearing_done")
    notice_served_on = _day(notice_served_on, "notice_served_on", "听证通知送达日期", not_before=h.requested_on, before_label="听证申请日期")
    if h.notice_served_on is not None and h.hearing_date == hearing_date:
        # A repeated submission: the notice of this date was issued already (one 听证会通知书 per date).
        raise DomainError(f"已通知于{hearing_date:%Y年%-m月%-d日}举行听证；如需改期，请填写新的听证日期。", code="hearing_already_noticed", article=XZCF_64)
    errors = {}
    if not isinstance(hearing_date, dt.date) or hearing_date <= notice_served_on:
        errors["hearing_date"] = "听证日期须晚于听证通知送达日期。"
    if not (place or "").strip():
        errors["place"] = "请填写听证地点。"
    if not public and not (not_public_reason or "").strip():
        errors["not_public_reason"] = "不公开举行的，须写明涉及国家秘密、商业秘密或者个人隐私的理由。"
    if errors:
        raise ValidationFailed("听证通知有误。", fields=errors, article=XZCF_64)
    if CaseOfficer.objects.filter(case=c, active=True, staff=chair).exists():
        raise DomainError(f"{chair.name}是本案调查人员，不能主持听证。", code="chair_investigator", article=f"{XZCF_64}第（四）项")
    if not Membership.objects.valid_on(notice_served_on).filter(staff=chair, agency_id=c.owner_agency_id).exists():
        raise ValidationFailed(f"{chair.name}不是{c.owner_agency.name}的在职人员。", fields={"chair": "听证主持人须为本机关人员。"}, article=XZCF_64)
    result = _evaluate(c, "hearing_notice", hearing_date)
    blocked = party_protecting_window_blocked(result)
    if blocked is not None:
        raise DomainError(blocked, code="window_provisional", article=result.basis)
    if notice_served_on > result.date:
        raise DomainError(
            f"听证通知应当在举行听证的七个工作日前送达（听证日期{hearing_date:%Y年%-m月%-d日}，最迟{result.date:%Y年%-m月%-d日}送达）。",
            code="hearing_notice_late", article=result.basis,
        )  # fmt: skip
    row = _store_deadline(c, result, met_on=notice_served_on)
    h.hearing_date, h.notice_served_on, h.place, h.chair, h.public, h.not_public_reason = hearing_date, notice_served_on, place.strip(), chair, public, (not_public_reason or "").strip()
    h.save()
    step = _step(c, actor=actor, action="case.hearing_notice", on=notice_served_on, deadline=row, met=True,
          summary=f"听证定于{hearing_date:%Y年%-m月%-d日}在{h.place}{'公开' if public else '不公开'}举行，主持人{chair.name}。", article=result.basis)  # fmt: skip
    from anjian.cases import filing as docs

    ctx = docs.hearing_notice_context(c, h)
    paperwork.attach(step, paperwork.issue(actor=actor, case=c, kind="hearing_meeting_notice", context=ctx, issued_on=notice_served_on, act=f"{h.pk}:{hearing_date.isoformat()}"))
    return h


@transaction.atomic
def hearing_held(*, actor: Any, case: Case, held_on: dt.date, outcome: str, summary: str, opinion: str = "") -> Hearing:
    """The hearing's outcome: held (with its record), the party absent without reason (a waiver of
    the hearing), or the request withdrawn (行政处罚法 §64(8)). A hearing held gives the 听证笔录 and
    the 听证会报告书 with the chair's ``opinion``, on which the decision is made (§65)."""
    c = _lock(actor, case)
    _require_state(c, {CaseStatus.HEARING}, "登记听证结果")
    h = _open_hearing(c)
    if h.outcome:
        raise DomainError("听证结果已登记。", code="hearing_done")
    if outcome not in HearingOutcome.values:
        raise ValidationFailed("请选择听证结果。", fields={"outcome": "请选择听证结果。"})
    if outcome != HearingOutcome.WITHDRAWN and h.hearing_date is None:
        raise DomainError("尚未通知听证。", code="hearing_not_noticed", article=XZCF_64)
    floor = h.hearing_date if outcome != HearingOutcome.WITHDRAWN and h.hearing_date else h.requested_on
    held_on = _day(held_on, "held_on", "日期", not_before=floor, before_label="听证日期" if outcome != HearingOutcome.WITHDRAWN else "听证申请日期")
    if not (summary or "").strip():
        raise ValidationFailed("请填写听证笔录摘要或说明。", fields={"summary": "请填写。"})
    if outcome == HearingOutcome.HELD and not (opinion or "").strip():
        raise ValidationFailed("请填写听证主持人意见（听证会报告书）。", fields={"opinion": "请填写听证主持人意见。"}, article=f"{XZCF}第六十五条")
    h.held_on, h.outcome, h.summary = held_on, outcome, summary.strip()
    h.save(update_fields=["held_on", "outcome", "summary"])
    step = _step(c, actor=actor, action="case.hearing_held", on=held_on, summary=f"{HearingOutcome(outcome).label}。{h.summary[:200]}", article=XZCF_64)
    if outcome == HearingOutcome.HELD:
        from anjian.cases import filing as docs

        paperwork.attach(step, paperwork.issue(actor=actor, case=c, kind="hearing_record", context=docs.hearing_record_context(c, h), issued_on=held_on, act=str(h.pk)))
        report = paperwork.issue(actor=actor, case=c, kind="hearing_report", context=docs.hearing_report_context(c, h, opinion=opinion.strip()), issued_on=held_on, act=str(h.pk))
        paperwork.attach(_step(c, actor=actor, action="case.document", on=held_on, summary=f"听证会报告书：{opinion.strip()[:200]}", article=f"{XZCF}第六十五条"), report)
    return h


# --- legal review, collective discussion, extension ------------------------------------------------------------------------
@transaction.atomic
def legal_review_record(*, actor: Any, case: Case, reviewed_on: dt.date, passed: bool, opinion: str) -> LegalReview:
    """法制审核 (行政处罚法 §58) by a member with the ``legal_reviewer`` role and a recorded legal
    professional qualification, who did not investigate or propose the case."""
    c = Case.objects.select_for_update(of=("self",)).select_related("jurisdiction", "owner_agency", "enterprise").get(pk=case.pk)
    require_owner(actor, c, roles=(Role.LEGAL_REVIEWER,), what="该案件")
    _require_state(c, {CaseStatus.FILED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "登记法制审核")
    reviewer = _staff_of(actor)
    if not reviewer.legal_qualification_no.strip():
        raise PermissionRefused(f"{reviewer.name}未登记法律职业资格，不能从事法制审核（初次从事行政处罚决定法制审核的人员，应当取得法律职业资格）。", code="no_legal_qualification", article=XZCF_58)
    if CaseOfficer.objects.filter(case=c, active=True, staff=reviewer).exists():
        raise PermissionRefused("本案承办人员不能审核本案。", code="reviewer_investigator", article=XZCF_58)
    require_other_person(c.proposed_by, actor, what="法制审核", article=XZCF_58)
    reviewed_on = _day(reviewed_on, "reviewed_on", "审核日期", not_before=c.filed_on, before_label="立案日期")
    if not (opinion or "").strip():
        raise ValidationFailed("请填写审核意见。", fields={"opinion": "请填写审核意见。"}, article=XZCF_58)
    req = legal_review_requirement(c, reviewed_on)
    violations = _violations(c)
    r = LegalReview.objects.create(
        case=c, reviewer=reviewer, qualification_no=reviewer.legal_qualification_no, reviewed_on=reviewed_on, passed=bool(passed), opinion=opinion.strip(),
        reasons=[{"text": x.text, "article": x.article} for x in req.reasons], fine_total=_total(violations),
    )  # fmt: skip
    _step(c, actor=actor, action="case.legal_review", on=reviewed_on, summary=f"法制审核{'通过' if passed else '未通过'}：{r.opinion[:200]}", article=XZCF_58, audit_after={"passed": bool(passed)})
    return r


@transaction.atomic
def collective_discussion_record(*, actor: Any, case: Case, held_on: dt.date, attendee_ids: Sequence[int], conclusion: str, approves_mitigation: bool = False) -> CollectiveDiscussion:
    """集体讨论 by the agency's leaders (行政处罚法 §57 ¶2): at least two members of the agency that
    day, one of them its head."""
    c = _lock(actor, case, roles=(Role.LEADER, Role.OFFICE, Role.DEPT_HEAD))
    _require_state(c, {CaseStatus.FILED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "登记集体讨论")
    held_on = _day(held_on, "held_on", "讨论日期", not_before=c.filed_on, before_label="立案日期")
    ids = list(dict.fromkeys(int(i) for i in attendee_ids))
    members = set(Membership.objects.valid_on(held_on).filter(agency_id=c.owner_agency_id, staff_id__in=ids).values_list("staff_id", flat=True))
    if len(ids) < 2 or members != set(ids):
        raise ValidationFailed("集体讨论须有本机关两名以上负责人员参加，参加人员须为本机关在职人员。", fields={"attendees": "参加人员有误。"}, article=XZCF_57)
    if not any(_is_head(c.owner_agency_id, i, held_on) for i in ids):
        raise ValidationFailed(f"集体讨论须有{c.owner_agency.name}负责人参加。", fields={"attendees": "须有机关负责人参加。"}, article=XZCF_57)
    if not (conclusion or "").strip():
        raise ValidationFailed("请填写讨论结论。", fields={"conclusion": "请填写讨论结论。"}, article=XZCF_57)
    req = collective_requirement(c, held_on)
    staff = list(Staff.objects.filter(pk__in=ids).order_by("name"))
    d = CollectiveDiscussion.objects.create(
        case=c, held_on=held_on, attendee_names=[s.name for s in staff], conclusion=conclusion.strip(), approves_mitigation=bool(approves_mitigation),
        reasons=[{"text": x.text, "article": x.article} for x in req.reasons], fine_total=_total(_violations(c)), recorded_by=actor,
    )  # fmt: skip
    d.attendees.set(staff)
    doc = decision_docs.collective_record_issue(actor=actor, case=c, discussion=d, recorder=audit.actor_name(actor))
    step = _step(c, actor=actor, action="case.collective", on=held_on, summary=f"集体讨论（{'、'.join(d.attendee_names)}）：{d.conclusion[:200]}", article=XZCF_57)
    paperwork.attach(step, doc)
    return d


@transaction.atomic
def extension_request(*, actor: Any, case: Case, requested_on: dt.date, extend_until: dt.date, reason: str) -> DecisionExtension:
    c = _lock(actor, case)
    _require_state(c, {CaseStatus.FILED, CaseStatus.NOTICE_ISSUED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "申请延长办案期限")
    requested_on = _day(requested_on, "requested_on", "申请日期", not_before=c.filed_on, before_label="立案日期")
    current = _active_deadline(c, "decision_deadline")
    if current is None or not isinstance(extend_until, dt.date) or extend_until <= current.due:
        raise ValidationFailed("延长后的期限须晚于现有的作出处罚决定期限。", fields={"extend_until": "须晚于现有期限。"}, article=XZCF_60)
    if not (reason or "").strip():
        raise ValidationFailed("请写明延长理由。", fields={"reason": "请写明理由。"}, article=XZCF_60)
    e = DecisionExtension.objects.create(case=c, requested_by=actor, requested_on=requested_on, extend_until=extend_until, reason=reason.strip())
    _step(c, actor=actor, action="case.extension_request", on=requested_on, summary=f"申请延长办案期限至{extend_until:%Y年%-m月%-d日}：{e.reason[:200]}", article=XZCF_60)
    return e


@transaction.atomic
def extension_decide(*, actor: Any, extension: DecisionExtension, approved: bool, decided_on: dt.date) -> DecisionExtension:
    """The agency head, valid that day and not the requester, approves or refuses the extension."""
    e = DecisionExtension.objects.select_for_update(of=("self",)).get(pk=extension.pk)
    c = _lock(actor, e.case, roles=(Role.LEADER,))
    if e.status != ExtensionStatus.PENDING:
        raise DomainError("该申请已审批。", code="already_decided")
    decided_on = _day(decided_on, "decided_on", "审批日期", not_before=e.requested_on, before_label="申请日期")
    require_other_person(e.requested_by, actor, what="延长办案期限", article=XZCF_60)
    head = _require_head(actor, c, decided_on, what="延长办案期限", article=XZCF_60)
    e.status, e.approver, e.decided_on = (ExtensionStatus.APPROVED if approved else ExtensionStatus.REFUSED), head, decided_on
    e.save(update_fields=["status", "approver", "decided_on"])
    row = None
    if approved:
        old = _active_deadline(c, "decision_deadline")
        assert old is not None
        CaseDeadline.objects.filter(pk=old.pk).update(active=False)
        row = CaseDeadline.objects.create(
            case=c, code="decision_deadline", name=f"{old.name}（经机关负责人批准延长）", trigger_event=old.trigger_event, trigger_date=old.trigger_date,
            due=e.extend_until, article=f"{old.article}（{head.name}于{decided_on:%Y年%-m月%-d日}批准延长）"[:300],
            rule_version=f"{old.rule_version}+extension#{e.pk}"[:200], calendar_version=old.calendar_version,
        )  # fmt: skip
    _step(c, actor=actor, action="case.extension_decide", on=decided_on, deadline=row,
          summary=f"{'批准' if approved else '不批准'}延长办案期限至{e.extend_until:%Y年%-m月%-d日}。", article=XZCF_60)  # fmt: skip
    return e


# --- the decision and its execution -------------------------------------------------------------------------------------------
@transaction.atomic
def decision_make(*, actor: Any, case: Case, decided_on: dt.date) -> Case:
    """The agency head decides (行政处罚法 §57). Refused when the notice was not served, the defence
    window (and, where a hearing was offered, the hearing-request window) has not passed without a
    written waiver, a hearing requested in time was not held, a required legal review has not
    passed, a required collective discussion is missing, an amount is outside the range or above
    the notice, or the time limit has passed without an approved extension."""
    c = _lock(actor, case, roles=(Role.LEADER,))
    _require_state(c, {CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "作出行政处罚决定")
    n = _current_notice(c)
    if n is None or n.served_on is None:
        raise DomainError("行政处罚告知书未送达，不得作出行政处罚决定。", code="notice_not_served", article=XZCF_62)
    decided_on = _day(decided_on, "decided_on", "决定日期", not_before=n.served_on, before_label="告知书送达日期")
    require_other_person(c.proposed_by, actor, what="行政处罚决定", article=XZCF_57)
    _require_head(actor, c, decided_on, what="行政处罚决定", article=XZCF_57)
    waiver = Waiver.objects.filter(notice=n, signed_on__lte=decided_on).order_by("signed_on").first()
    # 1. The defence window (§62): passed, or expressly waived in writing.
    if waiver is None:
        row = _active_deadline(c, "defence_statement")
        assert row is not None
        end = _rely_on(c, row, actor=actor, on=decided_on)
        if decided_on <= end:
            raise DomainError(
                f"陈述申辩期限至{end:%Y年%-m月%-d日}届满，当事人未书面放弃陈述申辩权利，期限届满前不得作出行政处罚决定。",
                code="defence_window_open", article=f"{XZCF_62}；{row.article}",
            )  # fmt: skip
    # 2. The hearing: requested → held (or the party absent / withdrew); not requested → the window passed or was waived.
    hearing = Hearing.objects.filter(notice=n).order_by("-id").first()
    if hearing is not None:
        if not hearing.outcome or (hearing.held_on and hearing.held_on > decided_on):
            raise DomainError("当事人依法申请了听证，听证结束前不得作出行政处罚决定。", code="hearing_not_held", article=XZCF_64)
    elif n.hearing_offered and not (waiver and waiver.waives_hearing):
        row = _active_deadline(c, "hearing_request")
        assert row is not None
        end = _rely_on(c, row, actor=actor, on=decided_on)
        if decided_on <= end:
            raise DomainError(
                f"申请听证期限至{end:%Y年%-m月%-d日}届满，当事人未书面放弃听证权利，期限届满前不得作出行政处罚决定。",
                code="hearing_window_open", article=row.article,
            )  # fmt: skip
    # 3. Every statement or defence has been reviewed (§45 ¶1: 应当进行复核).
    unreviewed = Statement.objects.filter(notice=n, review="", received_on__lte=decided_on).order_by("received_on").first()
    if unreviewed is not None:
        raise DomainError(f"当事人{unreviewed.received_on:%Y年%-m月%-d日}提出的{unreviewed.get_kind_display()}尚未复核，不得作出决定。", code="defence_not_reviewed", article=XZCF_45)
    # 4. Amounts: inside the applicable range on the day, not above the notice, one act one fine.
    violations = _violations(c)
    approved_mitigation = CollectiveDiscussion.objects.filter(case=c, held_on__lte=decided_on, approves_mitigation=True).exists()
    for v in violations:
        if v.proposed_amount is not None:
            _check_amount(v, v.proposed_amount, decided_on, collectively_approved=approved_mitigation)
    _one_act_one_fine(violations)
    if _defence_recorded(c, n):
        _not_above_notice(violations, n, article=XZCF_45, code="increase_after_defence", because="当事人已陈述、申辩或者申请听证，行政机关不得因当事人陈述、申辩而给予更重的处罚。")
    _not_above_notice(violations, n, article=f"{XZCF_44}；{XZCF_62}", code="above_notice", because="未告知当事人的处罚内容不得作出决定，应当重新告知。")
    total = _total(violations)
    # 5. Legal review (§58) and collective discussion (§57) where required, covering this proposal.
    review_req = legal_review_requirement(c, decided_on)
    if review_req.required:
        last = LegalReview.objects.filter(case=c, reviewed_on__lte=decided_on).order_by("-reviewed_on", "-id").first()
        why = "；".join(f"{r.text}（{r.article}）" for r in review_req.reasons)
        if last is None or not last.passed:
            raise DomainError(f"本案应当进行法制审核（{why}），未经法制审核或者审核未通过的，不得作出决定。", code="legal_review_missing", article=XZCF_58)
        if last.fine_total != total:
            raise DomainError(f"法制审核时的罚款合计为{yuan(last.fine_total)}，与现拟决定的{yuan(total)}不同，须重新审核。", code="legal_review_stale", article=XZCF_58)
        if hearing is not None and hearing.held_on is not None and last.reviewed_on < hearing.held_on:
            raise DomainError("法制审核早于听证，须对听证后的案件材料重新审核。", code="legal_review_stale", article=XZCF_58)
    collective_req = collective_requirement(c, decided_on)
    if collective_req.required:
        last_d = CollectiveDiscussion.objects.filter(case=c, held_on__lte=decided_on).order_by("-held_on", "-id").first()
        why = "；".join(f"{r.text}（{r.article}）" for r in collective_req.reasons)
        if last_d is None:
            raise DomainError(f"本案应当由行政机关负责人集体讨论决定（{why}）。", code="collective_missing", article=XZCF_57)
        if last_d.fine_total != total:
            raise DomainError(f"集体讨论时的罚款合计为{yuan(last_d.fine_total)}，与现拟决定的{yuan(total)}不同，须重新讨论。", code="collective_stale", article=XZCF_57)
    # 6. The time limit (§60), or an extension approved by the head.
    limit = _active_deadline(c, "decision_deadline")
    if limit is not None and decided_on > limit.due:
        raise DomainError(f"作出行政处罚决定的期限已于{limit.due:%Y年%-m月%-d日}届满，且未经机关负责人批准延长。", code="decision_late", article=limit.article)
    # 7. The decision document states every fact §59 requires, the configured remedies included;
    # a missing one refuses the decision (422) before anything is written.
    doc = decision_docs.decision_issue(actor=actor, case=c, notice=n, violations=violations, decided_on=decided_on, total=total)
    c.decided_on, c.decided_by, c.fine_total, c.decision_document = decided_on, actor, total, doc
    c.save(update_fields=["decided_on", "decided_by", "fine_total", "decision_document"])
    if limit is not None:
        CaseDeadline.objects.filter(pk=limit.pk).update(met_on=decided_on)
    CaseDeadline.objects.filter(case=c, active=True, code__in=["defence_statement", "hearing_request"], met_on__isnull=True).update(met_on=decided_on)
    service = _store_deadline(c, _evaluate(c, "decision_service", decided_on))
    text = "；".join(f"{v.violation_id}：{yuan(v.proposed_amount) if v.proposed_amount is not None else ''}{'、'.join(PenaltyKind(k).label for k in v.other_kinds)}" for v in violations)
    measures_text = case_measures.apply_decision_measures(actor=actor, case=c, violations=violations, decided_on=decided_on)  # 停产停业整顿、暂扣或吊销许可证
    step = _step(c, actor=actor, action="case.decide", on=decided_on, to=CaseStatus.DECIDED, deadline=limit, met=True if limit else None,
          summary=f"作出行政处罚决定{doc.number}：{text}；罚款合计{yuan(total)}。当事人不在场的，应于{service.due:%Y年%-m月%-d日}前送达。{measures_text}", article=XZCF_57,
          audit_after={"fine_total": total, "waiver": waiver.pk if waiver else None, "document": doc.number})  # fmt: skip
    paperwork.attach(step, doc)
    _queue_publication(actor, c)
    return c


@transaction.atomic
def decision_served(*, actor: Any, case: Case, method: str, event_date: dt.date, recipient: str, witness: str = "", consent_ref: str = "") -> Case:
    """The decision is served: the payment window (15 days, 行政处罚法 §67) and the remedy windows
    start on the date of service."""
    c = _lock(actor, case, roles=WRITE_ROLES + (Role.OFFICE,))
    _require_state(c, {CaseStatus.DECIDED}, "登记决定书送达")
    assert c.decided_on is not None
    served_on, basis = _service(method, event_date, not_before=c.decided_on, recipient=recipient, witness=witness, consent_ref=consent_ref)
    c.decision_served_on, c.decision_service_method, c.decision_service_basis = served_on, method, basis[:200]
    c.save(update_fields=["decision_served_on", "decision_service_method", "decision_service_basis"])
    if c.decision_document is not None:
        # The proof of service on the 决定书 itself (送达回证, 行政处罚法 §61), as for the 告知书: the
        # case file lists it and the document's date of service is the one the clocks ran from.
        from anjian.documents import services as documents

        documents.service_record(actor=actor, document=c.decision_document, method=method, event_date=event_date, recipient=recipient.strip(), witness=(witness or "").strip(), consent_ref=(consent_ref or "").strip())
    service = _active_deadline(c, "decision_service")
    met = service is None or served_on <= service.due
    if service is not None:
        CaseDeadline.objects.filter(pk=service.pk).update(met_on=served_on)
    lines = []
    codes = ["reconsideration_application", "lawsuit_direct"]
    if c.fine_total:
        codes.insert(0, "payment")
    for code in codes:
        row = _store_deadline(c, _evaluate(c, code, served_on))
        lines.append(_due_text(row))
    _step(c, actor=actor, action="case.decision_served", on=served_on, to=CaseStatus.SERVED, deadline=service, met=met if service else None,
          summary=f"决定书于{served_on:%Y年%-m月%-d日}送达。" + "；".join(lines) + "。", article=basis)  # fmt: skip
    return c


def amount_due(case: Case, on: dt.date, *, actor: Any = None) -> tuple[Decimal, Decimal]:
    """(fine, surcharge) owed when paying on ``on``: 3% a day after the payment window, never more
    than the fine (行政处罚法 §72), not during a reconsideration or lawsuit (§73), per part of an
    approved deferral or instalments (§66). Relying on the payment window's end needs it final.
    Computed by ``cases.execution.amount_due``."""
    from anjian.cases import execution

    due = execution.amount_due(case, on, actor=actor)
    return due.fine, due.surcharge


@transaction.atomic
def payment_record(*, actor: Any, case: Case, paid_on: dt.date, amount: Any, receipt_no: str) -> Payment:
    """The fine paid at the designated bank (罚缴分离), with the receipt number; a late payment
    includes the surcharge computed by ``anjian.law.surcharge``."""
    c = _lock(actor, case, roles=WRITE_ROLES + (Role.OFFICE,))
    _require_state(c, {CaseStatus.SERVED, CaseStatus.ENFORCEMENT}, "登记罚款缴纳")
    if not c.fine_total:
        raise DomainError("本案未处罚款。", code="no_fine")
    assert c.decision_served_on is not None
    paid_on = _day(paid_on, "paid_on", "缴纳日期", not_before=c.decision_served_on, before_label="决定书送达日期")
    paid = _money(amount, "amount", "缴纳金额")
    if not (receipt_no or "").strip():
        raise ValidationFailed("请填写缴款凭证号。", fields={"receipt_no": "请填写缴款凭证号。"}, article=XZCF_67)
    if Payment.objects.filter(receipt_no=receipt_no.strip()).exists():
        raise ValidationFailed("该缴款凭证号已登记。", fields={"receipt_no": "缴款凭证号已登记。"})
    fine, extra = amount_due(c, paid_on, actor=actor)
    if paid != fine + extra:
        detail = f"罚款{yuan(fine)}" + (f"加处罚款{yuan(extra)}" if extra else "")
        raise ValidationFailed(f"缴纳金额{yuan(paid)}与应缴金额{yuan(fine + extra)}（{detail}）不符；分期或延期缴纳须另行批准。", code="amount_mismatch", fields={"amount": f"应缴{yuan(fine + extra)}。"}, article=XZCF_67)
    p = Payment.objects.create(case=c, paid_on=paid_on, amount=paid, fine=fine, surcharge=extra, receipt_no=receipt_no.strip(), recorded_by=actor)
    row = _active_deadline(c, "payment")
    met = row is None or paid_on <= row.due
    if row is not None:
        CaseDeadline.objects.filter(pk=row.pk).update(met_on=paid_on)
    _step(c, actor=actor, action="case.payment", on=paid_on, to=CaseStatus.EXECUTED, deadline=row, met=met if row else None,
          summary=f"缴纳{yuan(paid)}（凭证号{p.receipt_no}）" + (f"，含加处罚款{yuan(extra)}" if extra else "") + "。", article=XZCF_67,
          audit_after={"amount": paid, "surcharge": extra, "receipt_no": p.receipt_no})  # fmt: skip
    return p


def _queue_publication(actor: Any, case: Case) -> None:
    """A decision against a unit is published within 7 working days (安全生产法 §78): queued in the
    decision's transaction by ``cases.publication`` (imported here, it imports this module)."""
    from anjian.cases.publication import publication_queue

    publication_queue(actor=actor, case=case)


# --- branches and closing ---------------------------------------------------------------------------------------------------
@transaction.atomic
def case_no_penalty(*, actor: Any, case: Case, on: dt.date, ground: str, reason: str) -> Case:
    """不予行政处罚 (行政处罚法 §33, §57 ¶1(2)(3)), decided by the agency head."""
    c = _lock(actor, case, roles=(Role.LEADER,))
    _require_state(c, {CaseStatus.FILED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "决定不予行政处罚")
    on = _day(on, "on", "决定日期", not_before=c.filed_on, before_label="立案日期")
    if ground not in NoPenaltyGround.values:
        raise ValidationFailed("请选择不予处罚的法定理由。", fields={"ground": "请选择理由。"}, article=NO_PENALTY_ARTICLES[NoPenaltyGround.MINOR_CORRECTED])
    if not (reason or "").strip():
        raise ValidationFailed("请写明事实和理由。", fields={"reason": "请写明事实和理由。"})
    require_other_person(c.proposed_by or c.opened_by, actor, what="不予行政处罚决定", article=XZCF_57)
    _require_head(actor, c, on, what="不予行政处罚决定", article=XZCF_57)
    c.no_penalty_ground, c.end_reason, c.ended_on = ground, reason.strip(), on
    c.save(update_fields=["no_penalty_ground", "end_reason", "ended_on"])
    CaseDeadline.objects.filter(case=c, active=True, met_on__isnull=True).update(met_on=on)
    _step(c, actor=actor, action="case.no_penalty", on=on, to=CaseStatus.NO_PENALTY, summary=f"{NoPenaltyGround(ground).label}：{c.end_reason[:200]}", article=NO_PENALTY_ARTICLES[ground])
    return c


@transaction.atomic
def case_withdraw(*, actor: Any, case: Case, on: dt.date, reason: str) -> Case:
    """不予立案 (from a draft) or 撤销立案 (after filing), approved by someone other than the applicant."""
    c = _lock(actor, case, roles=APPROVE_ROLES)
    _require_state(c, {CaseStatus.DRAFT, CaseStatus.FILED}, "撤销立案")
    on = _day(on, "on", "日期", not_before=c.filed_on or c.discovered_on, before_label="立案日期" if c.filed_on else "发现日期")
    if not (reason or "").strip():
        raise ValidationFailed("请写明理由。", fields={"reason": "请写明理由。"})
    require_other_person(c.opened_by, actor, what="不予立案或撤销立案", article=XZCF_54)
    c.end_reason, c.ended_on = reason.strip(), on
    c.save(update_fields=["end_reason", "ended_on"])
    CaseDeadline.objects.filter(case=c, active=True, met_on__isnull=True).update(met_on=on)
    _step(c, actor=actor, action="case.withdraw", on=on, to=CaseStatus.WITHDRAWN, summary=c.end_reason[:500], article=XZCF_54)
    return c


@transaction.atomic
def case_refer(*, actor: Any, case: Case, on: dt.date, referred_to: str, reason: str) -> Case:
    """案件移送: a suspected crime goes to the judicial authority (行政处罚法 §27)."""
    c = _lock(actor, case, roles=(Role.LEADER,))
    _require_state(c, {CaseStatus.FILED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "移送司法机关")
    on = _day(on, "on", "移送日期", not_before=c.filed_on, before_label="立案日期")
    if not (referred_to or "").strip() or not (reason or "").strip():
        raise ValidationFailed("请填写移送机关和涉嫌犯罪的事实。", fields={"referred_to": "请填写移送机关。", "reason": "请写明涉嫌犯罪的事实。"}, article=XZCF_27)
    require_other_person(c.proposed_by or c.opened_by, actor, what="案件移送", article=XZCF_27)
    _require_head(actor, c, on, what="案件移送", article=XZCF_27)
    c.referred_to, c.end_reason, c.ended_on = referred_to.strip(), reason.strip(), on
    c.save(update_fields=["referred_to", "end_reason", "ended_on"])
    doc = decision_docs.referral_issue(actor=actor, case=c, on=on)
    step = _step(c, actor=actor, action="case.refer", on=on, to=CaseStatus.REFERRED, summary=f"移送{c.referred_to}（{doc.number}）：{c.end_reason[:200]}", article=XZCF_27)
    paperwork.attach(step, doc)
    return c


@transaction.atomic
def case_close(*, actor: Any, case: Case, closed_on: dt.date) -> Case:
    """结案审批: by someone other than the handler, after execution, no penalty or referral."""
    c = _lock(actor, case, roles=APPROVE_ROLES)
    _require_state(c, {CaseStatus.EXECUTED, CaseStatus.NO_PENALTY, CaseStatus.REFERRED, CaseStatus.ENFORCEMENT, CaseStatus.REVOKED}, "结案")
    last = CaseStep.objects.filter(case=c).order_by("-on", "-id").values_list("on", flat=True).first()
    closed_on = _day(closed_on, "closed_on", "结案日期", not_before=last, before_label="最后一个办案环节的日期")
    require_other_person(c.proposed_by or c.opened_by, actor, what="结案审批", article=XZCF_57)
    if Payment.objects.filter(case=c, onsite=True, handed_over_on__isnull=True).exists():
        raise DomainError("当场收缴的罚款尚未登记交至行政机关，不能结案。", code="onsite_not_handed_over", article=f"{XZCF}第七十一条")
    # The case-file review's veto items (LEGAL.md §8): closing refused while any fails; then the
    # 结案审批表 is issued in this transaction and recorded on the step (cases.casefile).
    from anjian.cases import casefile

    refusal = casefile.closing_refusal(c)
    if refusal is not None:
        raise refusal
    c.closed_on, c.closed_by = closed_on, actor
    c.save(update_fields=["closed_on", "closed_by"])
    doc = casefile.issue_closing_approval(actor=actor, case=c, closed_on=closed_on, approver=audit.actor_name(actor))
    paperwork.attach(_step(c, actor=actor, action="case.close", on=closed_on, to=CaseStatus.CLOSED, summary=f"结案（{doc.number}）。", article=XZCF_57), doc)
    return c


# --- the summary procedure (简易程序) -------------------------------------------------------------------------------------
XZCF_51 = f"{XZCF}第五十一条"
XZCF_52 = f"{XZCF}第五十二条"
XZCF_68 = f"{XZCF}第六十八条"
XZCF_71 = f"{XZCF}第七十一条"


@transaction.atomic
def case_summary_decide(
    *,
    actor: Any,
    title: str,
    facts: str,
    violation_id: str,
    act_date: dt.date,
    decided_on: dt.date,
    officer_ids: Sequence[int],
    reasons: str,
    enterprise: Enterprise | None = None,
    person_name: str = "",
    person_id_number: str = "",
    amount: Any = None,
    warning: bool = False,
    subject: str = "unit",
    circumstance: str = "base",
    onsite_statement: str = "",
    recipient: str = "",
    collected_receipt_no: str = "",
    collection_impossible_later: bool = False,
) -> Case:
    """当场作出行政处罚决定 (行政处罚法 §51, §52): facts certain, a legal basis, a warning and/or a
    fine ≤ ¥200 (individual) / ≤ ¥3,000 (organisation); the decision is handed to the party on the
    spot. Collected on the spot only under §68 (≤ ¥100, or hard to collect later), with the receipt
    number, and handed to the agency within 2 working days (§71)."""
    day = _day(decided_on, "decided_on", "决定日期")
    c = case_open(
        actor=actor, source=CaseSource.OTHER, source_reason="现场检查当场发现（简易程序）", title=title, facts=facts, discovered_on=day,
        enterprise=enterprise, person_name=person_name, person_id_number=person_id_number,
    )  # fmt: skip
    c = Case.objects.select_for_update(of=("self",)).select_related("jurisdiction", "owner_agency", "enterprise").get(pk=c.pk)
    v = _add_violation(c, violation_id=violation_id, act_date=_day(act_date, "act_date", "违法行为发生日期"), subject=subject, circumstance=circumstance)
    fine = _money(amount, f"violation_{v.pk}", "罚款数额") if amount not in (None, "") else None
    kinds = ([PenaltyKind.WARNING] if warning else []) + ([PenaltyKind.FINE] if fine is not None else [])
    allowed = law_penalties.summary_procedure_allowed(kinds=kinds, party=_party_kind(c), fine=fine)
    if not allowed:
        raise DomainError("不能适用简易程序：" + "；".join(r.text for r in allowed.reasons) + "。应当适用一般程序立案查处。", code="summary_not_allowed", article=XZCF_51)
    if not (reasons or "").strip():
        raise ValidationFailed("请写明裁量理由。", fields={"reasons": "请写明裁量理由。"}, article=XZCF_51)
    if not (recipient or "").strip():
        raise ValidationFailed("当场处罚决定书应当当场交付当事人，请填写签收人。", fields={"recipient": "请填写签收人。"}, article=XZCF_52)
    results = check_officers(agency=c.owner_agency, staff_ids=officer_ids, day=day)
    for i, r in enumerate(results, start=1):
        CaseOfficer.objects.create(case=c, staff_id=r["staff_id"], order=i, certificate_id=r["certificate_id"], certificate_number=r["certificate_number"], checked_on=day, valid=r["valid"], check_result=r["reason"])
    v.proposed_amount, v.other_kinds, v.reasons = fine, ([PenaltyKind.WARNING.value] if warning else []), reasons.strip()
    if fine is not None:
        _check_amount(v, fine, day, collectively_approved=False)
    v.full_clean()
    v.save()
    receipt = (collected_receipt_no or "").strip()
    if receipt and fine is not None:
        onsite = law_penalties.onsite_collection_allowed(summary=True, fine=fine, collection_impossible_later=collection_impossible_later)
        if not onsite:
            raise DomainError("不能当场收缴罚款：" + "；".join(r.text for r in onsite.reasons) + "。", code="onsite_collection_refused", article=XZCF_68)
        if Payment.objects.filter(receipt_no=receipt).exists():
            raise ValidationFailed("该票据号已登记。", fields={"collected_receipt_no": "票据号已登记。"})
    c.procedure = "summary"
    c.filed_on, c.filed_by, c.proposed_by, c.proposed_on = day, actor, actor, day
    c.decided_on, c.decided_by, c.fine_total, c.onsite_statement = day, actor, fine or Decimal("0.00"), (onsite_statement or "").strip()
    c.decision_served_on, c.decision_service_method, c.decision_service_basis = day, "direct", "当场交付（行政处罚法第五十二条）"
    c.save()
    doc = decision_docs.onsite_decision_issue(actor=actor, case=c, violations=[v], recipient=recipient, receipt_no=receipt if fine is not None else "", collection_impossible_later=collection_impossible_later)
    c.decision_document = doc
    c.save(update_fields=["decision_document"])
    what = "、".join(([f"罚款{yuan(fine)}"] if fine is not None else []) + (["警告"] if warning else []))
    step = _step(c, actor=actor, action="case.summary", on=day, to=CaseStatus.DECIDED, article=f"{XZCF_51}；{XZCF_52}",
          summary=f"当场作出行政处罚决定{doc.number}：{what}；当场交付{recipient.strip()}。" + (f"当事人当场陈述申辩：{c.onsite_statement[:200]}" if c.onsite_statement else "当事人未提出陈述申辩。"))  # fmt: skip
    paperwork.attach(step, doc)
    lines = []
    for code in (["payment"] if fine is not None and not receipt else []) + ["reconsideration_application", "lawsuit_direct"]:
        row = _store_deadline(c, _evaluate(c, code, day))
        lines.append(f"{row.name}至{row.due:%Y年%-m月%-d日}")
    _step(c, actor=actor, action="case.decision_served", on=day, to=CaseStatus.SERVED, summary="决定书当场交付。" + "；".join(lines) + "。", article=XZCF_52)
    if receipt and fine is not None:
        Payment.objects.create(case=c, paid_on=day, amount=fine, fine=fine, surcharge=Decimal("0.00"), receipt_no=receipt, onsite=True, recorded_by=actor)
        handover = _store_deadline(c, _evaluate(c, "onsite_fine_handover", day))
        _step(c, actor=actor, action="case.payment", on=day, to=CaseStatus.EXECUTED, deadline=handover,
              summary=f"当场收缴罚款{yuan(fine)}（票据号{receipt}），应于{handover.due:%Y年%-m月%-d日}前交至行政机关。", article=f"{XZCF_68}；{XZCF_71}")  # fmt: skip
    elif fine is None:
        _step(c, actor=actor, action="case.payment", on=day, to=CaseStatus.EXECUTED, summary="仅给予警告，无须缴款。", article=XZCF_51)
    _queue_publication(actor, c)
    return c


@transaction.atomic
def onsite_handover_record(*, actor: Any, case: Case, handed_on: dt.date) -> Payment:
    """The officer hands the money collected on the spot to the agency within 2 working days (§71);
    a late handover is recorded as late, never hidden."""
    c = _lock(actor, case, roles=WRITE_ROLES + (Role.OFFICE,))
    p = Payment.objects.select_for_update().filter(case=c, onsite=True).first()
    if p is None:
        raise DomainError("本案没有当场收缴的罚款。", code="no_onsite_payment")
    if p.handed_over_on is not None:
        raise DomainError("当场收缴的罚款已登记交至行政机关。", code="already_handed_over")
    handed_on = _day(handed_on, "handed_on", "交款日期", not_before=p.paid_on, before_label="收缴日期")
    p.handed_over_on = handed_on
    p.save(update_fields=["handed_over_on"])
    row = _active_deadline(c, "onsite_fine_handover")
    met = row is None or handed_on <= row.due
    if row is not None:
        CaseDeadline.objects.filter(pk=row.pk).update(met_on=handed_on)
    _step(c, actor=actor, action="case.onsite_handover", on=handed_on, deadline=row, met=met if row else None,
          summary=f"当场收缴的罚款{yuan(p.amount)}已交至行政机关{'' if met else '（已超过二日期限）'}。", article=XZCF_71)  # fmt: skip
    return p


# --- recusal (回避) ----------------------------------------------------------------------------------------------------------
XZCF_43 = f"{XZCF}第四十三条"


@transaction.atomic
def recusal_request(*, actor: Any, case: Case, staff: Staff, requested_on: dt.date, applicant: str, reason: str) -> Recusal:
    """The party asks, or the officer declares an interest (行政处罚法 §43 ¶1–2)."""
    c = _lock(actor, case, roles=WRITE_ROLES + APPROVE_ROLES)
    _require_state(c, {CaseStatus.FILED, CaseStatus.NOTICE_ISSUED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "申请回避")
    requested_on = _day(requested_on, "requested_on", "申请日期", not_before=c.filed_on, before_label="立案日期")
    if not CaseOfficer.objects.filter(case=c, staff=staff, active=True).exists():
        raise ValidationFailed(f"{staff.name}不是本案承办人员。", fields={"staff": "不是本案承办人员。"}, article=XZCF_43)
    if not (applicant or "").strip() or not (reason or "").strip():
        raise ValidationFailed("请填写申请人和理由。", fields={"applicant": "请填写申请人。", "reason": "请填写理由。"}, article=XZCF_43)
    if Recusal.objects.filter(case=c, staff=staff, granted__isnull=True).exists():
        raise DomainError(f"{staff.name}的回避申请尚待决定。", code="recusal_pending", article=XZCF_43)
    r = Recusal.objects.create(case=c, staff=staff, applicant=applicant.strip(), requested_on=requested_on, reason=reason.strip(), recorded_by=actor)
    _step(c, actor=actor, action="case.recusal_request", on=requested_on, summary=f"{r.applicant}申请{staff.name}回避：{r.reason[:200]}", article=XZCF_43)
    return r


@transaction.atomic
def recusal_decide(*, actor: Any, recusal: Recusal, granted: bool, decided_on: dt.date) -> Recusal:
    """The agency head decides (§43 ¶3); a recused officer leaves the case, which then needs two
    officers again before its next step. The investigation is not stopped meanwhile."""
    r = Recusal.objects.select_for_update(of=("self",)).select_related("staff").get(pk=recusal.pk)
    c = _lock(actor, r.case, roles=(Role.LEADER,))
    if r.granted is not None:
        raise DomainError("该回避申请已决定。", code="already_decided", article=XZCF_43)
    decided_on = _day(decided_on, "decided_on", "决定日期", not_before=r.requested_on, before_label="申请日期")
    head = _require_head(actor, c, decided_on, what="回避", article=XZCF_43)
    if head.pk == r.staff_id:
        raise PermissionRefused("应回避人员不能决定自己的回避。", code="same_person", article=XZCF_43)
    r.granted, r.decided_on, r.decided_by = bool(granted), decided_on, head
    r.save(update_fields=["granted", "decided_on", "decided_by"])
    if granted:
        CaseOfficer.objects.filter(case=c, staff_id=r.staff_id, active=True).update(active=False)
    _step(c, actor=actor, action="case.recusal_decide", on=decided_on, summary=f"{'决定' if granted else '决定不予'}{r.staff.name}回避。", article=XZCF_43)
    return r
