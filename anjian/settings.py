"""Settings, configured by environment variables only (ARCHITECTURE.md, rule 8).

With nothing set, anjian runs on a SQLite file under ``var/`` so a newcomer needs no server.
Production sets ``ANJIAN_DATABASE_URL=postgres://…`` and ``ANJIAN_SECRET_KEY``.
"""

from __future__ import annotations

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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "anjian.core",
    "anjian.documents",
    "anjian.org",
    "anjian.enterprises",
    "anjian.inspections",
    "anjian.hazards",
    "anjian.cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "anjian.core.middleware.RequestContextMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
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
SESSION_COOKIE_SECURE = _env_bool("ANJIAN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "anjian.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "anjian.core.api.exception_handler",
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
# The seed's "非煤矿山重大隐患一律停产整顿" is a campaign policy a bureau may switch on as the
# suggested on-site measure (LEGAL.md §3); the officer still decides on the facts.
ANJIAN_MINE_MAJOR_HAZARD_SUSPEND = _env_bool("ANJIAN_MINE_MAJOR_HAZARD_SUSPEND", False)
ANJIAN_PHOTO_MAX_BYTES = int(os.environ.get("ANJIAN_PHOTO_MAX_BYTES", str(20 * 1024 * 1024)))
ANJIAN_VIDEO_MAX_BYTES = int(os.environ.get("ANJIAN_VIDEO_MAX_BYTES", str(2 * 1024 * 1024 * 1024)))
# LEGAL.md §4: earlier hazards or violations on the same item are shown for this many years (CFG).
ANJIAN_REPEAT_WINDOW_YEARS = int(os.environ.get("ANJIAN_REPEAT_WINDOW_YEARS", "3"))
ANJIAN_IMPORT_MAX_ROWS = int(os.environ.get("ANJIAN_IMPORT_MAX_ROWS", "100000"))
# Exports of more units than this are written by the task worker (about 3,000 units a second).
ANJIAN_EXPORT_SYNC_MAX = int(os.environ.get("ANJIAN_EXPORT_SYNC_MAX", "5000"))
