"""The cache in Redis, built to degrade rather than fail (README, "Outages").

Every call waits at most the socket timeouts given in OPTIONS
(PRESSROOM_REDIS_TIMEOUT_MS), and a circuit breaker keeps a dead or hung
Redis from costing that wait on every call: after one failure, every call
answers at once as a cache miss would (nothing found, nothing kept) for
`retry_after` seconds; the first call after that tries Redis again. So the
cache's users (the page cache, presence in the admin, the admin's filters)
carry on without it, each as if its cache were empty, and a warning in the
log (`pressroom.redis`) marks each outage and its end.
"""

import logging
import os
import threading
import time
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.dispatch import Signal
from redis.exceptions import RedisError

from serving.metrics import CACHE_SECONDS

logger = logging.getLogger("pressroom.redis")

# Sent when Redis answers again after an outage: what was written to the
# database meanwhile may have left kept copies stale (serving/pagecache.py).
reachable_again = Signal()

UNAVAILABLE = object()


class CircuitBreaker:
    """Closed, calls go through; the first failure opens it, and for
    `retry_after` seconds every call gets its fallback without trying. The
    first call after that tries again: success closes the breaker, failure
    opens it for another `retry_after` seconds."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        self.open_until = None

    @property
    def is_open(self):
        return self.open_until is not None and time.monotonic() < self.open_until

    def call(self, operation, fallback):
        if self.is_open:
            CACHE_SECONDS.labels("skipped").observe(0)
            return fallback
        started = time.perf_counter()
        try:
            result = operation()
        except RedisError as error:
            CACHE_SECONDS.labels("failed").observe(time.perf_counter() - started)
            if self.open_until is None:
                logger.warning("Redis unavailable, the cache is off for now: %s", error)
            self.open_until = time.monotonic() + self.retry_after
            return fallback
        CACHE_SECONDS.labels("ok").observe(time.perf_counter() - started)
        if self.open_until is not None:
            self.open_until = None
            logger.warning("Redis available again, the cache is back on")
            reachable_again.send(sender=type(self))
        return result


class PersistentRedisCacheClient(RedisCacheClient):
    """Django's client of Redis, making its redis.Redis once per connection
    pool rather than at every call, as Django's does: that took a third of
    the time of a kept page (README, "Caching"). A redis.Redis holds no
    connection of its own (its pool lends one to each command), so one
    serves every thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, each call through a CircuitBreaker, with a
    persistent client. OPTIONS as Django's, plus `retry_after` (seconds,
    default 5)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.breaker = CircuitBreaker(retry_after=options.pop("retry_after", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = PersistentRedisCacheClient
        self._own = threading.local()

    @property
    def is_available(self):
        """False while the breaker is open: Redis failed a moment ago."""
        return not self.breaker.is_open

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.breaker.call(partial(super().add, key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self.breaker.call(partial(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.breaker.call(partial(super().set, key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.breaker.call(partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        return self.breaker.call(partial(super().delete, key, version), False)

    def get_many(self, keys, version=None):
        return self.breaker.call(partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self.breaker.call(partial(super().has_key, key, version), False)

    def incr(self, key, delta=1, version=None):
        result = self.breaker.call(partial(super().incr, key, delta, version), UNAVAILABLE)
        if result is UNAVAILABLE:
            # What Django's caches raise for a key they do not keep.
            raise ValueError(f"Key {key!r} not found: the cache is unavailable.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys that could not be kept: all of them.
        return self.breaker.call(partial(super().set_many, data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        self.breaker.call(partial(super().delete_many, keys, version), None)

    def clear(self):
        return self.breaker.call(super().clear, False)

    def get_many_at_once(self, keys):
        """get_many, through the breaker, over a connection of this thread's
        own, kept open (made again after a failure or in a forked child):
        for KeptPages (serving/pagecache.py), which asks once per request and
        would spend more than the round trip itself in redis-py's client and
        pool (74 µs of CPU against 24 µs, measured)."""
        return self.breaker.call(partial(self._get_many_at_once, keys), {})

    def _get_many_at_once(self, keys):
        connection = self._own_connection()
        names = [self.make_key(key) for key in keys]
        try:
            connection.send_command("MGET", *names)
            values = connection.read_response()
        except RedisError:
            connection.disconnect()
            raise
        loads = self._cache._serializer.loads
        return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}

    def _own_connection(self):
        own = getattr(self._own, "connection", None)
        if own is None or own[0] != os.getpid():
            pool = self._cache._get_connection_pool(write=False)
            own = self._own.connection = (os.getpid(), pool.connection_class(**pool.connection_kwargs))
        return own[1]
