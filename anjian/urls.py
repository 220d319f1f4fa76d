from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from anjian.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", core_views.healthz, name="healthz"),
    path("enterprises/", include("anjian.enterprises.urls")),
    path("inspections/", include("anjian.inspections.urls")),
    path("hazards/", include("anjian.hazards.urls")),
    path("documents/", include("anjian.documents.urls")),
    path("law/", include("anjian.core.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("anjian.api_urls")),
    path("api/schema/", login_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("api/docs/", login_required(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("api/redoc/", login_required(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
]

# An exception no view or middleware answered: 503 for a locked database, JSON under /api/.
handler500 = "anjian.core.views.server_error"
