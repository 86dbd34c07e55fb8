"""Writing drawn releases to the database, a chunk at a time.

Each chunk is one transaction: its releases, their tag links (with the
copies of each release's language, status and publication time that
TaggedRelease carries) and their links to delegations. Rows are written as
plain tuples: a model instance and Django's preparation of every value would
cost more than the database's work. On PostgreSQL they go in with COPY, on
INSERTERS connections at once, while this thread draws the next chunk; the
search-vector trigger (migration 0003) fills each release's vector as its
row arrives, about half of the server's work, so nothing that keeps the
vector is ever disabled.
"""

import io
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from operator import attrgetter

from django.core.management.color import no_style
from django.db import connection, connections, transaction

from releases.models import Release, TaggedRelease

from .shared import LOOKUP_BATCH, batches

# Threads that write chunks on PostgreSQL, each on its own connection: the
# server's work, most of the whole, then spreads over the cores. On 2 cores,
# a million releases took 488 s this way, 738 s on one connection in one
# transaction, even with the plain indexes dropped for the load and built
# again after; a third thread gains nothing.
INSERTERS = 2
# Release columns as written; the others keep their defaults (NULL), and
# the trigger fills search_vector.
RELEASE_COLUMNS = (
    "id",
    "language",
    "translation_key",
    "title",
    "slug",
    "lead",
    "body",
    "status",
    "published_at",
    "withdrawn_at",
    "withdrawal_reason",
    "created_at",
    "updated_at",
    "department_id",
    "event_id",
    "version",
)
release_row = attrgetter(*RELEASE_COLUMNS)
TAG_LINK_COLUMNS = ("content_object_id", "tag_id", "language", "status", "published_at")
DELEGATION_LINK_COLUMNS = ("release_id", "delegation_id")


def insert_all(chunks, done):
    """Insert the chunks, calling `done(chunk)` for each once it is written.

    On PostgreSQL, outside any transaction, INSERTERS threads insert while this
    one draws the next chunk. Inside a transaction (the test suite's), or on
    SQLite, which writes one transaction at a time, the chunks are inserted in
    turn on this thread's connection.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        for chunk in chunks:
            insert(chunk)
            done(chunk)
        return
    with ThreadPoolExecutor(max_workers=INSERTERS, thread_name_prefix="seed-insert") as pool:
        pending = deque()
        for chunk in chunks:
            if len(pending) == INSERTERS:
                done(wait(*pending.popleft()))
            pending.append((chunk, pool.submit(insert_in_thread, chunk)))
        while pending:
            done(wait(*pending.popleft()))


def wait(chunk, future):
    future.result()
    return chunk


def insert_in_thread(chunk):
    try:
        insert(chunk)
    finally:
        # Each chunk on a connection of its own: a thread's connection is
        # closed only by the thread itself.
        connections.close_all()


def insert(chunk):
    """Write one chunk of SeededRelease, with its links, in one transaction."""
    free_slugs(chunk)
    with transaction.atomic():
        lift_statement_timeout()
        insert_rows(Release, RELEASE_COLUMNS, [release_row(seeded) for seeded in chunk])
        insert_rows(
            TaggedRelease,
            TAG_LINK_COLUMNS,
            [
                (seeded.id, tag_id, seeded.language, seeded.status, seeded.published_at)
                for seeded in chunk
                for tag_id in seeded.tag_ids
            ],
        )
        insert_rows(
            Release.delegations.through,
            DELEGATION_LINK_COLUMNS,
            [(seeded.id, delegation_id) for seeded in chunk for delegation_id in seeded.delegation_ids],
        )
    # With DEBUG on, Django keeps the SQL of each connection's last 9,000
    # queries, free_slugs' long lists of slugs among them: hundreds of
    # megabytes over a million releases, unless dropped.
    connection.queries_log.clear()


def lift_statement_timeout():
    """For the rest of the transaction: a bulk load's statements may outlast
    the site's statement timeout (DATABASE_STATEMENT_TIMEOUT), meant for
    page requests."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")


def free_slugs(releases):
    """Give a release whose slug is taken already (by a release written by
    hand, say) another: the numbers make that rare, not impossible."""
    for language in {release.language for release in releases}:
        mine = {release.slug: release for release in releases if release.language == language}
        for slugs in batches(mine, LOOKUP_BATCH):
            taken = Release.objects.filter(language=language, slug__in=slugs).values_list("slug", flat=True)
            for slug in taken:
                mine[slug].slug = f"{slug}-{uuid.uuid4().hex[:8]}"


def insert_rows(model, columns, rows):
    """Insert plain tuples of column values into `model`'s table."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg2's COPY; times in ISO 8601 with their offset.
            text = "".join("\t".join(map(copy_value, row)) + "\n" for row in rows)
            cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", io.StringIO(text))
            return
        # Elsewhere, each value as the model's field would store it (naive
        # UTC text for times, hexadecimal for UUIDs on SQLite).
        prepare = [model._meta.get_field(column).get_db_prep_save for column in columns]
        rows = [tuple(p(value, connection) for p, value in zip(prepare, row, strict=True)) for row in rows]
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)


def copy_value(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        # A backslash, a tab or a line end is escaped (four replaces are
        # several times as fast as one str.translate).
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def reset_sequence():
    """Move the id sequence past the ids given, for releases added later."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Release])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze():
    """Fresh planner statistics, since after a bulk load the old ones
    mislead; on PostgreSQL also the visibility map (VACUUM), without which
    the lists' index-only scans visit the table for every row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # VACUUM cannot run in a transaction, so the timeout is lifted
            # for the session, then put back.
            cursor.execute("SET statement_timeout = 0")
            try:
                cursor.execute("VACUUM ANALYZE")
            finally:
                cursor.execute("RESET statement_timeout")
        elif connection.vendor in ("postgresql", "sqlite"):  # in a transaction (a test's): statistics only
            with transaction.atomic():
                lift_statement_timeout()
                cursor.execute("ANALYZE")
