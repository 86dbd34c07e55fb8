"""The webhooks' Celery tasks: they take ids, and running one twice does no harm."""

from celery import shared_task

from webhooks import services


@shared_task(name="webhooks.deliver")
def deliver(delivery_id):
    services.deliver(delivery_id)


@shared_task(name="webhooks.sweep")
def sweep():
    """Run by beat every minute (settings: CELERY_BEAT_SCHEDULE)."""
    return services.sweep()
