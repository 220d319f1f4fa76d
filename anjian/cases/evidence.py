"""Evidence of a penalty case (调查取证, 行政处罚法 §54–§56): one service per act.

Every act locks the case, checks that the case is under investigation, that the actor belongs to
the case's team (an active officer of the case, or the head of the enforcement team), that its
dates are facts (not in the future, not before the case was filed), writes the record, issues its
document in the same transaction (``documents.services.document_issue``, source
``case:<id>:<code>:<n>``) and appends a ``CaseStep`` carrying that document to the timeline.

Evidence preservation (先行登记保存, §56): requested by an officer, approved by the agency head
valid that day who is not the requester (``core.duties.require_other_person``); the decision on the
evidence is due within seven working days (§56 "七日内", a working-day count by §85), computed by
``anjian.law`` (rule ``evidence_preservation_decision``) and stored as a ``CaseDeadline``. After
that day the preservation has lapsed: the only decision still recorded is to lift it and return
the items (flagged late); confiscation, transfer, appraisal or seizure are refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from anjian.cases import paperwork
from anjian.cases import services as case_services
from anjian.cases.choices import CaseStatus
from anjian.cases.models import Case, CaseDeadline, CaseOfficer, CaseStep
from anjian.cases.models_evidence import (
    EvidenceFile,
    EvidenceKind,
    InterviewNotice,
    InterviewRecord,
    Preservation,
    PreservationOutcome,
    PreservationStatus,
    Sample,
    SurveyRecord,
)
from anjian.core.duties import require_other_person
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.core.scoping import scope_for
from anjian.core.validators import id_number_error
from anjian.documents.models import IssuedDocument
from anjian.inspections.evidence import inspect_file
from anjian.inspections.services import check_officers
from anjian.org.choices import Role
from anjian.org.models import Staff

XZCF = case_services.XZCF
XZCF_42 = case_services.XZCF_42
XZCF_55 = f"{XZCF}第五十五条"
XZCF_56 = f"{XZCF}第五十六条"
XZCF_56_85 = f"{XZCF}第五十六条、第八十五条"
AQSCF_68 = "《中华人民共和国安全生产法》第六十八条"
# The party as the evidence records name it: a unit by name, address and representative, a person by
# name and ID number.
PARTY_FIELDS: tuple[paperwork.PartyField, ...] = ("name", "address", "id_number", "legal_representative")

# The case is under investigation from filing until the decision (行政处罚法 §54–§56).
INVESTIGATING = (CaseStatus.FILED, CaseStatus.NOTICE_ISSUED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING)
# A preservation already in place is decided on even after the decision was made (confiscation in it).
PRESERVATION_OPEN = (*INVESTIGATING, CaseStatus.DECIDED, CaseStatus.SERVED)
TEAM_HEAD_ROLES = (Role.DEPT_HEAD, Role.LEADER)
RULE = "evidence_preservation_decision"


# --- helpers ----------------------------------------------------------------------------------------------------
def _team_case(actor: Any, case: Case, *, what: str, states: Sequence[str] = INVESTIGATING) -> Case:
    """Lock the case; only its officers (or the team's head) record evidence."""
    c = case_services._lock(actor, case, roles=case_services.WRITE_ROLES + TEAM_HEAD_ROLES)
    case_services._require_state(c, set(states), what)
    scope = scope_for(actor)
    if not scope.has_role(*TEAM_HEAD_ROLES) and not CaseOfficer.objects.filter(case=c, staff_id=scope.staff_id, active=True).exists():
        raise PermissionRefused(f"只有本案的承办人员或执法机构负责人可以{what}。", code="not_case_officer", article=XZCF_42)
    return c


def _floor(c: Case) -> tuple[dt.date, str]:
    """Acts of investigation are done after the case is filed (行政处罚法 §54)."""
    return (c.filed_on, "立案日期") if c.filed_on else (c.discovered_on, "发现日期")


def _day(c: Case, value: Any, field: str, label: str, *, floor: tuple[dt.date, str] | None = None) -> dt.date:
    not_before, before_label = floor or _floor(c)
    return case_services._day(value, field, label, not_before=not_before, before_label=before_label)


def _span(c: Case, started_at: Any, ended_at: Any, what: str) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of an act done on site: aware times, end after start, neither in the
    future, the start not before the case was filed."""
    for key, value, label in (("started_at", started_at, f"{what}开始时间"), ("ended_at", ended_at, f"{what}结束时间")):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            raise ValidationFailed(f"请填写{label}（含时区的日期时间）。", fields={key: f"请填写{label}。"})
        if value > timezone.now():
            raise ValidationFailed(f"{label}不能晚于现在：登记的是已经发生的事实。", fields={key: f"{label}不能晚于现在。"})
    if ended_at <= started_at:
        raise ValidationFailed(f"{what}结束时间须晚于开始时间。", fields={"ended_at": f"{what}结束时间须晚于开始时间。"})
    _day(c, timezone.localtime(started_at).date(), "started_at", f"{what}开始日期")
    return started_at, ended_at


def _text(value: Any, field: str, label: str, *, required: bool = True, limit: int = 0) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if limit and len(text) > limit:
        raise ValidationFailed(f"{label}不能超过{limit}个字。", fields={field: f"不能超过{limit}个字。"})
    return text


def _signature(signer: Any, refusal_note: Any, who: str) -> tuple[str, str]:
    """Signed by the person, or the refusal recorded (安全生产法 §68, the practice of every record)."""
    s, r = str(signer or "").strip()[:64], str(refusal_note or "").strip()
    if not s and not r:
        msg = f"请填写{who}签名，或者记录其拒绝签字的情况。"
        raise ValidationFailed(msg, fields={"signer": msg}, article=AQSCF_68)
    if s and r:
        msg = f"{who}已签名的，不能同时记录拒绝签字。"
        raise ValidationFailed(msg, fields={"refusal_note": msg})
    return s, r


def _officers(c: Case, day: dt.date, officer_ids: Sequence[int] | None, actor: Any) -> list[dict[str, Any]]:
    """At least two of the case's officers holding certificates valid on ``day`` (§42, §55)."""
    active = list(CaseOfficer.objects.filter(case=c, active=True).order_by("order").values_list("staff_id", flat=True))
    ids = list(officer_ids) if officer_ids else active
    others = [i for i in ids if i not in active]
    if others:
        raise ValidationFailed("参与调查取证的执法人员须是本案的承办人员。", fields={"officer_ids": "须是本案的承办人员。"}, article=XZCF_42)
    if len(set(ids)) < 2:
        raise DomainError("执法人员不得少于两人：调查取证须由两名以上持有有效执法证件的承办人员进行。", code="officers_too_few", article=XZCF_42)
    results = check_officers(agency=c.owner_agency, staff_ids=list(dict.fromkeys(ids)), day=day, actor=actor)
    return [{"staff_id": r["staff_id"], "name": r["name"], "certificate_no": r["certificate_number"]} for r in results]


def _names(officers: Sequence[Mapping[str, Any]]) -> str:
    return "、".join(f"{o['name']}（{o['certificate_no']}）" for o in officers)


def _next_seq(model: type[Model], c: Case) -> int:
    return int(model.objects.filter(case=c).aggregate(m=Max("seq"))["m"] or 0) + 1  # type: ignore[attr-defined]


def _remedies(c: Case) -> dict[str, str]:
    """The agency's configured review body and court; refused when not set (never guessed)."""
    from anjian.org.selectors import agency_remedies

    return agency_remedies(c.owner_agency)


def _facts(c: Case, ctx: Mapping[str, Any]) -> dict[str, Any]:
    """An evidence record states the case and its party before its own facts."""
    return {"case_title": c.title, "party": paperwork.party_facts(c, fields=PARTY_FIELDS), **ctx}


def _step(c: Case, *, actor: Any, action: str, on: dt.date, summary: str, article: str, document: IssuedDocument | None = None, **kw: Any) -> CaseStep:
    step = case_services._step(c, actor=actor, action=action, on=on, summary=summary, article=article, **kw)
    if document is not None:
        paperwork.attach(step, document)
    return step


def _items(items: Any) -> list[dict[str, str]]:
    """The things sampled or preserved: a name and a positive quantity each (the voucher's table)."""
    if not isinstance(items, (list, tuple)) or not items:
        raise ValidationFailed("请至少登记一项物品（名称、数量）。", fields={"items": "请至少登记一项物品。"})
    out: list[dict[str, str]] = []
    for i, raw in enumerate(items, start=1):
        if not isinstance(raw, Mapping):
            raise ValidationFailed(f"第{i}项物品格式不正确。", fields={"items": f"第{i}项物品格式不正确。"})
        name = str(raw.get("name") or "").strip()
        if not name:
            raise ValidationFailed(f"请填写第{i}项物品的名称。", fields={"items": f"第{i}项物品缺少名称。"})
        try:
            qty = Decimal(str(raw.get("quantity") or "").strip())
        except (InvalidOperation, ValueError):
            qty = Decimal(0)
        if not qty.is_finite() or qty <= 0 or qty >= Decimal(10) ** 9 or qty != qty.quantize(Decimal("0.001")):
            raise ValidationFailed(f"第{i}项物品（{name[:20]}）的数量须为正数（最多三位小数）。", fields={"items": f"第{i}项物品的数量须为正数。"})
        out.append(
            {"name": name[:100], "spec": str(raw.get("spec") or "").strip()[:100], "quantity": format(qty.normalize(), "f"), "unit": str(raw.get("unit") or "").strip()[:16]}
        )
    return out


def items_text(items: Sequence[Mapping[str, Any]]) -> str:
    return "、".join(f"{it['name']}{(' ' + it['spec']) if it.get('spec') else ''}{it['quantity']}{it.get('unit', '')}" for it in items)


# --- interviews (询问) --------------------------------------------------------------------------------------------
@transaction.atomic
def interview_notice_issue(*, actor: Any, case: Case, interviewee: str, issued_on: dt.date, appointed_at: dt.datetime, place: str, bring: str = "") -> InterviewNotice:
    """询问通知书: who, when, where, what to bring. The appointment is in the future by nature;
    it may not be before the notice is made."""
    c = _team_case(actor, case, what="制作询问通知书")
    issued_on = _day(c, issued_on, "issued_on", "通知日期")
    who = _text(interviewee, "interviewee", "被询问人", limit=100)
    where = _text(place, "place", "接受询问地点", limit=200)
    if not isinstance(appointed_at, dt.datetime) or timezone.is_naive(appointed_at):
        raise ValidationFailed("请填写接受询问的时间。", fields={"appointed_at": "请填写接受询问的时间。"})
    if timezone.localtime(appointed_at).date() < issued_on:
        raise ValidationFailed("接受询问的时间不能早于通知日期。", fields={"appointed_at": "不能早于通知日期。"})
    officers = _officers(c, issued_on, None, actor)
    n = _next_seq(InterviewNotice, c)
    ctx = {"interviewee": who, "appointed_at": appointed_at, "place": where, "bring": (bring or "").strip(), "officers": officers}
    doc = paperwork.issue(actor=actor, case=c, kind="interview_notice", context=_facts(c, ctx), issued_on=issued_on, act=n)
    notice = InterviewNotice.objects.create(
        case=c, seq=n, interviewee=who, issued_on=issued_on, appointed_at=appointed_at, place=where, bring=(bring or "").strip(), document=doc, issued_by=actor
    )
    when = timezone.localtime(appointed_at)
    _step(c, actor=actor, action="case.interview_notice", on=issued_on, document=doc, article=XZCF_55,
          summary=f"通知{who}于{when:%Y年%-m月%-d日%H时%M分}到{where}接受询问（{doc.number}）。")  # fmt: skip
    return notice


@transaction.atomic
def interview_record(
    *,
    actor: Any,
    case: Case,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    name: str,
    content: str,
    id_number: str = "",
    employer: str = "",
    position: str = "",
    phone: str = "",
    address: str = "",
    signer: str = "",
    refusal_note: str = "",
    recorder: str = "",
    officer_ids: Sequence[int] | None = None,
    notice: InterviewNotice | None = None,
) -> InterviewRecord:
    """询问笔录 by at least two of the case's officers whose certificates are valid that day."""
    c = _team_case(actor, case, what="制作询问笔录")
    started_at, ended_at = _span(c, started_at, ended_at, "询问")
    day = timezone.localtime(started_at).date()
    where = _text(place, "place", "询问地点", limit=200)
    who = _text(name, "name", "被询问人姓名", limit=64)
    qa = _text(content, "content", "询问内容（问答）")
    idn = (id_number or "").strip().upper()
    if idn and (err := id_number_error(idn)):
        raise ValidationFailed(f"被询问人身份证号码有误：{err}", fields={"id_number": err})
    if notice is not None and notice.case_id != c.pk:
        raise ValidationFailed("询问通知书不属于本案。", fields={"notice": "不属于本案。"})
    s, r = _signature(signer, refusal_note, "被询问人")
    officers = _officers(c, day, officer_ids, actor)
    n = _next_seq(InterviewRecord, c)
    person = {
        "name": who,
        "id_number": idn,
        "employer": (employer or "").strip()[:100],
        "position": (position or "").strip()[:64],
        "phone": (phone or "").strip()[:32],
        "address": (address or "").strip()[:200],
    }
    ctx = {"started_at": started_at, "ended_at": ended_at, "place": where, "officers": officers, "recorder": (recorder or "").strip()[:64] or officers[-1]["name"],
           "interviewee": person, "content": qa, "signer": s, "refusal_note": r}  # fmt: skip
    doc = paperwork.issue(actor=actor, case=c, kind="interview_record", context=_facts(c, ctx), issued_on=day, act=n)
    rec = InterviewRecord.objects.create(
        case=c, seq=n, notice=notice, started_at=started_at, ended_at=ended_at, place=where, officers=officers, recorder=ctx["recorder"], **person,
        content=qa, signer=s, refusal_note=r, document=doc, recorded_by=actor,
    )  # fmt: skip
    _step(c, actor=actor, action="case.interview", on=day, document=doc, article=f"{XZCF_42}、第五十五条",
          summary=f"询问{who}（{'已签名' if s else '拒绝签字，已记录'}）；执法人员：{_names(officers)}；{doc.number}。")  # fmt: skip
    return rec


# --- site survey (勘验) -------------------------------------------------------------------------------------------
@transaction.atomic
def survey_record(
    *,
    actor: Any,
    case: Case,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    participants: str,
    findings: str,
    witness: str = "",
    signer: str = "",
    refusal_note: str = "",
    officer_ids: Sequence[int] | None = None,
) -> SurveyRecord:
    """勘验笔录: time, place, officers, the party's participant, the witness, what was found."""
    c = _team_case(actor, case, what="制作勘验笔录")
    started_at, ended_at = _span(c, started_at, ended_at, "勘验")
    day = timezone.localtime(started_at).date()
    where = _text(place, "place", "勘验场所", limit=200)
    who = _text(participants, "participants", "当事人或其代理人", limit=200)
    found = _text(findings, "findings", "勘验情况")
    s, r = _signature(signer, refusal_note, "当事人")
    wit = (witness or "").strip()[:100]
    officers = _officers(c, day, officer_ids, actor)
    n = _next_seq(SurveyRecord, c)
    ctx = {
        "started_at": started_at,
        "ended_at": ended_at,
        "place": where,
        "officers": officers,
        "participants": who,
        "witness": wit,
        "findings": found,
        "signer": s,
        "refusal_note": r,
    }
    doc = paperwork.issue(actor=actor, case=c, kind="survey_record", context=_facts(c, ctx), issued_on=day, act=n)
    rec = SurveyRecord.objects.create(case=c, seq=n, started_at=started_at, ended_at=ended_at, place=where, officers=officers, participants=who, witness=wit,
                                      findings=found, signer=s, refusal_note=r, document=doc, recorded_by=actor)  # fmt: skip
    _step(c, actor=actor, action="case.survey", on=day, document=doc, article=f"{XZCF_42}、第五十五条",
          summary=f"在{where}现场勘验；参与人：{who}{('；见证人：' + wit) if wit else ''}；{doc.number}。")  # fmt: skip
    return rec


# --- sampling (抽样取证) ---------------------------------------------------------------------------------------------
@transaction.atomic
def sample_record(
    *,
    actor: Any,
    case: Case,
    sampled_on: dt.date,
    place: str,
    items: Sequence[Mapping[str, Any]],
    signer: str = "",
    refusal_note: str = "",
    officer_ids: Sequence[int] | None = None,
) -> Sample:
    """抽样取证凭证 (行政处罚法 §56): items and quantities, place, the party's signature."""
    c = _team_case(actor, case, what="抽样取证")
    sampled_on = _day(c, sampled_on, "sampled_on", "抽样日期")
    where = _text(place, "place", "抽样地点", limit=200)
    rows = _items(items)
    s, r = _signature(signer, refusal_note, "当事人")
    officers = _officers(c, sampled_on, officer_ids, actor)
    n = _next_seq(Sample, c)
    doc = paperwork.issue(actor=actor, case=c, kind="sampling_voucher", context=_facts(c, {"sampled_on": sampled_on, "place": where, "items": rows, "officers": officers, "signer": s, "refusal_note": r}), issued_on=sampled_on, act=n)
    smp = Sample.objects.create(case=c, seq=n, sampled_on=sampled_on, place=where, items=rows, officers=officers, signer=s, refusal_note=r, document=doc, recorded_by=actor)
    _step(c, actor=actor, action="case.sample", on=sampled_on, document=doc, article=XZCF_56, summary=f"在{where}抽样取证：{items_text(rows)}；{doc.number}。")
    return smp


# --- evidence preservation (先行登记保存) ---------------------------------------------------------------------------
@transaction.atomic
def preservation_request(*, actor: Any, case: Case, requested_on: dt.date, reason: str, place: str, items: Sequence[Mapping[str, Any]]) -> Preservation:
    """An officer asks the agency head to approve a preservation; the reason must say why the
    evidence may be lost or be hard to obtain later (行政处罚法 §56)."""
    c = _team_case(actor, case, what="申请先行登记保存证据")
    requested_on = _day(c, requested_on, "requested_on", "申请日期")
    why = _text(reason, "reason", "先行登记保存的理由（证据可能灭失或者以后难以取得的情形）")
    where = _text(place, "place", "保存地点", limit=200)
    rows = _items(items)
    n = _next_seq(Preservation, c)
    p = Preservation.objects.create(case=c, seq=n, requested_by=actor, requested_on=requested_on, reason=why, place=where, items=rows)
    _step(c, actor=actor, action="case.preservation_request", on=requested_on, article=XZCF_56, summary=f"申请先行登记保存：{items_text(rows)}；理由：{why[:200]}")
    return p


def _lock_preservation(preservation: Preservation) -> Preservation:
    return Preservation.objects.select_for_update(of=("self",)).get(pk=preservation.pk)


@transaction.atomic
def preservation_approve(
    *,
    actor: Any,
    preservation: Preservation,
    approved: bool,
    approved_on: dt.date,
    opinion: str = "",
    preserved_on: dt.date | None = None,
    officer_ids: Sequence[int] | None = None,
) -> Preservation:
    """The agency head valid that day, not the requester, approves or refuses. On approval the
    evidence is registered on ``preserved_on`` by two officers, the notice is issued and the
    seven-working-day clock (§56, §85) is stored as a ``CaseDeadline``."""
    p = _lock_preservation(preservation)
    c = case_services._lock(actor, p.case, roles=(Role.LEADER,))
    case_services._require_state(c, set(INVESTIGATING), "审批先行登记保存证据")
    if p.status != PreservationStatus.PENDING:
        raise DomainError("该先行登记保存申请已审批。", code="already_decided", article=XZCF_56)
    approved_on = _day(c, approved_on, "approved_on", "审批日期", floor=(p.requested_on, "申请日期"))
    head = case_services._require_head(actor, c, approved_on, what="先行登记保存证据", article=XZCF_56)
    require_other_person(p.requested_by, actor, what="先行登记保存证据申请", article=XZCF_56)
    p.approver, p.approved_on, p.opinion = head, approved_on, (opinion or "").strip()[:500]
    if not approved:
        p.status = PreservationStatus.REFUSED
        p.save(update_fields=["approver", "approved_on", "opinion", "status"])
        _step(c, actor=actor, action="case.preservation_approve", on=approved_on, article=XZCF_56, summary=f"{head.name}不予批准第{p.seq}次先行登记保存申请。{p.opinion}")
        return p
    day = _day(c, preserved_on or approved_on, "preserved_on", "登记保存日期", floor=(approved_on, "审批日期"))
    officers = _officers(c, day, officer_ids, None)
    result = case_services._evaluate(c, RULE, day)
    row = case_services._store_deadline(c, replace(result, code=f"{RULE}:{p.seq}"))
    ctx = {"preserved_on": day, "place": p.place, "items": p.items, "officers": officers, "due": row.due, "reason": p.reason, "approver": head.name}
    doc = paperwork.issue(actor=actor, case=c, kind="preservation_notice", context=_facts(c, ctx), issued_on=day, act=p.seq)
    p.status, p.preserved_on, p.officers, p.due, p.notice_document = PreservationStatus.PRESERVED, day, officers, row.due, doc
    p.save(update_fields=["approver", "approved_on", "opinion", "status", "preserved_on", "officers", "due", "notice_document"])
    _step(c, actor=actor, action="case.preservation_approve", on=day, document=doc, article=XZCF_56, deadline=row,
          summary=f"{head.name}批准先行登记保存：{items_text(p.items)}（{p.place}）；应于{row.due:%Y年%-m月%-d日}前作出处理决定（{row.article}）；{doc.number}。")  # fmt: skip
    return p


@transaction.atomic
def preservation_decide(*, actor: Any, preservation: Preservation, outcome: str, decided_on: dt.date, detail: str = "") -> Preservation:
    """先行登记保存证据处理决定 by the agency head. Within the seven working days any handling;
    after them the preservation has lapsed (§56: the party may then dispose of the items), so only
    lifting it and returning the items is recorded, flagged late; anything else is refused."""
    p = _lock_preservation(preservation)
    c = case_services._lock(actor, p.case, roles=(Role.LEADER,))
    case_services._require_state(c, set(PRESERVATION_OPEN), "作出先行登记保存证据处理决定")
    if p.status != PreservationStatus.PRESERVED:
        raise DomainError(f"该先行登记保存处于“{p.get_status_display()}”状态，不能作出处理决定。", code="bad_state", article=XZCF_56)
    assert p.preserved_on is not None and p.due is not None
    if outcome not in PreservationOutcome.values:
        raise ValidationFailed("请选择处理决定。", fields={"outcome": "请选择处理决定。"})
    decided_on = _day(c, decided_on, "decided_on", "处理决定日期", floor=(p.preserved_on, "登记保存日期"))
    case_services._require_head(actor, c, decided_on, what="先行登记保存证据的处理", article=XZCF_56)
    text = (detail or "").strip()
    if outcome != PreservationOutcome.RETURN and not text:
        raise ValidationFailed("请写明处理决定的具体内容（如送交鉴定的机构、移送的部门、没收或查封扣押的物品）。", fields={"detail": "请写明处理内容。"}, article=XZCF_56)
    row = CaseDeadline.objects.filter(case=c, code=f"{RULE}:{p.seq}", active=True).first()
    due = row.due if row is not None else p.due
    late = decided_on > due
    if late and outcome != PreservationOutcome.RETURN:
        raise DomainError(
            f"先行登记保存证据应当在七个工作日内（至{due:%Y年%-m月%-d日}）作出处理决定；逾期未作出的，先行登记保存措施自动解除，"
            f"不能再决定{PreservationOutcome(outcome).label}，只能登记解除保存、退还当事人；需要时依法另行采取措施。",
            code="preservation_lapsed", article=XZCF_56_85,
        )  # fmt: skip
    ctx = {
        "preserved_on": p.preserved_on, "notice_number": p.notice_document.number if p.notice_document else "", "items": p.items,
        "outcome": outcome, "outcome_text": PreservationOutcome(outcome).label, "detail": text, "late": late, "officers": p.officers, **_remedies(c),
    }  # fmt: skip
    doc = paperwork.issue(actor=actor, case=c, kind="preservation_decision", context=_facts(c, ctx), issued_on=decided_on, act=p.seq)
    p.status, p.outcome, p.outcome_detail, p.decided_on, p.decided_late, p.decision_document = PreservationStatus.DECIDED, outcome, text, decided_on, late, doc
    p.save(update_fields=["status", "outcome", "outcome_detail", "decided_on", "decided_late", "decision_document"])
    if row is not None:
        row.met_on = decided_on
        row.save(update_fields=["met_on"])
    late_text = f"；已超过处理期限（{due:%Y年%-m月%-d日}），保存措施已于期满时解除" if late else ""
    _step(c, actor=actor, action="case.preservation_decide", on=decided_on, document=doc, article=XZCF_56_85, deadline=row, met=not late,
          summary=f"先行登记保存证据处理决定：{PreservationOutcome(outcome).label}{('（' + text[:200] + '）') if text else ''}{late_text}；{doc.number}。")  # fmt: skip
    return p


# --- evidence files (证据材料) ---------------------------------------------------------------------------------------
@transaction.atomic
def evidence_file_add(
    *, actor: Any, case: Case, fh: IO[bytes] | None, name: str, kind: str, description: str, source: str, collected_on: dt.date, collector: Staff | None = None
) -> EvidenceFile:
    """A photo, recording or scan, checked by content like inspection evidence (type sniffed from
    the bytes, size limit per kind, SHA-256 kept), with what it proves, where it came from, when
    and by whom it was collected (from the day the violation was discovered)."""
    c = _team_case(actor, case, what="登记证据材料")
    if kind not in EvidenceKind.values:
        raise ValidationFailed("请选择证据类别。", fields={"kind": "请选择证据类别（照片、录音、视频或书证扫描件）。"})
    collected_on = _day(c, collected_on, "collected_on", "收集日期", floor=(c.discovered_on, "发现日期"))
    what = _text(description, "description", "证明对象（说明）", limit=500)
    src = _text(source, "source", "证据来源", limit=200)
    if collector is None:
        collector = case_services._staff_of(actor)
    elif not CaseOfficer.objects.filter(case=c, staff=collector).exists() and collector.pk != scope_for(actor).staff_id:
        raise ValidationFailed("收集人须是本案的承办人员。", fields={"collector": "须是本案的承办人员。"})
    if fh is None:
        raise ValidationFailed("请选择要上传的文件。", fields={"file": "请选择文件。"})
    mime, size, sha = inspect_file(fh, kind=kind, declared_name=name)
    ev = EvidenceFile(case=c, kind=kind, original_name=(name or "file")[:200], content_type=mime, size=size, sha256=sha, description=what, source=src,
                      collected_on=collected_on, collector=collector, uploaded_by=actor)  # fmt: skip
    ev.file.save(sha, File(fh), save=False)
    ev.save()
    _step(c, actor=actor, action="case.evidence_file", on=collected_on, article=XZCF_55,
          summary=f"登记{EvidenceKind(kind).label}“{ev.original_name}”：{what[:200]}（来源：{src}；收集人：{collector.name}；SHA-256：{sha[:16]}…）。",
          audit_after={"sha256": sha, "kind": kind})  # fmt: skip
    return ev
