"""Execution of a penalty decision (执行): from the served decision to payment or the court.

* Deferral or instalments (延期/分期缴纳罚款, 行政处罚法 §66 ¶2): requested by the party in real
  hardship, decided by the agency head (another person than the one who registered the request);
  an approved schedule replaces the payment deadline part by part, and the surcharge does not run
  on a part paid by its date.
* Reconsideration and lawsuit (行政复议、行政诉讼): the penalty is not suspended (行政处罚法 §73 ¶1) but
  the surcharge does not accrue from the filing to the service of the decision or judgment (§73
  ¶3). A revoked or void decision ends execution; any change stores the publication-withdrawal
  deadline (行政处罚法 §48, 3 working days) for the publication helper.
* Surcharge (加处罚款, 行政处罚法 §72 ¶1(1)): 3 % of the fine a day after the deadline, never more than
  the fine, computed by ``anjian.law.surcharge`` with the pauses above.
* The road to the court (行政强制法 §53–§55): 罚款催缴通知书; 履行行政决定催告书 (§35) once the
  reconsideration and lawsuit periods have lapsed; 10 working days after its service (§54, §69)
  the application to the court, within 3 months after those periods end (§53), signed by the head.
* 安全生产法 §112 (按日连续处罚) and §113 (提请关闭) are offered when ``anjian.law`` says so.

Every act locks the case, writes in one transaction, appends a ``CaseStep`` and audits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from anjian.cases import paperwork
from anjian.cases import services as core
from anjian.cases.choices import CaseStatus
from anjian.cases.models import Case, CaseDeadline, Payment
from anjian.cases.models_execution import CaseExecution, Instalment, PaymentPlan, PlanKind, PlanStatus, Remedy, RemedyKind, RemedyOutcome
from anjian.core import audit
from anjian.core.duties import require_other_person
from anjian.core.errors import DomainError, ValidationFailed
from anjian.documents import services as documents
from anjian.documents.models import IssuedDocument
from anjian.law import money
from anjian.law import penalties as law_penalties
from anjian.law.money import amount_cn, yuan
from anjian.law.surcharge import RATE, SurchargeDay, surcharge
from anjian.org.choices import Role

XZCF = "《中华人民共和国行政处罚法》"
XZQZF = "《中华人民共和国行政强制法》"
XZCF_48 = f"{XZCF}第四十八条"
# The party as the execution documents name it: its name and, for a unit, its registered address.
PARTY_FIELDS: tuple[paperwork.PartyField, ...] = ("name", "address")
XZCF_66 = f"{XZCF}第六十六条第二款"
XZCF_67 = f"{XZCF}第六十七条"
XZCF_72 = f"{XZCF}第七十二条第一款第（一）项"
XZCF_73 = f"{XZCF}第七十三条"
XZQZF_35 = f"{XZQZF}第三十五条"
XZQZF_53 = f"{XZQZF}第五十三条"
XZQZF_54 = f"{XZQZF}第五十四条"
XZQZF_55 = f"{XZQZF}第五十五条"
AQSCF_112 = "《中华人民共和国安全生产法》第一百一十二条"
AQSCF_113 = "《中华人民共和国安全生产法》第一百一十三条"
ZERO = Decimal("0.00")
MAX_PARTS = 12  # a schedule longer than a year of monthly parts is a data-entry error, not a plan

audit.ACTIONS.update(
    {
        "case.deferral_request": "申请延期（分期）缴纳罚款",
        "case.deferral_decide": "审批延期（分期）缴纳罚款",
        "case.instalment_paid": "分期缴纳罚款",
        "case.remedy_filed": "登记行政复议、行政诉讼",
        "case.remedy_outcome": "登记复议决定、裁判结果",
        "case.fine_demand": "罚款催缴",
        "case.reminder": "履行行政决定催告",
        "case.reminder_served": "催告书送达",
        "case.enforcement_apply": "申请人民法院强制执行",
        "case.daily_penalty": "按日连续处罚立案",
        "case.closure_request": "提请地方人民政府予以关闭",
    }
)

# Outcomes that change the published decision (行政处罚法 §48: withdrawn within 3 working days) and
# those that end execution.
CHANGING = frozenset({RemedyOutcome.VARIED, RemedyOutcome.REVOKED, RemedyOutcome.CONFIRMED_ILLEGAL, RemedyOutcome.CONFIRMED_VOID})
ENDING = frozenset({RemedyOutcome.REVOKED, RemedyOutcome.CONFIRMED_VOID})
EXECUTION_STATES = frozenset({CaseStatus.SERVED, CaseStatus.ENFORCEMENT})


# --- amounts -----------------------------------------------------------------------------------------------------------
def capitals(value: Decimal) -> str:
    """壹万伍仟元整 (the law engine's one writer of amounts in capitals)."""
    return money.amount_capitals(value)


def written(value: Decimal) -> str:
    """An amount as documents state it in figures: ``2万元`` (``amount_cn``)."""
    return amount_cn(value)


@dataclass(frozen=True)
class PartDue:
    """One part owed: the whole fine without a plan, or an instalment of an approved plan."""

    seq: int
    due: dt.date
    amount: Decimal
    surcharge: Decimal
    capped: bool
    days: tuple[SurchargeDay, ...]
    instalment_id: int | None = None

    @property
    def overdue(self) -> bool:
        return bool(self.days)


@dataclass(frozen=True)
class Due:
    """What the party owes on ``on``: the outstanding fine and the surcharge on it (行政处罚法 §72)."""

    on: dt.date
    fine_total: Decimal
    paid_fine: Decimal
    paid_surcharge: Decimal
    fine: Decimal  # outstanding fine
    surcharge: Decimal
    parts: tuple[PartDue, ...]
    pauses: tuple[tuple[dt.date, dt.date], ...]
    plan_id: int | None
    ended: bool  # revoked or void: nothing is owed

    @property
    def total(self) -> Decimal:
        return self.fine + self.surcharge

    @property
    def overdue(self) -> bool:
        return any(p.due < self.on for p in self.parts)


def _execution(case: Case) -> CaseExecution:
    ex, _ = CaseExecution.objects.get_or_create(case=case)
    return ex


def _ended(case: Case) -> bool:
    return CaseExecution.objects.filter(case=case, revoked_on__isnull=False).exists()


def remedy_pauses(case: Case, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Inclusive ranges in which the surcharge does not accrue (行政处罚法 §73 ¶3): from the filing
    of a reconsideration or lawsuit to the service of its decision or judgment; a pending one runs
    to ``until``."""
    out = []
    for filed_on, outcome_on in Remedy.objects.filter(case=case, filed_on__lte=until).order_by("filed_on", "id").values_list("filed_on", "outcome_on"):
        out.append((filed_on, min(outcome_on, until) if outcome_on else until))
    return out


def approved_plan(case: Case) -> PaymentPlan | None:
    return PaymentPlan.objects.filter(case=case, status=PlanStatus.APPROVED).order_by("-decided_on", "-id").first()


def amount_due(case: Case, on: dt.date, *, actor: Any = None) -> Due:
    """The outstanding fine and its surcharge when paying on ``on``.

    Without a plan the surcharge runs from the day after the statutory payment deadline (relied on
    as ``services._rely_on`` does: an unverified or provisional window refuses); with an approved
    deferral or instalments each unpaid part runs from the day after its own date, on its own
    amount and capped at it, so a kept schedule accrues nothing. Pending reconsideration or
    lawsuit days are not counted (§73 ¶3).
    """
    fine_total = case.fine_total or ZERO
    sums = Payment.objects.filter(case=case).aggregate(f=Sum("fine"), s=Sum("surcharge"))
    paid_fine, paid_surcharge = sums["f"] or ZERO, sums["s"] or ZERO
    if _ended(case):
        return Due(on, fine_total, paid_fine, paid_surcharge, ZERO, ZERO, (), (), None, True)
    outstanding = max(fine_total - paid_fine, ZERO)
    pauses = tuple(remedy_pauses(case, on))
    plan = approved_plan(case)
    parts: list[PartDue] = []
    if outstanding > ZERO and plan is not None:
        for inst in plan.instalments.filter(payment__isnull=True).order_by("seq"):
            parts.append(_part(inst.seq, inst.amount, inst.due, on, pauses, instalment_id=inst.pk))
    elif outstanding > ZERO:
        row = core._active_deadline(case, "payment")
        if row is not None:
            end = row.due if on <= row.due else core._rely_on(case, row, actor=actor, on=on)
            parts.append(_part(1, outstanding, end, on, pauses))
    extra = sum((p.surcharge for p in parts), ZERO)
    return Due(on, fine_total, paid_fine, paid_surcharge, outstanding, extra, tuple(parts), pauses, plan.pk if plan else None, False)


def _part(seq: int, amount: Decimal, due: dt.date, on: dt.date, pauses: Sequence[tuple[dt.date, dt.date]], *, instalment_id: int | None = None) -> PartDue:
    if on <= due:
        return PartDue(seq, due, amount, ZERO, False, (), instalment_id)
    result = surcharge(amount, due, until=on, pauses=pauses)
    return PartDue(seq, due, amount, result.total, result.capped, result.days, instalment_id)


def surcharge_schedule(case: Case, on: dt.date) -> list[dict[str, Any]]:
    """Each part's surcharge day by day up to the cap (the fine), assuming no payment: what the
    party would owe on each day (pending remedies taken as ending on ``on``)."""
    due_now = amount_due(case, on)
    out = []
    for part in due_now.parts:
        horizon = part.due + dt.timedelta(days=int(1 / RATE) + 2 + sum((e - s).days + 1 for s, e in due_now.pauses))
        result = surcharge(part.amount, part.due, until=max(horizon, on), pauses=due_now.pauses)
        out.append(
            {
                "seq": part.seq, "due": part.due, "amount": part.amount, "daily": money.round_half_up(part.amount * RATE),
                "cap": part.amount, "cap_reached_on": result.days[-1].date if result.capped else None, "basis": result.basis,
                "days": [{"date": d.date, "amount": d.amount, "cumulative": d.cumulative, "paused": d.paused} for d in result.days],
            }
        )  # fmt: skip
    return out


# --- the documents' facts ----------------------------------------------------------------------------------------------
def _decision_facts(c: Case) -> dict[str, Any]:
    number = IssuedDocument.objects.filter(pk=c.decision_document_id).values_list("number", flat=True).first() if c.decision_document_id else None
    return {"decision_number": number or "（文号未登记）", "decision_date": c.decided_on}


def _court(c: Case) -> str:
    """The court configured for the agency (Agency.court); refused when not set (never guessed)."""
    from anjian.org.selectors import agency_remedies

    return agency_remedies(c.owner_agency)["court"]


def _review_body(c: Case) -> str:
    from anjian.org.selectors import agency_remedies

    return agency_remedies(c.owner_agency)["review_body"]


def _in_execution(c: Case, what: str) -> None:
    core._require_state(c, EXECUTION_STATES, what)
    if not c.fine_total:
        raise DomainError("本案未处罚款，无须执行罚款。", code="no_fine")


def _pending_remedy(c: Case) -> Remedy | None:
    return Remedy.objects.filter(case=c, outcome=RemedyOutcome.PENDING).order_by("filed_on", "id").first()


# --- deferral and instalments (行政处罚法 §66 ¶2) ----------------------------------------------------------------------
@transaction.atomic
def deferral_request(*, actor: Any, case: Case, kind: str, requested_on: dt.date, reason: str, instalments: Sequence[Mapping[str, Any]]) -> PaymentPlan:
    """Register the party's request for a deferral (one part) or instalments (two or more parts).

    Refused: not in hardship (no facts given), a part not after the request, dates not ascending,
    amounts with more than two decimals or not summing exactly to the outstanding fine, a request
    after the payment deadline (the surcharge then already runs by law, §72, and the agency cannot
    waive it), a second request while one is pending."""
    c = core._lock(actor, case, roles=core.WRITE_ROLES)
    _in_execution(c, "申请延期（分期）缴纳罚款")
    assert c.decision_served_on is not None
    requested_on = core._day(requested_on, "requested_on", "申请日期", not_before=c.decision_served_on, before_label="决定书送达日期")
    if kind not in PlanKind.values:
        raise ValidationFailed("请选择延期缴纳或者分期缴纳。", fields={"kind": "请选择延期或者分期。"}, article=XZCF_66)
    if not (reason or "").strip():
        raise ValidationFailed("请写明当事人确有经济困难的事实和理由。", fields={"reason": "请写明经济困难的事实和理由。"}, article=XZCF_66)
    if PaymentPlan.objects.filter(case=c, status=PlanStatus.PENDING).exists():
        raise DomainError("本案已有待审批的延期（分期）缴纳申请。", code="plan_pending", article=XZCF_66)
    if CaseExecution.objects.filter(case=c, applied_on__isnull=False).exists():
        raise DomainError("已申请人民法院强制执行，不再审批延期（分期）缴纳。", code="enforcement_applied", article=XZQZF_53)
    due_now = amount_due(c, requested_on, actor=actor)
    if due_now.surcharge > ZERO or due_now.overdue:
        raise DomainError(
            f"缴纳期限已届满，依法已加处罚款{yuan(due_now.surcharge)}；延期（分期）缴纳须在缴纳期限届满前申请。",
            code="plan_after_deadline", article=f"{XZCF_66}；{XZCF_72}",
        )  # fmt: skip
    parts = _parts(kind, instalments, after=requested_on, total=due_now.fine)
    plan = PaymentPlan.objects.create(case=c, kind=kind, requested_on=requested_on, reason=reason.strip(), requested_by=actor)
    Instalment.objects.bulk_create([Instalment(plan=plan, seq=i, due=d, amount=a) for i, (d, a) in enumerate(parts, 1)])
    text = "；".join(f"第{i}期{d:%Y年%-m月%-d日}前{yuan(a)}" for i, (d, a) in enumerate(parts, 1))
    core._step(c, actor=actor, action="case.deferral_request", on=requested_on, summary=f"当事人申请{PlanKind(kind).label}：{text}。理由：{plan.reason[:200]}", article=XZCF_66,
               audit_after={"plan": plan.pk, "kind": kind})  # fmt: skip
    return plan


def _parts(kind: str, items: Sequence[Mapping[str, Any]], *, after: dt.date, total: Decimal) -> list[tuple[dt.date, Decimal]]:
    if not isinstance(items, Sequence) or not items:
        raise ValidationFailed("请填写缴纳期限和金额。", fields={"instalments": "请填写缴纳期限和金额。"}, article=XZCF_66)
    if kind == PlanKind.DEFERRAL and len(items) != 1:
        raise ValidationFailed("延期缴纳只有一个缴纳期限；分多次缴纳的请选择分期缴纳。", fields={"instalments": "延期缴纳只填一期。"}, article=XZCF_66)
    if kind == PlanKind.INSTALMENTS and not 2 <= len(items) <= MAX_PARTS:
        raise ValidationFailed(f"分期缴纳须分为二至{MAX_PARTS}期。", fields={"instalments": f"分期须为二至{MAX_PARTS}期。"}, article=XZCF_66)
    out: list[tuple[dt.date, Decimal]] = []
    for i, item in enumerate(items, 1):
        due = item.get("due") if isinstance(item, Mapping) else None
        if not isinstance(due, dt.date) or isinstance(due, dt.datetime):
            raise ValidationFailed(f"第{i}期缴纳期限不是有效日期。", fields={"instalments": f"第{i}期缴纳期限不是有效日期。"})
        amount = core._money(item.get("amount") if isinstance(item, Mapping) else None, "instalments", f"第{i}期金额")
        if amount <= ZERO:
            raise ValidationFailed(f"第{i}期金额须大于零。", fields={"instalments": f"第{i}期金额须大于零。"})
        if due <= after:
            raise ValidationFailed(f"第{i}期缴纳期限须晚于申请日期。", fields={"instalments": f"第{i}期缴纳期限须晚于申请日期。"})
        if out and due <= out[-1][0]:
            raise ValidationFailed(f"第{i}期缴纳期限须晚于上一期。", fields={"instalments": f"第{i}期缴纳期限须晚于上一期。"})
        out.append((due, amount))
    if sum((a for _, a in out), ZERO) != total:
        got = sum((a for _, a in out), ZERO)
        raise ValidationFailed(f"各期金额合计{yuan(got)}，与应缴罚款{yuan(total)}不符：各期合计须正好等于罚款。", code="instalments_sum", fields={"instalments": f"各期合计须为{yuan(total)}。"}, article=XZCF_66)
    return out


@transaction.atomic
def deferral_decide(*, actor: Any, plan: PaymentPlan, approved: bool, decided_on: dt.date, note: str = "") -> PaymentPlan:
    """The agency head approves or refuses (行政处罚法 §66 ¶2: 经行政机关批准); never the person who
    registered the request. Approval issues the 延期（分期）缴纳罚款批准书."""
    c = core._lock(actor, plan.case, roles=core.APPROVE_ROLES)
    p = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
    if p.status != PlanStatus.PENDING:
        raise DomainError("该申请已审批。", code="plan_decided")
    _in_execution(c, "审批延期（分期）缴纳罚款")
    decided_on = core._day(decided_on, "decided_on", "审批日期", not_before=p.requested_on, before_label="申请日期")
    require_other_person(p.requested_by, actor, what="延期（分期）缴纳罚款申请", article=XZCF_66)
    staff = core._require_head(actor, c, decided_on, what="延期（分期）缴纳罚款的批准", article=XZCF_66)
    parts = list(p.instalments.order_by("seq"))
    if approved and parts[0].due <= decided_on:
        raise DomainError("第一期缴纳期限已过，不能按原申请批准；请当事人重新申请。", code="plan_stale", article=XZCF_66)
    p.status = PlanStatus.APPROVED if approved else PlanStatus.REFUSED
    p.decided_by, p.decided_on, p.decision_note = staff, decided_on, (note or "").strip()
    doc = None
    if approved:
        PaymentPlan.objects.filter(case=c, status=PlanStatus.APPROVED).exclude(pk=p.pk).update(status=PlanStatus.REFUSED, decision_note="被新的批准替代")
        ctx = {
            "party": paperwork.party_facts(c, fields=PARTY_FIELDS, unit_address="registered"), **_decision_facts(c), "kind_label": PlanKind(p.kind).label, "requested_on": p.requested_on,
            "fine": written(c.fine_total or ZERO), "fine_capitals": capitals(c.fine_total or ZERO),
            "instalments": [{"seq": i.seq, "due": i.due, "amount": written(i.amount), "amount_capitals": capitals(i.amount)} for i in parts],
        }  # fmt: skip
        doc = paperwork.issue(actor=actor, case=c, kind="deferral_approval", context={**ctx, "officers": paperwork.officer_facts(c)}, issued_on=decided_on, act=p.pk)
        p.document = doc
    p.save()
    text = "批准" + "；".join(f"第{i.seq}期{i.due:%Y年%-m月%-d日}前{yuan(i.amount)}" for i in parts) if approved else "不予批准"
    step = core._step(c, actor=actor, action="case.deferral_decide", on=decided_on, summary=f"{PlanKind(p.kind).label}：{text}。{p.decision_note}", article=XZCF_66,
                      audit_after={"plan": p.pk, "approved": approved})  # fmt: skip
    if doc is not None:
        paperwork.attach(step, doc)
    return p


# --- payments --------------------------------------------------------------------------------------------------------------
@transaction.atomic
def payment_record(*, actor: Any, case: Case, paid_on: dt.date, amount: Any, receipt_no: str) -> Payment:
    """A payment at the designated bank. Without an approved plan: the whole fine and surcharge
    (``services.payment_record``). With one: the next unpaid part with its surcharge, or everything
    still owed; the case is executed when nothing is left."""
    c = core._lock(actor, case, roles=core.WRITE_ROLES + (Role.OFFICE,))
    plan = approved_plan(c)
    if plan is None or c.status not in EXECUTION_STATES:
        return core.payment_record(actor=actor, case=c, paid_on=paid_on, amount=amount, receipt_no=receipt_no)
    assert c.decision_served_on is not None
    paid_on = core._day(paid_on, "paid_on", "缴纳日期", not_before=c.decision_served_on, before_label="决定书送达日期")
    paid = core._money(amount, "amount", "缴纳金额")
    receipt_no = (receipt_no or "").strip()
    if not receipt_no:
        raise ValidationFailed("请填写缴款凭证号。", fields={"receipt_no": "请填写缴款凭证号。"}, article=XZCF_67)
    if Payment.objects.filter(receipt_no=receipt_no).exists():
        raise ValidationFailed("该缴款凭证号已登记。", fields={"receipt_no": "缴款凭证号已登记。"})
    due = amount_due(c, paid_on, actor=actor)
    if not due.parts:
        raise DomainError("罚款已缴清。", code="nothing_due")
    first = due.parts[0]
    if paid == due.total:
        settled = list(due.parts)
    elif paid == first.amount + first.surcharge:
        settled = [first]
    else:
        raise ValidationFailed(
            f"缴纳金额{yuan(paid)}不符：本期应缴{yuan(first.amount + first.surcharge)}（第{first.seq}期{yuan(first.amount)}" + (f"，加处罚款{yuan(first.surcharge)}" if first.surcharge else "") + f"），全部结清应缴{yuan(due.total)}。",
            code="amount_mismatch", fields={"amount": f"本期应缴{yuan(first.amount + first.surcharge)}。"}, article=XZCF_67,
        )  # fmt: skip
    fine = sum((p.amount for p in settled), ZERO)
    extra = sum((p.surcharge for p in settled), ZERO)
    pay = Payment.objects.create(case=c, paid_on=paid_on, amount=paid, fine=fine, surcharge=extra, receipt_no=receipt_no, recorded_by=actor)
    Instalment.objects.filter(pk__in=[p.instalment_id for p in settled]).update(payment=pay)
    left = Instalment.objects.filter(plan=plan, payment__isnull=True).exists()
    row = core._active_deadline(c, "payment")
    if not left and row is not None:
        CaseDeadline.objects.filter(pk=row.pk).update(met_on=paid_on)
    late = [p for p in settled if p.due < paid_on]
    summary = f"按{PlanKind(plan.kind).label}缴纳{yuan(paid)}（凭证号{receipt_no}，第{'、'.join(str(p.seq) for p in settled)}期）" + (f"，含加处罚款{yuan(extra)}" if extra else "")
    summary += "；罚款已缴清。" if not left else "。"
    core._step(c, actor=actor, action="case.instalment_paid", on=paid_on, to=None if left else CaseStatus.EXECUTED, met=not late, summary=summary, article=XZCF_66,
               audit_after={"amount": paid, "surcharge": extra, "receipt_no": receipt_no})  # fmt: skip
    return pay


# --- reconsideration and lawsuit -------------------------------------------------------------------------------------------
@transaction.atomic
def remedy_record(*, actor: Any, case: Case, kind: str, filed_on: dt.date, body: str = "", reference: str = "") -> Remedy:
    """The party applied for reconsideration or sued: the surcharge pauses from ``filed_on``."""
    c = core._lock(actor, case, roles=core.WRITE_ROLES + (Role.OFFICE, Role.LEGAL_REVIEWER))
    core._require_state(c, {CaseStatus.SERVED, CaseStatus.ENFORCEMENT, CaseStatus.EXECUTED}, "登记行政复议、行政诉讼")
    if kind not in RemedyKind.values:
        raise ValidationFailed("请选择行政复议或者行政诉讼。", fields={"kind": "请选择行政复议或者行政诉讼。"})
    assert c.decision_served_on is not None
    filed_on = core._day(filed_on, "filed_on", "申请（起诉）日期", not_before=c.decision_served_on, before_label="决定书送达日期")
    if Remedy.objects.filter(case=c, kind=kind, outcome=RemedyOutcome.PENDING).exists():
        raise DomainError(f"本案已有审理中的{RemedyKind(kind).label}。", code="remedy_pending")
    body = (body or "").strip() or (_review_body(c) if kind == RemedyKind.RECONSIDERATION else _court(c))
    r = Remedy.objects.create(case=c, kind=kind, filed_on=filed_on, body=body[:100], reference=(reference or "").strip()[:64], recorded_by=actor)
    core._step(c, actor=actor, action="case.remedy_filed", on=filed_on, summary=f"当事人向{r.body}{'申请行政复议' if kind == RemedyKind.RECONSIDERATION else '提起行政诉讼'}。处罚决定不停止执行，审理期间不加处罚款。",
               article=XZCF_73, audit_after={"remedy": r.pk, "kind": kind})  # fmt: skip
    return r


@transaction.atomic
def remedy_outcome(*, actor: Any, remedy: Remedy, outcome: str, outcome_on: dt.date, varied_fine: Any = None, note: str = "") -> Remedy:
    """The decision or judgment served on ``outcome_on`` (the surcharge pause ends that day).

    Varied: the fine becomes ``varied_fine``. Revoked or void: execution ends (status 处罚决定被撤销).
    Any change stores the publication-withdrawal deadline (3 working days, 行政处罚法 §48) and
    ``CaseExecution.changed_on`` for the publication helper. An upheld reconsideration starts the
    15-day lawsuit period (行政诉讼法 §45)."""
    c = core._lock(actor, remedy.case, roles=core.WRITE_ROLES + (Role.OFFICE, Role.LEGAL_REVIEWER))
    r = Remedy.objects.select_for_update().get(pk=remedy.pk)
    if r.outcome:
        raise DomainError("该复议（诉讼）已登记结果。", code="remedy_decided")
    if outcome not in RemedyOutcome.values or outcome == RemedyOutcome.PENDING:
        raise ValidationFailed("请选择结果。", fields={"outcome": "请选择结果。"})
    outcome_on = core._day(outcome_on, "outcome_on", "复议决定书（裁判文书）送达日期", not_before=r.filed_on, before_label="申请（起诉）日期")
    new_fine = None
    if outcome == RemedyOutcome.VARIED:
        if varied_fine in (None, ""):
            raise ValidationFailed("变更的，请填写变更后的罚款数额。", fields={"varied_fine": "请填写变更后的罚款数额。"})
        new_fine = core._money(varied_fine, "varied_fine", "变更后的罚款数额")
        paid = Payment.objects.filter(case=c).aggregate(f=Sum("fine"))["f"] or ZERO
        if new_fine < paid:
            raise ValidationFailed(f"变更后的罚款{yuan(new_fine)}少于已缴纳的{yuan(paid)}，请先办理退还。", fields={"varied_fine": "少于已缴纳的罚款。"})
    r.outcome, r.outcome_on, r.varied_fine, r.note = outcome, outcome_on, new_fine, (note or "").strip()
    r.save()
    lines = [f"{RemedyKind(r.kind).label}结果：{RemedyOutcome(outcome).label}（{outcome_on:%Y年%-m月%-d日}送达）"]
    to = None
    ex = _execution(c)
    if new_fine is not None:
        lines.append(f"罚款由{yuan(c.fine_total or ZERO)}变更为{yuan(new_fine)}")
        c.fine_total = new_fine
        c.save(update_fields=["fine_total"])
        PaymentPlan.objects.filter(case=c, status__in=[PlanStatus.APPROVED, PlanStatus.PENDING]).update(status=PlanStatus.REFUSED, decision_note="罚款数额已变更，原延期（分期）安排失效")
    if outcome in CHANGING:
        ex.changed_on, ex.change_kind = outcome_on, outcome
        withdrawal = core._store_deadline(c, core._evaluate(c, "publication_withdrawal", outcome_on))
        lines.append(f"已公开的处罚决定信息应于{withdrawal.due:%Y年%-m月%-d日}前撤回（{withdrawal.article}）")
        from anjian.cases.publication import note_decision_changed  # the publication queue shows it (not imported at top: it imports services)

        note_decision_changed(c, changed_on=outcome_on, reason=lines[0], deadline=withdrawal)
    if outcome in ENDING:
        ex.revoked_on = outcome_on
        CaseDeadline.objects.filter(case=c, active=True, met_on__isnull=True).exclude(code="publication_withdrawal").update(met_on=outcome_on)
        if c.status in (CaseStatus.SERVED, CaseStatus.ENFORCEMENT, CaseStatus.EXECUTED):
            to = CaseStatus.REVOKED
        lines.append("处罚决定被撤销或者确认无效，终止执行")
    if r.kind == RemedyKind.RECONSIDERATION and outcome in (RemedyOutcome.UPHELD, RemedyOutcome.VARIED, RemedyOutcome.CONFIRMED_ILLEGAL):
        later = core._store_deadline(c, core._evaluate(c, "lawsuit_after_reconsideration", outcome_on))
        lines.append(f"当事人不服的，可于{later.due:%Y年%-m月%-d日}前提起行政诉讼（{later.article}）")
    ex.save()
    core._step(c, actor=actor, action="case.remedy_outcome", on=outcome_on, to=to, summary="；".join(lines) + "。", article=XZCF_48 if outcome in CHANGING else XZCF_73,
               audit_after={"remedy": r.pk, "outcome": outcome, "varied_fine": new_fine})  # fmt: skip
    return r


# --- demand, reminder, court -----------------------------------------------------------------------------------------------
def _amount_facts(due: Due) -> dict[str, Any]:
    return {
        "fine": written(due.fine_total), "fine_capitals": capitals(due.fine_total), "outstanding": written(due.fine), "surcharge": written(due.surcharge),
        "surcharge_as_of": due.on, "total_due": written(due.total), "total_capitals": capitals(due.total),
    }  # fmt: skip


@transaction.atomic
def demand_issue(*, actor: Any, case: Case, issued_on: dt.date) -> IssuedDocument:
    """罚款催缴通知书: the fine is overdue; states the surcharge accrued to ``issued_on`` (§72)."""
    c = core._lock(actor, case)
    core._require_state(c, {CaseStatus.SERVED}, "制作罚款催缴通知书")
    if not c.fine_total:
        raise DomainError("本案未处罚款，无须执行罚款。", code="no_fine")
    assert c.decision_served_on is not None
    issued_on = core._day(issued_on, "issued_on", "催缴日期", not_before=c.decision_served_on, before_label="决定书送达日期")
    due = amount_due(c, issued_on, actor=actor)
    late = [p for p in due.parts if p.due < issued_on]
    if not late:
        first = due.parts[0].due if due.parts else None
        raise DomainError(f"缴纳期限尚未届满（{first:%Y年%-m月%-d日}），不能催缴。" if first else "罚款已缴清。", code="not_overdue", article=XZCF_72)
    n = IssuedDocument.objects.filter(subject_type=paperwork.SUBJECT_TYPE, subject_id=str(c.pk), kind="fine_demand_notice").count() + 1
    ctx = {
        "party": paperwork.party_facts(c, fields=PARTY_FIELDS, unit_address="registered"), **_decision_facts(c), **_amount_facts(due), "payment_due": late[0].due,
        "daily_surcharge": written(sum((money.round_half_up(p.amount * RATE) for p in late), ZERO)),
    }  # fmt: skip
    doc = paperwork.issue(actor=actor, case=c, kind="fine_demand_notice", context={**ctx, "officers": paperwork.officer_facts(c)}, issued_on=issued_on, act=n)
    step = core._step(c, actor=actor, action="case.fine_demand", on=issued_on, summary=f"催缴罚款{yuan(due.fine)}，截至当日加处罚款{yuan(due.surcharge)}，合计{yuan(due.total)}（{doc.number}）。",
                      article=XZCF_72, audit_after={"document": doc.pk, "total": due.total})  # fmt: skip
    paperwork.attach(step, doc)
    return doc


def remedy_window_end(c: Case, *, actor: Any = None, on: dt.date | None = None) -> dt.date | None:
    """The last day the party could still apply for reconsideration or sue (行政强制法 §53: the
    periods in which the party did not use them): the direct lawsuit period (6 months, 行政诉讼法
    §46) or, after a reconsideration decision, the 15-day lawsuit period (§45), whichever ends later."""
    ends = []
    for code in ("lawsuit_direct", "lawsuit_after_reconsideration"):
        row = core._active_deadline(c, code)
        if row is not None:
            ends.append(core._rely_on(c, row, actor=actor, on=on or core._today()) if actor is not None else row.due)
    return max(ends) if ends else None


def _court_window(c: Case, remedy_end: dt.date) -> CaseDeadline:
    row = core._active_deadline(c, "court_enforcement_application")
    if row is not None and row.trigger_date == remedy_end:
        return row
    return core._store_deadline(c, core._evaluate(c, "court_enforcement_application", remedy_end))


def _lawsuit_used(c: Case) -> Remedy | None:
    return Remedy.objects.filter(case=c, kind=RemedyKind.LAWSUIT).exclude(outcome__in=[RemedyOutcome.WITHDRAWN, RemedyOutcome.NOT_ACCEPTED]).first()


def _road_to_court(c: Case, on: dt.date, *, actor: Any, what: str) -> CaseDeadline:
    """The conditions of 行政强制法 §53 on ``on``: no remedy pending or used in court, the remedy
    periods lapsed, and still inside the 3 months after they lapsed (the window, stored)."""
    pending = _pending_remedy(c)
    if pending is not None:
        raise DomainError(f"{pending.get_kind_display()}审理中（{pending.filed_on:%Y年%-m月%-d日}提出），不能{what}。", code="remedy_pending", article=XZQZF_53)
    if _lawsuit_used(c) is not None:
        raise DomainError(f"当事人已提起行政诉讼，应当依据生效裁判申请执行，不能{what}。", code="lawsuit_used", article=XZQZF_53)
    end = remedy_window_end(c, actor=actor, on=on)
    if end is None:
        raise DomainError("未登记申请复议、提起诉讼的期限（决定书送达时计算），不能办理。", code="no_remedy_window", article=XZQZF_53)
    if on <= end:
        raise DomainError(f"当事人申请行政复议、提起行政诉讼的期限至{end:%Y年%-m月%-d日}届满，届满前不能{what}。", code="remedy_window_open", article=XZQZF_53)
    window = _court_window(c, end)
    if on > window.due:
        raise DomainError(f"申请人民法院强制执行的期限已于{window.due:%Y年%-m月%-d日}届满（期限届满之日起三个月内），不能{what}。", code="court_window_passed", article=window.article)
    return window


@transaction.atomic
def reminder_issue(*, actor: Any, case: Case, issued_on: dt.date) -> IssuedDocument:
    """履行行政决定催告书 (行政强制法 §35, §54): the period, manner, amount and the party's right to
    state and defend; only once the remedy periods lapsed unused and within the court window."""
    c = core._lock(actor, case)
    _in_execution(c, "制作履行行政决定催告书")
    if c.status != CaseStatus.SERVED:
        raise DomainError("已申请人民法院强制执行。", code="enforcement_applied")
    assert c.decision_served_on is not None
    issued_on = core._day(issued_on, "issued_on", "催告日期", not_before=c.decision_served_on, before_label="决定书送达日期")
    ex = _execution(c)
    if ex.reminder_document_id is not None:
        raise DomainError("本案已制作履行行政决定催告书。", code="reminder_exists", article=XZQZF_54)
    due = amount_due(c, issued_on, actor=actor)
    if not any(p.due < issued_on for p in due.parts):
        raise DomainError("当事人尚未逾期不履行，不能催告。", code="not_overdue", article=XZQZF_54)
    window = _road_to_court(c, issued_on, actor=actor, what="催告履行")
    ctx = {
        "party": paperwork.party_facts(c, fields=PARTY_FIELDS, unit_address="registered"), **_decision_facts(c), **_amount_facts(due), "decision_served_on": c.decision_served_on,
        "period_text": "自本催告书送达之日起十日内（工作日）履行",
        "manner": "到指定的银行或者通过电子支付系统缴纳罚款和加处罚款",
    }  # fmt: skip
    doc = paperwork.issue(actor=actor, case=c, kind="performance_reminder", context={**ctx, "officers": paperwork.officer_facts(c)}, issued_on=issued_on)
    ex.reminder_document = doc
    ex.save(update_fields=["reminder_document"])
    step = core._step(c, actor=actor, action="case.reminder", on=issued_on, summary=f"催告履行：应缴{yuan(due.total)}（{doc.number}）。申请人民法院强制执行的期限至{window.due:%Y年%-m月%-d日}。",
                      article=f"{XZQZF_35}；{XZQZF_54}", audit_after={"document": doc.pk})  # fmt: skip
    paperwork.attach(step, doc)
    return doc


@transaction.atomic
def reminder_served(*, actor: Any, case: Case, method: str, event_date: dt.date, recipient: str, refused: bool = False, witness: str = "", consent_ref: str = "") -> CaseDeadline:
    """The reminder is served (proof of service): the 10-working-day period starts (行政强制法 §54,
    §69) and is stored as the case's deadline."""
    c = core._lock(actor, case, roles=core.WRITE_ROLES + (Role.OFFICE,))
    ex = _execution(c)
    if ex.reminder_document is None:
        raise DomainError("尚未制作履行行政决定催告书。", code="no_reminder", article=XZQZF_54)
    if ex.reminder_served_on is not None:
        raise DomainError(f"催告书已于{ex.reminder_served_on:%Y年%-m月%-d日}送达。", code="reminder_served")
    record = documents.service_record(actor=actor, document=ex.reminder_document, method=method, event_date=event_date, recipient=recipient, refused=refused, witness=witness, consent_ref=consent_ref)
    ex.reminder_served_on = record.served_on
    ex.save(update_fields=["reminder_served_on"])
    wait = core._store_deadline(c, core._evaluate(c, "enforcement_reminder_wait", record.served_on))
    core._step(c, actor=actor, action="case.reminder_served", on=record.served_on, deadline=wait,
               summary=f"催告书于{record.served_on:%Y年%-m月%-d日}送达；当事人履行期限至{wait.due:%Y年%-m月%-d日}（{wait.article}），届满仍未履行的，可以申请人民法院强制执行。"
               + (f"原按有误的送达登记计算的期限至{wait.replaces.due:%Y年%-m月%-d日}，已撤回。" if wait.replaces is not None else ""),
               article=wait.article, audit_after={"served_on": record.served_on})  # fmt: skip
    return wait


@transaction.atomic
def enforcement_apply(*, actor: Any, case: Case, applied_on: dt.date) -> IssuedDocument:
    """强制执行申请书 to the court (行政强制法 §53–§55): 10 working days after the reminder was served
    and the party still has not paid, within 3 months after the remedy periods ended, signed by
    the agency head."""
    c = core._lock(actor, case, roles=(Role.LEADER,))
    _in_execution(c, "申请人民法院强制执行")
    if c.status != CaseStatus.SERVED:
        raise DomainError("已申请人民法院强制执行。", code="enforcement_applied")
    ex = _execution(c)
    if ex.reminder_served_on is None or ex.reminder_document is None:
        raise DomainError("申请人民法院强制执行前，应当催告当事人履行义务；催告书尚未送达。", code="reminder_not_served", article=XZQZF_54)
    applied_on = core._day(applied_on, "applied_on", "申请日期", not_before=ex.reminder_served_on, before_label="催告书送达日期")
    wait = core._active_deadline(c, "enforcement_reminder_wait")
    assert wait is not None
    end = core._rely_on(c, wait, actor=actor, on=applied_on)
    if applied_on <= end:
        raise DomainError(f"催告书送达十日后（{end:%Y年%-m月%-d日}届满）当事人仍未履行的，方可申请强制执行。", code="reminder_wait_open", article=wait.article)
    window = _road_to_court(c, applied_on, actor=actor, what="申请人民法院强制执行")
    staff = core._require_head(actor, c, applied_on, what="强制执行申请书的签署", article=XZQZF_55)
    due = amount_due(c, applied_on, actor=actor)
    if due.total <= ZERO:
        raise DomainError("当事人已履行，无须申请强制执行。", code="nothing_due")
    court = _court(c)
    ctx = {
        "court": court, "party": paperwork.party_facts(c, fields=PARTY_FIELDS, unit_address="registered"), **_decision_facts(c), **_amount_facts(due), "decision_served_on": c.decision_served_on,
        "reminder_number": ex.reminder_document.number, "reminder_served_on": ex.reminder_served_on,
        "remedy_statement": "被申请人在法定期限内未申请行政复议或者提起行政诉讼，又不履行行政处罚决定" if not Remedy.objects.filter(case=c).exists()
        else "被申请人申请行政复议后，在法定期限内未提起行政诉讼，又不履行行政处罚决定",
        "head_name": staff.name,
    }  # fmt: skip
    doc = paperwork.issue(actor=actor, case=c, kind="enforcement_application", context={**ctx, "officers": paperwork.officer_facts(c)}, issued_on=applied_on)
    ex.application_document, ex.applied_on, ex.court = doc, applied_on, court[:100]
    ex.save(update_fields=["application_document", "applied_on", "court"])
    CaseDeadline.objects.filter(pk__in=[wait.pk, window.pk]).update(met_on=applied_on)
    step = core._step(c, actor=actor, action="case.enforcement_apply", on=applied_on, to=CaseStatus.ENFORCEMENT, deadline=window, met=True,
                      summary=f"向{court}申请强制执行罚款{yuan(due.fine)}及加处罚款{yuan(due.surcharge)}，合计{yuan(due.total)}（{doc.number}）。",
                      article=f"{XZQZF_53}；{XZQZF_55}", audit_after={"document": doc.pk, "court": court})  # fmt: skip
    paperwork.attach(step, doc)
    return doc


# --- 安全生产法 §112 and §113: offered, never automatic ----------------------------------------------------------------------
@dataclass(frozen=True)
class Offers:
    daily: law_penalties.DailyPenaltyCheck
    closure: law_penalties.ClosureCheck
    daily_case_id: int | None
    closure_requested_on: dt.date | None

    def explain(self) -> dict[str, Any]:
        d, k = self.daily, self.closure
        return {
            "daily_penalty": {
                "offered": bool(d) and self.daily_case_id is None, "eligible": d.eligible, "missing": list(d.missing), "start_date": d.start_date,
                "daily_amount": d.daily_amount, "article": d.article, "taken_case": self.daily_case_id,
                "explanation": (f"被责令改正且受到罚款处罚后拒不改正，可以自作出责令改正决定之日的次日起，按照原处罚数额（{yuan(d.daily_amount)}）按日连续处罚。"
                                if d.eligible and d.daily_amount is not None else "不符合按日连续处罚的条件：" + "；".join(d.missing) + "。"),
            },
            "closure_request": {
                "offered": bool(k) and self.closure_requested_on is None, "triggered": k.triggered, "reasons": list(k.reasons), "article": k.article,
                "requested_on": self.closure_requested_on,
                "explanation": ("可以提请地方人民政府予以关闭：" + "；".join(k.reasons) + "。") if k.triggered else "未出现提请关闭的法定情形。",
            },
        }  # fmt: skip


def offers(case: Case, on: dt.date) -> Offers:
    """安全生产法 §112 (order to correct + fine + refusal to correct) and §113 (grounds to ask for
    closure), from the case's hazard and the unit's decided cases, computed by ``anjian.law``."""
    h = case.hazard
    refused = bool(h is not None and h.status != "closed" and case.decided_on is not None and h.deadline is not None and h.deadline < on)
    daily = law_penalties.daily_penalty_eligible(correction_ordered_on=h.served_on if h is not None else None, fine_amount=case.fine_total, refused_to_correct=refused)
    dates: list[dt.date] = []
    if case.enterprise_id:
        dates = [d for d in Case.objects.filter(enterprise_id=case.enterprise_id, decided_on__isnull=False).exclude(status=CaseStatus.REVOKED).values_list("decided_on", flat=True) if d]
    major = bool(h is not None and h.severity == "major" and h.status != "closed")
    closure = law_penalties.closure_request_triggered(major_hazard=major, penalty_dates=dates, on=on)
    ex = CaseExecution.objects.filter(case=case).values("daily_penalty_case_id", "closure_requested_on").first() or {}
    return Offers(daily, closure, ex.get("daily_penalty_case_id"), ex.get("closure_requested_on"))


@transaction.atomic
def daily_penalty_open(*, actor: Any, case: Case, on: dt.date) -> Case:
    """The offer of 按日连续处罚 taken up: a new case is opened (立案申请) for it, linked here."""
    c = core._lock(actor, case)
    on = core._day(on, "on", "日期", not_before=c.decided_on, before_label="处罚决定日期")
    ex = _execution(c)
    if ex.daily_penalty_case_id is not None:
        raise DomainError("已为本案的拒不改正行为登记按日连续处罚案件。", code="daily_taken", article=AQSCF_112)
    check = offers(c, on).daily
    if not check:
        raise DomainError("不符合按日连续处罚的条件：" + "；".join(check.missing) + "。", code="daily_not_eligible", article=AQSCF_112)
    assert check.daily_amount is not None and check.start_date is not None
    new = core.case_open(
        actor=actor, source="other", title=f"拒不改正按日连续处罚：{c.title}"[:200], enterprise=c.enterprise, person_name=c.person_name,
        person_id_number=c.person_id_number, person_position=c.person_position, person_address=c.person_address, discovered_on=on,
        facts=f"当事人被责令改正并受到罚款处罚（案件{c.pk}，罚款{yuan(check.daily_amount)}）后拒不改正，自{check.start_date:%Y年%-m月%-d日}起按原处罚数额按日连续处罚。",
        source_reason=f"{AQSCF_112}；原案件{c.pk}",
    )  # fmt: skip
    ex.daily_penalty_case = new
    ex.save(update_fields=["daily_penalty_case"])
    core._step(c, actor=actor, action="case.daily_penalty", on=on, summary=f"拒不改正，按日连续处罚另案办理（案件{new.pk}）。", article=AQSCF_112, audit_after={"new_case": new.pk})
    return new


@transaction.atomic
def closure_request_record(*, actor: Any, case: Case, on: dt.date, note: str) -> CaseExecution:
    """The offer of §113 taken up: the agency asked the local government to close the unit."""
    c = core._lock(actor, case, roles=(Role.LEADER, Role.DEPT_HEAD))
    on = core._day(on, "on", "提请日期", not_before=c.decided_on, before_label="处罚决定日期")
    if not (note or "").strip():
        raise ValidationFailed("请写明提请的机关和文号。", fields={"note": "请写明提请的机关和文号。"}, article=AQSCF_113)
    ex = _execution(c)
    if ex.closure_requested_on is not None:
        raise DomainError("已登记提请关闭。", code="closure_taken", article=AQSCF_113)
    check = offers(c, on).closure
    if not check:
        raise DomainError("未出现提请地方人民政府予以关闭的法定情形。", code="closure_not_triggered", article=AQSCF_113)
    ex.closure_requested_on, ex.closure_request_note = on, note.strip()
    ex.save(update_fields=["closure_requested_on", "closure_request_note"])
    core._step(c, actor=actor, action="case.closure_request", on=on, summary="提请地方人民政府予以关闭：" + "；".join(check.reasons) + f"。{ex.closure_request_note[:200]}", article=AQSCF_113)
    return ex
