"""Settings shared by every environment. Secrets and addresses come from the
environment (see README, "Configuration"); the defaults suit development."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .environment import env_bool, env_int, env_list, env_str
from .storages import media_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Refused by the production settings: see production.py.
DEVELOPMENT_SECRET_KEY = "development-only-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, whose forms it extends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "reversion",
    "releases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pressroom.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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


def database_from_url(url):
    """A relative SQLite path in DATABASE_URL is taken from the project folder,
    so that every command finds the same file wherever it is started."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.sqlite3" and config["NAME"] != ":memory:":
        config["NAME"] = str(BASE_DIR / config["NAME"])
    return config


DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
# The widths of the renditions made of each image, in WebP and JPEG, never
# wider than the image itself. After a change, `manage.py media_cleanup`
# makes the missing renditions and removes those no longer listed.
PRESSROOM_IMAGE_WIDTHS = [int(width) for width in env_list("PRESSROOM_IMAGE_WIDTHS", "400,800,1600")]
# Accepted document types: "pdf"; "docx", "xlsx" and "pptx" may be added.
PRESSROOM_DOCUMENT_FORMATS = env_list("PRESSROOM_DOCUMENT_FORMATS", "pdf")
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
)

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

# The four-eyes rule: when on, an editor cannot publish a release they wrote.
PRESSROOM_FOUR_EYES = env_bool("PRESSROOM_FOUR_EYES", default=False)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "press@localhost")
# With EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend:
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2000)
