"""Pages of penalty cases: the case's documents and the documents made on demand (included by ``cases.urls`` under /cases/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from anjian.cases import views_filing as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/documents/", views.documents, name="filing-documents"),
    path("<int:pk>/documents/<slug:action>/", views.documents_issue, name="filing-documents-issue"),
]
