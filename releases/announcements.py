"""Scheduled releases announced when their time comes, not when a visitor
first sees them: beat runs `announce_due_releases` every 30 seconds
(releases/tasks.py), and each release is announced once, however many beats
or workers run it, and whenever they run late.

A release published at once is announced by the workflow as it is
published; this is for the others, whose publication time was still to
come when an editor published them."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from releases import events
from releases.models import AnnouncementMarker, Release, WorkflowEvent


def announce_release(release):
    """Tell the rest of the product that `release`, scheduled, is public now:
    `release_published` with no actor and no workflow step, sent once the
    marker's transaction commits."""
    events.published(
        release_id=release.pk,
        actor_id=None,
        workflow_event_id=None,
        published_at=release.published_at,
        restored=False,
    )


def announce_due_releases():
    """Announce each scheduled release whose publication time has come since
    the last run; returns them. The marker row is locked for the run on
    PostgreSQL (on SQLite, of two runs at once the second to write fails),
    so two runs at once announce each release once between them."""
    with transaction.atomic():
        now = timezone.now()
        marker, _created = AnnouncementMarker.objects.select_for_update().get_or_create(
            pk=1, defaults={"announced_up_to": now}
        )
        due = list(
            Release.objects.published()
            .filter(published_at__gt=marker.announced_up_to, published_at__lte=now)
            # Published at once (the workflow's "published" step at or after
            # its publication time): announced already, as it was published.
            .exclude(
                Exists(
                    WorkflowEvent.objects.filter(
                        release=OuterRef("pk"),
                        action=WorkflowEvent.Action.PUBLISHED,
                        created_at__gte=OuterRef("published_at"),
                    )
                )
            )
            .order_by("published_at", "pk")
        )
        marker.announced_up_to = now
        marker.save(update_fields=["announced_up_to"])
        for release in due:
            announce_release(release)
    return due
