"""What the alerts subscribe to: the releases' events (releases/events.py)
and the outbox's bounces (outbox/signals.py), connected by AlertsConfig.ready."""

from alerts import sending, services
from alerts.models import Sending
from outbox.signals import message_bounced
from releases import events

ALERT_KINDS = services.ALERT_KINDS


def release_published(sender, *, release_id, **kwargs):
    # Sent when a release is public now, a scheduled one at its time: the
    # fan-out reads it again and sends nothing for one that is not.
    start(release_id, None)


def release_corrected(sender, *, release_id, change_note_id, **kwargs):
    start(release_id, change_note_id)


def start(release_id, change_note_id):
    # The Sending is written before its fan-out is enqueued: beat's sweep
    # starts again only the Sendings never fanned out (a task lost), so a
    # release that sent no event (an import's) is never alerted.
    Sending.objects.get_or_create(
        key=Sending.key_for(release_id, change_note_id),
        defaults={"release_id": release_id, "change_note_id": change_note_id},
    )
    sending.enqueue("alerts.fan_out", release_id, change_note_id)


def release_withdrawn(sender, *, release_id, **kwargs):
    sending.hold_withdrawn(release_id)


def message_returned(sender, *, kind, to, permanent, **kwargs):
    if kind in ALERT_KINDS:
        services.note_bounce(to=to, permanent=permanent)


def connect():
    events.release_published.connect(release_published, dispatch_uid="alerts")
    events.release_corrected.connect(release_corrected, dispatch_uid="alerts")
    events.release_withdrawn.connect(release_withdrawn, dispatch_uid="alerts")
    message_bounced.connect(message_returned, dispatch_uid="alerts")
