"""Public pages without login (included by anjian/urls.py under /public/): the penalty decisions
made public under 安全生产法 §78."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from anjian.cases import views_publication

urlpatterns: list[URLPattern | URLResolver] = [
    path("penalties/", views_publication.public_penalties, name="public-penalties"),
]
