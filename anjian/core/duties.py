"""Separation of duties: whoever asked for an approval never grants it.

Every decision that approves (or refuses) a request calls :func:`require_other_person` with the
person recorded as having asked: an extension of a rectification deadline, a restart review, a
transfer to the enforcement team, the set-aside of a major-hazard criterion, and later the steps
of a penalty case. The requester may be recorded as a login (``User``) or as a person (``Staff``,
which may carry ``user_id``); both are compared with the acting login and its person.
"""

from __future__ import annotations

from typing import Any

from anjian.core.errors import PermissionRefused
from anjian.core.scoping import scope_for


def _keys(person: Any) -> set[tuple[str, int]]:
    """The identities of ``person``: a login (``User``) or a person record with ``user_id``."""
    if person is None:
        return set()
    if hasattr(person, "get_username"):  # a login
        return {("user", int(person.pk))}
    keys = {("staff", int(person.pk))}
    if getattr(person, "user_id", None):
        keys.add(("user", int(person.user_id)))
    return keys


def is_same_person(requested_by: Any, actor: Any) -> bool:
    """True when ``actor`` (a login) is the person who asked. Pages ask this to hide a decision
    form from the requester; the services enforce it with :func:`require_other_person`."""
    if requested_by is None or actor is None or not getattr(actor, "is_authenticated", False):
        return False
    mine = {("user", int(actor.pk))}
    staff_id = scope_for(actor).staff_id
    if staff_id:
        mine.add(("staff", int(staff_id)))
    return bool(_keys(requested_by) & mine)


def require_other_person(requested_by: Any, actor: Any, *, what: str, article: str = "") -> None:
    """Refuse a decision on a request by the person who asked for it (职责分离).

    ``what`` names the request in Chinese, e.g. "延期整改申请". A request recorded before its
    requester was stored (``requested_by`` None) cannot be matched and is not refused here.
    """
    if is_same_person(requested_by, actor):
        raise PermissionRefused(
            f"{what}由您本人提出或登记，不能由您本人审批；请由其他有权审批的人员决定（职责分离）。",
            code="self_approval",
            article=article,
        )
