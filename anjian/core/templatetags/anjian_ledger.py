"""Small display helpers of the ledger pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def mask_id(value: Any) -> str:
    """身份证号 shown as region + ******** + last four: enough to recognise, not to copy."""
    s = str(value or "")
    if not s:
        return "—"
    if len(s) < 10:
        return s[:2] + "*" * (len(s) - 2)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


@register.simple_tag
def tab_button(key: str, label: str, count: Any = None, active: bool = False) -> SafeString:
    """A Bootstrap tab button for pane ``#tab-<key>``; ``app.js`` opens the pane named in the URL hash."""
    badge = format_html(' <span class="badge rounded-pill text-bg-light border">{}</span>', count) if count not in (None, "") else ""
    return format_html(
        '<li class="nav-item" role="presentation"><button class="nav-link{}" id="tab-{}-btn" data-bs-toggle="tab" '
        'data-bs-target="#tab-{}" type="button" role="tab" aria-controls="tab-{}" aria-selected="{}">{}{}</button></li>',
        " active" if active else "",
        key,
        key,
        key,
        "true" if active else "false",
        label,
        badge,
    )


_STATUS_BADGE = {"operating": "text-bg-success", "suspended": "text-bg-warning", "closed": "text-bg-dark"}


@register.filter
def status_badge(status: Any) -> SafeString:
    """The operating-status badge (a filter, not an include: the ledger list draws fifty of them)."""
    return format_html('<span class="badge {}">{}</span>', _STATUS_BADGE.get(str(status), "text-bg-danger"), getattr(status, "label", status))
