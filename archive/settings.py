"""Settings for the Statements Archive, read from the environment with working defaults.

DATABASE_URL      default: SQLite file under DATA_DIR
SEARCH_URL        default: whoosh://DATA_DIR/whoosh_index ; elasticsearch://host:9200/index at scale
DJANGO_SECRET_KEY required when DJANGO_DEBUG is off
DJANGO_DEBUG      "1"/"true" for development (default on for the embedded setup)
ALLOWED_HOSTS     comma-separated
ARCHIVE_DATA_DIR  where the database, the search index and other runtime files live
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (set DJANGO_DEBUG=1 for a development server)."
        )
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # archive before haystack: its rebuild_index (batched, both cores) replaces haystack's.
    "archive",
    "haystack",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files for /api/docs/, served from static/ like every other asset (no CDN).
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'archive.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the site read while an importer or the index worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-archive.sqlite3")}


def haystack_connections(search_url):
    """Map SEARCH_URL onto Haystack's connection settings."""
    parts = urlsplit(search_url)
    if parts.scheme == "whoosh":
        path = (parts.netloc + parts.path) or str(DATA_DIR / "whoosh_index")
        return {
            "default": {
                "ENGINE": "archive.search.whoosh.backend.ArchiveWhooshEngine",
                "PATH": path,
            }
        }
    if parts.scheme in {"elasticsearch", "elasticsearch7", "http", "https"}:
        index_name = parts.path.strip("/") or "statements_archive"
        scheme = "https" if parts.scheme == "https" else "http"
        return {
            "default": {
                "ENGINE": "archive.search.elasticsearch.backend.ArchiveElasticsearchEngine",
                "URL": f"{scheme}://{parts.netloc}/",
                "INDEX_NAME": index_name,
            }
        }
    raise ImproperlyConfigured(
        f"SEARCH_URL {search_url!r}: use whoosh:///path/to/index or elasticsearch://host:9200/index"
    )


SEARCH_URL = os.environ.get("SEARCH_URL", f"whoosh://{DATA_DIR / 'whoosh_index'}")
HAYSTACK_CONNECTIONS = haystack_connections(SEARCH_URL)
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20

# The read-only API: JSON only, anonymous, rate limited per client address by the site's own limiter
# (archive/ratelimit.py: RATE_LIMITS["api"], counters in Redis or the database, shared by all workers).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["archive.ratelimit.ApiRateThrottle"],
    # The client's address is archive.clientip's (TRUSTED_PROXIES), never DRF's own X-Forwarded-For reading.
    "NUM_PROXIES": 0,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Statements Archive API",
    "DESCRIPTION": "Read-only access to published statements, quotations, speakers, countries, bodies, events "
    "and topics. Filters are the site's: repeat a parameter for any of several values.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "admin:login"
# Where a login lands when its next= is missing or points off the site (Django's default is a 404).
LOGIN_REDIRECT_URL = "admin:index"

# Security: sensible everywhere, strict in production.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The reverse proxies in front of the site (addresses or CIDR networks, comma-separated; default none).
# Only requests from them may name the client (X-Forwarded-For) and the scheme (X-Forwarded-Proto):
# archive/clientip.py removes those headers from every other request, first thing.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Preloading is a promise to browsers that is slow to undo: only when the site asks for it.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:  # check --deploy would ask for preload: off is this site's choice
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # Off only for loopback load tests without TLS (DJANGO_SECURE_COOKIES=0).
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # trafilatura logs every page it cannot call an article at ERROR; for uploads that is expected input
    # (sanitize.html_to_text falls back, and the editor sees a message), not a fault of the archive.
    "loggers": {"trafilatura": {"level": "CRITICAL"}},
}

# --- Production serving and hardening -------------------------------------------------------
# Static files straight from the app server: compressed, with content hashes in their names.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "archive.middleware.SecurityHeadersMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("archive.middleware.SecurityHeadersMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

MIDDLEWARE.append("archive.middleware.ServiceUnavailableMiddleware")
# Before everything else (SecurityMiddleware reads the scheme): who the client is, proxy-aware.
MIDDLEWARE.insert(0, "archive.clientip.ClientAddressMiddleware")
# A connection that broke while PostgreSQL restarted is replaced at the next request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Login brute-force protection: 5 failures for one username from one client address lock out that
# pair for an hour - never the username alone, so nobody elsewhere can lock an editor out. The
# address is archive.clientip's (TRUSTED_PROXIES); lockouts are kept in the database.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "archive.clientip.client_address"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Content-Security-Policy without 'unsafe-inline': every script and style comes from static/.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Nothing the site relies on lives in Django's cache: rate-limit counters have their own store and
# login lockouts are in the database. The default cache is Redis when REDIS_URL is set, otherwise
# each process's local memory (so `make run` needs no other service).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Search engine answers (archive/search/results.py), shared by every worker: Redis when REDIS_URL is
# set, else files under DATA_DIR. Keys hold the index's stamp, so eviction only costs a search.
CACHES["search"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "search"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "search-cache"),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
)
# Rate limits per client address (archive/ratelimit.py): requests per minute for search and exports,
# "N/period" for the API; 0 turns one off. Counters: Redis when REDIS_URL is set, otherwise the
# database table archive_ratelimitcounter; both atomic, neither evicts a counter before its window ends.
RATE_LIMITS = {
    "search": int(os.environ.get("RATE_LIMIT_SEARCH", "120")),
    "export": int(os.environ.get("RATE_LIMIT_EXPORT", "20")),
    "api": os.environ.get("API_RATE_LIMIT", "120/minute"),
}
RATE_LIMIT_REDIS_URL = REDIS_URL
RATE_LIMIT_KEY_PREFIX = os.environ.get("RATE_LIMIT_KEY_PREFIX", "archive")

# Editors' sessions end after SESSION_IDLE_HOURS without a request (default 8): every request
# renews the timer (Django's default was two weeks from the login, whatever happened in between).
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_IDLE_HOURS", "8")) * 3600)
SESSION_SAVE_EVERY_REQUEST = True


# A 5 MB paste into "Add from a news report" must reach the form, which refuses it with a clear
# message, instead of being cut off by Django's 2.5 MB default with a bare "Bad Request".
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024


# --- Email and alerts ----------------------------------------------------------------------------
def email_settings(email_url, debug):
    """Django's email settings from EMAIL_URL (or EMAIL_HOST and friends, or nothing).

    smtp://user:password@host:587 (add ?tls=1 for STARTTLS; or smtp+tls://), smtps://host:465 (SSL),
    console:// (print mails; the default in development), locmem://, dummy://.
    """
    from urllib.parse import parse_qs, unquote

    if not email_url:
        if os.environ.get("EMAIL_HOST"):
            return {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": os.environ["EMAIL_HOST"],
                "EMAIL_PORT": int(os.environ.get("EMAIL_PORT", "25")),
                "EMAIL_HOST_USER": os.environ.get("EMAIL_HOST_USER", ""),
                "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS"),
                "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL"),
            }
        email_url = "console://" if debug else "smtp://localhost:25"
    parts = urlsplit(email_url)
    backends = {"console": "console", "locmem": "locmem", "dummy": "dummy"}
    if parts.scheme in backends:
        return {"EMAIL_BACKEND": f"django.core.mail.backends.{backends[parts.scheme]}.EmailBackend"}
    if parts.scheme not in {"smtp", "smtp+tls", "smtps", "submission"}:
        raise ImproperlyConfigured(f"EMAIL_URL {email_url!r}: use smtp://, smtp+tls://, smtps:// or console://")
    query = parse_qs(parts.query)
    ssl = parts.scheme == "smtps" or query.get("ssl", ["0"])[0] in {"1", "true"}
    tls = parts.scheme in {"smtp+tls", "submission"} or query.get("tls", ["0"])[0] in {"1", "true"}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if ssl else 587 if tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": tls and not ssl,
        "EMAIL_USE_SSL": ssl,
    }


globals().update(email_settings(os.environ.get("EMAIL_URL", ""), DEBUG))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Statements Archive <alerts@localhost>")
# Links in emails are absolute: the site's public address, without a trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

ALERTS = {
    "MAX_PER_ADDRESS": int(os.environ.get("ALERTS_MAX_PER_ADDRESS", "20")),  # K
    "DIGEST_ITEMS": int(os.environ.get("ALERTS_DIGEST_ITEMS", "20")),  # N statements listed per alert
    "CONFIRM_MAX_AGE": int(os.environ.get("ALERTS_CONFIRM_MAX_AGE", str(3 * 24 * 3600))),  # seconds
    "MANAGE_MAX_AGE": int(os.environ.get("ALERTS_MANAGE_MAX_AGE", str(90 * 24 * 3600))),
}
# Subscription requests: per client address per minute, and per email address per hour.
RATE_LIMITS["alerts"] = int(os.environ.get("RATE_LIMIT_ALERTS", "10"))
RATE_LIMITS["alerts_address"] = int(os.environ.get("RATE_LIMIT_ALERTS_ADDRESS", "5"))
