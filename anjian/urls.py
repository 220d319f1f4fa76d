from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from anjian.core import views as core_views
from anjian.core import views_account as account_views
from anjian.core import views_admins as admin_views
from anjian.core import views_pii as pii_views
from anjian.core.apidocs import RedocView, SwaggerView, redoc_bundle
from anjian.core.auth import LoginForm
from anjian.documents import views_register as documents_views_register

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html", authentication_form=LoginForm, extra_context={"failure_limit": settings.AXES_FAILURE_LIMIT}), name="login"),
    path("login/otp/", account_views.login_otp, name="login-otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account_views.account, name="account"),
    path("account/password/", account_views.password_change, name="account-password"),
    path("account/sessions/end-others/", account_views.end_other_sessions, name="account-end-others"),
    path("account/otp/", account_views.account_otp, name="account-otp"),
    path("account/tokens/", account_views.token_create, name="account-token-create"),
    path("account/tokens/<int:pk>/revoke/", account_views.token_revoke, name="account-token-revoke"),
    # The separated administrators' pages (core/views_admins.py).
    path("security/", admin_views.security, name="security"),
    path("security/unlock/", admin_views.security_unlock, name="security-unlock"),
    path("security/otp-reset/", admin_views.security_otp_reset, name="security-otp-reset"),
    path("audit/", admin_views.audit_log, name="audit"),
    path("audit/verify/", admin_views.audit_verify, name="audit-verify"),
    path("healthz", core_views.healthz, name="healthz"),
    path("pii/reveal/", pii_views.reveal, name="pii-reveal"),  # the audited reveal of masked personal data (core/pii.py)
    path("enterprises/", include("anjian.enterprises.urls")),
    path("planning/", include("anjian.planning.urls")),  # annual plans (issue 13)
    path("inspections/", include("anjian.inspections.urls")),
    path("hazards/", include("anjian.hazards.urls")),
    path("documents/", include("anjian.documents.urls")),
    # 一文一码: the public verification page a document's QR code points to (no login).
    path("v/", documents_views_register.verify, name="document-verify"),
    path("v/<str:code>/", documents_views_register.verify, name="document-verify-code"),
    path("cases/", include("anjian.cases.urls")),
    path("complaints/", include("anjian.complaints.urls")),
    path("", include("anjian.stats.urls")),  # the workbench, the dashboard, the returns (issue 11)
    path("public/", include("anjian.planning.urls_public")),  # no login: random draws and their verification, published plans (issue 13)
    path("public/", include("anjian.cases.urls_public")),  # no login: the penalty decisions made public (安全生产法 §78)
    path("public/", include("anjian.complaints.urls_public")),  # no login: complaints and reports, and their status by tracking code
    path("law/", include("anjian.legal.urls")),
    path("org/", include("anjian.org.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("anjian.api_urls")),
    path("api/schema/", login_required(SpectacularAPIView.as_view()), name="api-schema"),
    # The API reference pages use drf-spectacular-sidecar's local copies of Swagger UI and Redoc:
    # nothing is loaded from outside hosts (issue 8, item O). Linked from the user menu (base.html).
    path("api/docs/", login_required(SwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("api/redoc/", login_required(RedocView.as_view(url_name="api-schema")), name="api-redoc"),
    path("api/redoc/redoc.standalone.js", redoc_bundle, name="api-redoc-js"),
]

# An exception no view or middleware answered: 503 for a locked database, JSON under /api/.
handler500 = "anjian.core.views.server_error"
