"""Release cards kept in the cache (releases/cards.py): a kept card is the
card the template renders, read with one multi-get, and a change to
anything a card shows (the release, its tags, its department, its photo)
shows at once, though nothing forgets the old card."""

from unittest import mock

import html5lib
import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext, override_script_prefix
from django.utils import translation

from releases import cards
from releases.models import CardStamp, Release, ReleaseImage, Tag, TaggedRelease
from releases.models.media import lead_image_prefetch
from releases.models.release import tags_prefetch
from releases.services import merge_tags
from releases.views import public_releases
from tests.pictures import prepared_image

pytestmark = pytest.mark.django_db

LIST = "/releases/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def page(client, url=LIST):
    response = client.get(url)
    assert response.status_code == 200
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    return response.content.decode()


def as_rendered(releases, heading_level=2):
    """Each card as the template renders it, without the cache, from the
    release with its tags (in the alphabetical order of the language) and
    photo loaded."""
    releases = list(releases)
    prefetch_related_objects(releases, tags_prefetch(), lead_image_prefetch())
    for release in releases:
        release.sort_tag_list()
    return [
        render_to_string(cards.CARD_TEMPLATE, {"release": release, "heading_level": heading_level})
        for release in releases
    ]


def test_a_kept_card_is_the_card_the_template_renders(make_release):
    make_release(title="Customs & trade <news>", tags=["WCO", "Green Customs"])
    make_release(title="Second")
    rendered = as_rendered(public_releases())
    assert cards.release_cards(public_releases()) == rendered
    with mock.patch("django.template.backends.django.Template.render") as render:
        assert cards.release_cards(public_releases()) == rendered
    render.assert_not_called()
    assert "Customs &amp; trade &lt;news&gt;" in rendered[0]


def test_a_page_reads_its_cards_with_one_multi_get_and_keeps_only_those_it_rendered(make_release):
    for _ in range(3):
        make_release()
    with mock.patch.object(cache, "set_many", wraps=cache.set_many) as set_many:
        cards.release_cards(public_releases())
        assert len(set_many.call_args.args[0]) == 3
        make_release(title="Newest")
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
            cards.release_cards(public_releases())
        get_many.assert_called_once()
        assert [len(call.args[0]) for call in set_many.call_args_list] == [3, 1]


def test_the_pages_are_the_same_with_cards_kept_and_without(client, make_release):
    make_release(title="Listed", tags=["WCO"])
    pages = ["/", LIST, "/releases/?tag=wco"]
    first = [page(client, url) for url in pages]
    assert [page(client, url) for url in pages] == first
    assert "Listed" in first[1]


def test_each_heading_level_has_a_card_of_its_own(client, make_release):
    make_release(title="On both pages")
    page(client, LIST)
    home = page(client, "/")
    assert '<h3 class="card-title"><a href=' in home
    assert '<h2 class="card-title"><a href=' in page(client, LIST)


def test_a_changed_release_shows_at_once(client, make_release):
    release = make_release(title="Before", lead="Old summary.")
    page(client)
    release.title, release.lead = "After", "New summary."
    release.save()
    html = page(client)
    assert "After" in html and "New summary." in html and "Before" not in html


def test_a_renamed_tag_shows_at_once(client, make_release):
    make_release(tags=["Green Customs"])
    assert "Green Customs" in page(client)
    Tag.objects.filter(name="Green Customs").update(name="Blue Customs")
    html = page(client)
    assert "Blue Customs" in html and "Green Customs" not in html


def test_a_tag_added_or_removed_shows_at_once(client, make_release):
    release = make_release(tags=["WCO"])
    page(client)
    release.tags.set(["OSCE"])
    html = page(client)
    assert "OSCE" in html and ">WCO<" not in html


def test_a_renamed_department_shows_at_once(client, make_release, department):
    make_release()
    assert department.name in page(client)
    department.name = "Department of Customs Statistics"
    department.save()
    html = page(client)
    assert "Department of Customs Statistics" in html and "Press and Public Relations" not in html


def test_a_changed_photo_shows_at_once(client, make_release, django_capture_on_commit_callbacks):
    release = make_release()
    image = ReleaseImage(release=release, alt_text="The delegation in Brussels.")
    image.attach(prepared_image())
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    assert "The delegation in Brussels." in page(client)
    image.alt_text = "The signing of the agreement."
    image.save()
    html = page(client)
    assert "The signing of the agreement." in html and "The delegation in Brussels." not in html
    # Hidden from the site without alt text: the card shows no photo.
    ReleaseImage.objects.filter(pk=image.pk).update(alt_text="")
    assert "<picture>" not in page(client)


def test_a_release_no_longer_public_leaves_the_list(client, make_release):
    release = make_release(title="Soon withdrawn")
    assert "Soon withdrawn" in page(client)
    Release.objects.filter(pk=release.pk).update(status=Release.Status.WITHDRAWN, withdrawal_reason="Error.")
    assert "Soon withdrawn" not in page(client)


def test_a_card_is_kept_for_each_language(make_release):
    make_release(tags=["WCO"])
    english = cards.release_cards(public_releases())
    # The same release in another language's page: its dates and labels.
    with translation.override("az"):
        releases = Release.objects.for_lists("en").prefetch_related(lead_image_prefetch())
        azerbaijani = cards.release_cards(releases)
        assert azerbaijani == as_rendered(releases)
    assert azerbaijani != english
    assert english == as_rendered(public_releases())


def test_a_card_follows_the_addresses_of_its_links(make_release):
    make_release()
    cards.release_cards(public_releases())
    with override_script_prefix("/press/"):
        moved = cards.release_cards(public_releases())
        assert moved == as_rendered(public_releases())
    assert 'href="/press/releases/' in moved[0] and 'href="/press/departments/' in moved[0]


# The card stamp (releases/models/cards.py): every way a card's tags, their
# names or its photo can change renews it, so that the kept card is not read.


def stamp(release):
    return CardStamp.objects.filter(release=release).values_list("stamp", flat=True).first()


def renews(release, change):
    """Whether `change()` gives `release` a new card stamp."""
    before = stamp(release)
    change()
    return stamp(release) not in (before, None)


def test_every_change_to_a_cards_tags_renews_its_stamp(make_release):
    release = make_release(tags=["WCO"])
    other = make_release(tags=["Customs Union"])
    wco, osce = Tag.objects.get(name="WCO"), Tag.objects.create(name="OSCE")
    assert renews(release, lambda: release.tags.add("Green Customs"))
    assert renews(release, lambda: release.tags.remove("Green Customs"))
    assert renews(release, lambda: release.tags.set(["WCO", "OSCE"]))
    assert renews(release, lambda: release.tags.clear())
    assert renews(release, lambda: TaggedRelease.objects.create(content_object=release, tag=wco))
    assert renews(release, lambda: TaggedRelease.objects.get(content_object=release).delete())
    assert renews(release, lambda: TaggedRelease.objects.bulk_create([TaggedRelease(content_object=release, tag=wco)]))
    assert renews(release, lambda: TaggedRelease.objects.filter(content_object=release).update(tag=osce))
    assert renews(other, lambda: TaggedRelease.objects.filter(content_object=release).update(content_object=other))
    assert renews(other, lambda: TaggedRelease.objects.filter(content_object=other).delete())
    # What a card does not show leaves it alone.
    release.tags.set(["WCO"])
    assert not renews(release, lambda: release.tags.add("WCO"))
    assert not renews(release, lambda: TaggedRelease.objects.filter(content_object=release).copy_release_columns())
    assert not renews(release, lambda: Tag.objects.create(name="Unused"))


def test_a_renamed_merged_or_deleted_tag_renews_the_stamps_of_its_releases(make_release):
    tagged = [make_release(tags=["WCO"]) for _ in range(2)]
    untagged = make_release(tags=["OSCE"])
    before = {release.pk: stamp(release) for release in [*tagged, untagged]}
    wco = Tag.objects.get(name="WCO")
    wco.name = "World Customs Organization"
    wco.save()
    assert all(stamp(release) != before[release.pk] for release in tagged)
    assert stamp(untagged) == before[untagged.pk]
    assert all(renews(release, lambda: Tag.objects.filter(pk=wco.pk).update(name="WCO")) for release in tagged[:1])
    assert renews(tagged[1], lambda: Tag.objects.bulk_update([wco], ["name"]))
    assert renews(untagged, lambda: merge_tags(keep=wco, merge=[Tag.objects.get(name="OSCE")]))
    assert renews(tagged[0], lambda: wco.delete())


def test_every_change_to_a_cards_photos_renews_its_stamp(make_release):
    release = make_release()
    image = ReleaseImage(release=release, alt_text="The delegation.")
    image.attach(prepared_image())
    assert renews(release, image.save)
    assert renews(release, lambda: ReleaseImage.objects.filter(pk=image.pk).update(caption="In Brussels."))
    assert renews(release, lambda: ReleaseImage.objects.bulk_update([image], ["alt_text"]))
    copy = ReleaseImage(release=release, alt_text="Another.", file=image.file.name)
    assert renews(release, lambda: ReleaseImage.objects.bulk_create([copy]))
    assert renews(release, image.delete)


def test_a_release_deleted_with_its_photos_leaves_no_stamp(make_release, django_capture_on_commit_callbacks):
    release = make_release(tags=["WCO"])
    image = ReleaseImage(release=release, alt_text="The delegation.")
    image.attach(prepared_image())
    image.save()
    with django_capture_on_commit_callbacks(execute=True):
        release.delete()
    assert not CardStamp.objects.exists()


def test_a_page_of_kept_cards_loads_no_tags_and_no_photos(client, make_release):
    for _ in range(3):
        make_release(tags=["WCO", "OSCE"])
    page(client)
    with CaptureQueriesContext(connection) as kept:
        page(client)
    cache.clear()
    with CaptureQueriesContext(connection) as rendered:
        page(client)
    # The tags and the photos, loaded for the cards rendered only.
    assert len(rendered) - len(kept) == 2
    assert not any("releases_releaseimage" in query["sql"] for query in kept)
    assert any("releases_releaseimage" in query["sql"] for query in rendered)


def test_a_cards_tags_are_in_the_alphabetical_order_of_its_language(make_release):
    make_release(language="az", tags=["Şəki", "Zaqatala", "Çay", "Bakı"])
    with translation.override("az"):
        card = cards.release_cards(Release.objects.for_cards("az"))[0]
    names = [name for name in ("Bakı", "Çay", "Şəki", "Zaqatala") if name in card]
    assert sorted(names, key=card.index) == ["Bakı", "Çay", "Şəki", "Zaqatala"]
