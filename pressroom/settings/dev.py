"""Development: `make run` sets DEBUG=1 and serves on 127.0.0.1:8000."""

from .base import *  # noqa: F403

DEBUG = True

# The demo content and the synthetic archive (load_demo, seed_releases,
# demo_accounts): development tooling, never installed in production unless
# asked for (production.py).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

# Serve static files straight from the source folders, no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# runserver answers each request in a thread of its own, which would keep a
# connection of its own open: no persistent connections in development.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# What a task prints (the console e-mail backend's messages) goes to the
# worker's console as it is, not as log lines.
CELERY_WORKER_REDIRECT_STDOUTS = False
