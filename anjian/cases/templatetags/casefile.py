"""``{% load casefile %}{% case_reminders %}``: the signed-in person's unread case reminders (for
the case board page)."""

from __future__ import annotations

from typing import Any

from django import template

from anjian.cases.casefile import unread_reminders

register = template.Library()


@register.inclusion_tag("cases/casefile/reminders.html", takes_context=True)
def case_reminders(context: Any, limit: int = 20) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"reminders": unread_reminders(user, limit=limit) if user is not None else [], "next": getattr(request, "path", "/")}
