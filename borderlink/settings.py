"""Django settings for a Borderlink node, read from the environment.

See README.md ("Configuration") for every variable. A bad value stops
start-up with a clear message (borderlink.env.ConfigError).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from borderlink.env import ConfigError, Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

try:
    DEBUG = env.bool("BORDERLINK_DEBUG", False)
    TESTING = "pytest" in sys.modules or env.bool("BORDERLINK_TESTING", False)
    DATA_DIR = env.path("BORDERLINK_DATA_DIR", BASE_DIR / "var")
    if DEBUG or TESTING:
        SECRET_KEY = env.str("BORDERLINK_SECRET_KEY", "insecure-development-key-do-not-use-in-production")
    else:
        SECRET_KEY = env.str("BORDERLINK_SECRET_KEY")
        if len(SECRET_KEY) < 32:
            raise ConfigError("BORDERLINK_SECRET_KEY must be at least 32 characters long")
    ALLOWED_HOSTS = env.list("BORDERLINK_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
    CSRF_TRUSTED_ORIGINS = env.list("BORDERLINK_CSRF_TRUSTED_ORIGINS", [])
    DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{DATA_DIR / 'borderlink.sqlite3'}")}
    NODE_COUNTRY = env.choice("BORDERLINK_NODE_COUNTRY", "VN", ["VN", "LA", "KH"])
    NODE_NAME = env.str("BORDERLINK_NODE_NAME", f"borderlink-{NODE_COUNTRY.lower()}")
    NODE_URL = env.str("BORDERLINK_NODE_URL", "http://127.0.0.1:8000").rstrip("/")
    NODE_KEY_FILE = env.path("BORDERLINK_NODE_KEY_FILE", DATA_DIR / "node_key.pem")
    CLOCK_FILE = env.str("BORDERLINK_CLOCK_FILE", "")  # seconds to add to the deadline clock (tests, drills)
    TEST_APPS = env.list("BORDERLINK_TEST_APPS", [])  # apps under tests/ only, e.g. a toy workflow between real nodes
    if any(not app.startswith("tests.") for app in TEST_APPS):
        raise ConfigError("BORDERLINK_TEST_APPS names only apps under tests/")
    FEDERATION_MAX_BYTES = env.int("BORDERLINK_FEDERATION_MAX_BYTES", 16 * 1024 * 1024, minimum=1024)
    FEDERATION_CLOCK_SKEW_SECONDS = env.int("BORDERLINK_FEDERATION_CLOCK_SKEW_SECONDS", 300, minimum=5)
    FEDERATION_TIMEOUT_SECONDS = env.int("BORDERLINK_FEDERATION_TIMEOUT_SECONDS", 4, minimum=1, maximum=60)
    # What a peer (or anyone) may send: posts per source address and envelopes per pinned peer (django-ratelimit
    # rates, "count/period"), a peer's bytes a day, and the rows the quarantine keeps (the oldest are pruned).
    FEDERATION_RATE_PER_ADDRESS = env.str("BORDERLINK_FEDERATION_RATE_PER_ADDRESS", "600/m")
    FEDERATION_RATE_PER_PEER = env.str("BORDERLINK_FEDERATION_RATE_PER_PEER", "6000/m")
    FEDERATION_PEER_BYTES_PER_DAY = env.int("BORDERLINK_FEDERATION_PEER_BYTES_PER_DAY", 2 * 1024**3, minimum=1024)
    FEDERATION_QUARANTINE_MAX_ROWS = env.int("BORDERLINK_FEDERATION_QUARANTINE_MAX_ROWS", 10_000, minimum=10)
    # Border pass checks at a gate, per officer (django-ratelimit rate): a scanner stuck in a loop, or someone
    # trying numbers, is stopped with a 429 while a gate's normal flow (one traveller at a time) is not.
    PASS_CHECK_RATE = env.str("BORDERLINK_PASS_CHECK_RATE", "30/m")
    for _rate_name in ("BORDERLINK_FEDERATION_RATE_PER_ADDRESS", "BORDERLINK_FEDERATION_RATE_PER_PEER",
                       "BORDERLINK_PASS_CHECK_RATE"):
        if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", env.str(_rate_name, "1/m")):
            raise ConfigError(f"{_rate_name} must be a rate such as 600/m (count per s, m, h or d)")
    SESSION_IDLE_SECONDS = env.int("BORDERLINK_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
    LOGIN_MAX_FAILURES = env.int("BORDERLINK_LOGIN_MAX_FAILURES", 5, minimum=1)
    LOGIN_LOCK_SECONDS = env.int("BORDERLINK_LOGIN_LOCK_SECONDS", 15 * 60, minimum=1)
    ATTACHMENT_MAX_BYTES = env.int("BORDERLINK_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
    ATTACHMENT_MAX_COUNT = env.int("BORDERLINK_ATTACHMENT_MAX_COUNT", 10, minimum=1)
    # All of one message's files together: their base64 (4/3 of the bytes) and 2 MiB of text must fit in one
    # envelope (FEDERATION_MAX_BYTES) and in one API body (DATA_UPLOAD_MAX_MEMORY_SIZE, below).
    ATTACHMENT_MAX_TOTAL_BYTES = min(
        env.int("BORDERLINK_ATTACHMENT_MAX_TOTAL_BYTES", 12 * 1024 * 1024, minimum=1024),
        max(1024, (FEDERATION_MAX_BYTES - 2 * 1024 * 1024) * 3 // 4))
    SECURE_COOKIES = env.bool("BORDERLINK_SECURE_COOKIES", not (DEBUG or TESTING))
    BEHIND_TLS_PROXY = env.bool("BORDERLINK_BEHIND_TLS_PROXY", False)
    HSTS_SECONDS = env.int("BORDERLINK_HSTS_SECONDS", 365 * 24 * 3600 if SECURE_COOKIES or BEHIND_TLS_PROXY else 0)
    # Operations (issue 11): audit checkpoints, worker leases, health, key rotation.
    AUDIT_CHECKPOINT_FILE = env.path("BORDERLINK_AUDIT_CHECKPOINT_FILE", DATA_DIR / "audit_checkpoints.jsonl")
    AUDIT_CHECKPOINT_SECONDS = env.int("BORDERLINK_AUDIT_CHECKPOINT_SECONDS", 3600, minimum=1, maximum=3600)
    WORKER_LEASE_SECONDS = env.int("BORDERLINK_WORKER_LEASE_SECONDS", 60, minimum=3, maximum=3600)
    HEALTH_ALLOWED_IPS = env.networks("BORDERLINK_HEALTH_ALLOWED_IPS", ["127.0.0.1/32", "::1/128"])
    HEALTH_MAX_OUTBOX_AGE_SECONDS = env.int("BORDERLINK_HEALTH_MAX_OUTBOX_AGE_SECONDS", 3600, minimum=1)
    KEY_ROTATION_GRACE_DAYS = env.int("BORDERLINK_KEY_ROTATION_GRACE_DAYS", 14, minimum=1, maximum=90)
except ConfigError as exc:
    raise SystemExit(f"Borderlink configuration error: {exc}") from None

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: it compiled the page queries (a few ms of work each) for 100-260 ms (issue 19, bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

ATTACHMENT_DIR = DATA_DIR / "attachments"
# Envelopes and API bodies carry attachments as base64.
DATA_UPLOAD_MAX_MEMORY_SIZE = FEDERATION_MAX_BYTES + 1024 * 1024

INSTALLED_APPS = [
    "borderlink.core.apps.BorderlinkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from the node's own static files, not a CDN
    "borderlink.core",
    "borderlink.accounts",
    "borderlink.audit",
    "borderlink.exchange",
    "borderlink.persons",
    "borderlink.notices",
    "borderlink.assistance",
    "borderlink.custody",
    "borderlink.border",
    "borderlink.cases",
    "borderlink.victims",
    "borderlink.plans",
    "borderlink.review",
    "borderlink.federation",
    *TEST_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "borderlink.accounts.middleware.NoStoreMiddleware",
    "borderlink.accounts.middleware.VerifiedUserMiddleware",  # django-otp's, the device checked with the user
    "borderlink.accounts.middleware.UserLanguageMiddleware",
    "borderlink.core.middleware.RefuseNulMiddleware",
    "borderlink.accounts.middleware.IdleSessionMiddleware",
    "borderlink.core.views.LongURLMiddleware",
    "borderlink.core.page_query.BadQueryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "borderlink.urls"
WSGI_APPLICATION = "borderlink.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "borderlink" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "borderlink.core.context_processors.node",
                "borderlink.exchange.context_processors.counts",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
# ModelBackend loading the user's unit and checking the session's device in the same query (issue 19).
AUTHENTICATION_BACKENDS = ["borderlink.accounts.backends.UserBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # each role's start page (borderlink.core.views.start_url)
CSRF_FAILURE_VIEW = "borderlink.core.views.csrf_failure"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Several nodes may answer on one host (the demo): each keeps its own cookies.
SESSION_COOKIE_NAME = f"session_{NODE_NAME}"
CSRF_COOKIE_NAME = f"csrf_{NODE_NAME}"
LANGUAGE_COOKIE_NAME = "borderlink_language"
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# core.prepared: under tests and DEBUG, every bound statement is also built by the ORM and compared (issue 19)
PREPARED_CHECK = DEBUG or TESTING
SESSION_ENGINE = "borderlink.accounts.sessions"  # Django's database store, its read written once per process (issue 19)
SESSION_SAVE_EVERY_REQUEST = False  # IdleSessionMiddleware refreshes an active session once a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# HSTS: Django's SecurityMiddleware sends it on HTTPS requests only (TLS here or at the proxy).
SECURE_HSTS_SECONDS = HSTS_SECONDS
# Content-Security-Policy (django-csp): everything from the node itself, no inline script or style,
# no plugins, no framing, forms post only here. `data:` images: the empty favicon and Swagger UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
OTP_TOTP_ISSUER = "Borderlink"

LANG_INFO["lo"] = {"bidi": False, "code": "lo", "name": "Lao", "name_local": "ລາວ"}
LANG_INFO["km"]["name_local"] = "ខ្មែរ"
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("lo", _("Lao")),
    ("km", _("Khmer")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "borderlink" / "locale"]
FORMAT_MODULE_PATH = ["borderlink.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("BORDERLINK_STATIC_ROOT", DATA_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "borderlink" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "borderlink.core.static_storage.StaticStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"}},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
