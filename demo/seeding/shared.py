"""The records synthetic releases refer to: departments, events with their
delegations, and tags. They are drawn from fixed seeds, one per kind, so that
every run draws the same ones, and reused when they exist already (the same
slug, or for departments and tags the same name): every run adds
releases to one archive."""

import random
from datetime import timedelta
from itertools import accumulate

from django.db import transaction

from releases.models import Delegation, DelegationMember, Department, Event, Tag
from releases.tagnames import tag_key

from . import lexicon, text

SHARED_SEED = "pressroom-archive"
EVENTS = 5_000
DELEGATIONS = 10_000
TAGS = 2_000
YEARS = 15
UPCOMING_EVENTS_SHARE = 0.02
# SQLite's default limit on the parameters of one query is 999.
LOOKUP_BATCH = 900


def batches(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def zipf_cum_weights(count, offset=2.0, exponent=1.0):
    """Cumulative weights for random.choices: rank r drawn in proportion to
    1 / (r + offset) ** exponent, the popularity of words, tags and the like."""
    return list(accumulate(1 / (rank + offset) ** exponent for rank in range(count)))


def random_age(rng):
    """Days before today: more releases and events in recent years than in early ones."""
    return YEARS * 365 * rng.random() ** 1.3


def random_person(rng):
    return rng.randrange(len(lexicon.FIRST_NAMES)), rng.randrange(len(lexicon.SURNAMES))


def reuse_or_create(model, objects, *, name_key=None):
    """Ids of `objects` (unsaved, in order), reusing the rows that exist with
    the same slug (or, given `name_key`, a name with the same key) and
    bulk-inserting the others. Returns (ids, the set of ids of rows created)."""
    fields = ("id", "slug", "name") if name_key else ("id", "slug")
    rows = list(model.objects.values_list(*fields))
    by_slug = {row[1]: row[0] for row in rows}
    by_name = {name_key(row[2]): row[0] for row in rows} if name_key else {}

    def existing(obj):
        if obj.slug in by_slug:
            return by_slug[obj.slug]
        return by_name.get(name_key(obj.name)) if name_key else None

    new = [obj for obj in objects if existing(obj) is None]
    model.objects.bulk_create(new, batch_size=500)
    for slugs in batches((obj.slug for obj in new), LOOKUP_BATCH):
        by_slug.update(model.objects.filter(slug__in=slugs).values_list("slug", "id"))
    return [existing(obj) for obj in objects], {by_slug[obj.slug] for obj in new}


class SharedRecords:
    """Department ids with their Zipf weights, event ids with their dates and
    delegations, and tag ids by language with their Zipf weights."""

    def __init__(self, report, *, today):
        self.today = today
        self.report = report
        self.departments = self.load_departments()
        # The press office signs far more releases than the canine service.
        self.department_weights = zipf_cum_weights(len(self.departments), offset=1.0, exponent=0.8)
        self.events, self.event_dates, new_events = self.load_events()
        self.delegations = self.load_delegations(new_events)
        self.tags = self.load_tags()
        self.tag_weights = zipf_cum_weights(len(self.tags["en"]))

    def rng(self, kind):
        return random.Random(f"{SHARED_SEED}:{kind}")

    def count(self, name, ids, created):
        self.report.created[name] += len(created)
        self.report.reused[name] += len(ids) - len(created)

    def load_departments(self):
        rng = self.rng("departments")
        names = lexicon.DEPARTMENTS + [
            tuple(template.format(city=city) for template, city in zip(lexicon.CUSTOMS_OFFICE, row, strict=True))
            for row in lexicon.CITIES
        ]
        departments = []
        for index, row in enumerate(names):
            slug = text.base_slug(row[0], "department")
            contact = random_person(rng)
            columns = {}
            for language in lexicon.ORDER:
                name = text.pick(names, index, language)
                columns |= {
                    f"name_{language}": name,
                    f"signature_{language}": lexicon.SIGNATURE[text.COLUMN[language]].format(name=name),
                    f"media_contact_name_{language}": text.person(language, *contact),
                }
            departments.append(
                Department(
                    slug=slug,
                    email=f"{slug[:40]}@customs.example.az",
                    phone=f"+994 12 404 {index // 100:02d} {index % 100:02d}",
                    **columns,
                )
            )
        ids, created = reuse_or_create(Department, departments, name_key=str.casefold)
        self.count("departments", ids, created)
        return ids

    def load_events(self):
        """Event ids, their start dates (as stored: a reused event keeps its
        own) and the set of ids of the events created by this run."""
        rng = self.rng("events")
        today = self.today.date()
        events = []
        for number in range(1, EVENTS + 1):
            body, kind = rng.randrange(len(lexicon.BODIES)), rng.randrange(len(lexicon.MEETING_KINDS))
            session = rng.randrange(1, 150)
            if rng.random() < UPCOMING_EVENTS_SHARE:
                start = today + timedelta(days=rng.randrange(1, 366))
            else:
                start = today - timedelta(days=int(random_age(rng)))
            city, country = lexicon.EVENT_PLACES[rng.randrange(len(lexicon.EVENT_PLACES))]
            venue, organisation = rng.randrange(len(lexicon.VENUES)), rng.randrange(len(lexicon.ORGANISATIONS))
            topic = rng.randrange(len(lexicon.TOPICS))
            columns = {}
            for language in lexicon.ORDER:
                column = text.COLUMN[language]
                columns |= {
                    f"title_{language}": text.event_title(language, body, kind, session),
                    f"organizer_{language}": text.pick(lexicon.ORGANISATIONS, organisation, language),
                    f"venue_{language}": text.pick(lexicon.VENUES, venue, language),
                    f"city_{language}": city[column],
                    f"country_{language}": country[column],
                    f"description_{language}": lexicon.EVENT_DESCRIPTION[column].format(
                        topic=text.pick(lexicon.TOPICS, topic, language)
                    ),
                }
            end = start + timedelta(days=rng.randrange(1, 4)) if rng.random() < 0.5 else None
            # The number makes the slug unique, and the same on every day the command runs.
            slug = f"{text.base_slug(columns['title_en'], 'event')}-{number}"
            events.append(Event(slug=slug, start_date=start, end_date=end, **columns))
        ids, created = reuse_or_create(Event, events)
        self.count("events", ids, created)
        dates = {}
        for chunk in batches(ids, LOOKUP_BATCH):
            dates.update(Event.objects.filter(pk__in=chunk).values_list("id", "start_date"))
        return ids, [dates[event_id] for event_id in ids], created

    def load_delegations(self, new_events):
        """Delegations, with their members, for the events this run created (an
        event reused from an earlier run keeps its own); returns
        {event id: [delegation ids]} for every event."""
        rng = self.rng("delegations")
        new_events = [event_id for event_id in self.events if event_id in new_events]
        delegations = []
        for _ in range(round(DELEGATIONS * len(new_events) / len(self.events))):
            head, position, rank = random_person(rng), rng.randrange(5), rng.randrange(len(lexicon.RANKS))
            columns = {}
            for language in lexicon.ORDER:
                columns |= {
                    f"head_name_{language}": text.person(language, *head),
                    f"head_position_{language}": text.pick(lexicon.POSITIONS, position, language),
                    f"head_rank_{language}": text.pick(lexicon.RANKS, rank, language),
                }
            delegations.append(Delegation(event_id=new_events[rng.randrange(len(new_events))], **columns))
        with transaction.atomic():
            Delegation.objects.bulk_create(delegations, batch_size=500)
            members = []
            for delegation in delegations:
                for order in range(rng.randrange(5)):
                    person, position = random_person(rng), rng.randrange(2, len(lexicon.POSITIONS))
                    columns = {}
                    for language in lexicon.ORDER:
                        columns |= {
                            f"name_{language}": text.person(language, *person),
                            f"position_{language}": text.pick(lexicon.POSITIONS, position, language),
                        }
                    members.append(DelegationMember(delegation=delegation, order=order, **columns))
            DelegationMember.objects.bulk_create(members, batch_size=500)
        self.report.created["delegations"] += len(delegations)
        self.report.created["delegation members"] += len(members)
        by_event = {}
        for chunk in batches(self.events, LOOKUP_BATCH):
            for event_id, delegation_id in Delegation.objects.filter(event_id__in=chunk).values_list("event_id", "id"):
                by_event.setdefault(event_id, []).append(delegation_id)
        return by_event

    def load_tags(self):
        """{language: [tag id, ...]} with the same subject at the same index in
        each language, the most popular first: bare topics ("Transit"), then
        topics narrowed to a country or city ("Transit (Georgia)")."""
        rng = self.rng("tags")
        topics = list(range(len(lexicon.TOPICS)))
        narrowed = [(topic, region) for topic in topics for region in range(len(lexicon.REGIONS))]
        rng.shuffle(topics)
        rng.shuffle(narrowed)
        subjects = ([(topic, None) for topic in topics] + narrowed)[: TAGS // len(lexicon.ORDER)]
        tags, slugs, names = [], set(), set()
        for language in lexicon.ORDER:
            for topic, region in subjects:
                name = text.pick(lexicon.TOPICS, topic, language)
                if region is not None:
                    name = f"{name} ({text.pick(lexicon.REGIONS, region, language)})"
                if tag_key(name) in names:
                    name = f"{name} [{language}]"
                slug = text.base_slug(name, "tag")
                if slug in slugs:
                    slug = f"{slug}-{language}"
                names.add(tag_key(name))
                slugs.add(slug)
                tags.append(Tag(name=name, slug=slug))
        ids, created = reuse_or_create(Tag, tags, name_key=tag_key)
        self.count("tags", ids, created)
        per_language = len(subjects)
        return {
            language: ids[index * per_language : (index + 1) * per_language]
            for index, language in enumerate(lexicon.ORDER)
        }
