"""The three separated administrators (三员分立, GB/T 22239-2019 level 3; issue 10, item 3).

- 系统管理员 (``admin``): runs the configuration (calendar, overrides, checklists, the Django
  admin's configuration models), never people;
- 安全管理员 (``security_admin``): grants and withdraws roles, unlocks accounts, manages staff
  security (second factor reset);
- 审计管理员 (``audit_admin``): only reads the audit trail and its verification.

One person holds at most one of the three (``org.services.membership_create`` refuses the
combination). ``core`` cannot import ``org``; the role names are repeated here as strings and
``tests/org`` checks they match ``org.choices.Role``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from anjian.core.scoping import scope_for

SYSTEM_ADMIN_ROLE = "admin"
SECURITY_ADMIN_ROLE = "security_admin"
AUDIT_ADMIN_ROLE = "audit_admin"
ADMIN_ROLES = (SYSTEM_ADMIN_ROLE, SECURITY_ADMIN_ROLE, AUDIT_ADMIN_ROLE)
LABELS = {SYSTEM_ADMIN_ROLE: "系统管理员", SECURITY_ADMIN_ROLE: "安全管理员", AUDIT_ADMIN_ROLE: "审计管理员"}


def production() -> bool:
    """``ANJIAN_PRODUCTION=1``: no superuser may sign in (every power goes through a role)."""
    return bool(getattr(settings, "ANJIAN_PRODUCTION", False))


def development_superuser(user: Any) -> bool:
    """The demo's ``admin`` in development; nobody in production mode, where a superuser flag
    grants nothing (and its login is refused)."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False)) and not production()



def is_security_admin(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return development_superuser(user) or scope_for(user).has_role(SECURITY_ADMIN_ROLE)


def is_audit_admin(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return development_superuser(user) or scope_for(user).has_role(AUDIT_ADMIN_ROLE)


def conflicting(roles: list[str] | set[str] | tuple[str, ...]) -> list[str]:
    """The separated administrator roles among ``roles`` when there is more than one of them."""
    found = [r for r in ADMIN_ROLES if r in set(roles)]
    return found if len(found) > 1 else []
