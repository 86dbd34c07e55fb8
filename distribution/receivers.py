"""What distribution does when releases move (releases/events.py), when a
recipient's link is viewed, and when a contact is deleted. Connected once
the app is ready."""

from django.db.models.signals import post_save, pre_delete

from distribution import services
from distribution.mail import KIND
from distribution.models import MediaContact, Recipient
from outbox import services as outbox
from releases import events
from releases.models import ShareLink, ShareLinkView


def links_stop(sender, *, release_id, actor_id, **kwargs):
    services.stop_links(release_id=release_id, actor_id=actor_id)


def embargo_lifts(sender, *, release_id, **kwargs):
    services.enqueue_public_notices(release_id)


def forget_contact(sender, instance, **kwargs):
    """A contact's personal data goes with them: their links with the log of
    views (addresses, browsers), and their address in the outbox (its one
    way to forget one: mails still to go are deleted, those done kept
    without address or text). Their recipient rows go by cascade. Sent for
    each contact of a bulk delete too."""
    ShareLink.objects.filter(recipient__contact=instance).delete()
    outbox.forget(to=instance.email, kinds=[KIND])


def count_view(sender, instance, created, raw=False, **kwargs):
    """A view of a share link, logged: if the link is a recipient's, counted
    in their figures, in the same transaction (the distribution page reads
    them). For any other link it costs one UPDATE that matches no row, on
    the recipient's unique link column; share-link views are few."""
    if created and not raw:
        Recipient.objects.note_view(instance)


def connect():
    events.release_withdrawn.connect(links_stop, dispatch_uid="distribution-stop-withdrawn")
    events.release_unscheduled.connect(links_stop, dispatch_uid="distribution-stop-unscheduled")
    events.release_published.connect(embargo_lifts, dispatch_uid="distribution-now-public")
    post_save.connect(count_view, sender=ShareLinkView, dispatch_uid="distribution-count-view")
    pre_delete.connect(forget_contact, sender=MediaContact, dispatch_uid="distribution-forget-contact")
