"""Pages of penalty cases: discretion (included by cases.urls under /cases/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from anjian.cases import views_discretion as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/discretion/", views.case_discretion, name="discretion-case"),
    path("discretion-standards/", views.standard_list, name="discretion-standards"),
    path("discretion-standards/new/", views.standard_create, name="discretion-standard-create"),
    path("discretion-standards/<int:pk>/", views.standard_detail, name="discretion-standard"),
    path("discretion-standards/<int:pk>/approve/", views.standard_approve, name="discretion-standard-approve"),
    path("discretion-standards/<int:pk>/end/", views.standard_end, name="discretion-standard-end"),
]
