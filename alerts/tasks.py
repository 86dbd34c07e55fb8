"""The alerts' Celery tasks: they take ids, and running one twice sends
nothing twice (alerts/sending.py)."""

from celery import shared_task

from alerts import sending, services


@shared_task(name="alerts.fan_out")
def fan_out(release_id, change_note_id=None):
    return sending.fan_out(release_id, change_note_id)


@shared_task(name="alerts.send_batch")
def send_batch(sending_id, first, last):
    return sending.send_batch(sending_id, first, last)


@shared_task(name="alerts.send_digests")
def send_digests():
    """Run by beat every 15 minutes (settings: CELERY_BEAT_SCHEDULE)."""
    return sending.send_digests()


@shared_task(name="alerts.send_digest_batch")
def send_digest_batch(day, first, last):
    return sending.send_digest_batch(day, first, last)


@shared_task(name="alerts.delete_expired")
def delete_expired():
    """Run by beat every hour: unconfirmed subscriptions past their link's time."""
    return services.delete_expired()


@shared_task(name="alerts.sweep")
def sweep():
    """Run by beat every five minutes: fan-outs a lost task left undone."""
    return sending.sweep()
