"""`manage.py seed_releases`: the synthetic archive the benchmark runs on.

The departments, events, delegations and tags it refers to are made smaller
here (a few dozen rather than thousands) so that each test seeds in a fraction
of a second; the releases are drawn exactly as at full size. Inside a test's
transaction the chunks are written in turn on its connection; one test, on
PostgreSQL, commits to see them written on connections of their own.
"""

import io
import threading
import uuid
from collections import Counter
from statistics import median

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from demo.seeding import archive, loading, shared
from releases.models import Delegation, Department, Event, Release, Tag, TagCount, TaggedRelease
from releases.richtext import sanitize_html
from releases.tagnames import tag_key
from releases.text import clean_text

pytestmark = pytest.mark.django_db

COUNT = 300


@pytest.fixture(autouse=True)
def small_shared_records(monkeypatch):
    monkeypatch.setattr(shared, "EVENTS", 40)
    monkeypatch.setattr(shared, "DELEGATIONS", 80)
    monkeypatch.setattr(shared, "TAGS", 150)
    monkeypatch.setattr(archive, "SENTENCE_POOL", 500)


def seed(count=COUNT, seed=7, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_releases", count=count, seed=seed, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def snapshot():
    """What a run wrote, release by release, in a comparable form."""
    return [
        (
            release.language,
            release.slug,
            release.title,
            release.lead,
            release.body,
            release.status,
            release.published_at,
            release.department.slug,
            release.event.slug if release.event else None,
            sorted(tag.slug for tag in release.tags.all()),
            sorted(delegation.pk for delegation in release.delegations.all()),
        )
        for release in Release.objects.order_by("pk")
        .select_related("department", "event")
        .prefetch_related("tags", "delegations")
    ]


def test_adds_the_number_of_releases_asked_for():
    seed()

    assert Release.objects.count() == COUNT


def test_prints_a_progress_bar_and_a_summary():
    out, err = seed()

    assert f"{COUNT:,} / {COUNT:,}" in err
    assert "100%" in err
    assert f"Added {COUNT} releases" in out


def test_refuses_a_count_below_one():
    with pytest.raises(CommandError):
        seed(count=0)


def test_the_same_seed_gives_the_same_releases():
    seed(seed=7)
    first = snapshot()
    Release.objects.all().delete()

    seed(seed=7)

    assert snapshot() == first


def test_the_chunk_size_changes_no_release():
    seed(chunk_size=7)
    first = snapshot()
    Release.objects.all().delete()

    seed()

    assert snapshot() == first


def test_another_seed_gives_other_releases():
    seed(seed=7)
    first = [title for _, _, title, *_ in snapshot()]
    Release.objects.all().delete()

    seed(seed=8)

    assert [title for _, _, title, *_ in snapshot()] != first


def test_statuses_are_spread_like_an_archive():
    # Enough releases that a status of one or two per cent shows.
    seed(count=1000)
    now = timezone.now()
    statuses = Counter(Release.objects.values_list("status", flat=True))
    scheduled = Release.objects.filter(status="published", published_at__gt=now).count()

    assert statuses["published"] - scheduled > 850
    assert statuses["draft"] > 0
    assert statuses["in_review"] > 0
    assert statuses["withdrawn"] > 0
    assert scheduled > 0


def test_each_status_has_what_it_implies():
    seed()
    now = timezone.now()

    assert not Release.objects.filter(status__in=["draft", "in_review"], published_at__isnull=False).exists()
    assert not Release.objects.filter(status="withdrawn", withdrawal_reason="").exists()
    assert not Release.objects.filter(status="withdrawn", withdrawn_at__isnull=True).exists()
    for release in Release.objects.published():
        assert release.created_at < release.published_at <= release.updated_at <= now


def test_publication_times_span_years():
    seed()
    times = Release.objects.filter(published_at__isnull=False).values_list("published_at", flat=True)

    assert (max(times) - min(times)).days > 5 * 365


def test_creation_and_update_times_are_drawn_not_the_time_of_the_run():
    # Rows written without the model's save() escape auto_now and auto_now_add.
    seed()
    created = Release.objects.values_list("created_at", flat=True)
    updated = Release.objects.values_list("updated_at", flat=True)

    assert (max(created) - min(created)).days > 5 * 365
    assert (max(updated) - min(updated)).days > 5 * 365


def test_releases_are_in_the_three_languages_some_in_several():
    seed()
    languages = Counter(Release.objects.values_list("language", flat=True))
    versions = Counter(Release.objects.values("translation_key").annotate(n=Count("pk")).values_list("n", flat=True))

    assert set(languages) == {"az", "en", "ru"}
    assert min(languages.values()) > 0.15 * COUNT
    assert versions[1] > 0
    assert versions[2] > 0
    assert versions[3] > 0


def test_slugs_are_unique_in_each_language():
    seed()
    pairs = list(Release.objects.values_list("language", "slug"))

    assert len(set(pairs)) == len(pairs)
    assert all(slug for _, slug in pairs)


def test_releases_carry_about_four_tags_some_far_more_used_than_others():
    seed()
    per_release = list(Release.objects.annotate(n=Count("tagged_items")).values_list("n", flat=True))
    per_tag = sorted(
        TaggedRelease.objects.values("tag").annotate(n=Count("pk")).values_list("n", flat=True), reverse=True
    )

    assert min(per_release) >= 2
    assert 3.3 < sum(per_release) / len(per_release) < 4.7
    assert per_tag[0] > 5 * median(per_tag)


def test_bodies_are_paragraphs_the_sanitizer_keeps_as_they_are():
    seed(count=50)

    for body in Release.objects.values_list("body", flat=True):
        assert body.startswith("<p>")
        assert body.count("<p>") >= 3
        assert sanitize_html(body) == body


def test_text_is_stored_as_saving_would_store_it():
    # Bulk inserts skip save(), which cleans every text field.
    seed(count=50)

    for title, lead, body in Release.objects.values_list("title", "lead", "body"):
        assert clean_text(title) == title
        assert clean_text(lead, multiline=True) == lead
        assert clean_text(body, multiline=True) == body


def test_tag_links_carry_copies_of_their_release_columns():
    seed()
    links = TaggedRelease.objects.values_list(
        "language",
        "status",
        "published_at",
        "content_object__language",
        "content_object__status",
        "content_object__published_at",
    )

    assert links
    assert all(link[:3] == link[3:] for link in links)


def test_tag_counts_are_those_of_the_published_releases():
    seed()
    published = TaggedRelease.objects.filter(content_object__status="published")
    expected = Counter(published.values_list("tag_id", "content_object__language"))

    kept = {(count.tag_id, count.language): count.releases for count in TagCount.objects.filter(releases__gt=0)}

    assert kept == expected
    assert TagCount.objects.count() == 3 * Tag.objects.count()


def test_text_with_tabs_backslashes_and_line_ends_is_written_as_it_is(department):
    # COPY's text format (PostgreSQL) gives these characters a meaning of their own.
    text = "A tab\there, a back\\slash, \\N, a line\nend\r\n and “quotes”"
    when = timezone.now().replace(microsecond=123456)
    key = uuid.uuid4()
    values = {
        "id": 99_999,
        "language": "en",
        "translation_key": key,
        "title": "Tricky",
        "slug": "tricky",
        "lead": text,
        "body": f"<p>{text}</p>",
        "status": "published",
        "published_at": when,
        "withdrawn_at": None,
        "withdrawal_reason": "",
        "created_at": when,
        "updated_at": when,
        "department_id": department.pk,
        "event_id": None,
        "version": 1,
    }

    loading.insert_rows(Release, loading.RELEASE_COLUMNS, [tuple(values[column] for column in loading.RELEASE_COLUMNS)])

    release = Release.objects.get(pk=99_999)
    assert (release.lead, release.body, release.translation_key) == (text, f"<p>{text}</p>", key)
    assert release.published_at == when
    assert release.withdrawn_at is None


def test_releases_refer_to_departments_events_and_delegations():
    seed()

    assert Department.objects.count() == 50
    assert Event.objects.count() == 40
    assert Delegation.objects.count() == 80
    assert Release.objects.filter(event__isnull=False).exists()
    assert Release.objects.filter(delegations__isnull=False).exists()
    assert Release.objects.values("department").distinct().count() > 10


def test_a_second_run_adds_releases_and_reuses_the_rest():
    seed(count=150)
    records = [Department.objects.count(), Event.objects.count(), Delegation.objects.count(), Tag.objects.count()]

    seed(count=150)

    assert Release.objects.count() == 300
    assert [Department.objects.count(), Event.objects.count(), Delegation.objects.count(), Tag.objects.count()] == (
        records
    )
    pairs = list(Release.objects.values_list("language", "slug"))
    assert len(set(pairs)) == len(pairs)


def test_existing_departments_tags_and_releases_are_kept_and_reused(make_release):
    legal = Department.objects.create(name="Legal Department", slug="legal")
    transit = Tag.objects.create(name="TRANSİT", slug="transit-tag")
    own = make_release(title="Written by hand", language="en")

    seed()

    assert Department.objects.filter(name="Legal Department").get() == legal
    assert [tag for tag in Tag.objects.all() if tag_key(tag.name) == "transit"] == [transit]
    assert Release.objects.get(pk=own.pk).title == "Written by hand"
    # Releases added afterwards, in the admin, take ids after the seeded ones.
    assert make_release(title="Written later").pk > Release.objects.exclude(title="Written later").latest("pk").pk


def test_a_slug_taken_already_is_replaced(make_release):
    taken = make_release(title="Meeting on transit held in Baku", slug="meeting-on-transit-held-in-baku-7")
    release = Release(language=taken.language, slug=taken.slug)

    loading.free_slugs([release])

    assert release.slug.startswith(f"{taken.slug}-")


def latest_public(**filters):
    return Release.objects.published().filter(language="en", **filters).first()


def test_the_list_shows_seeded_releases(client):
    seed()

    response = client.get("/releases/")

    assert response.status_code == 200
    assert latest_public().title in response.content.decode()


def test_a_seeded_release_has_its_page(client):
    seed()
    release = latest_public(event__isnull=False, delegations__isnull=False)

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert release.title in response.content.decode()


def test_a_seeded_tag_has_its_page(client):
    seed()
    tag = Tag.objects.filter(tagged_releases__content_object__in=Release.objects.published().filter(language="en"))[0]

    response = client.get(f"/releases/?tag={tag.slug}")

    assert response.status_code == 200
    assert latest_public(tags=tag).title in response.content.decode()


@pytest.mark.postgresql
def test_seeded_releases_are_found_by_full_text_search():
    seed()
    release = Release.objects.published().filter(language="en").first()

    assert not Release.objects.filter(search_vector__isnull=True).exists()
    assert release in Release.objects.published().search(release.title, language="en")
    assert Release.objects.published().filter(language="en").search("customs", language="en").count() > 10


@pytest.mark.postgresql
def test_search_vectors_are_those_the_trigger_keeps():
    seed(count=50)
    written = dict(Release.objects.values_list("pk", "search_vector"))

    # The trigger computes each vector again, as an edit in the admin would.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE releases_release SET title = title")

    assert dict(Release.objects.values_list("pk", "search_vector")) == written


def vacuums_of_releases():
    with connection.cursor() as cursor:
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'releases_release'")
        return cursor.fetchone()[0]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_chunks_are_written_on_connections_of_their_own(monkeypatch):
    threads = set()
    insert_in_thread = loading.insert_in_thread

    def spy(chunk):
        threads.add(threading.current_thread().name)
        insert_in_thread(chunk)

    monkeypatch.setattr(loading, "insert_in_thread", spy)
    vacuums = vacuums_of_releases()

    seed(chunk_size=40)

    assert len(threads) == loading.INSERTERS
    ids = list(Release.objects.order_by("pk").values_list("pk", flat=True))
    assert ids == list(range(ids[0], ids[0] + COUNT))
    assert not Release.objects.filter(search_vector__isnull=True).exists()
    assert TagCount.objects.filter(releases__gt=0).exists()
    assert vacuums_of_releases() > vacuums
