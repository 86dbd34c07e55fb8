"""One row for each outgoing message: what it says, to whom, and how its
delivery goes (README, "Background jobs")."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_message_id():
    """A Message-ID of its own for each row, kept for every attempt, so that
    a receiver can tell a message sent again from a new one."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain.strip('<> ')}>"


class MessageQuerySet(models.QuerySet):
    def lost(self, *, now):
        """Messages no worker is known to hold: queued and due for a lease
        or longer (their task lost with a broker), or taken for sending a
        lease ago or longer and never finished (their worker killed)."""
        stale = now - timedelta(seconds=settings.PRESSROOM_OUTBOX_LEASE_SECONDS)
        return self.filter(
            Q(status=Message.Status.QUEUED, due_at__lte=stale) | Q(status=Message.Status.SENDING, claimed_at__lte=stale)
        )


class Message(models.Model):
    """An e-mail to one recipient, written once for its (kind, key,
    recipient): writing it again finds the first."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Kept from sending by its sender (alerts paused or withdrawn): never
        # taken by a worker nor swept until let go (services.let_go).
        HELD = "held", _("Held")
        # Sent, then returned by the receiving side (outbox/bounces.py).
        BOUNCED = "bounced", _("Bounced")

    kind = models.CharField(
        _("kind"), max_length=40, help_text=_("What sort of message it is, for example: workflow, alert.")
    )
    key = models.CharField(
        _("key"),
        max_length=200,
        help_text=_("What the message is about, for example: release:42."),
    )
    to = models.EmailField(_("to"), max_length=254)
    from_email = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=500)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True, default=new_message_id, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    due_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        constraints = [models.UniqueConstraint(fields=["kind", "key", "to"], name="outbox_message_once")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="outbox_message_due"),
            models.Index(fields=["-created_at", "-id"], name="outbox_message_list"),
            # A sender's report of its messages by status (alerts' sending report).
            models.Index(fields=["kind", "key", "status"], name="outbox_message_report"),
        ]
        permissions = [("retry_message", _("Can send failed messages again"))]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    def as_email(self, *, connection=None):
        """The e-mail itself, with this row's Message-ID on every attempt."""
        email = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text,
            from_email=self.from_email,
            to=[self.to],
            headers={**self.headers, "Message-ID": self.message_id},
            connection=connection,
        )
        if self.html:
            email.attach_alternative(self.html, "text/html")
        return email


class Pace(models.Model):
    """When the next bulk message may go, site-wide (one row): what paces a
    fan-out at PRESSROOM_OUTBOX_RATE messages a second whatever the number
    of workers (services.send_many)."""

    next_slot = models.DateTimeField(_("next free slot"))

    class Meta:
        verbose_name = _("sending pace")

    def __str__(self):
        return f"next free slot {self.next_slot:%Y-%m-%d %H:%M:%S}"
