import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from releases.models import Department, Event, Release
from releases.sitemaps import ReleaseSitemap

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"
SECTIONS = ["pages", "releases", "events", "departments"]


def fetch(client, url):
    """The sitemap (or index) at `url`, parsed; the request names a host other than SITE_URL's."""
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def section(client, name, page=None):
    url = reverse("sitemap-section", kwargs={"section": name}) + (f"?p={page}" if page else "")
    return {url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in fetch(client, url).iter(f"{SM}url")}


def section_alternates(client, name):
    """{location: {hreflang: address}} of the xhtml:link alternates of each entry of a section."""
    urlset = fetch(client, reverse("sitemap-section", kwargs={"section": name}))
    return {
        url.findtext(f"{SM}loc"): {link.get("hreflang"): link.get("href") for link in url.iter(XHTML_LINK)}
        for url in urlset.iter(f"{SM}url")
    }


def in_every_language(site_url, path):
    """The addresses of a page that exists in every language, in the order of
    LANGUAGES: Azerbaijani under /az/, English unprefixed, Russian under /ru/."""
    return [f"{site_url}/az{path}", f"{site_url}{path}", f"{site_url}/ru{path}"]


def test_index_lists_each_section_on_site_url(client, site_url):
    index = fetch(client, reverse("sitemap"))
    assert index.tag == f"{SM}sitemapindex"
    locations = [sitemap.findtext(f"{SM}loc") for sitemap in index.iter(f"{SM}sitemap")]
    assert locations == [f"{site_url}/sitemap-{name}.xml" for name in SECTIONS]


def test_index_gives_the_latest_change_of_the_releases(client, site_url, make_release):
    make_release()
    latest = make_release()
    index = fetch(client, reverse("sitemap"))
    lastmods = {
        sitemap.findtext(f"{SM}loc"): sitemap.findtext(f"{SM}lastmod") for sitemap in index.iter(f"{SM}sitemap")
    }
    assert datetime.fromisoformat(lastmods[f"{site_url}/sitemap-releases.xml"]) == latest.updated_at


def test_index_lists_every_page_of_a_section_past_its_limit(client, site_url, make_release, monkeypatch):
    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    first, second, third = (make_release() for _ in range(3))
    index = fetch(client, reverse("sitemap"))
    locations = [sitemap.findtext(f"{SM}loc") for sitemap in index.iter(f"{SM}sitemap")]
    assert f"{site_url}/sitemap-releases.xml" in locations
    assert f"{site_url}/sitemap-releases.xml?p=2" in locations
    assert f"{site_url}/sitemap-releases.xml?p=3" not in locations
    # Ordered by primary key: the oldest rows fill the first page.
    assert list(section(client, "releases")) == [
        site_url + first.get_absolute_url(),
        site_url + second.get_absolute_url(),
    ]
    assert list(section(client, "releases", page=2)) == [site_url + third.get_absolute_url()]


def test_sections_pages_stay_within_the_protocol_limit():
    assert ReleaseSitemap.limit <= 50_000


def test_release_pages_are_ranges_of_primary_keys(client, site_url, make_release, monkeypatch):
    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    first = make_release()
    make_release(status=Release.Status.DRAFT)
    third, fourth = make_release(), make_release()
    assert list(section(client, "releases")) == [site_url + first.get_absolute_url()]
    assert list(section(client, "releases", page=2)) == [
        site_url + third.get_absolute_url(),
        site_url + fourth.get_absolute_url(),
    ]


def test_release_section_lists_public_releases_on_site_url_with_lastmod(client, site_url, make_release):
    release = make_release()
    assert section(client, "releases") == {
        site_url + release.get_absolute_url(): timezone.localdate(release.updated_at).isoformat()
    }


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
def test_release_section_leaves_out_releases_the_public_may_not_see(client, site_url, make_release, fields):
    public = make_release()
    make_release(**fields)
    assert list(section(client, "releases")) == [site_url + public.get_absolute_url()]


def test_event_section_lists_events_in_every_language(client, site_url, event):
    later = Event.objects.create(title="Customs summit", slug="customs-summit", start_date=date(2024, 1, 1))
    Event.objects.update(published=True)
    assert list(section(client, "events")) == [
        *in_every_language(site_url, event.get_absolute_url()),
        *in_every_language(site_url, later.get_absolute_url()),
    ]


def test_every_language_entry_of_an_event_lists_the_others_as_alternates(client, site_url, event):
    Event.objects.update(published=True)
    az, en, ru = in_every_language(site_url, event.get_absolute_url())
    expected = {"az": az, "en": en, "ru": ru, "x-default": en}
    assert section_alternates(client, "events") == {az: expected, en: expected, ru: expected}


def test_department_section_lists_only_departments_with_public_releases(client, site_url, make_release, department):
    quiet = Department.objects.create(name="Legal Department", slug="legal")
    make_release(department=quiet, status=Release.Status.DRAFT)
    Department.objects.create(name="Archive Department", slug="archive")
    make_release()
    assert list(section(client, "departments")) == in_every_language(site_url, department.get_absolute_url())


def test_pages_section_lists_the_public_pages_in_every_language(client, site_url, db):
    assert list(section(client, "pages")) == [
        *in_every_language(site_url, "/"),
        *in_every_language(site_url, "/releases/"),
        *in_every_language(site_url, "/tags/"),
        *in_every_language(site_url, "/events/"),
    ]


def test_unknown_section_is_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("page", ["2", "0", "abc"])
def test_section_page_out_of_range_is_404(client, make_release, page):
    make_release()
    assert client.get(reverse("sitemap-section", kwargs={"section": "releases"}), {"p": page}).status_code == 404


# A section page is a count, one query for its rows and one for the public
# language versions its entries list as alternates, however many releases it
# lists: a query per release (a deferred column read in `location`, or its
# other versions looked up one release at a time) would show here.
@pytest.mark.parametrize("count", [3, 30])
def test_release_section_queries_do_not_grow_with_releases(client, make_release, django_assert_max_num_queries, count):
    for _ in range(count):
        english = make_release(language="en")
        make_release(language="az", translation_key=english.translation_key)
    with django_assert_max_num_queries(3):
        assert len(section(client, "releases")) == 2 * count


# The index costs a count per database-backed section and one aggregate for
# the releases' last change, never a walk over every release.
@pytest.mark.parametrize("count", [3, 30])
def test_index_queries_do_not_grow_with_releases(client, make_release, django_assert_max_num_queries, count):
    for _ in range(count):
        make_release()
    with django_assert_max_num_queries(4):
        fetch(client, reverse("sitemap"))
