"""The releases app's Celery tasks."""

from celery import shared_task

from releases import announcements


@shared_task(name="releases.announce_due_releases")
def announce_due_releases():
    """Run by beat every 30 seconds (settings: CELERY_BEAT_SCHEDULE)."""
    return [release.pk for release in announcements.announce_due_releases()]
