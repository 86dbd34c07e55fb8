"""The webhooks' subscriptions to releases/events.py."""

from releases import events
from webhooks import services
from webhooks.models import Topic


def on_published(sender, *, release_id, workflow_event_id, published_at, restored, **kwargs):
    # A scheduled release going public at its time has no workflow step.
    occurrence = workflow_event_id or published_at.isoformat()
    services.announce(
        Topic.PUBLISHED, release_id=release_id, key=f"release:{release_id}:published:{occurrence}", restored=restored
    )


def on_corrected(sender, *, release_id, change_note_id, note, **kwargs):
    services.announce(Topic.CORRECTED, release_id=release_id, key=f"change-note:{change_note_id}", note=note)


def on_withdrawn(sender, *, release_id, workflow_event_id, reason, **kwargs):
    services.announce(
        Topic.WITHDRAWN, release_id=release_id, key=f"release:{release_id}:withdrawn:{workflow_event_id}", reason=reason
    )


def connect():
    events.release_published.connect(on_published, dispatch_uid="webhooks-published")
    events.release_corrected.connect(on_corrected, dispatch_uid="webhooks-corrected")
    events.release_withdrawn.connect(on_withdrawn, dispatch_uid="webhooks-withdrawn")
