"""The Celery app: `celery -A pressroom worker` runs background jobs,
`celery -A pressroom beat` (one process, however many workers) starts the
periodic ones (README, "Background jobs"). Its settings are the CELERY_*
names of the Django settings; tasks live in each app's `tasks.py`."""

import os

from celery import Celery
from django.core.management import call_command

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.main")

app = Celery("pressroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="pressroom.clear_expired_sessions")
def clear_expired_sessions():
    """Delete the sessions whose time is up: a signed-in session is a bearer
    token, and an expired one is only kept by the database until removed."""
    call_command("clearsessions")
