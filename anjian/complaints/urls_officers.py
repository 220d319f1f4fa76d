"""The officers' complaint records (issue 12 item 4), under /complaints/officers/; joined into
``complaints/urls.py`` (names in the ``complaints`` namespace)."""

from __future__ import annotations

from django.urls import URLPattern, path

from anjian.complaints import views_officers as v

urlpatterns: list[URLPattern] = [
    path("officers/", v.officer_list, name="officers"),
    path("officers/<int:pk>/", v.officer_record, name="officer"),
]
