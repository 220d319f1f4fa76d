"""Pages of penalty cases: execution (included by cases.urls under /cases/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from anjian.cases import views_execution as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/execution/", views.execution_page, name="execution"),
    path("<int:pk>/execution/<slug:action>/", views.execution_action, name="execution-action"),
]
