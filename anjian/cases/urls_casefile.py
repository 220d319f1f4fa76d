"""Pages of penalty cases: casefile (included by cases.urls under /cases/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from anjian.cases import views_casefile as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/case-file/", views.casefile_detail, name="casefile-detail"),
    path("<int:pk>/case-file/download/", views.casefile_download, name="casefile-download"),
    path("<int:pk>/case-file/pages/", views.casefile_pages, name="casefile-pages"),
    path("reminders/read/", views.reminders_read, name="casefile-reminders-read"),
]
