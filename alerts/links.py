"""The signed links of the alerts: to confirm a subscription (expiring), to
manage all of one's subscriptions and to unsubscribe in one click (lasting
as long as the subscriber: each is signed with the subscriber row's own
key, so a link outlives neither the row nor the address's leaving).

No account: a link is the proof of owning the address it was mailed to."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from alerts.models import Subscriber, Subscription
from releases.addresses import absolute_url

CONFIRM, MANAGE, UNSUBSCRIBE = "alerts.confirm", "alerts.manage", "alerts.unsubscribe"


def _url(name, token, language):
    with translation.override(language):
        return absolute_url(reverse(f"alerts:{name}", kwargs={"token": token}))


def confirm_url(subscription, frequency):
    token = signing.dumps([subscription.pk, subscription.subscriber.key, frequency], salt=CONFIRM, compress=True)
    return _url("confirm", token, subscription.language)


def manage_token(subscriber):
    return signing.dumps([subscriber.pk, subscriber.key], salt=MANAGE)


def manage_url(subscriber, language):
    return _url("manage", manage_token(subscriber), language)


def unsubscribe_url(subscriber, subscription_ids, language):
    token = signing.dumps([subscriber.pk, subscriber.key, sorted(subscription_ids)], salt=UNSUBSCRIBE, compress=True)
    return _url("unsubscribe", token, language)


def confirmed_subscription(token):
    """(subscription, frequency) of a confirmation link still valid, or None."""
    try:
        pk, key, frequency = signing.loads(token, salt=CONFIRM, max_age=settings.PRESSROOM_ALERTS_CONFIRMATION_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscription = Subscription.objects.select_related("subscriber").filter(pk=pk, subscriber__key=key).first()
    return (subscription, frequency) if subscription else None


def managed_subscriber(token):
    """The subscriber of a manage link, or None."""
    try:
        pk, key = signing.loads(token, salt=MANAGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Subscriber.objects.filter(pk=pk, key=key).first()


def unsubscribed_subscriptions(token):
    """(subscriber, subscriptions queryset) of an unsubscribe link, or None."""
    try:
        pk, key, ids = signing.loads(token, salt=UNSUBSCRIBE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    if subscriber is None:
        return None
    return subscriber, subscriber.subscriptions.filter(pk__in=ids)
