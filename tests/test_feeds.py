import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from releases.feeds import xml_safe
from releases.models import Department, Release

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
ALL_FEEDS = ["feeds:releases-rss", "feeds:releases-atom"]


def fetch(client, url_name, language="en", **kwargs):
    """The feed at `url_name` in `language` (/az/feeds/rss/ for "az"), parsed;
    the request names a host other than SITE_URL's."""
    with translation.override(language):
        url = reverse(url_name, kwargs=kwargs or None)
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200
    return ET.fromstring(response.content)


def entries(feed):
    """(title, link) of each entry of an RSS or Atom feed, in order."""
    if feed.tag == "rss":
        return [(item.findtext("title"), item.findtext("link")) for item in feed.iter("item")]
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href")) for entry in feed.iter(f"{ATOM}entry")
    ]


def titles(feed):
    return [title for title, _ in entries(feed)]


def feed_link(feed):
    """The page of the site a feed stands for."""
    if feed.tag == "rss":
        return feed.findtext("channel/link")
    return feed.find(f"{ATOM}link[@rel='alternate']").get("href")


def ids(feed):
    if feed.tag == "rss":
        return [guid.text for guid in feed.iter("guid")]
    return [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]


@pytest.mark.parametrize("url_name", ALL_FEEDS)
def test_feed_lists_public_releases_newest_first(client, make_release, url_name):
    older = make_release(published_at=timezone.now() - timedelta(days=2))
    newer = make_release(published_at=timezone.now() - timedelta(days=1))
    assert titles(fetch(client, url_name)) == [newer.title, older.title]


@pytest.mark.parametrize("url_name", ALL_FEEDS)
@pytest.mark.parametrize(
    "fields",
    [
        {"status": Release.Status.DRAFT},
        {"status": Release.Status.IN_REVIEW},
        {"status": Release.Status.WITHDRAWN},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "in-review", "withdrawn", "scheduled"],
)
def test_feed_leaves_out_releases_the_public_may_not_see(client, make_release, url_name, fields):
    public = make_release()
    make_release(title="Not for the public", **fields)
    assert titles(fetch(client, url_name)) == [public.title]


@pytest.mark.parametrize("url_name", ALL_FEEDS)
def test_feed_lists_only_releases_in_the_language_served(client, make_release, url_name):
    english = make_release(language="en")
    azerbaijani = make_release(language="az", translation_key=english.translation_key)
    assert titles(fetch(client, url_name, language="az")) == [azerbaijani.title]
    assert titles(fetch(client, url_name)) == [english.title]


def test_feed_language_is_the_language_served(client, make_release):
    assert fetch(client, "feeds:releases-rss", language="az").findtext("channel/language") == "az"
    atom = fetch(client, "feeds:releases-atom", language="az")
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "az"
    assert fetch(client, "feeds:releases-rss").findtext("channel/language") == "en"


@pytest.mark.parametrize("url_name", ALL_FEEDS)
def test_feed_holds_the_latest_fifty_releases(client, make_release, url_name):
    releases = [make_release() for _ in range(51)]
    newest_first = sorted(releases, key=lambda release: release.published_at, reverse=True)
    assert titles(fetch(client, url_name)) == [release.title for release in newest_first[:50]]


def test_rss_item_carries_title_link_summary_date_author_categories_and_id(client, site_url, make_release):
    release = make_release(title="Customs & <Excise> meet", lead="Talks on transit.", tags=["WCO", "Transit"])
    channel = fetch(client, "feeds:releases-rss").find("channel")
    assert channel.findtext("link") == f"{site_url}/releases/"
    assert channel.find("{http://www.w3.org/2005/Atom}link").get("href") == f"{site_url}/feeds/rss/"
    item = channel.find("item")
    assert item.findtext("title") == "Customs & <Excise> meet"
    assert item.findtext("link") == site_url + release.get_absolute_url()
    assert item.findtext("description") == "Talks on transit."
    assert parsedate_to_datetime(item.findtext("pubDate")) == release.published_at.replace(microsecond=0)
    assert item.findtext(DC_CREATOR) == release.department.signed_as
    assert sorted(category.text for category in item.findall("category")) == ["Transit", "WCO"]
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert guid.text.startswith("urn:uuid:")


def test_atom_entry_carries_title_link_summary_dates_author_categories_and_id(client, site_url, make_release):
    release = make_release(lead="Talks on <transit> & trade.", tags=["WCO", "Transit"])
    feed = fetch(client, "feeds:releases-atom")
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{site_url}/releases/"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{site_url}/feeds/atom/"
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == release.title
    assert entry.find(f"{ATOM}link").get("href") == site_url + release.get_absolute_url()
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "Talks on &lt;transit&gt; &amp; trade."
    published = datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert published.tzinfo is not None
    assert published == release.published_at
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == release.published_at
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == release.department.signed_as
    assert sorted(category.get("term") for category in entry.findall(f"{ATOM}category")) == ["Transit", "WCO"]
    assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")


@pytest.mark.parametrize("url_name", ALL_FEEDS)
def test_feed_id_of_a_release_survives_a_change_of_title_and_slug(client, make_release, url_name):
    release = make_release(title="First title")
    first = fetch(client, url_name)
    release.title = "Corrected title"
    release.slug = "corrected-title"
    release.save()
    second = fetch(client, url_name)
    assert titles(second) == ["Corrected title"]
    assert ids(second) == ids(first)


def test_language_versions_of_a_release_have_different_ids(client, make_release):
    english = make_release(language="en")
    make_release(language="az", translation_key=english.translation_key)
    english_ids = ids(fetch(client, "feeds:releases-rss"))
    azerbaijani_ids = ids(fetch(client, "feeds:releases-rss", language="az"))
    assert len(english_ids) == len(azerbaijani_ids) == 1
    assert english_ids != azerbaijani_ids


@pytest.mark.parametrize(
    ("character", "title"),
    # Word's manual line break (a vertical tab) is a space once saved (releases.text).
    [("\x0b", "Vertical tab"), ("\x00", "Verticaltab"), ("\x1f", "Verticaltab"), ("\ufffe", "Verticaltab")],
    ids=repr,
)
@pytest.mark.parametrize("url_name", ALL_FEEDS)
def test_characters_xml_cannot_carry_are_dropped_rather_than_break_the_feed(
    client, make_release, url_name, character, title
):
    make_release(title=f"Vertical{character}tab", lead=f"Lead{character}text", tags=[f"Tag{character}name"])
    assert titles(fetch(client, url_name)) == [title]


def test_xml_safe_drops_what_xml_forbids_and_keeps_the_rest():
    assert xml_safe("a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg\uffffh") == "abcdefgh"
    assert xml_safe("tab\tnewline\ncarriage\r « Bakı » ✓") == "tab\tnewline\ncarriage\r « Bakı » ✓"


@pytest.mark.parametrize("url_name", ["feeds:tag-rss", "feeds:tag-atom"])
def test_tag_feed_lists_only_releases_with_the_tag(client, site_url, make_release, url_name):
    tagged = make_release(tags=["WCO", "Transit"])
    make_release(tags=["Transit"])
    make_release()
    make_release(status=Release.Status.DRAFT, tags=["WCO"])
    feed = fetch(client, url_name, slug="wco")
    assert titles(feed) == [tagged.title]
    assert feed_link(feed) == f"{site_url}/releases/?tag=wco"


@pytest.mark.parametrize("url_name", ["feeds:tag-rss", "feeds:tag-atom"])
def test_tag_feed_of_unknown_tag_is_404(client, make_release, url_name):
    make_release(tags=["WCO"])
    assert client.get(reverse(url_name, kwargs={"slug": "no-such-tag"})).status_code == 404


@pytest.mark.parametrize("url_name", ["feeds:tag-rss", "feeds:tag-atom"])
def test_tag_feed_of_tag_only_on_unpublished_releases_is_404(client, make_release, url_name):
    make_release(status=Release.Status.DRAFT, tags=["Secret plans"])
    make_release(published_at=timezone.now() + timedelta(days=1), tags=["Secret plans"])
    assert client.get(reverse(url_name, kwargs={"slug": "secret-plans"})).status_code == 404


@pytest.mark.parametrize("url_name", ["feeds:department-rss", "feeds:department-atom"])
def test_department_feed_lists_only_the_department_releases(client, site_url, make_release, department, url_name):
    other = Department.objects.create(name="Legal Department", slug="legal")
    own = make_release()
    make_release(department=other)
    make_release(status=Release.Status.IN_REVIEW)
    feed = fetch(client, url_name, slug=department.slug)
    assert titles(feed) == [own.title]
    assert feed_link(feed) == site_url + department.get_absolute_url()


@pytest.mark.parametrize("url_name", ["feeds:department-rss", "feeds:department-atom"])
def test_department_feed_of_unknown_department_is_404(client, department, url_name):
    assert client.get(reverse(url_name, kwargs={"slug": "no-such-department"})).status_code == 404


# The feed's entries, their departments and their tags come in a fixed number
# of queries: a query per entry (department or tags) would show as growth here.
@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("url_name", ALL_FEEDS)
def test_feed_queries_do_not_grow_with_its_entries(
    client, make_release, django_assert_max_num_queries, url_name, count
):
    for number in range(count):
        make_release(tags=["WCO", f"Topic {number}"])
    with django_assert_max_num_queries(2):
        feed = fetch(client, url_name)
    assert len(entries(feed)) == count


@pytest.mark.parametrize("count", [3, 30])
def test_tag_feed_queries_do_not_grow_with_its_entries(client, make_release, django_assert_max_num_queries, count):
    for number in range(count):
        make_release(tags=["WCO", f"Topic {number}"])
    with django_assert_max_num_queries(3):
        feed = fetch(client, "feeds:tag-rss", slug="wco")
    assert len(entries(feed)) == count
