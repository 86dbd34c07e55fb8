"""Development: `make run` sets DEBUG=1 and serves on 127.0.0.1:8000."""

from .base import *  # noqa: F403

DEBUG = True

# Serve static files straight from the source folders, no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
