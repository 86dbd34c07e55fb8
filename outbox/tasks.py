"""The outbox's Celery tasks: they take ids, and running one twice does no harm."""

from celery import shared_task

from outbox import services


@shared_task(name="outbox.deliver")
def deliver(message_id):
    services.deliver(message_id)


@shared_task(name="outbox.sweep")
def sweep():
    """Run by beat every minute (settings: CELERY_BEAT_SCHEDULE)."""
    return services.sweep()
