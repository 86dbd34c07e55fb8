"""What the outbox announces to the apps that send through it, once the
change commits; receivers get plain values, as for releases/events.py."""

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# A sent message came back (outbox/bounces.py): `message_pk`, `kind`, `key`,
# `to`, and `permanent` (True for a 5.x.x status: the address does not take
# mail; False for a failure the receiving side may get over).
message_bounced = Signal()


def bounced(*, message_pk, kind, key, to, permanent):
    transaction.on_commit(partial(_send, message_bounced, locals()))


def _send(signal, kwargs):
    for receiver, result in signal.send_robust(sender=None, **kwargs):
        if isinstance(result, Exception):
            logger.error("%s failed on %s", receiver, kwargs, exc_info=result)
