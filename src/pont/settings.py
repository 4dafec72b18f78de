"""Django settings for Pont.

Everything that differs between a laptop and production comes from the environment (pont/env.py, and
django-environ for the database and cache URLs); values that cannot be parsed are rejected rather than guessed.
"""

import secrets
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pont.env import env_bool, env_choice, env_header, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent          # src/pont
PROJECT_DIR = BASE_DIR.parent.parent                 # repository root
VAR_DIR = Path(env_str("PONT_VAR_DIR", str(PROJECT_DIR / "var")))

env = environ.Env()  # only for DATABASE_URL and CACHE_URL (URL parsing)


def _local_secret(name: str) -> str:
    """Return a random secret kept under var/ (created on first use) for a laptop without env vars."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or _local_secret("secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer finds Django's widget templates through the app directories
    "django_htmx",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_filters",
    "pont.core",
    "pont.people",
    "pont.audit",
    "pont.taxonomy",
    "pont.matching",
    "pont.employment",
    "pont.network",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "pont.care",
    "pont.dispatch",
    "pont.reporting",
    "pont.demo",
]

MIDDLEWARE = [
    "pont.core.middleware.TrustedProxyMiddleware",  # first: forwarded headers count only from our proxies
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "pont.core.middleware.RefuseNulMiddleware",  # before the session cookie is read; checks input in process_view
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pont.core.middleware.SecondFactorExpiryMiddleware",
    "pont.core.middleware.UserLanguageMiddleware",
    "pont.core.middleware.RequestIdMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pont.urls"
FORM_RENDERER = "pont.core.forms.PontFormRenderer"
# Day-first dates in English too: Pont's users are in Belgium and France (formats/en/formats.py).
FORMAT_MODULE_PATH = ["pont.formats"]
WSGI_APPLICATION = "pont.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "pont.core.context_processors.shell",
                "pont.network.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'pont.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default behind a multi-threaded gunicorn and a task worker (PITFALLS.md):
    # - WAL lets readers go on while one connection writes;
    # - "timeout" is SQLite's busy_timeout: a writer waits up to 20 s for the lock instead of failing;
    # - BEGIN IMMEDIATE takes the write lock when a transaction starts. A deferred transaction that read
    #   first and writes second cannot wait for the lock (its snapshot would be stale), so SQLite fails it at
    #   once with "database is locked" whatever the timeout; it also makes the atomic blocks that count and
    #   then write (a programme's last place) run one after the other, as select_for_update() does on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ""  # in-memory
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The client's address (login lockout, the public page's limit). Behind a reverse proxy, REMOTE_ADDR is the
# proxy's: the client's address is read from CLIENT_IP_HEADER, but only on requests that come from one of
# TRUSTED_PROXIES; anyone else's forwarded headers are dropped (pont/core/client_ip.py).
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
CLIENT_IP_HEADER = env_header("CLIENT_IP_HEADER") or "HTTP_X_FORWARDED_FOR"
# The proxy says the client used HTTPS with this header set to "https" (e.g. X-Forwarded-Proto), if configured.
_PROXY_SSL_HEADER = env_header("SECURE_PROXY_SSL_HEADER")
if _PROXY_SSL_HEADER:
    if not TRUSTED_PROXIES:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER needs TRUSTED_PROXIES: the proxies whose header counts.")
    SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https")

# django-axes: AXES_FAILURE_LIMIT failures lock a username for one address for 15 minutes; the handler also
# locks an address after AXES_ADDRESS_FAILURE_LIMIT failures over all usernames (one password sprayed over many
# accounts). Higher, so that a shelter or an office behind one address is not locked out by one person.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
AXES_HANDLER = "pont.core.lockout.AddressLimitHandler"
AXES_CLIENT_IP_CALLABLE = "pont.core.client_ip.client_ip"
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# A confirmed second factor (django-otp) lasts a working day, not as long as the 14-day session.
SECOND_FACTOR_MAX_AGE = env_int("SECOND_FACTOR_HOURS", 10, minimum=1, maximum=24 * 14) * 3600  # seconds

# HTTPS. SECURE_COOKIES=True says Pont is served over HTTPS: cookies are then sent over HTTPS only, plain
# HTTP is redirected and browsers are told (HSTS) to use HTTPS for a year; each can be set on its own.
# /health/ stays reachable over plain HTTP for a load balancer's probe.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): vendored files only; inline code needs the nonce, which django-csp
# writes into the header wherever the policy says NONCE (the string "'nonce'" would be an invalid source).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr", "nl")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOG_LEVEL = env_choice("LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
# One line per event, dated like gunicorn's log in TIME_ZONE. The handler's level also holds back the task
# worker's line per task (db_worker sets its loggers to INFO): LOG_LEVEL=INFO shows them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "[%(asctime)s] [%(levelname)s] %(name)s: %(message)s",
                            "datefmt": "%Y-%m-%d %H:%M:%S %z"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

PONT: dict[str, Any] = {
    # Rows per page of person lists (UI and API default).
    "PAGE_SIZE": 25,
    "API_MAX_PAGE_SIZE": 200,
    # When a placement counts as a stable job (employment/stable.py). Default: France Travail's "emploi
    # durable" — verify against the funder's definition. Contract types in "always" count whatever their
    # length, those in "min_months" from that many months; and the person is still employed at the
    # "employed_at_month" follow-up. Bad values stop the page with ImproperlyConfigured.
    "STABLE_JOB": {"always": ["open_ended", "self_employment"],
                   "min_months": {"fixed_term": 6, "temporary_agency": 6},
                   "employed_at_month": 6, "followup_months": [3, 6]},
    # Matching keeps one snapshot per process (matching/adapters.py). After a change, "shared" answers from
    # the previous snapshot while the task worker builds the new one and writes it as files every web worker
    # maps (one copy in memory for all); "background" has a thread of each process build it; "inline"
    # rebuilds within the next request. For a few seconds after a change, it is not seen yet.
    # A match scoring below this (0–1) is not shown as a match: weak fits are summed up as "why nobody fits".
    "MATCHING_FLOOR": 0.3,
    "MATCHING_REBUILD": env_choice("PONT_MATCHING_REBUILD", "shared", ("shared", "background", "inline")),
    # Indicator tables are kept this many seconds in the cache (per indicator, scope, period, breakdown and
    # language); the pages say when they were counted. 0 counts on every request.
    "REPORTING_CACHE_SECONDS": env_int("PONT_REPORTING_CACHE_SECONDS", 300, minimum=0, maximum=86400),
}

# E-mail through Django's mail backend: printed on the console unless EMAIL_BACKEND says otherwise (smtp with
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS in production).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pont <no-reply@pont.invalid>")

# --- Care (psychosocial support) ---------------------------------------------------------------------------
# Encrypted fields (django-fernet-encrypted-fields): each Fernet key is derived from SECRET_KEY and one of
# these salts; the FIRST encrypts, all decrypt. To rotate: put a new key first in FIELD_ENCRYPTION_KEYS
# (comma-separated, keep the old ones after it), run `manage.py rotate_keys`, then drop the old ones.
# Changing SECRET_KEY needs the old one in SECRET_KEY_FALLBACKS until `rotate_keys` has run.
SALT_KEY = env_list("FIELD_ENCRYPTION_KEYS") or [_local_secret("field_encryption_key")]
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
OTP_TOTP_ISSUER = "Pont"
# Background tasks (django-tasks + django-tasks-db); the worker is `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /health/ fails its "tasks" check when a task waits this long past its time (is the worker running?).
HEALTH_TASK_OVERDUE_MINUTES = 5
# The database cache is shared by every web worker (the public signal page's limits count there); `migrate`
# creates its table (care/migrations/0002). CACHE_URL can point elsewhere (e.g. locmemcache://, redis://).
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://pont_cache")}
PONT_CARE = {
    # Public signal page and POST /api/v1/signals, per hour: at most this many signals from one device (its
    # cookie; a caller without the cookie counts as one device per address), and at most this many from one
    # address over all its devices (a shelter's or a reception centre's shared connection).
    "PUBLIC_SIGNALS_PER_HOUR": env_int("PONT_PUBLIC_SIGNALS_PER_HOUR", 5, minimum=1),
    "PUBLIC_SIGNALS_PER_ADDRESS_PER_HOUR": env_int("PONT_PUBLIC_SIGNALS_PER_ADDRESS_PER_HOUR", 30, minimum=1),
    # The public form carries a signed time stamp: a submission sooner than this after the page was served
    # (no person fills the form that fast), or later than the maximum age, is refused and the form shown again.
    "PUBLIC_FORM_MIN_SECONDS": 3,
    "PUBLIC_FORM_MAX_AGE_SECONDS": 6 * 3600,
    # A signal without first contact raises an alert when this share of its response target is left.
    "ALERT_WHEN_LEFT": 0.25,
    # An alert nobody acknowledges within this many minutes goes to the next dispatcher on the rota.
    "ESCALATE_AFTER_MINUTES": env_int("PONT_ALERT_ESCALATE_MINUTES", 10, minimum=1, maximum=240),
}
# Where Pont is reached, for the links in e-mails and notifications (`make run`: its port).
PONT_SITE_URL = env_str("PONT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Web Push (the dispatchers' alerts in the browser): VAPID keys, base64url (`manage.py vapid_keys` makes a pair;
# `make run` keeps one in var/vapid.env). Without them, alerts go by e-mail only.
PONT_PUSH = {
    "VAPID_PUBLIC_KEY": env_str("PONT_VAPID_PUBLIC_KEY", ""),
    "VAPID_PRIVATE_KEY": env_str("PONT_VAPID_PRIVATE_KEY", ""),
    "VAPID_SUBJECT": env_str("PONT_VAPID_SUBJECT", "mailto:dispatch@pont.invalid"),
}
