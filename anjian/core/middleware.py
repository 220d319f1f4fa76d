from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

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
    header = request.headers.get("Authorization", "")
    kind, _, key = header.partition(" ")
    if kind.lower() != "token" or not key.strip() or len(key.strip()) > 40:
        return False
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(key=key.strip(), user__is_active=True).exists()


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
