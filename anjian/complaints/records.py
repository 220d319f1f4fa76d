"""What anjian's own records say about a complaint's grounds (issue 12 item 5: "the records speak").

When a complaint names a case, an inspection or officers, the investigation page shows, per
ground, the facts the system holds — never a conclusion. The investigator decides whether a
ground is substantiated (《行政执法投诉举报制度》第五条); these sections only gather the records he
would otherwise look up one by one:

- 不出示有效的行政执法证件执法: the officers on the day and each certificate's status that day
  (``Certificate.status_on``), next to the check stored when the inspection or case was entered,
  and when a status change with an earlier effective date was entered (the audit trail);
- 不听取陈述申辩或者陈述申辩后加重处罚: each notice (告知书), its service, the windows and their dates,
  the statements and defences recorded, a hearing, and the proposed amount at every stage up to
  the decision (行政处罚法第四十四条、第四十五条第二款);
- 不依法执法或者不依法定程序执法: every deadline of the case, met or missed, and the case-file
  check (案卷评查否决项, LEGAL.md §8); for an inspection, the officers' count and the record's
  signature.

A ``Fact`` may be ``marked``: the record itself shows something outside the rule (a certificate
not valid that day, a deadline missed, a higher amount after the defence). The mark is the
record's, with its rule; it is not a finding on the ground.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from anjian.cases import casefile
from anjian.cases.choices import Procedure
from anjian.cases.models import Case, CaseDeadline, Notice
from anjian.complaints.choices import ComplaintGround, Kind
from anjian.complaints.models import Submission
from anjian.core.models import AuditEvent
from anjian.documents.choices import ServiceMethod, ServiceStatus
from anjian.documents.rendering import cn_date
from anjian.inspections.models import Inspection
from anjian.law.money import amount_cn
from anjian.law.procedure import PenaltyKind
from anjian.org.choices import CertificateEventKind
from anjian.org.models import Certificate, Staff

XZCF_44 = "《中华人民共和国行政处罚法》第四十四条"
XZCF_45 = "《中华人民共和国行政处罚法》第四十五条第二款"
XZCF_42 = "《中华人民共和国行政处罚法》第四十二条"
AQSCF_68 = "《中华人民共和国安全生产法》第六十八条"
INVALIDATING = (CertificateEventKind.SUSPENDED, CertificateEventKind.REVOKED, CertificateEventKind.EXPIRED)
DEFENCE_CODES = ("defence_statement", "hearing_request")
KIND_VALUES = frozenset(k.value for k in PenaltyKind)


@dataclass
class Fact:
    text: str
    marked: bool = False
    article: str = ""


@dataclass
class Section:
    title: str
    source: str  # which record, in words
    url: str = ""
    facts: list[Fact] = field(default_factory=list)

    def add(self, text: str, *, marked: bool = False, article: str = "") -> None:
        self.facts.append(Fact(text, marked, article))


@dataclass
class GroundRecords:
    code: str
    label: str
    sections: list[Section]
    none_reason: str = ""


def _cn(day: dt.date | None) -> str:
    return cn_date(day) if day else "—"


def _clause(text: str, limit: int = 200) -> str:
    """Quoted text inside a sentence: cut, without its own closing punctuation."""
    return text.strip()[:limit].rstrip("。；，！？. ")


def _money(amount: Decimal | None) -> str:
    return amount_cn(amount) if amount is not None else "—"


# --- certificates -----------------------------------------------------------------------------------
def _recorded_at(cert_ids: Iterable[int]) -> dict[tuple[int, str, str], dt.date]:
    """When each certificate status change was entered: (certificate, kind, effective date) →
    the local day of its audit event (org.services.certificate_event_add audits each one)."""
    ids = [str(i) for i in cert_ids]
    out: dict[tuple[int, str, str], dt.date] = {}
    if not ids:
        return out
    rows = AuditEvent.objects.filter(object_type="org.certificate", object_id__in=ids, action="certificate.event").values_list("object_id", "after", "at")
    for obj_id, after, at in rows:
        after = after or {}
        key = (int(obj_id), str(after.get("kind", "")), str(after.get("date", "")))
        out.setdefault(key, timezone.localdate(at))
    return out


def _certificate_facts(section: Section, staff: Staff, cert: Certificate | None, day: dt.date, stored: dict[str, Any] | None, entered: dict[tuple[int, str, str], dt.date]) -> None:
    name = staff.name
    if stored is not None:
        section.add(f"{name}：录入时核验执法证{stored.get('certificate_number') or ''}，结果为“{stored.get('reason') or ('有效' if stored.get('valid') else '无效')}”。")
    if cert is None:
        section.add(f"{name}：系统中没有该日使用的执法证记录。", marked=True, article=XZCF_42)
        return
    events = list(cert.events.all())
    valid, reason = cert.status_on(day, events)
    section.add(
        f"{name}：执法证{cert.number}（{cert.issuer}，有效期{_cn(cert.valid_from)}至{_cn(cert.valid_to)}），按现有记录{_cn(day)}的状态为“{reason}”。",
        marked=not valid,
        article="" if valid else XZCF_42,
    )
    for ev in events:
        if ev.kind not in INVALIDATING and ev.kind != CertificateEventKind.REINSTATED:
            continue
        when = entered.get((cert.pk, ev.kind, ev.date.isoformat()))
        text = f"{name}：执法证{ev.get_kind_display()}，自{_cn(ev.date)}起生效"
        if when is not None:
            text += f"，{_cn(when)}录入系统"
            if ev.date <= day < when:
                text += f"（{_cn(day)}执法时系统中尚无此记录）"
        section.add(text + (f"；{ev.note}" if ev.note else "") + "。")


def _inspection_certificates(insp: Inspection) -> Section:
    section = Section(f"{_cn(insp.inspected_on)}的检查", f"{insp.enterprise.name}，{insp.get_type_display()}", reverse("inspections:detail", args=[insp.pk]))
    rows = list(insp.officers.select_related("staff", "certificate").prefetch_related("certificate__events"))
    stored = {int(c.get("staff_id", 0)): c for c in (insp.certificate_check or []) if isinstance(c, dict)}
    entered = _recorded_at(r.certificate_id for r in rows)
    section.add(f"检查人员{len(rows)}名：{'、'.join(r.staff.name for r in rows) or '—'}。", marked=len(rows) < 2, article=XZCF_42 if len(rows) < 2 else "")
    for r in rows:
        _certificate_facts(section, r.staff, r.certificate, insp.inspected_on, stored.get(r.staff_id), entered)
    return section


def _case_certificates(case: Case) -> Section:
    section = Section("案件承办人员", case.title, reverse("cases:detail", args=[case.pk]))
    rows = list(case.officer_rows.select_related("staff", "certificate").prefetch_related("certificate__events").order_by("order", "id"))
    entered = _recorded_at(r.certificate_id for r in rows if r.certificate_id)
    for r in rows:
        section.add(f"{r.staff.name}：{_cn(r.checked_on)}核验执法证{r.certificate_number}，结果为“{r.check_result}”。")
        _certificate_facts(section, r.staff, r.certificate, r.checked_on, None, entered)
    if not rows:
        section.add("案件没有登记承办人员。", marked=True, article=XZCF_42)
    return section


def _officer_certificates(officers: Sequence[Staff], day: dt.date) -> Section:
    section = Section("被投诉的执法人员", f"按收到投诉之日（{_cn(day)}）")
    certs = list(Certificate.objects.filter(staff__in=officers).select_related("staff").prefetch_related("events").order_by("staff_id", "-valid_to"))
    entered = _recorded_at(c.pk for c in certs)
    by_staff: dict[int, list[Certificate]] = {}
    for c in certs:
        by_staff.setdefault(c.staff_id, []).append(c)
    for o in officers:
        mine = by_staff.get(o.pk, [])
        if not mine:
            section.add(f"{o.name}：系统中没有执法证记录。", marked=True, article=XZCF_42)
        for c in mine:
            _certificate_facts(section, o, c, day, None, entered)
    return section


# --- the defence -------------------------------------------------------------------------------------
def _replacements(deadlines: Iterable[CaseDeadline]) -> dict[int, CaseDeadline]:
    """The row that replaced each withdrawn deadline, by the withdrawn row's id (from the rows read)."""
    return {d.replaces_id: d for d in deadlines if d.replaces_id is not None}


def _deadline_fact(d: CaseDeadline, today: dt.date, *, waived: bool = False, replacements: dict[int, CaseDeadline] | None = None) -> Fact:
    """A deadline of the bureau is met by acting on or before it; a window that protects the
    party (陈述申辩、听证申请) is respected by not deciding before it has run out, unless the party
    waived it in writing (``met_on`` is then the decision's date)."""
    base = f"{d.name}：自{_cn(d.trigger_date)}起算，{_cn(d.due)}届满（{d.article}）"
    if d.provisional:
        base += "，按暂定日历计算"
    if d.withdrawn_at is not None:
        # Withdrawn with the erroneous proof of service it ran from (cases/service_correction.py):
        # neither met nor missed; the row computed on the correct service, if any, is its own fact.
        new = (replacements or {}).get(d.pk)
        then = f"，由自{_cn(new.trigger_date)}起算、{_cn(new.due)}届满的期限替代" if new is not None else "，待重新登记送达后重新起算"
        return Fact(f"{base}；因送达登记有误，于{_cn(timezone.localdate(d.withdrawn_at))}撤回（{d.withdrawn_reason}）{then}。")
    if d.protects_party:
        if d.met_on is None:
            return Fact(f"{base}；{'已届满' if d.due < today else '尚未届满'}，尚未作出决定。")
        early = d.met_on <= d.due
        if early and waived:
            return Fact(f"{base}；当事人书面放弃后，{_cn(d.met_on)}作出决定。")
        return Fact(f"{base}；{_cn(d.met_on)}作出决定{'，在期限届满前' if early else '，在期限届满后'}。", marked=early, article=d.article if early else "")
    if d.met_on is not None:
        late = d.met_on > d.due
        return Fact(f"{base}；{_cn(d.met_on)}办理{'，超过期限' if late else '，在期限内'}。", marked=late, article=d.article if late else "")
    if d.due < today:
        return Fact(f"{base}；至今未办理，已超过期限。", marked=True, article=d.article)
    return Fact(f"{base}；尚未届满。")


def _proposal_text(proposal: Any) -> str:
    """The other kinds of penalty a notice proposed (``Notice.proposal`` items' ``kinds``)."""
    kinds: list[str] = []
    for item in proposal or []:
        for k in (item.get("kinds") or []) if isinstance(item, dict) else []:
            label = PenaltyKind(k).label if k in KIND_VALUES else str(k)
            if label not in kinds:
                kinds.append(label)
    return f"，另拟{'、'.join(kinds)}" if kinds else ""


def _defence(case: Case, today: dt.date) -> Section:
    section = Section("告知、陈述申辩和处罚数额", case.title, reverse("cases:detail", args=[case.pk]))
    if case.procedure == Procedure.SUMMARY:
        section.add(f"简易程序（当场处罚）。当场陈述申辩记录：{case.onsite_statement or '无'}。")
    notices = list(case.notices.select_related("document").prefetch_related("statements", "waivers", "hearings", "document__service_records").order_by("issued_on", "id"))
    if not notices and case.procedure != Procedure.SUMMARY:
        section.add(
            "案件没有行政处罚告知记录。" + ("" if case.decided_on is None else f"处罚决定已于{_cn(case.decided_on)}作出。"), marked=case.decided_on is not None, article=XZCF_44
        )
    windows = [d for d in case.deadlines.all() if d.code in DEFENCE_CODES]
    replacements = _replacements(windows)
    last_served: Notice | None = None
    for n in notices:
        doc = f"（{n.document.number}）" if n.document is not None else ""
        section.add(
            f"{_cn(n.issued_on)}制作行政处罚告知书{doc}：拟罚款合计{_money(n.fine_total)}{_proposal_text(n.proposal)}；{'告知了听证权利' if n.hearing_offered else '未告知听证权利'}。"
        )
        erroneous = [r for r in n.document.service_records.all() if r.status == ServiceStatus.ERRONEOUS] if n.document is not None else []
        for r in sorted(erroneous, key=lambda r: (r.recorded_at, r.pk)):
            marked_on = f"于{_cn(timezone.localdate(r.marked_at))}" if r.marked_at else ""
            section.add(f"告知书曾登记于{_cn(r.served_on)}送达，该登记{marked_on}标为有误（{r.error_reason}），据其计算的期限已撤回。")
        if n.served_on:
            method = str(ServiceMethod(n.service_method).label) if n.service_method in ServiceMethod.values else (n.service_method or "—")
            section.add(f"告知书于{_cn(n.served_on)}送达（{method}{('；' + n.service_basis) if n.service_basis else ''}）。")
            last_served = n
        else:
            section.add("告知书没有送达记录。", marked=case.decided_on is not None, article=XZCF_44 if case.decided_on else "")
        statements = sorted(n.statements.all(), key=lambda s: (s.received_on, s.pk))
        for s in statements:
            review = f"；复核意见：{_clause(s.review)}" if s.review else "；没有复核意见记录"
            section.add(f"{_cn(s.received_on)}收到{s.get_kind_display()}（{s.get_form_display()}）{'，在期限内' if s.in_time else '，超过期限'}：{_clause(s.content)}{review}。")
        if not statements:
            section.add("没有陈述、申辩的记录。")
        for w in n.waivers.all():
            section.add(f"{_cn(w.signed_on)}{w.signer}签署放弃陈述申辩{'和听证' if w.waives_hearing else ''}的声明。")
        for h in n.hearings.all():
            section.add(f"{_cn(h.requested_on)}申请听证" + (f"，{_cn(h.held_on)}举行" if h.held_on else "，尚未举行") + "。")
    waived = any(n.waivers.all() for n in notices)
    for d in sorted(windows, key=lambda d: (d.trigger_date, d.pk)):
        section.facts.append(_deadline_fact(d, today, waived=waived, replacements=replacements))
    trail: list[tuple[dt.date, str, Decimal]] = [(n.issued_on, "告知", n.fine_total) for n in notices]
    trail += [(r.reviewed_on, "法制审核", r.fine_total) for r in case.legal_reviews.all()]
    trail += [(c.held_on, "集体讨论", c.fine_total) for c in case.discussions.all()]
    if case.decided_on and case.fine_total is not None:
        trail.append((case.decided_on, "处罚决定", case.fine_total))
    if trail:
        section.add("罚款合计的变化：" + "；".join(f"{_cn(day)}{what}{_money(amount)}" for day, what, amount in sorted(trail, key=lambda t: t[0])) + "。")
    if last_served is not None and case.decided_on and case.fine_total is not None:
        diff = case.fine_total - last_served.fine_total
        if diff > 0:
            section.add(f"决定的罚款合计比最后送达的告知书多{_money(diff)}。", marked=True, article=XZCF_45)
        elif diff < 0:
            section.add(f"决定的罚款合计比最后送达的告知书少{_money(-diff)}，没有增加。")
        else:
            section.add("决定的罚款合计与最后送达的告知书相同，没有增加。")
    elif case.decided_on is None:
        section.add("案件尚未作出处罚决定。")
    return section


# --- the procedure -----------------------------------------------------------------------------------
def _procedure(case: Case, today: dt.date) -> Section:
    section = Section("案件法定期限和案卷评查", case.title, reverse("cases:detail", args=[case.pk]))
    deadlines = sorted(case.deadlines.all(), key=lambda d: (d.trigger_date, d.due, d.pk))
    active = [d for d in deadlines if d.active]
    withdrawn = [d for d in deadlines if d.withdrawn_at is not None]
    waived = case.waivers.exists()
    for d in active:
        section.facts.append(_deadline_fact(d, today, waived=waived))
    replacements = _replacements(deadlines)
    for d in withdrawn:
        section.facts.append(_deadline_fact(d, today, waived=waived, replacements=replacements))
    replaced = len(deadlines) - len(active) - len(withdrawn)
    if replaced:
        section.add(f"另有{replaced}个期限因重新送达或者批准被替代，保留为历史。")
    if not active:
        section.add("案件没有计算法定期限。")
    items = casefile.veto_check(case)
    failed = casefile.failed_items(items)
    counts = {label: sum(1 for i in items if i.status_label == label) for label in ("通过", "不合格", "无法检查", "不适用")}
    section.add("案卷评查（否决项）：" + "，".join(f"{k}{v}项" for k, v in counts.items() if v) + "。")
    for i in failed:
        section.add(f"{i.title}：{i.message}", marked=True, article=i.article)
    return section


def _inspection_procedure(insp: Inspection) -> Section:
    section = Section(f"{_cn(insp.inspected_on)}的检查", f"{insp.enterprise.name}，{insp.get_type_display()}", reverse("inspections:detail", args=[insp.pk]))
    n = insp.officers.count()
    section.add(f"执法人员{n}名。", marked=n < 2, article=XZCF_42 if n < 2 else "")
    section.add(
        f"检查状态：{insp.get_status_display()}；被检查单位签字情况：{insp.get_party_signature_display()}" + (f"（{insp.refusal_note}）" if insp.refusal_note else "") + "。",
        article=AQSCF_68,
    )
    return section


# --- per ground ---------------------------------------------------------------------------------------
def _case_of(sub: Submission) -> Case | None:
    if sub.case_id is None:
        return None
    return Case.objects.prefetch_related("deadlines", "legal_reviews", "discussions").get(pk=sub.case_id)


def _source_inspection(case: Case | None) -> Inspection | None:
    if case is None or case.finding_id is None:
        return None
    return case.finding.inspection if case.finding else None


def for_submission(sub: Submission, *, today: dt.date | None = None) -> list[GroundRecords]:
    """The records per ground of a conduct complaint that names a case, an inspection or officers.
    Grounds the records cannot speak to (money asked, uncivil words) say so."""
    if sub.kind != Kind.COMPLAINT:
        return []
    today = today or timezone.localdate()
    case = _case_of(sub)
    insp = sub.inspection or _source_inspection(case)
    officers = list(sub.named_officers.all())
    out: list[GroundRecords] = []
    for code in sub.grounds:
        label = str(ComplaintGround(code).label) if code in ComplaintGround.values else code
        sections: list[Section] = []
        reason = ""
        if code == ComplaintGround.NO_CERTIFICATE:
            if insp is not None:
                sections.append(_inspection_certificates(insp))
            if case is not None:
                sections.append(_case_certificates(case))
            if insp is None and case is None and officers:
                sections.append(_officer_certificates(officers, sub.received_on))
            reason = "" if sections else "投诉没有指明检查、案件或者执法人员，系统无可对照的记录。"
        elif code == ComplaintGround.DEFENCE:
            if case is not None:
                sections.append(_defence(case, today))
            reason = "" if sections else "投诉没有指明案件，系统无可对照的告知和陈述申辩记录。"
        elif code == ComplaintGround.PROCEDURE:
            if case is not None:
                sections.append(_procedure(case, today))
            if insp is not None:
                sections.append(_inspection_procedure(insp))
            reason = "" if sections else "投诉没有指明检查或者案件，系统无可对照的程序记录。"
        else:
            reason = "系统记录不涉及该事项，须由承办人调查核实。"
        out.append(GroundRecords(code, label, sections, reason))
    return out


def as_dicts(records: Sequence[GroundRecords]) -> list[dict[str, Any]]:
    return [
        {
            "ground": r.code,
            "label": r.label,
            "note": r.none_reason,
            "sections": [
                {"title": s.title, "source": s.source, "url": s.url, "facts": [{"text": f.text, "marked": f.marked, "article": f.article} for f in s.facts]} for s in r.sections
            ],
        }
        for r in records
    ]
