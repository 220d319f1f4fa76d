"""Every write to the organisation (STYLE.md principle 1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from anjian.core import audit
from anjian.core.admins import conflicting
from anjian.core.errors import ValidationFailed
from anjian.core.scoping import scope_for
from anjian.core.validators import date_bounds_error
from anjian.org.choices import CertificateEventKind, Role
from anjian.org.models import Agency, AgencyHead, Certificate, CertificateEvent, Membership, RoleGrant, Staff


def _staff_jurisdiction(staff: Staff, actor: Any, agency: Agency | None = None) -> int | None:
    """The jurisdiction an org event about ``staff`` belongs to, so each bureau's administrator
    sees its own staff's events and not other bureaus' (the audit list filters by jurisdiction):
    the given agency's, else the agency of the person's latest membership, else the actor's."""
    if agency is not None:
        return agency.jurisdiction_id
    latest = Membership.objects.filter(staff=staff).select_related("agency").order_by("-valid_from", "-id").first()
    if latest is not None:
        return latest.agency.jurisdiction_id
    scope = scope_for(actor) if actor is not None else None
    return scope.jurisdiction_id if scope is not None and scope.is_member else None


def _date_errors(**dates: tuple[dt.date | None, str]) -> None:
    errors = {name: msg for name, (value, kind) in dates.items() if (msg := date_bounds_error(value, kind))}
    if errors:
        raise ValidationFailed("日期有误，请核对。", fields=errors)


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from None


@transaction.atomic
def staff_create(
    *, actor: Any, name: str, kind: str, user: Any = None, phone: str = "", gender: str = "", legal_qualification_no: str = "", agency: Agency | None = None
) -> Staff:
    """``agency``: the bureau the person is registered for (its jurisdiction scopes the audit
    event; by default the actor's own bureau)."""
    staff = Staff(name=name, kind=kind, user=user, phone=phone, gender=gender, legal_qualification_no=legal_qualification_no)
    _clean(staff)
    staff.save()
    audit.record(actor=actor, action="staff.create", obj=staff, after=audit.snapshot(staff), jurisdiction_id=_staff_jurisdiction(staff, actor, agency))
    return staff


@transaction.atomic
def membership_create(
    *, actor: Any, staff: Staff, agency: Agency, roles: list[str], valid_from: dt.date, valid_to: dt.date | None = None, department: Any = None, title: str = ""
) -> Membership:
    _date_errors(valid_from=(valid_from, "start"), valid_to=(valid_to, "end"))
    m = Membership(staff=staff, agency=agency, department=department, valid_from=valid_from, valid_to=valid_to, title=title)
    _clean(m)
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise ValidationFailed(f"未知角色：{'、'.join(unknown)}。", fields={"roles": "角色不存在。"})
    both = conflicting(roles)
    if both:
        # 三员分立 (GB/T 22239-2019 level 3: the administrators' privileges are separated).
        names = "、".join(Role(r).label for r in both)
        raise ValidationFailed(f"{names}不能由同一人兼任（三员分立）。", fields={"roles": "系统管理员、安全管理员、审计管理员三者只能择一。"})
    if department is not None and department.agency_id != agency.pk:
        raise ValidationFailed("科室不属于该机关。", fields={"department": "科室不属于该机关。"})
    overlapping = Membership.objects.filter(staff=staff).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if overlapping.exists():
        raise ValidationFailed("该人员在此期间已有任职，请先结束原任职。", fields={"valid_from": "与已有任职期间重叠。"})
    m.save()
    RoleGrant.objects.bulk_create([RoleGrant(membership=m, role=r) for r in sorted(set(roles))])
    if "admin" in roles and staff.user is not None and not staff.user.is_staff:
        # The 系统管理员 role works in the Django admin (calendar, overrides); the admin classes
        # check the role again on every page.
        staff.user.is_staff = True
        staff.user.save(update_fields=["is_staff"])
    audit.record(actor=actor, action="membership.create", obj=m, after={**audit.snapshot(m), "roles": sorted(set(roles))}, jurisdiction_id=agency.jurisdiction_id)
    return m


@transaction.atomic
def certificate_create(*, actor: Any, staff: Staff, number: str, issuer: str, valid_from: dt.date, valid_to: dt.date) -> Certificate:
    cert = Certificate(staff=staff, number=number, issuer=issuer, valid_from=valid_from, valid_to=valid_to)
    _date_errors(valid_from=(valid_from, "start"), valid_to=(valid_to, "end"))
    if valid_to < valid_from:
        raise ValidationFailed("执法证有效期止早于有效期起。", fields={"valid_to": "有效期止不能早于有效期起。"})
    _clean(cert)
    cert.save()
    CertificateEvent.objects.create(certificate=cert, kind=CertificateEventKind.ISSUED, date=valid_from)
    audit.record(actor=actor, action="certificate.create", obj=cert, after=audit.snapshot(cert), jurisdiction_id=_staff_jurisdiction(staff, actor))
    return cert


@transaction.atomic
def certificate_event_add(*, actor: Any, certificate: Certificate, kind: str, date: dt.date, note: str = "") -> CertificateEvent:
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    _date_errors(date=(date, "fact"))
    if date < cert.valid_from:
        raise ValidationFailed("事件日期早于证件有效期起。", fields={"date": "事件日期早于证件有效期起。"})
    if kind in (CertificateEventKind.SUSPENDED, CertificateEventKind.REVOKED) and not note:
        raise ValidationFailed("暂扣或吊销执法证须写明原因。", fields={"note": "请填写原因。"})
    ev = CertificateEvent(certificate=cert, kind=kind, date=date, note=note)
    _clean(ev)
    ev.save()
    audit.record(actor=actor, action="certificate.event", obj=cert, after={"kind": kind, "date": date, "note": note}, jurisdiction_id=_staff_jurisdiction(cert.staff, actor))
    return ev


@transaction.atomic
def agency_head_designate(*, actor: Any, agency: Agency, staff: Staff, kind: str, valid_from: dt.date) -> AgencyHead:
    """Designate a head from ``valid_from``; the previous designation of that kind ends the day before."""
    Agency.objects.select_for_update().get(pk=agency.pk)
    _date_errors(valid_from=(valid_from, "start"))
    current = AgencyHead.objects.filter(agency=agency, kind=kind, valid_to__isnull=True).first()
    if current is not None:
        if current.valid_from >= valid_from:
            raise ValidationFailed("新任职起始日期必须晚于现任的起始日期。", fields={"valid_from": "日期不正确。"})
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    head = AgencyHead.objects.create(agency=agency, staff=staff, kind=kind, valid_from=valid_from)
    audit.record(actor=actor, action="agency.head", obj=agency, after={"kind": kind, "staff": staff.pk, "valid_from": valid_from}, jurisdiction_id=agency.jurisdiction_id)
    return head


@transaction.atomic
def agency_remedies_set(*, actor: Any, agency: Agency, review_body: str, court: str, payment_place: str | None = None) -> Agency:
    """Set the reconsideration body and the court the agency's served decisions name (行政处罚法
    §59 ¶1(5); 行政复议法 §24; 行政诉讼法 §18), and where fines are paid (§67; ``None`` keeps it).
    Body and court are required: a decision without them is refused."""
    a = Agency.objects.select_for_update().get(pk=agency.pk)
    review_body, court = (review_body or "").strip(), (court or "").strip()
    errors = {}
    if not review_body:
        errors["review_body"] = "请填写行政复议机关（如：烟台市芝罘区人民政府）。"
    if not court:
        errors["court"] = "请填写行政诉讼管辖法院（如：烟台市芝罘区人民法院）。"
    if errors:
        raise ValidationFailed("请填写行政复议机关和行政诉讼管辖法院。", fields=errors)
    before = {"review_body": a.review_body, "court": a.court, "payment_place": a.payment_place}
    a.review_body, a.court = review_body, court
    if payment_place is not None:
        a.payment_place = payment_place.strip()
    _clean(a)
    a.save(update_fields=["review_body", "court", "payment_place"])
    after = {"review_body": a.review_body, "court": a.court, "payment_place": a.payment_place}
    audit.record(actor=actor, action="agency.remedies", obj=a, before=before, after=after, jurisdiction_id=a.jurisdiction_id)
    return a
