"""The release admin's list sized for a million releases (issue 8): no
COUNT(*) of the whole table, filters whose choices do not grow with the
data, events and tags chosen by autocomplete, search on the indexed search
vector on PostgreSQL, and as many queries for thirty releases as for three."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from releases.admin.filters import YEAR_RANGE_CACHE_KEY
from releases.admin.paginators import EstimatedCountPaginator
from releases.models import Event, Release, Tag

pytestmark = pytest.mark.django_db

RELEASE_LIST = reverse("admin:releases_release_changelist")
AUTOCOMPLETE = reverse("admin:autocomplete")


@pytest.fixture(autouse=True)
def fresh_year_range():
    cache.delete(YEAR_RANGE_CACHE_KEY)
    yield
    cache.delete(YEAR_RANGE_CACHE_KEY)


def make_event(number):
    return Event.objects.create(title=f"Event number {number}", slug=f"event-{number}", start_date="2023-06-19")


def shown(response):
    return list(response.context["cl"].result_list)


def warnings(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# No count of the whole table


def test_release_list_counts_no_more_than_a_page_limit(press_client, make_release):
    for _number in range(3):
        make_release()
    with CaptureQueriesContext(connection) as queries:
        response = press_client.get(RELEASE_LIST)
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts, "the list counts its releases"
    assert all("LIMIT" in sql.upper() for sql in counts), counts
    assert response.context["cl"].result_count == 3
    assert response.context["cl"].full_result_count is None


def test_release_list_runs_no_distinct_over_dates(press_client, make_release):
    """date_hierarchy's DISTINCT date_trunc over every release is gone."""
    make_release()
    with CaptureQueriesContext(connection) as queries:
        press_client.get(RELEASE_LIST)
    assert not [query["sql"] for query in queries if "TRUNC" in query["sql"].upper()]


def test_paginator_counts_exactly_up_to_its_limit(make_release):
    for _number in range(3):
        make_release()
    paginator = EstimatedCountPaginator(Release.objects.all(), 2)
    paginator.exact_limit = 5
    assert paginator.count == 3
    assert not paginator.count_is_estimate
    assert paginator.num_pages == 2


def test_paginator_past_its_limit_counts_all_on_sqlite_and_estimates_on_postgresql(make_release):
    for _number in range(6):
        make_release()
    paginator = EstimatedCountPaginator(Release.objects.all(), 2)
    paginator.exact_limit = 3
    if connection.vendor == "postgresql":
        assert paginator.count_is_estimate is False  # not yet counted
        assert paginator.count >= 4
        assert paginator.count_is_estimate
    else:
        assert paginator.count == 6
        assert not paginator.count_is_estimate


def test_release_list_pages_still_link_to_one_another(press_client, make_release, monkeypatch):
    monkeypatch.setattr("releases.admin.release.ReleaseAdmin.list_per_page", 2)
    releases = [make_release() for _number in range(5)]
    response = press_client.get(RELEASE_LIST, {"p": 3})
    assert shown(response) == [releases[4]]
    assert 'href="?p=1"' in response.content.decode()


# Filters with bounded choices


def test_event_and_tag_filters_render_no_list_of_every_choice(press_client, make_release):
    for number in range(30):
        make_event(number)
        Tag.objects.create(name=f"Subject number {number}")
    make_release()
    content = press_client.get(RELEASE_LIST).content.decode()
    assert "Event number 7" not in content
    assert "Subject number 7" not in content
    assert 'name="event__id__exact"' in content
    assert 'name="tags__id__exact"' in content


def test_filter_select_uses_the_admin_autocomplete(press_client, make_release):
    make_release()
    content = press_client.get(RELEASE_LIST).content.decode()
    assert 'class="admin-autocomplete' in content
    assert f'data-ajax--url="{AUTOCOMPLETE}"' in content
    assert "admin/js/autocomplete.js" in content
    assert "releases/admin/list_filters.js" in content


def test_release_list_has_no_inline_script(press_client, make_release):
    """The Content-Security-Policy allows no inline script: every script of
    the list, the filters' included, is a static file (or JSON data)."""
    make_release()
    content = press_client.get(RELEASE_LIST).content.decode()
    inline = [tag for tag in re.findall(r"<script[^>]*>", content) if "src=" not in tag and "json" not in tag]
    assert inline == []


def test_autocomplete_view_answers_for_the_tag_filter(press_client, make_release):
    make_release(tags=["WCO", "Transit"])
    response = press_client.get(
        AUTOCOMPLETE, {"app_label": "releases", "model_name": "release", "field_name": "tags", "term": "WC"}
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["WCO"]


def test_autocomplete_view_answers_for_the_event_filter(press_client, event):
    response = press_client.get(
        AUTOCOMPLETE, {"app_label": "releases", "model_name": "release", "field_name": "event", "term": "Policy"}
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(event.pk)]


def test_tag_filter_filters_by_id(press_client, make_release):
    tagged = make_release(tags=["WCO"])
    make_release(tags=["Transit"])
    response = press_client.get(RELEASE_LIST, {"tags__id__exact": Tag.objects.get(name="WCO").pk})
    assert shown(response) == [tagged]
    assert "WCO" in response.content.decode()  # the chosen tag, in its select


def test_tag_filter_filters_by_slug_typed_in_the_address(press_client, make_release):
    tagged = make_release(tags=["Green Customs"])
    make_release(tags=["Transit"])
    response = press_client.get(RELEASE_LIST, {"tags__id__exact": Tag.objects.get(name="Green Customs").slug})
    assert shown(response) == [tagged]


def test_tag_filter_lists_a_release_once_whatever_its_tags(press_client, make_release):
    tagged = make_release(tags=["WCO", "Transit", "Green Customs"])
    response = press_client.get(RELEASE_LIST, {"tags__id__exact": Tag.objects.get(name="WCO").pk})
    assert shown(response) == [tagged]


def test_event_filter_filters_by_id_and_by_slug(press_client, make_release, event):
    at_event = make_release(event=event)
    make_release(event=make_event(1))
    assert shown(press_client.get(RELEASE_LIST, {"event__id__exact": event.pk})) == [at_event]
    assert shown(press_client.get(RELEASE_LIST, {"event__id__exact": event.slug})) == [at_event]


def test_filter_form_keeps_the_other_filters(press_client, make_release):
    make_release()
    content = press_client.get(RELEASE_LIST, {"status__exact": "draft", "q": "customs"}).content.decode()
    assert '<input type="hidden" name="status__exact" value="draft">' in content
    assert '<input type="hidden" name="q" value="customs">' in content


@pytest.mark.parametrize("value", ["999999", "no-such-tag", "99999999999999999999999", "1; DROP TABLE", "-1", "١٢"])
@pytest.mark.parametrize("parameter", ["tags__id__exact", "event__id__exact"])
def test_unknown_or_bad_filter_value_gives_an_empty_list_and_a_warning(press_client, make_release, parameter, value):
    make_release(tags=["WCO"])
    response = press_client.get(RELEASE_LIST, {parameter: value})
    assert response.status_code == 200
    assert shown(response) == []
    assert any("id or slug" in message for message in warnings(response))


def test_publication_filter_filters_by_year_and_month(press_client, make_release):
    may = make_release(published_at=datetime(2023, 5, 10, 9, tzinfo=UTC))
    june = make_release(published_at=datetime(2023, 6, 10, 9, tzinfo=UTC))
    make_release(published_at=datetime(2022, 5, 10, 9, tzinfo=UTC))
    assert set(shown(press_client.get(RELEASE_LIST, {"published_at__year": 2023}))) == {may, june}
    response = press_client.get(RELEASE_LIST, {"published_at__year": 2023, "published_at__month": 5})
    assert shown(response) == [may]
    assert "2022" in response.content.decode()  # the years offered run from the first publication


@pytest.mark.parametrize(
    "params",
    [
        {"published_at__year": "abc"},
        {"published_at__year": "0"},
        {"published_at__year": "2023", "published_at__month": "13"},
    ],
)
def test_publication_filter_ignores_what_is_no_year_or_month(press_client, make_release, params):
    make_release(published_at=datetime(2023, 5, 10, 9, tzinfo=UTC))
    response = press_client.get(RELEASE_LIST, params)
    assert response.status_code == 200
    assert len(shown(response)) == 1


# Search


def test_search_finds_a_word_in_the_body(press_client, make_release):
    found = make_release(body="<p>Held at the WCO headquarters in Brussels.</p>")
    make_release(body="<p>Something else.</p>")
    assert shown(press_client.get(RELEASE_LIST, {"q": "Brussels"})) == [found]


def test_search_finds_the_beginning_of_a_word(press_client, make_release):
    found = make_release(title="Delegation visits Brussels")
    make_release(title="Something else")
    assert shown(press_client.get(RELEASE_LIST, {"q": "Brus"})) == [found]


def test_search_needs_every_word(press_client, make_release):
    both = make_release(title="Customs talks in Brussels")
    make_release(title="Customs talks in Baku")
    assert shown(press_client.get(RELEASE_LIST, {"q": "customs brussels"})) == [both]


@pytest.mark.parametrize("term", ["'&:*!(", "a\\b", "<->", "!!", "'", "x:*A"])
def test_search_takes_query_syntax_as_text(press_client, make_release, term):
    make_release()
    assert press_client.get(RELEASE_LIST, {"q": term}).status_code == 200


@pytest.mark.postgresql
def test_search_on_postgresql_uses_the_search_vector_and_stems(press_client, make_release):
    found = make_release(language="en", title="The customs of the region")
    make_release(language="en", title="Something else")
    with CaptureQueriesContext(connection) as queries:
        response = press_client.get(RELEASE_LIST, {"q": "custom"})
    assert shown(response) == [found]
    sql = " ".join(query["sql"] for query in queries)
    assert "search_vector" in sql
    assert "LIKE" not in sql.upper()


# Queries


def test_release_list_queries_do_not_grow_with_releases_events_or_tags(
    editor_client, make_release, django_assert_max_num_queries
):
    """Guards against a filter that lists every event or tag, and against a
    query per row."""

    def make_releases(first, count):
        for number in range(first, first + count):
            make_release(event=make_event(number), tags=[f"Tag {number}", "WCO"])

    make_releases(0, 3)
    editor_client.get(RELEASE_LIST)  # fills the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert len(shown(editor_client.get(RELEASE_LIST))) == 3
    make_releases(3, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(RELEASE_LIST)
    assert len(shown(response)) == 30


def test_filtered_release_list_queries_do_not_grow_either(editor_client, make_release, django_assert_max_num_queries):
    tag = Tag.objects.create(name="WCO")
    params = {"tags__id__exact": tag.pk, "published_at__year": 2020, "q": "release"}
    for _number in range(3):
        make_release(tags=["WCO"])
    editor_client.get(RELEASE_LIST, params)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(RELEASE_LIST, params)
    for _number in range(27):
        make_release(tags=["WCO"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(RELEASE_LIST, params)
