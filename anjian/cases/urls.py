"""Pages of penalty cases under /cases/: the main screens here, each further stage in its own module."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from anjian.cases import views

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    # The main screens (helper "screens"): lists, the board, the queue, opening, the case page.
    path("", views.case_list, name="list"),
    path("board/", views.board, name="board"),
    path("queue/", views.queue, name="queue"),
    path("new/", views.case_new, name="new"),
    path("summary/new/", views.summary_new, name="summary_new"),
    path("accidents/new/", views.accident_new, name="accident_new"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("<int:pk>/", views.case_detail, name="detail"),
    # One form page per step: /cases/<id>/<step>/ (the steps are listed in views.STEPS).
    *(path(f"<int:pk>/{s.slug}/", views.step_page, {"slug": s.slug}, name=f"step-{s.slug}") for s in views.STEPS),
    path("", include("anjian.cases.urls_filing")),
    path("", include("anjian.cases.urls_decision")),
    path("", include("anjian.cases.urls_evidence")),
    path("", include("anjian.cases.urls_discretion")),
    path("", include("anjian.cases.urls_execution")),
    path("", include("anjian.cases.urls_publication")),
    path("", include("anjian.cases.urls_casefile")),
]
