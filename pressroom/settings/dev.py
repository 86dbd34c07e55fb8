"""Development: `make run` sets DEBUG=1 and serves on 127.0.0.1:8000, or
on the port of `make run PORT=8123`."""

from .base import *  # noqa: F403
from .environment import env_str

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

# `make run PORT=8123` serves there (pressroom/devserver.py sets
# PRESSROOM_DEV_ADDRESS for itself and the servers it starts): unless
# SITE_URL is set, the links the site makes (e-mails, feeds, share links,
# canonical addresses) follow it.
if not env_str("SITE_URL", "") and env_str("PRESSROOM_DEV_ADDRESS", ""):
    SITE_URL = f"http://{env_str('PRESSROOM_DEV_ADDRESS', '')}"
    CSRF_TRUSTED_ORIGINS = [SITE_URL]
