"""The API reference pages (Swagger UI and Redoc), served from drf-spectacular-sidecar's local copies.

Nothing is loaded from outside hosts: the stock Redoc page pulls its fonts from a web font service,
which an intranet cannot reach (issue 8, item O). Both pages obey the site's Content-Security-Policy:
Swagger UI gets its start-up script as a separate file (drf-spectacular's split view); Redoc, which
writes its styles at run time, is the one page with a relaxed style-src (core/middleware.py).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.response import Response


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        response.anjian_csp_redoc = True  # type: ignore[attr-defined]
        return response
