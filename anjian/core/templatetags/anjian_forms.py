"""Bootstrap rendering of Django form fields, with the field's Chinese errors beside it.

``{% field form.name %}`` renders label, widget, help text and errors (``includes/field.html``);
``{% widget form.name attr=value %}`` renders only the widget with Bootstrap classes.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def _kind(bf: BoundField) -> str:
    w = bf.field.widget
    if isinstance(w, forms.CheckboxSelectMultiple):
        return "multi"
    if isinstance(w, forms.CheckboxInput):
        return "check"
    if isinstance(w, (forms.Select, forms.SelectMultiple)):
        return "select"
    return "input"


_CSS = {"check": "form-check-input", "multi": "form-check-input", "select": "form-select", "input": "form-control"}


def _render_widget(bf: BoundField, extra: dict[str, Any] | None = None) -> SafeString:
    kind = _kind(bf)
    attrs: dict[str, Any] = dict(extra or {})
    css = [_CSS[kind], bf.field.widget.attrs.get("class", ""), attrs.pop("class", "")]
    if bf.errors:
        css.append("is-invalid")
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bf.auto_id}_error"
    attrs["class"] = " ".join(c for c in css if c)
    return bf.as_widget(attrs=attrs)


@register.inclusion_tag("includes/field.html")
def field(bf: BoundField, wrapper_class: str = "", **attrs: Any) -> dict[str, Any]:
    kind = _kind(bf)
    return {
        "field": bf,
        "kind": kind,
        "widget": "" if kind == "multi" else _render_widget(bf, attrs),
        "wrapper_class": wrapper_class,
    }


@register.simple_tag
def widget(bf: BoundField, **attrs: Any) -> SafeString:
    return _render_widget(bf, attrs)


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with ``changes`` applied (``None``/"" removes a key); keeps filters
    when paginating or sorting."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        return ""
    for k, v in changes.items():
        if v is None or v == "":
            params.pop(k, None)
        else:
            params[k] = str(v)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def elided_pages(page: Any) -> list[int | None]:
    """The page numbers a pager shows: the first and last, two either side of the current one,
    ``None`` for each gap. Computed here because iterating a long ``page_range`` in a template is
    slow (thousands of pages on a large list)."""
    last = page.paginator.num_pages
    shown = sorted({1, last, *range(max(1, page.number - 2), min(last, page.number + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out
