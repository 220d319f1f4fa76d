from __future__ import annotations

import logging
import re
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


# A client-chosen request id is kept only if it looks like one (a UUID, a hex or base-36 token):
# the audit trail never stores arbitrary client text (issue 8, X-Request-ID).
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9-]{8,64}")


def request_id_for(request: HttpRequest) -> str:
    """The client's X-Request-ID when it is well formed (it lets an operator follow one request
    from nginx or a client's log into the audit trail), else one of our own."""
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID_RE.fullmatch(given) else context.new_request_id()


class RequestContextMiddleware:
    """Gives each request an id (echoed as X-Request-ID) and records its IP for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_for(request)
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


# -- request bodies (issue 8, bodies) --------------------------------------------------------------


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _has_valid_token(request: HttpRequest) -> bool:
    """An API client signs in with ``Authorization: Token …`` (DRF checks it again at the view)."""
    from anjian.core import tokens

    key = tokens.key_from_header(request.headers.get("Authorization", ""))
    if not key:
        return False
    return tokens.active_user_for(key)[0] is not None


class RequestSizeLimitMiddleware:
    """Refuses a body larger than the limit with 413, from its Content-Length, before anything reads it.

    Django reads the body only when a view or CSRF's ``process_view`` touches ``request.POST``; both
    run after this. A multipart file above FILE_UPLOAD_MAX_MEMORY_SIZE would otherwise be spooled to
    a temporary file first, for anyone: a 100 MB anonymous POST was written to disk before the CSRF
    refusal. Signed-in users get ``ANJIAN_MAX_BODY_BYTES`` (the largest single upload), anyone else
    ``ANJIAN_MAX_ANONYMOUS_BODY_BYTES`` (a login form). A body without Content-Length (chunked) is
    not read by Django's WSGI handler at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = _declared_length(request)
        anonymous_cap = settings.ANJIAN_MAX_ANONYMOUS_BODY_BYTES
        if size > anonymous_cap:
            signed_in = request.user.is_authenticated or _has_valid_token(request)
            cap = settings.ANJIAN_MAX_BODY_BYTES if signed_in else anonymous_cap
            if size > cap:
                return self.too_large(request, cap)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest, cap: int) -> HttpResponse:
        limit = f"{cap // (1024 * 1024)}MB" if cap >= 1024 * 1024 else f"{cap // 1024}KB"
        message = f"提交的内容过大（上限{limit}）。大的录音、视频请在现场检查页面上传（自动分块）。"
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": "body_too_large", "message": message, "fields": {}}, status=413, json_dumps_params={"ensure_ascii": False})
        else:
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        # The unread body is still on the connection: do not let the server try to reuse it.
        response["Connection"] = "close"
        return response


# -- response headers (issue 8, headers) -------------------------------------------------------------

# No 'unsafe-inline' anywhere: the templates carry no inline script, style or event handler
# (tests/security/test_headers.py scans them; the browser test fails on any CSP report).
# img/media blob: and data: are the evidence previews and Bootstrap's inline SVG icons.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])  # fmt: skip

# Redoc (the API reference, /api/redoc/) builds its styles at run time (styled-components write
# <style> elements) and runs its search in a worker made from a blob: URL. Only that page gets
# these two relaxations; it shows the schema and nothing a user typed.
REDOC_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("worker-src 'self'", "worker-src 'self' blob:")

# camera and microphone stay allowed for our own pages: the field form takes photos and
# recordings as evidence (today through <input capture>, which needs no permission; an in-page
# capture would). Nothing else is used, and no page embeds another origin.
PERMISSIONS_POLICY = ", ".join([
    "accelerometer=()",
    "autoplay=()",
    "camera=(self)",
    "display-capture=()",
    "geolocation=()",
    "gyroscope=()",
    "magnetometer=()",
    "microphone=(self)",
    "payment=()",
    "usb=()",
])  # fmt: skip


class SecurityHeadersMiddleware:
    """CSP, Permissions-Policy and ``Cache-Control: no-store`` on everything but static files.

    Pages, API answers, exports and documents carry personal data (names, ID numbers, phone
    numbers); a shared office computer's browser cache or a proxy must not keep them. A view that
    set its own Cache-Control (the service worker script) keeps it. Static files (whitenoise,
    ``STATIC_URL``) are public and cached as whitenoise says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.static_prefix):
            return response
        policy = REDOC_CONTENT_SECURITY_POLICY if getattr(response, "anjian_csp_redoc", False) else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response.headers:
            response["Cache-Control"] = "no-store"
        return response


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
