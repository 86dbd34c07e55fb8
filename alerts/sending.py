"""Sending the alerts: the fan-out of a release to its subscribers, the
daily digest, and pausing and holding them.

Everything runs in Celery tasks that take ids (alerts/tasks.py) and may run
twice: a fan-out splits the matching subscribers into ranges of primary keys
(PRESSROOM_ALERTS_BATCH each) and a task per range writes each reader's
message to the outbox (kind "alert", the Sending's key), which writes a
(kind, key, address) once whatever runs again. Before writing, a batch
reads the release afresh, public or not, under the lock of its Sending row,
which a pause and a withdrawal take too: a message is never written for a
release withdrawn or paused, and those written before are held."""

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Value, prefetch_related_objects
from django.utils import timezone

from alerts import links, mail
from alerts.models import Frequency, Sending, Subscriber, Subscription, subscribers_with
from outbox import services as outbox
from outbox.models import Message
from releases.models import ChangeNote, Release
from releases.models.media import lead_image_prefetch

logger = logging.getLogger(__name__)
# The digest's items matched in one query (a UNION ALL) up to this many:
# below SQLite's limit on compound SELECTs (500).
DIGEST_UNION = 100


def enqueue(task, *args, eta=None):
    current_app.tasks[task].apply_async(args, eta=eta)


def _batches(ids):
    size = settings.PRESSROOM_ALERTS_BATCH
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        yield chunk[0], chunk[-1]


def pace_window(count):
    return timedelta(seconds=outbox.seconds_to_send(count))


def enqueue_batches(task, ids, *args):
    """`task`(*args, first, last) for each batch of `ids`, each at the time
    the outbox's pace (PRESSROOM_OUTBOX_RATE) will send its first message:
    a fan-out's writing is spread as its sending is, rather than all of it
    first, and the deliveries written are not queued behind the writing."""
    now = timezone.now()
    for number, (first, last) in enumerate(_batches(ids)):
        delay = pace_window(number * settings.PRESSROOM_ALERTS_BATCH)
        enqueue(task, *args, first, last, eta=now + delay if delay else None)


def public_release(release_id):
    return (
        Release.objects.published()
        .filter(pk=release_id)
        .select_related("department", "event")
        .prefetch_related("tags")
        .first()
    )


def tag_ids(release):
    return [tag.pk for tag in release.tags.all()]


# Immediate alerts


def fan_out(release_id, change_note_id=None):
    """Alert the subscribers of `release_id` (immediately) of its
    publication, or of its public change note `change_note_id`: a batch
    task per range of them. Nothing for a release that is not public (never
    early: a scheduled one comes back here at its time, from the
    announcement of releases/announcements.py)."""
    release = public_release(release_id)
    if release is None:
        return 0
    note = None
    if change_note_id:
        note = ChangeNote.objects.filter(pk=change_note_id, release=release).first()
        if note is None:
            return 0
    with transaction.atomic():
        sending, _created = Sending.objects.get_or_create(
            key=Sending.key_for(release.pk, change_note_id), defaults={"release": release, "change_note": note}
        )
        sending = Sending.objects.select_for_update().get(pk=sending.pk)
        if sending.paused_at:
            return 0
        if sending.withdrawn:
            # Public again (restored): what was held goes, and the rest follows.
            sending.withdrawn = False
            sending.save(update_fields=["withdrawn"])
            outbox.let_go(sending_messages(sending))
    matching = Subscription.objects.receiving(Frequency.IMMEDIATELY).matching(release, tag_ids(release))
    ids = list(subscribers_with(matching).order_by("pk").values_list("pk", flat=True))
    enqueue_batches("alerts.send_batch", ids, sending.pk)
    Sending.objects.filter(pk=sending.pk).update(recipients=len(ids), fanned_out_at=timezone.now())
    return len(ids)


def send_batch(sending_id, first, last):
    """Write the alert of `sending_id` to its subscribers whose primary keys
    lie between `first` and `last`."""
    sending = Sending.objects.select_related("change_note").filter(pk=sending_id).first()
    release = sending and public_release(sending.release_id)
    if release is None:
        return 0
    rendered = mail.alert(release, sending.change_note)
    matching = (
        Subscription.objects.receiving(Frequency.IMMEDIATELY)
        .matching(release, tag_ids(release))
        .filter(subscriber_id__gte=first, subscriber_id__lte=last)
    )
    readers = defaultdict(list)
    for subscriber_id, email, key, subscription_id in matching.values_list(
        "subscriber_id", "subscriber__email", "subscriber__key", "pk"
    ):
        readers[(subscriber_id, email, key)].append(subscription_id)
    messages = [
        rendered.personal(
            to=email,
            manage_url=links.manage_url(Subscriber(pk=pk, key=key), release.language),
            unsubscribe_url=links.unsubscribe_url(Subscriber(pk=pk, key=key), ids, release.language),
        )
        for (pk, email, key), ids in readers.items()
    ]
    with transaction.atomic():
        sending = Sending.objects.select_for_update().get(pk=sending_id)
        # Read again under the lock: a withdrawal or a pause that came while
        # this batch rendered has its say.
        if sending.paused_at or sending.withdrawn or not Release.objects.published().filter(pk=release.pk).exists():
            return 0
        return outbox.send_many(kind="alert", key=sending.key, messages=messages)


def sweep(now=None):
    """What a lost task left undone, started again (beat, every five
    minutes): a Sending of a public release, started in the last day and at
    least a lease ago (PRESSROOM_OUTBOX_LEASE_SECONDS), whose fan-out never
    ran (the receivers of alerts/receivers.py write it before enqueueing;
    the broker did not answer), or whose batches were not all enqueued or
    did not all write (a task lost with its broker), a lease after a paced
    fan-out's last batch was due. A release with no Sending sent no event
    (an import's): it is not guessed at from its publication time. Fanning
    out again writes only what is missing.
    Returns how many fan-outs were started."""
    now = now or timezone.now()
    since, before = now - timedelta(days=1), now - timedelta(seconds=settings.PRESSROOM_OUTBOX_LEASE_SECONDS)
    started = []
    unfinished = Sending.objects.filter(
        created_at__gte=since, created_at__lte=before, completed_at=None, paused_at=None, withdrawn=False
    ).filter(release__in=Release.objects.published())
    counts = report(unfinished.values_list("key", flat=True))
    for sending in unfinished:
        if sending.fanned_out_at and sum(counts.get(sending.key, {}).values()) >= sending.recipients:
            Sending.objects.filter(pk=sending.pk).update(completed_at=now)
        elif sending.fanned_out_at and sending.fanned_out_at + pace_window(sending.recipients) > before:
            continue  # paced, and its batches' time has not all come (enqueue_batches)
        else:
            started.append((sending.release_id, sending.change_note_id))
    for release_id, change_note_id in started:
        enqueue("alerts.fan_out", release_id, change_note_id)
    return len(started)


def sending_messages(sending):
    return Message.objects.filter(kind="alert", key=sending.key)


def pause(sending):
    """Stop the alerts of `sending`: no more are written, and those not
    sent yet are held."""
    with transaction.atomic():
        locked = Sending.objects.select_for_update().get(pk=sending.pk)
        if locked.paused_at is None:
            locked.paused_at = timezone.now()
            locked.save(update_fields=["paused_at"])
        return outbox.hold(sending_messages(locked))


def resume(sending):
    """Let the paused alerts of `sending` go again, and write the rest, if
    the release is still public (otherwise they stay held)."""
    with transaction.atomic():
        locked = Sending.objects.select_for_update().get(pk=sending.pk)
        locked.paused_at = None
        locked.save(update_fields=["paused_at"])
        if locked.withdrawn or public_release(locked.release_id) is None:
            return 0
        released = outbox.let_go(sending_messages(locked))
        transaction.on_commit(lambda: enqueue("alerts.fan_out", locked.release_id, locked.change_note_id))
    return released


def hold_withdrawn(release_id):
    """A release was withdrawn: its alerts not sent yet are held, and no
    more are written (released again if it is restored: fan_out)."""
    with transaction.atomic():
        for sending in Sending.objects.select_for_update().filter(release_id=release_id):
            sending.withdrawn = True
            sending.save(update_fields=["withdrawn"])
            outbox.hold(sending_messages(sending))


def report(keys):
    """{key: {status: count}} of the alerts' outbox rows of `keys`, in one query."""
    counts = defaultdict(dict)
    rows = Message.objects.filter(kind="alert", key__in=list(keys)).order_by().values("key", "status")
    for key, status, count in rows.annotate(count=Count("pk")).values_list("key", "status", "count"):
        counts[key][status] = count
    return counts


# Daily digests


def digest_window(now=None):
    """(day, start, end): the digest most recently due at `now`, that of
    `day`, covering the 24 hours before PRESSROOM_ALERTS_DIGEST_HOUR of that
    day (TIME_ZONE)."""
    local = timezone.localtime(now or timezone.now())
    end = timezone.make_aware(datetime.combine(local.date(), time(settings.PRESSROOM_ALERTS_DIGEST_HOUR)), local.tzinfo)
    if local < end:
        end -= timedelta(days=1)
    return end.date(), end - timedelta(days=1), end


def digest_pending(day):
    """Active subscribers with a confirmed daily subscription who have not
    had the digest of `day`."""
    daily = Subscription.objects.confirmed().filter(frequency=Frequency.DAILY, subscriber=OuterRef("pk"))
    return (
        Subscriber.objects.active()
        .filter(Exists(daily))
        .filter(Q(digest_through__isnull=True) | Q(digest_through__lt=day))
    )


def send_digests(now=None):
    """Start the digest due at `now` for every subscriber who has not had
    it: run by beat every 15 minutes, however many beats and workers, each
    subscriber's digest is written once (its outbox key names the day, and
    `digest_through` moves with it)."""
    day, _start, _end = digest_window(now)
    ids = list(digest_pending(day).order_by("pk").values_list("pk", flat=True))
    enqueue_batches("alerts.send_digest_batch", ids, day.isoformat())
    return len(ids)


def digest_items(start, end):
    """[(release, change note or None)]: the releases that became public
    between `start` and `end`, and the public change notes made then to
    releases public before, oldest first; none whose Sending an editor
    paused."""
    paused = Sending.objects.filter(paused_at__isnull=False)
    published = list(
        Release.objects.published()
        .filter(published_at__gte=start, published_at__lt=end)
        .exclude(Exists(paused.filter(release=OuterRef("pk"), change_note=None)))
        .select_related("department", "event")
        .prefetch_related("tags")
        .order_by("published_at", "pk")
    )
    notes = (
        ChangeNote.objects.filter(created_at__gte=start, created_at__lt=end)
        .filter(release__in=Release.objects.published().filter(published_at__lt=start))
        .exclude(Exists(paused.filter(change_note=OuterRef("pk"))))
        .select_related("release__department", "release__event")
        .prefetch_related("release__tags")
        .order_by("created_at", "pk")
    )
    latest_note = {note.release_id: note for note in notes}
    items = [(release, None) for release in published] + [(note.release, note) for note in latest_note.values()]
    prefetch_related_objects([release for release, _note in items], lead_image_prefetch())
    return items


def send_digest_batch(day, first, last):
    """Write the digest of `day` (ISO date) to the subscribers due it whose
    primary keys lie between `first` and `last`."""
    day = datetime.fromisoformat(day).date() if isinstance(day, str) else day
    _day, start, end = digest_window(
        timezone.make_aware(datetime.combine(day, time(settings.PRESSROOM_ALERTS_DIGEST_HOUR)))
    )
    due = digest_pending(day).filter(pk__gte=first, pk__lte=last)
    # {(subscriber, language): [(item index, subscription id)]}
    found = defaultdict(list)
    items = digest_items(start, end)
    # Each item's matching subscriptions, DIGEST_UNION items to a query.
    matching = [
        Subscription.objects.receiving(Frequency.DAILY)
        .matching(release, tag_ids(release))
        .filter(subscriber__in=due)
        .order_by()
        .annotate(item=Value(index))
        .values_list("item", "subscriber_id", "pk")
        for index, (release, _note) in enumerate(items)
    ]
    for start_at in range(0, len(matching), DIGEST_UNION):
        first_query, *others = matching[start_at : start_at + DIGEST_UNION]
        for index, subscriber_id, subscription_id in first_query.union(*others, all=True):
            found[(subscriber_id, items[index][0].language)].append((index, subscription_id))
    subscribers = {subscriber.pk: subscriber for subscriber in due.only("pk", "email", "key")}
    described = [mail.release_item(release, note) for release, note in items]
    rendered = {}
    by_language = defaultdict(list)
    for (subscriber_id, language), matches in found.items():
        subscriber = subscribers.get(subscriber_id)
        if subscriber is None:
            continue
        shown = tuple(sorted({index for index, _subscription in matches}))
        if (language, shown) not in rendered:
            rendered[(language, shown)] = mail.digest([described[index] for index in shown], language=language, day=day)
        by_language[language].append(
            rendered[(language, shown)].personal(
                to=subscriber.email,
                manage_url=links.manage_url(subscriber, language),
                unsubscribe_url=links.unsubscribe_url(
                    subscriber, {subscription for _index, subscription in matches}, language
                ),
            )
        )
    written = 0
    with transaction.atomic():
        for language, messages in by_language.items():
            written += outbox.send_many(kind="alert", key=f"digest:{day.isoformat()}:{language}", messages=messages)
        Subscriber.objects.filter(pk__in=list(subscribers)).update(digest_through=day)
    return written
