from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse

from anjian.core import context
from anjian.core.errors import NotFound


def client_ip(request: HttpRequest) -> str | None:
    # Behind nginx the real address arrives in X-Forwarded-For; trust it only when the operator
    # says a proxy is in front (ANJIAN_TRUST_PROXY), or any client could forge its audit IP.
    if getattr(settings, "ANJIAN_TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives each request an id (echoed as X-Request-ID) and records its IP for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request.headers.get("X-Request-ID", "")[:64] or context.new_request_id()
        token = context.set_current(context.RequestInfo(request_id=rid, source_ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = rid
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A service's or selector's NotFound (missing, or outside the user's scope: STYLE.md
        principle 5) is the 404 page on every screen, so views need not translate it. The API
        answers it through its own exception handler before it gets here."""
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.message))
        return None
