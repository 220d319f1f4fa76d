"""The four-eyes rule shared by every approval: the person who asks never approves.

A filing approval (立案审批), a decision (案件处理呈批), an extension of the time limit or the closing
of a case is approved by someone other than the officer who asked for it; otherwise the approval
is a signature on one's own request and proves nothing.
"""

from __future__ import annotations

from typing import Any

from anjian.core.errors import PermissionRefused


def require_other_person(actor: Any, requester: Any, *, what: str, article: str = "") -> None:
    """Refuse when ``actor`` is the ``requester`` (users compared by primary key)."""
    if actor is None or requester is None:
        return
    a = getattr(actor, "pk", actor)
    r = getattr(requester, "pk", requester)
    if a is not None and a == r:
        raise PermissionRefused(f"{what}须由申请人以外的人员审批，申请人不能审批自己的申请。", code="same_person", article=article)
