"""releases.filters.ReleaseFilters: reading the query string, writing links
back, and narrowing a queryset."""

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from releases.filters import MAX_TAGS, ReleaseFilters
from releases.models import Release
from releases.search import SEARCH_MAX_LENGTH


def read(query_string):
    return ReleaseFilters.from_query(QueryDict(query_string))


# Reading the query string


def test_empty_query_means_no_filters():
    filters = read("")
    assert filters == ReleaseFilters()
    assert not filters


def test_every_filter_is_read():
    filters = read("tag=wco&tag=customs&department=press&event=wco-session&year=2023&month=6&q=session")
    assert filters == ReleaseFilters(
        tags=["wco", "customs"], department="press", event="wco-session", year=2023, month=6, q="session"
    )
    assert filters


def test_repeated_tags_are_kept_once_in_first_order():
    assert read("tag=wco&tag=customs&tag=wco").tags == ["wco", "customs"]


def test_tags_are_capped():
    assert read("&".join(f"tag=tag-{n}" for n in range(300))).tags == [f"tag-{n}" for n in range(MAX_TAGS)]


@pytest.mark.parametrize(
    "value",
    ["", "%00", "wco%00", "wco%0A", "%0Awco", "%ff%fe", "w%C3%B6rld", "two+words", "a%2Fb", "../x", "a" * 256],
)
def test_malformed_slugs_are_dropped(value):
    filters = read(f"tag={value}&department={value}&event={value}")
    assert (filters.tags, filters.department, filters.event) == ([], "", "")


def test_longest_slug_is_kept():
    assert read("tag=" + "a" * 255).tags == ["a" * 255]


@pytest.mark.parametrize("value", ["abc", "", "1899", "3000", "99999", "-2023", "2023.5", "%00", "%ff"])
def test_unusable_year_is_dropped_with_its_month(value):
    filters = read(f"year={value}&month=6")
    assert (filters.year, filters.month) == (None, None)


@pytest.mark.parametrize("value", ["0", "13", "-1", "abc", "", "6.5", "%00"])
def test_unusable_month_is_dropped_and_the_year_kept(value):
    filters = read(f"year=2023&month={value}")
    assert (filters.year, filters.month) == (2023, None)


def test_month_without_year_is_dropped():
    assert read("month=6").month is None


def test_words_are_tidied():
    assert read("q=++customs%09%0Asession%00+wco++").q == "customs session wco"


def test_query_syntax_characters_are_kept_as_text():
    words = "customs !&|():*'\"\\"
    assert read(urlencode({"q": words})).q == words


def test_long_words_are_clipped():
    assert len(read("q=" + "customs+" * 1250).q) == SEARCH_MAX_LENGTH


def test_invalid_utf8_words_do_not_raise():
    assert read("q=%ff%fe+customs").q == "\ufffd\ufffd customs"


# Writing links back


def test_params_come_in_a_stable_order():
    filters = ReleaseFilters(tags=["wco", "customs"], department="press", event="e", year=2023, month=6, q="x y")
    assert filters.as_params() == [
        ("tag", "wco"),
        ("tag", "customs"),
        ("department", "press"),
        ("event", "e"),
        ("year", 2023),
        ("month", 6),
        ("q", "x y"),
    ]


def test_querystring_adds_extra_pairs_and_drops_the_one_without():
    filters = ReleaseFilters(tags=["wco", "customs"], q="x y")
    assert filters.querystring() == "?tag=wco&tag=customs&q=x+y"
    assert filters.querystring(without=("tag", "wco")) == "?tag=customs&q=x+y"
    assert filters.querystring(tag="brussels") == "?tag=wco&tag=customs&q=x+y&tag=brussels"


def test_querystring_of_no_filters_is_bare():
    assert ReleaseFilters().querystring() == "?"
    assert ReleaseFilters(q="x").querystring(without=("q", "x")) == "?"


def test_querystring_round_trips():
    filters = ReleaseFilters(tags=["wco"], department="press", event="e", year=2023, month=6, q="a & b")
    assert read(filters.querystring()[1:]) == filters


# Chips


def test_each_chip_link_removes_only_its_filter():
    filters = ReleaseFilters(tags=["wco", "customs"], department="press", event="summit", q="session")
    names = {("tag", "wco"): "WCO", ("department", "press"): "Press Department", ("event", "summit"): "The Summit"}
    assert filters.chips(names) == [
        ("Tag", "WCO", "?tag=customs&department=press&event=summit&q=session"),
        ("Tag", "customs", "?tag=wco&department=press&event=summit&q=session"),
        ("Department", "Press Department", "?tag=wco&tag=customs&event=summit&q=session"),
        ("Event", "The Summit", "?tag=wco&tag=customs&department=press&q=session"),
        ("Words", "session", "?tag=wco&tag=customs&department=press&event=summit"),
    ]


def test_date_chip_removes_year_and_month_together():
    filters = ReleaseFilters(tags=["wco"], year=2023, month=6)
    assert filters.chips({}) == [("Tag", "wco", "?year=2023&month=6"), ("Date", "June 2023", "?tag=wco")]
    assert ReleaseFilters(year=2023).chips({}) == [("Date", "2023", "?")]


def test_no_filters_no_chips():
    assert ReleaseFilters().chips({}) == []


# Narrowing a queryset


@pytest.fixture
def june_2023_release(make_release, event):
    return make_release(
        title="Customs session",
        tags=["WCO", "Customs"],
        event=event,
        published_at=datetime(2023, 6, 20, 7, 52, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "tag=wco",
        "tag=wco&tag=customs",
        "department=press",
        "event=wco-policy-commission",
        "year=2023",
        "year=2023&month=6",
        "q=customs+session",
        "tag=wco&tag=customs&department=press&event=wco-policy-commission&year=2023&month=6&q=customs+session",
    ],
)
def test_apply_keeps_a_release_that_matches(june_2023_release, query_string):
    releases = read(query_string).apply(Release.objects.published(), language="en")
    assert list(releases) == [june_2023_release]


@pytest.mark.parametrize(
    "query_string",
    [
        "tag=brussels",
        "tag=wco&tag=brussels",
        "department=control",
        "event=other-event",
        "year=2022",
        "year=2023&month=7",
        "q=customs+summit",
    ],
)
def test_apply_drops_a_release_that_does_not_match(june_2023_release, query_string):
    assert not read(query_string).apply(Release.objects.published(), language="en").exists()


@pytest.mark.django_db
def test_apply_with_many_tags_is_one_query(django_assert_num_queries):
    filters = read("&".join(f"tag=tag-{n}" for n in range(300)))
    # However many tags are given, the filter stays one query.
    with django_assert_num_queries(1):
        list(filters.apply(Release.objects.published(), language="en"))
