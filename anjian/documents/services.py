"""Every write of the documents core: issue, record service, void (STYLE.md principle 1).

Apps above hand over the facts (``context``) and the issuing agency's id, full name and 文书代字;
they check their own roles and states first. These services check what belongs to documents:
the facts a kind requires, the owning agency (each bureau issues in its own name, rule 4), the
number (rule 5) and the law of service (XZCF §61).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from anjian.core import audit
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.models import Jurisdiction
from anjian.core.scoping import Scope, scope_for
from anjian.core.validators import date_bounds_error
from anjian.documents import facts, pdf, registry, templates, verification
from anjian.documents.choices import DocumentStatus, ServiceMethod, ServiceStatus
from anjian.documents.models import IssuedDocument, ServiceRecord
from anjian.documents.numbering import allocate_number
from anjian.documents.rendering import cn_date, common_context, render_docx, sha256_hex
from anjian.law.errors import LawError
from anjian.law.periods import service_date

# Roles (``org`` vocabulary, passed to us as strings in the Scope) that may void a document: voiding
# is a correction of the register, decided above the officer who issued it.
VOID_ROLES: tuple[str, ...] = ("dept_head", "leader")
# Roles that may record or correct a proof of service: the officers who serve and the office that
# files the returned receipts.
SERVICE_ROLES: tuple[str, ...] = ("officer", "supervisor", "office", "dept_head", "leader")


def _require_issuer(actor: Any, *, agency_id: int, jurisdiction_id: int, what: str) -> Scope:
    """Each bureau acts in its own name and under its own seal (ARCHITECTURE.md rule 4)."""
    scope = scope_for(actor)
    if not scope.is_member:
        raise PermissionRefused("您不是任何执法机关的在职人员，不能办理文书。", code="not_member")
    if scope.agency_id != agency_id:
        raise PermissionRefused(f"{what}须由签发机关办理：各机关以自己的名义执法，本机关不能代为办理。", code="not_owner")
    if jurisdiction_id not in scope.jurisdiction_ids:
        raise PermissionRefused("所属辖区不在本机关管辖范围内。", code="not_owner")
    return scope


def _require_document_owner(actor: Any, document: IssuedDocument, *, roles: tuple[str, ...], what: str) -> Scope:
    scope = scope_for(actor)
    if document.jurisdiction_id not in scope.jurisdiction_ids:
        raise NotFound()
    if scope.agency_id != document.agency_id:
        raise PermissionRefused(f"该文书由{document.agency_name}签发，本机关只能查看，不能{what}。", code="not_owner")
    if not scope.has_role(*roles):
        raise PermissionRefused(f"您的角色无权{what}。", code="role_refused")
    return scope


def document_issue(
    *,
    actor: Any,
    kind_code: str,
    agency_id: int,
    agency_name: str,
    doc_abbr: str,
    jurisdiction: Jurisdiction,
    subject_type: str,
    subject_id: Any,
    context: Mapping[str, Any],
    issued_on: dt.date,
    source: str | None = None,
    reissue_reason: str = "",
    enterprise_id: int | None = None,
    replaces: IssuedDocument | None = None,
) -> IssuedDocument:
    """Check the facts, number, render, store and audit one document — all in one transaction.

    One document per act: ``source`` names the act the document records (by default the subject,
    ``"subject_type:subject_id"``). A second live document of the same kind for the same act is
    refused (``DocumentExists``, carrying the first) — a double submit or two parallel requests —
    unless ``reissue_reason`` says why it is issued again (audited as ``document.reissue``).

    The facts are checked before the number is allocated: a refusal saves nothing and uses no
    number. A failure after allocation (rendering, storage) rolls the transaction back, which
    gives the number back. Call it inside the app's own transaction to issue the document together
    with the state change it records.
    """
    kind = registry.get(kind_code)
    _require_issuer(actor, agency_id=agency_id, jurisdiction_id=jurisdiction.pk, what=f"《{kind.name}》")
    errors: dict[str, str] = {}
    if not (agency_name or "").strip():
        errors["agency_name"] = "请提供签发机关全称。"
    if not str(subject_type or "").strip() or subject_id is None or not str(subject_id).strip():
        errors["subject"] = "请说明文书所属的对象（类型和编号）。"
    if not isinstance(issued_on, dt.date) or isinstance(issued_on, dt.datetime):
        errors["issued_on"] = "签发日期须为日期。"
    elif issued_on > timezone.localdate():
        errors["issued_on"] = "签发日期不能晚于今天。"
    elif msg := date_bounds_error(issued_on, "fact"):
        errors["issued_on"] = msg
    if errors:
        raise ValidationFailed("文书签发信息有误。", code="document_invalid", fields=errors)
    merged = {**kind.defaults, **dict(context)}
    facts.validate(kind, merged, issued_on=issued_on)
    stored = facts.normalise(merged)
    act = (source if source is not None else f"{subject_type}:{subject_id}")[:200]
    reissue_reason = (reissue_reason or "").strip()

    with transaction.atomic():
        seq, number = allocate_number(agency_id=agency_id, doc_abbr=doc_abbr, kind=kind, year=issued_on.year)
        # Checked under the counter's lock: a parallel issue of the same kind by the same agency
        # waits here and then sees the first one (its number is returned by the rollback).
        if not reissue_reason:
            _refuse_second(kind, act, agency_id)
        code = verification.new_code()
        common = common_context(
            kind=kind, agency_name=agency_name.strip(), doc_abbr=doc_abbr.strip(), number=number, year=issued_on.year, seq=seq, issued_on=issued_on, verify_code=code
        )
        # The bureau's own template in use for this kind, else the project's (documents/templates.py).
        agency_template, template_bytes, template_version = templates.for_issue(agency_id, kind)
        data = render_docx(kind, stored, common, source=template_bytes, source_label=template_version)
        digest = sha256_hex(data)
        doc = IssuedDocument(
            kind=kind.code,
            title=kind.name,
            year=issued_on.year,
            seq=seq,
            number=number,
            agency_id=agency_id,
            agency_name=common["agency_name"],
            doc_abbr=common["doc_abbr"],
            jurisdiction=jurisdiction,
            subject_type=str(subject_type),
            subject_id=str(subject_id),
            enterprise_id=enterprise_id,
            party_name=_party_name(stored),
            verify_code=code,
            source=act,
            reissue_reason=reissue_reason,
            replaces=replaces,
            context=stored,
            sha256=digest,
            size=len(data),
            template_version=template_version,
            agency_template=agency_template,
            issued_on=issued_on,
            issued_at=timezone.now(),
            issued_by=actor,
        )
        # ASCII file name: the number's 〔〕 and Chinese are in the row and in the download name.
        # The digest makes the name unique even when a rolled-back number is issued again.
        doc.file.save(f"{kind.code}-{agency_id}-{issued_on.year}-{seq}-{digest[:12]}.docx", ContentFile(data), save=False)
        try:
            with transaction.atomic():
                doc.save()
        except IntegrityError:
            doc.file.delete(save=False)
            if replaces is not None and IssuedDocument.objects.filter(replaces=replaces, status=DocumentStatus.ISSUED).exists():
                raise DomainError("该文书已被重新签发的文书替代，不能再次重新签发。", code="document_superseded") from None
            if not reissue_reason:
                _refuse_second(kind, act, agency_id)  # the one-per-act constraint, when the lock did not serialise
            raise DomainError(f"文号{number}已被使用，请重试。", code="document_number_taken") from None
        except BaseException:
            doc.file.delete(save=False)
            raise
        audit.record(
            actor=actor,
            action="document.issue",
            obj=doc,
            after={
                "kind": kind.code,
                "number": number,
                "sha256": digest,
                "template_version": template_version,
                "subject": f"{doc.subject_type}:{doc.subject_id}",
                "issued_on": issued_on,
            },
        )
        pdf.request(doc)  # after the commit: the worker makes the PDF for printing
        if reissue_reason:
            earlier = list(
                IssuedDocument.objects.filter(agency_id=agency_id, kind=kind.code, source=act, status=DocumentStatus.ISSUED).exclude(pk=doc.pk).values_list("number", flat=True)
            )
            audit.record(actor=actor, action="document.reissue", obj=doc, after={"number": number, "earlier": earlier}, note=reissue_reason)
    return doc


class DocumentExists(DomainError):
    """The act already has a live document of this kind; ``document`` is that first one."""

    http_status = 409
    default_code = "document_exists"

    def __init__(self, message: str, *, document: IssuedDocument) -> None:
        super().__init__(message)
        self.document = document


def _refuse_second(kind: Any, act: str, agency_id: int) -> None:
    first = IssuedDocument.objects.filter(agency_id=agency_id, kind=kind.code, source=act, status=DocumentStatus.ISSUED, reissue_reason="").order_by("id").first()
    if first is not None:
        raise DocumentExists(
            f"该事项已签发《{kind.name}》（文号{first.number}），同一事项只能签发一份。如原文书有误，请先作废原文书再签发；确需重新签发的，须写明理由。",
            document=first,
        )


def document_for_act(*, agency_id: int, kind_code: str, source: str) -> IssuedDocument | None:
    """The live document of a kind for an act (a view answering a double submit shows it)."""
    return IssuedDocument.objects.filter(agency_id=agency_id, kind=kind_code, source=source, status=DocumentStatus.ISSUED).order_by("id").first()


@transaction.atomic
def service_record(
    *,
    actor: Any,
    document: IssuedDocument,
    method: str,
    event_date: dt.date,
    recipient: str,
    refused: bool = False,
    witness: str = "",
    consent_ref: str = "",
    note: str = "",
    scan: Any = None,
) -> ServiceRecord:
    """Record the proof of service and compute the date of service, which starts the clocks.

    ``event_date`` is what the method records: the date signed (direct), the date the document
    was left (refusal), the return-receipt date (mail), the date it reached the party's system
    (electronic) or the publication date (announcement: served 30 days later). Law: XZCF §61;
    MSSSF §87–§95 (via ``anjian.law.periods.service_date``).
    """
    doc = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    _require_document_owner(actor, doc, roles=SERVICE_ROLES, what="登记送达")
    kind = registry.get(doc.kind)
    if not kind.served:
        raise DomainError(f"《{kind.name}》不属于须送达当事人的文书，不登记送达。", code="document_not_served")
    if doc.status != DocumentStatus.ISSUED:
        raise DomainError("文书已作废，不能登记送达。", code="document_voided")
    current = doc.service_records.filter(status=ServiceStatus.EFFECTIVE).first()
    if current is not None:
        raise DomainError(
            f"该文书已于{cn_date(current.served_on)}以{current.get_method_display()}方式送达。如原登记有误，请先将其标记为登记有误并写明原因。",
            code="service_already_recorded",
        )

    witness, consent_ref, recipient = (witness or "").strip(), (consent_ref or "").strip(), (recipient or "").strip()
    errors: dict[str, str] = {}
    if method not in ServiceMethod.values:
        errors["method"] = "送达方式须为直接送达、留置送达、邮寄送达、电子送达或公告送达。"
    if not recipient:
        errors["recipient"] = "请填写受送达人。"
    if not isinstance(event_date, dt.date) or isinstance(event_date, dt.datetime):
        errors["event_date"] = "请填写送达事件日期。"
    elif event_date > timezone.localdate():
        errors["event_date"] = "送达事件日期不能晚于今天：登记的是已经发生的事实。"
    elif msg := date_bounds_error(event_date, "fact"):
        errors["event_date"] = msg
    elif event_date < doc.issued_on:
        errors["event_date"] = f"送达事件日期不能早于文书签发日期{cn_date(doc.issued_on)}。"
    if method == ServiceMethod.REFUSAL:
        refused = True  # 留置送达 presupposes the refusal to accept (MSSSF §89)
    elif refused and method in ServiceMethod.values:
        errors["refused"] = "受送达人拒绝签收的，应当按留置送达登记（民事诉讼法第八十九条）。"
    if errors:
        raise ValidationFailed("送达登记有误。", code="service_invalid", fields=errors)
    try:
        result = service_date(method, event_date, consent=bool(consent_ref), witnessed=bool(witness))
    except LawError as exc:
        field = {"witnessed": "witness", "consent": "consent_ref"}.get(exc.field or "", exc.field or "non_field_errors")
        hint = {"witness": "请填写见证人姓名。", "consent_ref": "请填写当事人书面同意电子送达的文件或编号。"}.get(field, exc.message)
        raise ValidationFailed(f"{exc.message}（{exc.article}）。", code=exc.code, article=exc.article or "", fields={field: hint}) from None

    now = timezone.now()
    record = ServiceRecord(
        document=doc,
        method=method,
        event_date=event_date,
        served_on=result.date,
        basis=result.basis,
        recipient=recipient,
        refused=bool(refused),
        witness=witness,
        consent_ref=consent_ref,
        note=(note or "").strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    if scan is not None:
        record.scan.save(f"service-{doc.pk}-{now:%Y%m%d%H%M%S}-{getattr(scan, 'name', 'scan').rsplit('/', 1)[-1]}", scan, save=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # A concurrent recording won the one-effective-record constraint.
        if record.scan:
            record.scan.delete(save=False)
        raise DomainError("该文书已登记送达。", code="service_already_recorded") from None
    audit.record(
        actor=actor,
        action="document.service",
        obj=doc,
        after={
            "service_record": record.pk,
            "method": method,
            "event_date": event_date,
            "served_on": result.date,
            "recipient": recipient,
            "refused": record.refused,
            "witness": witness,
            "consent_ref": consent_ref,
            "basis": result.basis,
        },
    )
    return record


# Apps whose dates run from a document's service (a hazard's deadline, a case's periods) are told
# when that service is marked erroneous, inside the same transaction: they recompute what they
# derived from it, or refuse (a DomainError rolls the marking back). documents knows no app (rule 1).
ServiceCorrection = Callable[[Any, IssuedDocument, ServiceRecord], None]
_SERVICE_CORRECTIONS: list[ServiceCorrection] = []


def register_service_correction(fn: ServiceCorrection) -> None:
    if fn not in _SERVICE_CORRECTIONS:
        _SERVICE_CORRECTIONS.append(fn)


# An app may also say, for the documents of its records (by subject type), who may correct their
# proof of service (the roles that record it there) and why one cannot be corrected now — a
# read-only check, so that the document page hides the form and shows the reason instead, as it
# does for re-issue. The hook above still decides, under the app's own lock.
ServiceCorrectionCheck = Callable[[IssuedDocument, ServiceRecord], str]
_SERVICE_CORRECTION_RULES: dict[str, tuple[tuple[str, ...], ServiceCorrectionCheck]] = {}


def register_service_correction_rule(subject_type: str, *, roles: tuple[str, ...], check: ServiceCorrectionCheck) -> None:
    _SERVICE_CORRECTION_RULES[subject_type] = (tuple(roles), check)


def service_correction_roles(doc: IssuedDocument) -> tuple[str, ...]:
    """The roles that may mark a proof of service of ``doc`` erroneous."""
    rule = _SERVICE_CORRECTION_RULES.get(doc.subject_type)
    return rule[0] if rule is not None else SERVICE_ROLES


def service_correction_refusal(doc: IssuedDocument, record: ServiceRecord) -> str:
    """Why ``record`` cannot be marked erroneous now ("" when it can, or when no app says)."""
    if record.status != ServiceStatus.EFFECTIVE:
        return "该送达记录已标记为登记有误。"
    rule = _SERVICE_CORRECTION_RULES.get(doc.subject_type)
    return rule[1](doc, record) if rule is not None else ""


@transaction.atomic
def service_record_mark_erroneous(*, actor: Any, record: ServiceRecord, reason: str) -> ServiceRecord:
    """Mark a proof of service as entered wrongly. It is kept, stops counting, and a new one may follow.
    What the apps computed from its date is recomputed by them (``register_service_correction``)."""
    rec = ServiceRecord.objects.select_for_update(of=("self",)).select_related("document").get(pk=record.pk)
    _require_document_owner(actor, rec.document, roles=service_correction_roles(rec.document), what="更正送达记录")
    if rec.status != ServiceStatus.EFFECTIVE:
        raise DomainError("该送达记录已标记为登记有误。", code="service_already_erroneous")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("标记登记有误必须写明原因。", code="reason_required", fields={"reason": "请写明原因。"})
    rec.status = ServiceStatus.ERRONEOUS
    rec.error_reason = reason
    rec.marked_by = actor
    rec.marked_at = timezone.now()
    rec.save(update_fields=["status", "error_reason", "marked_by", "marked_at"])
    audit.record(
        actor=actor,
        action="document.service_error",
        obj=rec.document,
        before={"service_record": rec.pk, "status": ServiceStatus.EFFECTIVE, "served_on": rec.served_on},
        after={"service_record": rec.pk, "status": ServiceStatus.ERRONEOUS},
        note=reason,
    )
    for fn in _SERVICE_CORRECTIONS:
        fn(actor, rec.document, rec)
    return rec


@transaction.atomic
def document_void(*, actor: Any, document: IssuedDocument, reason: str) -> IssuedDocument:
    """Void a document issued in error. The number stays used: the register shows why (rule 5).

    A served document is not voided here: the party holds it, and undoing it takes a decision of
    its own, served in turn. Mark an erroneous proof of service first if it was never served.
    """
    doc = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    _require_document_owner(actor, doc, roles=VOID_ROLES, what="作废文书")
    if doc.status == DocumentStatus.VOIDED:
        raise DomainError("文书已作废。", code="document_voided")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("作废文书必须写明原因。", code="reason_required", fields={"reason": "请写明作废原因。"})
    if doc.service_records.filter(status=ServiceStatus.EFFECTIVE).exists():
        raise DomainError("文书已送达当事人，不能作废；如需撤销，应当依法作出撤销决定并送达。", code="document_served")
    doc.status = DocumentStatus.VOIDED
    doc.void_reason = reason
    doc.voided_at = timezone.now()
    doc.voided_by = actor
    doc.save(update_fields=["status", "void_reason", "voided_at", "voided_by"])
    audit.record(actor=actor, action="document.void", obj=doc, before={"status": DocumentStatus.ISSUED}, after={"status": DocumentStatus.VOIDED}, note=reason)
    return doc


# --- re-issue from the document's page (issue 14 item 4) ---------------------------------------------------
# Who may re-issue: as for voiding, a correction of the register decided above the officer.
REISSUE_ROLES: tuple[str, ...] = VOID_ROLES

# How each kind is re-issued. The app that owns the act registers, per kind, either a hook (called
# in the same transaction with the old and the new document, to point its records at the new one)
# or the reason it cannot be re-issued here (a penalty decision's re-issue is a legal act of its
# own). A kind nobody registered is refused: documents cannot know who else holds the old one.
ReissueHook = Callable[[Any, IssuedDocument, IssuedDocument], None]
_REISSUE: dict[str, ReissueHook | None] = {}
_REISSUE_REFUSED: dict[str, str] = {}


def _party_name(context: Mapping[str, Any]) -> str:
    """The party's name for the register; "" for a kind that names no party (a circular, a plan,
    a complaint's reply, whose addressee is guarded)."""
    party = facts.lookup(context, "party.name")
    return "" if facts.is_blank(party) else str(party)[:200]


def register_reissue(kind_code: str, hook: ReissueHook | None = None) -> None:
    _REISSUE[kind_code] = hook
    _REISSUE_REFUSED.pop(kind_code, None)


def refuse_reissue(kind_code: str, reason: str) -> None:
    _REISSUE_REFUSED[kind_code] = reason
    _REISSUE.pop(kind_code, None)


def reissue_refusal(doc: IssuedDocument, *, served: bool | None = None) -> str:
    """Why ``doc`` cannot be re-issued from its page ("" when it can); the page hides the form then."""
    if doc.status == DocumentStatus.VOIDED:
        return "文书已作废，不能重新签发：作废的文书不再有效，如需要，请按原事项重新办理签发。"
    if doc.kind in _REISSUE_REFUSED:
        return _REISSUE_REFUSED[doc.kind]
    if doc.kind not in _REISSUE:
        return f"《{doc.title}》由业务模块办理，不能在文书页面重新签发。"
    if served is None:
        served = doc.service_records.filter(status=ServiceStatus.EFFECTIVE).exists()
    if served:
        return "文书已送达当事人，不能重新签发：送达后文书即发生效力，变更须依法作出新的决定并送达（《中华人民共和国行政处罚法》第六十一条）。"
    if IssuedDocument.objects.filter(replaces=doc, status=DocumentStatus.ISSUED).exists():
        return "该文书已被重新签发的文书替代，不能再次重新签发。"
    return ""


def document_reissue(*, actor: Any, document: IssuedDocument, reason: str, issued_on: dt.date | None = None) -> IssuedDocument:
    """Issue ``document`` again from the facts it was issued with: a new number, a new verification
    code, today's date, the current template, and ``replaces`` naming the old one. The old document
    and its file are kept; it shows as superseded. Refused (nothing issued, no number used) for a
    voided or served document, a kind its app does not re-issue here, or a second re-issue."""
    reason = (reason or "").strip()
    with transaction.atomic():
        old = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        _require_document_owner(actor, old, roles=REISSUE_ROLES, what="重新签发文书")
        refusal = reissue_refusal(old)
        if refusal:
            code = "document_voided" if old.status == DocumentStatus.VOIDED else "reissue_refused"
            raise DomainError(refusal, code=code)
        if not reason:
            raise ValidationFailed("重新签发必须写明理由。", code="reason_required", fields={"reason": "请写明重新签发的理由。"})
        new = document_issue(
            actor=actor,
            kind_code=old.kind,
            agency_id=old.agency_id,
            agency_name=old.agency_name,
            doc_abbr=old.doc_abbr,
            jurisdiction=old.jurisdiction,
            subject_type=old.subject_type,
            subject_id=old.subject_id,
            context=old.context,
            issued_on=issued_on or timezone.localdate(),
            source=old.source,
            reissue_reason=f"替代{old.number}：{reason}",
            enterprise_id=old.enterprise_id,
            replaces=old,
        )
        hook = _REISSUE.get(old.kind)
        if hook is not None:
            hook(actor, old, new)
        audit.record(actor=actor, action="document.reissue", obj=old, before={"number": old.number}, after={"replaced_by": new.number, "document": new.pk}, note=reason)
    return new
