"""Public pages for CDNs and the server's page cache (serving/pagecache.py):
kept pages cost no query, no kept page outlives a publication, an edit, a
withdrawal or a scheduled release's time, and nothing private is kept.
Share links are never kept either: tests/test_sharing.py checks that they
answer `Cache-Control: private, no-store`, which the cache never keeps."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.models import Department, Release

from .test_views import LIST, card_titles, get


def test_a_kept_page_costs_no_query(client, page_cache, make_release, django_assert_num_queries):
    make_release()
    for url in ["/", LIST, "/tags/", "/feeds/rss/", "/sitemap.xml", "/az/releases/"]:
        first = client.get(url)
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.status_code == 200
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]


def test_publication_edit_and_withdrawal_show_at_once(client, page_cache, commits, frozen_now, make_release):
    release = commits(lambda: make_release(title="First news"))
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["First news"]

    commits(lambda: make_release(title="Second news", published_at=frozen_now - timedelta(minutes=1)))
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["Second news", "First news"]

    def edit():
        release.title = "First news, corrected"
        release.save()

    commits(edit)
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["Second news", "First news, corrected"]

    def withdraw():
        release.status, release.withdrawal_reason = Release.Status.WITHDRAWN, "Issued in error."
        release.save()

    commits(withdraw)
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["Second news"]


def test_a_scheduled_release_appears_at_its_time(client, page_cache, commits, frozen_now, make_release):
    commits(lambda: make_release(title="Now"))
    commits(lambda: make_release(title="At noon", published_at=frozen_now + timedelta(hours=3)))
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["Now"]
    with mock.patch("django.utils.timezone.now", return_value=frozen_now + timedelta(hours=3)):
        _, tree = get(client, LIST)
        assert card_titles(tree) == ["At noon", "Now"]


def test_head_requests_are_answered_from_the_kept_page(client, page_cache, make_release, django_assert_num_queries):
    make_release()
    client.get(LIST)
    with django_assert_num_queries(0):
        response = client.head(LIST)
    assert response.status_code == 200


@pytest.mark.parametrize("cached", [True, False])
def test_conditional_requests_answer_304(client, settings, make_release, cached):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600 if cached else 0
    cache.clear()
    release = make_release()
    for url in ["/", LIST, release.get_absolute_url(), "/feeds/atom/"]:
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304
        assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_public_pages_may_be_kept_by_a_cdn(client, make_release, settings):
    settings.PRESSROOM_PUBLIC_MAX_AGE = 120
    release = make_release(tags=["WCO"])
    for url in ["/", LIST, release.get_absolute_url(), "/tags/", "/feeds/rss/", "/sitemap.xml", "/robots.txt"]:
        assert client.get(url)["Cache-Control"] == "public, max-age=0, s-maxage=120", url


def test_missing_pages_are_not_kept(client, page_cache, db):
    client.get("/releases/no-such-release/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/releases/no-such-release/").status_code == 404
    assert queries.captured_queries


def test_previews_share_links_and_the_admin_are_never_kept(client, page_cache, editor_client, make_release):
    scheduled = make_release(published_at=timezone.now() + timedelta(days=1))
    preview = reverse("admin:releases_release_preview", args=[scheduled.pk])
    for url in [preview, reverse("admin:releases_release_changelist"), reverse("admin:index")]:
        response = editor_client.get(url)
        assert response.status_code == 200
        assert "public" not in response["Cache-Control"]
        assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    for url in [preview, reverse("admin:index")]:
        with CaptureQueriesContext(connection) as queries:
            editor_client.get(url)
        assert queries.captured_queries, url


# A kept page passes every rule a fresh one does, with the same headers


@pytest.fixture(params=[True, False], ids=["page cache on", "page cache off"])
def cached(request, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600 if request.param else 0
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def behind_tls_proxy(settings):
    """Production's HTTPS settings behind a proxy that says the scheme in
    X-Forwarded-Proto."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600


HTTPS = {"x-forwarded-proto": "https"}
PUBLIC_PATHS = ["/", LIST, "/az/releases/", "/tags/", "/feeds/rss/", "/sitemap.xml", "/robots.txt"]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_a_forged_host_is_refused_even_when_the_page_is_kept(client, cached, make_release, path):
    make_release()
    assert client.get(path).status_code == 200
    assert client.get(path, headers={"host": "attacker.example"}).status_code == 400


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_plain_http_is_redirected_even_when_the_page_is_kept(client, cached, behind_tls_proxy, make_release, path):
    make_release()
    assert client.get(path, headers=HTTPS).status_code == 200
    response = client.get(path, headers={"x-forwarded-proto": "http"})
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def _headers(response):
    """Every header but the request's own id, which each answer has anew."""
    assert response.has_header("X-Request-ID")
    return sorted((name, value) for name, value in response.items() if name != "X-Request-ID")


@pytest.mark.parametrize("path", PUBLIC_PATHS)
@pytest.mark.parametrize("scheme", ["https", "http"])
def test_a_kept_page_goes_out_with_the_headers_of_a_fresh_one(client, settings, make_release, path, scheme):
    """HSTS only over HTTPS, CSP, X-Frame-Options, the ETag, the language:
    whether the page was kept from a request over the other scheme or not."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    make_release()
    other = "http" if scheme == "https" else "https"
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    fresh = client.get(path, headers={"x-forwarded-proto": scheme})
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    cache.clear()
    client.get(path, headers={"x-forwarded-proto": other})
    kept = client.get(path, headers={"x-forwarded-proto": scheme})
    assert kept.content == fresh.content
    assert _headers(kept) == _headers(fresh)
    assert ("Strict-Transport-Security" in kept) == (scheme == "https")
    assert "Content-Security-Policy" in kept


def test_head_before_get_leaves_the_page_its_etag(client, page_cache, make_release):
    make_release()
    assert client.head(LIST).status_code == 200
    response = client.get(LIST)
    assert response.has_header("ETag")
    assert client.get(LIST, headers={"if-none-match": response["ETag"]}).status_code == 304


# Keys: the parameters a page reads, in a canonical order


def test_parameters_a_page_does_not_read_make_no_new_page(client, page_cache, make_release, django_assert_num_queries):
    make_release()
    first = client.get(LIST + "?page=1")
    for junk in ["utm_source=mail", "a=1&b=2", "x=<script>"]:
        with django_assert_num_queries(0):
            response = client.get(f"{LIST}?page=1&{junk}")
        assert response.content == first.content
    assert b"utm_source" not in first.content


def test_parameters_in_another_order_are_the_same_page(client, page_cache, make_release, django_assert_num_queries):
    make_release(tags=["WCO"])
    first = client.get(LIST + "?tag=wco&year=2024")
    with django_assert_num_queries(0):
        again = client.get(LIST + "?year=2024&tag=wco")
    assert again.content == first.content


def test_junk_parameters_add_no_key(client, page_cache, make_release):
    make_release()
    client.get(LIST)
    keys = len(cache._cache)  # the local-memory cache of the tests
    for number in range(50):
        client.get(f"{LIST}?junk{number}={number}")
    assert len(cache._cache) == keys


def test_links_of_a_page_carry_no_parameter_it_does_not_read(client, cached, make_release):
    """A kept page goes to every reader: nothing of one reader's query that
    the key leaves out may show in it (here, in the pagination's links)."""
    for _ in range(25):
        make_release()
    content = client.get(LIST + "?page=2&ref=attacker").content.decode()
    assert "page=1" in content
    assert "attacker" not in content


# Bulk writes, which send no signal, begin a new version too


def test_a_queryset_update_shows_at_once(client, page_cache, commits, make_release):
    release = commits(lambda: make_release(title="Before"))
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["Before"]
    commits(lambda: Release.objects.filter(pk=release.pk).update(title="Updated in bulk"))
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["Updated in bulk"]


def test_seeding_shows_at_once(client, page_cache, commits, make_release):
    commits(make_release)
    before = client.get(LIST).content
    commits(lambda: call_command("seed_releases", count=30, stdout=io.StringIO(), stderr=io.StringIO()))
    assert client.get(LIST).content != before


# The list's form of year, month and department (releases.filters.NarrowingChoices).
NARROWING_QUERIES = 2


def test_a_page_the_cache_does_not_keep_reads_the_list_form_s_choices_once_a_version(
    client, page_cache, make_release, django_assert_num_queries
):
    make_release()
    client.get("/")  # the version begins
    with CaptureQueriesContext(connection) as first:
        assert client.get(LIST + "?year=2020").status_code == 200
    with django_assert_num_queries(len(first) - NARROWING_QUERIES):
        assert client.get(LIST + "?year=2021").status_code == 200


def test_the_list_form_shows_a_renamed_department_at_once(client, db, page_cache, commits):
    # Not the `department` fixture: made outside `commits`, its change event
    # waits for the test's commit, and stands for the rename's.
    desk = commits(lambda: Department.objects.create(name="Protocol Desk", slug="protocol"))
    _, tree = get(client, LIST + "?year=2020")
    assert "Protocol Desk" in options(tree, "department")

    def rename():
        desk.name = "Protocol and Visits Desk"
        desk.save()

    commits(rename)
    _, tree = get(client, LIST + "?year=2021")
    assert options(tree, "department")[1:] == ["Protocol and Visits Desk"]


def options(tree, name):
    return [option.text for option in tree.iterfind(f".//select[@name='{name}']/option")]
