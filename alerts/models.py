"""Who subscribes to what, and what was sent about each release.

An address is kept only while it subscribes: a subscriber row goes with its
last subscription (unsubscribed, or unconfirmed past its time), and what is
left of it is a count (UnsubscribeCount)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import Department, Event, Tag


def new_key():
    """The secret a subscriber's links are signed with: a new row, new links,
    so a link of an address that unsubscribed never reaches its next rows."""
    return secrets.token_hex(8)


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        """Subscribers who may be written to: not disabled by bounces."""
        return self.filter(disabled_at__isnull=True)


class Subscriber(models.Model):
    """One e-mail address, with its subscriptions."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    key = models.CharField(_("link key"), max_length=16, default=new_key, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    hard_bounces = models.PositiveSmallIntegerField(
        _("hard bounces"), default=0, help_text=_("Messages returned as refused for good (status 5.x.x).")
    )
    disabled_at = models.DateTimeField(
        _("disabled"), null=True, blank=True, help_text=_("Set after repeated hard bounces: nothing more is sent.")
    )
    # The last day whose digest this subscriber has had (or had nothing in).
    digest_through = models.DateField(_("digest sent for"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def receiving(self, frequency):
        """Confirmed subscriptions of subscribers who may be written to."""
        return self.confirmed().filter(frequency=frequency, subscriber__disabled_at__isnull=True)

    def matching(self, release, tag_ids):
        """The subscriptions that `release` (with the tags `tag_ids`) falls
        under: its language; no department or its own; no event or its own;
        every tag of the subscription among its tags. A subscription one of
        whose tags was deleted (merged away) counts it still, and so never
        matches: better silent than widened to every release."""
        carried = (
            SubscriptionTag.objects.filter(subscription=OuterRef("pk"), tag_id__in=list(tag_ids))
            .order_by()
            .values("subscription")
            .annotate(count=Count("pk"))
            .values("count")
        )
        department = Q(department__isnull=True) | Q(department_id=release.department_id)
        event = Q(event__isnull=True) | (Q(event_id=release.event_id) if release.event_id else Q(pk__in=[]))
        return (
            self.filter(language=release.language)
            .filter(department, event)
            .alias(carried=Coalesce(Subquery(carried), Value(0)))
            .filter(tag_count=models.F("carried"))
        )

    def expired(self, *, now=None):
        """Unconfirmed subscriptions whose confirmation link has run out."""
        now = now or timezone.now()
        return self.filter(
            confirmed_at__isnull=True, requested_at__lt=now - settings.PRESSROOM_ALERTS_CONFIRMATION_MAX_AGE
        )


class Subscription(models.Model):
    """What one subscriber receives: releases in a language, all of them or
    those of some tags (every one), a department, an event."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("subscriber")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    tags = models.ManyToManyField(Tag, through="SubscriptionTag", blank=True, related_name="+", verbose_name=_("tags"))
    # How many tags it was made with: matching() compares it with the tags a
    # release carries, so a deleted tag narrows rather than widens.
    tag_count = models.PositiveSmallIntegerField(_("number of tags"), default=0, editable=False)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("event")
    )
    # The same scope written once per subscriber: language, department,
    # event, sorted tag ids.
    scope = models.CharField(_("scope"), max_length=400, editable=False)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["subscriber", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [models.UniqueConstraint(fields=["subscriber", "scope"], name="alerts_subscription_once")]
        indexes = [
            models.Index(
                fields=["language", "frequency", "subscriber"],
                condition=Q(confirmed_at__isnull=False),
                name="alerts_subscription_fanout",
            ),
            models.Index(fields=["requested_at"], condition=Q(confirmed_at__isnull=True), name="alerts_unconfirmed"),
        ]
        permissions = [("view_subscriber_counts", _("Can see how many readers subscribe"))]

    def __str__(self):
        return f"{self.subscriber} ({self.get_language_display()})"

    @staticmethod
    def scope_of(*, language, department, event, tags):
        tag_ids = ",".join(str(tag.pk) for tag in sorted(tags, key=lambda tag: tag.pk))
        return f"{language}|d{department.pk if department else ''}|e{event.pk if event else ''}|t{tag_ids}"


class SubscriptionTag(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="subscription_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "tag"], name="alerts_subscription_tag_once")]
        indexes = [models.Index(fields=["tag", "subscription"], name="alerts_subscription_tag")]

    def __str__(self):
        return f"{self.subscription_id}: {self.tag_id}"


class UnsubscribeCount(models.Model):
    """What is kept of the addresses that left: how many, per day and
    language, never who."""

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subscriptions = models.PositiveIntegerField(_("subscriptions ended"), default=0)

    class Meta:
        ordering = ["-day", "language"]
        verbose_name = _("unsubscriptions per day")
        verbose_name_plural = _("unsubscriptions per day")
        constraints = [models.UniqueConstraint(fields=["day", "language"], name="alerts_unsubscribe_count_once")]

    def __str__(self):
        return f"{self.day} {self.language}: {self.subscriptions}"


class Sending(models.Model):
    """The alerts about one release and one change of it (its publication,
    or a public change note): the key of their outbox rows, and whether an
    editor paused them."""

    release = models.ForeignKey(
        "releases.Release", on_delete=models.CASCADE, related_name="alert_sendings", verbose_name=_("release")
    )
    change_note = models.ForeignKey(
        "releases.ChangeNote",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("change note"),
        help_text=_("Empty for the release's publication."),
    )
    key = models.CharField(_("key"), max_length=100, unique=True, editable=False)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    # Every batch enqueued; every recipient's row written (alerts.sending.sweep).
    fanned_out_at = models.DateTimeField(_("batches started"), null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("all written"), null=True, blank=True, editable=False)
    # Held while the release is withdrawn; let go if it is restored.
    withdrawn = models.BooleanField(_("release withdrawn"), default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("alert sending")
        verbose_name_plural = _("alert sendings")
        permissions = [("pause_sending", _("Can pause and resume the alerts about a release"))]

    def __str__(self):
        return self.key

    @staticmethod
    def key_for(release_id, change_note_id=None):
        """The outbox key of every alert about this release and change."""
        return f"release:{release_id}:" + (f"change:{change_note_id}" if change_note_id else "published")


def subscribers_with(subscriptions):
    """Subscribers with at least one of `subscriptions` (a queryset)."""
    return Subscriber.objects.filter(Exists(subscriptions.filter(subscriber=OuterRef("pk"))))
