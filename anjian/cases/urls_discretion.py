"""Pages of penalty cases: discretion (included by cases.urls under /cases/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
