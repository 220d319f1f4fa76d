"""Reads of the organisation, and the scope resolver that core's ``for_user`` asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from anjian.core.errors import ValidationFailed
from anjian.core.ids import parse_id
from anjian.core.models import Jurisdiction
from anjian.core.scoping import EMPTY, Scope, scope_for
from anjian.documents.rendering import cn_date
from anjian.org.choices import ADMIN_ROLES, AgencyLevel, HeadKind
from anjian.org.models import Agency, AgencyHead, Certificate, Department, Membership, Staff


def today() -> dt.date:
    """Legal dates are Asia/Shanghai dates (ARCHITECTURE.md rule 6)."""
    return timezone.localdate()


def user_scope(user: Any) -> Scope:
    """The scope of ``user`` today: the agency of its current membership and what it may read."""
    day = today()
    membership = (
        Membership.objects.valid_on(day)
        .filter(staff__user_id=user.pk)
        .select_related("agency", "staff", "agency__jurisdiction")
        .prefetch_related("role_grants")
        .order_by("-valid_from")
        .first()
    )
    if membership is None:
        return EMPTY
    agency = membership.agency
    ids = {agency.jurisdiction_id}
    if agency.level == AgencyLevel.CITY:
        # The city bureau reads the whole city: its own jurisdiction and every child of it.
        ids.update(Jurisdiction.objects.filter(parent_id=agency.jurisdiction_id).values_list("id", flat=True))
    roles = frozenset(membership.roles)
    # 三员分立: a person whose every role is a separated administrator's reads no business row.
    business = not roles or bool(roles - set(ADMIN_ROLES))
    return Scope(
        user_id=user.pk,
        staff_id=membership.staff_id,
        staff_name=membership.staff.name,
        agency_id=agency.pk,
        agency_name=agency.name,
        agency_level=agency.level,
        jurisdiction_id=agency.jurisdiction_id,
        jurisdiction_ids=frozenset(ids) if business else frozenset(),
        agency_jurisdiction_ids=frozenset(ids),
        roles=roles,
    )


def agency_list(*, user: Any) -> QuerySet[Agency]:
    scope = scope_for(user)
    return Agency.objects.filter(jurisdiction_id__in=scope.agency_jurisdiction_ids).select_related("jurisdiction", "parent")


def department_list(*, user: Any) -> QuerySet[Department]:
    scope = scope_for(user)
    return Department.objects.filter(agency__jurisdiction_id__in=scope.agency_jurisdiction_ids).select_related("agency")


def staff_list(*, user: Any, day: dt.date | None = None) -> QuerySet[Staff]:
    """Staff with a membership valid ``day`` in an agency the user can see."""
    scope = scope_for(user)
    day = day or today()
    current = Membership.objects.valid_on(day).select_related("agency", "department").prefetch_related("role_grants")
    return (
        Staff.objects.filter(
            Q(memberships__agency__jurisdiction_id__in=scope.agency_jurisdiction_ids),
            Q(memberships__valid_from__lte=day),
            Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gte=day),
        )
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"), Prefetch("certificates", queryset=Certificate.objects.prefetch_related("events")))
    )


def agency_head_on(*, agency: Agency, day: dt.date, kind: str = HeadKind.PRINCIPAL_HEAD) -> AgencyHead | None:
    return (
        AgencyHead.objects.filter(agency=agency, kind=kind, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("staff")
        .order_by("-valid_from")
        .first()
    )


# 行政处罚法 §59 ¶1(5): a decision states the channels and time limits of reconsideration and lawsuit.
REMEDIES_ARTICLE = "《中华人民共和国行政处罚法》第五十九条第一款第五项；《中华人民共和国行政复议法》第二十四条；《中华人民共和国行政诉讼法》第十八条"


def agency_remedies(agency: Agency) -> dict[str, str]:
    """The reconsideration body and the court a served document of ``agency`` names, as configured
    on the agency (``Agency.review_body``, ``Agency.court``). Missing ones are refused, naming what
    to configure: a body the system guessed could send the party to the wrong door, and the
    remedy windows (60 days, 6 months) run against the party all the same."""
    review, court = (agency.review_body or "").strip(), (agency.court or "").strip()
    missing = {k: label for k, label, value in (("review_body", "行政复议机关", review), ("court", "行政诉讼管辖法院", court)) if not value}
    if missing:
        names = "和".join(missing.values())
        raise ValidationFailed(
            f"{agency.name}尚未设置{names}，不能签发载明救济途径的文书。请系统管理员在管理后台“执法机关”中为本机关填写{names}后再签发。",
            code="agency_remedies_missing",
            article=REMEDIES_ARTICLE,
            fields={k: f"请在执法机关设置中填写{label}。" for k, label in missing.items()},
        )
    return {"review_body": review, "court": court}


def agency_for_jurisdiction(jurisdiction_id: int) -> Agency | None:
    return Agency.objects.filter(jurisdiction_id=jurisdiction_id).first()


# --- staff ids given by a client ----------------------------------------------------------------------
def clean_ids(ids: Iterable[Any]) -> list[int]:
    """The distinct ids among ``ids`` that can be database ids (``core.ids.parse_id``), in order; others are dropped."""
    out: list[int] = []
    for i in ids:
        n = parse_id(i)
        if n is not None and n not in out:
            out.append(n)
    return out


def visible_staff_ids(actor: Any, ids: Iterable[Any], *, on: dt.date, extra_agency_ids: Iterable[int] = ()) -> set[int]:
    """The ids among ``ids`` of staff the actor may see on ``on``: a membership valid that day in
    an agency of the actor's jurisdictions (or in ``extra_agency_ids``, e.g. the agencies of a
    joint inspection). Anything else is answered as if the id did not exist (no leak)."""
    wanted = clean_ids(ids)
    scope = scope_for(actor)
    if not wanted or not scope.agency_jurisdiction_ids:
        return set()
    where = Q(agency__jurisdiction_id__in=scope.agency_jurisdiction_ids)
    extra = list(extra_agency_ids)
    if extra:
        where |= Q(agency_id__in=extra)
    return set(Membership.objects.valid_on(on).filter(where, staff_id__in=wanted).values_list("staff_id", flat=True))


def eligible_staff(*, agency_ids: Iterable[int], on: dt.date, kinds: Iterable[str] = (), roles: Iterable[str] = ()) -> QuerySet[Staff]:
    """Staff with a membership valid ``on`` in one of ``agency_ids`` that is of one of ``kinds``
    or grants one of ``roles`` (either suffices; both empty: anyone). Forms offer exactly this
    set and :func:`staff_for_actor` accepts exactly this set."""
    kinds, roles = list(kinds), list(roles)
    ms = Membership.objects.valid_on(on).filter(agency_id__in=list(agency_ids))
    if kinds or roles:
        ms = ms.filter(Q(staff__kind__in=kinds) | Q(role_grants__role__in=roles))
    return Staff.objects.filter(pk__in=ms.values("staff_id")).order_by("name", "id")


def staff_for_actor(
    actor: Any,
    ids: Iterable[Any],
    *,
    on: dt.date,
    agency_ids: Iterable[int],
    kinds: Iterable[str] = (),
    roles: Iterable[str] = (),
    what: str = "符合要求的人员",
    field: str = "staff",
    extra_agency_ids: Iterable[int] = (),
) -> list[Staff]:
    """Resolve staff ids that came from a client (a form, the API) for a service.

    Each id must be visible to ``actor`` (:func:`visible_staff_ids`) and eligible
    (:func:`eligible_staff`). An id the actor cannot see gets exactly the answer a missing id gets;
    a visible person of the wrong kind is named with what was required (``what``). Returns the
    staff in the order given, or raises ``ValidationFailed`` on ``field``.
    """
    from anjian.core.errors import ValidationFailed

    raw = list(ids)
    wanted = clean_ids(raw)
    problems: list[str] = [f"人员编号{i}不存在。" for i in raw if not clean_ids([i])]
    agency_ids = list(agency_ids)
    visible = visible_staff_ids(actor, wanted, on=on, extra_agency_ids=[*extra_agency_ids, *agency_ids])
    ok = set(eligible_staff(agency_ids=agency_ids, on=on, kinds=kinds, roles=roles).filter(pk__in=wanted).values_list("pk", flat=True))
    names = dict(Staff.objects.filter(pk__in=visible).values_list("pk", "name"))
    for i in wanted:
        if i not in visible:
            problems.append(f"人员编号{i}不存在。")
        elif i not in ok:
            problems.append(f"{names[i]}不是{what}（{cn_date(on)}）。")
    if problems:
        raise ValidationFailed("所选人员不符合要求：" + "".join(problems), fields={field: problems})
    by_id = {s.pk: s for s in Staff.objects.filter(pk__in=wanted)}
    return [by_id[i] for i in wanted]


# --- the bureau's own administration (issue 10 item 1) -------------------------------------------
EXPIRING_DAYS = 60  # the certificate list's "expiring soon" window


def one_year_before(day: dt.date) -> dt.date:
    """The same calendar day a year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def annual_review_due(cert: Certificate, day: dt.date, events: list[Any] | None = None) -> bool:
    """A certificate's annual review is DUE on ``day`` when the certificate is valid that day and
    neither an annual review (年审通过) nor its issue (发证) is recorded within the twelve months
    before (from the same calendar day a year earlier up to ``day``). A suspended, revoked or
    expired certificate is not "due": it is not valid at all, which its status says."""
    from anjian.org.choices import CertificateEventKind

    evs = events if events is not None else list(cert.events.all())
    if not cert.status_on(day, evs)[0]:
        return False
    since = one_year_before(day)
    return not any(e.kind in (CertificateEventKind.ANNUAL_REVIEW, CertificateEventKind.ISSUED) and since <= e.date <= day for e in evs)


def own_agency(*, user: Any) -> Agency:
    """The bureau the user acts for (its organisation is the one it manages)."""
    from anjian.core.errors import NotFound

    scope = scope_for(user)
    if not scope.is_member:
        raise NotFound()
    return Agency.objects.select_related("jurisdiction", "parent").get(pk=scope.agency_id)


def managed_staff_ids(*, agency_id: int | None) -> Any:
    return Membership.objects.filter(agency_id=agency_id).values("staff_id")


def managed_staff_get(*, user: Any, pk: Any) -> Staff:
    """A person of the user's own bureau (any membership there, past or present). Anyone else,
    missing or out of scope, answers 404."""
    from anjian.core.errors import NotFound

    scope = scope_for(user)
    n = parse_id(pk)
    if not scope.is_member or n is None:
        raise NotFound()
    staff = Staff.objects.filter(pk=n, pk__in=managed_staff_ids(agency_id=scope.agency_id)).select_related("user").first()
    if staff is None:
        raise NotFound()
    return staff


def managed_department_get(*, user: Any, pk: Any) -> Department:
    from anjian.core.errors import NotFound

    scope = scope_for(user)
    n = parse_id(pk)
    d = Department.objects.filter(pk=n, agency_id=scope.agency_id).select_related("agency").first() if scope.is_member and n is not None else None
    if d is None:
        raise NotFound()
    return d


def staff_memberships(staff: Staff) -> list[Membership]:
    """Every membership of the person, newest first, with its roles."""
    return list(Membership.objects.filter(staff=staff).select_related("agency", "department").prefetch_related("role_grants").order_by("-valid_from", "-id"))


def staff_certificates(staff: Staff) -> list[Certificate]:
    return list(Certificate.objects.filter(staff=staff).prefetch_related("events").order_by("-valid_to", "-id"))


def cert_state(certs: list[Certificate], day: dt.date) -> str:
    """``valid`` / ``invalid`` (certificates, none valid) / ``none`` for a person on ``day``."""
    if not certs:
        return "none"
    return "valid" if any(c.status_on(day, list(c.events.all()))[0] for c in certs) else "invalid"


CERT_STATES = {"valid": "持有效执法证", "invalid": "执法证无效", "none": "无执法证", "expiring": "执法证60日内到期"}


def bureau_staff_list(*, user: Any, q: str = "", department: int | None = None, role: str = "", cert: str = "", former: bool = False, day: dt.date | None = None) -> list[Staff]:
    """The people of the user's own bureau with their current membership and certificates (a fixed
    number of queries whatever the number of rows). ``former``: also those whose memberships have
    all ended. Filters: name contains ``q``; current department; current role; certificate state."""
    scope = scope_for(user)
    day = day or today()
    if not scope.is_member:
        return []
    own = Membership.objects.filter(agency_id=scope.agency_id)
    current = own.valid_on(day)
    base = Staff.objects.filter(pk__in=(own if former else current).values("staff_id"))
    if q:
        base = base.filter(name__icontains=q.strip())
    if department is not None:
        base = base.filter(pk__in=current.filter(department_id=department).values("staff_id"))
    if role:
        base = base.filter(pk__in=current.filter(role_grants__role=role).values("staff_id"))
    rows = list(
        base.order_by("name", "id").prefetch_related(
            Prefetch("memberships", queryset=current.select_related("department").prefetch_related("role_grants"), to_attr="current_memberships"),
            Prefetch("certificates", queryset=Certificate.objects.prefetch_related("events")),
        )
    )
    soon = day + dt.timedelta(days=EXPIRING_DAYS)
    out: list[Any] = []
    for s in rows:
        certs = list(s.certificates.all())
        state = cert_state(certs, day)
        s.cert_state = state  # type: ignore[attr-defined]
        s.cert_valid = [c for c in certs if c.status_on(day, list(c.events.all()))[0]]  # type: ignore[attr-defined]
        expiring = any(c.valid_to <= soon for c in s.cert_valid)  # type: ignore[attr-defined]
        if cert == "expiring" and not expiring:
            continue
        if cert in ("valid", "invalid", "none") and state != cert:
            continue
        out.append(s)
    return out


def bureau_certificates(*, user: Any, day: dt.date | None = None) -> dict[str, list[Certificate]]:
    """The certificates of the bureau's current people that need the office's attention:
    ``expiring`` (valid today, ending within ``EXPIRING_DAYS`` days) and ``review_due``
    (:func:`annual_review_due`). A fixed number of queries."""
    scope = scope_for(user)
    day = day or today()
    if not scope.is_member:
        return {"expiring": [], "review_due": []}
    people = Membership.objects.filter(agency_id=scope.agency_id).valid_on(day).values("staff_id")
    certs = list(Certificate.objects.filter(staff_id__in=people).select_related("staff").prefetch_related("events").order_by("valid_to", "number"))
    soon = day + dt.timedelta(days=EXPIRING_DAYS)
    expiring, due = [], []
    for c in certs:
        evs = list(c.events.all())
        if not c.status_on(day, evs)[0]:
            continue
        if c.valid_to <= soon:
            c.days_left = (c.valid_to - day).days  # type: ignore[attr-defined]
            expiring.append(c)
        if annual_review_due(c, day, evs):
            c.last_review = max((e.date for e in evs if e.kind in ("annual_review", "issued")), default=None)  # type: ignore[attr-defined]
            due.append(c)
    return {"expiring": expiring, "review_due": due}


def agency_heads(agency: Agency) -> list[AgencyHead]:
    return list(AgencyHead.objects.filter(agency=agency).select_related("staff").order_by("kind", "-valid_from"))


def current_members(agency: Agency, day: dt.date | None = None) -> QuerySet[Staff]:
    day = day or today()
    return Staff.objects.filter(pk__in=Membership.objects.valid_on(day).filter(agency=agency).values("staff_id")).order_by("name", "id")
