"""Pages of complaints and reports under /complaints/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from anjian.complaints import urls_officers, views

app_name = "complaints"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.submission_list, name="list"),
    path("new/", views.submission_new, name="new"),
    path("reward-range/", views.reward_range, name="reward-range"),
    *urls_officers.urlpatterns,  # the officers' complaint records (issue 12 item 4)
    path("<int:pk>/", views.submission_detail, name="detail"),
    *(path(f"<int:pk>/{s.slug}/", views.step_page, {"slug": s.slug}, name=f"step-{s.slug}") for s in views.STEPS),
]
