"""Pages of penalty cases: publication (included by cases.urls under /cases/).

The public page without login (/public/penalties/) is routed in ``anjian/urls.py``.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from anjian.cases import views_publication as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("publications/", views.publication_queue, name="publication-queue"),
    path("publications/<int:pk>/", views.publication_detail, name="publication-detail"),
    path("publications/<int:pk>/<slug:action>/", views.publication_act, name="publication-act"),
    path("dishonesty/", views.dishonesty_list, name="dishonesty-list"),
    path("dishonesty/export.xlsx", views.dishonesty_export, name="dishonesty-export"),
    path("dishonesty/<int:pk>/", views.dishonesty_detail, name="dishonesty-detail"),
    path("dishonesty/<int:pk>/<slug:action>/", views.dishonesty_act, name="dishonesty-act"),
]
