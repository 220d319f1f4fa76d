"""Safety reports after acceptance (issue 12 item 6): how a report is verified, what it leads to,
what flows back, and the reward for a verified named report.

安全生产法第七十三条: the department verifies and handles reports; reports involving deaths are
verified under a county-level government (``services.escalation_note``); reporters of verified
violations are rewarded under the rules of the department concerned. LEGAL.md §7 gives the
practice: handled within 60 days (+30), the reporter answered after the handling closes; the
reward amounts are the bureau's own (CFG), so a bureau sets its own dated range and nothing is
assumed when none is set.

- verification: on site (``services.report_verify``, an inspection of type 投诉举报核查) or by a
  written inquiry to the unit (书面函询) and its written answer;
- what it leads to: a hazard registered from the report (hazards.services.hazard_create with the
  source 举报核查), or a transfer of the violation to the enforcement team (局队合一); the
  inspection's own findings and hazards follow the inspection's procedure;
- what flows back: ``handling`` gathers the state of each for the report's page and API;
- the reply waits for the verification: a draft is refused while the on-site inspection is open
  or the unit has not answered the inquiry;
- rewards: proposed inside the bureau's range in force that day, approved by a leader other than
  the proposer, the payment recorded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from anjian.complaints.choices import Kind, RewardStatus, Status
from anjian.complaints.models import Reward, RewardRange, Submission
from anjian.complaints.services import APPROVE, AQSCF_73, OFFICE, TEXT_MAX, _cn, _day, _lock, _move, _require, _state, _text
from anjian.core import audit
from anjian.core.duties import require_other_person
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.core.scoping import scope_for
from anjian.hazards import services as hazards
from anjian.hazards.choices import HazardSource, TransferStatus
from anjian.hazards.models import Hazard, Transfer
from anjian.org.choices import DepartmentKind, Role
from anjian.org.models import Agency, Department

AQSCF_73_3 = f"{AQSCF_73}第三款"
MAX_REWARD = Decimal("100000000.00")  # a bound for input, not a rule: the bureau's range decides
VERIFYING = frozenset({Status.INVESTIGATING})
REWARDABLE = frozenset({Status.APPROVED, Status.REPLIED, Status.REVIEW, Status.REVIEWED, Status.CLOSED})

audit.ACTIONS.update(
    {
        "complaint.inquiry": "向被举报单位书面函询",
        "complaint.inquiry_answer": "登记被举报单位书面回复",
        "complaint.hazard": "登记举报核实的隐患",
        "complaint.transfer": "举报移交执法队伍",
        "complaint.reward_range": "设定举报奖励标准",
        "complaint.reward_propose": "提出举报奖励",
        "complaint.reward_decide": "审批举报奖励",
        "complaint.reward_paid": "登记举报奖励发放",
    }
)


def _report(sub: Submission, what: str) -> None:
    if sub.kind != Kind.REPORT:
        raise DomainError(f"只有安全生产举报{what}；行政执法投诉由办公室会同有关科室调查。", code="not_a_report")


# --- verification by a written inquiry ---------------------------------------------------------------
@transaction.atomic
def inquiry_send(*, actor: Any, submission: Submission, sent_on: dt.date, text: str) -> Submission:
    """Verify a report by a written inquiry to the unit (书面函询) instead of, or before, a visit."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="书面函询")
    _report(s, "向被举报单位函询")
    _state(s, VERIFYING, "书面函询")
    if s.inquiry_sent_on is not None:
        raise DomainError(f"已于{_cn(s.inquiry_sent_on)}函询，同一举报只登记一次函询。", code="inquiry_exists")
    if s.enterprise_id is None and not s.unit_name:
        raise ValidationFailed("函询须有被举报单位。", fields={"text": "举报没有指明被举报单位，请现场核查。"})
    s.inquiry_sent_on = _day(sent_on, "sent_on", "函询日期", not_before=s.assigned_on, before_label="交办日期")
    s.inquiry_text = _text(text, "text", "函询事项", max_len=TEXT_MAX)
    _move(s, s.status, actor=actor, action="complaint.inquiry", fields=["inquiry_sent_on", "inquiry_text"], after={"sent_on": s.inquiry_sent_on})
    return s


@transaction.atomic
def inquiry_answer(*, actor: Any, submission: Submission, answered_on: dt.date, answer: str) -> Submission:
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="登记单位书面回复")
    _report(s, "登记单位回复")
    _state(s, VERIFYING, "登记单位书面回复")
    if s.inquiry_sent_on is None:
        raise DomainError("尚未向被举报单位函询，不能登记回复。", code="no_inquiry")
    if s.inquiry_answered_on is not None:
        raise DomainError(f"单位已于{_cn(s.inquiry_answered_on)}书面回复。", code="inquiry_answered")
    s.inquiry_answered_on = _day(answered_on, "answered_on", "回复日期", not_before=s.inquiry_sent_on, before_label="函询日期")
    s.inquiry_answer = _text(answer, "answer", "回复情况", max_len=TEXT_MAX)
    _move(s, s.status, actor=actor, action="complaint.inquiry_answer", fields=["inquiry_answered_on", "inquiry_answer"], after={"answered_on": s.inquiry_answered_on})
    return s


# --- what the verification leads to -----------------------------------------------------------------
@transaction.atomic
def hazard_register(
    *, actor: Any, submission: Submission, description: str, location: str, severity: str, found_on: dt.date, major_reason: str = "", period_days: int | None = None
) -> Hazard:
    """A hazard the verification confirmed, registered with the source 举报核查 and linked to the
    report. A hazard found by the on-site verification is registered on that inspection instead
    (its findings), like any inspection's, and shows here through it."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="登记隐患")
    _report(s, "登记隐患")
    _state(s, VERIFYING, "登记核实的隐患")
    if s.enterprise is None:
        raise ValidationFailed("被举报单位须已在台账中，才能登记隐患。", fields={"description": "请先在台账中登记被举报单位，或者现场核查。"})
    if s.verification_id is None and s.inquiry_answered_on is None:
        raise DomainError("举报尚未核实：须现场核查或者经单位书面回复后，才能据此登记隐患。", code="not_verified", article=AQSCF_73)
    h = hazards.hazard_create(
        actor=actor, enterprise=s.enterprise, source=HazardSource.REPORT, description=description, location=location, severity=severity,
        found_on=found_on, major_reason=major_reason, period_days=period_days,
    )  # fmt: skip
    s.hazards.add(h)
    _move(s, s.status, actor=actor, action="complaint.hazard", fields=[], after={"hazard": h.pk})
    return h


@transaction.atomic
def transfer_to_enforcement(*, actor: Any, submission: Submission, from_department_id: int, to_department_id: int, facts: str, suggested_basis: str = "") -> Transfer:
    """The violation the report revealed, moved to the enforcement team for a penalty case (局队合一):
    the hazards registered from the report and the findings and hazards of the on-site verification."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="移交执法队伍")
    _report(s, "移交执法队伍")
    _state(s, VERIFYING | {Status.DRAFTED, Status.APPROVED, Status.REPLIED}, "移交执法队伍")
    if s.enterprise is None:
        raise ValidationFailed("被举报单位须已在台账中。", fields={"facts": "请先在台账中登记被举报单位。"})
    live = s.transfers.exclude(status=TransferStatus.RETURNED).first()
    if live is not None:
        raise DomainError(f"该举报已移交{live.to_department.name}（{live.get_status_display()}），退回后才能重新移交。", code="transfer_exists")
    depts = {d.pk: d for d in Department.objects.filter(agency_id=s.owner_agency_id, pk__in=[_int(from_department_id), _int(to_department_id)])}
    errors = {}
    if _int(from_department_id) not in depts:
        errors["from_department_id"] = "请选择本机关的监管科室。"
    if _int(to_department_id) not in depts:
        errors["to_department_id"] = "请选择本机关的执法队伍。"
    if errors:
        raise ValidationFailed("移交信息有误。", fields=errors)
    own = list(s.hazards.all())
    found, found_hazards = [], []
    if s.verification is not None:
        found = list(s.verification.findings.all())
        found_hazards = list(Hazard.objects.filter(inspection=s.verification))
    t = hazards.transfer_send(
        actor=actor, enterprise=s.enterprise, from_department=depts[_int(from_department_id)], to_department=depts[_int(to_department_id)],
        facts=facts, findings=found, hazards=[*own, *[h for h in found_hazards if h not in own]], suggested_basis=suggested_basis,
    )  # fmt: skip
    s.transfers.add(t)
    _move(s, s.status, actor=actor, action="complaint.transfer", fields=[], after={"transfer": t.pk})
    return t


def _int(value: Any) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return 0
    return n if 0 < n < 2**63 else 0


def handling(sub: Submission) -> dict[str, Any]:
    """What the verification led to, as it stands now: the inspection, the hazards (registered from
    the report or found by the inspection) and the transfers with the cases they became."""
    out: dict[str, Any] = {"inquiry": None, "inspection": None, "hazards": [], "transfers": [], "reward": None}
    if sub.inquiry_sent_on:
        out["inquiry"] = {"sent_on": sub.inquiry_sent_on, "text": sub.inquiry_text, "answered_on": sub.inquiry_answered_on, "answer": sub.inquiry_answer}
    hazard_rows = list(sub.hazards.all())
    if sub.verification is not None:
        insp = sub.verification
        out["inspection"] = {"id": insp.pk, "inspected_on": insp.inspected_on, "status": insp.status, "status_label": insp.get_status_display(), "findings": insp.findings.count()}
        hazard_rows += [h for h in Hazard.objects.filter(inspection=insp) if h not in hazard_rows]
    out["hazards"] = [
        {"id": h.pk, "description": h.description, "severity": h.get_severity_display(), "status": h.get_status_display(), "deadline": h.deadline, "source": h.get_source_display()}
        for h in hazard_rows
    ]
    for t in sub.transfers.select_related("to_department").prefetch_related("cases"):
        cases = [{"id": c.pk, "title": c.title, "status": c.get_status_display()} for c in t.cases.all()]
        out["transfers"].append({"id": t.pk, "status": t.get_status_display(), "to": t.to_department.name, "cases": cases})
    reward = Reward.objects.filter(submission=sub).first()
    if reward is not None:
        out["reward"] = {"amount": reward.amount, "status": reward.status, "status_label": reward.get_status_display(), "paid_on": reward.paid_on}
    return out


# --- rewards -----------------------------------------------------------------------------------------
def _money(value: Any, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(f"{label}须为金额。", fields={field: "请填写金额（元）。"}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_REWARD or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(f"{label}须为大于零的金额，最多两位小数。", fields={field: "请填写正确的金额。"})
    return amount.quantize(Decimal("0.01"))


def range_on(agency_id: int, day: dt.date) -> RewardRange | None:
    return RewardRange.objects.filter(agency_id=agency_id, effective_from__lte=day).order_by("-effective_from", "-id").first()


@transaction.atomic
def reward_range_set(*, actor: Any, min_amount: Any, max_amount: Any, basis: str, effective_from: dt.date) -> RewardRange:
    """A bureau's leader sets the bureau's own range (its reward rules, CFG); never another's."""
    scope = scope_for(actor)
    if not scope.is_member or not scope.has_role(*APPROVE):
        raise PermissionRefused("举报奖励标准由局领导设定，只适用于本机关。", code="role_refused")
    lo, hi = _money(min_amount, "min_amount", "最低奖励金额"), _money(max_amount, "max_amount", "最高奖励金额")
    if hi < lo:
        raise ValidationFailed("最高奖励金额不能低于最低奖励金额。", fields={"max_amount": "不能低于最低奖励金额。"})
    basis = _text(basis, "basis", "依据文件", max_len=200)
    day = _day(effective_from, "effective_from", "施行日期")
    agency = Agency.objects.select_for_update().get(pk=scope.agency_id)
    r = RewardRange.objects.create(agency=agency, min_amount=lo, max_amount=hi, basis=basis, effective_from=day, set_by=actor)
    audit.record(
        actor=actor, action="complaint.reward_range", obj=agency, after={"min": lo, "max": hi, "basis": basis, "effective_from": day}, jurisdiction_id=agency.jurisdiction_id
    )
    return r


def _reward(sub: Submission) -> Reward:
    r = Reward.objects.select_for_update().filter(submission=sub).first()
    if r is None:
        raise DomainError("该举报没有提出奖励。", code="no_reward")
    return r


@transaction.atomic
def reward_propose(*, actor: Any, submission: Submission, amount: Any, reason: str, proposed_on: dt.date) -> Reward:
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="提出举报奖励")
    _report(s, "给予奖励")
    _state(s, REWARDABLE, "提出举报奖励（处理意见经批准后）")
    if s.anonymous or not s.submitter_name:
        raise DomainError(f"匿名举报无法确认举报人，不予奖励（{AQSCF_73_3}：对举报人给予奖励）。", code="anonymous", article=AQSCF_73_3)
    if not s.findings.filter(substantiated=True).exists():
        raise DomainError(f"举报事项经核查均不属实，不予奖励（{AQSCF_73_3}）。", code="not_substantiated", article=AQSCF_73_3)
    value = _money(amount, "amount", "奖励金额")
    day = _day(proposed_on, "proposed_on", "提出日期", not_before=s.approved_on, before_label="处理意见批准日期")
    rng = range_on(s.owner_agency_id, day)
    if rng is None:
        raise DomainError(f"{s.owner_agency.name}尚未设定举报奖励标准（由局领导在“举报奖励标准”中设定），不能提出奖励。", code="no_range", article=AQSCF_73_3)
    if not rng.min_amount <= value <= rng.max_amount:
        raise DomainError(
            f"奖励金额须在本机关奖励标准（{rng.basis}）规定的{rng.min_amount}元至{rng.max_amount}元之间。", code="out_of_range", article=rng.basis,
            fields={"amount": [f"应在{rng.min_amount}至{rng.max_amount}元之间。"]},
        )  # fmt: skip
    try:
        with transaction.atomic():
            r = Reward.objects.create(
                submission=s, amount=value, reason=_text(reason, "reason", "奖励理由", max_len=TEXT_MAX), range_min=rng.min_amount, range_max=rng.max_amount,
                range_basis=rng.basis, proposed_by=actor, proposed_on=day,
            )  # fmt: skip
    except IntegrityError:
        raise DomainError("该举报已提出奖励，同一举报只奖励一次。", code="reward_exists") from None
    audit.record(actor=actor, action="complaint.reward_propose", obj=s, after={"amount": value, "range": [rng.min_amount, rng.max_amount]})
    return r


@transaction.atomic
def reward_decide(*, actor: Any, submission: Submission, approved: bool, decided_on: dt.date, note: str = "") -> Reward:
    s = _lock(submission)
    _require(actor, s, roles=APPROVE, what="审批举报奖励")
    r = _reward(s)
    if r.status != RewardStatus.PROPOSED:
        raise DomainError(f"该奖励已{r.get_status_display()}。", code="reward_decided")
    require_other_person(r.proposed_by, actor, what="举报奖励", article=AQSCF_73_3)
    r.decided_on = _day(decided_on, "decided_on", "审批日期", not_before=r.proposed_on, before_label="提出日期")
    r.decided_by, r.decision_note = actor, _text(note, "note", "审批意见", max_len=500, required=not approved)
    r.status = RewardStatus.APPROVED if approved else RewardStatus.REFUSED
    r.save(update_fields=["decided_on", "decided_by", "decision_note", "status"])
    audit.record(actor=actor, action="complaint.reward_decide", obj=s, after={"approved": bool(approved), "amount": r.amount}, note=r.decision_note)
    return r


@transaction.atomic
def reward_paid(*, actor: Any, submission: Submission, paid_on: dt.date, payment_ref: str) -> Reward:
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, what="登记奖励发放")
    r = _reward(s)
    if r.status != RewardStatus.APPROVED:
        raise DomainError(f"奖励{r.get_status_display()}，经批准后才能登记发放。", code="reward_not_approved")
    r.paid_on = _day(paid_on, "paid_on", "发放日期", not_before=r.decided_on, before_label="审批日期")
    r.payment_ref = _text(payment_ref, "payment_ref", "发放凭证号", max_len=64)
    r.paid_by, r.status = actor, RewardStatus.PAID
    r.save(update_fields=["paid_on", "payment_ref", "paid_by", "status"])
    audit.record(actor=actor, action="complaint.reward_paid", obj=s, after={"amount": r.amount, "paid_on": r.paid_on, "ref": r.payment_ref})
    return r


def may_set_range(user: Any) -> bool:
    scope = scope_for(user)
    return scope.is_member and scope.has_role(Role.LEADER)


def supervision_departments(agency_id: int) -> list[Department]:
    return list(Department.objects.filter(agency_id=agency_id).exclude(kind=DepartmentKind.ENFORCEMENT).order_by("name", "id"))


def enforcement_departments(agency_id: int) -> list[Department]:
    return list(Department.objects.filter(agency_id=agency_id, kind=DepartmentKind.ENFORCEMENT).order_by("name", "id"))
