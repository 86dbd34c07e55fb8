"""Writing deliveries and making them.

As the outbox (outbox/services.py): a delivery is a row, written once for
its (endpoint, key) before anything is sent, handed to a worker when its
transaction commits; a worker takes it by moving it from queued to sending
in one conditional UPDATE, so that only one worker ever holds it; the
sweeper enqueues again what a broker lost or a killed worker left. A failed
attempt is tried again after PRESSROOM_WEBHOOK_RETRY_SECONDS, doubling each
time, for PRESSROOM_WEBHOOK_RETRY_FOR_SECONDS (a day) after the event; an
endpoint that fails PRESSROOM_WEBHOOK_DISABLE_AFTER attempts in a row is
disabled, with its reason, until an administrator enables it again. Each
request carries the delivery's id (Pressroom-Delivery), the same on every
attempt, by which a receiver can tell an attempt it has already seen.
"""

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from releases.addresses import absolute_url
from releases.models import Release
from webhooks import signing
from webhooks.models import Attempt, Delivery, Endpoint, Topic

logger = logging.getLogger(__name__)

SWEEP_BATCH = 1000
RESPONSE_KEPT = 2000


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not to be followed: the endpoint's address
    is the one an administrator registered."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def announce(topic, *, release_id, key, **details):
    """Write a delivery of `topic` about the release `release_id` for every
    active endpoint that wants it, in one transaction, each sent once it
    commits. `key` names the occurrence ("release:42:published:7"), so that
    announcing it again writes nothing; `details` go into the body's data.
    A release the public cannot read (withdrawn before its time) is no
    news to anyone: nothing is written."""
    release = Release.objects.readable().filter(pk=release_id).first()
    if release is None:
        return []
    endpoints = Endpoint.objects.filter(is_active=True).filter(Q(language="") | Q(language=release.language))
    written = []
    with transaction.atomic():
        for endpoint in endpoints:
            if not endpoint.wants(topic):
                continue
            delivery = Delivery(endpoint=endpoint, topic=topic, key=key)
            delivery.body = json.dumps(
                {
                    "id": str(delivery.delivery_id),
                    "event": topic,
                    "created_at": timezone.now(),
                    "data": {"release": release_summary(release), **details},
                },
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
            )
            delivery, created = Delivery.objects.get_or_create(
                endpoint=endpoint,
                key=key,
                defaults={"topic": topic, "body": delivery.body, "delivery_id": delivery.delivery_id},
            )
            if created:
                transaction.on_commit(partial(enqueue, delivery.pk))
                written.append(delivery)
    return written


def release_summary(release):
    """What a delivery says of its release; the rest is at `api_url`."""
    return {
        "id": release.pk,
        "status": release.status,
        "language": release.language,
        "translation_key": str(release.translation_key),
        "slug": release.slug,
        "title": release.title,
        "published_at": release.published_at,
        "url": absolute_url(release.get_absolute_url()),
        "api_url": absolute_url(reverse("api:release-detail", kwargs={"pk": release.pk})),
    }


def enqueue(delivery_id, *, eta=None):
    """Hand a delivery to a worker; an unreachable broker loses nothing (the sweeper)."""
    try:
        current_app.tasks["webhooks.deliver"].apply_async((delivery_id,), eta=eta)
    except OperationalError:
        logger.warning("Broker unreachable: webhook delivery %s waits for the sweeper", delivery_id, exc_info=True)


def deliver(delivery_id):
    """Make one attempt at a delivery, if it is queued and due and no other
    worker has taken it; safe to call any number of times."""
    claimed_at = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.QUEUED, due_at__lte=claimed_at).update(
        status=Delivery.Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
    )
    if not claimed:
        return
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    held = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING, claimed_at=claimed_at)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        held.update(status=Delivery.Status.FAILED, last_error="The endpoint is disabled.")
        return
    status_code, answer, error, duration_ms = post(endpoint, delivery)
    Attempt.objects.create(
        delivery=delivery, status_code=status_code, response=answer, error=error, duration_ms=duration_ms
    )
    if status_code is not None and 200 <= status_code < 300:
        held.update(status=Delivery.Status.DELIVERED, delivered_at=timezone.now(), last_error="")
        Endpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=0)
        return
    _note_failure(delivery, held, error or f"HTTP {status_code}")


def post(endpoint, delivery):
    """POST the delivery, signed now: (status code or None, the start of the
    answer, error or "", milliseconds)."""
    body = delivery.body.encode()
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Pressroom-Webhooks/1",
            "Pressroom-Event": delivery.topic,
            "Pressroom-Delivery": str(delivery.delivery_id),
            signing.HEADER: signing.header(endpoint.secret, time.time(), body),
        },
    )
    started = time.monotonic()
    status_code, answer, error = None, "", ""
    try:
        with _opener.open(request, timeout=settings.PRESSROOM_WEBHOOK_TIMEOUT_SECONDS) as response:
            status_code, answer = response.status, _read(response)
    except urllib.error.HTTPError as refusal:
        status_code, answer = refusal.code, _read(refusal)
    except (OSError, ValueError) as failure:  # refused, unreachable, timed out, bad address
        error = f"{type(failure).__name__}: {failure}"[:RESPONSE_KEPT]
    return status_code, answer, error, int((time.monotonic() - started) * 1000)


def _read(response):
    try:
        return response.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except OSError:
        return ""


def _note_failure(delivery, held, error):
    """Try again later, twice as long after each attempt, while the event is
    less than PRESSROOM_WEBHOOK_RETRY_FOR_SECONDS old; count the failure
    against the endpoint, which is disabled after PRESSROOM_WEBHOOK_DISABLE_AFTER
    in a row."""
    endpoint = delivery.endpoint
    Endpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=F("failures_in_a_row") + 1)
    endpoint.refresh_from_db(fields=["failures_in_a_row"])
    if endpoint.failures_in_a_row >= settings.PRESSROOM_WEBHOOK_DISABLE_AFTER:
        disable(endpoint, reason=f"{endpoint.failures_in_a_row} failed attempts in a row; the last: {error}")
        held.update(status=Delivery.Status.FAILED, last_error=error)
        return
    wait = timedelta(seconds=settings.PRESSROOM_WEBHOOK_RETRY_SECONDS * 2 ** (delivery.attempts - 1))
    due_at = timezone.now() + wait
    if due_at > delivery.created_at + timedelta(seconds=settings.PRESSROOM_WEBHOOK_RETRY_FOR_SECONDS):
        held.update(status=Delivery.Status.FAILED, last_error=error)
        return
    if held.update(status=Delivery.Status.QUEUED, due_at=due_at, last_error=error):
        enqueue(delivery.pk, eta=due_at)


def disable(endpoint, *, reason):
    """Stop sending to `endpoint`, saying why; its waiting deliveries fail."""
    now = timezone.now()
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_at=now, disabled_reason=reason)
    Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.FAILED, last_error="The endpoint was disabled."
    )
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.pk, reason)


def enable(endpoints):
    """Enable `endpoints` again with a fresh count: the admin's action."""
    return endpoints.update(is_active=True, failures_in_a_row=0, disabled_at=None, disabled_reason="")


def retry(deliveries):
    """Send failed deliveries again, with a fresh count of attempts."""
    failed = list(deliveries.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True))
    now = timezone.now()
    Delivery.objects.filter(pk__in=failed, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.QUEUED, attempts=0, due_at=now, created_at=now
    )
    for delivery_id in failed:
        transaction.on_commit(partial(enqueue, delivery_id))
    return len(failed)


def sweep():
    """Enqueue again the deliveries no worker is known to hold. Returns how many."""
    now = timezone.now()
    lost = list(Delivery.objects.lost(now=now).order_by("due_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    Delivery.objects.lost(now=now).filter(pk__in=lost).update(status=Delivery.Status.QUEUED, due_at=now)
    for delivery_id in lost:
        enqueue(delivery_id)
    return len(lost)


__all__ = ["Topic", "announce", "deliver", "disable", "enable", "retry", "sweep"]
