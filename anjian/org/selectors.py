"""Reads of the organisation, and the scope resolver that core's ``for_user`` asks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from anjian.core.models import Jurisdiction
from anjian.core.scoping import EMPTY, Scope, scope_for
from anjian.org.choices import AgencyLevel, HeadKind
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
    return Scope(
        user_id=user.pk,
        staff_id=membership.staff_id,
        staff_name=membership.staff.name,
        agency_id=agency.pk,
        agency_name=agency.name,
        agency_level=agency.level,
        jurisdiction_id=agency.jurisdiction_id,
        jurisdiction_ids=frozenset(ids),
        roles=frozenset(membership.roles),
    )


def agency_list(*, user: Any) -> QuerySet[Agency]:
    scope = scope_for(user)
    return Agency.objects.filter(jurisdiction_id__in=scope.jurisdiction_ids).select_related("jurisdiction", "parent")


def department_list(*, user: Any) -> QuerySet[Department]:
    scope = scope_for(user)
    return Department.objects.filter(agency__jurisdiction_id__in=scope.jurisdiction_ids).select_related("agency")


def staff_list(*, user: Any, day: dt.date | None = None) -> QuerySet[Staff]:
    """Staff with a membership valid ``day`` in an agency the user can see."""
    scope = scope_for(user)
    day = day or today()
    current = Membership.objects.valid_on(day).select_related("agency", "department").prefetch_related("role_grants")
    return (
        Staff.objects.filter(
            Q(memberships__agency__jurisdiction_id__in=scope.jurisdiction_ids),
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


def agency_for_jurisdiction(jurisdiction_id: int) -> Agency | None:
    return Agency.objects.filter(jurisdiction_id=jurisdiction_id).first()
