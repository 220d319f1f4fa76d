"""Public pages without login (included by anjian/urls.py under /public/): submitting a complaint or
report, and its status by tracking code."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from anjian.complaints import views_public

urlpatterns: list[URLPattern | URLResolver] = [
    path("report/", views_public.public_report, name="public-report"),
    path("report/status/", views_public.public_status, name="public-report-status"),
]
