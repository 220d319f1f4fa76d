"""Local discretion standards (裁量基准): register, approve, end, and find the one that applies.

行政处罚法第三十四条: 行政机关可以依法制定行政处罚裁量基准. A standard is shared legal configuration
(ARCHITECTURE.md rule 1): only the legal department (``legal_reviewer``) or an administrator of the
agency whose jurisdiction it covers enters or approves it (``authority.require_scope``: a district
never changes another district's or the city's standard), and the approver is another person than
who entered it (``core.duties.require_other_person``). Every cut lies strictly inside the legal
range on the day the standard takes effect (``law.penalties.check_cuts``). Audited
(``discretion.create``, ``discretion.approve``, ``discretion.end``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anjian.core import audit
from anjian.core.duties import require_other_person
from anjian.core.errors import DomainError, ValidationFailed
from anjian.core.scoping import scope_for
from anjian.law import penalties as law_penalties
from anjian.law.calendar import check_date
from anjian.law.catalogue import Circumstance, Subject, default_catalogue
from anjian.law.errors import LawError
from anjian.legal import authority
from anjian.legal.models_discretion import DiscretionCut, DiscretionStandard, DiscretionStatus

XZCF_34: Final = "《中华人民共和国行政处罚法》第三十四条"
WHAT: Final = "裁量基准"
MAX_AMOUNT: Final = Decimal("999999999999.99")

audit.ACTIONS.update({"discretion.create": "登记裁量基准", "discretion.approve": "审批裁量基准", "discretion.end": "终止裁量基准"})


def _amount(raw: Any, field: str, label: str, errors: dict[str, str]) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        errors[field] = f"{label}须为金额（元）。"
        return None
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        errors[field] = f"{label}须为大于零、最多两位小数的金额（元）。"
        return None
    return value.quantize(Decimal("0.01"))


def check_cut(*, violation_id: str, subject: str, circumstance: str, lenient_to: Decimal, heavy_from: Decimal, on: dt.date, source: str, field: str) -> str:
    """Refuse a cut outside the legal range of the violation on ``on``; returns the range's text."""
    try:
        rng = law_penalties.legal_range(violation_id, subject=subject, circumstance=circumstance, on=on)
        law_penalties.check_cuts(law_penalties.DiscretionCuts(lenient_to, heavy_from, source or "—"), rng)
    except LawError as exc:
        raise ValidationFailed(f"{violation_id}：{exc.message}。", code="discretion_cut_invalid", article=exc.article or XZCF_34, fields={field: exc.message + "。"}) from None
    return str(rng)


@transaction.atomic
def standard_create(
    *,
    actor: Any,
    scope: str,
    name: str,
    source_document: str,
    effective_from: dt.date | None,
    cuts: Iterable[Mapping[str, Any]],
    issuing_agency: str = "",
    effective_to: dt.date | None = None,
    note: str = "",
) -> DiscretionStandard:
    """Enter a standard (pending until another person approves it). ``cuts``: ``{"violation_id",
    "subject", "circumstance", "lenient_to", "heavy_from", "note"}`` per violation."""
    authority.require_role(actor, roles=authority.CONFIG_ROLES, message="只有法制审核人员或系统管理员可以登记裁量基准。")
    scope, name, source_document, note = (str(s or "").strip() for s in (scope, name, source_document, note))
    issuing_agency = str(issuing_agency or "").strip() or scope_for(actor).agency_name
    errors: dict[str, str] = {}
    if not scope or not authority.is_known_scope(scope):
        errors["scope"] = "适用范围应为本系统的辖区编码（如370602）或市级编码。"
    if not name:
        errors["name"] = "请填写裁量基准名称。"
    if not source_document:
        errors["source_document"] = "请填写依据文件及文号。"
    if not issuing_agency:
        errors["issuing_agency"] = "请填写制定机关。"
    for fname, day in (("effective_from", effective_from), ("effective_to", effective_to)):
        if day is not None:
            try:
                check_date(day, fname)
            except LawError as exc:
                errors[fname] = exc.message + "。"
    if effective_from is None:
        errors["effective_from"] = "请填写生效日期。"
    elif effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = "失效日期不能早于生效日期。"
    if errors:
        raise ValidationFailed("裁量基准信息有误。", fields=errors, article=XZCF_34)
    authority.require_scope(actor, scope, what=WHAT)
    assert effective_from is not None
    rows: list[DiscretionCut] = []
    seen: set[tuple[str, str, str]] = set()
    cat = default_catalogue()
    for i, raw in enumerate(cuts):
        field = f"cuts_{i}"
        vid = str(raw.get("violation_id") or "").strip().upper()
        subject = str(raw.get("subject") or Subject.UNIT.value).strip()
        circumstance = str(raw.get("circumstance") or Circumstance.BASE.value).strip()
        try:
            cat.violation(vid, effective_from)
        except LawError as exc:
            raise ValidationFailed(f"第{i + 1}行：{exc.message}。", fields={field: exc.message + "。"}, article=exc.article or "") from None
        if subject not in {s.value for s in Subject} or circumstance not in {c.value for c in Circumstance}:
            raise ValidationFailed(f"第{i + 1}行：未知的处罚对象或违法情形。", fields={field: "未知的处罚对象或违法情形。"})
        errs: dict[str, str] = {}
        low = _amount(raw.get("lenient_to"), field, "从轻档上限", errs)
        high = _amount(raw.get("heavy_from"), field, "从重档下限", errs)
        if errs or low is None or high is None:
            raise ValidationFailed(f"第{i + 1}行：分界金额有误。", fields=errs or {field: "请填写分界金额。"})
        if (vid, subject, circumstance) in seen:
            raise ValidationFailed(f"第{i + 1}行：{vid}重复设置。", fields={field: "同一违法行为、处罚对象和情形只能设置一次。"})
        seen.add((vid, subject, circumstance))
        check_cut(violation_id=vid, subject=subject, circumstance=circumstance, lenient_to=low, heavy_from=high, on=effective_from, source=source_document, field=field)
        rows.append(DiscretionCut(violation_id=vid, subject=subject, circumstance=circumstance, lenient_to=low, heavy_from=high, note=str(raw.get("note") or "").strip()[:500]))
    if not rows:
        raise ValidationFailed("请至少设置一项违法行为的裁量档次。", fields={"cuts": "请至少设置一项。"}, article=XZCF_34)
    std = DiscretionStandard(
        scope=scope, name=name, source_document=source_document, issuing_agency=issuing_agency, effective_from=effective_from, effective_to=effective_to,
        note=note, created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    std.full_clean()
    std.save()
    for r in rows:
        r.standard = std
    DiscretionCut.objects.bulk_create(rows)
    audit.record(
        actor=actor, action="discretion.create", obj=std, jurisdiction_id=scope_for(actor).jurisdiction_id,
        after={**audit.snapshot(std, ["scope", "name", "source_document", "issuing_agency", "effective_from", "effective_to"]), "cuts": [[r.violation_id, r.subject, r.circumstance, r.lenient_to, r.heavy_from] for r in rows]},
        note=f"登记裁量基准：{std.citation}",
    )  # fmt: skip
    return std


def _lock(actor: Any, standard: DiscretionStandard) -> DiscretionStandard:
    std = DiscretionStandard.objects.select_for_update().get(pk=standard.pk)
    authority.require_scope(actor, std.scope, what=WHAT)
    return std


@transaction.atomic
def standard_approve(*, actor: Any, standard: DiscretionStandard, approved: bool = True, opinion: str = "") -> DiscretionStandard:
    """Another person of the legal department approves (or refuses) the standard entered."""
    std = _lock(actor, standard)
    require_other_person(std.created_by, actor, what="裁量基准", article=XZCF_34)
    if std.status != DiscretionStatus.PENDING:
        raise DomainError(f"该裁量基准已{std.get_status_display()}。", code="already_decided")
    opinion = (opinion or "").strip()
    if not approved and not opinion:
        raise ValidationFailed("不予批准须写明理由。", fields={"opinion": "请写明不予批准的理由。"})
    if approved:
        # One standard in force per scope and violation at a time: an overlapping approved one must end first.
        keys = set(std.cuts.values_list("violation_id", "subject", "circumstance"))
        overlap = DiscretionStandard.objects.filter(scope=std.scope, status=DiscretionStatus.APPROVED).exclude(pk=std.pk)
        overlap = overlap.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=std.effective_from))
        if std.effective_to is not None:
            overlap = overlap.filter(effective_from__lte=std.effective_to)
        for other in overlap.prefetch_related("cuts"):
            if keys & {(c.violation_id, c.subject, c.circumstance) for c in other.cuts.all()}:
                raise DomainError(
                    f"适用范围{std.scope}已有同期生效的裁量基准{other.citation}规定了相同违法行为，请先终止原基准。",
                    code="discretion_overlap", article=XZCF_34,
                )  # fmt: skip
    std.status = DiscretionStatus.APPROVED if approved else DiscretionStatus.REFUSED
    std.approved_by, std.approved_at, std.approval_opinion = actor, timezone.now(), opinion[:300]
    std.save(update_fields=["status", "approved_by", "approved_at", "approval_opinion"])
    audit.record(actor=actor, action="discretion.approve", obj=std, jurisdiction_id=scope_for(actor).jurisdiction_id, after={"status": std.status}, note=opinion)
    return std


@transaction.atomic
def standard_end(*, actor: Any, standard: DiscretionStandard, effective_to: dt.date | None) -> DiscretionStandard:
    std = _lock(actor, standard)
    if effective_to is None or effective_to < std.effective_from:
        raise ValidationFailed("失效日期有误。", fields={"effective_to": "失效日期不能早于生效日期。"})
    before = std.effective_to
    std.effective_to = effective_to
    std.save(update_fields=["effective_to"])
    audit.record(
        actor=actor, action="discretion.end", obj=std, jurisdiction_id=scope_for(actor).jurisdiction_id, before={"effective_to": before}, after={"effective_to": effective_to}
    )
    return std


# --- which standard applies ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AppliedCuts:
    cuts: law_penalties.DiscretionCuts
    standard_id: int
    citation: str
    note: str


Key = tuple[str, str, str]  # (violation_id, subject, circumstance)


def cuts_for_many(*, jurisdiction_code: str, keys: Iterable[Key], on: dt.date) -> dict[Key, AppliedCuts]:
    """The approved standard in force on ``on`` for an agency of ``jurisdiction_code``, per
    violation: its own jurisdiction's, else the one above (the city's), else absent (the default
    thirds). One query for the cuts of every key, plus the jurisdiction chain."""
    wanted = set(keys)
    if not wanted:
        return {}
    codes = authority.scope_codes(jurisdiction_code)
    rows = list(
        DiscretionCut.objects.filter(
            violation_id__in={k[0] for k in wanted}, standard__status=DiscretionStatus.APPROVED, standard__scope__in=codes, standard__effective_from__lte=on,
        )
        .filter(Q(standard__effective_to__isnull=True) | Q(standard__effective_to__gte=on))
        .select_related("standard")
    )  # fmt: skip
    rows = [r for r in rows if (r.violation_id, r.subject, r.circumstance) in wanted]
    if not rows:
        return {}
    # The narrowest scope wins: the agency's own code, then up the chain (city, province, *).
    rank = {scope: (scope != jurisdiction_code, -authority.specificity(scope)) for scope in {r.standard.scope for r in rows}}
    out: dict[Key, AppliedCuts] = {}
    for row in sorted(rows, key=lambda r: (rank[r.standard.scope], -r.standard.effective_from.toordinal()), reverse=True):
        std = row.standard
        out[(row.violation_id, row.subject, row.circumstance)] = AppliedCuts(
            law_penalties.DiscretionCuts(row.lenient_to, row.heavy_from, std.citation), std.pk, std.citation, row.note
        )
    return out


def cuts_for(*, jurisdiction_code: str, violation_id: str, subject: str, circumstance: str, on: dt.date) -> AppliedCuts | None:
    key = (violation_id, subject, circumstance)
    return cuts_for_many(jurisdiction_code=jurisdiction_code, keys=[key], on=on).get(key)
