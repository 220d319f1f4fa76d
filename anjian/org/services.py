"""Every write to the organisation (STYLE.md principle 1)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from anjian.core import audit, idempotency
from anjian.core.admins import conflicting, is_security_admin
from anjian.core.errors import NotFound, PermissionRefused, ValidationFailed
from anjian.core.scoping import scope_for
from anjian.core.validators import date_bounds_error
from anjian.org.choices import CertificateEventKind, DepartmentKind, HeadKind, Role
from anjian.org.models import Agency, AgencyHead, Certificate, CertificateEvent, Department, Membership, RoleGrant, Staff


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
def staff_create(*, actor: Any, name: str, kind: str, user: Any = None, phone: str = "", gender: str = "", legal_qualification_no: str = "", agency: Agency | None = None) -> Staff:
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
    if roles and actor is not None:
        # A membership with roles is a grant: the security administrator's alone (三员分立). The
        # demo and the bootstrap commands pass no actor.
        _require_role_granter(actor, agency, staff)
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


# --- the bureau's own administration (issue 10 item 1) -------------------------------------------
# Each bureau runs its organisation itself: its office (办公室) and its security administrator
# (安全管理员) manage the bureau's own agency record, departments, staff, memberships and
# certificates. A city bureau manages the city bureau, a district the district: the city reads the
# districts' staff but does not change them (ARCHITECTURE.md rule 4: each bureau acts in its own
# name). Roles are granted and withdrawn by the security administrator only (三员分立,
# GB/T 22239-2019 level 3); the office registers people, memberships without roles, certificates
# and departments. Nothing is deleted: a membership is ended, a certificate gets an event.

ORG_MANAGER_ROLES: tuple[str, ...] = (Role.OFFICE, Role.SECURITY_ADMIN)
MANAGER_REFUSED = "只有本机关的办公室或安全管理员可以管理本机关的组织机构、人员和执法证。"
GRANT_REFUSED = "只有本机关的安全管理员可以授予或撤销角色（三员分立：安全管理员负责授权，办公室只登记人员和任职）。"
SELF_GRANT_REFUSED = "不能为自己授予或撤销角色（三员分立：授权须由另一名安全管理员办理）。"
AGENCY_FIELDS: tuple[str, ...] = ("name", "short_name", "doc_abbr", "address", "phone", "review_body", "court", "payment_place")
CERT_EVENT_KINDS_BY_HAND: tuple[str, ...] = tuple(CertificateEventKind.values)


def may_manage(user: Any) -> bool:
    """The office or the security administrator of a bureau (display and service check alike)."""
    scope = scope_for(user)
    return scope.is_member and scope.has_role(*ORG_MANAGER_ROLES)


def may_grant_roles(user: Any) -> bool:
    """Only the security administrator grants roles; a member of a bureau, acting for it."""
    return scope_for(user).is_member and is_security_admin(user)


def require_manager(actor: Any, agency: Agency | int | None) -> Any:
    """The actor's scope when it may manage ``agency``'s organisation: 404 when the agency is not
    even readable to it, 403 when it is readable but another bureau's, or the role is wrong."""
    scope = scope_for(actor)
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    if not scope.is_member:
        raise PermissionRefused(MANAGER_REFUSED, code="role_refused")
    if agency_id != scope.agency_id:
        row = Agency.objects.filter(pk=agency_id).only("name", "jurisdiction_id").first()
        if row is None or row.jurisdiction_id not in scope.agency_jurisdiction_ids:
            raise NotFound()
        raise PermissionRefused(f"{row.name}的组织机构和人员由该机关自行管理，本机关只能查看，不能修改。", code="not_owner")
    if not scope.has_role(*ORG_MANAGER_ROLES):
        raise PermissionRefused(MANAGER_REFUSED, code="role_refused")
    return scope


def staff_agency_ids(staff: Staff) -> set[int]:
    """The agencies the person has ever been a member of (their staff record is theirs to manage)."""
    return set(Membership.objects.filter(staff=staff).values_list("agency_id", flat=True))


def moved_to(staff: Staff, agency_id: int | None) -> Membership | None:
    """The person's latest membership when it is another bureau's than ``agency_id`` (they moved)."""
    latest = Membership.objects.filter(staff=staff).select_related("agency").order_by("-valid_from", "-pk").first()
    return latest if latest is not None and latest.agency_id != agency_id else None


def require_staff_manager(actor: Any, staff: Staff) -> Any:
    """A person's record (details, certificates, legal qualification) is managed by the bureau of
    their latest membership: after a transfer (``staff_transfer_in``) the bureau they left keeps
    reading what happened in its time but no longer changes the record."""
    scope = scope_for(actor)
    agencies = staff_agency_ids(staff)
    if scope.agency_id in agencies:
        latest = moved_to(staff, scope.agency_id)
        if latest is not None:
            raise PermissionRefused(f"该人员已调往{latest.agency.name}（自{latest.valid_from:%Y-%m-%d}起），其信息和执法证由该机关管理，本机关只能查看。", code="not_owner")
        return require_manager(actor, scope.agency_id)
    # Not a member of the actor's bureau: the person is another bureau's (or nobody's).
    readable = Agency.objects.filter(pk__in=agencies, jurisdiction_id__in=scope.agency_jurisdiction_ids).first()
    if readable is None:
        raise NotFound()
    return require_manager(actor, readable)


def _require_role_granter(actor: Any, agency: Agency, staff: Staff) -> None:
    """三员分立: the security administrator of the membership's bureau, never for themselves."""
    scope = scope_for(actor)
    if not scope.is_member and getattr(actor, "is_superuser", False):
        # The superuser that builds the demo (a command, not a signed-in person: in production
        # mode a superuser cannot sign in, core.admins.production).
        return
    if not may_grant_roles(actor) or scope.agency_id != agency.pk:
        raise PermissionRefused(GRANT_REFUSED, code="role_refused")
    if scope.staff_id is not None and scope.staff_id == staff.pk:
        raise PermissionRefused(SELF_GRANT_REFUSED, code="self_grant")


def _check_roles(roles: list[str], staff: Staff) -> list[str]:
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise ValidationFailed(f"未知角色：{'、'.join(unknown)}。", fields={"roles": "角色不存在。"})
    both = conflicting(roles)
    if both:
        names = "、".join(Role(r).label for r in both)
        raise ValidationFailed(f"{names}不能由同一人兼任（三员分立）。", fields={"roles": "系统管理员、安全管理员、审计管理员三者只能择一。"})
    if Role.OFFICER in roles and not staff.can_be_officer:
        raise ValidationFailed("专家和辅助人员不能担任执法人员（只有在编人员可以持证执法）。", fields={"roles": "非在编人员不能担任执法人员。"})
    return sorted(set(roles))


def _text_fields(**values: str | None) -> dict[str, str]:
    return {k: (v or "").strip() for k, v in values.items() if v is not None}


@transaction.atomic
def agency_update(*, actor: Any, agency: Agency, **changes: str) -> Agency:
    """Change the bureau's own record: its name, the 文号 abbreviation, the remedies its decisions
    name (行政处罚法 §59 ¶1(5); body and court may not be blank), where fines are paid (§67), the
    address and the phone. Fields not given keep their value."""
    require_manager(actor, agency)
    unknown = sorted(set(changes) - set(AGENCY_FIELDS))
    if unknown:
        raise ValidationFailed("不能修改这些字段。", fields={k: "不能修改。" for k in unknown})
    a = Agency.objects.select_for_update().get(pk=agency.pk)
    values = _text_fields(**changes)
    errors = {}
    for name, label in (("name", "机关全称"), ("short_name", "简称"), ("doc_abbr", "文书代字"), ("review_body", "行政复议机关"), ("court", "行政诉讼管辖法院")):
        if name in values and not values[name]:
            errors[name] = f"请填写{label}。"
    if errors:
        raise ValidationFailed("请填写必填项。", fields=errors)
    before = audit.snapshot(a, list(AGENCY_FIELDS))
    for k, v in values.items():
        setattr(a, k, v)
    _clean(a)
    after = audit.snapshot(a, list(AGENCY_FIELDS))
    old, new = audit.diff(before, after)
    if new:
        a.save(update_fields=list(new))
        audit.record(actor=actor, action="agency.update", obj=a, before=old, after=new, jurisdiction_id=a.jurisdiction_id)
    return a


@transaction.atomic
def agency_head_set(*, actor: Any, agency: Agency, staff: Staff, kind: str, valid_from: dt.date) -> AgencyHead:
    """The office or security administrator designates the bureau's 负责人 or 主要负责人 from a
    date (the dated history stays: the previous one ends the day before). The person must be a
    member of the bureau on that date."""
    require_manager(actor, agency)
    if kind not in HeadKind.values:
        raise ValidationFailed("请选择负责人类别。", fields={"kind": "类别不存在。"})
    if valid_from is not None and not Membership.objects.valid_on(valid_from).filter(staff=staff, agency=agency).exists():
        raise ValidationFailed(f"{staff.name}在{valid_from:%Y-%m-%d}不是本机关人员，不能指定为负责人。", fields={"staff": "该人员当日不在本机关任职。"})
    return agency_head_designate(actor=actor, agency=agency, staff=staff, kind=kind, valid_from=valid_from)


@transaction.atomic
def department_create(*, actor: Any, agency: Agency, name: str, kind: str, sector_group: str = "", setup: str = "") -> Department:
    require_manager(actor, agency)
    d = Department(agency=agency, name=(name or "").strip(), kind=kind, sector_group=(sector_group or "").strip(), setup=setup or "")
    _department_checks(d)
    d.save()
    audit.record(actor=actor, action="department.create", obj=d, after=audit.snapshot(d), jurisdiction_id=agency.jurisdiction_id)
    return d


@transaction.atomic
def department_update(*, actor: Any, department: Department, **changes: str) -> Department:
    require_manager(actor, department.agency_id)
    d = Department.objects.select_for_update().get(pk=department.pk)
    fields = ["name", "kind", "sector_group", "setup"]
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        raise ValidationFailed("不能修改这些字段。", fields={k: "不能修改。" for k in unknown})
    before = audit.snapshot(d, fields)
    for k, v in changes.items():
        setattr(d, k, (v or "").strip())
    _department_checks(d)
    old, new = audit.diff(before, audit.snapshot(d, fields))
    if new:
        d.save(update_fields=list(new))
        audit.record(actor=actor, action="department.update", obj=d, before=old, after=new, jurisdiction_id=d.agency.jurisdiction_id)
    return d


def _department_checks(d: Department) -> None:
    if not d.name:
        raise ValidationFailed("请填写科室名称。", fields={"name": "请填写科室名称。"})
    if d.kind != DepartmentKind.ENFORCEMENT and d.setup:
        raise ValidationFailed("只有执法队伍才区分内设或外设。", fields={"setup": "只有执法队伍才区分内设或外设。"})
    if Department.objects.filter(agency_id=d.agency_id, name=d.name).exclude(pk=d.pk).exists():
        raise ValidationFailed("同一机关内科室名称不能重复。", fields={"name": "本机关已有同名科室。"})
    _clean(d)


def _department_of(agency: Agency, department: Department | None) -> None:
    if department is not None and department.agency_id != agency.pk:
        raise ValidationFailed("科室不属于该机关。", fields={"department": "科室不属于该机关。"})


@transaction.atomic
def staff_register(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    kind: str,
    valid_from: dt.date,
    department: Department | None = None,
    title: str = "",
    gender: str = "",
    phone: str = "",
    legal_qualification_no: str = "",
    idempotency_key: str | None = None,
) -> Staff:
    """A new person of the bureau with a first membership (without roles: the security
    administrator grants them afterwards). A person always belongs to a bureau, so that only
    that bureau (and the city, reading) sees them. ``idempotency_key``: a double submit
    registers the person once."""
    require_manager(actor, agency)

    def do() -> Staff:
        return _staff_register(
            actor=actor,
            agency=agency,
            name=name,
            kind=kind,
            valid_from=valid_from,
            department=department,
            title=title,
            gender=gender,
            phone=phone,
            legal_qualification_no=legal_qualification_no,
        )

    staff, _ = idempotency.once(actor=actor, operation="staff.register", key=idempotency_key, model=Staff, do=do)
    return staff


def _staff_register(
    *, actor: Any, agency: Agency, name: str, kind: str, valid_from: dt.date, department: Department | None, title: str, gender: str, phone: str, legal_qualification_no: str
) -> Staff:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写姓名。", fields={"name": "请填写姓名。"})
    _department_of(agency, department)
    _date_errors(valid_from=(valid_from, "start"))
    staff = staff_create(
        actor=actor, name=name, kind=kind, phone=(phone or "").strip(), gender=gender or "", legal_qualification_no=(legal_qualification_no or "").strip(), agency=agency
    )
    membership_create(actor=actor, staff=staff, agency=agency, roles=[], valid_from=valid_from, department=department, title=(title or "").strip())
    return staff


@transaction.atomic
def membership_add(
    *,
    actor: Any,
    staff: Staff,
    agency: Agency,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    department: Department | None = None,
    title: str = "",
    roles: list[str] | None = None,
) -> Membership:
    """A further membership of a person of the bureau (a new post, a return). Roles only by the
    security administrator (``membership_create`` refuses anyone else)."""
    require_manager(actor, agency)
    if agency.pk not in staff_agency_ids(staff):
        raise NotFound()
    _department_of(agency, department)
    return membership_create(
        actor=actor, staff=staff, agency=agency, roles=list(roles or []), valid_from=valid_from, valid_to=valid_to, department=department, title=(title or "").strip()
    )


@transaction.atomic
def staff_transfer_in(
    *,
    actor: Any,
    agency: Agency,
    certificate_number: str,
    name: str,
    valid_from: dt.date,
    department: Department | None = None,
    title: str = "",
    idempotency_key: str | None = None,
) -> Staff:
    """A person moving in from another bureau (调入): the receiving bureau names them by their
    行政执法证 number and name, the two facts on the card they present. Their record (name,
    certificates and their events, legal qualification, login) moves with them; only a new
    membership starts here, without roles (the security administrator grants them, 三员分立).

    The old bureau ends its membership first (``membership_end``): one person serves one
    bureau at a time, and the refusal names the bureau that must do so. Nothing else of the
    old bureau (its records, acts done by the person there) changes or becomes visible."""
    require_manager(actor, agency)

    def do() -> Staff:
        return _staff_transfer_in(actor=actor, agency=agency, certificate_number=certificate_number, name=name, valid_from=valid_from, department=department, title=title)

    staff, _ = idempotency.once(actor=actor, operation="staff.transfer_in", key=idempotency_key, model=Staff, do=do)
    return staff


ALREADY_HERE = "该人员在本机关已有任职（或任职尚未结束），无需调入。"
TRANSFER_NOT_FOUND = "没有证件编号和姓名都相符的执法人员。请核对执法证上的编号和姓名；没有执法证的人员请直接登记。"


def _staff_transfer_in(*, actor: Any, agency: Agency, certificate_number: str, name: str, valid_from: dt.date, department: Department | None, title: str) -> Staff:
    number = (certificate_number or "").strip()
    name = (name or "").strip()
    errors = {}
    if not number:
        errors["certificate_number"] = "请填写执法证编号。"
    if not name:
        errors["name"] = "请填写姓名。"
    if errors:
        raise ValidationFailed("请填写执法证编号和姓名。", fields=errors)
    _department_of(agency, department)
    _date_errors(valid_from=(valid_from, "start"))
    cert = Certificate.objects.select_related("staff").filter(number=number).first()
    # The same answer for an unknown number and a wrong name: the form is no way to learn who
    # holds a number.
    if cert is None or cert.staff.name != name:
        raise ValidationFailed(TRANSFER_NOT_FOUND, fields={"certificate_number": TRANSFER_NOT_FOUND})
    staff = Staff.objects.select_for_update().get(pk=cert.staff_id)
    if Membership.objects.filter(staff=staff, agency=agency).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)).exists():
        raise ValidationFailed(ALREADY_HERE, fields={"certificate_number": ALREADY_HERE})
    open_elsewhere = (
        Membership.objects.filter(staff=staff)
        .exclude(agency=agency)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .select_related("agency")
        .order_by("valid_from")
        .first()
    )
    if open_elsewhere is not None:
        until = "长期" if open_elsewhere.valid_to is None else f"至{open_elsewhere.valid_to:%Y-%m-%d}"
        message = f"该人员在{open_elsewhere.agency.name}的任职（{until}）与调入日期重叠：请{open_elsewhere.agency.name}先登记任职结束（截止日期早于调入日期），再办理调入。"
        raise ValidationFailed(message, fields={"valid_from": message})
    previous = Membership.objects.filter(staff=staff).select_related("agency").order_by("-valid_from").first()
    m = membership_create(actor=actor, staff=staff, agency=agency, roles=[], valid_from=valid_from, department=department, title=(title or "").strip())
    audit.record(
        actor=actor,
        action="staff.transfer_in",
        obj=staff,
        after={"membership": m.pk, "valid_from": audit.jsonable(valid_from), "from_agency": previous.agency.name if previous else ""},
        jurisdiction_id=agency.jurisdiction_id,
    )
    return staff


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, valid_to: dt.date) -> Membership:
    """End a membership on ``valid_to`` (its last day). Never deleted: acts done during it keep
    naming it, and ``valid_on`` answers for any past date."""
    require_manager(actor, membership.agency_id)
    m = Membership.objects.select_for_update(of=("self",)).select_related("staff", "agency").get(pk=membership.pk)
    if valid_to is None:
        raise ValidationFailed("请填写任职截止日期。", fields={"valid_to": "请填写截止日期。"})
    _date_errors(valid_to=(valid_to, "end"))
    if valid_to < m.valid_from:
        raise ValidationFailed(f"截止日期不能早于任职起始日期（{m.valid_from:%Y-%m-%d}）。", fields={"valid_to": "截止日期不能早于起始日期。"})
    if m.valid_to is not None and valid_to >= m.valid_to:
        raise ValidationFailed(f"该任职已于{m.valid_to:%Y-%m-%d}结束。", fields={"valid_to": "该任职已结束。"})
    before = {"valid_to": audit.jsonable(m.valid_to)}
    m.valid_to = valid_to
    m.save(update_fields=["valid_to"])
    audit.record(actor=actor, action="membership.end", obj=m, before=before, after={"valid_to": audit.jsonable(valid_to)}, jurisdiction_id=m.agency.jurisdiction_id)
    return m


@transaction.atomic
def membership_roles_set(*, actor: Any, membership: Membership, roles: list[str], on: dt.date | None = None) -> Membership:
    """Grant or withdraw roles from ``on`` (default today). Only the security administrator of the
    membership's bureau, never for themselves (三员分立).

    Roles belong to a dated membership, so changing them in place would rewrite who was an officer
    on past dates. A membership that began before ``on`` is therefore ended the day before, and a
    new one with the same department and post and the new roles begins on ``on``; a membership
    beginning on or after ``on`` is changed in place. Returns the membership holding the roles."""
    from anjian.org.selectors import today

    m = Membership.objects.select_related("staff", "agency").get(pk=membership.pk)
    require_manager(actor, m.agency_id)
    _require_role_granter(actor, m.agency, m.staff)
    m = Membership.objects.select_for_update(of=("self",)).select_related("staff", "agency", "department").get(pk=m.pk)
    on = on or today()
    _date_errors(on=(on, "start"))
    new_roles = _check_roles(list(roles), m.staff)
    old_roles = sorted(RoleGrant.objects.filter(membership=m).values_list("role", flat=True))
    if m.valid_to is not None and m.valid_to < on:
        raise ValidationFailed(f"该任职已于{m.valid_to:%Y-%m-%d}结束，不能再变更其角色。", fields={"roles": "任职已结束。"})
    if new_roles == old_roles:
        return m
    target = m
    if m.valid_from < on:
        end = on - dt.timedelta(days=1)
        target = Membership.objects.create(staff=m.staff, agency=m.agency, department=m.department, title=m.title, valid_from=on, valid_to=m.valid_to)
        m.valid_to = end
        m.save(update_fields=["valid_to"])
        RoleGrant.objects.bulk_create([RoleGrant(membership=target, role=r) for r in new_roles])
    else:
        RoleGrant.objects.filter(membership=m).exclude(role__in=new_roles).delete()
        RoleGrant.objects.bulk_create([RoleGrant(membership=m, role=r) for r in new_roles if r not in old_roles])
    user = m.staff.user
    if Role.ADMIN in new_roles and user is not None and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit.record(
        actor=actor,
        action="membership.roles",
        obj=target,
        before={"roles": old_roles, "membership": m.pk},
        after={"roles": new_roles, "from": audit.jsonable(on), "membership": target.pk},
        jurisdiction_id=m.agency.jurisdiction_id,
    )
    return target


@transaction.atomic
def certificate_register(*, actor: Any, staff: Staff, number: str, issuer: str, valid_from: dt.date, valid_to: dt.date) -> Certificate:
    """The office registers a person's 行政执法证 (issued by the provincial government; the
    validity dates are the certificate's, LEGAL.md §8)."""
    require_staff_manager(actor, staff)
    number, issuer = (number or "").strip(), (issuer or "").strip()
    errors = {}
    if not number:
        errors["number"] = "请填写证件编号。"
    if not issuer:
        errors["issuer"] = "请填写发证机关。"
    if errors:
        raise ValidationFailed("请填写执法证信息。", fields=errors)
    if not staff.can_be_officer:
        raise ValidationFailed("只有在编人员可以持有行政执法证。", fields={"number": "专家和辅助人员不能登记执法证。"})
    if Certificate.objects.filter(number=number).exists():
        raise ValidationFailed(f"证件编号{number}已登记，不能重复登记。", fields={"number": "该证件编号已登记。"})
    return certificate_create(actor=actor, staff=staff, number=number, issuer=issuer, valid_from=valid_from, valid_to=valid_to)


@transaction.atomic
def certificate_event_record(*, actor: Any, certificate: Certificate, kind: str, date: dt.date, note: str = "") -> CertificateEvent:
    """Record an event of a certificate (annual review, suspension …); its history is never edited."""
    require_staff_manager(actor, certificate.staff)
    if kind not in CertificateEventKind.values:
        raise ValidationFailed("请选择事件类别。", fields={"kind": "事件类别不存在。"})
    return certificate_event_add(actor=actor, certificate=certificate, kind=kind, date=date, note=(note or "").strip())


@transaction.atomic
def staff_details_set(*, actor: Any, staff: Staff, name: str, gender: str = "", phone: str = "", note: str = "") -> Staff:
    """Correct a person's name, gender, phone or remark (a renamed person, a new phone number).

    Audited with the values before and after; the kind (在编/专家/辅助) is not changed here: it
    decides who may act as an officer, and is fixed at registration."""
    require_staff_manager(actor, staff)
    s = Staff.objects.select_for_update().get(pk=staff.pk)
    values = _text_fields(name=name, gender=gender, phone=phone, note=note)
    fields: dict[str, str] = {}
    if not values["name"]:
        fields["name"] = "请填写姓名。"
    if values["gender"] not in ("", "M", "F"):
        fields["gender"] = "性别只能是男或女。"
    if fields:
        raise ValidationFailed("人员信息有误，请核对。", fields=fields)
    before = {k: getattr(s, k) for k in values}
    if before == values:
        return s
    for k, v in values.items():
        setattr(s, k, v)
    _clean(s)
    s.save(update_fields=sorted(values))
    audit.record(actor=actor, action="staff.update", obj=s, before=before, after=values, jurisdiction_id=scope_for(actor).jurisdiction_id)
    return s


@transaction.atomic
def staff_safety_qualification_set(*, actor: Any, staff: Staff, qualified_on: dt.date | None, description: str) -> Staff:
    """Whether and since when the person has a safety-related education and practice (the seed's
    75 % target for the 在职人员, counted by the statistics at each period's end). Audited."""
    require_staff_manager(actor, staff)
    s = Staff.objects.select_for_update().get(pk=staff.pk)
    description = (description or "").strip()
    fields: dict[str, str] = {}
    if qualified_on is not None and (msg := date_bounds_error(qualified_on, "fact")):
        fields["qualified_on"] = msg
    if qualified_on is not None and not description:
        fields["description"] = "请写明专业学历和实践经验（如：安全工程专业本科，从事安全监管3年）。"
    if len(description) > 200:
        fields["description"] = "不超过200字。"
    if fields:
        raise ValidationFailed("安全生产专业学历和实践经验信息有误。", fields=fields)
    if qualified_on is None:
        description = ""
    before = {"safety_qualified_on": s.safety_qualified_on, "safety_qualification": s.safety_qualification}
    after = {"safety_qualified_on": qualified_on, "safety_qualification": description}
    if before == after:
        return s
    s.safety_qualified_on, s.safety_qualification = qualified_on, description
    s.save(update_fields=["safety_qualified_on", "safety_qualification"])
    audit.record(actor=actor, action="staff.safety_qualification", obj=s, before=before, after=after, jurisdiction_id=scope_for(actor).jurisdiction_id)
    return s


@transaction.atomic
def staff_legal_qualification_set(*, actor: Any, staff: Staff, number: str) -> Staff:
    """The person's 法律职业资格证书编号 (required of a first-time legal reviewer, 行政处罚法 §58 ¶2)."""
    require_staff_manager(actor, staff)
    s = Staff.objects.select_for_update().get(pk=staff.pk)
    number = (number or "").strip()
    if number and not re.fullmatch(r"[A-Za-z0-9\-]{4,32}", number):
        raise ValidationFailed("法律职业资格证书编号应为4至32位字母或数字。", fields={"legal_qualification_no": "编号格式不正确。"})
    before = {"legal_qualification_no": s.legal_qualification_no}
    if number == s.legal_qualification_no:
        return s
    s.legal_qualification_no = number
    s.save(update_fields=["legal_qualification_no"])
    audit.record(actor=actor, action="staff.legal_qualification", obj=s, before=before, after={"legal_qualification_no": number}, jurisdiction_id=scope_for(actor).jurisdiction_id)
    return s
