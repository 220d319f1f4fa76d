"""The project's URLs plus the documents URLs, included as the project will include them:
``path("documents/", include("anjian.documents.urls"))`` (until anjian/urls.py carries it)."""

from django.urls import include, path

from anjian.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "documents" for p in urlpatterns):
    urlpatterns.append(path("documents/", include("anjian.documents.urls")))
