"""The public site in three languages: Azerbaijani under /az/, English (the
default language) at the unprefixed addresses of INTERFACE.md, Russian under
/ru/.

Each language's pages, what each language shows (its own releases only), the
language switcher and the hreflang links, feeds, sitemap, search, dates, and
the per-language text of events, delegations and departments with its
fallback to English. Pages are parsed with html5lib in strict mode, so that
every page read here is also checked to be valid HTML.
"""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from releases.models import DelegationMember, Event, Release

pytestmark = pytest.mark.django_db

# The prefix of each language's addresses.
PREFIX = {"az": "/az", "en": "", "ru": "/ru"}
LANGUAGES = list(PREFIX)

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"

# 11:52 in Baku, where the seed release was published.
PUBLISHED_AT = datetime(2023, 6, 20, 7, 52, tzinfo=UTC)
TITLES = {
    "az": "ÜGT-nin Siyasət Komissiyasının 88-ci sessiyası keçirilir",
    "en": "The 88th session of the WCO Policy Commission is being held",
    "ru": "Проходит 88-я сессия Комиссии по политике ВТамО",
}
LEADS = {
    "az": "Dövlət Gömrük Komitəsinin sədri Brüsseldə WCO sessiyasında nümayəndə heyətinə rəhbərlik edir.",
    "en": "The Chairman of the State Customs Committee leads the delegation to the WCO session in Brussels.",
    "ru": "Председатель Государственного таможенного комитета возглавляет делегацию на сессии WCO в Брюсселе.",
}
TAGS = {"az": ["ÜGT", "WCO"], "en": ["Brussels", "WCO"], "ru": ["ВТамО", "WCO"]}
PAGES = {
    "home": "/",
    "release-list": "/releases/",
    "tag-list": "/tags/",
    "event-list": "/events/",
    "event": "/events/wco-policy-commission/",
    "department": "/departments/press/",
}
NOT_PUBLIC = ["missing", "draft", "in_review", "scheduled", "withdrawn"]


# Reading pages, feeds and sitemaps


def parse(response):
    """The page as an element tree; html5lib's strict mode raises on the
    first HTML parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response, parse(response)


def text(element):
    return " ".join("".join(element.itertext()).split())


def card_titles(tree):
    return [text(link) for link in tree.iterfind(".//*[@class='card-title']/a")]


def listed(client, url):
    return card_titles(get(client, url)[1])


def searched(client, language, words):
    """The titles the release list of `language` shows for a search."""
    return listed(client, f"{PREFIX[language]}/releases/?" + urlencode({"q": words}))


def tag_counts(tree):
    """{tag name: count} of a page's tag cloud."""
    counts = {}
    for link in tree.iterfind(".//ul[@class='tag-cloud']/li/a"):
        name, count = text(link).rsplit(" ", 1)
        counts[name] = int(count.strip("()"))
    return counts


def switcher(tree):
    """(the language marked as current, {language: address} of the others) of
    the language switcher."""
    nav = next(nav for nav in tree.iter("nav") if "languages" in nav.get("class", "").split())
    current = nav.find(".//*[@aria-current='true']").get("lang")
    return current, {link.get("hreflang"): link.get("href") for link in nav.iter("a")}


def hreflang_alternates(tree):
    """{language: address} of the hreflang alternates in the page head."""
    return {
        link.get("hreflang"): link.get("href") for link in tree.iterfind("./head/link[@rel='alternate'][@hreflang]")
    }


def feed_links(tree):
    """The addresses of the feeds advertised in the page head."""
    return {link.get("href") for link in tree.iterfind("./head/link[@rel='alternate'][@type]")}


def fetch_xml(client, url):
    """A feed or sitemap, parsed; the request names a host other than SITE_URL's."""
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return ET.fromstring(response.content)


def feed_entries(feed):
    """(title, link) of each entry of an RSS or Atom feed, in order."""
    if feed.tag == "rss":
        return [(item.findtext("title"), item.findtext("link")) for item in feed.iter("item")]
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href")) for entry in feed.iter(f"{ATOM}entry")
    ]


def sitemap_entries(client, section):
    """{location: {hreflang: address}} of the entries of a sitemap section."""
    urlset = fetch_xml(client, f"/sitemap-{section}.xml")
    return {
        url.findtext(f"{SM}loc"): {link.get("hreflang"): link.get("href") for link in url.iter(XHTML_LINK)}
        for url in urlset.iter(f"{SM}url")
    }


# Content


@pytest.fixture
def translated_event(event):
    """The event with its title and city in all three languages, and its
    venue, country and organizer in English only."""
    event.title_az = "ÜGT Siyasət Komissiyasının 88-ci sessiyası"
    event.title_ru = "88-я сессия Комиссии по политике ВТамО"
    event.city_az = "Brüssel"
    event.city_ru = "Брюссель"
    event.save()
    return event


@pytest.fixture
def translated_delegation(delegation):
    """The head's name and position in all three languages, the rank in
    English and Russian; one member whose position is in English only."""
    delegation.head_name_az = "Şahin Bağırov"
    delegation.head_name_ru = "Шахин Багиров"
    delegation.head_position_az = "Dövlət Gömrük Komitəsinin sədri"
    delegation.head_position_ru = "Председатель Государственного таможенного комитета"
    delegation.head_rank_ru = "генерал-лейтенант таможенной службы"
    delegation.save()
    DelegationMember.objects.create(
        delegation=delegation, name_en="Aynur Mammadova", name_az="Aynur Məmmədova", position_en="Adviser"
    )
    return delegation


@pytest.fixture
def translated_department(department):
    """The department's name in all three languages, its description in English only."""
    department.name_az = "Mətbuat və ictimaiyyətlə əlaqələr şöbəsi"
    department.name_ru = "Отдел по связям с прессой и общественностью"
    department.description_en = "The press office of the committee."
    department.save()
    return department


@pytest.fixture
def seed(make_release, translated_event, translated_delegation, translated_department):
    """The seed release in all three languages, published 20 June 2023 at
    11:52 in Baku: {language: release}."""
    english = make_release(language="en", title=TITLES["en"], lead=LEADS["en"], published_at=PUBLISHED_AT)
    versions = {"en": english}
    for language in ("az", "ru"):
        versions[language] = make_release(
            language=language,
            translation_key=english.translation_key,
            title=TITLES[language],
            lead=LEADS[language],
            published_at=PUBLISHED_AT,
        )
    for language, release in versions.items():
        release.event = translated_event
        release.save()
        release.tags.set(TAGS[language])
        release.delegations.add(translated_delegation)
    return versions


@pytest.fixture
def one_language_releases(make_release, event):
    """A release in Azerbaijani only and one in English only, both about the
    event and from the press department."""
    return SimpleNamespace(
        az=make_release(language="az", title="Yalnız Azərbaycan dilində olan buraxılış", event=event),
        en=make_release(language="en", title="A release in English only", event=event),
    )


@pytest.fixture
def russian_not_public(frozen_now, make_release, request):
    """A release public in English and Azerbaijani, and its Russian version in
    the state the test gives as parameter, one of NOT_PUBLIC ("missing": no
    Russian version at all)."""
    english = make_release(language="en", title="Customs officers met")
    azerbaijani = make_release(
        language="az", translation_key=english.translation_key, title="Gömrük əməkdaşları görüşdü"
    )
    fields = {
        "missing": None,
        "draft": {"status": Release.Status.DRAFT},
        "in_review": {"status": Release.Status.IN_REVIEW},
        "scheduled": {"status": Release.Status.PUBLISHED, "published_at": frozen_now + timedelta(hours=1)},
        "withdrawn": {"status": Release.Status.WITHDRAWN, "withdrawn_at": frozen_now},
    }[request.param]
    russian = None
    if fields is not None:
        russian = make_release(
            language="ru", translation_key=english.translation_key, title="Таможенники встретились", **fields
        )
    return SimpleNamespace(en=english, az=azerbaijani, ru=russian)


in_every_state_not_public = pytest.mark.parametrize("russian_not_public", NOT_PUBLIC, indirect=True)


# Each language's pages


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES)
def test_page_renders_in_each_language_with_its_html_lang(client, seed, language, path):
    _, tree = get(client, PREFIX[language] + path)
    assert tree.get("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_release_page_renders_in_its_language_with_its_html_lang(client, seed, language):
    _, tree = get(client, seed[language].get_absolute_url())
    assert tree.get("lang") == language
    assert text(tree.find(".//article[@class='release']//h1")) == TITLES[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_page_is_in_the_language_of_its_address(client, db, language):
    _, tree = get(client, f"{PREFIX[language]}/releases/no-such-release/", status=404)
    assert tree.get("lang") == language


def test_release_address_is_in_the_release_language_whatever_language_is_active(make_release):
    azerbaijani = make_release(language="az", title="Gömrük əməkdaşları görüşdü")
    english = make_release(language="en", title="Customs officers met")
    russian = make_release(language="ru", title="Таможенники встретились")
    for active in LANGUAGES:
        with translation.override(active):
            assert azerbaijani.get_absolute_url() == "/az/releases/gomruk-amakdashlari-gorushdu/"
            assert english.get_absolute_url() == "/releases/customs-officers-met/"
            assert russian.get_absolute_url() == "/ru/releases/tamozhenniki-vstretilis/"


# Each language shows its own releases only


@pytest.mark.parametrize("path", ["/", "/releases/", "/events/wco-policy-commission/", "/departments/press/"])
def test_release_is_listed_only_in_its_own_language(client, one_language_releases, path):
    assert listed(client, "/az" + path) == [one_language_releases.az.title]
    assert listed(client, path) == [one_language_releases.en.title]
    assert listed(client, "/ru" + path) == []


def test_release_is_not_found_under_another_language(client, one_language_releases):
    get(client, f"/releases/{one_language_releases.az.slug}/", status=404)
    get(client, f"/ru/releases/{one_language_releases.az.slug}/", status=404)
    get(client, f"/az/releases/{one_language_releases.en.slug}/", status=404)


def test_release_public_in_english_but_draft_in_azerbaijani_is_shown_in_english_only(client, make_release):
    english = make_release(language="en", title="Customs officers met")
    draft = make_release(
        language="az",
        translation_key=english.translation_key,
        title="Gömrük əməkdaşları görüşdü",
        status=Release.Status.DRAFT,
    )
    get(client, draft.get_absolute_url(), status=404)
    assert listed(client, "/az/releases/") == []
    assert listed(client, "/releases/") == [english.title]


@pytest.mark.parametrize("russian_not_public", ["draft", "in_review", "scheduled"], indirect=True)
def test_unpublished_version_is_not_found_nor_listed_though_another_version_is_public(client, russian_not_public):
    versions = russian_not_public
    response, _ = get(client, versions.ru.get_absolute_url(), status=404)
    assert versions.ru.title not in response.content.decode()
    assert listed(client, "/ru/releases/") == []
    assert listed(client, "/ru/") == []
    assert listed(client, "/releases/") == [versions.en.title]


@pytest.mark.parametrize("russian_not_public", NOT_PUBLIC[1:], indirect=True)
def test_page_of_a_public_version_does_not_leak_one_that_is_not_public(client, russian_not_public):
    versions = russian_not_public
    for release in (versions.en, versions.az):
        content = get(client, release.get_absolute_url())[0].content.decode()
        assert versions.ru.title not in content
        assert versions.ru.slug not in content


# The language switcher


@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_on_a_release_page_leads_to_its_other_versions(client, seed, language):
    _, tree = get(client, seed[language].get_absolute_url())
    assert switcher(tree) == (
        language,
        {other: seed[other].get_absolute_url() for other in LANGUAGES if other != language},
    )


@in_every_state_not_public
def test_switcher_leads_to_the_release_list_of_a_language_the_release_is_not_public_in(client, russian_not_public):
    versions = russian_not_public
    _, tree = get(client, versions.en.get_absolute_url())
    assert switcher(tree) == ("en", {"az": versions.az.get_absolute_url(), "ru": "/ru/releases/?untranslated=1"})
    _, tree = get(client, versions.az.get_absolute_url())
    assert switcher(tree) == ("az", {"en": versions.en.get_absolute_url(), "ru": "/ru/releases/?untranslated=1"})


@in_every_state_not_public
def test_switcher_s_note_on_a_missing_version_is_marked_with_the_page_s_language(client, russian_not_public):
    _, tree = get(client, russian_not_public.az.get_absolute_url())
    nav = next(nav for nav in tree.iter("nav") if "languages" in nav.get("class", "").split())
    link = next(link for link in nav.iter("a") if link.get("hreflang") == "ru")
    name, note = link.findall("span")
    # The name in Russian, the note in Azerbaijani, the page's language, as
    # visible text rather than a title only.
    assert (name.get("lang"), name.text) == ("ru", "Русский")
    assert (note.get("lang"), note.text) == ("az", "(tərcümə edilməyib)")
    assert link.get("lang") is None and link.get("title") is None
    english = next(link for link in nav.iter("a") if link.get("hreflang") == "en")
    assert [span.get("lang") for span in english.findall("span")] == ["en"]  # it exists: no note


@in_every_state_not_public
def test_list_reached_from_a_missing_version_says_so_in_its_own_language(client, site_url, russian_not_public):
    _, tree = get(client, russian_not_public.en.get_absolute_url())
    _, landing = get(client, switcher(tree)[1]["ru"])
    notice = landing.find(".//main//p[@class='notice-untranslated']")
    assert text(notice) == (
        "Пресс-релиз, который вы читали, не опубликован на этом языке. Вот пресс-релизы, опубликованные на нём."
    )
    assert landing.find("./head/link[@rel='canonical']").get("href") == site_url + "/ru/releases/"
    _, plain = get(client, "/ru/releases/")
    assert plain.find(".//main//p[@class='notice-untranslated']") is None


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES)
def test_switcher_on_other_pages_leads_to_the_same_page_in_the_other_languages(client, seed, language, path):
    _, tree = get(client, PREFIX[language] + path)
    assert switcher(tree) == (language, {other: PREFIX[other] + path for other in LANGUAGES if other != language})


# hreflang alternates in the page head


@pytest.mark.parametrize("language", LANGUAGES)
def test_release_page_lists_every_public_version_as_hreflang_alternate_on_site_url(client, site_url, seed, language):
    _, tree = get(client, seed[language].get_absolute_url())
    assert hreflang_alternates(tree) == {code: site_url + seed[code].get_absolute_url() for code in LANGUAGES}


@in_every_state_not_public
def test_hreflang_alternates_leave_out_a_version_that_is_not_public(client, site_url, russian_not_public):
    versions = russian_not_public
    expected = {"az": site_url + versions.az.get_absolute_url(), "en": site_url + versions.en.get_absolute_url()}
    for release in (versions.en, versions.az):
        assert hreflang_alternates(get(client, release.get_absolute_url())[1]) == expected


def test_release_in_one_language_has_itself_as_only_hreflang_alternate(client, site_url, one_language_releases):
    release = one_language_releases.az
    assert hreflang_alternates(get(client, release.get_absolute_url())[1]) == {
        "az": site_url + release.get_absolute_url()
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES)
def test_other_pages_list_every_language_as_hreflang_alternate(client, site_url, seed, language, path):
    _, tree = get(client, PREFIX[language] + path)
    assert hreflang_alternates(tree) == {code: site_url + PREFIX[code] + path for code in LANGUAGES}


# Feeds


@pytest.fixture
def feeds_content(seed, one_language_releases):
    """The seed release in three languages, and a newer release in Azerbaijani
    only and one in English only."""
    return SimpleNamespace(seed=seed, az_only=one_language_releases.az, en_only=one_language_releases.en)


@pytest.mark.parametrize("feed", ["rss", "atom"])
def test_feed_of_each_language_lists_only_releases_in_that_language(client, site_url, feeds_content, feed):
    seed = feeds_content.seed
    expected = {
        "az": [feeds_content.az_only, seed["az"]],
        "en": [feeds_content.en_only, seed["en"]],
        "ru": [seed["ru"]],
    }
    for language, releases in expected.items():
        entries = feed_entries(fetch_xml(client, f"{PREFIX[language]}/feeds/{feed}/"))
        assert entries == [(release.title, site_url + release.get_absolute_url()) for release in releases], language


@pytest.mark.parametrize("language", LANGUAGES)
def test_rss_feed_names_its_language_and_its_addresses_in_that_language(client, site_url, seed, language):
    channel = fetch_xml(client, f"{PREFIX[language]}/feeds/rss/").find("channel")
    assert channel.findtext("language") == language
    assert channel.findtext("link") == f"{site_url}{PREFIX[language]}/releases/"
    assert channel.find(f"{ATOM}link").get("href") == f"{site_url}{PREFIX[language]}/feeds/rss/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_atom_feed_names_its_language_and_its_addresses_in_that_language(client, site_url, seed, language):
    feed = fetch_xml(client, f"{PREFIX[language]}/feeds/atom/")
    assert feed.get(XML_LANG) == language
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{site_url}{PREFIX[language]}/releases/"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{site_url}{PREFIX[language]}/feeds/atom/"


@pytest.mark.parametrize("feed", ["rss", "atom"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_tag_feed_of_each_language_lists_only_releases_in_that_language(
    client, site_url, feeds_content, language, feed
):
    # "WCO" is on the seed release in every language; the release in one
    # language only does not carry it.
    entries = feed_entries(fetch_xml(client, f"{PREFIX[language]}/feeds/tags/wco/{feed}/"))
    release = feeds_content.seed[language]
    assert entries == [(release.title, site_url + release.get_absolute_url())]


def test_tag_feed_of_a_tag_on_no_release_of_the_language_is_not_found(client, make_release):
    make_release(language="en", tags=["Brussels"])
    assert client.get("/feeds/tags/brussels/rss/").status_code == 200
    assert client.get("/az/feeds/tags/brussels/rss/").status_code == 404


def test_tag_feed_leads_to_the_tag_list_of_its_language(client, site_url, seed):
    channel = fetch_xml(client, "/az/feeds/tags/wco/rss/").find("channel")
    assert channel.findtext("link") == f"{site_url}/az/releases/?tag=wco"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_advertise_the_feeds_of_their_language(client, seed, language):
    prefix = PREFIX[language]
    _, tree = get(client, f"{prefix}/releases/?tag=wco")
    advertised = feed_links(tree)
    assert advertised == {
        f"{prefix}/feeds/rss/",
        f"{prefix}/feeds/atom/",
        f"{prefix}/feeds/tags/wco/rss/",
        f"{prefix}/feeds/tags/wco/atom/",
    }
    for href in advertised:
        assert client.get(href).status_code == 200, href


# Sitemap


@in_every_state_not_public
def test_sitemap_lists_each_public_version_with_the_others_as_alternates(
    client, site_url, russian_not_public, make_release
):
    versions = russian_not_public
    alone = make_release(language="ru", title="Только по-русски")
    english, azerbaijani = site_url + versions.en.get_absolute_url(), site_url + versions.az.get_absolute_url()
    assert sitemap_entries(client, "releases") == {
        english: {"az": azerbaijani, "en": english},
        azerbaijani: {"az": azerbaijani, "en": english},
        # A release without other public versions has no alternates.
        site_url + alone.get_absolute_url(): {},
    }


def test_sitemap_lists_all_three_versions_of_the_seed_release_as_alternates_of_each_other(client, site_url, seed):
    addresses = {language: site_url + release.get_absolute_url() for language, release in seed.items()}
    assert sitemap_entries(client, "releases") == dict.fromkeys(addresses.values(), addresses)


@pytest.mark.parametrize(
    "section, path",
    [
        ("pages", "/"),
        ("pages", "/releases/"),
        ("pages", "/tags/"),
        ("pages", "/events/"),
        ("events", "/events/wco-policy-commission/"),
        ("departments", "/departments/press/"),
    ],
)
def test_sitemap_lists_pages_events_and_departments_in_every_language(client, site_url, seed, section, path):
    entries = sitemap_entries(client, section)
    every_language = {code: site_url + PREFIX[code] + path for code in LANGUAGES}
    for address in every_language.values():
        assert entries[address] == every_language | {"x-default": site_url + path}


# Search


def test_search_finds_only_releases_in_the_language_served(client, seed):
    # "WCO" is in the lead of every version of the seed release.
    for language in LANGUAGES:
        assert searched(client, language, "WCO") == [TITLES[language]]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL searches by words, with stemming")
def test_search_elsewhere_than_postgresql_finds_words_as_typed_in_any_case(client, make_release):
    russian = make_release(language="ru", title="Таможенного комитета сессия", lead="", body="")
    azerbaijani = make_release(language="az", title="Əməkdaşlar görüşdü", lead="", body="")
    # Russian and Azerbaijani words without their endings (releases.search).
    for words in ("таможенного", "ТАМОЖЕННОГО", "Таможен", "таможенный", "таможня"):
        assert searched(client, "ru", words) == [russian.title], words
    assert searched(client, "ru", "граница") == []
    for words in ("əməkdaşlar", "ƏMƏKDAŞ"):
        assert searched(client, "az", words) == [azerbaijani.title], words
    assert searched(client, "en", "таможенного") == []


@pytest.mark.postgresql
def test_russian_search_stems_russian_words(client, make_release):
    release = make_release(language="ru", title="Заседание Государственного таможенного комитета", lead="", body="")
    make_release(language="ru", title="Другая новость", lead="", body="")
    assert searched(client, "ru", "таможенный") == [release.title]
    assert searched(client, "ru", "комитеты заседания") == [release.title]


@pytest.mark.postgresql
def test_english_search_stems_english_words(client, make_release):
    release = make_release(language="en", title="Customs officers held two sessions", lead="", body="")
    make_release(language="en", title="Something else", lead="", body="")
    assert searched(client, "en", "officer session") == [release.title]


@pytest.mark.postgresql
def test_azerbaijani_search_takes_the_suffixes_off_the_typed_words(client, make_release):
    # PostgreSQL has no Azerbaijani configuration: the words are stored as
    # written, and the typed ones lose their suffixes (releases.search).
    release = make_release(language="az", title="Gömrük əməkdaşları Brüsseldə görüşdü", lead="", body="")
    make_release(language="az", title="Başqa xəbər", lead="", body="")
    assert searched(client, "az", "gömrük əməkdaşları") == [release.title]
    assert searched(client, "az", "GÖMRÜK") == [release.title]
    assert searched(client, "az", "əməkdaş") == [release.title]
    assert searched(client, "az", "gomrukculer emekdaslarin") == [release.title]
    assert searched(client, "az", "ixrac") == []


# Dates


@pytest.mark.parametrize(
    "language, shown",
    [("en", "20 June 2023 11:52"), ("az", "20 iyun 2023 11:52"), ("ru", "20 июня 2023 11:52")],
)
def test_release_page_shows_its_publication_time_in_the_format_of_its_language(client, seed, language, shown):
    _, tree = get(client, seed[language].get_absolute_url())
    assert text(tree.find(".//article[@class='release']/header//time")) == shown


# Events, delegations and departments in each language


def test_event_page_shows_the_event_in_each_language_with_english_where_a_translation_is_missing(
    client, translated_event
):
    Event.objects.update(published=True)  # public with no release
    expected = {
        "az": ("ÜGT Siyasət Komissiyasının 88-ci sessiyası", "WCO headquarters, Brüssel, Belgium"),
        "en": ("88th session of the WCO Policy Commission", "WCO headquarters, Brussels, Belgium"),
        "ru": ("88-я сессия Комиссии по политике ВТамО", "WCO headquarters, Брюссель, Belgium"),
    }
    for language, (title, place) in expected.items():
        _, tree = get(client, f"{PREFIX[language]}/events/wco-policy-commission/")
        assert text(tree.find(".//main//h1")) == title
        box = tree.find(".//section[@class='box event-box']")
        assert [text(dd) for dd in box.iterfind("./dl/dd")][:2] == ["World Customs Organization", place]


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_without_translations_shows_its_english_text_in_every_language(client, event, language):
    Event.objects.update(published=True)  # public with no release
    _, tree = get(client, f"{PREFIX[language]}/events/wco-policy-commission/")
    assert text(tree.find(".//main//h1")) == "88th session of the WCO Policy Commission"
    assert text(tree.find("./head/title")).startswith("88th session of the WCO Policy Commission")


def test_delegation_shows_in_each_language_with_english_where_a_translation_is_missing(client, seed):
    expected = {
        "az": (
            "Şahin Bağırov, Dövlət Gömrük Komitəsinin sədri, lieutenant-general of the customs service",
            ["Aynur Məmmədova, Adviser"],
        ),
        "en": (
            "Shahin Baghirov, Chairman of the State Customs Committee, lieutenant-general of the customs service",
            ["Aynur Mammadova, Adviser"],
        ),
        "ru": (
            "Шахин Багиров, Председатель Государственного таможенного комитета, генерал-лейтенант таможенной службы",
            ["Aynur Mammadova, Adviser"],
        ),
    }
    for language, (head, members) in expected.items():
        _, tree = get(client, seed[language].get_absolute_url())
        box = tree.find(".//section[@class='box delegation-box']")
        assert text(box.find("./p[@class='head']")).startswith(head + " ("), language
        assert [text(member) for member in box.iterfind(".//ul[@class='members']/li")] == members, language


def test_department_shows_in_each_language_with_english_where_a_translation_is_missing(client, translated_department):
    names = {
        "az": "Mətbuat və ictimaiyyətlə əlaqələr şöbəsi",
        "en": "Press and Public Relations Department",
        "ru": "Отдел по связям с прессой и общественностью",
    }
    for language, name in names.items():
        _, tree = get(client, f"{PREFIX[language]}/departments/press/")
        assert text(tree.find(".//main//h1")) == name
        assert "The press office of the committee." in text(tree.find(".//main"))


def test_release_page_shows_event_and_department_in_its_language(client, seed):
    _, tree = get(client, seed["ru"].get_absolute_url())
    assert text(tree.find(".//section[@class='box event-box']/p/a")) == "88-я сессия Комиссии по политике ВТамО"
    assert text(tree.find(".//section[@class='box department-box']/p/a")) == (
        "Отдел по связям с прессой и общественностью"
    )


def test_list_filters_name_event_and_department_in_the_language_served(client, seed):
    _, tree = get(client, "/az/releases/?department=press&event=wco-policy-commission")
    assert [text(chip.find("strong")) for chip in tree.iterfind(".//div[@class='chips']//li")] == [
        "Mətbuat və ictimaiyyətlə əlaqələr şöbəsi",
        "ÜGT Siyasət Komissiyasının 88-ci sessiyası",
    ]
    assert card_titles(tree) == [TITLES["az"]]


# Tags


def test_tag_page_counts_only_releases_in_the_language_served(client, seed, make_release):
    make_release(language="en", tags=["WCO"])
    assert tag_counts(get(client, "/az/tags/")[1]) == {"WCO": 1, "ÜGT": 1}
    assert tag_counts(get(client, "/tags/")[1]) == {"Brussels": 1, "WCO": 2}
    assert tag_counts(get(client, "/ru/tags/")[1]) == {"WCO": 1, "ВТамО": 1}


def test_tags_lead_to_the_list_of_the_language_served_filtered_by_them(client, seed, make_release):
    make_release(language="en", title="Another English release", tags=["WCO"])
    _, tree = get(client, "/az/tags/")
    hrefs = sorted(link.get("href") for link in tree.iterfind(".//ul[@class='tag-cloud']/li/a"))
    assert hrefs == ["/az/releases/?tag=ugt", "/az/releases/?tag=wco"]
    assert listed(client, "/az/releases/?tag=wco") == [TITLES["az"]]
    assert listed(client, "/az/releases/?tag=ugt") == [TITLES["az"]]
    assert listed(client, "/ru/releases/?tag=vtamo") == [TITLES["ru"]]
    assert listed(client, "/az/releases/?tag=brussels") == []


# Query counts


def test_release_list_and_page_take_as_many_queries_in_azerbaijani_as_in_english(client, seed, make_release):
    # The same content in both languages: a language must cost no query of
    # its own (a lookup per card of a translated department or event name,
    # or of a release's other versions, would show as a difference here).
    for number in range(5):
        english = make_release(
            language="en", tags=["WCO", f"Topic {number}"], event=seed["en"].event, published_at=timezone.now()
        )
        make_release(
            language="az",
            translation_key=english.translation_key,
            tags=["WCO", f"Topic {number}"],
            event=seed["en"].event,
            published_at=timezone.now(),
        )
    counts = {}
    for language in ("en", "az"):
        for page, url in [("list", f"{PREFIX[language]}/releases/"), ("release", seed[language].get_absolute_url())]:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            counts[language, page] = len(queries)
    assert counts["az", "list"] == counts["en", "list"]
    assert counts["az", "release"] == counts["en", "release"]
