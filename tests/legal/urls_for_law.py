"""The project's URLs plus the legal calculators and the law API, included as the project will
include them (until anjian/urls.py and anjian/api_urls.py carry them):

    path("law/", include("anjian.legal.urls"))        # anjian/urls.py
    path("law/", include("anjian.legal.api"))     # anjian/api_urls.py (→ /api/v1/law/)
"""

from django.urls import include, path

from anjian.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "law" for p in urlpatterns):
    urlpatterns.append(path("law/", include("anjian.legal.urls")))
if not any(getattr(p, "namespace", None) == "law_api" for p in urlpatterns):
    urlpatterns.insert(0, path("api/v1/law/", include("anjian.legal.api")))
