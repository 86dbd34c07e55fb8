"""The bounce reader: delivery status notifications (RFC 3464) that come
back to the address messages are sent from, read from a Maildir folder.

A DSN names the message it returns by that message's own headers (a
`message/rfc822` or `text/rfc822-headers` part): its Message-ID is the
outbox row's (each row keeps its own, outbox/models.py). A recipient whose
`Action` is "failed" makes the row "bounced"; a status 5.x.x is a permanent
failure (no such user, no such domain), 4.x.x one that may pass. A "delayed"
or "delivered" report changes nothing. Each bounce is announced once, as
`outbox.signals.message_bounced`."""

import email
import logging
import mailbox
from dataclasses import dataclass
from email import policy

from django.db import transaction

from outbox import signals
from outbox.models import Message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bounce:
    message_id: str
    recipient: str
    status: str

    @property
    def permanent(self):
        return self.status.startswith("5.")


def parse_dsn(raw):
    """The Bounce a DSN (bytes) reports, or None when it is no DSN, reports
    no failure, or does not name the message it returns."""
    report = email.message_from_bytes(raw, policy=policy.compat32)
    if report.get_content_type() != "multipart/report":
        return None
    message_id, failure = None, None
    for part in report.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            # One block of fields for the message, then one per recipient.
            for fields in part.get_payload()[1:]:
                action = (fields.get("Action") or "").strip().lower()
                status = (fields.get("Status") or "").strip().split(" ")[0]
                if action == "failed" and failure is None:
                    recipient = (fields.get("Final-Recipient") or fields.get("Original-Recipient") or "").strip()
                    failure = (recipient.rpartition(";")[2].strip(), status)
        elif content_type == "message/rfc822":
            returned = part.get_payload()
            returned = returned[0] if isinstance(returned, list) else returned
            message_id = message_id or returned.get("Message-ID")
        elif content_type == "text/rfc822-headers":
            headers = email.message_from_string(part.get_payload(decode=True).decode("utf-8", "replace"))
            message_id = message_id or headers.get("Message-ID")
    if failure is None or not message_id:
        return None
    return Bounce(message_id=message_id.strip(), recipient=failure[0], status=failure[1])


def record(bounce):
    """Mark the returned message bounced and announce it, once; returns the
    outbox row, or None when the message is not one of ours or was marked
    already."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(message_id=bounce.message_id)
            .exclude(status=Message.Status.BOUNCED)
            .first()
        )
        if message is None:
            return None
        message.status = Message.Status.BOUNCED
        message.last_error = f"Bounced: {bounce.status} ({bounce.recipient})"[:2000]
        message.save(update_fields=["status", "last_error"])
        signals.bounced(
            message_pk=message.pk, kind=message.kind, key=message.key, to=message.to, permanent=bounce.permanent
        )
    return message


def read_maildir(path):
    """Read every unseen message of the Maildir folder `path`, record the
    bounces among them and mark each message seen (moved to cur/, flag S),
    so that a message is read once. Returns (messages read, bounces recorded)."""
    folder = mailbox.Maildir(path, factory=None, create=False)
    read = recorded = 0
    for key in list(folder.iterkeys()):
        item = folder[key]
        if "S" in item.get_flags():
            continue
        bounce = parse_dsn(item.as_bytes())
        if bounce and record(bounce):
            recorded += 1
        elif bounce is None:
            logger.info("Bounce mailbox: message %s is not a failure report, left as read", key)
        item.set_subdir("cur")
        item.add_flag("S")
        folder[key] = item
        read += 1
    return read, recorded
