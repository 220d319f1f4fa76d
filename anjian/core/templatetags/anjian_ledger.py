"""Small display helpers of the ledger pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from anjian.core.validators import mask_id_number, mask_id_numbers_in

register = template.Library()


@register.filter
def mask_id(value: Any) -> str:
    """身份证号 shown as region + ******** + last four: enough to recognise, not to copy."""
    return mask_id_number(value) or "—"


@register.filter
def mask_ids(value: Any) -> str:
    """Text with any 身份证号 in it masked (a 特种作业操作证 number is the holder's ID number)."""
    return mask_id_numbers_in(value)


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
