"""A synthetic archive of press releases, for benchmarks (`manage.py seed_releases`).

The releases refer to the departments, events, delegations and tags of
`shared`, the same in every run. They are drawn from the run's own seed: the
same seed on the same database gives the same releases. Each release gets the
id that follows the highest in the database, and a slug that ends in that id,
so that a second run adds to the first without a clash (a release written in
the admin at the same time could take an id first: seed an idle database).

The releases are drawn as plain rows, a chunk at a time, and written by
`loading`, each chunk in its own transaction, so memory stays bounded
whatever the count.
"""

import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from django.conf import settings
from django.db.models import Max
from django.utils import translation

from releases import events
from releases.models import Release, TagCount

from . import lexicon, loading, text
from .shared import SharedRecords, random_age

CHUNK_SIZE = 5_000

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
        self.by_language.update(seeded.language for seeded in chunk)
        self.by_status.update(seeded.drawn_status for seeded in chunk)
        self.tag_links += sum(len(seeded.tag_ids) for seeded in chunk)
        self.delegation_links += sum(len(seeded.delegation_ids) for seeded in chunk)


@dataclass(slots=True)
class SeededRelease:
    """One language version: the values of its row, named after the columns
    (loading.RELEASE_COLUMNS), and its links."""

    language: str
    title: str
    slug: str
    lead: str
    body: str
    status: str
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    drawn_status: str  # a key of STATUS_WEIGHTS: "scheduled" is stored as published
    id: int | None = None
    translation_key: uuid.UUID | None = None
    department_id: int | None = None
    event_id: int | None = None
    withdrawn_at: datetime | None = None
    withdrawal_reason: str = ""
    version: int = 1
    tag_ids: set = field(default_factory=set)
    delegation_ids: list = field(default_factory=list)


def weighted(weights):
    """(values, cumulative weights) for random.choices."""
    return list(weights), list(accumulate(weights.values()))


def utc_midnight_today():
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


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
                seeded.id = self.first_id + number
                seeded.slug = f"{seeded.slug}-{seeded.id}"
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
            seeded = self.version(language, status, slots, lead, published_at)
            seeded.translation_key = key
            seeded.department_id = department
            seeded.event_id = event_id
            seeded.tag_ids = {shared.tags[language][concept] for concept in concepts}
            seeded.delegation_ids = delegation_ids
            yield seeded

    def version(self, language, status, slots, lead, published_at):
        rng = self.rng
        title = text.title(language, slots)
        seeded = SeededRelease(
            language=language,
            title=title,
            slug=text.base_slug(title, "release"),
            lead=" ".join(text.sentence(language, *indices) for indices in lead),
            body=self.body(language),
            status=Release.Status.PUBLISHED if status == "scheduled" else status,
            published_at=published_at,
            created_at=published_at - timedelta(minutes=rng.randrange(30, 4000)),
            updated_at=published_at + timedelta(minutes=rng.randrange(0, 120)),
            drawn_status=status,
        )
        if status == "scheduled":
            seeded.published_at = self.today + timedelta(days=1 + rng.randrange(60), hours=rng.randrange(5, 14))
            seeded.created_at = seeded.updated_at = self.today - timedelta(minutes=rng.randrange(60, 10000))
        elif status in ("draft", "in_review"):
            seeded.published_at = None
        elif status == "withdrawn":
            seeded.withdrawn_at = min(published_at + timedelta(days=rng.randrange(1, 30)), self.today)
            seeded.updated_at = seeded.withdrawn_at
            seeded.withdrawal_reason = rng.choice(lexicon.WITHDRAWAL_REASONS)
        return seeded

    def body(self, language):
        rng, pool = self.rng, self.pools[language]
        return "".join(
            f"<p>{' '.join(rng.choices(pool, k=rng.randint(*SENTENCES_PER_PARAGRAPH)))}</p>"
            for _ in range(rng.randint(*PARAGRAPHS))
        )


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

    def done(chunk):
        report.add(chunk)
        progress(report.releases, count)

    loading.insert_all(writer.chunks(count, chunk_size), done)
    loading.reset_sequence()
    report.seconds["releases"] = time.monotonic() - releases_started
    counts_started = time.monotonic()
    # Bulk inserts send no signals: count every tag again, in one pass.
    TagCount.objects.refresh()
    report.seconds["tag counts"] = time.monotonic() - counts_started
    # Written with COPY, past the querysets and their signals: announced here.
    events.content_changed(Release)
    analyze_started = time.monotonic()
    loading.analyze()
    report.seconds["statistics"] = time.monotonic() - analyze_started
    report.seconds["total"] = time.monotonic() - started
    return report
