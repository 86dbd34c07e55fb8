"""What keeps the public site's cost flat as the archive grows (issue 8):
the kept tag counts, the tag links' copies of their releases' columns, the
capped count and late row lookup of ArchivePaginator, the bounded related
releases and the release page's links read in its own query."""

from datetime import timedelta

import pytest
from django.utils import timezone

from releases.models import Release, Tag, TagCount, TaggedRelease
from releases.models.release import tags_prefetch
from releases.services import merge_tags

from .test_views import LIST, card_titles, get


def counts(language="en"):
    return {tag.name: tag.release_count for tag in Tag.objects.in_public_use(language)}


def test_tag_counts_follow_publication_tags_and_deletion(make_release):
    draft = make_release(status=Release.Status.DRAFT, tags=["WCO"])
    public = make_release(tags=["WCO", "Green Customs"])
    assert counts() == {"Green Customs": 1, "WCO": 1}

    draft.status, draft.published_at = Release.Status.PUBLISHED, timezone.now() - timedelta(minutes=1)
    draft.save()
    assert counts() == {"Green Customs": 1, "WCO": 2}

    public.tags.remove("Green Customs")
    public.tags.add("Trade")
    assert counts() == {"Trade": 1, "WCO": 2}

    public.status, public.withdrawal_reason = Release.Status.WITHDRAWN, "Issued in error."
    public.save()
    assert counts() == {"WCO": 1}

    draft.tags.clear()
    assert counts() == {}
    draft.tags.set(["WCO"])
    draft.delete()
    assert counts() == {}


def test_tag_counts_are_per_language_and_wait_for_scheduled_releases(make_release):
    make_release(tags=["WCO"])
    make_release(language="az", tags=["WCO"])
    make_release(tags=["WCO"], published_at=timezone.now() + timedelta(hours=2))
    assert counts("en") == {"WCO": 1}
    assert counts("az") == {"WCO": 1}
    # The scheduled release is counted (TagCount) and subtracted until its time.
    assert TagCount.objects.get(tag__name="WCO", language="en").releases == 2
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + timedelta(hours=3)
        patch.setattr(timezone, "now", lambda: later)
        assert counts("en") == {"WCO": 2}


def test_most_used_tags_are_exact_with_scheduled_releases(make_release):
    for _ in range(3):
        make_release(tags=["Busy"], published_at=timezone.now() + timedelta(days=1))
    make_release(tags=["Busy"])
    make_release(tags=["Quiet"])
    make_release(tags=["Quiet"])
    names = [tag.name for tag in Tag.objects.in_public_use("en", most_used=1)]
    assert names == ["Quiet"]


def test_merging_tags_moves_their_counts(make_release):
    make_release(tags=["WCO"])
    make_release(tags=["World Customs Organization"])
    keep = Tag.objects.get(name="WCO")
    merge_tags(keep=keep, merge=[Tag.objects.get(name="World Customs Organization")])
    assert counts() == {"WCO": 2}
    assert set(TaggedRelease.objects.values_list("language", "status")) == {("en", "published")}


def test_tag_links_copy_their_release_columns(make_release):
    release = make_release(tags=["WCO", "Trade"])
    when = timezone.now() - timedelta(days=3)
    release.language, release.published_at = "ru", when
    release.save()
    assert set(TaggedRelease.objects.values_list("language", "status", "published_at")) == {("ru", "published", when)}
    release.tags.add("Added later")
    assert TaggedRelease.objects.get(tag__name="Added later").language == "ru"


@pytest.fixture
def archive(frozen_now, make_release):
    return [make_release(published_at=frozen_now - timedelta(hours=n), tags=["Customs"]) for n in range(1, 46)]


def result_count(tree):
    return " ".join("".join(tree.find(".//p[@class='result-count']").itertext()).split())


def test_counts_stop_at_the_cap_and_pages_go_on(client, archive, monkeypatch):
    monkeypatch.setattr("releases.pagination.COUNT_CAP", 10)
    _, tree = get(client, LIST)
    assert result_count(tree) == "More than 10 releases"
    # Beyond the cap, pages are still there, in order, with no last page named.
    _, tree = get(client, LIST + "?page=3")
    assert card_titles(tree) == [release.title for release in archive[40:45]]
    _, tree = get(client, LIST + "?tag=customs&page=2")
    assert card_titles(tree) == [release.title for release in archive[20:40]]
    # Past the end: the last page, found by an exact count.
    _, tree = get(client, LIST + "?page=99")
    assert card_titles(tree) == [release.title for release in archive[40:45]]


def test_exact_counts_below_the_cap(client, archive):
    _, tree = get(client, LIST + "?tag=customs")
    assert result_count(tree) == "45 releases"
    _, tree = get(client, LIST + "?page=3")
    pages = [" ".join(item.itertext()).strip() for item in tree.iterfind(".//nav[@class='pagination']//li")]
    assert pages == ["Previous", "1", "2", "3"]


@pytest.mark.parametrize("page", ["9223372036854775808", "99999999999999999999999", "-1", "x"])
def test_absurd_page_numbers_give_a_page(client, archive, page):
    response, _ = get(client, LIST + f"?page={page}")
    assert response.status_code == 200


def test_related_releases_share_the_most_tags_and_stay_public(client, frozen_now, make_release):
    release = make_release(tags=["WCO", "Trade", "Green Customs"])
    two = make_release(tags=["WCO", "Trade"], published_at=frozen_now - timedelta(days=30))
    one = make_release(tags=["WCO"])
    make_release(tags=["WCO", "Trade", "Green Customs"], status=Release.Status.DRAFT)
    make_release(tags=["WCO", "Trade"], published_at=frozen_now + timedelta(days=1))
    make_release(tags=["WCO", "Trade", "Green Customs"], language="az")
    release = Release.objects.prefetch_related(tags_prefetch()).get(pk=release.pk)
    assert release.related() == [two, one]


def test_release_page_links_come_from_its_own_query(client, frozen_now, make_release):
    older = make_release(published_at=frozen_now - timedelta(days=2))
    same_time = [make_release(published_at=frozen_now - timedelta(days=1)) for _ in range(2)]
    newer = make_release(published_at=frozen_now - timedelta(hours=1))
    make_release(published_at=frozen_now + timedelta(hours=1))  # scheduled: never a neighbour
    translation = make_release(language="ru", translation_key=same_time[0].translation_key)
    first, second = (Release.objects.with_page_links().get(pk=release.pk) for release in same_time)
    assert first.previous_public() == older
    assert first.next_public() == second
    assert second.next_public() == newer
    assert first.public_translations() == {
        "en": first.get_absolute_url(),
        "ru": translation.get_absolute_url(),
    }
