"""Writing messages to the outbox and delivering them.

"Never twice" rests on the row: it is written once for its (kind, key,
recipient), in the caller's transaction; a worker takes it by moving it from
queued to sending in one committed UPDATE, so that only one worker ever holds
it, and marks it sent in another as soon as the SMTP server has accepted it,
before even closing the connection. A worker killed between the server's
acceptance and that UPDATE leaves the one case where a message can go out
twice: after the lease (PRESSROOM_OUTBOX_LEASE_SECONDS) the sweeper sends it
again, with the same Message-ID, by which a receiver can tell it is the same
message. "Never lost" rests on the sweeper too: a row whose task a broker
lost, or whose worker died, is enqueued again once its lease is over.
"""

import logging
import smtplib
from collections import defaultdict
from datetime import timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField, F, Max, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from kombu.exceptions import OperationalError

from outbox.models import Message, Pace

logger = logging.getLogger(__name__)

# The most lost messages one sweep enqueues again; the next sweep takes the rest.
SWEEP_BATCH = 1000
# Messages of a fan-out (send_many) delivered by one task, over one connection.
DELIVERY_BATCH = 50


def send(*, kind, key, to, subject, text, html="", headers=None, from_email=None):
    """Write one message to the outbox, within the caller's transaction, and
    have it delivered after that transaction commits. The same (kind, key,
    to) is written once: calling again returns the first row and sends
    nothing more. `key` names what the message is about ("release:42",
    "workflow-event:7"); `to` is one address. Raises ValidationError for an
    address that is not one."""
    to = BaseUserManager.normalize_email(to.strip())
    validate_email(to)
    message, created = Message.objects.get_or_create(
        kind=kind,
        key=key,
        to=to,
        defaults={
            "subject": " ".join(subject.split()),
            "text": text,
            "html": html,
            "headers": headers or {},
            "from_email": from_email or settings.DEFAULT_FROM_EMAIL,
        },
    )
    if created:
        transaction.on_commit(partial(enqueue, message.pk))
    return message


def enqueue(message_id, *, eta=None):
    """Hand the delivery of a message to a worker. A broker that cannot be
    reached loses nothing: the row waits, and the sweeper enqueues it again."""
    # The task by its name, as the worker knows it: outbox/tasks.py calls
    # this module, and needs no import back.
    try:
        current_app.tasks["outbox.deliver"].apply_async((message_id,), eta=eta)
    except OperationalError:
        logger.warning("Broker unreachable: outgoing message %s waits for the sweeper", message_id, exc_info=True)


def deliver(message_id):
    """Send one message, if it is queued and due and no other worker has
    taken it; safe to call any number of times."""
    deliver_many([message_id])


def deliver_many(message_ids):
    """Send each message of `message_ids` as deliver() does, one after the
    other over one SMTP connection (a fan-out's batch: a connection and a
    task per message cost more than the message). Each is taken, sent and
    marked on its own, so a worker killed in the middle leaves the others
    as they were; after a failure the next message opens a new connection.
    The rows are read in one query, and a message is marked sent by the
    same committed UPDATE that takes the next (see `_take`): one statement
    and one commit a message, where a commit is what a message waits for."""
    messages = Message.objects.in_bulk(message_ids)
    # Once each, in their order; a row deleted meanwhile (forgotten) is no more.
    message_ids = [message_id for message_id in dict.fromkeys(message_ids) if message_id in messages]
    connection = None
    # (id, claimed_at) of the message the server accepted last, not marked yet.
    accepted = None
    try:
        for message_id in message_ids:
            message = messages[message_id]
            claimed_at = timezone.now()
            taken = _take(message_id, claimed_at, accepted=accepted)
            accepted = None
            if not taken:
                continue
            message.attempts += 1
            try:
                if connection is None:
                    connection = mail.get_connection(fail_silently=False)
                    connection.open()
                connection.send_messages([message.as_email(connection=connection)])
            except Exception as error:
                logger.warning("Could not send outgoing message %s", message_id, exc_info=True)
                held = Message.objects.filter(pk=message_id, status=Message.Status.SENDING, claimed_at=claimed_at)
                _note_failure(message, held, error)
                _close(connection, message_id)
                connection = None
                continue
            # Marked by the next message's UPDATE, or below: in either case
            # before the connection's QUIT, the narrowest window there is
            # between the server's acceptance and the row saying so.
            accepted = (message_id, claimed_at)
    finally:
        if accepted:
            _mark_sent(*accepted)
        _close(connection, message_ids[-1] if message_ids else None)


# _take's UPDATE: the row `id` taken (queued and due: sending, claimed now,
# one more attempt), the row accepted last marked sent, in one statement.
TAKE_AND_MARK_SENT = """
    UPDATE {table} SET
        status = CASE WHEN id = %s THEN %s ELSE %s END,
        claimed_at = CASE WHEN id = %s THEN %s ELSE claimed_at END,
        attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END,
        sent_at = CASE WHEN id = %s THEN sent_at ELSE %s END,
        last_error = CASE WHEN id = %s THEN last_error ELSE '' END
    WHERE (id = %s AND status = %s AND due_at <= %s) OR (id = %s AND status = %s AND claimed_at = %s)
"""


def _take(message_id, claimed_at, *, accepted=None):
    """Move the message from queued (and due) to sending, in one committed
    UPDATE that only one worker can win; with `accepted` (id, claimed_at),
    the same UPDATE marks that message sent. True when taken."""
    if accepted is None:
        return bool(
            Message.objects.filter(pk=message_id, status=Message.Status.QUEUED, due_at__lte=claimed_at).update(
                status=Message.Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
            )
        )
    accepted_id, accepted_claim = accepted
    connection = transaction.get_connection()
    adapt = connection.ops.adapt_datetimefield_value
    Status = Message.Status
    with connection.cursor() as cursor:
        # Written out, not built by the ORM: compiling this UPDATE's CASEs
        # took more CPU than the rest of a message (1.7 ms; bench.alerts
        # --profile); this is a string and its parameters.
        cursor.execute(
            TAKE_AND_MARK_SENT.format(table=connection.ops.quote_name(Message._meta.db_table)),
            [message_id, Status.SENDING, Status.SENT]
            + [message_id, adapt(claimed_at)]
            + [message_id]
            + [message_id, adapt(timezone.now())]
            + [message_id]
            + [message_id, Status.QUEUED, adapt(claimed_at)]
            + [accepted_id, Status.SENDING, adapt(accepted_claim)],
        )
        changed = cursor.rowcount
    if changed != 1:
        return bool(changed)
    # One row of the two: which one is for the row to say.
    return Message.objects.filter(pk=message_id, status=Message.Status.SENDING, claimed_at=claimed_at).exists()


def _mark_sent(message_id, claimed_at):
    Message.objects.filter(pk=message_id, status=Message.Status.SENDING, claimed_at=claimed_at).update(
        status=Message.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def _close(connection, message_id):
    if connection is None:
        return
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        # The message is accepted or noted as failed already.
        logger.info("Could not close the SMTP connection after message %s", message_id, exc_info=True)


def _note_failure(message, held, error):
    """Try again later, waiting twice as long each time, unless the server
    refused for good (a 5xx reply) or the attempts are used up."""
    last_error = f"{type(error).__name__}: {error}"[:2000]
    attempts = message.attempts
    if _permanent(error) or attempts >= settings.PRESSROOM_OUTBOX_MAX_ATTEMPTS:
        held.update(status=Message.Status.FAILED, last_error=last_error)
        return
    due_at = timezone.now() + timedelta(seconds=settings.PRESSROOM_OUTBOX_RETRY_SECONDS * 2 ** (attempts - 1))
    if held.update(status=Message.Status.QUEUED, due_at=due_at, last_error=last_error):
        enqueue(message.pk, eta=due_at)


def _permanent(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def sweep():
    """Enqueue again the messages no worker is known to hold (see
    MessageQuerySet.lost); a message taken for sending that used up its
    attempts fails instead. Returns how many were enqueued."""
    now = timezone.now()
    Message.objects.lost(now=now).filter(
        status=Message.Status.SENDING, attempts__gte=settings.PRESSROOM_OUTBOX_MAX_ATTEMPTS
    ).update(status=Message.Status.FAILED, last_error="Worker lost while sending, on every attempt")
    lost = list(Message.objects.lost(now=now).order_by("due_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    # Conditional, like every move of a row: one a worker took meanwhile is left to it.
    Message.objects.lost(now=now).filter(pk__in=lost).update(status=Message.Status.QUEUED, due_at=now)
    for message_id in lost:
        enqueue(message_id)
    return len(lost)


def retry(messages):
    """Send failed messages again, with a fresh count of attempts: the
    admin's "retry" action. Returns how many."""
    failed = list(messages.filter(status=Message.Status.FAILED).values_list("pk", flat=True))
    Message.objects.filter(pk__in=failed, status=Message.Status.FAILED).update(
        status=Message.Status.QUEUED, attempts=0, due_at=timezone.now()
    )
    for message_id in failed:
        transaction.on_commit(partial(enqueue, message_id))
    return len(failed)


def send_many(*, kind, key, messages, headers=None, from_email=None):
    """Write one message of `kind` and `key` to each recipient of `messages`
    (an iterable of (to, subject, text, html, headers) with addresses
    already normalized), in bulk, within the caller's transaction, each
    delivered after it commits: what a fan-out writes. Recipients who have
    this message already are skipped, as send() would. Returns how many rows
    were written."""
    messages = list(messages)
    recipients = [to for to, *_rest in messages]
    known = set(Message.objects.filter(kind=kind, key=key, to__in=recipients).values_list("to", flat=True))
    from_email = from_email or settings.DEFAULT_FROM_EMAIL
    rows = [
        Message(
            kind=kind,
            key=key,
            to=to,
            subject=" ".join(subject.split()),
            text=text,
            html=html,
            headers={**(headers or {}), **(own_headers or {})},
            from_email=from_email,
        )
        for to, subject, text, html, own_headers in messages
        if to not in known
    ]
    for row, due_at in zip(rows, _paced(len(rows)), strict=True):
        row.due_at = due_at
    # A row another writer made meanwhile stays as it was (the constraint).
    Message.objects.bulk_create(rows, ignore_conflicts=True)
    written = [row.to for row in rows]
    if written:
        queued = Message.objects.filter(kind=kind, key=key, to__in=written, status=Message.Status.QUEUED)
        batches = defaultdict(list)
        for message_id, due_at in queued.order_by("pk").values_list("pk", "due_at"):
            batches[due_at].append(message_id)
        now = timezone.now()
        for due_at, ids in batches.items():
            # A batch due later waits in a worker (Celery's eta); one due now goes.
            eta = due_at if due_at > now else None
            for start in range(0, len(ids), DELIVERY_BATCH):
                transaction.on_commit(partial(enqueue_many, ids[start : start + DELIVERY_BATCH], eta=eta))
    return len(rows)


def seconds_to_send(count):
    """How long the pace (PRESSROOM_OUTBOX_RATE) takes to send `count` bulk
    messages: 0 without one."""
    rate = settings.PRESSROOM_OUTBOX_RATE
    return count / rate if rate else 0


def _paced(count):
    """The time each of `count` bulk messages is due: now, or with
    PRESSROOM_OUTBOX_RATE, a batch of DELIVERY_BATCH at a time from the end
    of the window the previous bulk messages took (Pace's row, locked until
    the caller commits), the same time for a batch (deliver_many takes only
    what is due). Rows due later are no business of the sweeper's until a
    lease past their time. The window is no longer than what is still
    queued needs: messages held (a paused fan-out) or deleted give their
    time back."""
    now = timezone.now()
    if not settings.PRESSROOM_OUTBOX_RATE or not count:
        return [now] * count
    with transaction.atomic():
        pace, _created = Pace.objects.select_for_update().get_or_create(pk=1, defaults={"next_slot": now})
        # The last batch still queued in the window, and its turn (a retry
        # due later than the window is no part of it).
        in_window = Message.objects.filter(status=Message.Status.QUEUED, due_at__lte=pace.next_slot)
        last = in_window.aggregate(last=Max("due_at"))["last"]
        taken = last + timedelta(seconds=seconds_to_send(DELIVERY_BATCH)) if last else now
        start = max(now, min(pace.next_slot, taken))
        pace.next_slot = start + timedelta(seconds=seconds_to_send(count))
        pace.save(update_fields=["next_slot"])
    return [
        start + timedelta(seconds=seconds_to_send(number // DELIVERY_BATCH * DELIVERY_BATCH)) for number in range(count)
    ]


def enqueue_many(message_ids, *, eta=None):
    """Hand the delivery of several messages to one task (deliver_many), at
    `eta` (a paced fan-out's; the worker keeps the task until then); as
    enqueue, a broker that cannot be reached loses nothing."""
    try:
        current_app.tasks["outbox.deliver_many"].apply_async((message_ids,), eta=eta)
    except OperationalError:
        logger.warning("Broker unreachable: %d outgoing messages wait for the sweeper", len(message_ids), exc_info=True)


def hold(messages):
    """Keep the queued messages of `messages` from being sent until let go
    (a sender's pause). Returns how many were held."""
    return messages.filter(status=Message.Status.QUEUED).update(status=Message.Status.HELD)


def let_go(messages):
    """Queue the held messages of `messages` again. Returns how many."""
    held = list(messages.filter(status=Message.Status.HELD).values_list("pk", flat=True))
    Message.objects.filter(pk__in=held, status=Message.Status.HELD).update(
        status=Message.Status.QUEUED, due_at=timezone.now()
    )
    for message_id in held:
        transaction.on_commit(partial(enqueue, message_id))
    return len(held)


def forget(*, to, kinds):
    """Remove an address from the messages of `kinds` (a person's right to
    be forgotten, or a subscriber who left): those still to be sent are
    deleted, and those done keep their status, for the senders' reports,
    without the address or the text. Returns how many rows changed."""
    to = BaseUserManager.normalize_email(to.strip())
    mine = Message.objects.filter(kind__in=kinds, to=to)
    deleted, _by_model = mine.filter(status__in=[Message.Status.QUEUED, Message.Status.HELD]).delete()
    # Each row's own placeholder, so that (kind, key, to) stays unique.
    placeholder = Concat(Value("forgotten-"), Cast("pk", CharField()), Value("@invalid"))
    done = mine.update(to=placeholder, subject="", text="", html="", headers={}, last_error="")
    return deleted + done
