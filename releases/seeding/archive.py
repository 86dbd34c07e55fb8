"""A synthetic archive of press releases, for benchmarks (`manage.py seed_releases`).

The releases refer to the departments, events, delegations and tags of
`shared`, the same in every run. They are drawn from the run's own seed: the
same seed on the same database gives the same releases. Each release gets the
id that follows the highest in the database, and a slug that ends in that id,
so that a second run adds to the first without a clash (a release written in
the admin at the same time could take an id first: seed an idle database).

Everything is written with bulk inserts, a chunk of releases at a time, each
chunk in its own transaction, so memory stays bounded whatever the count. On
PostgreSQL the search-vector trigger (migration 0003) fills each row's vector
as it is inserted: about two thirds of the server's work.
"""

import random
import time
import uuid
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import NamedTuple

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.models import Max
from django.utils import translation

from releases.models import Release, TagCount, TaggedRelease

from . import lexicon, text
from .shared import LOOKUP_BATCH, SharedRecords, batches, random_age

CHUNK_SIZE = 5_000
# Threads that insert chunks on PostgreSQL, each on its own connection, while
# the main thread draws the next chunk: the server's work, two thirds of the
# whole, then spreads over the cores (50,000 releases: about 1.4 times as
# fast as one connection on 2 cores; a third thread gains nothing more).
INSERTERS = 2

# A release is written first in one language, then perhaps translated.
FIRST_LANGUAGE_WEIGHTS = {"az": 45, "en": 35, "ru": 20}
VERSIONS_WEIGHTS = {1: 50, 2: 25, 3: 25}
# Out of 1,000 language versions; "scheduled" is published with a future time.
STATUS_WEIGHTS = {"published": 920, "scheduled": 20, "draft": 30, "in_review": 15, "withdrawn": 15}
TAGS_PER_RELEASE_WEIGHTS = {2: 10, 3: 25, 4: 30, 5: 20, 6: 15}
EVENT_SHARE = 0.6
PARAGRAPHS = (3, 8)
SENTENCES_PER_PARAGRAPH = (2, 5)
SENTENCE_POOL = 20_000


@dataclass
class SeedingReport:
    releases: int = 0
    by_language: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)
    tag_links: int = 0
    delegation_links: int = 0
    created: Counter = field(default_factory=Counter)
    reused: Counter = field(default_factory=Counter)
    seconds: dict = field(default_factory=dict)

    def add(self, chunk):
        self.releases += len(chunk)
        self.by_language.update(seeded.release.language for seeded in chunk)
        self.by_status.update(seeded.status for seeded in chunk)
        self.tag_links += sum(len(seeded.tag_ids) for seeded in chunk)
        self.delegation_links += sum(len(seeded.delegation_ids) for seeded in chunk)


class SeededRelease(NamedTuple):
    release: Release
    status: str  # a key of STATUS_WEIGHTS
    tag_ids: set
    delegation_ids: list


def weighted(weights):
    """(values, cumulative weights) for random.choices."""
    return list(weights), list(accumulate(weights.values()))


def utc_midnight_today():
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


@contextmanager
def explicit_timestamps():
    """Let bulk_create store the creation and update times given to each
    release: auto_now and auto_now_add would give every row the time of the
    run, so that sitemaps, feeds and Last-Modified headers would all agree."""
    fields = [Release._meta.get_field("created_at"), Release._meta.get_field("updated_at")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class ReleaseWriter:
    """Draws the releases of one run, a chunk at a time."""

    def __init__(self, shared, *, seed, today, first_id):
        self.shared = shared
        self.rng = random.Random(seed)
        self.today = today
        self.first_id = first_id
        self.pools = {language: text.sentence_pool(self.rng, language, SENTENCE_POOL) for language in lexicon.ORDER}
        self.first_languages = weighted(FIRST_LANGUAGE_WEIGHTS)
        self.version_counts = weighted(VERSIONS_WEIGHTS)
        self.statuses = weighted(STATUS_WEIGHTS)
        self.tag_counts = weighted(TAGS_PER_RELEASE_WEIGHTS)

    def draw(self, choices):
        values, cum_weights = choices
        return self.rng.choices(values, cum_weights=cum_weights)[0]

    def chunks(self, count, size):
        """Lists of at most `size` SeededRelease."""
        chunk, number, group = [], 0, 0
        while number < count:
            for seeded in self.group(group):
                seeded.release.pk = self.first_id + number
                seeded.release.slug = f"{seeded.release.slug}-{seeded.release.pk}"
                chunk.append(seeded)
                number += 1
                if len(chunk) == size or number == count:
                    yield chunk
                    chunk = []
                if number == count:
                    return
            group += 1

    def group(self, group):
        """The language versions of one release."""
        rng, shared = self.rng, self.shared
        first = self.draw(self.first_languages)
        others = [language for language in lexicon.ORDER if language != first]
        rng.shuffle(others)
        languages = [first, *others[: self.draw(self.version_counts) - 1]]
        slots = text.random_title_slots(rng)
        lead = [text.random_sentence_indices(rng) for _ in range(rng.choice((1, 2)))]
        department = rng.choices(shared.departments, cum_weights=shared.department_weights)[0]
        event_id, delegation_ids, moment = None, [], None
        if rng.random() < EVENT_SHARE:
            index = rng.randrange(len(shared.events))
            event_id = shared.events[index]
            on_record = shared.delegations.get(event_id, [])
            if on_record and rng.random() < 0.8:
                delegation_ids = rng.sample(on_record, min(len(on_record), rng.choice((1, 1, 1, 2))))
            start = datetime.combine(shared.event_dates[index], datetime.min.time(), tzinfo=UTC)
            moment = start + timedelta(days=rng.randrange(-2, 3))
        if moment is None or moment >= self.today:
            moment = self.today - timedelta(days=random_age(rng))
        # Office hours in Baku (UTC+4).
        moment = moment.replace(hour=rng.randrange(5, 14), minute=rng.randrange(60), second=rng.randrange(60))
        if moment >= self.today:
            moment -= timedelta(days=1)
        # Distinct subjects in the order drawn, so that popular ones stay popular.
        draws = rng.choices(range(len(shared.tags["en"])), cum_weights=shared.tag_weights, k=10)
        concepts = list(dict.fromkeys(draws))[: self.draw(self.tag_counts)]
        key = uuid.uuid5(uuid.NAMESPACE_OID, f"pressroom-seed-{self.first_id}-{group}")
        for position, language in enumerate(languages):
            published_at = moment + timedelta(minutes=rng.randrange(0, 240) if position else 0)
            status = self.draw(self.statuses)
            release = self.version(language, status, slots, lead, published_at)
            release.translation_key = key
            release.department_id = department
            release.event_id = event_id
            tag_ids = {shared.tags[language][concept] for concept in concepts}
            yield SeededRelease(release, status, tag_ids, delegation_ids)

    def version(self, language, status, slots, lead, published_at):
        rng = self.rng
        title = text.title(language, slots)
        release = Release(
            language=language,
            title=title,
            slug=text.base_slug(title, "release"),
            lead=" ".join(text.sentence(language, *indices) for indices in lead),
            body=self.body(language),
            status=Release.Status.PUBLISHED if status == "scheduled" else status,
            published_at=published_at,
            created_at=published_at - timedelta(minutes=rng.randrange(30, 4000)),
            updated_at=published_at + timedelta(minutes=rng.randrange(0, 120)),
        )
        if status == "scheduled":
            release.published_at = self.today + timedelta(days=1 + rng.randrange(60), hours=rng.randrange(5, 14))
            release.created_at = release.updated_at = self.today - timedelta(minutes=rng.randrange(60, 10000))
        elif status in ("draft", "in_review"):
            release.published_at = None
        elif status == "withdrawn":
            release.withdrawn_at = min(published_at + timedelta(days=rng.randrange(1, 30)), self.today)
            release.updated_at = release.withdrawn_at
            release.withdrawal_reason = rng.choice(lexicon.WITHDRAWAL_REASONS)
        return release

    def body(self, language):
        rng, pool = self.rng, self.pools[language]
        return "".join(
            f"<p>{' '.join(rng.choices(pool, k=rng.randint(*SENTENCES_PER_PARAGRAPH)))}</p>"
            for _ in range(rng.randint(*PARAGRAPHS))
        )


def free_slugs(releases):
    """Give a release whose slug is taken already (by a release written by
    hand, say) another: the numbers make that rare, not impossible."""
    for language in lexicon.ORDER:
        mine = {release.slug: release for release in releases if release.language == language}
        for slugs in batches(mine, LOOKUP_BATCH):
            taken = Release.objects.filter(language=language, slug__in=slugs).values_list("slug", flat=True)
            for slug in taken:
                mine[slug].slug = f"{slug}-{uuid.uuid4().hex[:8]}"


def lift_statement_timeout():
    """For the rest of the transaction: a bulk load's statements may outlast
    the site's statement timeout (DATABASE_STATEMENT_TIMEOUT), which is meant
    for page requests."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")


def insert(chunk):
    releases = [seeded.release for seeded in chunk]
    free_slugs(releases)
    through = Release.delegations.through
    with transaction.atomic():
        lift_statement_timeout()
        Release.objects.bulk_create(releases, batch_size=1000)
        insert_rows(
            TaggedRelease,
            ["content_object_id", "tag_id", "language", "status", "published_at"],
            [
                (s.release.pk, tag_id, s.release.language, s.release.status, s.release.published_at)
                for s in chunk
                for tag_id in s.tag_ids
            ],
        )
        insert_rows(
            through,
            ["release_id", "delegation_id"],
            [(s.release.pk, delegation_id) for s in chunk for delegation_id in s.delegation_ids],
        )
    # With DEBUG on, Django keeps the SQL of the last 9,000 queries: a
    # gigabyte of release bodies, unless dropped.
    connection.queries_log.clear()


def insert_rows(model, columns, rows, batch_size=5000):
    """Insert plain tuples into `model`'s table: for the link tables, a
    model instance and Django's preparation of every value cost more than
    the database's work."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            if connection.vendor == "postgresql":
                from psycopg2.extras import execute_values

                execute_values(cursor.cursor, f"INSERT INTO {table} ({names}) VALUES %s", batch, page_size=batch_size)
            else:
                # Times as Django writes them there (naive UTC text).
                adapt = connection.ops.adapt_datetimefield_value
                batch = [
                    tuple(adapt(value) if isinstance(value, datetime) else value for value in row) for row in batch
                ]
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", batch)


def insert_in_thread(chunk):
    try:
        insert(chunk)
    finally:
        # Each chunk on a connection of its own: a thread's connection is
        # closed only by the thread itself.
        connections.close_all()


def insert_all(chunks, report, progress):
    """Insert the chunks, reporting each as it is done.

    On PostgreSQL, outside any transaction, INSERTERS threads insert while this
    one draws the next chunk. Inside a transaction (the test suite's), or on
    SQLite, which writes one transaction at a time, the chunks are inserted in
    turn on this thread's connection.
    """

    def done(chunk):
        report.add(chunk)
        progress(report.releases)

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


def seed_archive(*, count, seed, progress=None, chunk_size=CHUNK_SIZE):
    """Add `count` synthetic releases (language versions counted one by one)
    and the records they refer to; returns a SeedingReport."""
    with translation.override(settings.LANGUAGE_CODE):
        return _seed_archive(count=count, seed=seed, progress=progress, chunk_size=chunk_size)


def _seed_archive(*, count, seed, progress, chunk_size):
    # modeltranslation reads and writes `name`, `title`... in the active
    # language; the unique columns hold the default language's text.
    report = SeedingReport()
    started = time.monotonic()
    today = utc_midnight_today()
    shared = SharedRecords(report, today=today)
    report.seconds["shared records"] = time.monotonic() - started
    first_id = (Release.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    writer = ReleaseWriter(shared, seed=seed, today=today, first_id=first_id)
    releases_started = time.monotonic()
    progress = progress or (lambda done, total: None)
    progress(0, count)
    with explicit_timestamps():
        insert_all(writer.chunks(count, chunk_size), report, lambda done: progress(done, count))
    reset_sequence()
    report.seconds["releases"] = time.monotonic() - releases_started
    counts_started = time.monotonic()
    # Bulk inserts send no signals: count every tag again, in one pass.
    TagCount.objects.refresh()
    report.seconds["tag counts"] = time.monotonic() - counts_started
    analyze_started = time.monotonic()
    analyze()
    report.seconds["statistics"] = time.monotonic() - analyze_started
    report.seconds["total"] = time.monotonic() - started
    return report
