"""What every app's pages do with a service call: field errors onto the form, the rest by the
button, and the refusal page. The apps' views import these (one behaviour for every screen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed

T = TypeVar("T")


def apply_domain_error(form: forms.Form, exc: ValidationFailed) -> bool:
    """Put a ``ValidationFailed``'s per-field messages onto ``form``. Returns True when at least
    one message was placed (otherwise the caller shows ``exc.message`` next to the button)."""
    placed = False
    for name, msgs in exc.fields.items():
        # A field the form does not show (or "non_field_errors") goes to the top of the form.
        target = name if name in form.fields else None
        for msg in msgs:
            form.add_error(target, msg)
            placed = True
    return placed


def call_service(form: Any, fn: Callable[[], T]) -> tuple[T | None, DomainError | None, int]:
    """Run one service call; returns (result, error to show by the button, HTTP status).

    Field messages go onto ``form``; the error itself is still shown next to the button when it
    names a rule (article) or when no field took it (ARCHITECTURE.md rule 7).
    """
    try:
        return fn(), None, 200
    except ValidationFailed as exc:
        placed = form is not None and apply_domain_error(form, exc)
        return None, (exc if (exc.article or not placed) else None), 200
    except NotFound:
        raise  # the 404 page (core.middleware), not a refusal by the button
    except PermissionRefused as exc:
        return None, exc, 403
    except DomainError as exc:
        return None, exc, 409


def refused(request: HttpRequest, message: str, back: str, **extra: Any) -> HttpResponse:
    """The 403 page for a form the user may not use, with a way back."""
    return render(request, "enterprises/refused.html", {"message": message, "back": back, **extra}, status=403)


class FilterForm(forms.Form):
    """The GET filters of a list page. ``filters()`` gives the valid ones; an invalid value (a
    tampered URL) is dropped rather than failing the page."""

    FILTER_KEYS: list[str] = []  # the keys handed to the list's selector, in this order

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: data[k] for k in self.FILTER_KEYS if data.get(k) not in (None, "")}
