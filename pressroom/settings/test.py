"""The test suite: a fast password hasher and a throwaway secret."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {"BACKEND": "releases.documents.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the source folders, no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The suite searches hundreds of times from one address within a minute:
# no rate limit, but where tests/test_limits.py sets one.
PRESSROOM_RATE_LIMIT_REQUESTS = 0

# Tasks run at once, in the test's own process, when enqueued (after the
# transaction commits); tests/test_queue.py runs real workers and brokers.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# The test client's host is "testserver": tests/test_site_address.py turns
# the check on where it tests it.
PRESSROOM_CHECK_SITE_URL = False
# The API's own rate limit likewise: off, but where tests/test_api.py sets one.
PRESSROOM_API_RATE_LIMIT_REQUESTS = 0
PRESSROOM_API_TOKEN_RATE_LIMIT_REQUESTS = 0
