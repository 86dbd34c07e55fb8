"""Endpoints that want to hear of releases, and one row for each delivery to
one of them, written before anything is sent (the outbox's way: README,
"Background jobs")."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret():
    return "whsec_" + secrets.token_urlsafe(32)


class Topic(models.TextChoices):
    PUBLISHED = "release.published", _("Release published")
    CORRECTED = "release.corrected", _("Release updated with a change note")
    WITHDRAWN = "release.withdrawn", _("Release withdrawn")


class Endpoint(models.Model):
    """An address that receives a signed POST for each event it subscribes to."""

    url = models.URLField(
        _("address"),
        max_length=500,
        help_text=_("Where each event is sent by POST, for example: https://portal.example.gov/hooks/pressroom."),
    )
    description = models.CharField(
        _("description"), max_length=200, blank=True, help_text=_("Whose it is, for example: Government portal.")
    )
    on_published = models.BooleanField(_("releases published"), default=True)
    on_corrected = models.BooleanField(_("releases updated with a change note"), default=True)
    on_withdrawn = models.BooleanField(_("releases withdrawn"), default=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Only releases in this language; empty: every language."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_secret,
        help_text=_("Give it to the receiver, which checks each request's Pressroom-Signature with it."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Disabled by itself after repeated failure; tick to enable again.")
    )
    failures_in_a_row = models.PositiveIntegerField(_("failed attempts in a row"), default=0, editable=False)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True, editable=False)
    disabled_reason = models.TextField(_("why disabled"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["url"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.description or self.url

    def wants(self, topic):
        field = {Topic.PUBLISHED: "on_published", Topic.CORRECTED: "on_corrected", Topic.WITHDRAWN: "on_withdrawn"}
        return getattr(self, field[topic])


class DeliveryQuerySet(models.QuerySet):
    def lost(self, *, now):
        """Deliveries no worker is known to hold: queued and due a lease ago
        (their task lost with a broker), or taken a lease ago and never
        finished (their worker killed)."""
        stale = now - timedelta(seconds=settings.PRESSROOM_WEBHOOK_LEASE_SECONDS)
        return self.filter(
            models.Q(status=Delivery.Status.QUEUED, due_at__lte=stale)
            | models.Q(status=Delivery.Status.SENDING, claimed_at__lte=stale)
        )


class Delivery(models.Model):
    """One event for one endpoint: its body, fixed when it is written, and how
    its delivery goes. Written once for its (endpoint, key)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    topic = models.CharField(_("event"), max_length=40, choices=Topic.choices)
    key = models.CharField(
        _("key"), max_length=200, help_text=_("What it is about, for example: release:42:published.")
    )
    delivery_id = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    due_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["endpoint", "key"], name="webhook_delivery_once")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="webhook_delivery_due"),
            models.Index(fields=["-created_at", "-id"], name="webhook_delivery_list"),
        ]

    def __str__(self):
        return f"{self.get_topic_display()} → {self.endpoint}"


class Attempt(models.Model):
    """What one attempt at a delivery got back: the log of its answers."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("time"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response = models.TextField(_("answer"), blank=True, help_text=_("The start of the answer's body."))
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error[:40]}"
