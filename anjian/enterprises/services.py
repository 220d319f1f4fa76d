"""Every write to the ledger. Views, API, import and admin call these (STYLE.md principle 1).

Each function is one transaction: it checks the owner and the rules, writes, and audits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from anjian.core import audit, idempotency
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.models import Jurisdiction
from anjian.core.scoping import Scope, require_owner, scope_for
from anjian.core.validators import date_bounds_error, id_number_error, normalize_uscc, uscc_error
from anjian.enterprises.choices import SECTOR_GROUP_FLAGS, DeclaredStatus, LicenceStatus
from anjian.enterprises.models import (
    Enterprise,
    EnterpriseStatusEvent,
    Feature,
    KeyPerson,
    Licence,
    MajorHazardSource,
    PlannedSubject,
    Sector,
    Site,
)
from anjian.enterprises.search import search_text_for
from anjian.org.choices import LEDGER_WRITE_ROLES, AgencyLevel, Role
from anjian.org.models import Agency
from anjian.org.selectors import agency_for_jurisdiction

# Fields an edit may change; jurisdiction moves only by transfer, status only by its service.
EDITABLE_FIELDS = [
    "name",
    "uscc",
    "unlicensed",
    "legal_representative",
    "principal",
    "principal_phone",
    "contact_name",
    "contact_phone",
    "division",
    "registered_address",
    "industry",
    "scale",
    "employees",
    "risk_scheme",
    "risk_grade",
    "standardization_level",
    "chemical_park",
    "note",
]
TRANSFER_ROLES = (Role.DEPT_HEAD, Role.LEADER)
SUBJECT_ROLES = (Role.DEPT_HEAD, Role.LEADER)


def uscc_taken_message(other: Enterprise, scope: Scope | None) -> str:
    """The refusal of a credit code already registered. It names the unit and its bureau only when
    the actor may read that unit; otherwise it says only that the code exists elsewhere (the
    ledger of another district is not the actor's to read, ARCHITECTURE.md rule 4)."""
    visible = scope is not None and other.jurisdiction_id in scope.jurisdiction_ids
    if visible:
        return f"统一社会信用代码{other.uscc}已登记为“{other.name}”（{other.owner_agency.name}管理），同一代码在本系统中只能登记一次。"
    return f"统一社会信用代码{other.uscc}已在本系统的其他辖区登记，同一代码只能登记一次；如该单位已迁入本辖区，请联系原管理机关办理辖区移交。"


def uscc_taken_error(code: str | None, *, exclude_pk: int | None, scope: Scope | None) -> str | None:
    """The message when ``code`` is registered for another unit (forms and API check it per field,
    so it is shown together with every other error)."""
    if not code:
        return None
    code = normalize_uscc(code)
    other = Enterprise.objects.filter(uscc=code).exclude(pk=exclude_pk).select_related("owner_agency").first()
    return uscc_taken_message(other, scope) if other is not None else None


def enterprise_identity_errors(ent: Enterprise, *, check_unique: bool = True, actor: Any = None) -> dict[str, str]:
    """Field errors of a unit's identity and grading (normalises the credit code in place).

    ``check_unique=False`` skips the one uniqueness query: the Excel import decides uniqueness
    for a whole batch with one query instead. ``actor`` decides whether a clash may name the
    other unit (``uscc_taken_message``).
    """
    errors: dict[str, str] = {}
    if ent.uscc:
        ent.uscc = normalize_uscc(ent.uscc)
        msg = uscc_error(ent.uscc)
        if msg:
            errors["uscc"] = msg
        elif check_unique:
            taken = uscc_taken_error(ent.uscc, exclude_pk=ent.pk, scope=scope_for(actor) if actor is not None else None)
            if taken:
                errors["uscc"] = taken
    else:
        ent.uscc = None
        if not ent.unlicensed:
            errors["uscc"] = "请填写统一社会信用代码；确无登记的，请勾选“无证无照”。"
    if ent.risk_grade:
        scheme = ent.risk_scheme
        if scheme is None:
            errors["risk_scheme"] = "填写风险等级时须选择分级方案。"
        elif ent.risk_grade not in scheme.grades:
            errors["risk_grade"] = f"风险等级须为分级方案“{scheme.name}”中的一级：{'、'.join(scheme.grades)}。"
    if ent.chemical_park is not None and ent.jurisdiction_id is not None and ent.chemical_park.jurisdiction_id not in {ent.jurisdiction_id, ent.jurisdiction.parent_id}:
        errors["chemical_park"] = "化工园区不在该企业所属辖区。"
    return errors


def _validate_enterprise(ent: Enterprise, actor: Any) -> None:
    """Every error of the unit at once: identity and grading, then each field's own validation
    (required, length, telephone …) for the fields the identity check left alone."""
    fields: dict[str, list[str]] = {k: [v] for k, v in enterprise_identity_errors(ent, actor=actor).items()}
    try:
        ent.full_clean(exclude=["search_text"], validate_unique=False)
    except ValidationError as exc:
        for name, msgs in exc.message_dict.items():
            key = "non_field_errors" if name == "__all__" else name
            if key not in fields:
                fields[key] = list(msgs)
    if fields:
        raise ValidationFailed("企业信息有误，请按提示修改。", fields=fields)


class StaleVersion(DomainError):
    """An edit made from a page (or API read) older than the record (lost update)."""

    http_status = 409
    default_code = "stale_version"


def check_version(ent: Enterprise, version: int | None) -> None:
    """Refuse an edit whose ``version`` is not the unit's current one (optimistic locking)."""
    if version is not None and int(version) != ent.version:
        raise StaleVersion(
            f"企业“{ent.name}”在您打开页面后已被他人修改（当前为第{ent.version}版，您修改的是第{version}版）。"
            "为免覆盖他人的修改，本次保存未执行：请重新打开页面，核对最新内容后再修改。"
        )


def history_baseline(ents: Iterable[Enterprise]) -> None:
    """Units loaded without row history (the demo, data migrations) get one record of their state
    before the first change, dated when they were registered, so 修改历史 shows what a change
    changed instead of a change with no fields. Call it before the units' new values are saved."""
    ents = list(ents)
    if not ents:
        return
    have = set(Enterprise.history.filter(id__in=[e.pk for e in ents]).values_list("id", flat=True).distinct())
    missing = [e for e in ents if e.pk not in have]
    for e in missing:
        e._history_date = e.created_at  # type: ignore[attr-defined]
    if missing:
        Enterprise.history.bulk_history_create(missing, default_change_reason="补记：登记时未留存修改记录，此为首次修改前的状态")
    for e in missing:
        del e._history_date  # type: ignore[attr-defined]


def _codes(model: Any, codes: Iterable[str] | None, field: str, label: str) -> list[Any]:
    wanted = sorted(set(codes or []))
    found = list(model.objects.filter(code__in=wanted))
    missing = sorted(set(wanted) - {o.code for o in found})
    if missing:
        raise ValidationFailed(f"未知的{label}：{'、'.join(missing)}。", fields={field: f"未知的{label}：{'、'.join(missing)}。"})
    return found


def _save_enterprise(ent: Enterprise) -> None:
    ent.search_text = search_text_for(name=ent.name, uscc=ent.uscc)
    try:
        with transaction.atomic():
            ent.save()
    except IntegrityError:
        # A concurrent insert of the same credit code lost the race against the unique index.
        raise ValidationFailed("统一社会信用代码已被登记。", fields={"uscc": "统一社会信用代码已被登记。"}) from None


def refresh_classification(enterprise_ids: Iterable[int] | None = None) -> int:
    """Recompute what is copied from the sector and feature links onto the unit (one UPDATE): the
    group flags and ``class_bits`` (classification.py). Every path that changes a unit's sectors or
    features calls it: the services, the Excel import, the demo, the data migrations."""
    from django.db.models import BigIntegerField, Exists, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    def bits(through: Any, field: str) -> Any:
        total = through.objects.filter(enterprise_id=OuterRef("pk")).values("enterprise_id").annotate(m=Sum(f"{field}__mask")).values("m")
        return Coalesce(Subquery(total, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())

    s_through, f_through = Enterprise.sectors.through, Enterprise.features.through
    links = s_through.objects.filter(enterprise_id=OuterRef("pk"))
    qs = Enterprise.objects.all() if enterprise_ids is None else Enterprise.objects.filter(pk__in=list(enterprise_ids))
    # Distinct single bits summed are their bitwise OR (a unit links a sector at most once).
    return qs.update(
        **{flag: Exists(links.filter(sector__group_id=group)) for group, flag in SECTOR_GROUP_FLAGS.items()},
        class_bits=bits(s_through, "sector") + bits(f_through, "feature"),
    )


def _agency_of(jurisdiction: Jurisdiction) -> Agency:
    agency = agency_for_jurisdiction(jurisdiction.pk)
    if agency is None:
        raise ValidationFailed("该辖区没有对应的执法机关。", fields={"jurisdiction": "该辖区没有对应的执法机关。"})
    return agency


@transaction.atomic
def enterprise_create(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    sectors: Iterable[str] = (),
    features: Iterable[str] = (),
    idempotency_key: str | None = None,
    **fields: Any,
) -> Enterprise:
    """Register a unit in the actor's own jurisdiction (the owning agency writes, ARCHITECTURE.md rule 4).

    ``idempotency_key`` (the API's ``Idempotency-Key``, a page's one-time form key) makes a double
    submit return the unit the first one registered — a unit without a credit code has nothing
    else that would stop a second copy."""
    ent, _ = idempotency.once(
        actor=actor, operation="enterprise.create", key=idempotency_key, model=Enterprise,
        do=lambda: _enterprise_create(actor=actor, jurisdiction=jurisdiction, sectors=sectors, features=features, **fields),
    )  # fmt: skip
    return ent


def _enterprise_create(*, actor: Any, jurisdiction: Jurisdiction, sectors: Iterable[str], features: Iterable[str], **fields: Any) -> Enterprise:
    scope = scope_for(actor)
    if jurisdiction is None or jurisdiction.pk not in scope.jurisdiction_ids:
        raise ValidationFailed("所属辖区不存在或不在本机关管辖范围内。", fields={"jurisdiction": "所属辖区不存在或不在本机关管辖范围内。"})
    agency = _agency_of(jurisdiction)
    if agency.pk != scope.agency_id:
        raise PermissionRefused(f"{jurisdiction.name}的企业由{agency.name}登记，本机关不能代为登记。", code="not_owner")
    if not scope.has_role(*LEDGER_WRITE_ROLES):
        raise PermissionRefused("您的角色无权登记企业。", code="role_refused")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能直接设置字段：{'、'.join(sorted(unknown))}。", fields={k: "不能直接设置此字段。" for k in unknown})
    ent = Enterprise(jurisdiction=jurisdiction, owner_agency=agency, **fields)
    _validate_enterprise(ent, actor)
    sector_objs = _codes(Sector, sectors, "sectors", "监管行业")
    feature_objs = _codes(Feature, features, "features", "行业领域特征")
    _save_enterprise(ent)
    ent.sectors.set(sector_objs)
    ent.features.set(feature_objs)
    refresh_classification([ent.pk])
    audit.record(actor=actor, action="enterprise.create", obj=ent, after={**audit.snapshot(ent), "sectors": sorted(o.code for o in sector_objs), "features": sorted(o.code for o in feature_objs)})
    return ent


@transaction.atomic
def enterprise_update(
    *,
    actor: Any,
    enterprise: Enterprise,
    sectors: Iterable[str] | None = None,
    features: Iterable[str] | None = None,
    version: int | None = None,
    **changes: Any,
) -> Enterprise:
    """Change the unit's own fields. ``version`` is the version the editor read (the edit form
    carries it, the API takes ``If-Match`` or ``version``); an older one is refused (409)."""
    ent = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require_owner(actor, ent, roles=LEDGER_WRITE_ROLES, what=f"企业“{ent.name}”")
    check_version(ent, version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能通过修改设置字段：{'、'.join(sorted(unknown))}（辖区须办理移交，经营状态须登记变更）。", fields={k: "不能直接修改此字段。" for k in unknown})
    before = {**audit.snapshot(ent), "sectors": sorted(ent.sectors.values_list("code", flat=True)), "features": sorted(ent.features.values_list("code", flat=True))}
    fields_changed = any(getattr(ent, k) != v for k, v in changes.items())
    fields_changed = fields_changed or (sectors is not None and sorted(set(sectors)) != before["sectors"])
    fields_changed = fields_changed or (features is not None and sorted(set(features)) != before["features"])
    if fields_changed:
        history_baseline([ent])
    for k, v in changes.items():
        setattr(ent, k, v)
    _validate_enterprise(ent, actor)
    if fields_changed:
        ent.version += 1
    _save_enterprise(ent)
    after = {**audit.snapshot(ent), "sectors": before["sectors"], "features": before["features"]}
    if sectors is not None:
        objs = _codes(Sector, sectors, "sectors", "监管行业")
        ent.sectors.set(objs)
        after["sectors"] = sorted(o.code for o in objs)
    if features is not None:
        objs = _codes(Feature, features, "features", "行业领域特征")
        ent.features.set(objs)
        after["features"] = sorted(o.code for o in objs)
    if sectors is not None or features is not None:
        refresh_classification([ent.pk])
    old, new = audit.diff(before, after)
    if new:
        audit.record(actor=actor, action="enterprise.update", obj=ent, before=old, after=new)
    return ent


@transaction.atomic
def enterprise_set_status(*, actor: Any, enterprise: Enterprise, status: str, effective_date: dt.date, reason: str) -> EnterpriseStatusEvent:
    """Record the unit's own declaration (在产/停产/关闭). Measures are not set here."""
    ent = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require_owner(actor, ent, roles=LEDGER_WRITE_ROLES, what=f"企业“{ent.name}”")
    errors: dict[str, str] = {}
    if status not in DeclaredStatus.values:
        errors["status"] = "经营状态须为在产、停产或关闭。"
    if not (reason or "").strip():
        errors["reason"] = "变更经营状态必须填写原因。"
    if effective_date is None:
        errors["effective_date"] = "请填写生效日期。"
    elif effective_date > timezone.localdate():
        errors["effective_date"] = "生效日期不能晚于今天：登记的是已经发生的事实。"
    elif msg := date_bounds_error(effective_date, "fact"):
        errors["effective_date"] = msg
    if not errors and status == ent.declared_status:
        errors["status"] = f"企业当前已是“{DeclaredStatus(status).label}”状态。"
    if errors:
        raise ValidationFailed("经营状态变更有误。", fields=errors)
    latest = ent.status_events.order_by("-effective_date").first()
    if latest is not None and effective_date < latest.effective_date:
        raise ValidationFailed("生效日期早于上一次状态变更。", fields={"effective_date": f"不能早于上一次变更的生效日期{latest.effective_date:%Y-%m-%d}。"})
    ev = EnterpriseStatusEvent.objects.create(enterprise=ent, status=status, effective_date=effective_date, reason=reason.strip())
    before = ent.declared_status
    ent.declared_status = status
    ent.save(update_fields=["declared_status", "updated_at"])
    audit.record(actor=actor, action="enterprise.status", obj=ent, before={"declared_status": before}, after={"declared_status": status, "effective_date": effective_date}, note=reason.strip())
    return ev


@transaction.atomic
def enterprise_transfer(*, actor: Any, enterprise: Enterprise, to_jurisdiction: Jurisdiction, effective_date: dt.date, reason: str) -> Enterprise:
    """Move a unit to another jurisdiction (its own audited action; ARCHITECTURE.md rule 4)."""
    ent = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require_owner(actor, ent, roles=TRANSFER_ROLES, what=f"企业“{ent.name}”")
    errors: dict[str, str] = {}
    if to_jurisdiction is None:
        errors["to_jurisdiction"] = "请选择移入的辖区。"
    elif to_jurisdiction.pk == ent.jurisdiction_id:
        errors["to_jurisdiction"] = "移入辖区与当前辖区相同。"
    elif not Jurisdiction.objects.valid_on(effective_date or timezone.localdate()).filter(pk=to_jurisdiction.pk).exists():
        errors["to_jurisdiction"] = "移入辖区在生效日期不存在。"
    if not (reason or "").strip():
        errors["reason"] = "移交必须填写原因。"
    if effective_date is None:
        errors["effective_date"] = "请填写生效日期。"
    elif msg := date_bounds_error(effective_date, "start"):
        errors["effective_date"] = msg
    if errors:
        raise ValidationFailed("辖区移交有误。", fields=errors)
    new_agency = _agency_of(to_jurisdiction)
    old = {"jurisdiction": ent.jurisdiction_id, "owner_agency": ent.owner_agency_id}
    old_agency_id = ent.owner_agency_id
    ent.jurisdiction = to_jurisdiction
    ent.owner_agency = new_agency
    ent.save(update_fields=["jurisdiction", "owner_agency", "updated_at"])
    # A planned subject held by the old district bureau passes to the new one (一企一主体).
    current = PlannedSubject.objects.filter(enterprise=ent, agency_id=old_agency_id, valid_from__lt=effective_date).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=effective_date)).first()
    if current is not None:
        current.valid_to = effective_date - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
        PlannedSubject.objects.create(enterprise=ent, agency=new_agency, valid_from=effective_date, valid_to=None, note="辖区移交")
    _refresh_supervision_level(ent)
    # Records stay with the bureau that made them (docs/architecture.md, "A unit that moves"): the
    # apps above say what stays behind (open hazards the old bureau re-inspects and closes).
    kept: dict[str, Any] = {}
    for hook in _transfer_hooks:
        kept.update(hook(ent, old_agency_id))
    after = {"jurisdiction": to_jurisdiction.pk, "owner_agency": new_agency.pk, "effective_date": effective_date, **kept}
    audit.record(actor=actor, action="enterprise.transfer", obj=ent, before=old, after=after, note=reason.strip())
    # The receiving jurisdiction sees the transfer in its own audit view too.
    audit.record(actor=actor, action="enterprise.transfer", obj=ent, before=old, after={"jurisdiction": to_jurisdiction.pk}, note=reason.strip(), jurisdiction_id=old["jurisdiction"])
    return ent


def _refresh_supervision_level(ent: Enterprise) -> None:
    """Copy today's planned subject onto the unit (subject_agency, supervision_level)."""
    refresh_planned_subjects([ent.pk])
    ent.refresh_from_db(fields=["subject_agency", "supervision_level"])


def refresh_planned_subjects(enterprise_ids: Iterable[int] | None = None, *, day: dt.date | None = None) -> int:
    """Copy the planned subject valid on ``day`` (today) onto the units: ``subject_agency`` and
    ``supervision_level`` (市管/区管). The subject services call it for one unit; the daily
    ``anjian ledger refresh`` calls it for all, because a subject starts or ends on a date without
    anyone acting. Writes only the units whose values change; returns how many."""
    day = day or timezone.localdate()
    current = PlannedSubject.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    units = Enterprise.objects.all()
    if enterprise_ids is not None:
        ids = list(enterprise_ids)
        current, units = current.filter(enterprise_id__in=ids), units.filter(pk__in=ids)
    # Periods never overlap (一企一主体), so a unit has at most one current subject.
    today_agency = dict(current.values_list("enterprise_id", "agency_id"))
    city = set(Agency.objects.filter(level=AgencyLevel.CITY).values_list("pk", flat=True))
    changed: dict[tuple[int | None, str, int | None, str], list[int]] = {}
    for pk, has_agency, has_level in units.values_list("pk", "subject_agency_id", "supervision_level").iterator(chunk_size=5000):
        want = today_agency.get(pk)
        want_level = "none" if want is None else ("city" if want in city else "district")
        if (has_agency, has_level) != (want, want_level):
            changed.setdefault((has_agency, has_level, want, want_level), []).append(pk)
    n = 0
    for (read_agency, read_level, agency_id, level), pks in changed.items():
        for i in range(0, len(pks), 5000):
            # Only rows still holding what was read: a subject service that refreshed a unit in the
            # meantime wrote the newer answer, which this pass must not overwrite.
            n += Enterprise.objects.filter(pk__in=pks[i : i + 5000], subject_agency_id=read_agency, supervision_level=read_level).update(
                subject_agency_id=agency_id, supervision_level=level
            )
    return n


def may_assign_subject(scope: Any, ent: Enterprise) -> bool:
    """Who assigns or ends a unit's planned subject (the pages ask it to show the forms)."""
    return _subject_bureau(scope, ent) and scope.has_role(*SUBJECT_ROLES)


def _subject_bureau(scope: Any, ent: Enterprise) -> bool:
    # The owning bureau, or the city bureau that allocates subjects in the annual plan.
    return bool(scope.agency_id == ent.owner_agency_id or scope.agency_level == AgencyLevel.CITY)


def _may_assign_subject(actor: Any, ent: Enterprise) -> None:
    scope = scope_for(actor)
    if ent.jurisdiction_id not in scope.jurisdiction_ids:
        raise NotFound()
    if not _subject_bureau(scope, ent):
        raise PermissionRefused("只有企业所属机关或市局可以指定年度计划执法主体。", code="not_owner")
    if not scope.has_role(*SUBJECT_ROLES):
        raise PermissionRefused("指定年度计划执法主体须由科室负责人、局领导或系统管理员办理。", code="role_refused")


@transaction.atomic
def planned_subject_assign(*, actor: Any, enterprise: Enterprise, agency: Agency, valid_from: dt.date, valid_to: dt.date | None = None, note: str = "") -> PlannedSubject:
    """一企一主体: one planned enforcement subject at a time, periods never overlap."""
    ent = Enterprise.objects.select_for_update().get(pk=enterprise.pk)  # serialises concurrent assignments
    _may_assign_subject(actor, ent)
    if valid_from is None:
        raise ValidationFailed("请填写起始日期。", fields={"valid_from": "请填写起始日期。"})
    bounds = {k: m for k, m in (("valid_from", date_bounds_error(valid_from, "start")), ("valid_to", date_bounds_error(valid_to, "end"))) if m}
    if bounds:
        raise ValidationFailed("执法主体的期间有误。", fields=bounds)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed("截止日期不能早于起始日期。", fields={"valid_to": "截止日期不能早于起始日期。"})
    if agency.jurisdiction_id not in {ent.jurisdiction_id, ent.jurisdiction.parent_id}:
        raise ValidationFailed(f"{agency.name}对该企业没有管辖权，不能作为其执法主体。", fields={"agency": "该机关对企业没有管辖权。"})
    clash = PlannedSubject.objects.filter(enterprise=ent).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)).select_related("agency")
    if valid_to is not None:
        clash = clash.filter(valid_from__lte=valid_to)
    other = clash.first()
    if other is not None:
        until = f"至{other.valid_to:%Y年%m月%d日}" if other.valid_to else "起长期"
        msg = f"该企业在此期间已由{other.agency.name}作为年度计划执法主体（{other.valid_from:%Y年%m月%d日}{until}），一企一主体，不能重复指定。"
        raise ValidationFailed(msg, fields={"valid_from": msg})
    ps = PlannedSubject.objects.create(enterprise=ent, agency=agency, valid_from=valid_from, valid_to=valid_to, note=note)
    _refresh_supervision_level(ent)
    audit.record(actor=actor, action="enterprise.subject_assign", obj=ent, after={"agency": agency.pk, "agency_name": agency.name, "valid_from": valid_from, "valid_to": valid_to})
    return ps


@transaction.atomic
def planned_subject_end(*, actor: Any, subject: PlannedSubject, valid_to: dt.date) -> PlannedSubject:
    ps = PlannedSubject.objects.select_for_update(of=("self",)).select_related("enterprise", "agency").get(pk=subject.pk)
    _may_assign_subject(actor, ps.enterprise)
    if valid_to is None:
        raise ValidationFailed("请填写截止日期。", fields={"valid_to": "请填写截止日期。"})
    if msg := date_bounds_error(valid_to, "end"):
        raise ValidationFailed(msg, fields={"valid_to": msg})
    if valid_to < ps.valid_from:
        raise ValidationFailed("截止日期不能早于起始日期。", fields={"valid_to": "截止日期不能早于起始日期。"})
    if ps.valid_to is not None and valid_to > ps.valid_to:
        # Moving the end later could run into the next subject's period (一企一主体).
        msg = f"该执法主体已于{ps.valid_to:%Y年%m月%d日}截止，只能提前结束，不能延长；延长请重新指定。"
        raise ValidationFailed(msg, fields={"valid_to": msg})
    ps.valid_to = valid_to
    ps.save(update_fields=["valid_to"])
    _refresh_supervision_level(ps.enterprise)
    audit.record(actor=actor, action="enterprise.subject_end", obj=ps.enterprise, after={"agency": ps.agency_id, "valid_to": valid_to})
    return ps


# --- child records: sites, licences, key personnel, major hazard sources -------------------------
CHILD_RECORDS = {
    Site: ("site", ["name", "address", "street", "division", "latitude", "longitude", "is_primary"]),
    Licence: ("licence", ["kind", "number", "issuer", "scope", "valid_from", "valid_to", "status"]),
    KeyPerson: ("keyperson", ["role", "name", "id_number", "phone", "certificate_kind", "certificate_no", "certificate_expiry"]),
    MajorHazardSource: ("hazardsource", ["site", "name", "level", "substance", "quantity_t", "record_no"]),
}


def _check_child(obj: Any) -> None:
    errors: dict[str, str] = {}
    if isinstance(obj, KeyPerson) and obj.id_number:
        msg = id_number_error(obj.id_number)
        if msg:
            errors["id_number"] = msg
        obj.id_number = obj.id_number.strip().upper()
    if isinstance(obj, Licence) and obj.valid_from and obj.valid_to and obj.valid_to < obj.valid_from:
        errors["valid_to"] = "有效期止不能早于有效期起。"
    if isinstance(obj, Licence) and Licence.objects.filter(kind=obj.kind, number=obj.number).exclude(pk=obj.pk).exists():
        errors["number"] = "该类许可证编号已存在。"
    if isinstance(obj, MajorHazardSource) and obj.site is not None and obj.site.enterprise_id != obj.enterprise_id:
        errors["site"] = "场所不属于该企业。"
    try:
        obj.full_clean(validate_unique=False)
    except ValidationError as exc:
        for name, msgs in exc.message_dict.items():
            key = "non_field_errors" if name == "__all__" else name
            errors.setdefault(key, msgs[0])
    if errors:
        raise ValidationFailed("信息有误，请按提示修改。", fields=errors)


@transaction.atomic
def child_create(*, actor: Any, enterprise: Enterprise, model: Any, **fields: Any) -> Any:
    ent = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require_owner(actor, ent, roles=LEDGER_WRITE_ROLES, what=f"企业“{ent.name}”")
    prefix, allowed = CHILD_RECORDS[model]
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationFailed("包含不能设置的字段。", fields={k: "不能设置此字段。" for k in unknown})
    obj = model(enterprise=ent, **fields)
    _check_child(obj)
    obj.save()
    audit.record(actor=actor, action=f"{prefix}.create", obj=ent, after=audit.snapshot(obj), note=str(obj))
    ent.save(update_fields=["updated_at"])
    return obj


@transaction.atomic
def child_update(*, actor: Any, obj: Any, **changes: Any) -> Any:
    model: Any = type(obj)
    obj = model.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=obj.pk)
    require_owner(actor, obj.enterprise, roles=LEDGER_WRITE_ROLES, what=f"企业“{obj.enterprise.name}”")
    prefix, allowed = CHILD_RECORDS[model]
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationFailed("包含不能修改的字段。", fields={k: "不能修改此字段。" for k in unknown})
    before = audit.snapshot(obj)
    for k, v in changes.items():
        setattr(obj, k, v)
    _check_child(obj)
    obj.save()
    old, new = audit.diff(before, audit.snapshot(obj))
    if new:
        audit.record(actor=actor, action=f"{prefix}.update", obj=obj.enterprise, before={"id": obj.pk, **old}, after={"id": obj.pk, **new}, note=str(obj))
    return obj


@transaction.atomic
def child_delete(*, actor: Any, obj: Any) -> None:
    model: Any = type(obj)
    obj = model.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=obj.pk)
    require_owner(actor, obj.enterprise, roles=LEDGER_WRITE_ROLES, what=f"企业“{obj.enterprise.name}”")
    prefix, _ = CHILD_RECORDS[model]
    audit.record(actor=actor, action=f"{prefix}.delete", obj=obj.enterprise, before=audit.snapshot(obj), note=str(obj))
    obj.delete()


audit.ACTIONS.update({"licence.penalty": "行政处罚暂扣或者吊销许可证"})


@transaction.atomic
def licence_penalty_status(*, actor: Any, licence: Licence, status: str, effective_date: dt.date, reason: str) -> Licence:
    """A penalty decision suspends (暂扣) or revokes (吊销) a licence (行政处罚法第九条第三项). The
    ledger's only way to do it outside the ledger's own editing: called by the deciding agency's
    head from the case decision (``cases.measures``), which has already checked the case; here the
    deciding agency must see the unit and the actor be its head (局领导). Audited on the unit."""
    lic = Licence.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=licence.pk)
    scope = scope_for(actor)
    if lic.enterprise.jurisdiction_id not in scope.jurisdiction_ids:
        raise NotFound()
    if not scope.has_role(Role.LEADER):
        raise PermissionRefused("只有作出行政处罚决定的机关负责人可以据决定暂扣或者吊销许可证。", code="role_refused")
    if status not in (LicenceStatus.SUSPENDED, LicenceStatus.REVOKED):
        raise ValidationFailed("许可证状态有误。", fields={"status": "行政处罚只能暂扣或者吊销许可证。"})
    if lic.status in (LicenceStatus.REVOKED, LicenceStatus.CANCELLED):
        raise DomainError(f"{lic}已{lic.get_status_display()}，不能再{LicenceStatus(status).label}。", code="licence_ended")
    before = lic.status
    lic.status = status
    lic.save(update_fields=["status"])
    audit.record(
        actor=actor, action="licence.penalty", obj=lic.enterprise, before={"id": lic.pk, "status": before},
        after={"id": lic.pk, "status": status, "effective_date": effective_date}, note=f"{lic}：{reason.strip()}",
    )  # fmt: skip
    return lic


@transaction.atomic
def enterprise_delete(*, actor: Any, enterprise: Enterprise) -> None:
    """Remove a unit registered in error. A unit with any recorded history is never deleted:
    it is closed (申报关闭) instead, because enforcement records must keep their subject."""
    ent = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require_owner(actor, ent, roles=(Role.DEPT_HEAD,), what=f"企业“{ent.name}”")
    if ent.status_events.exists() or ent.planned_subjects.exists():
        raise DomainError("该企业已有状态变更或执法主体记录，不能删除；如已停业，请登记“关闭”。", code="has_history")
    for check in _delete_guards:
        reason = check(ent)
        if reason:
            raise DomainError(reason, code="has_history")
    audit.record(actor=actor, action="enterprise.delete", obj=ent, before=audit.snapshot(ent))
    ent.delete()


# Apps above this one (inspections, cases …) register checks that refuse deleting a unit they use.
_delete_guards: list[Any] = []
# … and what stays with the old bureau when a unit moves: ``hook(unit, old_agency_id) -> dict``
# merged into the transfer's audit event.
_transfer_hooks: list[Any] = []


def register_transfer_hook(hook: Any) -> None:
    if hook not in _transfer_hooks:
        _transfer_hooks.append(hook)


def register_delete_guard(check: Any) -> None:
    if check not in _delete_guards:
        _delete_guards.append(check)
