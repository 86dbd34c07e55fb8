"""Subscribing, confirming and leaving: the alerts' writes of the readers'
side. The public surface of the app with `alerts.sending`.

Nothing tells anyone but an address's owner whether it subscribes: asking
to subscribe answers the same for every address and sends the same kind of
mail (a confirmation link), and everything else takes a link mailed to it."""

import uuid

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alerts import links
from alerts.models import Subscriber, Subscription, SubscriptionTag, UnsubscribeCount
from outbox import services as outbox

# The outbox kinds whose rows name a subscriber: forgotten when one leaves.
ALERT_KINDS = ["alert", "alert-confirmation"]


def describe(*, language, tags=(), department=None, event=None):
    """What a subscription covers, in words of `language`."""
    with translation.override(language):
        return render_to_string(
            "alerts/scope.txt", {"tags": tags, "department": department, "event": event, "language": language}
        ).strip()


def subscribe(*, email, language, frequency, tags=(), department=None, event=None):
    """Ask to receive the releases in `language` of every tag of `tags`, of
    `department` and `event` (each optional), `frequency` immediately or
    daily: a subscription waiting for its confirmation, and the mail with
    the link that confirms it. An address that has it already gets a new
    link (the frequency changes only when it is followed)."""
    email = BaseUserManager.normalize_email(email.strip()).lower()
    tags = list(dict.fromkeys(tags))
    scope = Subscription.scope_of(language=language, department=department, event=event, tags=tags)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            scope=scope,
            defaults={
                "language": language,
                "department": department,
                "event": event,
                "frequency": frequency,
                "tag_count": len(tags),
            },
        )
        if created:
            SubscriptionTag.objects.bulk_create(SubscriptionTag(subscription=subscription, tag=tag) for tag in tags)
        elif subscription.confirmed_at is None:
            # The confirmation's time runs from the latest request.
            Subscription.objects.filter(pk=subscription.pk).update(requested_at=timezone.now())
        context = {
            "scope": describe(language=language, tags=tags, department=department, event=event),
            "frequency": frequency,
            "confirm_url": links.confirm_url(subscription, frequency),
            "manage_url": links.manage_url(subscriber, language),
            "days": settings.PRESSROOM_ALERTS_CONFIRMATION_MAX_AGE.days,
        }
        with translation.override(language):
            subject = render_to_string("alerts/email/confirmation_subject.txt", context).strip()
            text = render_to_string("alerts/email/confirmation.txt", context)
            html = render_to_string("alerts/email/confirmation.html", context)
        # Each request its own message: the rate limits bound them.
        outbox.send(
            kind="alert-confirmation",
            key=f"subscription:{subscription.pk}:{uuid.uuid4().hex[:12]}",
            to=email,
            subject=subject,
            text=text,
            html=html,
        )
    return subscription


def confirm(subscription, frequency):
    """Follow a confirmation link: the subscription receives from now on,
    at the frequency the link was sent with."""
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmed_at=subscription.confirmed_at or timezone.now(), frequency=frequency
    )
    subscription.refresh_from_db()
    return subscription


def set_frequency(subscription, frequency):
    Subscription.objects.filter(pk=subscription.pk).update(frequency=frequency)


def unsubscribe(subscriptions):
    """End `subscriptions` (a queryset of one subscriber's): deleted, with
    a count kept per day and language; the subscriber goes with its last
    one, and the outbox forgets its address. Returns how many ended."""
    with transaction.atomic():
        ending = list(subscriptions.select_related("subscriber"))
        if not ending:
            return 0
        today = timezone.localdate()
        for subscription in ending:
            if subscription.confirmed_at:
                counted, _created = UnsubscribeCount.objects.get_or_create(day=today, language=subscription.language)
                UnsubscribeCount.objects.filter(pk=counted.pk).update(subscriptions=F("subscriptions") + 1)
        Subscription.objects.filter(pk__in=[subscription.pk for subscription in ending]).delete()
        for subscriber in {subscription.subscriber for subscription in ending}:
            forget_if_idle(subscriber)
    return len(ending)


def forget_if_idle(subscriber):
    """Delete a subscriber left with no subscription, and the outbox's
    record of its address."""
    if not subscriber.subscriptions.exists():
        forget(subscriber)


def forget(subscriber):
    """Delete a subscriber, its subscriptions and its address from the
    alerts' outbox rows (the admin's erasure of one address too)."""
    with transaction.atomic():
        outbox.forget(to=subscriber.email, kinds=ALERT_KINDS)
        subscriber.delete()


def delete_expired():
    """Delete the subscriptions never confirmed within their link's time,
    and the subscribers they leave with none. Returns how many."""
    expired = Subscription.objects.expired()
    subscribers = list(Subscriber.objects.filter(subscriptions__in=expired).distinct())
    count, _by_model = expired.delete()
    for subscriber in subscribers:
        forget_if_idle(subscriber)
    return count


def note_bounce(*, to, permanent):
    """A message to `to` bounced: a hard bounce counts, and an address with
    PRESSROOM_ALERTS_MAX_HARD_BOUNCES of them in all is sent nothing more.
    No delivery resets the count: the mail server takes every message before
    it comes back, so a message taken says nothing of the address (an
    address that leaves and subscribes again starts from none)."""
    if not permanent:
        return
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=to).first()
        if subscriber is None:
            return
        subscriber.hard_bounces += 1
        if subscriber.hard_bounces >= settings.PRESSROOM_ALERTS_MAX_HARD_BOUNCES and not subscriber.disabled_at:
            subscriber.disabled_at = timezone.now()
        subscriber.save(update_fields=["hard_bounces", "disabled_at"])
