"""The Celery app: `celery -A pressroom worker` runs background jobs,
`celery -A pressroom beat` (one process, however many workers) starts the
periodic ones (README, "Background jobs"). Its settings are the CELERY_*
names of the Django settings; tasks live in each app's `tasks.py`."""

import os

from celery import Celery, signals
from django.core.management import call_command
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.main")

# The embedded broker's messages are written whole before a worker sees
# them (pressroom/filesystem_broker.py): filesystem:// names ours, in the
# web processes, the workers and beat alike.
TRANSPORT_ALIASES["filesystem"] = "pressroom.filesystem_broker:Transport"
# A worker survives an acknowledgement on a channel whose Redis connection
# is gone (pressroom/redis_broker.py): redis:// and rediss:// name ours.
TRANSPORT_ALIASES["redis"] = TRANSPORT_ALIASES["rediss"] = "pressroom.redis_broker:Transport"

app = Celery("pressroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="pressroom.clear_expired_sessions")
def clear_expired_sessions():
    """Delete the sessions whose time is up: a signed-in session is a bearer
    token, and an expired one is only kept by the database until removed."""
    call_command("clearsessions")


# Each task's outcome, counted in the worker (serving/metrics.py): a scrape
# sees a worker's counts where the worker shares PROMETHEUS_MULTIPROC_DIR
# with the web processes (the same host); the outbox's failed messages, read
# from the database, are seen from any host.
@signals.task_success.connect
def count_success(sender=None, **kwargs):
    _count(sender, "succeeded")


@signals.task_failure.connect
def count_failure(sender=None, **kwargs):
    _count(sender, "failed")


@signals.task_retry.connect
def count_retry(sender=None, **kwargs):
    _count(sender, "retried")


def _count(task, outcome):
    from serving.metrics import TASKS

    TASKS.labels(getattr(task, "name", "(unknown)"), outcome).inc()
