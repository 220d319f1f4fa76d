"""Who may change the legal configuration that agencies share (issue 8, "one authority rule").

Legal configuration is the working-day calendar, rule overrides, checklists that apply beyond one
agency, the legal-review catalogue (法制审核目录) and the collective-discussion rules (and later the
discretion standards and grading profiles). One rule decides every write of it:

* **A change is made only by the agency whose jurisdiction the change covers.** Every bureau
  enforces in its own name (行政处罚法第十七条、第二十二条; ARCHITECTURE.md rule 4): a district
  or a functional zone configures its own jurisdiction, never a neighbour's, and the city bureau
  does not configure a district's.
* **A scope never reaches above the actor's own jurisdiction.** A scope is a jurisdiction code
  (``Jurisdiction.code``: ``370602`` a district, ``370671`` or ``370600-KFQ`` a functional zone,
  ``370600`` the city), or, for the bureau at the top of the deployment only, the province code
  (``370000``, the rules it receives from the province) and ``*`` (the whole deployment). The
  deployment serves one city, so those two reach no further than the top bureau's own territory.
* A functional zone is its own jurisdiction: its code is never cut down to the city's
  (``code[:6]`` turned ``370600-KFQ`` into ``370600``, issue 8 High 3). A zone's configuration
  applies to the zone only; a district unit is never covered by it (``scope_codes``).
* Things that have no agency of their own (the national holiday calendar, the statutory
  checklists owned by no agency) are changed only by the administrator of the top bureau.

Services call ``require_scope`` / ``require_top_admin`` / ``require_checklist_authority`` before
writing; admin pages and forms ask ``writable_scopes`` / ``may_write_scope`` to offer only what
would be accepted. Superusers (the deployment's operators) are not limited.
"""

from __future__ import annotations

import re
from typing import Any, Final

from anjian.core.admins import development_superuser
from anjian.core.errors import PermissionRefused
from anjian.core.models import Jurisdiction
from anjian.core.scoping import scope_for

# Roles are org's vocabulary; legal cannot import org (layers), so the codes are spelled here.
ADMIN: Final = "admin"
LEGAL_REVIEWER: Final = "legal_reviewer"
CONFIG_ROLES: Final = (LEGAL_REVIEWER, ADMIN)
WHOLE_DEPLOYMENT: Final = "*"
_PROVINCE_RE: Final = re.compile(r"^\d{2}0000$")


def is_superuser(actor: Any) -> bool:
    # The development superuser only: in production mode the flag grants nothing (core.admins).
    return development_superuser(actor)


def actor_jurisdiction(actor: Any) -> Jurisdiction | None:
    """The jurisdiction of the actor's current agency (None: no agency)."""
    scope = scope_for(actor)
    if scope.jurisdiction_id is None:
        return None
    return Jurisdiction.objects.filter(pk=scope.jurisdiction_id).first()


def actor_jurisdiction_code(actor: Any) -> str | None:
    j = actor_jurisdiction(actor)
    return j.code if j is not None else None


def is_top(jurisdiction: Jurisdiction | None) -> bool:
    """The jurisdiction at the top of the deployment (the city), whose bureau has no superior here."""
    return jurisdiction is not None and jurisdiction.parent_id is None


def province_code(code: str) -> str | None:
    return code[:2] + "0000" if len(code) >= 6 and code[:6].isdigit() else None


def writable_scopes(actor: Any) -> set[str] | None:
    """The scopes ``actor``'s agency may configure; ``None`` means any (superuser)."""
    if is_superuser(actor):
        return None
    j = actor_jurisdiction(actor)
    if j is None:
        return set()
    allowed = {j.code}
    if is_top(j):
        allowed.add(WHOLE_DEPLOYMENT)
        province = province_code(j.code)
        if province:
            allowed.add(province)
    return allowed


def may_write_scope(actor: Any, scope: str, *, roles: tuple[str, ...] = CONFIG_ROLES) -> bool:
    if is_superuser(actor):
        return True
    if not scope_for(actor).has_role(*roles):
        return False
    return scope in (writable_scopes(actor) or set())


def is_known_scope(scope: str) -> bool:
    """``*``, a province code, or the code of a jurisdiction of this deployment."""
    return scope == WHOLE_DEPLOYMENT or bool(_PROVINCE_RE.match(scope)) or Jurisdiction.objects.filter(code=scope).exists()


def require_role(actor: Any, *, roles: tuple[str, ...], message: str) -> None:
    if not (is_superuser(actor) or scope_for(actor).has_role(*roles)):
        raise PermissionRefused(message, code="role_refused")


def require_scope(actor: Any, scope: str, *, what: str, roles: tuple[str, ...] = CONFIG_ROLES, field: str = "scope") -> None:
    """Refuse (403, naming ``field``) a write of ``what`` for ``scope`` beyond the actor's authority."""
    require_role(actor, roles=roles, message=f"只有法制审核人员或系统管理员可以变更{what}。")
    allowed = writable_scopes(actor)
    if allowed is None or scope in allowed:
        return
    shown = "、".join(sorted(allowed)) or "无（未分配机关）"
    message = f"本机关不能为适用范围“{scope}”变更{what}：法制配置只能由其适用辖区的机关变更，适用范围不能超出本机关辖区（本机关可用：{shown}）。"
    raise PermissionRefused(message, code="scope_refused", fields={field: message})


def require_top_admin(actor: Any, *, what: str) -> None:
    """Configuration no agency owns (the national calendar): only the top bureau's administrator.

    ``actor`` None is the operator's command line (``anjian calendar``), audited as such.
    """
    if actor is None or is_superuser(actor):
        return
    if not scope_for(actor).has_role(ADMIN):
        raise PermissionRefused(f"只有系统管理员可以{what}。", code="role_refused")
    if not is_top(actor_jurisdiction(actor)):
        raise PermissionRefused(f"{what}适用于全市所有机关，只能由市级应急管理部门的系统管理员办理；区（市、县）和功能区不能办理。", code="scope_refused")


def require_checklist_authority(actor: Any, *, owner_agency_id: int | None, roles: tuple[str, ...], what: str) -> None:
    """A checklist owned by no agency (statutory, city-wide) is changed only by the top bureau's
    administrator; an agency's own checklist only by that agency (with one of ``roles``)."""
    if is_superuser(actor):
        return
    scope = scope_for(actor)
    if owner_agency_id is None:
        if not (scope.has_role(ADMIN) and is_top(actor_jurisdiction(actor))):
            raise PermissionRefused(
                f"该检查表为系统内置的法定检查表，适用于全市所有机关，只能由市级应急管理部门的系统管理员{what}。", code="scope_refused"
            )
        return
    if scope.agency_id != owner_agency_id:
        raise PermissionRefused(f"该检查表由其他机关制定，只能由制定机关{what}。", code="scope_refused")
    if not scope.has_role(*roles):
        raise PermissionRefused(f"您的角色无权{what}检查表。", code="role_refused")


def scope_codes(jurisdiction_code: str) -> list[str]:
    """The scopes whose configuration covers an agency or unit of ``jurisdiction_code``.

    Its own code, the codes of the jurisdictions above it (a district and a zone: the city), the
    province code and ``*``. A zone's own code never covers anything but the zone.
    """
    chain: list[str] = []
    j = Jurisdiction.objects.filter(code=jurisdiction_code).select_related("parent").first()
    seen: set[int] = set()
    while j is not None and j.pk not in seen:
        seen.add(j.pk)
        chain.append(j.code)
        j = j.parent
    if not chain:
        # Not a jurisdiction of this deployment: a bare division code (tests, imports) is covered
        # by its own code, its city's and its province's.
        chain = [jurisdiction_code]
        if len(jurisdiction_code) == 6 and jurisdiction_code.isdigit():
            chain.append(jurisdiction_code[:4] + "00")
    codes = {*chain, WHOLE_DEPLOYMENT}
    province = province_code(chain[-1])
    if province:
        codes.add(province)
    return sorted(codes)


def specificity(scope: str) -> int:
    """How narrow a scope is: ``*`` 0, a province 1, the top jurisdiction 2, below it 3."""
    if scope == WHOLE_DEPLOYMENT:
        return 0
    if _PROVINCE_RE.match(scope):
        return 1
    j = Jurisdiction.objects.filter(code=scope).only("parent_id").first()
    if j is not None:
        return 2 if j.parent_id is None else 3
    return 2 if scope.endswith("00") else 3
