"""The API reference pages (Swagger UI and Redoc), served from drf-spectacular-sidecar's local copies.

Nothing is loaded from outside hosts: the stock Redoc page pulls its fonts from a web font service,
which an intranet cannot reach (issue 8, item O). Both pages obey the site's Content-Security-Policy:
Swagger UI gets its start-up script as a separate file (drf-spectacular's split view); Redoc, which
writes its styles at run time, is the one page with a relaxed style-src (core/middleware.py).

Redoc's bundle also shows the Redocly logo from a CDN in its side bar, unconditionally: the
bundle is served with that one address removed (an empty ``src`` makes Redoc drop the logo).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import drf_spectacular_sidecar
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.response import Response


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


REDOC_BUNDLE = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar" / "redoc" / "bundles" / "redoc.standalone.js"
REDOC_OUTSIDE_URLS = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)


@cache
def redoc_bundle_bytes() -> bytes:
    text = REDOC_BUNDLE.read_text(encoding="utf-8")
    for url in REDOC_OUTSIDE_URLS:
        text = text.replace(url, "")
    return text.encode("utf-8")


def redoc_bundle(request: HttpRequest) -> HttpResponse:
    """drf-spectacular-sidecar's Redoc bundle without the CDN logo (public code, cached a day)."""
    response = HttpResponse(redoc_bundle_bytes(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @staticmethod
    def _redoc_standalone() -> str:
        return reverse("api-redoc-js")

    @extend_schema(exclude=True)
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
        response.anjian_csp_redoc = True  # type: ignore[attr-defined]
        return response
