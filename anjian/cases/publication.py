"""Publication of penalty decisions (处罚决定公开) and credit publicity (信用公示).

The law (LEGAL.md §2, "publication" and "credit publicity"):

* 安全生产法 §78: a decision against a 生产经营单位 is made public within **7 working days** of the
  decision (working days: 行政处罚法 §85). ``publication_queue`` is called by the decision services
  (``services.decision_make``, ``services.case_summary_decide``) and stores that clock.
* 行政处罚法 §48 ¶2: a published decision that is changed, revoked, found unlawful or void is
  withdrawn within **3 working days** (``publication_withdraw``; ``publications_to_withdraw`` lists
  what is still public although its decision was revoked).
* 企业信息公示暂行条例 §6: the penalty is in the enterprise credit publicity system within **20
  working days** (``publication_credit_report``).

Whose decisions are published: decisions against units (§78 names 生产经营单位). A decision against a
natural person (a principal fined under 安全生产法 §94–§97) is **not** queued: §78 does not cover it,
行政处罚法 §48 ¶1 limits publication to decisions "具有一定社会影响", and 个人信息保护法 §13, §28 make a
person's name and identity numbers personal information that is published only where a law
requires it; no rule in LEGAL.md does. Such a case is published only by a separate, reasoned
decision outside this queue.

The text is generated from the case records (decision number, party name, USCC, violations, basis,
penalty, agency, date) and passes through ``redact``: 18-digit identity numbers that pass the GB
11643 check, mobile and fixed phone numbers, and the names of the individuals the case records know
(the party's legal representative, principal and contact, a person party) are removed; only the
unit's name and code stay. An officer prepares it; someone else (科室负责人 or 局领导) releases it
(职责分离, ``core.duties.require_other_person``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from anjian.cases import services
from anjian.cases.choices import PartyType
from anjian.cases.models import Case, CaseDeadline, CaseViolation, Waiver
from anjian.cases.models_publication import Publication, PublicationStatus
from anjian.core import audit
from anjian.core.duties import require_other_person
from anjian.core.errors import DomainError, ValidationFailed
from anjian.core.scoping import require_owner
from anjian.core.validators import id_number_error
from anjian.law.catalogue import default_catalogue
from anjian.law.errors import LawError
from anjian.law.money import amount_cn
from anjian.law.procedure import PenaltyKind
from anjian.org.choices import Role

AQSCF_78 = "《中华人民共和国安全生产法》第七十八条"
XZCF_48 = "《中华人民共和国行政处罚法》第四十八条"
QYXXGS_6 = "《企业信息公示暂行条例》第六条"
PIPL = "《中华人民共和国个人信息保护法》第十三条、第二十八条"

PREPARE_ROLES = (Role.OFFICER, Role.DEPT_HEAD, Role.OFFICE)
RELEASE_ROLES = (Role.DEPT_HEAD, Role.LEADER)
CREDIT_ROLES = (Role.OFFICER, Role.DEPT_HEAD, Role.OFFICE)

audit.ACTIONS.update(
    {
        "publication.queue": "处罚决定列入公开队列",
        "publication.prepare": "制作公开文本",
        "publication.release": "审核发布处罚决定信息",
        "publication.credit": "报送信用信息公示平台",
        "publication.changed": "登记处罚决定被变更或撤销",
        "publication.withdraw": "撤回公开的处罚决定信息",
    }
)

# --- redaction -------------------------------------------------------------------------------------------
ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
ID15_RE = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)\(?0\d{2,3}\)?[- ]?[2-9]\d{6,7}(?!\d)")
# A number written after 电话/手机/联系方式 without an area code.
LABELLED_PHONE_RE = re.compile(r"((?:电话|手机|联系方式|联系电话)(?:号码)?[:：]?\s*)\d[\d -]{5,}\d")
ID_MASK = "[身份证号码已隐去]"
PHONE_MASK = "[电话号码已隐去]"


def _mask_name(name: str) -> str:
    """李四 → 李某; 欧阳小明 → 欧阳某 (a two-character surname when the name has four characters)."""
    surname = name[:2] if len(name) >= 4 else name[:1]
    return f"{surname}某"


def redact(text: str, *, names: Iterable[str] = (), keep: Iterable[str] = ()) -> str:
    """``text`` without identity numbers, phone numbers and the given individuals' names.

    ``keep`` are strings that must survive unchanged (the unit's credit code, the decision number):
    an all-digit USCC would otherwise look like a number to remove.
    """
    kept = [k for k in keep if k]
    placeholders: dict[str, str] = {}
    for i, k in enumerate(sorted(set(kept), key=len, reverse=True)):
        token = f"\x00{i}\x00"
        placeholders[token] = k
        text = text.replace(k, token)

    def ident(m: re.Match[str]) -> str:
        return ID_MASK if id_number_error(m.group(0)) is None else m.group(0)

    text = ID_RE.sub(ident, text)
    text = ID15_RE.sub(ID_MASK, text)
    text = MOBILE_RE.sub(PHONE_MASK, text)
    text = LANDLINE_RE.sub(PHONE_MASK, text)
    text = LABELLED_PHONE_RE.sub(lambda m: m.group(1) + PHONE_MASK, text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, _mask_name(name))
    for token, k in placeholders.items():
        text = text.replace(token, k)
    return text


def personal_data_left(text: str, *, keep: Iterable[str] = ()) -> list[str]:
    """What ``redact`` would still remove from ``text`` (an edited text is checked again)."""
    for k in keep:
        if k:
            text = text.replace(k, "")
    found = [m.group(0) for m in ID_RE.finditer(text) if id_number_error(m.group(0)) is None]
    found += [m.group(0) for m in ID15_RE.finditer(text)]
    found += [m.group(0) for m in MOBILE_RE.finditer(text)]
    found += [m.group(0) for m in LANDLINE_RE.finditer(text)]
    found += [m.group(0) for m in LABELLED_PHONE_RE.finditer(text)]
    return found


def _individual_names(case: Case) -> list[str]:
    names = [case.person_name]
    ent = case.enterprise
    if ent is not None:
        names += [ent.legal_representative, ent.principal, ent.contact_name]
    names += list(Waiver.objects.filter(case=case).values_list("signer", flat=True))
    return [n for n in names if n]


def _decision_number(case: Case) -> str:
    doc = case.decision_document if case.decision_document_id else None
    return doc.number if doc is not None else ""


def _violation_lines(case: Case) -> tuple[list[str], list[str], list[str]]:
    """(违法行为, 处罚依据, 处罚内容) from the case's violations."""
    acts: list[str] = []
    bases: list[str] = []
    penalties: list[str] = []
    catalogue = default_catalogue()
    for v in CaseViolation.objects.filter(case=case).order_by("act_group", "id"):
        try:
            item = catalogue.violation(v.violation_id, v.act_date)
            acts.append(item.title)
            basis = v.range_basis or item.citation
        except LawError:
            acts.append(v.violation_id)
            basis = v.range_basis
        if basis and basis not in bases:
            bases.append(basis)
        parts = [f"罚款{amount_cn(v.proposed_amount)}"] if v.proposed_amount is not None else []
        parts += [PenaltyKind(k).label for k in v.other_kinds if k in {pk.value for pk in PenaltyKind}]
        if parts:
            penalties.append("、".join(parts))
    return acts, bases, penalties


def publication_text(case: Case) -> str:
    """The public text of the decision, made from the case records and redacted."""
    ent = case.enterprise
    assert ent is not None and case.decided_on is not None
    acts, bases, penalties = _violation_lines(case)
    number = _decision_number(case)
    total = f"；罚款合计{amount_cn(case.fine_total)}" if case.fine_total else ""
    d = case.decided_on
    lines = [
        f"行政处罚决定书文号：{number or '（未编号）'}",
        f"被处罚单位：{ent.name}",
        f"统一社会信用代码：{ent.uscc or '（无）'}",
        f"违法行为：{'；'.join(acts) or case.title}",
        f"违法事实：{case.facts.strip()}",
        f"处罚依据：{'；'.join(bases) or '见行政处罚决定书'}",
        f"处罚内容：{'；'.join(penalties) or '见行政处罚决定书'}{total}",
        f"作出处罚决定的机关：{case.owner_agency.name}",
        f"作出处罚决定的日期：{d.year}年{d.month}月{d.day}日",
    ]
    return redact("\n".join(lines), names=_individual_names(case), keep=[ent.uscc or "", number])


# --- the services ----------------------------------------------------------------------------------------
def _store(case: Case, code: str, trigger: dt.date) -> CaseDeadline:
    return services._store_deadline(case, services._evaluate(case, code, trigger))


def publication_queue(*, actor: Any, case: Case) -> Publication | None:
    """Queue the publication of a decision just made (called inside the decision's transaction).

    Decisions against natural persons are not queued (see the module's docstring). The clocks of
    安全生产法 §78 and 企业信息公示暂行条例 §6 start on the decision date and are stored as the case's
    deadlines (rule, calendar version, provisional flag).
    """
    if case.party_type != PartyType.UNIT or case.enterprise_id is None or case.decided_on is None:
        return None
    existing = Publication.objects.filter(case=case).first()
    if existing is not None:
        return existing
    due = _store(case, "publication", case.decided_on)
    credit = _store(case, "credit_publicity", case.decided_on)
    ent = case.enterprise
    assert ent is not None
    p = Publication.objects.create(
        case=case, jurisdiction_id=case.jurisdiction_id, owner_agency_id=case.owner_agency_id, enterprise=ent,
        party_name=ent.name, uscc=ent.uscc or "", decision_number=_decision_number(case), decided_on=case.decided_on,
        agency_name=case.owner_agency.name, district_name=case.jurisdiction.name, text=publication_text(case),
        due_on=due.due, credit_due_on=credit.due,
    )  # fmt: skip
    # Audited on the publication, not a step of the case's timeline: queueing is part of the decision
    # (its step already says so), and the two clocks are the case's stored deadlines.
    audit.record(actor=actor, action="publication.queue", obj=p, after={"due_on": p.due_on, "credit_due_on": p.credit_due_on, "article": f"{AQSCF_78}；{QYXXGS_6}"})
    return p


def _lock(actor: Any, publication: Publication, roles: tuple[str, ...]) -> Publication:
    p = Publication.objects.select_for_update(of=("self",)).select_related("case", "owner_agency").get(pk=publication.pk)
    require_owner(actor, p, roles=roles, what="该处罚决定公开事项")
    return p


def _revoked_on(case: Case) -> dt.date | None:
    """``Case.revoked_on`` when the execution stage has added it (read with getattr)."""
    return getattr(case, "revoked_on", None)


@transaction.atomic
def publication_prepare(*, actor: Any, publication: Publication, on: dt.date, text: str = "") -> Publication:
    """Make (or remake) the public text. Without ``text`` it is generated from the case records; an
    edited text with an identity or phone number is refused (the officer removes it), and the names
    of the individuals the case knows are masked in it."""
    p = _lock(actor, publication, PREPARE_ROLES)
    if p.status not in (PublicationStatus.QUEUED, PublicationStatus.PREPARED):
        raise DomainError(f"该公开事项当前为“{PublicationStatus(p.status).label}”，不能再制作公开文本。", code="bad_state")
    case = Case.objects.select_related("enterprise", "owner_agency", "decision_document").get(pk=p.case_id)
    on = services._day(on, "on", "制作日期", not_before=p.decided_on, before_label="处罚决定日期")
    keep = [p.uscc, _decision_number(case)]
    if (text or "").strip():
        if personal_data_left(text, keep=keep):
            raise ValidationFailed("公开文本中有身份证号码或电话号码，请删除后再提交。", fields={"text": "请删除身份证号码、电话号码等个人信息。"}, article=PIPL)
        body = redact(text.strip(), names=_individual_names(case), keep=keep)
    else:
        body = publication_text(case)
    p.text, p.decision_number, p.prepared_by, p.prepared_on, p.status = body, _decision_number(case), actor, on, PublicationStatus.PREPARED
    p.save(update_fields=["text", "decision_number", "prepared_by", "prepared_on", "status"])
    audit.record(actor=actor, action="publication.prepare", obj=p, after={"status": p.status, "text": p.text[:500]})
    return p


@transaction.atomic
def publication_release(*, actor: Any, publication: Publication, on: dt.date) -> Publication:
    """审核发布: by a 科室负责人 or 局领导 other than who prepared the text; the §78 clock is met or
    recorded as late, never hidden."""
    p = _lock(actor, publication, RELEASE_ROLES)
    if p.status != PublicationStatus.PREPARED:
        raise DomainError("公开文本尚未制作，或已发布、已撤回，不能发布。", code="bad_state", article=AQSCF_78)
    on = services._day(on, "on", "公开日期", not_before=p.prepared_on or p.decided_on, before_label="制作日期")
    require_other_person(p.prepared_by, actor, what="处罚决定公开文本", article=AQSCF_78)
    case = services._lock(actor, p.case, roles=RELEASE_ROLES)
    if _revoked_on(case) is not None or p.decision_changed_on is not None:
        raise DomainError("该处罚决定已被变更或撤销，不能公开。", code="decision_changed", article=XZCF_48)
    row = services._active_deadline(case, "publication")
    met = row is None or on <= row.due
    if row is not None:
        CaseDeadline.objects.filter(pk=row.pk).update(met_on=on)
    p.status, p.released_by, p.released_on = PublicationStatus.RELEASED, actor, on
    p.save(update_fields=["status", "released_by", "released_on"])
    services._step(case, actor=actor, action="publication.release", on=on, deadline=row, met=met if row else None, article=AQSCF_78,
                   summary="处罚决定信息已公开" + ("。" if met else f"（已超过{p.due_on:%Y年%-m月%-d日}的公开期限）。"))  # fmt: skip
    return p


@transaction.atomic
def publication_credit_report(*, actor: Any, publication: Publication, reported_on: dt.date, reference: str = "") -> Publication:
    """The penalty reported to the enterprise credit publicity system (企业信息公示暂行条例 §6)."""
    p = _lock(actor, publication, CREDIT_ROLES)
    if p.credit_reported_on is not None:
        raise DomainError("已登记报送信用信息公示平台。", code="already_reported", article=QYXXGS_6)
    reported_on = services._day(reported_on, "reported_on", "报送日期", not_before=p.decided_on, before_label="处罚决定日期")
    case = services._lock(actor, p.case, roles=CREDIT_ROLES)
    row = services._active_deadline(case, "credit_publicity")
    met = row is None or reported_on <= row.due
    if row is not None:
        CaseDeadline.objects.filter(pk=row.pk).update(met_on=reported_on)
    p.credit_reported_on, p.credit_reference, p.credit_reported_by = reported_on, (reference or "").strip()[:100], actor
    p.save(update_fields=["credit_reported_on", "credit_reference", "credit_reported_by"])
    services._step(case, actor=actor, action="publication.credit", on=reported_on, deadline=row, met=met if row else None, article=QYXXGS_6,
                   summary="已报送企业信用信息公示系统" + (f"（{p.credit_reference}）" if p.credit_reference else "") + ("。" if met else "，已超过二十个工作日期限。"))  # fmt: skip
    return p


def _publication_of(case: Case) -> Publication:
    p = Publication.objects.filter(case=case).first()
    if p is None:
        raise DomainError("该案件没有处罚决定公开事项。", code="no_publication", article=AQSCF_78)
    return p


def note_decision_changed(case: Case, *, changed_on: dt.date, reason: str, deadline: CaseDeadline) -> Publication | None:
    """Called by the stage that records the change (``cases.execution``, a reconsideration or
    lawsuit outcome), inside its transaction and with the withdrawal clock it stored: the
    publication, if any, now shows the change and its withdrawal due date (行政处罚法 §48 ¶2)."""
    p = Publication.objects.select_for_update().filter(case=case).first()
    if p is None or p.status == PublicationStatus.WITHDRAWN:
        return p
    p.decision_changed_on, p.withdrawal_due_on, p.withdrawal_reason = changed_on, deadline.due, reason[:500]
    p.save(update_fields=["decision_changed_on", "withdrawal_due_on", "withdrawal_reason"])
    return p


@transaction.atomic
def publication_decision_changed(*, actor: Any, case: Case, changed_on: dt.date, reason: str) -> Publication:
    """The decision was changed, revoked, found unlawful or void (复议、诉讼、自行纠错): the
    3-working-day withdrawal clock (行政处罚法 §48 ¶2, §85) starts on that day."""
    p = _lock(actor, _publication_of(case), RELEASE_ROLES)
    if p.status == PublicationStatus.WITHDRAWN:
        raise DomainError("公开的处罚决定信息已撤回。", code="already_withdrawn", article=XZCF_48)
    if not (reason or "").strip():
        raise ValidationFailed("请写明处罚决定被变更、撤销或确认无效的情况。", fields={"reason": "请写明情况。"}, article=XZCF_48)
    changed_on = services._day(changed_on, "changed_on", "决定被变更或撤销的日期", not_before=p.decided_on, before_label="处罚决定日期")
    c = services._lock(actor, p.case, roles=RELEASE_ROLES)
    row = _store(c, "publication_withdrawal", changed_on)
    p.decision_changed_on, p.withdrawal_due_on = changed_on, row.due
    p.withdrawal_reason = reason.strip()
    p.save(update_fields=["decision_changed_on", "withdrawal_due_on", "withdrawal_reason"])
    services._step(c, actor=actor, action="publication.changed", on=changed_on, article=XZCF_48,
                   summary=f"{p.withdrawal_reason[:200]}；公开的信息应于{row.due:%Y年%-m月%-d日}前撤回。")  # fmt: skip
    return p


@transaction.atomic
def publication_withdraw(*, actor: Any, case: Case, reason: str, on: dt.date, changed_on: dt.date | None = None) -> Publication:
    """撤回: within 3 working days of the change of the decision (行政处罚法 §48 ¶2). The change
    date is the one recorded by ``publication_decision_changed``, else ``changed_on``, else
    ``Case.revoked_on`` when that field exists, else the withdrawal day itself. A text not yet
    released is withdrawn as well (it will never be published)."""
    p = _lock(actor, _publication_of(case), RELEASE_ROLES)
    if p.status == PublicationStatus.WITHDRAWN:
        raise DomainError("公开的处罚决定信息已撤回。", code="already_withdrawn", article=XZCF_48)
    if not (reason or "").strip():
        raise ValidationFailed("请写明撤回理由。", fields={"reason": "请写明撤回理由。"}, article=XZCF_48)
    c = services._lock(actor, p.case, roles=RELEASE_ROLES)
    trigger = p.decision_changed_on or changed_on or _revoked_on(c)
    if trigger is not None:
        trigger = services._day(trigger, "changed_on", "决定被变更或撤销的日期", not_before=p.decided_on, before_label="处罚决定日期")
    on = services._day(on, "on", "撤回日期", not_before=trigger or p.decided_on, before_label="决定被变更或撤销的日期" if trigger else "处罚决定日期")
    trigger = trigger or on
    row = services._active_deadline(c, "publication_withdrawal")
    if row is None or row.trigger_date != trigger:
        row = _store(c, "publication_withdrawal", trigger)
    met = on <= row.due
    CaseDeadline.objects.filter(pk=row.pk).update(met_on=on)
    CaseDeadline.objects.filter(case=c, active=True, code="publication", met_on__isnull=True).update(met_on=on)
    was = p.status
    p.status, p.withdrawn_on, p.withdrawn_by = PublicationStatus.WITHDRAWN, on, actor
    p.decision_changed_on, p.withdrawal_due_on = trigger, row.due
    p.withdrawal_reason = reason.strip()
    p.save(update_fields=["status", "withdrawn_on", "withdrawn_by", "decision_changed_on", "withdrawal_due_on", "withdrawal_reason"])
    what = "公开的处罚决定信息已撤回" if was == PublicationStatus.RELEASED else "处罚决定尚未公开，已撤销公开事项"
    services._step(c, actor=actor, action="publication.withdraw", on=on, deadline=row, met=met, article=XZCF_48,
                   summary=f"{what}：{p.withdrawal_reason[:200]}" + ("。" if met else f"（已超过{row.due:%Y年%-m月%-d日}的撤回期限）。"))  # fmt: skip
    return p


# --- reads -----------------------------------------------------------------------------------------------
def _has_revoked_field() -> bool:
    return any(f.name == "revoked_on" for f in Case._meta.get_fields())


def publications_to_withdraw(*, user: Any) -> QuerySet[Publication]:
    """Still public (or waiting to be) although the decision was changed or revoked: the rows
    ``publication_withdraw`` must act on, the earliest withdrawal date first."""
    cond = Q(decision_changed_on__isnull=False)
    if _has_revoked_field():
        cond |= Q(case__revoked_on__isnull=False)
    qs = Publication.objects.for_user(user).exclude(status=PublicationStatus.WITHDRAWN).filter(cond)
    return qs.select_related("case").order_by("withdrawal_due_on", "due_on", "id")


def publication_queue_list(*, user: Any, status: str = "") -> QuerySet[Publication]:
    qs = Publication.objects.for_user(user).select_related("prepared_by__staff", "released_by__staff")
    if status in PublicationStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=PublicationStatus.WITHDRAWN)
    return qs.order_by("due_on", "id")


def public_list(*, q: str = "", uscc: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None, district: str = "") -> QuerySet[Publication]:
    """What anyone may see: released and not withdrawn, nothing else."""
    qs = Publication.objects.filter(status=PublicationStatus.RELEASED, withdrawn_on__isnull=True)
    if q:
        qs = qs.filter(party_name__icontains=q)
    if uscc:
        qs = qs.filter(uscc__iexact=uscc)
    if date_from:
        qs = qs.filter(decided_on__gte=date_from)
    if date_to:
        qs = qs.filter(decided_on__lte=date_to)
    if district:
        qs = qs.filter(district_name=district)
    return qs.order_by("-decided_on", "-id")


def public_districts() -> list[str]:
    return list(
        Publication.objects.filter(status=PublicationStatus.RELEASED, withdrawn_on__isnull=True).order_by("district_name").values_list("district_name", flat=True).distinct()
    )
