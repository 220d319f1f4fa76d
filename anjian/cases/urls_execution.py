"""Pages of penalty cases: execution (included by cases.urls under /cases/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
