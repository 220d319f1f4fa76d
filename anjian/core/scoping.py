"""Jurisdiction scopes reads; the owning agency scopes writes (ARCHITECTURE.md rule 4).

``core`` knows nothing of staff and agencies (they live in ``org``, above it). It asks the
resolver named by ``settings.ANJIAN_SCOPE_RESOLVER`` for a :class:`Scope` and filters by it.
The scope is computed once per user object and cached on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from anjian.core.errors import NotFound, PermissionRefused


@dataclass(frozen=True)
class Scope:
    """What one user may see and change today."""

    user_id: int | None = None
    staff_id: int | None = None
    staff_name: str = ""
    agency_id: int | None = None
    agency_name: str = ""
    agency_level: str = ""
    jurisdiction_id: int | None = None
    # Jurisdictions whose business rows (ledger, inspections, hazards, cases, documents) the user
    # may read: its own plus, for the city bureau, the city's. Empty for a person whose only roles
    # are the separated administrators' (三员分立, issue 10 item 3): they run the system, the
    # people and the audit, not enforcement, so no business row reaches them.
    jurisdiction_ids: frozenset[int] = field(default_factory=frozenset)
    # The agency's reach whatever the roles: what its organisation pages (staff, certificates),
    # the security administrator's accounts and the audit administrator's trail cover.
    agency_jurisdiction_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_member(self) -> bool:
        return self.agency_id is not None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def reads_business(self) -> bool:
        return bool(self.jurisdiction_ids)


EMPTY = Scope()
_CACHE_ATTR = "_anjian_scope"


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    resolver = import_string(settings.ANJIAN_SCOPE_RESOLVER)
    scope: Scope = resolver(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[M]):
    """A queryset of rows that carry ``jurisdiction`` (and ``owner_agency``)."""

    jurisdiction_field = "jurisdiction_id"

    def for_user(self, user: Any) -> ScopedQuerySet[M]:
        scope = scope_for(user)
        if not scope.jurisdiction_ids:
            return self.none()
        return self.filter(**{f"{self.jurisdiction_field}__in": sorted(scope.jurisdiction_ids)})


def get_for_user(queryset: models.QuerySet[M], user: Any, pk: Any) -> M:
    """Fetch a scoped row by primary key; missing and out-of-scope both answer 404."""
    qs: Any = queryset.for_user(user) if hasattr(queryset, "for_user") else queryset
    model: Any = queryset.model
    try:
        return qs.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def require_owner(user: Any, obj: Any, *, roles: tuple[str, ...], what: str = "该记录") -> Scope:
    """Writes are by the owning agency only: the city reads district records but does not change them."""
    scope = scope_for(user)
    if obj.jurisdiction_id not in scope.jurisdiction_ids:
        raise NotFound()
    owner = getattr(obj, "owner_agency_id", None)
    if owner != scope.agency_id:
        raise PermissionRefused(
            f"{what}由{getattr(obj, 'owner_agency', '其他机关')}管理，本机关只能查看，不能修改（各机关以自己的名义执法）。",
            code="not_owner",
        )
    if not scope.has_role(*roles):
        raise PermissionRefused("您的角色无权进行此操作。", code="role_refused")
    return scope
