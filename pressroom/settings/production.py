"""Production: DEBUG off, unsafe defaults refused at start-up, HTTPS
enforced. `manage.py check --deploy --fail-level WARNING` passes with a real
SECRET_KEY, ALLOWED_HOSTS and an https SITE_URL (README, "Security")."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRET_KEY, INSTALLED_APPS, SECRET_KEY, STORAGES
from .environment import env_bool, env_int, env_str

DEBUG = False

if SECRET_KEY == DEVELOPMENT_SECRET_KEY or not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: with DEBUG off, set SECRET_KEY to a long random value (or DEBUG=1 for development)."
    )

# The demo app (load_demo, seed_releases, demo_accounts) would put made-up
# releases on the public site and an administrator account with a printed
# password: only where asked for, as the benchmark and the soak test do to seed
# their databases on these settings.
if env_bool("PRESSROOM_DEMO_APP", default=False):
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

# HTTPS. SECURE_SSL_REDIRECT=0 serves these settings over plain HTTP (behind a
# TLS proxy that redirects by itself, or for benchmarks on loopback): the
# cookies then lose their Secure flag, or they would never come back.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT

# Behind a TLS proxy, Django sees plain HTTP: it takes a request as HTTPS
# only when the header named here (SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto)
# says "https". Only name a header the proxy always sets itself, overwriting
# the client's: anyone can send it.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")

# HSTS: browsers that have seen the site over HTTPS use nothing else for
# SECURE_HSTS_SECONDS (a year). includeSubDomains covers the subdomains of the
# site's own host; preload is a commitment for the whole registrable domain,
# made by submitting it to the browsers' list, so it is for the operator to
# choose (SECURE_HSTS_PRELOAD=1) and the deploy check's reminder is silenced
# while it is off.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Static files, collected by `manage.py collectstatic`, are served by
# WhiteNoise with hashed names and compressed copies. Images and documents
# are kept as base.py says (on disk, or in an object store).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
