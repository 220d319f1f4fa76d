"""Complaints and reports: one service per step of the petition procedure (STYLE.md principle 2).

Each service locks the submission, checks the scope (a named officer gets 404 like a stranger), the
owning bureau, the role and the state (``TRANSITIONS``), asks ``anjian.law`` for the clock and
refuses a skipped or late step with the rule in Chinese, writes, and audits (``complaint.*``). The
audit trail is the submission's history (``audit.events_for``).

The seed's 行政执法投诉举报制度: the office receives complaints under the petition rules (第四条),
investigates with the departments concerned, reports the result for the leader's approval and
replies (第五条). The clocks are 信访工作条例 §22–§23 (accept within 15 days), §34 (reply within 60
days of acceptance, +30 with approval), §35–§36 (review and re-review, 30 + 30).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from anjian.cases.models import Case
from anjian.complaints import clocks, selectors
from anjian.complaints.choices import (
    GROUNDS,
    HANDLING,
    TRANSITIONS,
    Channel,
    DeclineReason,
    ExtensionStatus,
    Kind,
    OutcomeKind,
    Status,
    ground_label,
)
from anjian.complaints.models import Attachment, GroundFinding, Outcome, Submission
from anjian.core import audit, crypto
from anjian.core.duties import require_other_person
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.scoping import Scope, get_for_user, scope_for
from anjian.core.validators import date_bounds_error, id_number_error, phone_error
from anjian.documents import services as documents
from anjian.enterprises.models import Enterprise
from anjian.inspections import evidence
from anjian.inspections import services as inspections
from anjian.inspections.choices import InspectionStatus, InspectionType
from anjian.inspections.models import Inspection
from anjian.org.choices import Role
from anjian.org.models import Agency, Department, Membership, Staff

SEED = "《行政执法投诉举报制度》"
SEED_4 = f"{SEED}第四条"
SEED_5 = f"{SEED}第五条"
XFTL = "《信访工作条例》"
XFTL_22 = f"{XFTL}第二十二条、第二十三条"
XFTL_34 = f"{XFTL}第三十四条"
XFTL_35 = f"{XFTL}第三十五条"
XFTL_36 = f"{XFTL}第三十六条"
AQSCF_73 = "《中华人民共和国安全生产法》第七十三条"
AQSCF_73_2 = f"{AQSCF_73}第二款"
DEATHS_MAX = 10000

OFFICE = (Role.OFFICE,)
APPROVE = (Role.LEADER,)
SUMMARY_MAX = 200
CONTENT_MAX = 5000
TEXT_MAX = 5000
REASON_MAX = 500
MAX_ATTACHMENTS = 3

audit.ACTIONS.update(
    {
        "complaint.register": "登记投诉举报",
        "complaint.submit": "网上提交投诉举报",
        "complaint.accept": "受理投诉举报",
        "complaint.decline": "不予受理投诉举报",
        "complaint.refer": "转送投诉举报",
        "complaint.assign": "交办投诉举报",
        "complaint.finding": "记录逐项调查结论",
        "complaint.draft": "拟定调查处理意见",
        "complaint.approve": "批准调查处理意见",
        "complaint.return": "退回调查处理意见",
        "complaint.extension_request": "申请延长办理期限",
        "complaint.extension_decide": "审批延长办理期限",
        "complaint.reply": "答复投诉举报人",
        "complaint.review_request": "登记复查请求",
        "complaint.review_answer": "登记复查意见",
        "complaint.re_review_request": "登记复核请求",
        "complaint.re_review_answer": "登记复核意见",
        "complaint.close": "办结投诉举报",
        "complaint.verify": "举报转现场核查",
        "complaint.outcome": "记录投诉处理结果",
    }
)

# Photos or a scanned PDF, checked by content like evidence (inspections/evidence.py); the public
# page's whole body is bounded by ANJIAN_MAX_ANONYMOUS_BODY_BYTES as well.
ATTACHMENT_KIND = "complaint"
evidence.ATTACHMENT_LIMITS[ATTACHMENT_KIND] = (
    evidence.LIMITS["photo"][0] | evidence.LIMITS["scan"][0],
    int(getattr(settings, "ANJIAN_COMPLAINT_ATTACHMENT_MAX_BYTES", 1024 * 1024)),
)
evidence.LABELS[ATTACHMENT_KIND] = "附件（照片或PDF文件）"


# --- small helpers ---------------------------------------------------------------------------------
def _today() -> dt.date:
    return timezone.localdate()


def _cn(day: dt.date) -> str:
    return f"{day:%Y年%-m月%-d日}"


def _day(value: Any, field: str, label: str, *, not_before: dt.date | None = None, before_label: str = "") -> dt.date:
    """A fact's date: a date, not after today, within the plausible range, not before what it follows."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationFailed(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if value > _today():
        raise ValidationFailed(f"{label}不能晚于今天：登记的是已经发生的事实。", fields={field: f"{label}不能晚于今天。"})
    if msg := date_bounds_error(value, "fact"):
        raise ValidationFailed(msg, fields={field: msg})
    if not_before is not None and value < not_before:
        text = f"{label}不能早于{before_label}（{_cn(not_before)}）。"
        raise ValidationFailed(text, fields={field: text})
    return value


def _text(value: Any, field: str, label: str, *, max_len: int, required: bool = True) -> str:
    s = str(value or "").strip()
    if required and not s:
        raise ValidationFailed(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if len(s) > max_len:
        raise ValidationFailed(f"{label}不超过{max_len}个字。", fields={field: f"不超过{max_len}个字。"})
    # Line breaks and spaces are text here; zero-width and control characters are not.
    hidden = [i for i, ch in enumerate(s, start=1) if unicodedata.category(ch) in ("Cf", "Cc") and ch not in "\n\r\t"]
    if hidden:
        msg = f"{label}中有看不见的字符（第{hidden[0]}位），请删除后重新填写。"
        raise ValidationFailed(msg, fields={field: msg})
    return s


def _lock(sub: Submission) -> Submission:
    return Submission.objects.select_for_update(of=("self",)).select_related("jurisdiction", "owner_agency").get(pk=sub.pk)


def _require(actor: Any, sub: Submission, *, roles: Sequence[str] = (), handler_ok: bool = False, what: str) -> Scope:
    """Scope (404 outside it or for a named officer), owning bureau (403), then role or handler (403)."""
    scope = scope_for(actor)
    if not scope.is_member or sub.jurisdiction_id not in scope.jurisdiction_ids or selectors.is_named(actor, sub):
        raise NotFound()
    if scope.agency_id != sub.owner_agency_id:
        raise PermissionRefused(f"该投诉举报由{sub.owner_agency.name}办理，本机关只能查看，不能{what}。", code="not_owner")
    if handler_ok and scope.staff_id is not None and scope.staff_id == sub.handler_id:
        return scope
    if not scope.has_role(*roles):
        who = "办公室" if tuple(roles) == OFFICE else ("局领导" if tuple(roles) == APPROVE else "有权人员")
        raise PermissionRefused(f"{what}由{who}{'或者承办人' if handler_ok else ''}办理（{SEED_4}、第五条）。", code="role_refused")
    return scope


def _state(sub: Submission, allowed: Iterable[str], what: str) -> None:
    allowed = set(allowed)
    if sub.status not in allowed:
        names = "、".join(Status(s).label for s in Status.values if s in allowed)
        raise DomainError(f"该投诉举报当前为“{sub.get_status_display()}”，不能{what}（须处于：{names}）。", code="bad_state")


def _next_due(sub: Submission) -> dt.date | None:
    """The due date of the bureau's next act: acceptance (信访工作条例第二十二条) while registered,
    the reply (第三十四条) while handled; none after the reply (the review is the higher body's)."""
    if sub.status == Status.REGISTERED:
        return clocks.acceptance_due(sub).date
    if sub.status in HANDLING:
        due = clocks.handling_due(sub)
        return due.date if due else None
    return None


def _move(sub: Submission, to: str, *, actor: Any, action: str, fields: Sequence[str], after: dict[str, Any] | None = None, note: str = "") -> None:
    frm = sub.status
    if to != frm:
        if to not in TRANSITIONS[frm]:
            raise DomainError(f"该投诉举报当前为“{Status(frm).label}”，不能转为“{Status(to).label}”。", code="bad_transition")
        sub.status = to
    sub.next_due = _next_due(sub)
    sub.save(update_fields=[*fields, "status", "next_due"])
    audit.record(actor=actor, action=action, obj=sub, before={"status": frm}, after={"status": sub.status, **(after or {})}, note=note[:500])


def _agency_of(scope: Scope) -> Agency:
    return Agency.objects.select_related("jurisdiction").get(pk=scope.agency_id)


# --- the tracking code ------------------------------------------------------------------------------
# 31 characters without look-alikes (no 0/O, 1/I/L); 16 of them ≈ 79 bits: unguessable, and the
# public lookup is rate-limited besides.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LEN = 16


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LEN))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LEN, 4))


def normalise_code(value: str) -> str:
    return "".join(ch for ch in str(value or "").upper() if ch.isalnum())[: CODE_LEN * 2]


def tracking_digest(code: str) -> str:
    """The keyed hash stored instead of the code (HMAC under the blind-index key)."""
    return hmac.new(crypto.index_key(), f"track:{normalise_code(code)}".encode(), hashlib.sha256).hexdigest()


# --- registration ----------------------------------------------------------------------------------
def _grounds(kind: str, grounds: Any) -> list[str]:
    choices = GROUNDS[kind]
    values = [str(g) for g in (grounds or [])]
    if not values:
        raise ValidationFailed("请至少选择一项投诉举报事项。", fields={"grounds": "请至少选择一项。"})
    bad = [g for g in values if g not in choices.values]
    if bad:
        raise ValidationFailed("投诉举报事项不在所列范围内。", fields={"grounds": f"无效的事项：{'、'.join(bad[:3])}。"})
    return [g for g in choices.values if g in values]  # the catalogue's order, once each


def _submitter(anonymous: bool, name: str, id_number: str, phone: str, address: str) -> dict[str, str]:
    name = _text(name, "submitter_name", "姓名", max_len=64, required=False)
    id_number = "".join(str(id_number or "").split()).upper()
    phone = str(phone or "").strip()
    address = _text(address, "submitter_address", "通讯地址", max_len=200, required=False)
    errors: dict[str, str] = {}
    if anonymous:
        # An anonymous submission keeps nothing that identifies the submitter.
        return {"submitter_name": "", "submitter_id_number": "", "submitter_phone": "", "submitter_address": ""}
    if not name:
        errors["submitter_name"] = "署名投诉举报的，请填写姓名；不愿署名的，请选择匿名。"
    if id_number and (msg := id_number_error(id_number)):
        errors["submitter_id_number"] = msg
    if phone and (msg := phone_error(phone)):
        errors["submitter_phone"] = msg
    if not phone and not address:
        errors["submitter_phone"] = "请至少留下联系电话或者通讯地址，以便答复。"
    if errors:
        raise ValidationFailed("投诉举报人信息有误。", fields=errors)
    return {"submitter_name": name, "submitter_id_number": id_number, "submitter_phone": phone, "submitter_address": address}


def _attach(sub: Submission, files: Sequence[tuple[IO[bytes], str]]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationFailed(f"附件最多{MAX_ATTACHMENTS}个。", fields={"attachments": f"附件最多{MAX_ATTACHMENTS}个。"})
    for fh, name in files:
        try:
            mime, size, digest = evidence.inspect_attachment(fh, declared_name=name, kind=ATTACHMENT_KIND)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, fields={"attachments": exc.fields.get("file", [exc.message])}) from None
        fh.seek(0)
        a = Attachment(submission=sub, name=str(name)[:200], content_type=mime, size=size, sha256=digest)
        a.file.save(f"{sub.pk}-{digest[:16]}", File(fh), save=False)
        a.save()


def _create(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    channel: str,
    grounds: Any,
    summary: str,
    content: str,
    received_on: dt.date,
    anonymous: bool,
    submitter: dict[str, str],
    enterprise: Enterprise | None = None,
    unit_name: str = "",
    case: Case | None = None,
    inspection: Inspection | None = None,
    officers: Sequence[Staff] = (),
    officer_names: str = "",
    files: Sequence[tuple[IO[bytes], str]] = (),
    deaths_alleged: int = 0,
    action: str,
) -> tuple[Submission, str]:
    code = new_tracking_code()
    sub = Submission(
        jurisdiction=agency.jurisdiction, owner_agency=agency, kind=kind, channel=channel, grounds=grounds, summary=summary, content=content,
        anonymous=anonymous, enterprise=enterprise, unit_name=unit_name, case=case, inspection=inspection, officer_names=officer_names,
        tracking_digest=tracking_digest(code), received_on=received_on, registered_by=actor, deaths_alleged=deaths_alleged, **submitter,
    )  # fmt: skip
    sub.next_due = _next_due(sub)
    sub.save()
    if officers:
        sub.named_officers.set(officers)
    _attach(sub, files)
    audit.record(
        actor=actor, action=action, obj=sub,
        after={"kind": kind, "channel": channel, "grounds": grounds, "received_on": received_on, "anonymous": anonymous, "attachments": len(files), "deaths_alleged": deaths_alleged},
    )  # fmt: skip
    return sub, code


def _deaths(kind: str, value: Any) -> int:
    """The deaths a report alleges: a whole number, only on a safety report."""
    if value in (None, ""):
        return 0
    if isinstance(value, bool) or not str(value).strip().isdigit() or len(str(value).strip()) > 5 or int(value) > DEATHS_MAX:
        raise ValidationFailed("死亡人数应为不超过一万的整数。", fields={"deaths_alleged": "请填写整数。"})
    n = int(value)
    if n and kind != Kind.REPORT:
        raise ValidationFailed("死亡人数只在安全生产举报中填写。", fields={"deaths_alleged": "投诉不填写死亡人数。"})
    return n


def escalation_note(sub: Submission) -> str:
    """The flag shown on a report that alleges deaths (安全生产法第七十三条第二款)."""
    if sub.kind != Kind.REPORT or not sub.deaths_alleged:
        return ""
    return f"举报涉及{sub.deaths_alleged}人死亡：应当报请县级以上人民政府组织核查处理（{AQSCF_73_2}）。"


def _common(kind: Any, grounds: Any, summary: Any, content: Any) -> tuple[str, list[str], str, str]:
    if kind not in Kind.values:
        raise ValidationFailed("请选择投诉或者举报。", fields={"kind": "请选择投诉或者举报。"})
    return (
        str(kind),
        _grounds(str(kind), grounds),
        _text(summary, "summary", "事由摘要", max_len=SUMMARY_MAX),
        _text(content, "content", "投诉举报内容", max_len=CONTENT_MAX),
    )


def submission_register(
    *,
    actor: Any,
    kind: str,
    channel: str,
    grounds: Sequence[str],
    summary: str,
    content: str,
    received_on: dt.date,
    anonymous: bool = False,
    submitter_name: str = "",
    submitter_id_number: str = "",
    submitter_phone: str = "",
    submitter_address: str = "",
    enterprise_id: int | None = None,
    unit_name: str = "",
    case_id: int | None = None,
    inspection_id: int | None = None,
    officer_ids: Sequence[int] = (),
    officer_names: str = "",
    deaths_alleged: int | None = 0,
) -> tuple[Submission, str]:
    """The office registers a letter, a call or a visit (制度第三条、第四条). Returns the submission
    and its tracking code, which is told to the submitter once and never stored."""
    scope = scope_for(actor)
    if not scope.is_member or not scope.has_role(*OFFICE):
        raise PermissionRefused(f"投诉举报由办公室统一登记受理（{SEED_4}）。", code="role_refused")
    kind, grounds_, summary, content = _common(kind, grounds, summary, content)
    if channel not in (Channel.LETTER, Channel.PHONE, Channel.VISIT):
        raise ValidationFailed("请选择来信、来电或者来访。", fields={"channel": "请选择来信、来电或者来访。"})
    received_on = _day(received_on, "received_on", "收到日期")
    deaths = _deaths(kind, deaths_alleged)
    submitter = _submitter(bool(anonymous), submitter_name, submitter_id_number, submitter_phone, submitter_address)
    enterprise = get_for_user(Enterprise.objects.all(), actor, enterprise_id) if enterprise_id else None
    case = get_for_user(Case.objects.all(), actor, case_id) if case_id else None
    inspection = get_for_user(Inspection.objects.all(), actor, inspection_id) if inspection_id else None
    ids = sorted({int(i) for i in officer_ids})
    officers = list(Staff.objects.filter(pk__in=ids, memberships__agency_id=scope.agency_id).distinct())
    if len(officers) != len(ids):
        raise ValidationFailed("被投诉的执法人员须为本机关人员。", fields={"officer_ids": "请从本机关人员中选择。"})
    if kind == Kind.REPORT and officers:
        raise ValidationFailed("举报针对生产经营单位，不列被投诉的执法人员。", fields={"officer_ids": "举报不列被投诉人员。"})
    agency = _agency_of(scope)
    with transaction.atomic():
        return _create(
            actor=actor, agency=agency, kind=kind, channel=channel, grounds=grounds_, summary=summary, content=content, received_on=received_on,
            anonymous=bool(anonymous), submitter=submitter, enterprise=enterprise, unit_name=_text(unit_name, "unit_name", "被举报单位名称", max_len=200, required=False),
            case=case, inspection=inspection, officers=officers, officer_names=_text(officer_names, "officer_names", "被投诉人员", max_len=200, required=False),
            deaths_alleged=deaths, action="complaint.register",
        )  # fmt: skip


def submission_submit_public(
    *,
    agency: Agency,
    kind: str,
    grounds: Sequence[str],
    summary: str,
    content: str,
    anonymous: bool,
    submitter_name: str = "",
    submitter_id_number: str = "",
    submitter_phone: str = "",
    submitter_address: str = "",
    unit_name: str = "",
    officer_names: str = "",
    files: Sequence[tuple[IO[bytes], str]] = (),
    deaths_alleged: int | None = 0,
) -> tuple[Submission, str]:
    """A submission from the public page (no login). Everything or nothing is saved: the caller
    shows the tracking code only after this returns, i.e. after the transaction committed."""
    kind, grounds_, summary, content = _common(kind, grounds, summary, content)
    deaths = _deaths(kind, deaths_alleged)
    submitter = _submitter(bool(anonymous), submitter_name, submitter_id_number, submitter_phone, submitter_address)
    with transaction.atomic():
        return _create(
            actor=None, deaths_alleged=deaths, agency=agency, kind=kind, channel=Channel.WEB, grounds=grounds_, summary=summary, content=content, received_on=_today(),
            anonymous=bool(anonymous), submitter=submitter, unit_name=_text(unit_name, "unit_name", "被举报单位名称", max_len=200, required=False),
            officer_names=_text(officer_names, "officer_names", "被投诉人员", max_len=200, required=False), files=files, action="complaint.submit",
        )  # fmt: skip


def submission_by_code(code: str) -> Submission | None:
    """The submission a tracking code belongs to, or None. One indexed equality lookup on the keyed
    hash, the same work for every code: an answer tells only "found" or "not found"."""
    digest = tracking_digest(code)
    sub = Submission.objects.filter(tracking_digest=digest).first()
    if sub is None or not hmac.compare_digest(sub.tracking_digest, digest):
        return None
    return sub


# --- acceptance ------------------------------------------------------------------------------------
def _late(due: Any, day: dt.date, late_reason: str, *, what: str, field: str = "late_reason") -> str:
    """An act of the bureau after its deadline is done with the reason recorded, never silently."""
    reason = _text(late_reason, field, "逾期原因", max_len=REASON_MAX, required=False)
    if day > due.date and not reason:
        raise DomainError(
            f"{due.name}已于{_cn(due.date)}届满（{due.basis}），{_cn(day)}{what}已逾期：请写明逾期原因后办理。",
            code="late", article=due.basis, fields={field: ["逾期办理须写明原因。"]},
        )  # fmt: skip
    return reason if day > due.date else ""


@transaction.atomic
def submission_accept(*, actor: Any, submission: Submission, accepted_on: dt.date, late_reason: str = "") -> Submission:
    """Accept within 15 days of receipt (信访工作条例第二十二条、第二十三条)."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, what="受理")
    _state(s, {Status.REGISTERED}, "受理")
    day = _day(accepted_on, "accepted_on", "受理日期", not_before=s.received_on, before_label="收到日期")
    s.acceptance_late_reason = _late(clocks.acceptance_due(s), day, late_reason, what="受理")
    s.accepted_on, s.accepted_by = day, actor
    _move(s, Status.ACCEPTED, actor=actor, action="complaint.accept", fields=["accepted_on", "accepted_by", "acceptance_late_reason"], after={"accepted_on": day})
    return s


@transaction.atomic
def submission_decline(
    *, actor: Any, submission: Submission, reason: str, note: str, decided_on: dt.date, referred_to: str = "", late_reason: str = ""
) -> Submission:
    """Not accepted: a duplicate, a matter before reconsideration or a court, or outside the remit —
    then referred on with a 转送函 (信访工作条例第二十二条第二款)."""
    s = _lock(submission)
    scope = _require(actor, s, roles=OFFICE, what="作出不予受理决定")
    _state(s, {Status.REGISTERED}, "作出不予受理决定")
    if reason not in DeclineReason.values:
        raise ValidationFailed("请选择不予受理的理由。", fields={"reason": "请选择不予受理的理由。"})
    note = _text(note, "note", "不予受理说明", max_len=TEXT_MAX)
    day = _day(decided_on, "decided_on", "决定日期", not_before=s.received_on, before_label="收到日期")
    s.acceptance_late_reason = _late(clocks.acceptance_due(s), day, late_reason, what="告知")
    s.decline_reason, s.decline_note, s.closed_on = reason, note, day
    fields = ["decline_reason", "decline_note", "closed_on", "acceptance_late_reason"]
    if reason == DeclineReason.OUTSIDE_REMIT:
        s.referred_to = _text(referred_to, "referred_to", "转送机关", max_len=100)
        agency = _agency_of(scope)
        doc = documents.document_issue(
            actor=actor, kind_code="complaint_referral", agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr,
            jurisdiction=s.jurisdiction, subject_type="complaints.submission", subject_id=s.pk, issued_on=day,
            context={"referred_to": s.referred_to, "kind_label": s.get_kind_display(), "received_on": s.received_on, "summary": s.summary, "reason": note.rstrip("。")},
        )  # fmt: skip
        s.referral_document = doc
        _move(s, Status.REFERRED, actor=actor, action="complaint.refer", fields=[*fields, "referred_to", "referral_document"], after={"referred_to": s.referred_to, "document": doc.number}, note=note)
    else:
        _move(s, Status.DECLINED, actor=actor, action="complaint.decline", fields=fields, after={"reason": reason}, note=note)
    return s


# --- handling --------------------------------------------------------------------------------------
@transaction.atomic
def submission_assign(*, actor: Any, submission: Submission, handler_id: int, department_ids: Sequence[int], assigned_on: dt.date) -> Submission:
    """The office assigns the handler and the departments concerned (制度第四条: 会同有关科（室）)."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, what="交办")
    _state(s, {Status.ACCEPTED, Status.INVESTIGATING}, "交办")
    day = _day(assigned_on, "assigned_on", "交办日期", not_before=s.accepted_on, before_label="受理日期")
    member = Membership.objects.valid_on(day).filter(agency_id=s.owner_agency_id, staff_id=handler_id).exists() if str(handler_id).isdigit() else False
    if not member:
        raise ValidationFailed("承办人须为本机关在职人员。", fields={"handler_id": "请从本机关在职人员中选择。"})
    if s.named_officers.filter(pk=handler_id).exists():
        raise DomainError("被投诉的执法人员不能承办对本人的投诉（回避）。", code="named_officer_handler", fields={"handler_id": ["被投诉人员不能承办。"]})
    ids = sorted({int(i) for i in department_ids})
    departments = list(Department.objects.filter(agency_id=s.owner_agency_id, pk__in=ids))
    if not ids or len(departments) != len(ids):
        raise ValidationFailed("请选择本机关会同办理的科室。", fields={"department_ids": "请从本机关科室中选择。"})
    s.handler_id, s.assigned_on = int(handler_id), day
    s.departments.set(departments)
    _move(s, Status.INVESTIGATING, actor=actor, action="complaint.assign", fields=["handler", "assigned_on"], after={"handler": s.handler_id, "departments": ids})
    return s


@transaction.atomic
def finding_record(*, actor: Any, submission: Submission, ground: str, substantiated: bool, note: str, recorded_on: dt.date) -> GroundFinding:
    """The investigation's conclusion on one ground (制度第五条); recording it again replaces it."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="记录调查结论")
    _state(s, {Status.INVESTIGATING}, "记录调查结论")
    if ground not in s.grounds:
        raise ValidationFailed("该事项不是本件投诉举报反映的事项。", fields={"ground": "请选择本件反映的事项。"})
    if not isinstance(substantiated, bool):
        raise ValidationFailed("请选择是否属实。", fields={"substantiated": "请选择是否属实。"})
    note = _text(note, "note", "调查情况", max_len=TEXT_MAX)
    day = _day(recorded_on, "recorded_on", "记录日期", not_before=s.assigned_on, before_label="交办日期")
    f, _ = GroundFinding.objects.update_or_create(submission=s, ground=ground, defaults={"substantiated": substantiated, "note": note, "recorded_by": actor, "recorded_on": day})
    audit.record(actor=actor, action="complaint.finding", obj=s, after={"ground": ground, "substantiated": substantiated}, note=note[:500])
    return f


@transaction.atomic
def result_draft(*, actor: Any, submission: Submission, result_text: str, public_reply: str, measures_text: str = "", drafted_on: dt.date) -> Submission:
    """The result for the leader's approval (制度第五条), once every ground has its finding."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="拟定处理意见")
    _state(s, {Status.INVESTIGATING}, "拟定处理意见")
    done = set(s.findings.values_list("ground", flat=True))
    missing = [ground_label(s.kind, g) for g in s.grounds if g not in done]
    if missing:
        raise DomainError(f"尚有事项未记录调查结论：{'、'.join(missing)}。须逐项调查核实后方可拟定处理意见（{SEED_5}）。", code="findings_missing", article=SEED_5)
    if waiting := verification_open(s):
        raise DomainError(f"{waiting}（{AQSCF_73}：举报经核查处理后答复举报人）", code="verification_open", article=AQSCF_73)
    s.result_text = _text(result_text, "result_text", "调查处理意见", max_len=TEXT_MAX)
    s.public_reply = _text(public_reply, "public_reply", "答复内容", max_len=TEXT_MAX)
    s.measures_text = _text(measures_text, "measures_text", "纠正措施", max_len=TEXT_MAX, required=False)
    s.drafted_on = _day(drafted_on, "drafted_on", "拟稿日期", not_before=s.assigned_on, before_label="交办日期")
    s.drafted_by = actor
    _move(s, Status.DRAFTED, actor=actor, action="complaint.draft", fields=["result_text", "public_reply", "measures_text", "drafted_on", "drafted_by"])
    return s


@transaction.atomic
def result_approve(*, actor: Any, submission: Submission, approved: bool, decided_on: dt.date, note: str = "") -> Submission:
    """A leader approves the result (制度第五条: 报请局领导同意); the drafter never approves their own."""
    s = _lock(submission)
    _require(actor, s, roles=APPROVE, what="审批处理意见")
    _state(s, {Status.DRAFTED}, "审批处理意见")
    require_other_person(s.drafted_by, actor, what="调查处理意见", article=SEED_5)
    day = _day(decided_on, "decided_on", "审批日期", not_before=s.drafted_on, before_label="拟稿日期")
    if approved:
        s.approved_by, s.approved_on = actor, day
        _move(s, Status.APPROVED, actor=actor, action="complaint.approve", fields=["approved_by", "approved_on"], after={"approved_on": day}, note=note)
    else:
        note = _text(note, "note", "退回理由", max_len=REASON_MAX)
        s.drafted_by, s.drafted_on = None, None
        _move(s, Status.INVESTIGATING, actor=actor, action="complaint.return", fields=["drafted_by", "drafted_on"], note=note)
    return s


@transaction.atomic
def extension_request(*, actor: Any, submission: Submission, reason: str, requested_on: dt.date) -> Submission:
    """Ask, before the 60 days end, to extend by up to 30 days (信访工作条例第三十四条)."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="申请延长办理期限")
    _state(s, HANDLING, "申请延长办理期限")
    if s.extension_status in (ExtensionStatus.PENDING, ExtensionStatus.APPROVED):
        raise DomainError(f"已{'申请' if s.extension_status == ExtensionStatus.PENDING else '批准'}延长办理期限，延长以一次为限、不超过三十日（{XFTL_34}）。", code="extension_once", article=XFTL_34)
    day = _day(requested_on, "requested_on", "申请日期", not_before=s.accepted_on, before_label="受理日期")
    due = clocks.handling_due(s, with_extension=False)
    assert due is not None
    if day > due.date:
        raise DomainError(f"{due.name}已于{_cn(due.date)}届满，届满后不能再申请延长（{due.basis}）。", code="extension_late", article=due.basis)
    s.extension_reason = _text(reason, "reason", "延期理由", max_len=REASON_MAX)
    s.extension_status, s.extension_requested_by, s.extension_requested_on = ExtensionStatus.PENDING, actor, day
    s.extension_decided_by, s.extension_decided_on = None, None
    _move(s, s.status, actor=actor, action="complaint.extension_request", fields=["extension_reason", "extension_status", "extension_requested_by", "extension_requested_on", "extension_decided_by", "extension_decided_on"], note=s.extension_reason)
    return s


@transaction.atomic
def extension_decide(*, actor: Any, submission: Submission, approved: bool, decided_on: dt.date) -> Submission:
    """A leader other than the requester approves or refuses the extension."""
    s = _lock(submission)
    _require(actor, s, roles=APPROVE, what="审批延长办理期限")
    if s.extension_status != ExtensionStatus.PENDING:
        raise DomainError("没有待审批的延期申请。", code="no_extension")
    _state(s, HANDLING, "审批延长办理期限")
    require_other_person(s.extension_requested_by, actor, what="延长办理期限申请", article=XFTL_34)
    s.extension_decided_on = _day(decided_on, "decided_on", "审批日期", not_before=s.extension_requested_on, before_label="申请日期")
    s.extension_status = ExtensionStatus.APPROVED if approved else ExtensionStatus.REFUSED
    s.extension_decided_by = actor
    due = clocks.handling_due(s)
    _move(s, s.status, actor=actor, action="complaint.extension_decide", fields=["extension_status", "extension_decided_by", "extension_decided_on"],
          after={"approved": bool(approved), "due": due.date if due else None})  # fmt: skip
    return s


# --- reply ------------------------------------------------------------------------------------------
@transaction.atomic
def submission_reply(*, actor: Any, submission: Submission, replied_on: dt.date, received_on: dt.date | None = None, late_reason: str = "") -> Submission:
    """Issue the 答复意见书 within 60 days of acceptance (+30 extended, 信访工作条例第三十四条), one per
    submission: a second submit finds the state moved on (and the documents engine refuses a second
    document for the same act)."""
    s = _lock(submission)
    scope = _require(actor, s, roles=OFFICE, what="答复")
    _state(s, {Status.APPROVED}, "答复（处理意见须先经局领导批准）")
    day = _day(replied_on, "replied_on", "答复日期", not_before=s.approved_on, before_label="批准日期")
    due = clocks.handling_due(s)
    assert due is not None
    s.reply_late_reason = _late(due, day, late_reason, what="答复")
    s.reply_received_on = _day(received_on or day, "received_on", "收到答复日期", not_before=day, before_label="答复日期")
    agency = _agency_of(scope)
    findings = [{"ground": ground_label(s.kind, f.ground), "conclusion": "属实" if f.substantiated else "不属实"} for f in s.findings.all()]
    doc = documents.document_issue(
        actor=actor, kind_code="complaint_reply", agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr,
        jurisdiction=s.jurisdiction, subject_type="complaints.submission", subject_id=s.pk, issued_on=day,
        context={
            "addressee": s.submitter_name if not s.anonymous and s.submitter_name else "投诉举报人", "kind_label": s.get_kind_display(),
            "received_on": s.received_on, "summary": s.summary, "findings": findings, "reply": s.public_reply,
            "review_body": agency.review_body or "上一级行政机关",
        },
    )  # fmt: skip
    s.reply_document, s.replied_on = doc, day
    _move(s, Status.REPLIED, actor=actor, action="complaint.reply", fields=["reply_document", "replied_on", "reply_received_on", "reply_late_reason"],
          after={"document": doc.number, "replied_on": day, "due": due.date})  # fmt: skip
    return s


# --- review and re-review (the next higher body decides; the office records) ----------------------
def _window(result: Any, day: dt.date, what: str) -> None:
    """A request of the submitter's after its window is not accepted (信访工作条例第三十五条、第三十六条)."""
    if day > result.date:
        raise DomainError(f"{result.name}已于{_cn(result.date)}届满（{result.basis}），{_cn(day)}提出的{what}不予受理。", code="window_closed", article=result.basis)


@transaction.atomic
def review_request(*, actor: Any, submission: Submission, requested_on: dt.date) -> Submission:
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, what="登记复查请求")
    _state(s, {Status.REPLIED}, "登记复查请求")
    day = _day(requested_on, "requested_on", "请求日期", not_before=s.reply_received_on, before_label="收到答复日期")
    due = clocks.review_request_due(s)
    assert due is not None
    _window(due, day, "复查请求")
    s.review_requested_on = day
    _move(s, Status.REVIEW, actor=actor, action="complaint.review_request", fields=["review_requested_on"], after={"requested_on": day})
    return s


@transaction.atomic
def review_answer(*, actor: Any, submission: Submission, answered_on: dt.date, text: str) -> Submission:
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, what="登记复查意见")
    _state(s, {Status.REVIEW}, "登记复查意见")
    s.review_answered_on = _day(answered_on, "answered_on", "复查意见日期", not_before=s.review_requested_on, before_label="请求复查日期")
    s.review_text = _text(text, "text", "复查意见", max_len=TEXT_MAX)
    due = clocks.review_answer_due(s)
    _move(s, Status.REVIEWED, actor=actor, action="complaint.review_answer", fields=["review_answered_on", "review_text"],
          after={"answered_on": s.review_answered_on, "due": due.date if due else None, "in_time": bool(due and s.review_answered_on <= due.date)})  # fmt: skip
    return s


@transaction.atomic
def re_review_request(*, actor: Any, submission: Submission, requested_on: dt.date) -> Submission:
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, what="登记复核请求")
    _state(s, {Status.REVIEWED}, "登记复核请求")
    day = _day(requested_on, "requested_on", "请求日期", not_before=s.review_answered_on, before_label="复查意见日期")
    due = clocks.re_review_request_due(s)
    assert due is not None
    _window(due, day, "复核请求")
    s.re_review_requested_on = day
    _move(s, Status.RE_REVIEW, actor=actor, action="complaint.re_review_request", fields=["re_review_requested_on"], after={"requested_on": day})
    return s


@transaction.atomic
def re_review_answer(*, actor: Any, submission: Submission, answered_on: dt.date, text: str) -> Submission:
    """The re-review is final (信访工作条例第三十六条): the submission is closed."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, what="登记复核意见")
    _state(s, {Status.RE_REVIEW}, "登记复核意见")
    s.re_review_answered_on = _day(answered_on, "answered_on", "复核意见日期", not_before=s.re_review_requested_on, before_label="请求复核日期")
    s.re_review_text = _text(text, "text", "复核意见", max_len=TEXT_MAX)
    s.closed_on = s.re_review_answered_on
    due = clocks.re_review_answer_due(s)
    _move(s, Status.CLOSED, actor=actor, action="complaint.re_review_answer", fields=["re_review_answered_on", "re_review_text", "closed_on"],
          after={"answered_on": s.re_review_answered_on, "due": due.date if due else None})  # fmt: skip
    return s


@transaction.atomic
def submission_close(*, actor: Any, submission: Submission, closed_on: dt.date) -> Submission:
    """Close once the submitter's window for the next request has run out unused."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, what="办结")
    _state(s, {Status.REPLIED, Status.REVIEWED}, "办结")
    day = _day(closed_on, "closed_on", "办结日期")
    due = clocks.review_request_due(s) if s.status == Status.REPLIED else clocks.re_review_request_due(s)
    assert due is not None
    if day <= due.date:
        raise DomainError(f"{due.name}至{_cn(due.date)}届满（{due.basis}），期限届满前不能办结。", code="window_open", article=due.basis)
    s.closed_on = day
    _move(s, Status.CLOSED, actor=actor, action="complaint.close", fields=["closed_on"], after={"closed_on": day})
    return s


# --- safety reports: verification on site (issue 12 item 6) ----------------------------------------
def verification_open(sub: Submission) -> str:
    """Why a report's result must wait (the reporter is answered after the verification closes:
    安全生产法第七十三条, LEGAL.md §7), or "". The inquiry and its answer: complaints/reports.py."""
    if sub.kind != Kind.REPORT:
        return ""
    if sub.verification_id is None and sub.inquiry_sent_on is None:
        return "举报尚未核查：须现场核查或者书面函询被举报单位后，方可拟定处理意见"
    if sub.verification is not None and sub.verification.status != InspectionStatus.COMPLETED:
        return "现场核查的检查尚未完成，完成后方可拟定处理意见"
    if sub.verification_id is None and sub.inquiry_answered_on is None:
        return "被举报单位尚未书面回复函询，回复后方可拟定处理意见"
    return ""



@transaction.atomic
def report_verify(
    *, actor: Any, submission: Submission, enterprise_id: int | None = None, officer_ids: Sequence[int], inspected_on: dt.date, place: str
) -> Inspection:
    """Verify a safety report on site: an inspection of type 投诉举报核查 of the reported unit,
    linked to the report; its findings and hazards follow the inspection's own procedure
    (安全生产法第七十三条: reports are verified and handled). One verification per report."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="安排现场核查")
    if s.kind != Kind.REPORT:
        raise DomainError("只有安全生产举报转现场核查；行政执法投诉由办公室会同有关科室调查。", code="not_a_report")
    _state(s, {Status.INVESTIGATING}, "安排现场核查")
    if s.verification_id is not None:
        raise DomainError("该举报已安排现场核查，同一举报只建立一次核查检查。", code="verification_exists")
    enterprise = s.enterprise
    if enterprise_id:
        enterprise = get_for_user(Enterprise.objects.all(), actor, enterprise_id)
    if enterprise is None:
        raise ValidationFailed("请选择被举报单位（须已在台账中）。", fields={"enterprise_id": "请选择被举报单位。"})
    insp = inspections.inspection_create(
        actor=actor, enterprise=enterprise, type=InspectionType.COMPLAINT, inspected_on=inspected_on, started_at=timezone.now(), place=place, officer_ids=officer_ids,
    )  # fmt: skip
    s.enterprise, s.verification = enterprise, insp
    _move(s, s.status, actor=actor, action="complaint.verify", fields=["enterprise", "verification"], after={"inspection": insp.pk, "enterprise": enterprise.pk})
    return insp


# --- outcomes of a substantiated complaint (制度第六条至第八条) ------------------------------------
OUTCOME_ARTICLES = {OutcomeKind.CORRECTION: f"{SEED}第六条", OutcomeKind.ACCOUNTABILITY: f"{SEED}第七条", OutcomeKind.APOLOGY: f"{SEED}第八条"}


@transaction.atomic
def outcome_record(
    *, actor: Any, submission: Submission, kind: str, ground: str, note: str, done_on: dt.date, officer_id: int | None = None, case_id: int | None = None
) -> Outcome:
    """Record what followed a substantiated ground: a correction (the case re-examined, the
    decision changed), a referral for fault liability naming the officer and the fault, or the
    officer's explanation and apology for uncivil conduct. Only on a ground found substantiated,
    before the reply (the reply states them)."""
    s = _lock(submission)
    _require(actor, s, roles=OFFICE, handler_ok=True, what="记录处理结果")
    if s.kind != Kind.COMPLAINT:
        raise DomainError("处理结果针对行政执法投诉；安全生产举报按检查和案件程序办理。", code="not_a_complaint")
    _state(s, {Status.INVESTIGATING, Status.DRAFTED, Status.APPROVED}, "记录处理结果")
    if kind not in OutcomeKind.values:
        raise ValidationFailed("请选择处理结果。", fields={"kind": "请选择处理结果。"})
    article = OUTCOME_ARTICLES[OutcomeKind(kind)]
    finding = s.findings.filter(ground=ground).first()
    if finding is None or not finding.substantiated:
        raise DomainError(f"“{ground_label(s.kind, ground)}”未经调查认定属实，不能据此纠正、追责或者要求道歉（{article}）。", code="not_substantiated", article=article, fields={"ground": ["请选择已认定属实的事项。"]})
    if kind == OutcomeKind.APOLOGY and ground != "uncivil":
        raise DomainError(f"赔礼道歉针对调查核实的不文明执法（{article}）。", code="apology_ground", article=article, fields={"ground": ["赔礼道歉针对不文明执法。"]})
    officer = None
    if officer_id:
        officer = s.named_officers.filter(pk=officer_id).first()
        if officer is None:
            raise ValidationFailed("执法人员须为投诉所指的本机关人员。", fields={"officer_id": "请从被投诉的执法人员中选择。"})
    elif kind != OutcomeKind.CORRECTION:
        raise ValidationFailed("责任追究和赔礼道歉须指明执法人员。", fields={"officer_id": "请选择执法人员。"})
    case = get_for_user(Case.objects.all(), actor, case_id) if case_id else None
    if case is not None and case.owner_agency_id != s.owner_agency_id:
        raise ValidationFailed("纠正的案件须为本机关办理的案件。", fields={"case_id": "请选择本机关的案件。"})
    note = _text(note, "note", "情况说明", max_len=TEXT_MAX)
    day = _day(done_on, "done_on", "日期", not_before=s.assigned_on, before_label="交办日期")
    o = Outcome.objects.create(submission=s, kind=kind, ground=ground, officer=officer, case=case or s.case, note=note, done_on=day, recorded_by=actor)
    audit.record(actor=actor, action="complaint.outcome", obj=s, after={"kind": kind, "ground": ground, "officer": officer.pk if officer else None, "case": o.case_id}, note=note[:500])
    return o
