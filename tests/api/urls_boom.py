"""The project's URLs plus a plain Django view under /api/ that fails (no DRF around it)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from anjian.urls import urlpatterns as project_urls


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail")


urlpatterns = [path("api/boom/", boom), *project_urls]
