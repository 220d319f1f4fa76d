from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader

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


logger = logging.getLogger("anjian.errors")


class ErrorMiddleware:
    """The last word on an exception no view handled, and on error pages under ``/api/``.

    - A query string with a NUL character is refused with 400 before any view reads it.
    - A locked SQLite database (another writer held the only write lock past the timeout) is
      "系统繁忙，请稍后重试" with 503 and ``Retry-After``, on pages and the API: the request may be
      retried; it is not a fault of the system.
    - Under ``/api/`` every other unexpected exception is a 500 with the API's JSON body
      ``{code, message, fields}`` (never the HTML page, never a traceback), logged; and an HTML
      error page Django itself produced there (an unknown URL's 404, a CSRF 403, a 400) is
      replaced by the same JSON body.
    Exceptions inside DRF views are answered by ``core.api.exception_handler`` the same way; this
    covers what happens outside them.
    """

    API_CODES = {400: ("bad_request", "请求格式错误。"), 403: ("forbidden", "您无权进行此操作。"), 404: ("not_found", "记录不存在或无权访问。"), 405: ("method_not_allowed", "不支持该请求方法。"), 413: ("too_large", "请求体过大。")}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    NUL_MESSAGE = "不能包含空字符（\\x00）。"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A NUL character in the query string reached queries as text, which PostgreSQL refuses
        # with an error (a 500; found by schemathesis). Form fields refuse it one by one; the
        # filters read from request.GET directly (API lists, the export) are covered here.
        bad = sorted({k for k, values in request.GET.lists() for v in [k, *values] if "\x00" in v})
        if bad:
            if self.is_api(request):
                return JsonResponse({"code": "invalid", "message": "请求参数有误。", "fields": {k.replace("\x00", "") or "non_field_errors": [self.NUL_MESSAGE] for k in bad}}, status=400, json_dumps_params={"ensure_ascii": False})
            return HttpResponse(loader.render_to_string("400.html", {"message": f"请求参数{self.NUL_MESSAGE}"}), status=400)
        response = self.get_response(request)
        if self.is_api(request) and response.status_code >= 400 and response.get("Content-Type", "").startswith("text/html"):
            from anjian.core.api import SERVER_ERROR_BODY

            code, message = self.API_CODES.get(response.status_code, (SERVER_ERROR_BODY["code"], SERVER_ERROR_BODY["message"]))
            json_response = JsonResponse({"code": code, "message": message, "fields": {}}, status=response.status_code, json_dumps_params={"ensure_ascii": False})
            for header in ("X-Request-ID", "Retry-After", "Allow"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response

    @staticmethod
    def is_api(request: HttpRequest) -> bool:
        return request.path.startswith("/api/")

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from anjian.core.api import BUSY_BODY, BUSY_RETRY_AFTER, is_database_busy

        if is_database_busy(exception):
            logger.warning("database busy: %s %s", request.method, request.path)
            if self.is_api(request):
                response: HttpResponse = JsonResponse(BUSY_BODY, status=503, json_dumps_params={"ensure_ascii": False})
            else:
                # No request, so no context processors: they may query the busy database.
                response = HttpResponse(loader.render_to_string("503.html"), status=503)
            response["Retry-After"] = BUSY_RETRY_AFTER
            return response
        # Anything else: Django logs it and makes its error page, which __call__ turns into the
        # JSON body under /api/.
        return None
