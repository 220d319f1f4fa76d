"""Pages of penalty cases under /cases/: the main screens here, each further stage in its own module."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("anjian.cases.urls_filing")),
    path("", include("anjian.cases.urls_decision")),
    path("", include("anjian.cases.urls_evidence")),
    path("", include("anjian.cases.urls_discretion")),
    path("", include("anjian.cases.urls_execution")),
    path("", include("anjian.cases.urls_publication")),
    path("", include("anjian.cases.urls_casefile")),
]
