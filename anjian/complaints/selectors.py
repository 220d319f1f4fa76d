"""Who may read a complaint or report, and what of it.

- Reads are scoped by jurisdiction (``ScopedQuerySet.for_user``), then by role: the office, the
  leaders and the department heads see their bureau's submissions (the city's, the districts');
  anyone else only those they handle.
- An officer named in a complaint never sees it, whatever their role (404, as a missing record):
  the complained-about person must not learn who complained or what the investigation found.
- The submitter's identity and contacts are revealed (audited, complaints/pii.py) only to the
  owning bureau's office and the assigned handler (安全生产法第七十三条; 信访工作条例 on
  confidentiality); everyone else sees them masked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from anjian.complaints.models import Submission
from anjian.core.errors import NotFound
from anjian.core.ids import parse_id
from anjian.core.scoping import Scope, scope_for
from anjian.org.choices import Role

WIDE_ROLES = (Role.OFFICE, Role.LEADER, Role.DEPT_HEAD)


def may_use(scope: Scope) -> bool:
    """Whether the complaints pages are for this user at all (the nav entry, the list)."""
    return scope.is_member and scope.reads_business and (scope.has_role(*WIDE_ROLES) or scope.staff_id is not None)


def submission_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Submission]:
    scope = scope_for(user)
    qs = Submission.objects.for_user(user)
    if not scope.is_member:
        return qs.none()
    if scope.staff_id is not None:
        named = Submission.named_officers.through.objects.filter(submission_id=OuterRef("pk"), staff_id=scope.staff_id)
        qs = qs.filter(~Exists(named))
    if not scope.has_role(*WIDE_ROLES):
        qs = qs.filter(handler_id=scope.staff_id or 0)
    filters = filters or {}
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("due") in ("week", "overdue"):
        today = timezone.localdate()
        qs = qs.filter(next_due__lt=today) if filters["due"] == "overdue" else qs.filter(next_due__gte=today, next_due__lte=today + dt.timedelta(days=7))
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(summary__icontains=q) | Q(unit_name__icontains=q) | Q(enterprise__name__icontains=q))
    return qs.select_related("jurisdiction", "owner_agency", "enterprise", "handler")


def submission_get(*, user: Any, pk: Any) -> Submission:
    """One submission the user may read; missing, out of scope and "named in it" all answer 404."""
    ident = parse_id(pk)
    if ident is None:
        raise NotFound()
    try:
        return submission_list(user=user).get(pk=ident)
    except (Submission.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def is_named(user: Any, sub: Submission) -> bool:
    staff_id = scope_for(user).staff_id
    return staff_id is not None and sub.named_officers.filter(pk=staff_id).exists()


def may_see_identity(user: Any, sub: Submission) -> bool:
    """The owning bureau's office, or the assigned handler; never a named officer."""
    scope = scope_for(user)
    if not scope.is_member or sub.jurisdiction_id not in scope.jurisdiction_ids or is_named(user, sub):
        return False
    if scope.staff_id is not None and scope.staff_id == sub.handler_id:
        return True
    return scope.agency_id == sub.owner_agency_id and scope.has_role(Role.OFFICE)
