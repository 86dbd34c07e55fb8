"""The outbox's Celery tasks: they take ids, and running one twice does no harm."""

from celery import shared_task
from django.conf import settings

from outbox import bounces, services


@shared_task(name="outbox.deliver")
def deliver(message_id):
    services.deliver(message_id)


@shared_task(name="outbox.deliver_many")
def deliver_many(message_ids):
    services.deliver_many(message_ids)


@shared_task(name="outbox.sweep")
def sweep():
    """Run by beat every minute (settings: CELERY_BEAT_SCHEDULE)."""
    return services.sweep()


@shared_task(name="outbox.read_bounces")
def read_bounces():
    """Run by beat every five minutes when PRESSROOM_BOUNCE_MAILDIR is set."""
    if settings.PRESSROOM_BOUNCE_MAILDIR:
        return bounces.read_maildir(settings.PRESSROOM_BOUNCE_MAILDIR)
    return None
