"""The documents of the decision stage, built from the case's records and issued inside the
transition that records them (``cases.services``: the collective discussion, the decision, the
summary decision, the referral).

Each builder takes its facts from the records only; what a document must state and the records do
not hold is refused (``documents.facts``: 422 naming each missing fact and its article), and so is
an agency that has not configured its reconsideration body and court (``org.selectors.agency_remedies``)
or, for a fine, where fines are paid (行政处罚法 §67). One document per act: the ``source`` of each
document names the act, so a replayed submit cannot issue a second one (``DocumentExists``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from anjian.cases import paperwork
from anjian.cases.choices import HearingOutcome, PartyType, StatementForm, StatementKind
from anjian.cases.models import Case, CaseViolation, CollectiveDiscussion, Hearing, LegalReview, Notice, Statement, Waiver
from anjian.core.errors import ValidationFailed
from anjian.documents.choices import DocumentStatus
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import cn_date
from anjian.law.catalogue import default_catalogue
from anjian.law.errors import LawError
from anjian.law.money import amount_capitals
from anjian.law.procedure import PenaltyKind
from anjian.org import selectors as org_selectors
from anjian.org.choices import HeadKind, Role
from anjian.org.models import AgencyHead, Membership, Staff

XZCF = "《中华人民共和国行政处罚法》"
XZCF_67 = f"{XZCF}第六十七条"
# §67 ¶3: the party pays within 15 days of receiving the decision (calendar days; LEGAL.md §2).
PAYMENT_DEADLINE = "自收到本决定书之日起十五日内"
# §59 ¶1(1): the party's name, code or ID number, address, representative; a person's unit and post.
PARTY_FIELDS: tuple[paperwork.PartyField, ...] = ("name", "id_number", "position", "address", "unit", "legal_representative", "phone", "uscc")
# One decision per case, whatever its form (unit, person, on the spot): the act all three name.
DECISION_ACT = "penalty_decision"
# The evidence kinds of the case (helper "evidence"), listed on the decision when issued for the case.
EVIDENCE_KINDS = ("interview_record", "survey_record", "sampling_voucher", "preservation_decision")


def _you(case: Case) -> str:
    return "你" if case.party_type == PartyType.PERSON else "你单位"


def _sentence(text: str) -> str:
    text = (text or "").strip()
    return text if not text or text.endswith(("。", "！", "？")) else text + "。"


def _clause(text: str) -> str:
    return (text or "").strip().rstrip("。；，").rstrip(";,")  # a clause ends in the sentence around it


def _violated(case: Case, citation: str) -> str:
    """The provision breached: the one the inspection recorded for the hazard or finding the case
    came from; otherwise the penalty article, which in 安全生产法 chapter 6 names the act."""
    for source in (case.hazard, case.finding):
        if source is not None and (source.legal_basis or "").strip():
            return str(source.legal_basis).strip()
    return citation


def _penalty(v: CaseViolation) -> str:
    kinds = "、".join(PenaltyKind(k).label for k in v.other_kinds)
    if v.proposed_amount is not None:
        fine = f"罚款人民币{v.proposed_amount}元（大写：{amount_capitals(v.proposed_amount)}）"
        return f"给予{kinds}，并处{fine}" if kinds else f"处{fine}"
    return f"给予{kinds}" if kinds else "不予罚款"


def violation_rows(case: Case, violations: Sequence[CaseViolation], on: dt.date) -> list[dict[str, Any]]:
    """One row per violation: the act, the provision breached, the penalty clause, the penalty."""
    catalogue = default_catalogue()
    rows = []
    for v in violations:
        try:
            entry = catalogue.violation(v.violation_id, v.act_date)
        except LawError:
            entry = catalogue.violation(v.violation_id, on)
        text = entry.title
        if v.item:
            text = next((i.text for i in entry.items if i.item == v.item), text)
        citation = f"《{entry.law_name}》" + entry.citation.removeprefix(entry.law_name.removeprefix("中华人民共和国"))
        rows.append(
            {
                "text": text, "violated": _violated(case, citation), "basis": citation, "reasons": _clause(v.reasons),
                "penalty": _penalty(v), "amount": str(v.proposed_amount) if v.proposed_amount is not None else "",
            }
        )  # fmt: skip
    return rows


def _evidence(case: Case, notice: Notice | None) -> list[dict[str, str]]:
    """The evidence on record: the case's evidence documents, the documents of the inspection the
    case came from, the party's statements and the hearing record."""
    out: list[dict[str, str]] = []
    docs = IssuedDocument.objects.filter(subject_type=paperwork.SUBJECT_TYPE, subject_id=str(case.pk), status=DocumentStatus.ISSUED, kind__in=EVIDENCE_KINDS)
    out += [{"text": f"{d.title}（{d.number}）"} for d in docs.order_by("issued_on", "id")]
    inspection = (case.finding.inspection if case.finding_id and case.finding else None) or (case.hazard.inspection if case.hazard_id and case.hazard else None)
    if inspection is not None:
        rec = IssuedDocument.objects.filter(kind="inspection_record", subject_type="inspections.inspection", subject_id=str(inspection.pk), status=DocumentStatus.ISSUED).first()
        if rec is not None:
            out.append({"text": f"{rec.title}（{rec.number}）"})
    if case.hazard_id and case.hazard and case.hazard.order_document_id:
        order = case.hazard.order_document
        assert order is not None
        out.append({"text": f"{order.title}（{order.number}）"})
    if notice is not None:
        for s in Statement.objects.filter(notice=notice).order_by("received_on", "id"):
            out.append({"text": f"当事人{StatementKind(s.kind).label}（{cn_date(s.received_on)}，{StatementForm(s.form).label}）"})
        for h in Hearing.objects.filter(notice=notice, held_on__isnull=False, outcome=HearingOutcome.HELD):
            out.append({"text": f"听证笔录（{cn_date(h.held_on)}）"})
    return out


def _procedure(case: Case, notice: Notice, decided_on: dt.date) -> list[dict[str, str]]:
    """The notice, the statement and defence or hearing, and how they were reviewed (§44, §45, §62–§65)."""
    you = _you(case)
    number = f"（{notice.document.number}）" if notice.document_id and notice.document else ""
    rights = "陈述、申辩和要求听证" if notice.hearing_offered else "陈述、申辩"
    assert notice.served_on is not None
    out = [f"本机关于{cn_date(notice.served_on)}向{you}送达了《行政处罚告知书》{number}，告知{you}拟作出行政处罚的内容及事实、理由、依据，并告知{you}依法享有{rights}的权利。"]
    statements = list(Statement.objects.filter(notice=notice, received_on__lte=decided_on).order_by("received_on", "id"))
    for s in statements:
        out.append(f"{you}于{cn_date(s.received_on)}以{StatementForm(s.form).label}形式提出{StatementKind(s.kind).label}：{_clause(s.content)}。经复核，{_sentence(s.review)}")
    waiver = Waiver.objects.filter(notice=notice, signed_on__lte=decided_on).order_by("signed_on").first()
    if waiver is not None:
        out.append(f"{you}于{cn_date(waiver.signed_on)}书面声明放弃陈述、申辩{'和听证' if waiver.waives_hearing else ''}的权利。")
    hearing = Hearing.objects.filter(notice=notice).order_by("-id").first()
    if hearing is not None:
        text = f"{you}于{cn_date(hearing.requested_on)}要求听证。"
        if hearing.outcome == HearingOutcome.HELD and hearing.held_on:
            text += f"本机关于{cn_date(hearing.held_on)}依法举行了听证：{_sentence(hearing.summary)}"
        elif hearing.outcome:
            text += f"{HearingOutcome(hearing.outcome).label}。"
        out.append(text)
    if not statements and waiver is None and hearing is None:
        out.append(f"{you}在规定期限内未提出陈述、申辩{'，也未要求听证' if notice.hearing_offered else ''}。")
    if LegalReview.objects.filter(case=case, passed=True, reviewed_on__lte=decided_on).exists():
        out.append("本案已经本机关法制审核。")
    if CollectiveDiscussion.objects.filter(case=case, held_on__lte=decided_on).exists():
        out.append("本案已经本机关负责人集体讨论决定。")
    return [{"text": t} for t in out]


def _payment(case: Case, total: Decimal, *, collected_onsite: bool = False) -> dict[str, Any]:
    """Where and by when a fine is paid (§59 ¶1(4), §67); a decision without a fine says so."""
    if not total:
        return {"no_fine": True}
    place = (case.owner_agency.payment_place or "").strip()
    if not place and not collected_onsite:
        raise ValidationFailed(
            f"{case.owner_agency.name}尚未设置罚款缴纳银行或电子缴款渠道，不能作出罚款决定。请系统管理员在管理后台“执法机关”中填写后再决定。",
            code="agency_payment_missing", article=XZCF_67, fields={"payment_place": "请在执法机关设置中填写罚款缴纳银行或电子缴款渠道。"},
        )  # fmt: skip
    return {"fine_total": str(total), "payment_deadline": PAYMENT_DEADLINE, "payment_place": place}


def decision_context(case: Case, notice: Notice, violations: Sequence[CaseViolation], decided_on: dt.date, total: Decimal) -> dict[str, Any]:
    return {
        "party": paperwork.party_facts(case, fields=PARTY_FIELDS, person_address=True),
        "case_title": case.title,
        "facts": _sentence(case.facts),
        "evidence": _evidence(case, notice),
        "violations": violation_rows(case, violations, decided_on),
        "procedure": _procedure(case, notice, decided_on),
        **_payment(case, total),
        **org_selectors.agency_remedies(case.owner_agency),
    }


def decision_issue(*, actor: Any, case: Case, notice: Notice, violations: Sequence[CaseViolation], decided_on: dt.date, total: Decimal) -> IssuedDocument:
    """The 行政处罚决定书 (unit or person) of the decision being made; refused when a fact is missing."""
    kind = "penalty_decision_person" if case.party_type == PartyType.PERSON else "penalty_decision_unit"
    context = decision_context(case, notice, violations, decided_on, total)
    return paperwork.issue(actor=actor, case=case, kind=kind, context=context, issued_on=decided_on, act_kind=DECISION_ACT)


def onsite_decision_issue(*, actor: Any, case: Case, violations: Sequence[CaseViolation], recipient: str, receipt_no: str, collection_impossible_later: bool) -> IssuedDocument:
    """The 当场行政处罚决定书 (§52): officers and certificates, the party, facts, basis, penalty;
    collected on the spot only under §68, with the receipt number."""
    assert case.decided_on is not None
    day = case.decided_on
    officers = paperwork.officer_facts(case)
    p = paperwork.party_facts(case, fields=PARTY_FIELDS, person_address=True)
    p["kind"] = case.party_type
    total = case.fine_total or Decimal("0.00")
    collected = bool(receipt_no) and bool(total)
    ctx: dict[str, Any] = {
        "party": p, "decided_on": day, "officers": officers, "facts": _sentence(case.facts), "violations": violation_rows(case, violations, day),
        "statement": _sentence(case.onsite_statement), "recipient": recipient.strip(), **_payment(case, total, collected_onsite=collected),
        **org_selectors.agency_remedies(case.owner_agency),
    }  # fmt: skip
    if collected:
        ctx.update(collected_onsite=True, receipt_no=receipt_no, onsite_ground="依法给予一百元以下罚款" if not collection_impossible_later else "不当场收缴事后难以执行")
    return paperwork.issue(actor=actor, case=case, kind="penalty_decision_onsite", context=ctx, issued_on=day, act_kind=DECISION_ACT)


def _post(staff: Staff, agency_id: int, day: dt.date) -> str:
    """The attendee's post that day: the membership title, else 机关负责人 for a designated head,
    else the roles the membership grants."""
    m = Membership.objects.valid_on(day).filter(staff=staff, agency_id=agency_id).order_by("-valid_from").first()
    if m is not None and m.title.strip():
        return m.title.strip()
    heads = AgencyHead.objects.filter(agency_id=agency_id, staff=staff, valid_from__lte=day, kind__in=[HeadKind.HEAD, HeadKind.PRINCIPAL_HEAD]).exists()
    if heads:
        return "机关负责人"
    return "、".join(Role(r).label for r in sorted(m.roles)) if m is not None else ""


def collective_record_issue(*, actor: Any, case: Case, discussion: CollectiveDiscussion, recorder: str) -> IssuedDocument:
    """The 集体讨论记录 (§57 ¶2): date, attendees with posts, the case, the conclusion, mitigation."""
    violations = list(case.violations.order_by("act_group", "id"))
    rows = violation_rows(case, violations, discussion.held_on)
    attendees = [{"name": s.name, "post": _post(s, case.owner_agency_id, discussion.held_on)} for s in discussion.attendees.order_by("name", "id")]
    no_post = [a["name"] for a in attendees if not a["post"]]
    if no_post:
        raise ValidationFailed(
            f"参加集体讨论的人员须写明职务：{'、'.join(no_post)}在本机关的任职未登记职务，请先在人员任职中登记。",
            code="attendee_post_missing", article=f"{XZCF}第五十七条第二款", fields={"attendees": "参加人员未登记职务。"},
        )  # fmt: skip
    ctx = {
        "case_title": case.title, "party": {"name": case.party_name}, "held_on": discussion.held_on, "recorder": recorder, "attendees": attendees,
        "summary": _sentence(case.facts), "proposals": [{"text": r["text"], "penalty": r["penalty"]} for r in rows],
        "reasons": [{"text": _clause(r.get("text", ""))} for r in discussion.reasons if isinstance(r, dict) and r.get("text")],
        "conclusion": _sentence(discussion.conclusion),
        "mitigation": "同意减轻处罚（低于法定罚款下限）。" if discussion.approves_mitigation else "不涉及减轻处罚。",
    }  # fmt: skip
    return paperwork.issue(actor=actor, case=case, kind="collective_discussion_record", context=ctx, issued_on=discussion.held_on, act=discussion.pk)


def referral_issue(*, actor: Any, case: Case, on: dt.date) -> IssuedDocument:
    """The 案件移送书 (§27 ¶1): to the judicial authority, with the facts, the reason and the materials."""
    docs = IssuedDocument.objects.filter(subject_type=paperwork.SUBJECT_TYPE, subject_id=str(case.pk), status=DocumentStatus.ISSUED).order_by("issued_on", "id")
    ctx = {
        "referred_to": case.referred_to, "case_title": case.title, "party": {"name": case.party_name}, "filed_on": case.filed_on,
        "facts": _sentence(case.facts), "reason": _sentence(case.end_reason), "referred_on": on,
        "materials": [{"text": f"{d.title}（{d.number}）", "count": "1份"} for d in docs],
    }  # fmt: skip
    return paperwork.issue(actor=actor, case=case, kind="case_referral", context=ctx, issued_on=on)
