"""``{% pii obj "field" "target" %}``: a masked ID or telephone number, and for the roles that may
reveal it a small form (reason required) that asks ``pii-reveal`` for the full value (core/pii.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from anjian.core import pii as core_pii

register = template.Library()


@register.simple_tag(takes_context=True, name="pii")
def pii_tag(context: Any, obj: Any, field: str, target: str) -> SafeString:
    value = getattr(obj, field, "") or ""
    if not value:
        return format_html("{}", "—")
    shown = core_pii.masked(obj, field)
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not _may(user, obj, target):
        return format_html('<span class="mono">{}</span>', shown)
    slot = f"pii-{target}-{obj.pk}-{field}"
    return format_html(
        '<span class="mono" id="{slot}">{shown}</span> '
        '<details class="d-inline-block pii-reveal"><summary class="small text-primary" title="查看完整号码（须填写事由，记入审计）">查看</summary>'
        '<form method="post" action="{url}" hx-post="{url}" hx-target="#{slot}" hx-swap="innerHTML" class="d-flex gap-1 mt-1">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<input type="hidden" name="target" value="{target}"><input type="hidden" name="id" value="{pk}"><input type="hidden" name="field" value="{field}">'
        '<input type="text" name="reason" class="form-control form-control-sm" placeholder="查看事由（必填）" aria-label="查看事由" maxlength="{maxlen}" required>'
        '<button type="submit" class="btn btn-sm btn-outline-secondary text-nowrap">查看</button></form></details>',
        slot=slot, shown=shown, url=reverse("pii-reveal"), csrf=get_token(request), target=target, pk=obj.pk, field=field, maxlen=core_pii.REASON_MAX,
    )  # fmt: skip


def _may(user: Any, obj: Any, target: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    t = core_pii.TARGETS.get(target)
    if t is not None and t.may is not None:
        return bool(t.may(user, obj))
    return core_pii.may_reveal(user)
