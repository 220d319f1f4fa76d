"""The documents of the first half of the penalty procedure, filled from the case's records.

From 立案 to the hearing (行政处罚法 §54–§65): every document is built here from what the case
already holds — the party, the violations from the catalogue, the proposal, the deadlines the law
engine computes, the officers and the agency — so nobody retypes a fact. The transitions in
``cases.services`` call the ``*_context`` functions and ``paperwork.issue`` inside their own transaction
(立案审批表, 行政处罚告知书, 陈述申辩笔录, 听证会通知书, 听证笔录, 听证会报告书) and record the document
on their ``CaseStep``; the services below issue the documents made on demand (调查报告, 案件处理呈批表,
the form of the 放弃陈述申辩声明, a separate 听证告知书).

A document is issued once per act (``documents.services.document_issue`` refuses a second): the
on-demand services answer a repeated request with the document already issued.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anjian.cases import paperwork, services
from anjian.cases.choices import CaseSource, CaseStatus, HearingOutcome, PartyType, StatementKind
from anjian.cases.models import Case, CaseStep, CaseViolation, Hearing, Notice, Statement
from anjian.core import audit
from anjian.core.errors import DomainError, ValidationFailed
from anjian.documents import registry
from anjian.documents import selectors as document_selectors
from anjian.documents import services as documents
from anjian.documents.models import IssuedDocument
from anjian.law import penalties as law_penalties
from anjian.law.catalogue import chinese_number, default_catalogue
from anjian.law.deadlines import DeadlineResult
from anjian.law.errors import LawError
from anjian.law.money import amount_capitals, amount_cn, range_cn
from anjian.law.procedure import PenaltyKind

XZCF = "《中华人民共和国行政处罚法》"

# The timeline label of a document made on demand (no state change of its own).
audit.ACTIONS.setdefault("case.document", "制作案件文书")


# --- facts shared by the documents ------------------------------------------------------------------------------
def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


# What the notices and reports state of the party: its name, the one line of its particulars, how
# the notices address it (你单位 / 你, 本单位 / 本人) and, for a unit, the address of its place of business.
PARTY_FIELDS: tuple[paperwork.PartyField, ...] = ("name", "you", "self", "details", "address")


def agency_contact(case: Case) -> str:
    agency = case.owner_agency
    names = "、".join(o["name"] for o in paperwork.officer_facts(case)[:2])
    parts = [f"联系人{names}" if names else f"联系人：{agency.name}承办人员"]
    if agency.phone:
        parts.append(f"电话{agency.phone}")
    if agency.address:
        parts.append(f"地址{agency.address}")
    return "，".join(parts)


def _basis(v: CaseViolation) -> tuple[str, str]:
    """(title, penalty basis) of a violation from the catalogue in force on the act's date."""
    try:
        cv = default_catalogue().violation(v.violation_id, v.act_date)
    except LawError:
        return v.violation_id, v.range_basis.split("；")[0] or v.violation_id
    short = cv.law_name.removeprefix("中华人民共和国")
    title = cv.title
    if v.item is not None:
        item = next((i for i in cv.items if i.item == v.item), None)
        if item is not None:
            title = f"{cv.title}（第{chinese_number(v.item)}项：{item.text}）"
    return title, f"《{cv.law_name}》{cv.citation.removeprefix(short)}"


def _fine_text(amount: Decimal) -> str:
    """A fine in figures and in capitals: 罚款人民币1.5万元（大写：壹万伍仟元整）."""
    return f"罚款人民币{amount_cn(amount)}（大写：{amount_capitals(amount)}）"


def penalty_text(violations: Sequence[CaseViolation]) -> str:
    """The proposed penalty of the whole case: the fines summed (one act, one fine, §29) and the
    other kinds."""
    fined = [v.proposed_amount for v in violations if v.proposed_amount is not None]
    parts = []
    if fined:
        total = sum(fined, Decimal("0.00"))
        parts.append(("合计" if len(fined) > 1 else "") + _fine_text(total))
    kinds = list(dict.fromkeys(k for v in violations for k in v.other_kinds))
    parts += [PenaltyKind(k).label for k in kinds]
    return "，".join(parts) if parts else "不予罚款"


def violation_facts(violations: Sequence[CaseViolation], *, proposed: bool = False) -> list[dict[str, Any]]:
    rows = []
    for v in violations:
        title, basis = _basis(v)
        row: dict[str, Any] = {"violation_id": v.violation_id, "title": title, "basis": basis, "act_date": v.act_date, "circumstances": v.circumstances}
        if proposed:
            parts = [_fine_text(v.proposed_amount)] if v.proposed_amount is not None else []
            parts += [PenaltyKind(k).label for k in v.other_kinds]
            row.update(
                penalty_text="，".join(parts) or "不予罚款",
                amount=v.proposed_amount,
                range_text=range_cn(v.range_min, v.range_max) if v.range_max is not None else "",
                range_basis=v.range_basis,
                reasons=v.reasons,
            )
        rows.append(row)
    return rows


def _period(result: DeadlineResult) -> str:
    return f"{chinese_number(result.amount)}{result.unit.label}"


# --- contexts of the documents issued by the transitions -------------------------------------------------------------
def filing_approval_context(case: Case, *, actor: Any, violations: Sequence[CaseViolation], repeats: Sequence[dt.date]) -> dict[str, Any]:
    """立案审批表: source, party, facts, the limitation (§36) and jurisdiction (§22) checks as done,
    the earlier records, the applicant and the approver with their dates."""
    assert case.filed_on is not None
    limits = []
    for v in violations:
        lim = law_penalties.limitation(
            v.act_date, act_ended_on=v.act_ended_on, life_health_involved=v.life_health_harm, harm_occurred=v.life_health_harm, discovered_on=case.discovered_on
        )
        start = v.act_ended_on or v.act_date
        limits.append(f"{v.violation_id}：违法行为自{start:%Y年%-m月%-d日}起{chinese_number(lim.years)}年内（至{lim.expires_on:%Y年%-m月%-d日}）被发现，未超过追责时效")
    agency = case.owner_agency
    ent = case.enterprise
    if case.party_type == PartyType.UNIT and ent is not None:
        how = "属本机关管理的生产经营单位" if ent.owner_agency_id == agency.pk else "本机关为其执法主体"
        jurisdiction = f"“{ent.name}”{how}，{agency.name}有管辖权（{XZCF}第二十二条）"
    else:
        jurisdiction = f"违法行为发生在{case.jurisdiction.name}，{agency.name}有管辖权（{XZCF}第二十二条）"
    source = CaseSource(case.source).label + (f"：{case.source_reason}" if case.source_reason else "")
    repeat_text = "三年内有同类违法记录：" + "、".join(f"{d:%Y年%-m月%-d日}" for d in repeats) if repeats else "三年内无同类违法记录（初次违法）"
    return {
        "case_title": case.title,
        "party": paperwork.party_facts(case, fields=PARTY_FIELDS),
        "source": source,
        "facts": case.facts,
        "discovered_on": case.discovered_on,
        "violations": violation_facts(violations),
        "limitation": "；".join(limits),
        "jurisdiction": jurisdiction,
        "repeat_text": repeat_text,
        "proposer": audit.actor_name(case.opened_by),
        "proposed_on": _local_date(case.opened_at),
        "approver": audit.actor_name(actor),
        "filed_on": case.filed_on,
        "officers": paperwork.officer_facts(case),
    }


def notice_context(case: Case, notice: Notice, *, defence: DeadlineResult, hearing: DeadlineResult | None = None) -> dict[str, Any]:
    """行政处罚告知书 (§44): facts, violations with their basis, the intended penalty in figures and
    capitals, the defence window (and the hearing window where §63 applies) as the law engine counts
    them (working days, §85) with the end they reach when the notice is served on the day of issue."""
    violations = services._violations(case)
    ctx: dict[str, Any] = {
        "party": paperwork.party_facts(case, fields=PARTY_FIELDS),
        "facts": case.facts,
        "violations": violation_facts(violations, proposed=True),
        "penalty_text": penalty_text(violations),
        "fine_total": notice.fine_total,
        "defence_period": _period(defence),
        "defence_basis": defence.basis,
        # A provisional end (the year's holidays not loaded) is never told to the party.
        "defence_due": None if defence.provisional else defence.date,
        "hearing_offered": notice.hearing_offered,
        "hearing_reasons": notice.hearing_reasons,
        "officers": paperwork.officer_facts(case),
        "agency_contact": agency_contact(case),
    }
    if notice.hearing_offered and hearing is not None:
        ctx.update(hearing_period=_period(hearing), hearing_basis=hearing.basis, hearing_due=None if hearing.provisional else hearing.date)
    return ctx


def defence_record_context(case: Case, notice: Notice, statement: Statement) -> dict[str, Any]:
    """当事人陈述申辩笔录 of an oral statement (§45)."""
    agency = case.owner_agency
    return {
        "party": paperwork.party_facts(case, fields=PARTY_FIELDS),
        "notice_number": notice.document.number if notice.document else "",
        "received_on": statement.received_on,
        "place": agency.address or agency.name,
        "statement_kind": StatementKind(statement.kind).label,
        "content": statement.content,
        "officers": paperwork.officer_facts(case),
    }


def hearing_notice_context(case: Case, hearing: Hearing) -> dict[str, Any]:
    """听证会通知书 (§64 (2)–(4)): date, place, chair, public or not with the reason."""
    return {
        "party": paperwork.party_facts(case, fields=PARTY_FIELDS),
        "requested_on": hearing.requested_on,
        "hearing_date": hearing.hearing_date,
        "place": hearing.place,
        "chair": hearing.chair.name if hearing.chair else "",
        "public": hearing.public,
        "not_public_reason": hearing.not_public_reason,
        "officers": paperwork.officer_facts(case),
        "agency_contact": agency_contact(case),
    }


def hearing_record_context(case: Case, hearing: Hearing) -> dict[str, Any]:
    """听证笔录 (§64(8))."""
    return {
        "case_title": case.title,
        "party": paperwork.party_facts(case, fields=PARTY_FIELDS),
        "held_on": hearing.held_on,
        "place": hearing.place,
        "chair": hearing.chair.name if hearing.chair else "",
        "public": hearing.public,
        "not_public_reason": hearing.not_public_reason,
        "officers": paperwork.officer_facts(case),
        "summary": hearing.summary,
    }


def hearing_report_context(case: Case, hearing: Hearing, *, opinion: str) -> dict[str, Any]:
    """听证会报告书: the outcome and the chair's opinion, on which the decision is made (§65)."""
    return {
        **hearing_record_context(case, hearing),
        "outcome": HearingOutcome(hearing.outcome).label,
        "opinion": opinion,
        "penalty_text": penalty_text(services._violations(case)),
    }


# --- documents made on demand ------------------------------------------------------------------------------------------
ON_DEMAND_STATES = {CaseStatus.FILED, CaseStatus.NOTICE_ISSUED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}


def _on_demand(*, actor: Any, case: Case, kind: str, act: str, build: Any, what: str) -> tuple[IssuedDocument, bool]:
    """Issue a document made on demand, or return the one already issued for the same act
    (a repeated request is answered, not duplicated); recorded on a ``case.document`` step."""
    existing = documents.document_for_act(agency_id=case.owner_agency_id, kind_code=kind, source=paperwork.act_source(case, kind, act))
    if existing is not None:
        return existing, False
    context, issued_on = build()
    doc = paperwork.issue(actor=actor, case=case, kind=kind, context=context, issued_on=issued_on, act=act)
    step = services._step(case, actor=actor, action="case.document", on=issued_on, summary=f"制作《{doc.title}》（{doc.number}）。{what}", article=doc_basis(kind))
    paperwork.attach(step, doc)
    return doc, True


def doc_basis(kind: str) -> str:
    return registry.get(kind).basis


def _proposal_complete(case: Case) -> list[CaseViolation]:
    violations = services._violations(case)
    if case.proposed_on is None or not violations or any(v.proposed_amount is None and not v.other_kinds for v in violations):
        raise DomainError("本案尚未提出完整的拟处罚意见（每项违法行为的罚款数额或其他处罚种类），不能制作该文书。", code="proposal_incomplete", article=f"{XZCF}第五十七条")
    return violations


def _proposal_version(case: Case) -> str:
    """The proposal the document records: a new proposal is a new act (a new report may follow)."""
    return str(CaseStep.objects.filter(case=case, action="case.propose").count())


def _evidence(evidence: str) -> str:
    text = (evidence or "").strip()
    if not text:
        raise ValidationFailed("请写明证据及其证明的事项。", fields={"evidence": "请写明证据及其证明的事项。"}, article=f"{XZCF}第四十条")
    return text


@transaction.atomic
def investigation_report_issue(*, actor: Any, case: Case, evidence: str) -> tuple[IssuedDocument, bool]:
    """调查报告: the facts, the evidence, the violations with their basis and the proposed penalty
    with amounts in figures and capitals, ranges and reasons (行政处罚法 §55, §57)."""
    c = services._lock(actor, case)
    services._require_state(c, ON_DEMAND_STATES, "制作调查报告")
    violations = _proposal_complete(c)
    text = _evidence(evidence)
    today = services._today()

    def build() -> tuple[dict[str, Any], dt.date]:
        return {
            "case_title": c.title,
            "party": paperwork.party_facts(c, fields=PARTY_FIELDS),
            "filed_on": c.filed_on,
            "officers": paperwork.officer_facts(c),
            "facts": c.facts,
            "evidence": text,
            "violations": violation_facts(violations, proposed=True),
            "penalty_text": penalty_text(violations),
            "proposed_on": c.proposed_on,
        }, today

    return _on_demand(actor=actor, case=c, kind="investigation_report", act=_proposal_version(c), build=build, what="")


@transaction.atomic
def handling_approval_issue(*, actor: Any, case: Case, evidence: str = "") -> tuple[IssuedDocument, bool]:
    """案件处理呈批表: the proposal put to the agency's head (§57). The evidence defaults to the
    investigation report's of the same proposal."""
    c = services._lock(actor, case)
    services._require_state(c, ON_DEMAND_STATES, "制作案件处理呈批表")
    violations = _proposal_complete(c)
    version = _proposal_version(c)
    if not (evidence or "").strip():
        report = documents.document_for_act(agency_id=c.owner_agency_id, kind_code="investigation_report", source=paperwork.act_source(c, "investigation_report", version))
        evidence = str(report.context.get("evidence", "")) if report is not None else ""
    text = _evidence(evidence)
    today = services._today()

    def build() -> tuple[dict[str, Any], dt.date]:
        return {
            "case_title": c.title,
            "party": paperwork.party_facts(c, fields=PARTY_FIELDS),
            "facts": c.facts,
            "evidence": text,
            "violations": violation_facts(violations, proposed=True),
            "penalty_text": penalty_text(violations),
            "proposer": audit.actor_name(c.proposed_by),
            "proposed_on": c.proposed_on,
            "officers": paperwork.officer_facts(c),
        }, today

    return _on_demand(actor=actor, case=c, kind="case_handling_approval", act=version, build=build, what="")


def _notice_with_document(c: Case) -> Notice:
    n = services._current_notice(c)
    if n is None or n.document is None:
        raise DomainError("本案尚未制作行政处罚告知书。", code="no_notice", article=f"{XZCF}第四十四条")
    return n


@transaction.atomic
def waiver_form_issue(*, actor: Any, case: Case) -> tuple[IssuedDocument, bool]:
    """The 放弃陈述申辩声明 form, filled from the notice, for the party to sign; the signed scan is
    then recorded by ``services.waiver_record`` (§62: only an express waiver shortens the wait)."""
    c = services._lock(actor, case)
    services._require_state(c, {CaseStatus.NOTICE_ISSUED, CaseStatus.NOTICE_SERVED}, "制作放弃陈述申辩声明")
    n = _notice_with_document(c)
    assert n.document is not None
    today = services._today()

    def build() -> tuple[dict[str, Any], dt.date]:
        return {
            "party": paperwork.party_facts(c, fields=PARTY_FIELDS),
            "notice_number": n.document.number if n.document else "",
            "notice_issued_on": n.issued_on,
            "penalty_text": penalty_text(services._violations(c)),
            "hearing_offered": n.hearing_offered,
            "officers": paperwork.officer_facts(c),
        }, today

    return _on_demand(actor=actor, case=c, kind="waiver_statement", act=str(n.pk), build=build, what="交当事人签署。")


@transaction.atomic
def hearing_right_notice_issue(*, actor: Any, case: Case) -> tuple[IssuedDocument, bool]:
    """A separate 听证告知书 for a case file that expects one. The right itself was told in the
    行政处罚告知书 (§44, §64(1)); this form refers to it and to the same window."""
    c = services._lock(actor, case)
    services._require_state(c, {CaseStatus.NOTICE_ISSUED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING}, "制作听证告知书")
    n = _notice_with_document(c)
    if not n.hearing_offered:
        raise DomainError("本案拟作出的处罚不属于应当告知听证权利的情形。", code="hearing_not_offered", article=f"{XZCF}第六十三条")
    today = services._today()
    trigger = n.served_on or n.issued_on
    window = services._evaluate(c, "hearing_request", trigger)

    def build() -> tuple[dict[str, Any], dt.date]:
        return {
            "party": paperwork.party_facts(c, fields=PARTY_FIELDS),
            "notice_number": n.document.number if n.document else "",
            "penalty_text": penalty_text(services._violations(c)),
            "hearing_reasons": n.hearing_reasons,
            "hearing_period": _period(window),
            "hearing_basis": window.basis,
            "notice_served_on": n.served_on,
            "hearing_due": window.date if n.served_on and not window.provisional else None,
            "officers": paperwork.officer_facts(c),
            "agency_contact": agency_contact(c),
        }, today

    return _on_demand(actor=actor, case=c, kind="hearing_right_notice", act=str(n.pk), build=build, what="")


# --- reads ----------------------------------------------------------------------------------------------------------------
def case_documents(*, user: Any, case: Case) -> QuerySet[IssuedDocument]:
    """Every document of the case the user may read, in the order issued."""
    return document_selectors.document_list(user, paperwork.SUBJECT_TYPE, case.pk).order_by("issued_on", "issued_at", "id")
