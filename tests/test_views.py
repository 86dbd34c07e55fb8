"""The public HTML pages: what each shows, the visibility rule on every path,
the list's filters and pagination, bad parameters, the page head, valid HTML
and query counts.

Pages are fetched by the addresses of INTERFACE.md, which are the contract,
and parsed with html5lib in strict mode, so that every test also checks that
the page it reads is valid HTML.
"""

import json
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from unittest import mock
from urllib.parse import parse_qsl, urlencode

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from releases.models import Delegation, DelegationMember, Department, Event, Release

pytestmark = pytest.mark.django_db

LIST = "/releases/"
HIDDEN_KINDS = ["draft", "in_review", "withdrawn", "scheduled"]


# Reading pages


def parse(response):
    """The page as an element tree. html5lib's strict mode raises on the
    first HTML parse error, so every page read here is also checked."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)


def get(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response, parse(response)


def text(element):
    return " ".join("".join(element.itertext()).split())


def card_titles(tree):
    """The titles of the release cards on a page, in order."""
    return [text(link) for link in tree.iterfind(".//*[@class='card-title']/a")]


def listed(client, query=""):
    """The titles the release list shows for a query string."""
    _, tree = get(client, LIST + query)
    return card_titles(tree)


def result_count(tree):
    return text(tree.find(".//p[@class='result-count']"))


def tag_counts(tree, list_class):
    """{tag name: count} of the tag links in the <ul class="list_class">."""
    counts = {}
    for link in tree.iterfind(f".//ul[@class='{list_class}']/li/a"):
        name, count = text(link).rsplit(" ", 1)
        counts[name] = int(count.strip("()"))
    return counts


def query_pairs(href):
    """The (name, value) pairs of a link's query string, in order."""
    return parse_qsl(href.partition("?")[2], keep_blank_values=True)


def feed_links(tree):
    """(type, href) of each feed advertised in the page head: the alternates
    with a feed type, not the hreflang ones that lead to other languages."""
    return {(link.get("type"), link.get("href")) for link in tree.iterfind("./head/link[@rel='alternate'][@type]")}


def definitions(dl):
    """{term: description} of a <dl>."""
    terms = [text(dt) for dt in dl.iterfind("./dt")]
    return dict(zip(terms, (text(dd) for dd in dl.iterfind("./dd")), strict=True))


def related_titles(tree):
    return [text(link) for link in tree.iterfind(".//section[@class='related']//li/a")]


def prev_next(tree):
    """{"prev": href, "next": href} of a release page's previous/next links."""
    return {link.get("rel"): link.get("href") for link in tree.iterfind(".//nav[@class='prev-next']/a")}


def robots(tree):
    element = tree.find("./head/meta[@name='robots']")
    return element.get("content") if element is not None else None


# Content


@pytest.fixture
def other_department(db):
    return Department.objects.create(name="Customs Control Department", slug="control")


@pytest.fixture
def other_event(db):
    return Event.objects.create(
        title="Green Customs Forum", slug="green-customs-forum", start_date=date(2023, 9, 1), published=True
    )


@pytest.fixture
def upcoming_event(frozen_now):
    return Event.objects.create(
        title="Regional customs summit",
        slug="regional-summit",
        city="Baku",
        start_date=date(2024, 4, 2),
        published=True,
    )


@pytest.fixture(params=HIDDEN_KINDS)
def hidden_kind(request):
    return request.param


@pytest.fixture
def newsroom(frozen_now, make_release, event, hidden_kind):
    """Two public releases and, between them in time (or, when scheduled, an
    hour from now), one the public must not see. All three carry the same
    tags, event and department and the word "customs"; the hidden one also
    carries a tag of its own."""
    tags = ["Customs", "WCO"]
    older = make_release(
        title="Older customs release", published_at=frozen_now - timedelta(hours=3), tags=tags, event=event
    )
    newer = make_release(
        title="Newer customs release", published_at=frozen_now - timedelta(hours=1), tags=tags, event=event
    )
    hidden_fields = {
        "draft": {"status": Release.Status.DRAFT},
        "in_review": {"status": Release.Status.IN_REVIEW},
        "withdrawn": {"status": Release.Status.WITHDRAWN, "withdrawn_at": frozen_now},
        "scheduled": {"status": Release.Status.PUBLISHED, "published_at": frozen_now + timedelta(hours=1)},
    }[hidden_kind]
    hidden_fields.setdefault("published_at", frozen_now - timedelta(hours=2))
    hidden = make_release(title="Hidden customs release", tags=[*tags, "Hidden only"], event=event, **hidden_fields)
    return SimpleNamespace(older=older, newer=newer, hidden=hidden)


# Every page renders


def test_home_shows_latest_releases_upcoming_events_and_most_used_tags(
    client, frozen_now, make_release, event, upcoming_event
):
    releases = [
        make_release(published_at=frozen_now - timedelta(days=day), tags=["WCO"] if day % 2 else ["Customs", "WCO"])
        for day in range(1, 8)
    ]
    _, tree = get(client, "/")
    assert card_titles(tree) == [release.title for release in releases[:6]]
    events = [text(link) for link in tree.iterfind(".//ul[@class='event-list']/li/a")]
    assert events == [upcoming_event.title]
    assert list(tag_counts(tree, "tag-cloud").items()) == [("WCO", 7), ("Customs", 3)]


def test_home_says_when_nothing_is_published(client):
    response, _ = get(client, "/")
    assert "No releases have been published yet." in response.content.decode()


def test_release_list_shows_public_releases_newest_first_with_their_count(client, frozen_now, make_release):
    older = make_release(published_at=frozen_now - timedelta(days=2))
    newer = make_release(published_at=frozen_now - timedelta(days=1))
    _, tree = get(client, LIST)
    assert card_titles(tree) == [newer.title, older.title]
    assert result_count(tree) == "2 releases"


def test_tag_list_shows_every_tag_in_use_with_its_count(client, make_release):
    make_release(tags=["WCO", "Customs"])
    make_release(tags=["WCO"])
    _, tree = get(client, "/tags/")
    assert list(tag_counts(tree, "tag-cloud").items()) == [("Customs", 1), ("WCO", 2)]
    assert tree.find(".//ul[@class='tag-cloud']/li/a").get("href") == "/releases/?tag=customs"


def test_event_list_shows_upcoming_events_soonest_first_then_past_ones_latest_first(
    client, frozen_now, event, other_event, upcoming_event
):
    ongoing = Event.objects.create(
        title="Week of customs", slug="customs-week", start_date=date(2024, 3, 14), end_date=date(2024, 3, 16)
    )
    Event.objects.filter(pk__in=[ongoing.pk, event.pk]).update(published=True)
    _, tree = get(client, "/events/")
    upcoming, past = (
        [text(link) for link in section.iterfind(".//ul[@class='event-list']/li/a")]
        for section in tree.iterfind(".//main/section")
    )
    assert upcoming == [ongoing.title, upcoming_event.title]
    assert past == [other_event.title, event.title]


def test_event_page_shows_the_event_its_delegations_and_its_releases(client, make_release, event, delegation):
    DelegationMember.objects.create(delegation=delegation, name="Aynur Mammadova", position="Adviser")
    release = make_release(event=event)
    release.delegations.add(delegation)
    make_release(title="A release about something else")
    response, tree = get(client, f"/events/{event.slug}/")
    content = response.content.decode()
    assert text(tree.find(".//h1")) == event.title
    assert "World Customs Organization" in content
    assert "WCO headquarters, Brussels, Belgium" in content
    assert "Shahin Baghirov" in content
    assert "Aynur Mammadova, Adviser" in content
    assert card_titles(tree) == [release.title]


def test_department_page_shows_contact_details_and_its_releases(client, make_release, department, other_department):
    Department.objects.filter(pk=department.pk).update(
        email="press@customs.gov.az", phone="+994 12 404 00 00", media_contact_name="Aynur Mammadova"
    )
    own = make_release()
    make_release(department=other_department)
    response, tree = get(client, "/departments/press/")
    content = response.content.decode()
    assert text(tree.find(".//h1")) == department.name
    assert 'href="mailto:press@customs.gov.az"' in content
    assert 'href="tel:+994124040000"' in content
    assert "Aynur Mammadova" in content
    assert card_titles(tree) == [own.title]


@pytest.mark.parametrize(
    "url",
    [
        "/releases/no-such-release/",
        "/events/no-such-event/",
        "/departments/no-such-department/",
        "/no-such-page/",
        "/releases/%00/",
        "/releases/%ff%fe/",
        "/releases/" + "a" * 300 + "/",
        "/events/" + "a" * 300 + "/",
        "/departments/" + "a" * 300 + "/",
    ],
)
def test_unknown_address_gives_the_friendly_not_found_page(client, settings, url):
    assert settings.DEBUG is False
    response, tree = get(client, url, status=404)
    assert "404.html" in [template.name for template in response.templates]
    assert text(tree.find(".//h1")) == "Page not found"
    assert tree.find(".//main//a[@href='/releases/']") is not None


# The visibility rule, on every path


@pytest.mark.parametrize(
    "url",
    [
        "/",
        LIST,
        LIST + "?tag=customs",
        LIST + "?tag=customs&tag=wco",
        LIST + "?department=press",
        LIST + "?event=wco-policy-commission",
        LIST + "?year=2024",
        LIST + "?year=2024&month=3",
        LIST + "?q=customs",
        LIST + "?tag=customs&tag=wco&department=press&event=wco-policy-commission&year=2024&month=3&q=customs+release",
        LIST + "?page=2",
        "/events/wco-policy-commission/",
        "/departments/press/",
    ],
)
def test_hidden_release_is_on_no_list(client, newsroom, url):
    response, tree = get(client, url)
    assert card_titles(tree) == [newsroom.newer.title, newsroom.older.title]
    assert newsroom.hidden.title not in response.content.decode()
    assert newsroom.hidden.slug not in response.content.decode()
    if url.startswith(LIST):
        assert result_count(tree) == "2 releases"


@pytest.mark.parametrize("tag_leads", [0, 1_000_000], ids=["the department or event leads", "the tag leads"])
@pytest.mark.parametrize("query", ["?tag=customs&department=press", "?tag=customs&tag=wco&event=wco-policy-commission"])
def test_hidden_release_is_on_no_list_whichever_side_leads(client, newsroom, query, tag_leads):
    with mock.patch("releases.filters.TAG_LEADS", tag_leads):
        response, tree = get(client, LIST + query)
    assert card_titles(tree) == [newsroom.newer.title, newsroom.older.title]
    assert newsroom.hidden.title not in response.content.decode()
    assert result_count(tree) == "2 releases"


@pytest.mark.postgresql
@pytest.mark.parametrize("query", ["?q=customs", "?tag=customs&q=customs"])
def test_hidden_release_is_not_found_by_walking_the_newest_releases(client, newsroom, query):
    # Every release matches: the search walks the newest releases.
    with mock.patch("releases.search.SEARCH_COMMON", 1):
        response, tree = get(client, LIST + query)
    assert sorted(card_titles(tree)) == sorted([newsroom.newer.title, newsroom.older.title])
    assert newsroom.hidden.title not in response.content.decode()


def test_tag_only_hidden_releases_carry_finds_nothing(client, newsroom):
    _, tree = get(client, LIST + "?tag=hidden-only")
    assert card_titles(tree) == []
    assert result_count(tree) == "0 releases"


@pytest.mark.parametrize(
    "url, list_class, counts",
    [
        ("/tags/", "tag-cloud", {"Customs": 2, "WCO": 2}),
        ("/", "tag-cloud", {"Customs": 2, "WCO": 2}),
        (LIST, "facets", {"Customs": 2, "WCO": 2}),
        (LIST + "?tag=customs", "facets", {"WCO": 2}),
        (LIST + "?event=wco-policy-commission&q=customs", "facets", {"Customs": 2, "WCO": 2}),
    ],
)
def test_tag_counts_leave_out_hidden_release(client, newsroom, url, list_class, counts):
    response, tree = get(client, url)
    assert tag_counts(tree, list_class) == counts
    assert "Hidden only" not in response.content.decode()


def test_related_and_previous_next_links_skip_hidden_release(client, newsroom):
    _, older = get(client, newsroom.older.get_absolute_url())
    assert related_titles(older) == [newsroom.newer.title]
    assert prev_next(older) == {"next": newsroom.newer.get_absolute_url()}
    _, newer = get(client, newsroom.newer.get_absolute_url())
    assert related_titles(newer) == [newsroom.older.title]
    assert prev_next(newer) == {"prev": newsroom.older.get_absolute_url()}


@pytest.mark.parametrize("hidden_kind", ["draft", "in_review", "scheduled"])
def test_unpublished_release_page_is_not_found(client, newsroom):
    response, _ = get(client, newsroom.hidden.get_absolute_url(), status=404)
    assert newsroom.hidden.title not in response.content.decode()


@pytest.mark.parametrize("hidden_kind", ["withdrawn"])
def test_withdrawn_release_stays_readable_with_notice_reason_and_noindex(client, newsroom):
    _, tree = get(client, newsroom.hidden.get_absolute_url())
    notice = text(tree.find(".//*[@class='notice notice-withdrawn']"))
    assert "This release has been withdrawn" in notice
    assert "Withdrawn on 15 March 2024 13:00." in notice
    assert "Issued in error." in notice
    assert robots(tree) == "noindex"
    assert related_titles(tree) == []
    assert prev_next(tree) == {}


def test_public_release_page_may_be_indexed(client, newsroom):
    _, tree = get(client, newsroom.older.get_absolute_url())
    assert robots(tree) is None


@pytest.mark.parametrize("hidden_kind", ["scheduled"])
def test_scheduled_release_goes_public_by_itself_at_its_time(client, newsroom, frozen_now):
    with mock.patch("django.utils.timezone.now", return_value=frozen_now + timedelta(hours=2)):
        assert listed(client)[0] == newsroom.hidden.title
        get(client, newsroom.hidden.get_absolute_url())


# List filters


def test_tag_filter_keeps_releases_carrying_every_tag_given(client, make_release):
    both = make_release(tags=["WCO", "Customs"])
    only_wco = make_release(tags=["WCO"])
    make_release(tags=["Customs"])
    make_release()
    assert listed(client, "?tag=wco") == [both.title, only_wco.title]
    assert listed(client, "?tag=wco&tag=customs") == [both.title]
    assert listed(client, "?tag=wco&tag=customs&tag=brussels") == []


def test_department_filter(client, make_release, other_department):
    make_release()
    control = make_release(department=other_department)
    assert listed(client, "?department=control") == [control.title]


def test_event_filter(client, make_release, event, other_event):
    at_event = make_release(event=event)
    make_release(event=other_event)
    make_release()
    assert listed(client, "?event=wco-policy-commission") == [at_event.title]


def test_year_filter(client, make_release):
    in_2023 = make_release(published_at=datetime(2023, 6, 20, 7, 52, tzinfo=UTC))
    make_release(published_at=datetime(2022, 6, 20, 7, 52, tzinfo=UTC))
    assert listed(client, "?year=2023") == [in_2023.title]


def test_month_filter_reads_months_in_baku_time(client, make_release):
    # 30 June 21:00 UTC is already 1 July 01:00 in Baku.
    july_in_baku = make_release(published_at=datetime(2023, 6, 30, 21, 0, tzinfo=UTC))
    june = make_release(published_at=datetime(2023, 6, 30, 19, 0, tzinfo=UTC))
    make_release(published_at=datetime(2022, 7, 10, tzinfo=UTC))
    assert listed(client, "?year=2023&month=7") == [july_in_baku.title]
    assert listed(client, "?year=2023&month=6") == [june.title]


def test_month_without_year_is_ignored(client, make_release):
    releases = [make_release(published_at=datetime(2023, month, 1, 12, tzinfo=UTC)) for month in (7, 6)]
    assert listed(client, "?month=6") == [release.title for release in releases]


def test_words_must_all_appear_in_title_lead_or_body(client, make_release):
    everywhere = make_release(title="Customs session opens", lead="", body="<p>Nothing else.</p>")
    spread = make_release(title="Opening", lead="The customs officers met.", body="<p>A session in Brussels.</p>")
    make_release(title="Customs news", lead="", body="<p>No meeting.</p>")
    assert listed(client, "?q=customs+session") == [everywhere.title, spread.title]
    assert listed(client, "?q=CUSTOMS+Session") == [everywhere.title, spread.title]
    assert listed(client, "?q=brussels") == [spread.title]


@pytest.mark.postgresql
def test_search_stems_english_words(client, make_release):
    release = make_release(title="The 88th session of the Policy Commission", lead="", body="")
    make_release(title="Something else", lead="", body="")
    assert listed(client, "?q=sessions") == [release.title]
    assert listed(client, "?q=commissions+policies") == [release.title]


@pytest.mark.postgresql
def test_search_ranks_title_before_lead_before_body(client, frozen_now, make_release):
    title_match = make_release(
        title="Tariff session", lead="", body="<p>Nothing.</p>", published_at=frozen_now - timedelta(days=3)
    )
    lead_match = make_release(
        title="Meeting", lead="On tariffs.", body="<p>Nothing.</p>", published_at=frozen_now - timedelta(days=2)
    )
    body_match = make_release(
        title="News", lead="", body="<p>About tariffs.</p>", published_at=frozen_now - timedelta(days=1)
    )
    assert listed(client, "?q=tariff") == [title_match.title, lead_match.title, body_match.title]


@pytest.mark.postgresql
def test_search_treats_query_syntax_as_plain_words(client, make_release):
    release = make_release(title="Customs session", lead="", body="")
    assert listed(client, "?" + urlencode({"q": "customs & !session | (x):*"})) == []
    assert listed(client, "?" + urlencode({"q": "customs:* session!"})) == [release.title]


@pytest.mark.postgresql
def test_search_says_when_only_the_newest_matches_were_ranked(client, frozen_now, make_release):
    for day in range(3):
        make_release(title=f"Tariff session {day}", published_at=frozen_now - timedelta(days=day + 1))
    make_release(title="Something else")
    with mock.patch("releases.search.SEARCH_WINDOW", 2):
        response = client.get("/releases/?q=tariff")
        assert [release.title for release in response.context["release_list"]] == [
            "Tariff session 0",
            "Tariff session 1",
        ]
        assert "The 2 most recent matches, most relevant first." in response.content.decode()
    response = client.get("/releases/?q=tariff")
    assert len(response.context["release_list"]) == 3
    assert "most recent matches" not in response.content.decode()


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "matching_days",
    [(0, 1), (2, 3), (0, 2, 3)],
    ids=["the newest releases match", "older releases match", "the walk finds too few"],
)
def test_search_finds_the_newest_matches_however_they_are_looked_for(client, frozen_now, make_release, matching_days):
    """Words the newest releases share are looked for by walking them; other
    words, or a walk that finds too few, take the index: the same matches
    either way."""
    for day in range(4):
        make_release(
            title=f"Tariff session {day}" if day in matching_days else f"Other news {day}",
            published_at=frozen_now - timedelta(days=day + 1),
        )
    with (
        mock.patch("releases.search.SEARCH_PROBE", 1),
        mock.patch("releases.search.SEARCH_COMMON", 1),
        mock.patch("releases.search.SEARCH_WALK", 2),
        mock.patch("releases.search.SEARCH_WINDOW", 2),
    ):
        assert listed(client, "?q=tariff") == [f"Tariff session {day}" for day in matching_days[:2]]


@pytest.mark.postgresql
def test_a_search_page_looks_for_its_matches_once(client, frozen_now, make_release):
    """The page, its count and its facets read one ranked list of the
    matches (releases.search.ranked_window): the window is searched in
    one statement, not once per query."""
    for day in range(25):
        make_release(
            title=f"Tariff session {day}" if day % 5 else f"Tariff tariff session {day}",
            tags=["WCO"] + (["Baku"] if day < 3 else []),
            published_at=frozen_now - timedelta(days=day + 1),
        )
    make_release(title="Something else", tags=["Other"])
    with CaptureQueriesContext(connection) as queries:
        response, tree = get(client, LIST + "?q=tariff")
    searched = [query["sql"] for query in queries if "@@" in query["sql"]]
    assert len(searched) == 1 and searched[0].count("probed AS MATERIALIZED") == 1
    # Ranked: the titles with the word twice first, then the newest.
    titles = [f"Tariff tariff session {day}" for day in (0, 5, 10, 15, 20)]
    titles += [f"Tariff session {day}" for day in range(25) if day % 5][:15]
    assert card_titles(tree) == titles
    assert result_count(tree) == "25 releases"
    assert tag_counts(tree, "facets") == {"WCO": 25, "Baku": 3}
    _, second = get(client, LIST + "?q=tariff&page=2")
    assert card_titles(second) == [f"Tariff session {day}" for day in range(25) if day % 5][15:]
    # Past the end: the last page.
    _, past = get(client, LIST + "?q=tariff&page=9")
    assert card_titles(past) == card_titles(second)
    _, nothing = get(client, LIST + "?q=nothing-like-this")
    assert card_titles(nothing) == [] and result_count(nothing) == "0 releases"


def test_all_filters_combine(client, make_release, event, other_department, other_event):
    when = datetime(2023, 6, 20, 7, 52, tzinfo=UTC)
    fields = {"tags": ["WCO", "Customs"], "event": event, "published_at": when, "title": "Customs session opens"}
    match = make_release(**fields)
    make_release(**{**fields, "title": "Customs session without tag", "tags": ["WCO"]})
    make_release(**{**fields, "title": "Customs session of control", "department": other_department})
    make_release(**{**fields, "title": "Customs session elsewhere", "event": other_event})
    make_release(**{**fields, "title": "Customs session in May", "published_at": when.replace(month=5)})
    make_release(**{**fields, "title": "Customs session a year before", "published_at": when.replace(year=2022)})
    make_release(**{**fields, "title": "Customs meeting opens"})
    query = "?tag=wco&tag=customs&department=press&event=wco-policy-commission&year=2023&month=6&q=customs+session"
    assert listed(client, query) == [match.title]


@pytest.mark.parametrize("tag_leads", [0, 1_000_000], ids=["the department leads", "the tag leads"])
def test_tags_with_a_department_or_event_match_the_same_whichever_leads(
    client, frozen_now, make_release, event, other_department, tag_leads
):
    """A common tag leaves the walk to the department's or event's releases,
    a rare one walks its own links: the same releases either way."""
    day = timedelta(days=1)
    newer = make_release(title="WCO in press", tags=["WCO"], published_at=frozen_now - day)
    older = make_release(title="WCO at the session", tags=["WCO"], event=event, published_at=frozen_now - 2 * day)
    make_release(title="WCO elsewhere", tags=["WCO"], department=other_department)
    make_release(title="Untagged in press", event=event)
    with mock.patch("releases.filters.TAG_LEADS", tag_leads):
        assert listed(client, "?tag=wco&department=press") == [newer.title, older.title]
        assert listed(client, "?tag=wco&event=wco-policy-commission") == [older.title]
        assert listed(client, "?tag=wco&department=no-such-department") == []


def test_counts_that_cost_a_probe_per_match_stop_at_a_lower_cap(client, make_release):
    for n in range(3):
        make_release(title=f"Both {n}", tags=["WCO", "Customs"])
    make_release(title="One", tags=["WCO"])
    with mock.patch("releases.filters.COMBINED_COUNT_CAP", 2):
        response, tree = get(client, LIST + "?tag=wco&tag=customs")
        assert result_count(tree) == "More than 2 releases"
        assert len(card_titles(tree)) == 3
        response, tree = get(client, LIST + "?tag=wco")
        assert result_count(tree) == "4 releases"


# Pagination


@pytest.fixture
def many_releases(frozen_now, make_release):
    """45 releases tagged WCO, newest first, and 5 older ones without it."""
    tagged = [
        make_release(title=f"Tagged release {n:02d}", published_at=frozen_now - timedelta(hours=n), tags=["WCO"])
        for n in range(1, 46)
    ]
    for n in range(46, 51):
        make_release(published_at=frozen_now - timedelta(hours=n))
    return tagged


def pagination_links(tree):
    return {
        link.get("rel"): query_pairs(link.get("href")) for link in tree.iterfind(".//nav[@class='pagination']//a[@rel]")
    }


def test_list_is_paginated_twenty_a_page_with_prev_and_next(client, many_releases):
    _, first = get(client, LIST)
    assert len(card_titles(first)) == 20
    assert result_count(first) == "50 releases"
    assert pagination_links(first) == {"next": [("page", "2")]}
    _, second = get(client, LIST + "?page=2")
    assert card_titles(second)[0] == many_releases[20].title
    assert pagination_links(second) == {"prev": [("page", "1")], "next": [("page", "3")]}
    assert text(second.find(".//nav[@class='pagination']//*[@aria-current='page']")) == "2"
    _, last = get(client, LIST + "?page=3")
    assert len(card_titles(last)) == 10
    assert pagination_links(last) == {"prev": [("page", "2")]}


def test_page_links_keep_the_filters(client, many_releases):
    _, tree = get(client, LIST + "?tag=wco&q=tagged&page=2")
    assert result_count(tree) == "45 releases"
    # In the order of their names: the view sees the parameters it reads in
    # one order whatever the request's (serving.pagecache.public_page).
    assert pagination_links(tree) == {
        "prev": [("page", "1"), ("q", "tagged"), ("tag", "wco")],
        "next": [("page", "3"), ("q", "tagged"), ("tag", "wco")],
    }
    numbered = [query_pairs(link.get("href")) for link in tree.iterfind(".//nav[@class='pagination']//a")]
    assert all(("tag", "wco") in pairs and ("q", "tagged") in pairs for pairs in numbered)


@pytest.mark.parametrize(
    "page, shown",
    [
        ("abc", 1),
        ("0", 1),
        ("-1", 1),
        ("1.5", 1),
        ("", 1),
        ("%00", 1),
        ("2%00", 1),
        ("9" * 5000, 1),
        ("4", 3),
        ("99999999999999999999", 3),
    ],
)
def test_any_page_parameter_gives_the_nearest_page(client, many_releases, page, shown):
    response, _ = get(client, LIST, QUERY_STRING=f"page={page}")
    assert response.context["page_obj"].number == shown


# Chips, facets, empty results


def test_chips_show_active_filters_and_each_removes_only_its_own(client, make_release, event):
    make_release(
        title="Customs session",
        tags=["WCO", "Green Customs"],
        event=event,
        published_at=datetime(2023, 6, 20, 7, 52, tzinfo=UTC),
    )
    params = [
        ("tag", "wco"),
        ("tag", "green-customs"),
        ("department", "press"),
        ("event", "wco-policy-commission"),
        ("year", "2023"),
        ("month", "6"),
        ("q", "session"),
    ]
    _, tree = get(client, LIST + "?" + urlencode(params))
    chips = {
        text(chip.find("strong")): query_pairs(chip.find("a").get("href"))
        for chip in tree.iterfind(".//div[@class='chips']//li")
    }
    removes = {
        "WCO": ("tag", "wco"),
        "Green Customs": ("tag", "green-customs"),
        "Press and Public Relations Department": ("department", "press"),
        "88th session of the WCO Policy Commission": ("event", "wco-policy-commission"),
        "session": ("q", "session"),
    }
    without = {label: [pair for pair in params if pair != removed] for label, removed in removes.items()}
    # The date chip removes year and month together: a month means nothing without its year.
    without["June 2023"] = [pair for pair in params if pair[0] not in ("year", "month")]
    assert chips == without
    assert tree.find(".//div[@class='chips']/a[@class='clear']").get("href") == LIST


def test_chip_shows_unknown_slug_as_it_is(client, make_release):
    make_release()
    _, tree = get(client, LIST + "?department=no-such-department")
    assert [text(chip.find("strong")) for chip in tree.iterfind(".//div[@class='chips']//li")] == ["no-such-department"]


def test_empty_result_says_so_and_offers_to_clear_filters(client, make_release):
    make_release(tags=["WCO"])
    response, tree = get(client, LIST + "?tag=wco&q=nothing-like-this")
    assert card_titles(tree) == []
    assert result_count(tree) == "0 releases"
    assert "No releases match these filters." in response.content.decode()
    empty = tree.find(".//div[@class='empty']")
    assert [(text(link), link.get("href")) for link in empty.iter("a")] == [("Clear all filters", LIST)]


def test_facets_offer_tags_of_the_results_except_active_ones(client, make_release):
    make_release(tags=["WCO", "Green Customs", "Brussels"])
    make_release(tags=["WCO", "Green Customs"])
    make_release(tags=["Baku"])
    _, tree = get(client, LIST + "?tag=wco")
    assert tag_counts(tree, "facets") == {"Green Customs": 2, "Brussels": 1}
    links = [query_pairs(link.get("href")) for link in tree.iterfind(".//ul[@class='facets']/li/a")]
    assert links == [[("tag", "wco"), ("tag", "green-customs")], [("tag", "wco"), ("tag", "brussels")]]


# Bad parameters are never a server error


@pytest.mark.parametrize(
    "query_string",
    [
        "page=abc",
        "page=0",
        "page=-1",
        "page=99999999999999999999",
        "page=1%00",
        "tag=%00",
        "tag=%ff%fe",
        "tag=wco%0A",
        "tag=wco%00",
        "tag=" + "a" * 300,
        "&".join(["tag=wco"] * 300),
        "&".join(f"tag=tag-{n}" for n in range(300)),
        "month=13&year=2023",
        "month=0&year=2023",
        "month=abc&year=2023",
        "year=abc",
        "year=99999",
        "year=-2023",
        "year=%00",
        "q=" + "customs+" * 1250,
        "q=customs%00session",
        "q=" + "%00" * 50,
        "q=%21%26%7C%28%29%3A%2A%27%22%5C",
        "q=customs+%21+%26+%7C+%28+%29+%3A%2A+%27+%22+%5C",
        "q=%ff%fe",
        "q=%27%3B+DROP+TABLE+releases_release%3B+--",
        "department=no-such-department",
        "event=no-such-event",
        "department=%00&event=%ff",
        "department=press%0A&event=wco%0A",
        "tag=wco&department=no-such-department&event=no-such-event&year=abc&month=13&page=-1&q=%00",
    ],
)
def test_bad_parameter_is_never_a_server_error(client, make_release, event, query_string):
    for _ in range(3):
        make_release(tags=["WCO"], event=event, title="Customs session")
    get(client, LIST, QUERY_STRING=query_string)


def test_unknown_department_or_event_gives_an_empty_list(client, make_release, event):
    make_release(event=event)
    _, tree = get(client, LIST + "?department=no-such-department")
    assert result_count(tree) == "0 releases"
    _, tree = get(client, LIST + "?event=no-such-event")
    assert result_count(tree) == "0 releases"


def test_invalid_month_is_dropped_and_the_year_kept(client, make_release):
    in_2023 = make_release(published_at=datetime(2023, 6, 20, 7, 52, tzinfo=UTC))
    make_release(published_at=datetime(2022, 6, 20, 7, 52, tzinfo=UTC))
    response, _ = get(client, LIST + "?year=2023&month=13")
    assert card_titles(parse(response)) == [in_2023.title]
    assert response.context["filters"].month is None


def test_long_search_is_clipped(client, make_release):
    make_release(title="Customs")
    response, tree = get(client, LIST + "?q=" + "customs+" * 1250)
    assert len(response.context["filters"].q) == 200
    assert len(tree.find(".//input[@name='q']").get("value")) == 200


# The release page


@pytest.fixture
def full_release(make_release, department, event, delegation, site_url):
    """A release with everything a release page can show."""
    Department.objects.filter(pk=department.pk).update(signature="SCC Press and Public Relations Department")
    Event.objects.filter(pk=event.pk).update(end_date=date(2023, 6, 21))
    for order, name in [(2, "Third Member"), (0, "First Member"), (1, "Second Member")]:
        DelegationMember.objects.create(delegation=delegation, name=name, position="Adviser", order=order)
    release = make_release(
        title="The 88th session of the Policy Commission of the World Customs Organization is being held",
        lead="The Chairman leads the delegation.",
        body="<p>The session is held in Brussels.</p>",
        published_at=datetime(2023, 6, 20, 7, 52, tzinfo=UTC),
        event=event,
        tags=["WCO", "Policy Commission"],
    )
    release.delegations.add(delegation)
    return Release.objects.get(pk=release.pk)


def test_release_page_shows_title_time_in_baku_lead_body_and_signature(client, full_release):
    response, tree = get(client, full_release.get_absolute_url())
    article = tree.find(".//article[@class='release']")
    assert text(article.find(".//h1")) == full_release.title
    time = article.find(".//header//time")
    assert text(time) == "20 June 2023 11:52"
    assert datetime.fromisoformat(time.get("datetime")) == full_release.published_at
    assert text(article.find("./p[@class='lead']")) == full_release.lead
    assert text(article.find("./div[@class='body']")) == "The session is held in Brussels."
    assert text(article.find("./p[@class='signature']")) == "SCC Press and Public Relations Department"


def test_release_page_shows_event_box(client, full_release):
    _, tree = get(client, full_release.get_absolute_url())
    box = tree.find(".//section[@class='box event-box']")
    assert text(box.find("./p/a")) == "88th session of the WCO Policy Commission"
    assert definitions(box.find("./dl")) == {
        "Organizer": "World Customs Organization",
        "Place": "WCO headquarters, Brussels, Belgium",
        "Dates": "19 June 2023 – 21 June 2023",
    }


def test_release_page_shows_delegation_box_with_head_and_members_in_order(client, full_release):
    _, tree = get(client, full_release.get_absolute_url())
    box = tree.find(".//section[@class='box delegation-box']")
    assert text(box.find("./p[@class='head']")) == (
        "Shahin Baghirov, Chairman of the State Customs Committee, lieutenant-general of the customs service "
        "(head of delegation)"
    )
    assert [text(member) for member in box.iterfind(".//ul[@class='members']/li")] == [
        "First Member, Adviser",
        "Second Member, Adviser",
        "Third Member, Adviser",
    ]


def test_release_page_tags_link_to_the_filtered_list(client, full_release):
    _, tree = get(client, full_release.get_absolute_url())
    links = [(text(link), link.get("href")) for link in tree.iterfind(".//section[@class='release-tags']//a")]
    assert sorted(links) == [("Policy Commission", "/releases/?tag=policy-commission"), ("WCO", "/releases/?tag=wco")]
    for _name, href in links:
        assert full_release.title in listed(client, href.removeprefix(LIST))


def test_related_releases_are_ordered_by_shared_tags(client, frozen_now, make_release):
    release = make_release(tags=["A", "B", "C"], published_at=frozen_now - timedelta(days=10))
    three = make_release(tags=["A", "B", "C"], published_at=frozen_now - timedelta(days=3))
    two = make_release(tags=["A", "B"], published_at=frozen_now - timedelta(days=2))
    one = make_release(tags=["C", "D"], published_at=frozen_now - timedelta(days=1))
    make_release(tags=["A"], published_at=frozen_now - timedelta(days=4))
    make_release(tags=["D"], published_at=frozen_now - timedelta(hours=1))
    _, tree = get(client, release.get_absolute_url())
    assert related_titles(tree) == [three.title, two.title, one.title]


def test_previous_and_next_are_the_neighbours_in_time(client, frozen_now, make_release):
    oldest, middle, newest = (make_release(published_at=frozen_now - timedelta(days=days)) for days in (3, 2, 1))
    _, tree = get(client, middle.get_absolute_url())
    assert prev_next(tree) == {"prev": oldest.get_absolute_url(), "next": newest.get_absolute_url()}


def test_release_page_head_has_canonical_description_and_open_graph(client, full_release, site_url):
    _, tree = get(client, full_release.get_absolute_url())
    head = tree.find("./head")
    assert head.find("./link[@rel='canonical']").get("href") == site_url + full_release.get_absolute_url()
    assert head.find("./meta[@name='description']").get("content") == full_release.lead
    assert head.find("./meta[@property='og:title']").get("content") == full_release.title
    assert head.find("./meta[@property='og:type']").get("content") == "article"


def test_release_page_carries_news_article_json_ld(client, full_release, site_url):
    _, tree = get(client, full_release.get_absolute_url())
    data = json.loads(tree.find(".//script[@type='application/ld+json']").text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == full_release.title
    assert datetime.fromisoformat(data["datePublished"]) == full_release.published_at
    assert data["url"] == site_url + full_release.get_absolute_url()
    assert data["author"]["name"] == "SCC Press and Public Relations Department"


def test_script_in_title_is_escaped_everywhere(client, frozen_now, make_release, event, department):
    title = 'Customs </script><script>alert(1)</script> "session" & <b>more</b>'
    release = make_release(title=title, lead=title, tags=["WCO"], event=event, published_at=frozen_now)
    neighbour = make_release(tags=["WCO"], event=event, published_at=frozen_now - timedelta(days=1))
    pages = [
        release.get_absolute_url(),
        neighbour.get_absolute_url(),
        "/",
        LIST,
        LIST + "?" + urlencode({"q": "customs session"}),
        f"/events/{event.slug}/",
        f"/departments/{department.slug}/",
    ]
    for url in pages:
        response, tree = get(client, url)
        assert b"<script>alert" not in response.content, url
        assert b"<b>more" not in response.content, url
        assert title in text(tree.find(".//main")), url
    _, tree = get(client, release.get_absolute_url())
    assert json.loads(tree.find(".//script[@type='application/ld+json']").text)["headline"] == title
    assert tree.find("./head/meta[@property='og:title']").get("content") == title
    assert text(tree.find("./head/title")).startswith(title)


# Feeds advertised in the head

ALL_FEEDS = {("application/rss+xml", "/feeds/rss/"), ("application/atom+xml", "/feeds/atom/")}


@pytest.fixture
def tagged_release(make_release, event):
    return make_release(tags=["WCO"], event=event)


@pytest.mark.parametrize(
    "url",
    ["/", LIST, "/tags/", "/events/", "/events/wco-policy-commission/", "/releases/no-such-release/"],
)
def test_every_page_advertises_the_feeds_of_all_releases(client, tagged_release, url):
    response = client.get(url)
    assert feed_links(parse(response)) >= ALL_FEEDS


def test_release_page_advertises_the_feeds_of_all_releases(client, tagged_release):
    _, tree = get(client, tagged_release.get_absolute_url())
    assert feed_links(tree) >= ALL_FEEDS


def test_tag_filtered_list_also_advertises_the_tag_feeds(client, tagged_release):
    _, tree = get(client, LIST + "?tag=wco&tag=customs")
    assert feed_links(tree) == ALL_FEEDS | {
        ("application/rss+xml", "/feeds/tags/wco/rss/"),
        ("application/atom+xml", "/feeds/tags/wco/atom/"),
        ("application/rss+xml", "/feeds/tags/customs/rss/"),
        ("application/atom+xml", "/feeds/tags/customs/atom/"),
    }


def test_department_page_also_advertises_the_department_feeds(client, tagged_release):
    _, tree = get(client, "/departments/press/")
    assert feed_links(tree) == ALL_FEEDS | {
        ("application/rss+xml", "/feeds/departments/press/rss/"),
        ("application/atom+xml", "/feeds/departments/press/atom/"),
    }


def test_advertised_feeds_exist(client, tagged_release):
    hrefs = set()
    for url in (LIST + "?tag=wco", "/departments/press/"):
        hrefs |= {href for _type, href in feed_links(get(client, url)[1])}
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_list_page_head_has_canonical_description_and_open_graph(client, tagged_release, site_url):
    _, tree = get(client, LIST + "?tag=wco")
    head = tree.find("./head")
    # The tag's list is a page of its own (tests/test_discovery.py).
    assert head.find("./link[@rel='canonical']").get("href") == site_url + LIST + "?tag=wco"
    assert head.find("./meta[@name='description']").get("content")
    assert head.find("./meta[@property='og:title']").get("content") == "Press releases"


# Valid HTML


@pytest.fixture
def whole_site(frozen_now, make_release, department, event, delegation, upcoming_event, other_event):
    """Enough content for every part of every page to show: pagination,
    chips, facets, boxes, related links, a withdrawn release."""
    Department.objects.filter(pk=department.pk).update(
        email="press@customs.gov.az", media_contact_name="Aynur Mammadova", description="Press office.\n\nHours."
    )
    DelegationMember.objects.create(delegation=delegation, name="Aynur Mammadova", position="Adviser")
    releases = [
        make_release(tags=["WCO", f"Topic {n % 3}"], event=event, published_at=frozen_now - timedelta(hours=n))
        for n in range(1, 26)
    ]
    for release in releases:
        release.delegations.add(delegation)
    withdrawn = make_release(status=Release.Status.WITHDRAWN, withdrawn_at=frozen_now, tags=["WCO"])
    return SimpleNamespace(releases=releases, withdrawn=withdrawn)


@pytest.mark.parametrize(
    "url, status",
    [
        ("/", 200),
        (LIST, 200),
        (LIST + "?page=2", 200),
        (LIST + "?tag=wco&tag=topic-1&department=press&event=wco-policy-commission&year=2024&month=3&q=release", 200),
        (LIST + "?tag=no-such-tag", 200),
        (LIST + "?q=%3C%2Fscript%3E%22%27", 200),
        ("/tags/", 200),
        ("/events/", 200),
        ("/events/wco-policy-commission/", 200),
        ("/events/regional-summit/", 200),
        ("/departments/press/", 200),
        ("/releases/no-such-release/", 404),
    ],
)
def test_page_is_valid_html5(client, whole_site, url, status):
    get(client, url, status=status)


def test_release_pages_are_valid_html5(client, whole_site):
    for release in [whole_site.releases[0], whole_site.releases[12], whole_site.withdrawn]:
        get(client, release.get_absolute_url())


# Query counts: each page costs the same number of queries with 1 release
# as with 50, each with 3 tags, an event and a delegation of 3 members.
# Photos (issue 5) add one query to each page of release cards, the lead
# image of every card at once (lead_image_prefetch), and two to a release
# page, its gallery and its documents: never one per card or per photo
# (tests/test_images.py counts them with photos on every release).


@pytest.fixture
def catalogue(frozen_now, make_release, event):
    """grow_to(n): as many releases as that, each with its own past or
    upcoming event too, so that every list on the site grows."""
    releases = []

    def grow_to(size):
        for n in range(len(releases), size):
            Event.objects.create(
                title=f"Event {n}", slug=f"event-{n}", start_date=frozen_now.date() + timedelta(days=n - size // 2)
            )
            delegation = Delegation.objects.create(event=event, head_name=f"Head {n}", head_position="Director")
            DelegationMember.objects.bulk_create(
                DelegationMember(delegation=delegation, name=f"Member {n}.{m}", order=m) for m in range(3)
            )
            release = make_release(
                tags=["Customs", f"Topic {n}", f"Region {n % 4}"],
                event=event,
                published_at=frozen_now - timedelta(hours=n + 1),
            )
            release.delegations.add(delegation)
            releases.append(release)
        return releases

    return grow_to


def assert_queries_bounded(client, catalogue, url_of, bound, django_assert_max_num_queries):
    """The page at url_of(releases) makes at most `bound` queries both with
    1 and with 50 releases."""
    for size in (1, 50):
        url = url_of(catalogue(size))
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.status_code == 200


def test_home_queries(client, catalogue, django_assert_max_num_queries):
    # Latest releases, their tags and lead images, upcoming events, the kept
    # tag counts less the scheduled releases (one query): a department or
    # tag query per card, or per tag for its count, would break the bound.
    assert_queries_bounded(client, catalogue, lambda releases: "/", 5, django_assert_max_num_queries)


# The list's form of year, month and department: the oldest public release
# and the departments, each read once (releases.filters.NarrowingChoices).
NARROWING_QUERIES = 2


def test_release_list_queries(client, catalogue, django_assert_max_num_queries):
    # The page of releases with their count, their tags, their lead images,
    # facets: guards against a query per card for its department or tags.
    assert_queries_bounded(
        client, catalogue, lambda releases: LIST, 4 + NARROWING_QUERIES, django_assert_max_num_queries
    )


def test_tag_filtered_list_queries(client, catalogue, django_assert_max_num_queries):
    # Filtering by tags stays in subqueries of the same four queries, not a
    # lookup per tag given or per release found.
    assert_queries_bounded(
        client,
        catalogue,
        lambda releases: LIST + "?tag=customs&tag=region-1",
        4 + NARROWING_QUERIES,
        django_assert_max_num_queries,
    )


@pytest.mark.parametrize("tag_leads", [0, 1_000_000], ids=["the department leads", "the tag leads"])
def test_tag_and_department_list_queries(client, catalogue, django_assert_max_num_queries, tag_leads):
    # The four of the list, and one lookup each of the tags and the
    # department (their ids for the queries, the department's name for its chip).
    with mock.patch("releases.filters.TAG_LEADS", tag_leads):
        assert_queries_bounded(
            client,
            catalogue,
            lambda releases: LIST + "?tag=customs&department=press",
            6 + NARROWING_QUERIES,
            django_assert_max_num_queries,
        )


def statement_budget():
    """The query a search pays for its statement budget on PostgreSQL
    (serving/limits.py: SET LOCAL statement_timeout)."""
    return 1 if connection.vendor == "postgresql" else 0


def test_search_list_queries(client, catalogue, django_assert_max_num_queries):
    # A search costs no more than the plain list: ranking and facets over the
    # matches must not query per match.
    bound = 4 + NARROWING_QUERIES + statement_budget()
    assert_queries_bounded(
        client, catalogue, lambda releases: LIST + "?q=release", bound, django_assert_max_num_queries
    )


def test_fully_filtered_list_queries(client, catalogue, django_assert_max_num_queries):
    # The department, the event and the tags are each looked up once (their
    # ids for the queries, their names for the chips), never once per release.
    assert_queries_bounded(
        client,
        catalogue,
        lambda releases: LIST + "?tag=customs&department=press&event=wco-policy-commission&year=2024&q=release",
        7 + NARROWING_QUERIES + statement_budget(),
        django_assert_max_num_queries,
    )


def test_release_page_queries(client, catalogue, django_assert_max_num_queries):
    # The release with its department, event, public language versions,
    # previous and next; its tags, delegations with their members, gallery,
    # documents, related releases: a query per delegation for its members,
    # per language version or per related release would break the bound.
    assert_queries_bounded(
        client,
        catalogue,
        lambda releases: releases[len(releases) // 2].get_absolute_url(),
        6,
        django_assert_max_num_queries,
    )


def test_tag_list_queries(client, catalogue, django_assert_max_num_queries):
    # The kept counts of every tag, less the scheduled releases, in one
    # query: not a count per tag, nor one over the archive.
    assert_queries_bounded(client, catalogue, lambda releases: "/tags/", 1, django_assert_max_num_queries)


def test_event_list_queries(client, catalogue, django_assert_max_num_queries):
    # Upcoming events, and a counted page of past ones: guards against a
    # query per event.
    assert_queries_bounded(client, catalogue, lambda releases: "/events/", 3, django_assert_max_num_queries)


def test_event_page_queries(client, catalogue, django_assert_max_num_queries):
    # The event, its delegations, their members, its releases and their
    # tags: a query per delegation or per release card would break the bound.
    assert_queries_bounded(
        client, catalogue, lambda releases: "/events/wco-policy-commission/", 6, django_assert_max_num_queries
    )


def test_department_page_queries(client, catalogue, django_assert_max_num_queries):
    # The department, a counted page of its releases, their tags and lead
    # images: guards against a query per release card.
    assert_queries_bounded(client, catalogue, lambda releases: "/departments/press/", 4, django_assert_max_num_queries)
