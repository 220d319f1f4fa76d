"""The project's URLs plus plain Django views (no DRF around them) for the error-path tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from anjian.urls import handler500
from anjian.urls import urlpatterns as project_urls


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail")


def touch_session(request: HttpRequest) -> HttpResponse:
    request.session["seen"] = True  # saved by SessionMiddleware after the view
    return HttpResponse("ok")


urlpatterns = [path("api/boom/", boom), path("api/session/", touch_session), path("session/", touch_session), *project_urls]
__all__ = ["handler500", "urlpatterns"]
