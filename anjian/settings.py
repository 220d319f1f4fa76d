"""Settings, configured by environment variables only (ARCHITECTURE.md, rule 8).

With nothing set, anjian runs on a SQLite file under ``var/`` so a newcomer needs no server.
Production sets ``ANJIAN_DATABASE_URL=postgres://…`` and ``ANJIAN_SECRET_KEY``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("ANJIAN_VAR_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("ANJIAN_DEBUG", False)
# Production mode (issue 10, item 3): no superuser signs in; every power goes through one of the
# three separated administrator roles (core/admins.py). The demo and development keep ``admin``.
ANJIAN_PRODUCTION = _env_bool("ANJIAN_PRODUCTION", False)
SECRET_KEY = os.environ.get("ANJIAN_SECRET_KEY", "")
if not SECRET_KEY:
    # No key configured: make a random one once and keep it in var/ (mode 0600), so a fresh
    # install is secure without a step, and sessions survive restarts. Operators may set
    # ANJIAN_SECRET_KEY instead (docs/operator-guide.md).
    import secrets

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        fd = os.open(_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()

# The key of the audit chain (core/audit_chain.py): every audit row carries an HMAC of its content
# and the sealed chain an HMAC over the previous link. Production sets ANJIAN_AUDIT_KEY (kept apart
# from the database and its backups: whoever holds it can forge a chain); without it the key is
# derived from SECRET_KEY, which is enough for a development machine (docs/operator-guide.md).
AUDIT_KEY = os.environ.get("ANJIAN_AUDIT_KEY", "")
# Personal data at rest (core/crypto.py; issue 10, item 6): ID and telephone numbers of people are
# stored encrypted. ANJIAN_PII_KEYS is "id:base64,id:base64,…" (32 random bytes each), the first the
# current key; older keys stay listed until `anjian pii rotate` has re-encrypted every row.
# ANJIAN_PII_INDEX_KEY keys the blind index (exact search). Without them both are derived from
# SECRET_KEY, which is enough for a development machine (docs/operator-guide.md).
PII_KEYS = os.environ.get("ANJIAN_PII_KEYS", "")
PII_INDEX_KEY = os.environ.get("ANJIAN_PII_INDEX_KEY", "")
PII_CIPHER = os.environ.get("ANJIAN_PII_CIPHER", "")  # sm4-gcm or aes-gcm; default SM4-GCM where OpenSSL has it
# Reveals of masked personal data one user may make per hour (anjian/core/pii.py).
PII_REVEALS_PER_HOUR = int(os.environ.get("ANJIAN_PII_REVEALS_PER_HOUR", "60"))
# Audit rows are kept at least six months (网络安全法第二十一条第三项: 网络日志留存不少于六个月);
# the purge job refuses a shorter period.
AUDIT_RETENTION_DAYS = int(os.environ.get("ANJIAN_AUDIT_RETENTION_DAYS", "365"))

# Every issued document gets its PDF from LibreOffice in the background (documents/pdf.py).
ANJIAN_PDF_ON_ISSUE = os.environ.get("ANJIAN_PDF_ON_ISSUE", "1") != "0"
# Where the public pages are reached from outside (the QR code on every document points here).
ANJIAN_PUBLIC_URL = os.environ.get("ANJIAN_PUBLIC_URL", "http://127.0.0.1:8000")
ALLOWED_HOSTS = [h for h in os.environ.get("ANJIAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ANJIAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "anjian.core",
    "anjian.legal",
    "anjian.documents",
    "anjian.org",
    "anjian.enterprises",
    "anjian.planning",
    "anjian.inspections",
    "anjian.hazards",
    "anjian.cases",
    "anjian.complaints",
    "anjian.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "anjian.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 503 for a locked database, and the JSON error body for anything under /api/ (core.middleware).
    "anjian.core.middleware.ErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle timeout, absolute session lifetime, password expiry (core/accounts.py).
    "anjian.core.accounts.SessionSecurityMiddleware",
    # Refuses an oversized body from its Content-Length before anything reads it (CSRF's check
    # reads request.POST in process_view, after every __call__ here): issue 8, bodies.
    "anjian.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "anjian.core.middleware.RequestContextMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a refused login (locked out) into the login page with the message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anjian.urls"
WSGI_APPLICATION = "anjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anjian.core.context_processors.anjian",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
_db_url = os.environ.get("ANJIAN_DATABASE_URL", "")
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=int(os.environ.get("ANJIAN_CONN_MAX_AGE", "60")))}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "anjian.sqlite3"),
            # SQLite ignores select_for_update: IMMEDIATE transactions serialise writers instead
            # (ARCHITECTURE.md rule 8).
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The password policy and the session limits (core/accounts.py; issue 10, item 4), configurable.
PASSWORD_MIN_LENGTH = int(os.environ.get("ANJIAN_PASSWORD_MIN_LENGTH", "8"))
PASSWORD_MIN_CLASSES = int(os.environ.get("ANJIAN_PASSWORD_MIN_CLASSES", "3"))
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("ANJIAN_PASSWORD_MAX_AGE_DAYS", "90"))
SESSION_IDLE_MINUTES = int(os.environ.get("ANJIAN_SESSION_IDLE_MINUTES", "30"))
MAX_SESSIONS = int(os.environ.get("ANJIAN_MAX_SESSIONS", "3"))
# Personal API tokens (core/tokens.py): every token expires, at most this many days after creation.
API_TOKEN_MAX_DAYS = int(os.environ.get("ANJIAN_API_TOKEN_MAX_DAYS", "180"))
# The second factor (core/otp.py): who must have one. A comma-separated list of roles, or "all", or
# "none". Unset: the administrators, leaders and legal reviewers in production mode
# (ANJIAN_PRODUCTION=1), nobody otherwise (development, the demo, the tests). A user who enrolled
# a device is asked for a code at every login whether or not the role requires it.
_otp_required = os.environ.get("ANJIAN_OTP_REQUIRED_FOR")
OTP_REQUIRED_FOR: list[str] | None = None if _otp_required is None else [r.strip() for r in _otp_required.split(",") if r.strip() and r.strip() != "none"]
# Wrong codes in a row before the second factor locks for AXES_COOLOFF_TIME (the password lockout's time).
OTP_FAILURE_LIMIT = int(os.environ.get("ANJIAN_OTP_FAILURE_LIMIT", "5"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "anjian.core.accounts.PasswordPolicyValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("ANJIAN_STATIC_ROOT", VAR_DIR / "staticfiles"))
# Serve from the app directories too, so a checkout works before collectstatic has run.
WHITENOISE_USE_FINDERS = True
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:  # a read-only deployment collects static files elsewhere
    pass
MEDIA_ROOT = Path(os.environ.get("ANJIAN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("ANJIAN_SESSION_AGE", str(8 * 3600)))
X_FRAME_OPTIONS = "DENY"

# --- HTTPS (docs/operator-guide.md, "生产部署安全设置") ----------------------------------------
# ANJIAN_HTTPS=1 is the production switch: secure cookies, redirect to HTTPS, HSTS. With it and the
# documented settings, `manage.py check --deploy` reports nothing (tests/security/test_deploy_check.py).
ANJIAN_HTTPS = _env_bool("ANJIAN_HTTPS", False)
SESSION_COOKIE_SECURE = _env_bool("ANJIAN_SECURE_COOKIES", ANJIAN_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _env_bool("ANJIAN_SSL_REDIRECT", ANJIAN_HTTPS)
# One year once HTTPS is on; 0 (no header) over plain HTTP, where a browser would ignore it anyway.
SECURE_HSTS_SECONDS = int(os.environ.get("ANJIAN_HSTS_SECONDS", str(365 * 24 * 3600 if ANJIAN_HTTPS else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("ANJIAN_HSTS_INCLUDE_SUBDOMAINS", ANJIAN_HTTPS)
SECURE_HSTS_PRELOAD = _env_bool("ANJIAN_HSTS_PRELOAD", False)
# The browsers' preload list is for public host names; the bureau's intranet host cannot be on it,
# so the check that asks for it is silenced (an internet-facing deployment sets ANJIAN_HSTS_PRELOAD=1).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# nginx terminates TLS and says so in X-Forwarded-Proto; trusted only behind the proxy.
if _env_bool("ANJIAN_TRUST_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by the local monitor.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- login brute force (issue 8, item 9): django-axes ------------------------------------------
# Five failures lock for 30 minutes, counted per user name and, separately, per source address;
# either count locks. An administrator unlocks early in the admin (登录锁定) or with `anjian unlock USER` (audited).
AUTHENTICATION_BACKENDS = [
    "anjian.core.auth.LockoutBackend",
    # Django's password check; refuses a superuser in production mode (core/auth.py).
    "anjian.core.auth.PasswordBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = int(os.environ.get("ANJIAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("ANJIAN_LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Attempts during a lockout are refused without being counted: the lock ends 30 minutes after
# the failure that set it, so an attacker cannot keep a colleague locked out for ever by retrying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the count: an attacker with an account of his own could otherwise reset
# his address's count between guesses at colleagues' passwords. Failures age out after 30 minutes.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "anjian.core.auth.client_ip_for_axes"
AXES_LOCKOUT_CALLABLE = "anjian.core.auth.lockout_response"
AXES_ENABLE_ADMIN = False  # unlocking goes through our audited admin page (core/auth_admin.py), not a bare delete
AXES_VERBOSE = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "anjian.core.tokens.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "anjian.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "anjian.core.api.exception_handler",
    # core.api.JSONParser: a body nested too deep for the decoder is a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": ["anjian.core.api.JSONParser", "rest_framework.parsers.FormParser", "rest_framework.parsers.MultiPartParser"],
    # JSON only: DRF's browsable HTML pages are English, carry inline styles the CSP refuses, and
    # duplicate the documented reference (/api/docs/, from the user menu).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("ANJIAN_API_RATE", "6000/min")},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "安监 anjian API",
    "DESCRIPTION": "应急管理局安全生产监管执法系统接口。所有错误返回 {code, message, fields}。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # `check --deploy` is about the deployment's security settings; the schema's own warnings are
    # the API's business (its tests and the schemathesis run), not a reason to fail the deploy check.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("ANJIAN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("ANJIAN_REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["ANJIAN_REDIS_URL"]}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# Imports: the upload limit for an .xlsx ledger file (bytes).
ANJIAN_IMPORT_MAX_BYTES = int(os.environ.get("ANJIAN_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANJIAN_LOG_LEVEL", "WARNING")},
}

# core cannot import org (layer rule); it asks this resolver for a user's scope.
ANJIAN_SCOPE_RESOLVER = "anjian.org.selectors.user_scope"
ANJIAN_TRUST_PROXY = _env_bool("ANJIAN_TRUST_PROXY", False)

# Rectification periods by severity (days from service of the order): the bureau's choice (CFG).
ANJIAN_RECTIFICATION_DAYS = json.loads(os.environ.get("ANJIAN_RECTIFICATION_DAYS", '{"general": 15, "major": 60}'))
# The longest extension of a rectification deadline, in calendar days after the current deadline
# (CFG: LEGAL.md §3 sets when the party applies and when the agency answers, not how long).
ANJIAN_EXTENSION_MAX_DAYS = int(os.environ.get("ANJIAN_EXTENSION_MAX_DAYS", "60"))
# The seed's "非煤矿山重大隐患一律停产整顿" is a campaign policy a bureau may switch on as the
# suggested on-site measure (LEGAL.md §3); the officer still decides on the facts.
ANJIAN_MINE_MAJOR_HAZARD_SUSPEND = _env_bool("ANJIAN_MINE_MAJOR_HAZARD_SUSPEND", False)
ANJIAN_PHOTO_MAX_BYTES = int(os.environ.get("ANJIAN_PHOTO_MAX_BYTES", str(20 * 1024 * 1024)))
ANJIAN_VIDEO_MAX_BYTES = int(os.environ.get("ANJIAN_VIDEO_MAX_BYTES", str(2 * 1024 * 1024 * 1024)))
# LEGAL.md §4: earlier hazards or violations on the same item are shown for this many years (CFG).
ANJIAN_REPEAT_WINDOW_YEARS = int(os.environ.get("ANJIAN_REPEAT_WINDOW_YEARS", "3"))
ANJIAN_IMPORT_MAX_ROWS = int(os.environ.get("ANJIAN_IMPORT_MAX_ROWS", "100000"))  # blank rows count too
# An import file larger than this once unpacked (bytes; about 8,000 rows) is checked by the worker.
ANJIAN_IMPORT_SYNC_PREVIEW_BYTES = int(os.environ.get("ANJIAN_IMPORT_SYNC_PREVIEW_BYTES", str(4 * 1024 * 1024)))
# /healthz: the worker counts as dead after this many seconds without a heartbeat, and the queue as
# stale when a task has waited longer than ANJIAN_QUEUE_MAX_AGE seconds.
ANJIAN_WORKER_HEARTBEAT_MAX_AGE = float(os.environ.get("ANJIAN_WORKER_HEARTBEAT_MAX_AGE", "35"))
ANJIAN_QUEUE_MAX_AGE = float(os.environ.get("ANJIAN_QUEUE_MAX_AGE", "900"))
# Exports of more units than this are written by the task worker (about 3,000 units a second).
ANJIAN_EXPORT_SYNC_MAX = int(os.environ.get("ANJIAN_EXPORT_SYNC_MAX", "5000"))

# Request bodies (issue 8, bodies): refused with 413 from Content-Length before anything is read.
# Signed-in users may send the largest single upload the pages take (a 100 MB recording on the
# inspection page, a 30 MB scan, a 20 MB import) plus 1 MB of form envelope; anyone else 1 MB,
# under FILE_UPLOAD_MAX_MEMORY_SIZE, so nothing an anonymous client sends is ever spooled to a
# temporary file. Videos go up in 8 MB pieces (inspections/uploads.py). nginx refuses the same
# size first (client_max_body_size, docs/operator-guide.md).
ANJIAN_AUDIO_MAX_BYTES = int(os.environ.get("ANJIAN_AUDIO_MAX_BYTES", str(100 * 1024 * 1024)))
ANJIAN_SCAN_MAX_BYTES = int(os.environ.get("ANJIAN_SCAN_MAX_BYTES", str(30 * 1024 * 1024)))
ANJIAN_MAX_BODY_BYTES = int(
    os.environ.get("ANJIAN_MAX_BODY_BYTES", str(max(ANJIAN_AUDIO_MAX_BYTES, ANJIAN_SCAN_MAX_BYTES, ANJIAN_PHOTO_MAX_BYTES, ANJIAN_IMPORT_MAX_BYTES) + 1024 * 1024))
)
ANJIAN_MAX_ANONYMOUS_BODY_BYTES = int(os.environ.get("ANJIAN_MAX_ANONYMOUS_BODY_BYTES", str(1024 * 1024)))

# The public complaint and report page (issue 12, complaints/public.py): submissions and status
# look-ups per source IP per hour (counted in the cache: set ANJIAN_REDIS_URL so that every worker
# shares the count), and the size of one attachment (the whole anonymous body is bounded by
# ANJIAN_MAX_ANONYMOUS_BODY_BYTES besides).
ANJIAN_PUBLIC_REPORTS_PER_HOUR = int(os.environ.get("ANJIAN_PUBLIC_REPORTS_PER_HOUR", "5"))
ANJIAN_PUBLIC_STATUS_LOOKUPS_PER_HOUR = int(os.environ.get("ANJIAN_PUBLIC_STATUS_LOOKUPS_PER_HOUR", "30"))
ANJIAN_COMPLAINT_ATTACHMENT_MAX_BYTES = int(os.environ.get("ANJIAN_COMPLAINT_ATTACHMENT_MAX_BYTES", str(1024 * 1024)))

# Random draws (issue 13, planning): the results are published within this many days of the draw
# (practice: 20 days on the credit publicity system, LEGAL.md §6, CFG); and the public plan and draw
# pages answer at most this many requests a minute per source IP (the draw page re-runs the draw).
ANJIAN_DRAW_PUBLISH_DAYS = int(os.environ.get("ANJIAN_DRAW_PUBLISH_DAYS", "20"))
ANJIAN_PUBLIC_PLANS_PER_MINUTE = int(os.environ.get("ANJIAN_PUBLIC_PLANS_PER_MINUTE", "30"))
