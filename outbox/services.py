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
from datetime import timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from outbox.models import Message

logger = logging.getLogger(__name__)

# The most lost messages one sweep enqueues again; the next sweep takes the rest.
SWEEP_BATCH = 1000


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
    claimed_at = timezone.now()
    claimed = Message.objects.filter(pk=message_id, status=Message.Status.QUEUED, due_at__lte=claimed_at).update(
        status=Message.Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
    )
    if not claimed:
        return
    message = Message.objects.get(pk=message_id)
    held = Message.objects.filter(pk=message_id, status=Message.Status.SENDING, claimed_at=claimed_at)
    connection = mail.get_connection(fail_silently=False)
    try:
        try:
            connection.open()
            connection.send_messages([message.as_email(connection=connection)])
        except Exception as error:
            logger.warning("Could not send outgoing message %s", message_id, exc_info=True)
            _note_failure(message, held, error)
            return
        # Before the connection's QUIT: the narrowest window there is
        # between the server's acceptance and the row saying so.
        held.update(status=Message.Status.SENT, sent_at=timezone.now(), last_error="")
    finally:
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
