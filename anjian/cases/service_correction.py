"""A penalty case's proof of service marked erroneous from the documents register (issue 14 item 4).

A case's statutory periods run from the date a document was served (行政处罚法 §61): the defence and
hearing-request windows from the 行政处罚告知书 (§45, §64(1)), the time to pay and to seek review or
sue from the 行政处罚决定书 (§67; 行政复议法 §20; 行政诉讼法 §46), the ten working days before
applying to the court from the 履行行政决定催告书 (行政强制法 §38, §54). A date of service entered
wrongly cannot keep those periods running, and it cannot simply be replaced either once the party or
the bureau has acted on them. So, when ``documents.services.service_record_mark_erroneous`` marks the
proof of service of a case document erroneous (in its transaction, through the hook registered in
``CasesConfig.ready``):

* while nothing rests on the date yet, the case goes back to the step before the service, the
  service recorded on the case is cleared, the deadlines computed from it are withdrawn (kept, not
  deleted: ``CaseDeadline.withdrawn_at``), and a timeline step and an audit event say so. The next
  service is recorded as usual; the deadlines computed from it name the withdrawn ones
  (``services._store_deadline``), and the case shows the old and the new due date;
* once something rests on it (a statement, a waiver or a hearing request on the notice; a payment,
  a deferral, a review or lawsuit, a demand, a reminder, an application to the court or a request
  for closure on the decision; the application to the court on the reminder), the marking is
  refused with the rule named, and nothing is written;
* the other served kinds of a case start no period of the case: their proof of service is corrected
  freely, except the on-the-spot decision, handed over when it is made (§52), whose date is the
  decision's own and is refused.

``refusal`` is the same check without locks, for the document page (the form is hidden and the
reason shown, as for re-issue).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from anjian.cases import paperwork
from anjian.cases import services as core
from anjian.cases.choices import CaseStatus
from anjian.cases.models import Case, CaseDeadline, Hearing, Notice, Payment, Statement, Waiver
from anjian.cases.models_execution import CaseExecution, PaymentPlan, Remedy
from anjian.core import audit
from anjian.core.errors import DomainError
from anjian.documents.choices import DocumentStatus
from anjian.documents.models import IssuedDocument, ServiceRecord
from anjian.documents.rendering import cn_date
from anjian.org.choices import Role

XZCF = "《中华人民共和国行政处罚法》"
XZQZF = "《中华人民共和国行政强制法》"
NOTICE_RULE = f"{XZCF}第四十五条、第六十一条、第六十四条"
DECISION_RULE = f"{XZCF}第六十一条、第六十七条；《中华人民共和国行政复议法》第二十条；《中华人民共和国行政诉讼法》第四十六条"
REMINDER_RULE = f"{XZQZF}第三十八条、第五十四条"
ONSITE_RULE = f"{XZCF}第五十二条、第六十一条"

# Who corrects a case document's proof of service: those who record it on the case (notice_served,
# decision_served, execution.reminder_served).
ROLES: tuple[str, ...] = (*core.WRITE_ROLES, Role.OFFICE)

audit.ACTIONS.update({"case.service_corrected": "送达登记有误，期限撤回待重新起算"})

NOTICE_KINDS = frozenset({"penalty_notice"})
DECISION_KINDS = frozenset({"penalty_decision_unit", "penalty_decision_person"})
REMINDER_KINDS = frozenset({"performance_reminder"})
# Served kinds of a case whose service starts no period the case counts (their own periods run from
# another act: the preservation decision's 7 working days from the preservation, §56; the hearing
# window from the 告知书's service; a deferral's dates are in the approval itself), and the one kind
# whose date cannot be corrected here. Every served case kind is in exactly one of these sets
# (tests/documents/test_case_service_correction.py).
FREE_KINDS = frozenset(
    {
        "interview_notice", "sampling_voucher", "preservation_notice", "preservation_decision", "hearing_right_notice", "hearing_meeting_notice",
        "fine_demand_notice", "deferral_approval",
    }
)  # fmt: skip
REFUSED_KINDS: dict[str, str] = {
    "penalty_decision_onsite": (
        f"当场行政处罚决定书在作出决定时当场交付当事人，其送达日期即决定日期，缴纳罚款和申请行政复议、提起行政诉讼的期限自该日起算（{ONSITE_RULE}），"
        "不能将送达登记标为有误。如交付确有错误，请与法制审核人员联系。"
    ),
}
PERIOD_KINDS = NOTICE_KINDS | DECISION_KINDS | REMINDER_KINDS
WITHDRAWN_CODES: dict[str, tuple[str, ...]] = {
    "notice": ("defence_statement", "hearing_request"),
    "decision": ("payment", "reconsideration_application", "lawsuit_direct"),
    "reminder": ("enforcement_reminder_wait",),
}


def _cn(day: dt.date | None) -> str:
    return cn_date(day) if day else "—"


def _case_of(document: IssuedDocument) -> Case | None:
    sid = str(document.subject_id or "")
    if document.subject_type != paperwork.SUBJECT_TYPE or not sid.isdigit():
        return None
    return Case.objects.select_related("jurisdiction", "owner_agency", "enterprise").filter(pk=int(sid)).first()


# --- what rests on the date ------------------------------------------------------------------------------------
def _notice_refusal(c: Case, document: IssuedDocument, record: ServiceRecord) -> str:
    n = Notice.objects.filter(case=c, document=document).order_by("-id").first()
    head = f"《{document.title}》{document.number}于{_cn(record.served_on)}送达，陈述申辩期限和申请听证期限自该日起算"
    if n is None or n.pk != getattr(core._current_notice(c), "pk", None):
        return f"{head}；该告知书不是本案现行的告知书，不能更正其送达登记（{NOTICE_RULE}）。"
    acted = []
    if Statement.objects.filter(notice=n, received_on__gte=record.served_on).exists():
        acted.append("陈述、申辩")
    if Waiver.objects.filter(notice=n, signed_on__gte=record.served_on).exists():
        acted.append("书面放弃陈述申辩")
    if Hearing.objects.filter(notice=n, requested_on__gte=record.served_on).exists():
        acted.append("申请听证")
    if acted:
        return f"{head}，当事人已据此{'、'.join(acted)}，不能将送达登记标为有误：期限的起算日须与送达日期一致（{NOTICE_RULE}）。如送达确有错误，请与法制审核人员联系。"
    if c.status != CaseStatus.NOTICE_SERVED:
        return f"{head}，案件已据此进入“{CaseStatus(c.status).label}”，不能将送达登记标为有误（{NOTICE_RULE}）。如送达确有错误，请与法制审核人员联系。"
    stated = [
        d.number
        for d in IssuedDocument.objects.filter(agency_id=c.owner_agency_id, kind="hearing_right_notice", source=paperwork.act_source(c, "hearing_right_notice", n.pk), status=DocumentStatus.ISSUED)
        if d.context.get("notice_served_on")
    ]
    if stated:
        return f"{head}，已制作的听证告知书{'、'.join(stated)}载明了据该日期计算的申请听证期限：请先作废该听证告知书，再将送达登记标为有误（{NOTICE_RULE}）。"
    return ""


def _decision_refusal(c: Case, document: IssuedDocument, record: ServiceRecord) -> str:
    head = f"《{document.title}》{document.number}于{_cn(record.served_on)}送达，缴纳罚款和申请行政复议、提起行政诉讼的期限自该日起算"
    if c.decision_document_id != document.pk:
        return f"{head}；该文书不是本案现行的处罚决定书，不能更正其送达登记（{DECISION_RULE}）。"
    acted = []
    if Payment.objects.filter(case=c).exists():
        acted.append("缴纳罚款")
    if PaymentPlan.objects.filter(case=c).exists():
        acted.append("申请延期（分期）缴纳罚款")
    if Remedy.objects.filter(case=c).exists():
        acted.append("申请行政复议或者提起行政诉讼")
    if IssuedDocument.objects.filter(subject_type=paperwork.SUBJECT_TYPE, subject_id=str(c.pk), kind="fine_demand_notice", status=DocumentStatus.ISSUED).exists():
        acted.append("催缴罚款")
    ex = CaseExecution.objects.filter(case=c).first()
    if ex is not None:
        if ex.reminder_document_id is not None:
            acted.append("催告履行")
        if ex.applied_on is not None:
            acted.append("申请人民法院强制执行")
        if ex.closure_requested_on is not None:
            acted.append("提请关闭")
    if acted:
        return f"{head}，本案已据此办理了后续事项（{'、'.join(acted)}），不能将送达登记标为有误：期限的起算日须与送达日期一致（{DECISION_RULE}）。如送达确有错误，请与法制审核人员联系。"
    if c.status != CaseStatus.SERVED:
        return f"{head}，案件已进入“{CaseStatus(c.status).label}”，不能将送达登记标为有误（{DECISION_RULE}）。如送达确有错误，请与法制审核人员联系。"
    return ""


def _reminder_refusal(c: Case, document: IssuedDocument, record: ServiceRecord) -> str:
    head = f"《{document.title}》{document.number}于{_cn(record.served_on)}送达，申请人民法院强制执行前的十日履行期限自该日起算"
    ex = CaseExecution.objects.filter(case=c).first()
    if ex is None or ex.reminder_document_id != document.pk:
        return f"{head}；该文书不是本案现行的催告书，不能更正其送达登记（{REMINDER_RULE}）。"
    if ex.applied_on is not None:
        return f"{head}，本案已据此于{_cn(ex.applied_on)}申请人民法院强制执行，不能将送达登记标为有误（{REMINDER_RULE}）。如送达确有错误，请与法制审核人员联系。"
    if c.status != CaseStatus.SERVED:
        return f"{head}，案件已进入“{CaseStatus(c.status).label}”，不能将送达登记标为有误（{REMINDER_RULE}）。"
    return ""


_REFUSALS: dict[str, Callable[[Case, IssuedDocument, ServiceRecord], str]] = {
    **{k: _notice_refusal for k in NOTICE_KINDS},
    **{k: _decision_refusal for k in DECISION_KINDS},
    **{k: _reminder_refusal for k in REMINDER_KINDS},
}


def _refusal_for(c: Case | None, document: IssuedDocument, record: ServiceRecord) -> str:
    if document.kind in REFUSED_KINDS:
        return REFUSED_KINDS[document.kind]
    check = _REFUSALS.get(document.kind)
    if check is None:
        return ""
    if c is None:
        return f"《{document.title}》{document.number}所属的案件不存在，不能更正其送达登记。"
    return check(c, document, record)


def refusal(document: IssuedDocument, record: ServiceRecord) -> str:
    """Why ``record`` of a case document cannot be marked erroneous now ("" when it can); read-only,
    for the document page. The hook below makes the same check under the case's lock."""
    if document.subject_type != paperwork.SUBJECT_TYPE:
        return ""
    return _refusal_for(_case_of(document) if document.kind in PERIOD_KINDS else None, document, record)


# --- the correction ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Undo:
    what: str  # the stage's name in the timeline line
    codes: tuple[str, ...]
    to: str | None  # the status before the service (None: the service moved no status)
    rule: str


def _withdraw(c: Case, codes: tuple[str, ...], reason: str) -> list[CaseDeadline]:
    """Deactivate the active deadlines ``codes`` and mark them withdrawn (kept, never deleted)."""
    rows = list(CaseDeadline.objects.select_for_update().filter(case=c, code__in=codes, active=True).order_by("due", "id"))
    now = timezone.now()
    for row in rows:
        row.active, row.withdrawn_at, row.withdrawn_reason = False, now, reason[:300]
        row.save(update_fields=["active", "withdrawn_at", "withdrawn_reason"])
    return rows


def service_corrected(actor: Any, document: IssuedDocument, record: ServiceRecord) -> None:
    """The hook (``documents.services.register_service_correction``): in the marking's transaction,
    undo what the case derived from the erroneous service, or refuse (``DomainError``: the marking
    is rolled back with it)."""
    if document.subject_type != paperwork.SUBJECT_TYPE or (document.kind not in PERIOD_KINDS and document.kind not in REFUSED_KINDS):
        return
    found = _case_of(document)
    if found is None:
        raise DomainError(_refusal_for(None, document, record) or "所属的案件不存在。", code="case_service_correction")
    c = core._lock(actor, found, roles=ROLES)  # another district: 404; another bureau or role: 403
    message = _refusal_for(c, document, record)
    if message:
        raise DomainError(message, code="case_service_correction")
    reason = f"{document.title}{document.number}于{_cn(record.served_on)}的送达登记有误：{record.error_reason}"
    today = core._today()
    before: dict[str, Any]
    if document.kind in NOTICE_KINDS:
        undo = _Undo("告知书", WITHDRAWN_CODES["notice"], CaseStatus.NOTICE_ISSUED, NOTICE_RULE)
        n = core._current_notice(c)
        assert n is not None
        before = {"served_on": n.served_on, "method": n.service_method}
        n.served_on, n.service_method, n.service_event_date, n.service_basis = None, "", None, ""
        n.recipient, n.witness, n.consent_ref = "", "", ""
        n.save(update_fields=["served_on", "service_method", "service_event_date", "service_basis", "recipient", "witness", "consent_ref"])
    elif document.kind in DECISION_KINDS:
        undo = _Undo("决定书", WITHDRAWN_CODES["decision"], CaseStatus.DECIDED, DECISION_RULE)
        before = {"served_on": c.decision_served_on, "method": c.decision_service_method}
        c.decision_served_on, c.decision_service_method, c.decision_service_basis = None, "", ""
        c.save(update_fields=["decision_served_on", "decision_service_method", "decision_service_basis"])
        # The decision is again to be served within the time §61 gives: that deadline runs again.
        CaseDeadline.objects.filter(case=c, code="decision_service", active=True).update(met_on=None)
    else:
        undo = _Undo("催告书", WITHDRAWN_CODES["reminder"], None, REMINDER_RULE)
        ex = CaseExecution.objects.select_for_update().get(case=c)
        before = {"served_on": ex.reminder_served_on}
        ex.reminder_served_on = None
        ex.save(update_fields=["reminder_served_on"])
    rows = _withdraw(c, undo.codes, reason)
    listed = "、".join(f"{r.name}（原至{_cn(r.due)}）" for r in rows) or "无"
    summary = (
        f"{document.title}{document.number}于{_cn(record.served_on)}的送达登记标为有误（{record.error_reason}）。"
        f"据其起算的期限已撤回，待重新登记{undo.what}送达后重新起算：{listed}。"
    )
    core._step(
        c, actor=actor, action="case.service_corrected", on=today, to=undo.to, summary=summary, article=undo.rule,
        audit_after={
            "document": document.number, "service_record": record.pk, "served_on_was": before.get("served_on"), "method_was": before.get("method", ""),
            "withdrawn": [{"code": r.code, "due": r.due} for r in rows],
        },
    )  # fmt: skip


def pending_withdrawn(case: Case) -> list[CaseDeadline]:
    """The deadlines withdrawn with an erroneous service and not yet replaced by a new service (the
    case page shows them as withdrawn, pending a correct service)."""
    return list(CaseDeadline.objects.filter(case=case, withdrawn_at__isnull=False, replaced_by__isnull=True).order_by("due", "id"))
