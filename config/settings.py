"""Anbiao settings: one module, driven by environment variables (see README)."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ANBIAO_VAR_DIR", BASE_DIR / "var"))

ANBIAO_ENV = os.environ.get("ANBIAO_ENV", "development")
PRODUCTION = ANBIAO_ENV == "production"
TESTING = os.environ.get("ANBIAO_TESTING") == "1" or "pytest" in sys.modules

DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1" and not TESTING
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "" if PRODUCTION else "dev-insecure-anbiao-key-change-me-0123456789"
)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when ANBIAO_ENV=production")
# Production names its hosts and its database explicitly (docs/deployment.md, deploy/anbiao.env.example).
for _required in ("ALLOWED_HOSTS", "DATABASE_URL") if PRODUCTION else ():
    if not os.environ.get(_required, "").strip():
        raise RuntimeError(f"{_required} must be set when ANBIAO_ENV=production")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "anbiao.core",
    "anbiao.orgs",
    "anbiao.accounts",
    "anbiao.hazards",
    "anbiao.risks",
    "anbiao.standards",
    "anbiao.duty",
    "anbiao.ledgers",
    "anbiao.campaigns",
    "anbiao.reports",
    "anbiao.dashboards",
    "anbiao.cityplatform",
    "anbiao.perf",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "anbiao.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anbiao.accounts.middleware.SessionLifetimeMiddleware",
    "anbiao.accounts.middleware.MFARequiredMiddleware",
    "anbiao.accounts.middleware.PasswordChangeRequiredMiddleware",
    "anbiao.core.middleware.NoStoreMiddleware",
    "anbiao.core.middleware.DownloadAuditMiddleware",
    "anbiao.core.middleware.RefusedWriteAuditMiddleware",
    "anbiao.core.dbrouter.ReplicaReadMiddleware",  # only when DATABASE_REPLICA_URL is set
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "anbiao.core.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "anbiao.core.renderers.FormRenderer"  # Django's, with <select> written in Python

# --- Database -------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
_sqlite_options = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
    ),
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "anbiao.sqlite3",
            "OPTIONS": _sqlite_options,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", _sqlite_options)
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("ANBIAO_TEST_DB") or None}
# Scale-out: a read replica for the heavy read-only pages (quarterly reports), docs/deployment.md.
# anbiao.core.dbrouter sends reads there only for GET/HEAD requests under ANBIAO_REPLICA_PATHS (and inside
# dbrouter.replica_reads()); writes, sessions, accounts and the audit trail always use "default".
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["anbiao.core.dbrouter.ReplicaRouter"]
ANBIAO_REPLICA_PATHS = tuple(
    p
    for p in os.environ.get(
        "ANBIAO_REPLICA_PATHS", "/reports/,/api/v1/report-units/,/api/v1/report-submissions/"
    ).split(",")
    if p
)
# After a write, the same session reads from the primary for this long (read-your-writes despite lag).
ANBIAO_REPLICA_PIN_SECONDS = int(os.environ.get("ANBIAO_REPLICA_PIN_SECONDS", "15"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and login policy (等保 2.0 二级) -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "phone")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("ANBIAO_PASSWORD_MIN_LENGTH", "8"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "anbiao.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": int(os.environ.get("ANBIAO_PASSWORD_MIN_CLASSES", "3"))},
    },
    # the last ANBIAO_PASSWORD_HISTORY passwords (the current one included) cannot be chosen again
    {"NAME": "anbiao.accounts.passwords.PasswordHistoryValidator"},
]
# Periodic change (等保 2.0 "定期更换"): a password older than this many days must be changed at the next
# login (and API tokens stop working until it is). OWASP ASVS 5.0 6.2.10 says the opposite — never force
# periodic rotation — so 0 turns it off for a deployment that follows ASVS (docs/security.md A3: deviation).
ANBIAO_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("ANBIAO_PASSWORD_MAX_AGE_DAYS", "90"))
ANBIAO_PASSWORD_HISTORY = int(os.environ.get("ANBIAO_PASSWORD_HISTORY", "5"))
# Accounts unused this many days are disabled by manage.py anbiao_disable_dormant (daily timer); 0 = never.
ANBIAO_DORMANT_DAYS = int(os.environ.get("ANBIAO_DORMANT_DAYS", "180"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(os.environ.get("ANBIAO_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ANBIAO_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# What axes stores and logs as the username: the account's name, or a keyed digest when no account has that
# name — people type their password or ID number into the username field (security.md C5).
AXES_USERNAME_CALLABLE = "anbiao.accounts.auth.login_name_for_records"

SESSION_COOKIE_AGE = int(os.environ.get("ANBIAO_IDLE_MINUTES", "30")) * 60
# absolute lifetime of a signed-in session, whatever the activity (accounts SessionLifetimeMiddleware)
ANBIAO_SESSION_MAX_HOURS = float(os.environ.get("ANBIAO_SESSION_MAX_HOURS", "12"))
SESSION_SAVE_EVERY_REQUEST = True  # sliding idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Sessions live in the database (never in process memory): any worker on any host serves any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# The addresses of reverse proxies (nginx) whose X-Real-IP header names the client. Only a request whose
# peer is one of them has REMOTE_ADDR replaced (core.middleware.RequestContextMiddleware), so the audit
# trail, the lockout log and the public form's rate limit see the real client, and nobody can forge it.
ANBIAO_TRUSTED_PROXIES = frozenset(
    a.strip()
    for a in os.environ.get("ANBIAO_TRUSTED_PROXIES", "127.0.0.1,::1" if PRODUCTION else "").split(",")
    if a.strip()
)
if PRODUCTION:
    # TLS ends at nginx, which sets X-Forwarded-Proto (deploy/nginx.conf). Trust that header only when a
    # proxy that overwrites it is in front: ANBIAO_TRUST_X_FORWARDED_PROTO=0 when gunicorn faces clients.
    if os.environ.get("ANBIAO_TRUST_X_FORWARDED_PROTO", "1") == "1":
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring probes the app on loopback over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
    }
}

# --- I18N ------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "anbiao.core.storage.DurableFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
ANBIAO_UPLOAD_MAX_BYTES = int(os.environ.get("ANBIAO_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
ANBIAO_IMAGE_MAX_PIXELS = 40_000_000
ANBIAO_IMPORT_MAX_BYTES = int(os.environ.get("ANBIAO_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
ANBIAO_IMPORT_MAX_ROWS = 10_000
# list pages count their rows up to this many; beyond it they say "more than" (an exact count of a
# city-wide list costs more than the page itself; filters narrow it back to an exact count)
ANBIAO_LIST_COUNT_LIMIT = int(os.environ.get("ANBIAO_LIST_COUNT_LIMIT", "10000"))
# manage.py anbiao_backup / anbiao_restore (docs/deployment.md "Backup and restore"). The copy command runs
# after each backup with the generation directory ({path}, else appended), e.g. "rsync -a {path} host:dir/".
ANBIAO_BACKUP_DIR = Path(os.environ.get("ANBIAO_BACKUP_DIR", VAR_DIR / "backups"))
ANBIAO_BACKUP_KEEP = int(os.environ.get("ANBIAO_BACKUP_KEEP", "14"))
ANBIAO_BACKUP_COPY_COMMAND = os.environ.get("ANBIAO_BACKUP_COPY_COMMAND", "")

FILTERS_EMPTY_CHOICE_LABEL = "全部"
FILTERS_NULL_CHOICE_LABEL = "未填写"

# --- API -------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "anbiao.accounts.auth.MFATokenAuthentication",  # DRF's token auth + the MFA rule (A7)
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "anbiao.api.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "anbiao.api.pagination.ListPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "anbiao.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "安标 Anbiao API",
    "DESCRIPTION": "企业安全生产责任制与标准化管理平台接口。所有列表与详情均按登录用户的管辖范围过滤。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # Choice sets that share a field name across modules get their own schema names.
    "ENUM_NAME_OVERRIDES": {
        "HazardLevelEnum": "anbiao.hazards.choices.Level",
        "RiskLevelEnum": "anbiao.risks.choices.Level",
        "CampaignLevelEnum": "anbiao.campaigns.choices.Level",
        "InspectionOutcomeEnum": "anbiao.hazards.choices.Outcome",
        "AssessmentOutcomeEnum": "anbiao.duty.choices.Outcome",
        "OrgKindEnum": "anbiao.orgs.choices.OrgKind",
        "DocumentStatusEnum": "anbiao.ledgers.choices.DocumentStatus",
        # the same three states for campaign filings and report submissions: one enum
        "FilingStatusEnum": "anbiao.reports.choices.SubmissionStatus",
    },
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Cache -----------------------------------------------------------------------------------------
# Nothing correctness-critical is cached: the cache holds only the public hazard form's per-address counter.
# With several workers or hosts set REDIS_URL so they share it (local memory counts per worker process).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "anbiao"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Logging ---------------------------------------------------------------------------------------
# Operational logs go to stdout/stderr, which systemd hands to journald (retention: docs/deployment.md).
# The audit trail is not a log file: it is the core.AuditEvent table, written in each write's transaction.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
        "timed": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            # journald stamps each line itself; a terminal gets the time from the formatter.
            "formatter": "plain" if os.environ.get("JOURNAL_STREAM") else "timed",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # unhandled exceptions (500) and refused hosts or CSRF failures are always written
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        # Never at DEBUG, whatever LOG_LEVEL: their debug records carry request data — a template's whole
        # context (a generated password, what the user typed) and SQL parameters (security.md C5).
        "django.template": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
}

# Lockout is by username on purpose: county offices and township stations share one NAT address, so locking
# an address would lock out everyone behind it (security.md discusses the trade-off).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if PRODUCTION and not SECURE_HSTS_PRELOAD:
    # The operator chose not to ask browsers to preload the domain (SECURE_HSTS_PRELOAD=0), e.g. because
    # some sibling subdomain is not yet on HTTPS; HSTS itself stays on for a year.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# --- 等保 三级 switches (off by default; docs/security.md A7 and F2) --------------------------------------
# TOTP second factor for county and unit administrators.
ANBIAO_MFA_REQUIRED = os.environ.get("ANBIAO_MFA_REQUIRED", "0") == "1"
ANBIAO_MFA_ISSUER = os.environ.get("ANBIAO_MFA_ISSUER", "安标")
# 三权分立: separate 系统管理员 / 安全管理员 / 审计管理员 powers (anbiao/core/roles.py, docs/security.md B7).
ANBIAO_SEPARATION_OF_DUTIES = os.environ.get("ANBIAO_SEPARATION_OF_DUTIES", "0") == "1"
# HMAC-SHA256 seals on submitted report versions and audit rows; checked by manage.py anbiao_verify_integrity.
ANBIAO_INTEGRITY_KEY = os.environ.get("ANBIAO_INTEGRITY_KEY", "")

# manage.py anbiao_bench: its bare baseline view is mounted only when this is on (never in production).
ANBIAO_BENCH_VIEWS = os.environ.get("ANBIAO_BENCH_VIEWS", "0") == "1" and not PRODUCTION

if TESTING:
    MIDDLEWARE.append("anbiao.core.testing.UrlRecorderMiddleware")
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
