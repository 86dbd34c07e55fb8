"""Items of a source made releases, by the admin's own rules: the body's
sanitizer (Release.save, releases/richtext.py), tag identity
(Tag.objects.for_names, releases/tagnames.py), slugs (releases/slugs.py),
photos and documents (releases/images.py, releases/documents.py, written
when the item's transaction commits). One transaction per item: an item
refused rolls back whole, and the rest goes on.

An import is not a workflow step: it sends none of the workflow's signals
(releases/events.py), so nobody is mailed or alerted; the saves announce a
change of public content as any save does, for the page cache."""

import hashlib
import json
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from imports.bodies import unsized
from imports.files import FileRefused
from imports.models import ImportedItem, OldAddress, split_address
from releases.documents import prepare_document
from releases.images import prepare_image
from releases.models import (
    Department,
    Event,
    Release,
    ReleaseDocument,
    ReleaseImage,
    Tag,
    TagCount,
    TaggedRelease,
    WorkflowEvent,
)
from releases.revisions import add_revision, create_initial_revisions
from releases.slugs import slug_from, unique_slug
from releases.tagnames import tag_key
from releases.text import clean_text

# Items looked up at once in ImportedItem: a second run reads its items'
# fingerprints a batch at a time, never the whole source's.
BATCH = 200
LEAD_LENGTH = Release._meta.get_field("lead").max_length
# The tables an import fills, whose planner statistics it renews (on
# PostgreSQL) after its first ANALYZE_FIRST items written, and each time
# their number doubles: see Importer._renew_statistics.
GROWING = (Release, TaggedRelease, Tag, TagCount, ReleaseImage, ImportedItem, OldAddress, Revision, Version)
ANALYZE_FIRST = 1000


class Refused(Exception):
    pass


@dataclass
class Outcome:
    status: str  # created, updated, unchanged, refused, skipped
    item: object
    reason: str = ""
    address: str = ""


class Importer:
    def __init__(self, *, source, mapping, finder, language="", dry_run=False, skip_broken_files=False):
        self.source = source
        self.mapping = mapping
        self.finder = finder
        self.language = language or mapping.default_language
        self.dry_run = dry_run
        self.skip_broken_files = skip_broken_files
        self.languages = {code for code, _name in settings.LANGUAGES}
        self.departments = {tag_key(d.name): d for d in Department.objects.all()}
        self.events = {tag_key(e.title): e for e in Event.objects.only("pk", "title", "slug")}
        # Tags met so far in this run, by their identity key: an archive uses
        # the same few hundred over and over, and each is looked up once.
        self.tags = {}
        # The translation groups of the batch being imported: (the
        # translation key of their releases, the languages it has).
        self.translations = {}
        self.users = {}
        self.counts = Counter()
        # The identities met in this run: one of them again is a mistake of
        # the source (two CSV rows with one id), not an update.
        self.seen = set()
        self.next_analysis = ANALYZE_FIRST

    def run(self, items, *, since=None, limit=None, on_outcome=None):
        """Import `items` (SourceItems); `on_outcome(outcome)` hears of each.
        Returns the counts of each outcome."""
        with self._commit_without_waiting():
            return self._run(items, since=since, limit=limit, on_outcome=on_outcome)

    @contextmanager
    def _commit_without_waiting(self):
        """Each item's commit need not wait for the disk (PostgreSQL's
        synchronous_commit, for this connection while the import runs): a
        crash loses at most the last moment's items, which the next run,
        idempotent, brings in again."""
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")

    def _run(self, items, *, since, limit, on_outcome):
        batch = []
        taken = 0
        for item in items:
            if since is not None and item.published_at is not None and self.aware(item.published_at) < since:
                continue
            if limit is not None and taken >= limit:
                break
            taken += 1
            batch.append(item)
            if len(batch) >= BATCH:
                self._run_batch(batch, on_outcome)
                batch = []
        if batch:
            self._run_batch(batch, on_outcome)
        return self.counts

    def _run_batch(self, batch, on_outcome):
        known = {
            row.source_id: row
            for row in ImportedItem.objects.filter(
                source=self.source, source_id__in=[item.source_id for item in batch]
            ).select_related("release")
        }
        self._read_translations({item.translation_group for item in batch if item.translation_group})
        for item in batch:
            outcome = self.import_item(item, known.get(item.source_id))
            self.counts[outcome.status] += 1
            self._renew_statistics()
            if on_outcome:
                on_outcome(outcome)

    def _renew_statistics(self):
        """ANALYZE the tables the import fills when the items it wrote pass
        ANALYZE_FIRST, and again each time they double. PostgreSQL plans from
        statistics that autovacuum renews in its own time (never, where it is
        off), and a plan chosen when a table was small can make every item
        scan all the rows written before it: django-reversion's look-up of
        an object's last version took 23 ms at 16,000 items without
        statistics, 0.06 ms with them (bench/imports.py, autovacuum off)."""
        written = self.counts["created"] + self.counts["updated"]
        if written < self.next_analysis or self.dry_run or connection.vendor != "postgresql":
            return
        self.next_analysis = written * 2
        tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in GROWING)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")

    def import_item(self, item, known):
        if item.skip:
            return Outcome("skipped", item, item.skip)
        if item.problem:
            return Outcome("refused", item, item.problem)
        if item.source_id in self.seen:
            return Outcome("refused", item, f"the identity {item.source_id} of an item before it in the source")
        self.seen.add(item.source_id)
        fingerprint = item.fingerprint()
        if known is not None and known.fingerprint == fingerprint:
            return Outcome("unchanged", item, address=known.release.get_absolute_url())
        self._new = {"departments": {}, "events": {}, "tags": {}, "translations": {}}
        notes = []
        try:
            with transaction.atomic():
                release, created = self._write(item, known, fingerprint, notes)
                address = release.get_absolute_url()
                if self.dry_run:
                    transaction.set_rollback(True)
        except Refused as error:
            return Outcome("refused", item, str(error))
        except ValidationError as error:
            return Outcome("refused", item, "; ".join(error.messages))
        except DatabaseError as error:
            return Outcome("refused", item, f"the database refused it: {error}")
        if not self.dry_run:
            self.departments.update(self._new["departments"])
            self.events.update(self._new["events"])
            self.tags.update(self._new["tags"])
            for group, (key, languages) in self._new["translations"].items():
                self.translations.setdefault(group, (key, set()))[1].update(languages)
        return Outcome("created" if created else "updated", item, "; ".join(notes), address)

    # The writes of one item, inside its transaction.

    def _write(self, item, known, fingerprint, notes):
        language = item.language or self.language
        if language not in self.languages:
            raise Refused(f"language “{language or 'none'}”: one of {', '.join(sorted(self.languages))} (--language)")
        if not item.title.strip():
            raise Refused("no title")
        published_at = self.aware(item.published_at) if item.published_at else None
        # Published on the old site and its time has come: public here too.
        # Anything else comes in as a draft, for an editor to publish.
        public = item.published and published_at is not None and published_at <= timezone.now()
        release = known.release if known is not None else Release(language=language)
        created = known is None
        if created:
            release.translation_key = self._translation_key(item, language)
        elif release.language != language:
            raise Refused(f"its language changed from {release.language} to {language} since the last import")
        release.title = item.title
        release.lead = self._lead(item.lead)
        release.body = item.body
        if not public and release.is_published:
            # Public here already: only the workflow takes it off the site
            # (withdrawn, with its reason, so that alerts, webhooks and
            # syncing clients learn it), never a re-import.
            notes.append("public here, so kept public although the source no longer publishes it (withdraw it here)")
        else:
            release.published_at = published_at
        became_public = public and release.status != Release.Status.PUBLISHED
        if release.status != Release.Status.WITHDRAWN and not release.is_published:
            release.status = Release.Status.PUBLISHED if public else Release.Status.DRAFT
        release.department = self._department(item)
        release.event = self._event(item, published_at)
        if created:
            release.author = self._author(item.author)
            max_length = Release._meta.get_field("slug").max_length
            base = slug_from(unquote(item.slug) or item.title, max_length=max_length, fallback="release")
            release.slug = unique_slug(Release.objects.filter(language=language), base, max_length=max_length)
        # The department and event are rows just found or made: no query to
        # check that they exist.
        release.full_clean(exclude=["department", "event"], validate_unique=False, validate_constraints=False)
        release.save()
        tags = self._tags(item)
        if created:
            release.tags.add(*tags)
        else:
            release.tags.set(tags)
        files_fingerprint = self._files_fingerprint(item)
        if created or known.files_fingerprint != files_fingerprint:
            self._attach_files(release, item, replace=not created, notes=notes)
        self._record_addresses(item, release)
        if created:
            known = ImportedItem(source=self.source, source_id=item.source_id, release=release)
        known.translation_group = item.translation_group
        known.fingerprint, known.files_fingerprint = fingerprint, files_fingerprint
        known.save()
        where = {"source": self.source, "where": item.where}
        if became_public and release.status == Release.Status.PUBLISHED:
            # The trail says how it became public; and a step recorded after
            # its publication time tells the periodic announcement
            # (releases/announcements.py) that it is not news to announce.
            WorkflowEvent.objects.create(
                release=release,
                action=WorkflowEvent.Action.PUBLISHED,
                comment=_("Imported from %(source)s, %(where)s.") % where,
            )
        # The revision carries the release's tag links and their tags: read
        # in one query, rather than a query for each tag.
        prefetch_related_objects([release], Prefetch("tagged_items", TaggedRelease.objects.select_related("tag")))
        if created and item.translation_group:
            self._new["translations"][item.translation_group] = (release.translation_key, {language})
        if created:
            new = [*self._new["departments"].values(), *self._new["events"].values(), release]
            create_initial_revisions(new, comment=_("Imported from %(source)s, %(where)s.") % where)
        else:
            add_revision(release, comment=_("Updated by an import from %(source)s, %(where)s.") % where)
        return release, created

    def aware(self, moment):
        """A naive time from the source is in the old site's time zone."""
        return timezone.make_aware(moment, self.mapping.time_zone) if timezone.is_naive(moment) else moment

    def _lead(self, text):
        text = " ".join(strip_tags(text or "").split())
        if len(text) <= LEAD_LENGTH:
            return text
        return text[: LEAD_LENGTH - 1].rsplit(" ", 1)[0] + "…"

    def _read_translations(self, groups):
        """The release each of a batch's translation `groups` became already
        (its translation key) and the languages it has: two queries a batch,
        rather than two an item. Items of the batch add theirs as they come
        in (import_item)."""
        keys = dict(
            ImportedItem.objects.filter(source=self.source, translation_group__in=groups)
            .order_by("-pk")  # the first imported last: its key, should they differ
            .values_list("translation_group", "release__translation_key")
        )
        languages = {}
        for key, language in Release.objects.filter(translation_key__in=keys.values()).values_list(
            "translation_key", "language"
        ):
            languages.setdefault(key, set()).add(language)
        self.translations = {group: (key, languages.get(key, set())) for group, key in keys.items()}

    def _translation_key(self, item, language):
        if item.translation_group not in self.translations:  # none, or the first of its group
            return uuid.uuid4()
        key, languages = self.translations[item.translation_group]
        if language in languages:
            raise Refused(f"translation group {item.translation_group} has a version in {language} already")
        return key

    def _tags(self, item):
        """The item's tags, renamed by the mapping, found by the tag rules
        (Tag.objects.for_names) or made: a query only for names not met
        before in this run."""
        wanted = {}
        for name in item.tags:
            name = self.mapping.rename("tags", name)
            if name and (key := tag_key(clean_text(name))):
                wanted.setdefault(key, name)
        missing = [name for key, name in wanted.items() if key not in self.tags]
        found = Tag.objects.for_names(missing) if missing else {}
        self._new["tags"].update(found)
        return [tag for key in wanted if (tag := self.tags.get(key) or found.get(key))]

    def _record_addresses(self, item, release):
        """The item's old addresses, each leading to `release` (taken from
        another release, should one have had it): one query. The release's
        save has told the page cache of the change already."""
        addresses = {split_address(address) for address in item.old_addresses}
        # The home page (WordPress's "/?p=123" among them): this site answers
        # it itself, so it never reaches the old addresses.
        rows = [OldAddress(path=path, query=query, release=release) for path, query in addresses if path != "/"]
        OldAddress.objects.bulk_create(
            sorted(rows, key=str), update_conflicts=True, unique_fields=["path", "query"], update_fields=["release"]
        )

    def _department(self, item):
        name = self.mapping.rename("departments", item.department) or self.mapping.default_department
        if not name:
            raise Refused("no department: give the mapping a default_department")
        return self._find_or_create("departments", name)

    def _event(self, item, published_at):
        name = self.mapping.rename("events", item.event)
        if not name:
            return None
        return self._find_or_create("events", name, start_date=(published_at or timezone.now()).date())

    def _find_or_create(self, kind, name, **extra):
        key = tag_key(name)
        known = getattr(self, kind)
        found = known.get(key) or self._new[kind].get(key)
        if found is not None:
            return found
        model, label = (Department, "name") if kind == "departments" else (Event, "title")
        max_length = model._meta.get_field("slug").max_length
        slug = unique_slug(
            model.objects.all(), slug_from(name, max_length=max_length, fallback=kind[:-1]), max_length=max_length
        )
        row = model.objects.create(**{label: name[: model._meta.get_field(label).max_length]}, slug=slug, **extra)
        self._new[kind][key] = row
        return row

    def _author(self, name):
        if not name:
            return None
        if name not in self.users:
            User = get_user_model()
            self.users[name] = User.objects.filter(username=name).first() or User.objects.filter(email=name).first()
        return self.users[name]

    @staticmethod
    def _files_fingerprint(item):
        refs = [vars(ref) for ref in (*item.photos, *item.documents)]
        if item.body_photos:  # (as before they were read, when there are none)
            refs.append({"body_photos": [vars(ref) for ref in item.body_photos]})
        return hashlib.sha256(json.dumps(refs, sort_keys=True).encode()).hexdigest()

    def _attach_files(self, release, item, *, replace, notes):
        """The item's photos (the first leads) and documents, checked and
        cleaned as uploads in the admin are; their files are written when the
        item's transaction commits. A file refused refuses the item, unless
        the import was told to skip broken files (--skip-broken-files)."""
        if replace:
            # Deleted rows' files go when the transaction commits (releases/models/media.py).
            for row in [*release.images.all(), *release.documents.all()]:
                row.delete()
        order = from_body = 0
        for ref in [*item.photos, *item.body_photos]:
            prepared = self._prepared(ref, prepare_image, notes)
            if prepared is None:
                continue
            from_body += ref in item.body_photos
            image = ReleaseImage(
                release=release,
                alt_text=(ref.alt or ref.caption or ref.title)[:300],
                caption=ref.caption[:500],
                is_lead=order == 0,
                order=order,
            )
            image.attach(prepared)
            image.save()
            order += 1
        if from_body:
            # The body's sanitizer keeps no images: say where they went.
            notes.append(f"{from_body} image(s) of the body made photos of the release")
        for number, ref in enumerate(item.documents):
            prepared = self._prepared(ref, prepare_document, notes)
            if prepared is None:
                continue
            title = ref.title or PurePosixPath(urlsplit(ref.location).path).stem or release.title
            document = ReleaseDocument(release=release, title=title[:255], language=release.language, order=number)
            document.attach(prepared)
            document.save()

    def _prepared(self, ref, prepare, notes):
        try:
            content = self._read(ref.location)
            name = PurePosixPath(urlsplit(ref.location).path).name or "file"
            return prepare(ContentFile(content, name=name))
        except (FileRefused, ValidationError, OSError) as error:
            reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            if not self.skip_broken_files:
                raise Refused(f"{ref.location}: {reason}") from error
            notes.append(f"left out {ref.location}: {reason}")
            return None

    def _read(self, location):
        """The file at `location`; for WordPress's smaller copy of an upload
        (photo-300x200.jpg, as a body shows it), the upload itself when it
        is there."""
        original = unsized(location)
        if original != location:
            try:
                return self.finder.read(original)
            except (FileRefused, OSError):
                pass
        return self.finder.read(location)


class Progress:
    """A line on the operator's terminal, redrawn twice a second: the items
    so far, by outcome, and the pace; for a run in the background (`run`, an
    ImportRun), its counts in the database every few seconds, and with them
    a sign of life (ImportRun.objects.claim)."""

    RECORD_SECONDS = 5

    def __init__(self, stream, total=None, run=None):
        self.stream, self.total, self.run = stream, total, run
        self.started = self.drawn = self.recorded = time.monotonic()
        self.done = 0

    def step(self, counts):
        self.done += 1
        now = time.monotonic()
        if now - self.drawn >= 0.5:
            self.draw(counts)
        if self.run is not None and now - self.recorded >= self.RECORD_SECONDS:
            self.recorded = now
            self.run.record_progress(counts)

    def draw(self, counts):
        now = self.drawn = time.monotonic()
        rate = self.done / max(now - self.started, 1e-9)
        of = f" / {self.total:,}" if self.total else ""
        figures = ", ".join(
            f"{name} {counts[name]:,}" for name in ("created", "updated", "unchanged", "refused", "skipped")
        )
        self.stream.write(f"\rItems {self.done:,}{of}: {figures}; {rate:,.0f} items/s   ", ending="")
        self.stream.flush()
