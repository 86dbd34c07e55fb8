"""Public reads from a read replica (README, "Read replicas"), with
DATABASE_REPLICA_URL set: the `replica` database.

A request reads from the replica when all of these hold, decided once when
its view is chosen: it is a GET or HEAD of a public page (a view wrapped in
`serving.pagecache.public_page`: lists, release pages, feeds, sitemaps, the
API), its client has not written in the last PRESSROOM_REPLICA_MAX_LAG_SECONDS
(a cookie set on every other method's answer, so that one sees one's own
change at once), no change to public content has committed in that time
(shared through the cache, so that no page is kept from a replica that has
not caught up: the page cache is emptied at each change), and the replica
answers with less lag than that, checked every CHECK_SECONDS by each process.
Everything else, and every write, goes to the primary.
"""

import contextvars
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

from serving.outage import is_database_unavailable

logger = logging.getLogger(__name__)

REPLICA = "replica"
RECENT_WRITER_COOKIE = "pressroom_wrote"
HOLD_KEY = "pressroom:replica-hold-until"
CHECK_SECONDS = 2

# Read from the primary whatever the request: the page cache's version of
# the public content (a page kept under a version the replica has not seen
# would outlive it), and who the reader is.
PRIMARY_ONLY_APPS = {"serving", "sessions", "auth", "axes"}

_reading_replica = contextvars.ContextVar("reading_replica", default=False)

# Seconds behind the primary, a replay position not yet reached counting as
# the time since the last transaction replayed (PostgreSQL's own measure).
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
       END
"""


def configured():
    return REPLICA in settings.DATABASES


def read_alias():
    """The database the current request reads from."""
    return REPLICA if _reading_replica.get() else "default"


class PrimaryReplicaRouter:
    """Reads of public pages to the replica (see the module's docstring),
    every write and every other read to the primary; no migration on the
    replica, which is a copy of the primary."""

    def db_for_read(self, model, **hints):
        return "default" if model._meta.app_label in PRIMARY_ONLY_APPS else read_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReplicaHealth:
    """Whether the replica is usable, asked of it at most every
    CHECK_SECONDS in each process."""

    def __init__(self):
        self.checked_at, self.usable = float("-inf"), False

    def __call__(self):
        now = time.monotonic()
        if now - self.checked_at >= CHECK_SECONDS:
            self.checked_at, self.usable = now, self.ask()
        return self.usable

    def failed(self):
        self.checked_at, self.usable = time.monotonic(), False

    def ask(self):
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute(LAG_SQL)
                in_recovery, lag = cursor.fetchone()
        except DatabaseError as error:
            logger.warning("Read replica unavailable, public reads go to the primary: %s", error)
            connections[REPLICA].close()
            return False
        if float(lag) > settings.PRESSROOM_REPLICA_MAX_LAG_SECONDS:
            logger.warning("Read replica %.1f s behind, public reads go to the primary", float(lag))
            return False
        return bool(in_recovery)


replica_usable = ReplicaHealth()


def hold_primary():
    """After a change to public content has committed: reads stay on the
    primary for as long as the replica may lag."""
    if configured():
        cache.set(
            HOLD_KEY,
            time.time() + settings.PRESSROOM_REPLICA_MAX_LAG_SECONDS,
            settings.PRESSROOM_REPLICA_MAX_LAG_SECONDS,
        )


class ReplicaReadsMiddleware:
    """Decides, when the view is known, where the request reads from; marks
    a client that writes so that its next reads see its change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reading_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _reading_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") and configured():
            response.set_cookie(
                RECENT_WRITER_COOKIE,
                "1",
                max_age=settings.PRESSROOM_REPLICA_MAX_LAG_SECONDS,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (
            configured()
            and request.method in ("GET", "HEAD")
            and hasattr(view_func, "public_query")
            and RECENT_WRITER_COOKIE not in request.COOKIES
            and (cache.get(HOLD_KEY) or 0) < time.time()
            and replica_usable()
        ):
            return None
        # The view runs here, rendered here too (a list's queries run as its
        # template renders), so that a replica that went away since its last
        # check costs the reader nothing: the page is read again from the
        # primary. A public page's GET changes nothing: running it twice is safe.
        _reading_replica.set(True)
        try:
            return rendered(view_func(request, *view_args, **view_kwargs))
        except DatabaseError as error:
            if not is_database_unavailable(error):
                raise
            logger.warning("Read replica unavailable, public reads go to the primary: %s", error)
            replica_usable.failed()
            connections[REPLICA].close()
        _reading_replica.set(False)
        return rendered(view_func(request, *view_args, **view_kwargs))


def rendered(response):
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response
