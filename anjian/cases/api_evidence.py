"""API of penalty cases: evidence (included by api_urls under /api/v1/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
