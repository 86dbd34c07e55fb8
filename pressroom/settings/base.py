"""Settings shared by every environment. Secrets and addresses come from the
environment (see README, "Configuration"); the defaults suit development."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from serving.logs import report_errors_to_sentry

from .environment import env_bool, env_int, env_list, env_str
from .storages import media_origins, media_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Refused by the production settings: see production.py.
DEVELOPMENT_SECRET_KEY = "development-only-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A form posted from the public address is accepted even where the request
# reaches Django under another scheme or host (a TLS proxy).
CSRF_TRUSTED_ORIGINS = [SITE_URL]
# Warn, once per process, when requests arrive at another host or port
# than SITE_URL (serving/site_address.py).
PRESSROOM_CHECK_SITE_URL = True

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, whose forms it extends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    "django_prose_editor",
    "reversion",
    "serving",
    "releases",
    "operations",
    "outbox",
    "imports",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the documentation page's scripts, served as our own static files
    "api",
    "webhooks",
    "distribution",
    "alerts",
]

MIDDLEWARE = [
    # First, so that every line logged for a request carries its id
    # (serving/logs.py).
    "serving.logs.RequestIdMiddleware",
    "serving.metrics.MetricsMiddleware",
    # Health checks answered on any Host, before the host is checked
    # (serving/health.py).
    "serving.middleware.ProbeMiddleware",
    # One warning when requests arrive elsewhere than SITE_URL
    # (serving/site_address.py).
    "serving.site_address.SiteAddressMiddleware",
    # Keeps a public page once the response has all its headers and cookies;
    # ServePublicPageMiddleware, further down, serves it (serving/pagecache.py).
    "serving.pagecache.KeepPublicPageMiddleware",
    # Compresses what is the same for every reader, never a page with a
    # secret (BREACH); above ConditionalGet, which tags the uncompressed
    # content (serving/compression.py).
    "serving.compression.PublicGZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "serving.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Sees a 404 before the middleware above does: an address of the old
    # site answers 301 to its release (imports/middleware.py).
    "imports.middleware.OldAddressMiddleware",
    # A request to the API with a token it refuses is refused, even when its
    # page is kept (api/tokens.py).
    "api.tokens.CheckTokenMiddleware",
    # After every check of the request (host, HTTPS, language): a kept
    # public page, which then goes out through all the middleware above.
    "serving.pagecache.ServePublicPageMiddleware",
    # Where the view reads from: a public page from the read replica, if
    # there is one (serving/replicas.py); it does nothing without one.
    "serving.replicas.ReplicaReadsMiddleware",
    # The first to see a view's exception: with the database unreachable,
    # the static 503 page (serving/outage.py; handler500 answers the same
    # for errors raised in the middleware above).
    "serving.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pressroom.urls"
WSGI_APPLICATION = "pressroom.wsgi.application"

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
                "releases.context_processors.agency",
            ],
        },
    },
]


def database_from_url(url, *, conn_max_age=0, connect_timeout=5, statement_timeout=30, pooled=False):
    """The DATABASES entry for DATABASE_URL. A relative SQLite path is taken
    from the project folder, so that every command finds the same file
    wherever it is started. Connections are kept `conn_max_age` seconds and
    checked before reuse, so that a restarted database costs no request an
    error. On PostgreSQL, connecting gives up after `connect_timeout` seconds
    and a statement is cancelled after `statement_timeout` seconds (0: never),
    so that an unreachable or stuck database frees the app server's workers.

    `pooled` is for a URL that points at a pooler in transaction mode
    (PgBouncer): such a pooler refuses the startup parameter that carries the
    timeout, and hands one server connection to many clients, so a SET of
    one session would leak to others. The timeout is then a default of the
    database role (`manage.py set_statement_timeout`, checked by `migrate`),
    and server-side cursors, which outlive a transaction, are off."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3" and config["NAME"] != ":memory:":
        config["NAME"] = str(BASE_DIR / config["NAME"])
        # The site and the job queue's workers write to one file: a
        # transaction takes the write lock when it starts (a deferred one
        # that reads first and writes later fails at once, "database is
        # locked", when another wrote meanwhile), and a writer waits for the
        # lock up to 20 s rather than 5 on a busy machine.
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
        config["OPTIONS"].setdefault("timeout", 20)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("connect_timeout", connect_timeout)
        if pooled:
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
        else:
            config["OPTIONS"].setdefault("options", f"-c statement_timeout={statement_timeout * 1000}")
    return config


# README, "Configuration" and "PgBouncer".
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 30)
DATABASE_POOLED = env_bool("DATABASE_POOLED", default=False)
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "sqlite:///db.sqlite3"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5),
        statement_timeout=DATABASE_STATEMENT_TIMEOUT,
        pooled=DATABASE_POOLED,
    )
}
# A read replica for public reads (README, "Read replicas"; serving/replicas.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
PRESSROOM_REPLICA_MAX_LAG_SECONDS = env_int("PRESSROOM_REPLICA_MAX_LAG_SECONDS", 5)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_from_url(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5),
        statement_timeout=DATABASE_STATEMENT_TIMEOUT,
        pooled=DATABASE_POOLED,
    )
    DATABASE_ROUTERS = ["serving.replicas.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def caches_from_url(url, *, timeout_ms=250, retry_after=5):
    """CACHES for the Redis at `url`. A Redis that is down or hung costs a
    request at most `timeout_ms`, once every `retry_after` seconds, and never
    an error (serving/redis_cache.py; README, "Outages")."""
    timeout = timeout_ms / 1000
    return {
        "default": {
            "BACKEND": "serving.redis_cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout, "retry_after": retry_after},
        }
    }


REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = caches_from_url(
        REDIS_URL,
        timeout_ms=env_int("PRESSROOM_REDIS_TIMEOUT_MS", 250),
        retry_after=env_int("PRESSROOM_REDIS_RETRY_SECONDS", 5),
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages (README, "Caching"): how long a CDN or browser may keep one,
# and how long the server keeps one for every reader, emptied whenever
# published content changes. The server's page cache needs a cache shared by
# every worker, so it is off without REDIS_URL unless set.
PRESSROOM_PUBLIC_MAX_AGE = env_int("PRESSROOM_PUBLIC_MAX_AGE", 60)
PRESSROOM_PAGE_CACHE_SECONDS = env_int("PRESSROOM_PAGE_CACHE_SECONDS", 600 if REDIS_URL else 0)

# What one client may cost (README, "Performance"; serving/limits.py): at
# most PRESSROOM_RATE_LIMIT_REQUESTS searches and pages beyond the tenth of a
# list in PRESSROOM_RATE_LIMIT_SECONDS (0: no limit), each of their statements
# cancelled after PRESSROOM_LIST_STATEMENT_TIMEOUT_MS on PostgreSQL (0: only
# DATABASE_STATEMENT_TIMEOUT).
PRESSROOM_RATE_LIMIT_REQUESTS = env_int("PRESSROOM_RATE_LIMIT_REQUESTS", 10)
PRESSROOM_RATE_LIMIT_SECONDS = env_int("PRESSROOM_RATE_LIMIT_SECONDS", 60)
PRESSROOM_LIST_STATEMENT_TIMEOUT_MS = env_int("PRESSROOM_LIST_STATEMENT_TIMEOUT_MS", 2000)

# Sign-in (README, "Security"): django-axes counts failed sign-ins and locks a
# user name out from the address they came from after PRESSROOM_LOGIN_FAILURE_LIMIT
# failures in a row, for PRESSROOM_LOGIN_LOCKOUT_MINUTES; an administrator
# unlocks sooner (the admin's "Access attempts", or `manage.py axes_reset`).
# Its backend comes first and only refuses; ModelBackend signs people in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PRESSROOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PRESSROOM_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Every failed sign-in kept, with its address and browser ("Access failures").
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The same address as every other part of the site sees, behind the proxies
# PRESSROOM_TRUSTED_PROXIES counts.
AXES_CLIENT_IP_CALLABLE = "serving.client.client_address"
AXES_LOCKOUT_CALLABLE = "serving.lockout.lockout_response"
# How many reverse proxies in front of the app append to X-Forwarded-For; 0
# (the default) trusts no header and takes the connection's address.
PRESSROOM_TRUSTED_PROXIES = env_int("PRESSROOM_TRUSTED_PROXIES", 0)

# A session ends after PRESSROOM_SESSION_IDLE_MINUTES without a request (each
# request moves the expiry on), and at once on signing out.
SESSION_COOKIE_AGE = env_int("PRESSROOM_SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Headers for every response, in every environment, so that a page they
# break shows in development and in the tests. HSTS and the HTTPS redirect
# are production's (production.py).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The site's own scripts, styles, fonts and images, nothing inline: templates
# and static files carry none. The admin's rich-text editor has one inline
# import map, allowed by a nonce for each response (releases/admin/csp.py);
# the JSON-LD of release pages is data, which CSP does not govern.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [
            SELF,
            "data:",
            *media_origins(
                bucket=env_str("AWS_STORAGE_BUCKET_NAME"),
                endpoint_url=env_str("AWS_S3_ENDPOINT_URL"),
                region=env_str("AWS_S3_REGION_NAME"),
                custom_domain=env_str("AWS_S3_CUSTOM_DOMAIN"),
            ),
        ],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site's default language: its pages keep the unprefixed addresses.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [
    ("az", _("Azerbaijani")),
    ("en", _("English")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Events, delegations and departments keep their text in one column per
# language (releases/translation.py); a text missing in the language being
# served is taken from the first of these that has it.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "az", "ru")
FORMAT_MODULE_PATH = ["pressroom.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Baku")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Photos and documents (issue 5; README, "Photos and documents"). An upload
# larger than PRESSROOM_MAX_UPLOAD_BYTES, or an image of more pixels than
# PRESSROOM_MAX_IMAGE_PIXELS (decompression bombs among them), is refused.
PRESSROOM_MAX_UPLOAD_BYTES = env_int("PRESSROOM_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
PRESSROOM_MAX_IMAGE_PIXELS = env_int("PRESSROOM_MAX_IMAGE_PIXELS", 40_000_000)
# New photos in one save of a release (its gallery's rows and the "several
# photos at once" upload): each is checked and rendered in the request, at
# 0.05 s a megapixel on a quiet machine and 0.13 s on a busy one
# (bench/images.py), so that a save stays well within the app server's
# timeout (gunicorn's 30 s): 100 megapixels, 5 to 13 s.
PRESSROOM_MAX_PHOTOS_PER_SAVE = env_int("PRESSROOM_MAX_PHOTOS_PER_SAVE", 20)
PRESSROOM_MAX_PIXELS_PER_SAVE = env_int("PRESSROOM_MAX_PIXELS_PER_SAVE", 100_000_000)
# The widths of the renditions made of each image, in WebP and JPEG, never
# wider than the image itself. After a change, `manage.py media_cleanup`
# makes the missing renditions and removes those no longer listed.
PRESSROOM_IMAGE_WIDTHS = [int(width) for width in env_list("PRESSROOM_IMAGE_WIDTHS", "400,800,1600")]
# Accepted document types: "pdf"; "docx", "xlsx" and "pptx" may be added.
PRESSROOM_DOCUMENT_FORMATS = env_list("PRESSROOM_DOCUMENT_FORMATS", "pdf")
# An Office file (a ZIP archive) of more parts, or more bytes unpacked, is
# refused: a ZIP bomb of a few megabytes can unpack to gigabytes.
PRESSROOM_MAX_DOCUMENT_PARTS = env_int("PRESSROOM_MAX_DOCUMENT_PARTS", 2_000)
PRESSROOM_MAX_DOCUMENT_UNPACKED_BYTES = env_int("PRESSROOM_MAX_DOCUMENT_UNPACKED_BYTES", 256 * 1024 * 1024)
# Documents are kept out of MEDIA_ROOT, which the web server serves to anyone:
# only the download view hands them out, for releases the public may read.
PRESSROOM_DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT", str(BASE_DIR / "documents")))
# An S3-compatible object store for images and documents, for several app
# servers: off unless AWS_STORAGE_BUCKET_NAME is set (see media_storages).
STORAGES = media_storages(
    bucket=env_str("AWS_STORAGE_BUCKET_NAME"),
    endpoint_url=env_str("AWS_S3_ENDPOINT_URL"),
    region=env_str("AWS_S3_REGION_NAME"),
    custom_domain=env_str("AWS_S3_CUSTOM_DOMAIN"),
    prefix=env_str("AWS_LOCATION_PREFIX"),
)
# media_cleanup leaves alone the files younger than this, whatever the rows
# say (README, "Serving photos and documents").
PRESSROOM_MEDIA_CLEANUP_MIN_AGE_HOURS = env_int("PRESSROOM_MEDIA_CLEANUP_MIN_AGE_HOURS", 24)

# "WCO" and "wco" are one tag.
TAGGIT_CASE_INSENSITIVE = True

# The press office's name and slogan, shown in the admin and the public header.
# The defaults are in the catalogues and shown in the language being served
# (releases/context_processors.py); a text set in the environment is shown as
# it is, in every language.
PRESSROOM_AGENCY_NAME = env_str("PRESSROOM_AGENCY_NAME", gettext_noop("State Customs Committee"))
PRESSROOM_AGENCY_SLOGAN = env_str(
    "PRESSROOM_AGENCY_SLOGAN",
    gettext_noop("Customs service is one of the main attributes of the independence of any state."),
)

# The images of the office on pages shared and in search results (README,
# "The public website"): a static file's path, or an absolute address (a
# file on the office's own site). PRESSROOM_SHARE_IMAGE goes with a page that
# has no photo of its own (1200 x 630 suits every network), PRESSROOM_LOGO is
# the publisher's logo of the JSON-LD (square). Both default to the neutral
# emblem the project draws (docs/emblem.py).
PRESSROOM_SHARE_IMAGE = env_str("PRESSROOM_SHARE_IMAGE", "pressroom/share.png")
PRESSROOM_LOGO = env_str("PRESSROOM_LOGO", "pressroom/logo.png")
# Open Graph's og:locale of each language.
PRESSROOM_OG_LOCALES = {"az": "az_AZ", "en": "en_US", "ru": "ru_RU"}

# The four-eyes rule: when on, an editor cannot publish a release they wrote.
PRESSROOM_FOUR_EYES = env_bool("PRESSROOM_FOUR_EYES", default=False)
# A link of a release sent under embargo opened from this many addresses or
# more is flagged on the release's tracing page: it was probably passed on.
PRESSROOM_DISTRIBUTION_MANY_ADDRESSES = env_int("PRESSROOM_DISTRIBUTION_MANY_ADDRESSES", 3)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "press@localhost")
# With EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend:
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds an SMTP connection may wait on the server: a hung server must not
# hold a worker past the outbox's lease (below).
EMAIL_TIMEOUT = 30

# Background jobs (README, "Background jobs"): Celery, with its broker at
# CELERY_BROKER_URL (redis://... or amqp://... in production). Unset, or
# filesystem:///some/folder, the embedded broker: kombu's filesystem
# transport, messages as files in var/queue/ (or that folder), nothing to
# install. A task is acknowledged once done, so a worker that dies gives its
# task back to the broker; the outbox's sweeper catches what a broker loses.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    QUEUE_DIR = Path(CELERY_BROKER_URL.removeprefix("filesystem://") or BASE_DIR / "var" / "queue")
    for folder in ("messages", "control"):
        (QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(QUEUE_DIR / "messages"),
        "data_folder_out": str(QUEUE_DIR / "messages"),
        "control_folder": str(QUEUE_DIR / "control"),
        # A worker looks for new files ten times a second (kombu: once).
        "polling_interval": 0.1,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

# The outbox (outbox/): a message still "sending" this many seconds after a
# worker took it is taken to be lost with its worker and sent again; failed
# sends are tried again after PRESSROOM_OUTBOX_RETRY_SECONDS, doubling each
# time, PRESSROOM_OUTBOX_MAX_ATTEMPTS times in all.
PRESSROOM_OUTBOX_LEASE_SECONDS = env_int("PRESSROOM_OUTBOX_LEASE_SECONDS", 300)
PRESSROOM_OUTBOX_RETRY_SECONDS = env_int("PRESSROOM_OUTBOX_RETRY_SECONDS", 60)
PRESSROOM_OUTBOX_MAX_ATTEMPTS = env_int("PRESSROOM_OUTBOX_MAX_ATTEMPTS", 6)
# Bulk messages (alerts, digests) a second, site-wide: a fan-out is spread
# over the time this gives, so that it leaves the site its share of the CPU
# and keeps to an SMTP relay's limit. 0: as fast as the workers go.
PRESSROOM_OUTBOX_RATE = env_int("PRESSROOM_OUTBOX_RATE", 0)

# Beat's periodic work. The outbox is swept five times a lease (every
# minute by default), so that nothing lost waits much past its lease.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "outbox.sweep", "schedule": PRESSROOM_OUTBOX_LEASE_SECONDS / 5},
    "announce-due-releases": {"task": "releases.announce_due_releases", "schedule": 30.0},
    "webhooks-sweep": {"task": "webhooks.sweep", "schedule": 60.0},
    "clear-expired-sessions": {"task": "pressroom.clear_expired_sessions", "schedule": 24 * 60 * 60.0},
    # Sends whose mails were never written (their task lost with a broker).
    "distribution-pending-mails": {"task": "distribution.write_pending_mails", "schedule": 60.0},
}

# The public API (api/, README "Using the API"): JSON only, no sign-in (no
# session, so no cookie and no CSRF), errors in one shape (api/errors.py).
# A client may make PRESSROOM_API_RATE_LIMIT_REQUESTS requests in
# PRESSROOM_API_RATE_LIMIT_SECONDS (0: no limit); pages the page cache keeps
# are served before the count and cost nothing.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pressroom API",
    "DESCRIPTION": 'The public press releases, read-only. See the README, "Using the API".',
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReleaseStatusEnum": ["published", "withdrawn", "deleted"],
        "RemovedStatusEnum": ["withdrawn", "deleted"],
    },
}
PRESSROOM_API_RATE_LIMIT_REQUESTS = env_int("PRESSROOM_API_RATE_LIMIT_REQUESTS", 120)
PRESSROOM_API_RATE_LIMIT_SECONDS = env_int("PRESSROOM_API_RATE_LIMIT_SECONDS", 60)
# A trusted tool's token (api/tokens.py) may make
# PRESSROOM_API_TOKEN_RATE_LIMIT_REQUESTS in the same window, counted per
# token whatever its address (0: no limit).
PRESSROOM_API_TOKEN_RATE_LIMIT_REQUESTS = env_int("PRESSROOM_API_TOKEN_RATE_LIMIT_REQUESTS", 1200)
# Webhooks (webhooks/, README "Webhooks"): a request waits
# PRESSROOM_WEBHOOK_TIMEOUT_SECONDS for an answer; a failed delivery is tried
# again after PRESSROOM_WEBHOOK_RETRY_SECONDS, doubling each time, while the
# event is less than PRESSROOM_WEBHOOK_RETRY_FOR_SECONDS old; an endpoint is
# disabled after PRESSROOM_WEBHOOK_DISABLE_AFTER failed attempts in a row; the
# sweeper sends again what a worker held for PRESSROOM_WEBHOOK_LEASE_SECONDS.
PRESSROOM_WEBHOOK_TIMEOUT_SECONDS = env_int("PRESSROOM_WEBHOOK_TIMEOUT_SECONDS", 10)
PRESSROOM_WEBHOOK_RETRY_SECONDS = env_int("PRESSROOM_WEBHOOK_RETRY_SECONDS", 60)
PRESSROOM_WEBHOOK_RETRY_FOR_SECONDS = env_int("PRESSROOM_WEBHOOK_RETRY_FOR_SECONDS", 24 * 60 * 60)
PRESSROOM_WEBHOOK_DISABLE_AFTER = env_int("PRESSROOM_WEBHOOK_DISABLE_AFTER", 15)
PRESSROOM_WEBHOOK_LEASE_SECONDS = env_int("PRESSROOM_WEBHOOK_LEASE_SECONDS", 300)

# Request limits: a request body (files aside) of at most
# DATA_UPLOAD_MAX_MEMORY_SIZE bytes, with at most so many fields and files.
# Files themselves are limited by PRESSROOM_MAX_UPLOAD_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2000)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 100)

# The log (README, "Logs and errors"): every line a JSON object on stderr,
# with the request's id and path, and the traceback of every server error.
# ADMINS ("ops@example.org,dev@example.org") also get each server error by
# mail, as Django sends it, from SERVER_EMAIL.
LOG_LEVEL = env_str("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json_lines": {"()": "serving.logs.JsonLinesFormatter"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json_lines"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    # Django's own handlers write nothing with DEBUG off: its lines go to the
    # root's.
    "loggers": {"django": {"handlers": ["mail_admins"], "level": LOG_LEVEL, "propagate": True}},
}
ADMINS = [(address, address) for address in env_list("ADMINS", "")]
# Server errors reported to Sentry as well, when a DSN is given.
if env_str("SENTRY_DSN"):
    report_errors_to_sentry(env_str("SENTRY_DSN"))
# Addresses or networks ("10.0.0.0/8") that may read /metrics (README,
# "Logs, errors and metrics"); none by default.
PRESSROOM_METRICS_ALLOWED_IPS = env_list("PRESSROOM_METRICS_ALLOWED_IPS", "")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# E-mail alerts (alerts/; README, "E-mail alerts"). A confirmation link
# works for PRESSROOM_ALERTS_CONFIRMATION_DAYS; an unconfirmed subscription
# is deleted after that. Subscribing is allowed PRESSROOM_ALERTS_PER_ADDRESS
# times an hour for one address and PRESSROOM_ALERTS_PER_CLIENT times for
# one client (0: no limit). The daily digest of the releases of the last 24
# hours goes at PRESSROOM_ALERTS_DIGEST_HOUR, TIME_ZONE's time. An address
# is disabled after PRESSROOM_ALERTS_MAX_HARD_BOUNCES hard bounces in all.
PRESSROOM_ALERTS_CONFIRMATION_MAX_AGE = timedelta(days=env_int("PRESSROOM_ALERTS_CONFIRMATION_DAYS", 7))
PRESSROOM_ALERTS_PER_ADDRESS = env_int("PRESSROOM_ALERTS_PER_ADDRESS", 3)
PRESSROOM_ALERTS_PER_CLIENT = env_int("PRESSROOM_ALERTS_PER_CLIENT", 20)
PRESSROOM_ALERTS_DIGEST_HOUR = env_int("PRESSROOM_ALERTS_DIGEST_HOUR", 8)
PRESSROOM_ALERTS_MAX_HARD_BOUNCES = env_int("PRESSROOM_ALERTS_MAX_HARD_BOUNCES", 3)
PRESSROOM_ALERTS_BATCH = env_int("PRESSROOM_ALERTS_BATCH", 500)
# A Maildir folder where bounces arrive; beat reads it every five minutes
# (outbox/bounces.py). Unset: `manage.py read_bounces FOLDER` only.
PRESSROOM_BOUNCE_MAILDIR = env_str("PRESSROOM_BOUNCE_MAILDIR", "")
# Archive imports in the background (imports/tasks.py): a run that shows no
# progress for this many seconds is taken to be lost with its worker, and
# started again (where it was: what it imported already is unchanged); its
# report goes to this folder unless the command names another.
PRESSROOM_IMPORT_LEASE_SECONDS = env_int("PRESSROOM_IMPORT_LEASE_SECONDS", 600)
PRESSROOM_IMPORT_REPORTS_ROOT = Path(env_str("IMPORT_REPORTS_ROOT", str(BASE_DIR / "var" / "import-reports")))
# The archive files uploaded in the admin, a folder each, read by the worker
# that carries the run out: on several machines, a folder they all share.
PRESSROOM_IMPORT_UPLOADS_ROOT = Path(env_str("IMPORT_UPLOADS_ROOT", str(BASE_DIR / "var" / "import-uploads")))
CELERY_BEAT_SCHEDULE |= {
    "imports-resume-stalled": {"task": "imports.resume_stalled", "schedule": 60.0},
    "alerts-digests": {"task": "alerts.send_digests", "schedule": 15 * 60.0},
    "alerts-cleanup": {"task": "alerts.delete_expired", "schedule": 60 * 60.0},
    # With the outbox's sweep: a fan-out lost with its task waits a lease.
    "alerts-sweep": {"task": "alerts.sweep", "schedule": PRESSROOM_OUTBOX_LEASE_SECONDS / 5},
    "outbox-read-bounces": {"task": "outbox.read_bounces", "schedule": 5 * 60.0},
}
