"""The Redis broker (CELERY_BROKER_URL redis://... or rediss://...): kombu's
Redis transport, with a channel whose connection is gone failing as a lost
connection rather than as a bug.

When Redis goes away, the worker's consumer collects its connection: kombu
(5.7) then sets the transport's `client` (the URL's parts) to None, while the
old channels, whose close failed for want of Redis, keep their transport. A
task that finishes after that acknowledges its message on such a channel;
the channel builds a new connection pool from `client` and fails with an
AttributeError, which Celery does not expect from an acknowledgement: the
worker stopped (tests/test_queue.py saw a fan-out stop at 101 of 300 after
Redis was restarted). Here the channel raises the transport's own
ConnectionError instead, which Celery logs ("Couldn't ack") and survives;
the message's delivery tag meant nothing to the new connection anyway, and
the outbox's sweeper takes any message Redis lost. pressroom/celery.py
registers this transport under kombu's names for it.
"""

from kombu.transport import redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise RedisConnectionError("This channel's broker connection was closed.")
        return super()._connparams(asynchronous=asynchronous)


class Transport(redis.Transport):
    Channel = Channel
