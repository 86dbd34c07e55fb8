"""Kept pages answered before Django builds a request (serving.pagecache.
KeptPages, in front of Django's WSGI handler in pressroom/wsgi.py): the same
answer, byte for byte, as Django's path gives, or Django's answer itself.
Each test asks KeptPages first (which leaves the request to Django, and
keeps Django's answer as it goes out), then KeptPages' own answer
(`fast`), then Django's handler alone, and compares them."""

import gzip
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from releases.models import Release
from serving import metrics, pagecache, site_address
from serving.code_version import code_fingerprint

from .test_views import LIST

REQUEST_ID = "kept-page-test"


@pytest.fixture
def kept_pages(django_app):
    return pagecache.KeptPages(django_app)


def environ(url, method="GET", **headers):
    path, _, query = url.partition("?")
    headers = {"HTTP_HOST": "testserver", "HTTP_X_REQUEST_ID": REQUEST_ID, **headers}
    return RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD=method, **headers)


def answer(app, url, method="GET", **headers):
    """(status, headers, body) of `app` to the request."""
    started = []
    body = b"".join(app(environ(url, method, **headers), lambda status, headers, *_: started.append((status, headers))))
    status, response_headers = started[0]
    return status, list(response_headers), body


def fast(url, method="GET", **headers):
    """KeptPages' own answer, None when it leaves the request to Django."""
    return pagecache.kept_answer(environ(url, method, **headers))


def test_a_kept_page_is_the_answer_django_gives(page_cache, make_release, django_app, kept_pages):
    """And Django's handler alone keeps nothing for KeptPages (it would be a
    write to Redis at every request)."""
    make_release(title="First news")
    for url in ["/", LIST, "/az/releases/", "/tags/", "/feeds/rss/", "/sitemap.xml", "/robots.txt"]:
        assert fast(url) is None  # nothing kept yet: Django answers
        first = answer(kept_pages, url)
        assert first[0] == "200 OK", url
        kept = fast(url)
        assert kept is not None, url
        assert (kept[0], kept[1], kept[2]) == first
        assert answer(kept_pages, url) == first == answer(django_app, url)
    cache.clear()
    answer(django_app, LIST)
    assert fast(LIST) is None


def test_what_is_kept_costs_no_query_and_no_view(page_cache, make_release, kept_pages, django_assert_num_queries):
    make_release()
    answer(kept_pages, LIST)
    django_asked = mock.patch.object(kept_pages, "application", side_effect=AssertionError("Django was asked"))
    with django_asked, django_assert_num_queries(0):
        status, _, body = answer(kept_pages, LIST)
    assert status == "200 OK" and b"<html" in body


def test_head_and_304(page_cache, make_release, django_app, kept_pages):
    make_release()
    status, headers, body = answer(kept_pages, LIST)
    etag = dict(headers)["ETag"]
    head = answer(kept_pages, LIST, "HEAD")
    assert fast(LIST, "HEAD") == head == answer(django_app, LIST, "HEAD")
    # Django's own: the same body (the server sends none), no ETag (ConditionalGetMiddleware tags GETs).
    assert head[2] == body and head[1] == [(name, value) for name, value in headers if name != "ETag"]

    not_modified = answer(kept_pages, LIST, HTTP_IF_NONE_MATCH=etag)
    assert not_modified[0] == "304 Not Modified" and not_modified[2] == b""
    assert fast(LIST, HTTP_IF_NONE_MATCH=etag) == not_modified == answer(django_app, LIST, HTTP_IF_NONE_MATCH=etag)
    # An ETag that does not match keeps nothing: each would be a copy.
    assert answer(kept_pages, LIST, HTTP_IF_NONE_MATCH='"other"')[0] == "200 OK"
    assert fast(LIST, HTTP_IF_NONE_MATCH='"other"') is None


def test_compressed_for_who_takes_gzip(page_cache, make_release, django_app, kept_pages):
    make_release()
    plain = answer(kept_pages, LIST)
    compressed = answer(kept_pages, LIST, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert dict(compressed[1])["Content-Encoding"] == "gzip"
    kept = fast(LIST, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert kept == compressed
    # Django's gzip adds random bytes to the header: the same page once unpacked.
    again = answer(django_app, LIST, HTTP_ACCEPT_ENCODING="gzip, deflate")
    without_length = [(name, value) for name, value in again[1] if name != "Content-Length"]
    assert [(name, value) for name, value in kept[1] if name != "Content-Length"] == without_length
    assert gzip.decompress(kept[2]) == gzip.decompress(again[2]) == plain[2]
    assert fast(LIST) == plain == answer(django_app, LIST)


def test_request_id_is_the_requests_own(page_cache, make_release, kept_pages):
    make_release()
    answer(kept_pages, LIST)
    assert dict(fast(LIST, HTTP_X_REQUEST_ID="abc-1")[1])["X-Request-ID"] == "abc-1"
    ids = {dict(fast(LIST, HTTP_X_REQUEST_ID="not plain!")[1])["X-Request-ID"] for _ in range(2)}
    assert len(ids) == 2 and "not plain!" not in ids


def test_counted_in_the_metrics_under_its_view(page_cache, make_release, kept_pages):
    make_release()
    answer(kept_pages, LIST)
    count = metrics.REQUESTS.labels("releases:release-list", "GET", 200)
    before = count._value.get()
    answer(kept_pages, LIST)
    assert count._value.get() == before + 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "pressroom_wrote=1"},
        {"HTTP_AUTHORIZATION": "Token abc"},
        {"HTTP_IF_MODIFIED_SINCE": "Thu, 03 Dec 2026 10:00:00 GMT"},
    ],
)
def test_requests_that_are_not_plain_go_to_django(page_cache, make_release, kept_pages, headers):
    make_release()
    answer(kept_pages, LIST)
    assert fast(LIST) is not None
    assert fast(LIST, **headers) is None
    assert answer(kept_pages, LIST, **headers)[0] == "200 OK"
    assert fast(LIST, **headers) is None


def test_a_host_not_allowed_or_plain_http_never_gets_a_kept_page(page_cache, settings, make_release, kept_pages):
    make_release()
    answer(kept_pages, LIST)
    assert fast(LIST, HTTP_HOST="evil.example") is None
    assert answer(kept_pages, LIST, HTTP_HOST="evil.example")[0] == "400 Bad Request"
    assert fast(LIST, HTTP_HOST="evil.example") is None

    # Deployed again, with HTTPS only: what was kept under other settings is not given.
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = True, 3600
    assert fast(LIST) is None
    kept_pages = pagecache.KeptPages(WSGIHandler())
    assert answer(kept_pages, LIST)[0].startswith("301")
    assert fast(LIST) is None
    status, headers, _ = answer(kept_pages, LIST, **{"wsgi.url_scheme": "https"})
    assert status == "200 OK" and "Strict-Transport-Security" in dict(headers)
    assert fast(LIST, **{"wsgi.url_scheme": "https"})[1] == headers


def test_other_parameters_are_served_by_django_and_keep_no_copy(page_cache, make_release, kept_pages):
    make_release()
    answer(kept_pages, LIST + "?page=1")
    assert answer(kept_pages, LIST + "?utm_source=mail")[0] == "200 OK"
    assert fast(LIST + "?utm_source=mail") is None
    assert fast(LIST + "?page=1") is not None


def test_a_publication_outdates_every_kept_answer(page_cache, commits, frozen_now, make_release, kept_pages):
    commits(lambda: make_release(title="First news"))
    answer(kept_pages, LIST)
    assert fast(LIST) is not None
    commits(lambda: make_release(title="Second news", published_at=frozen_now - timedelta(minutes=1)))
    assert fast(LIST) is None
    status, _, body = answer(kept_pages, LIST)
    assert b"Second news" in body
    assert fast(LIST)[2] == body


def test_a_version_not_checked_lately_goes_to_django(page_cache, make_release, kept_pages):
    make_release()
    answer(kept_pages, LIST)
    cache.delete(pagecache.CHECKED_KEY)  # CHECK_SECONDS have passed
    assert fast(LIST) is None
    answer(kept_pages, LIST)  # Django compares with the database
    assert fast(LIST) is not None


def test_a_scheduled_release_ends_the_kept_answers_at_its_time(
    page_cache, commits, frozen_now, make_release, kept_pages
):
    commits(lambda: make_release(title="Soon", published_at=frozen_now + timedelta(minutes=5)))
    answer(kept_pages, LIST)
    assert fast(LIST) is not None
    with mock.patch("django.utils.timezone.now", return_value=frozen_now + timedelta(minutes=6)):
        assert fast(LIST) is None
        assert b"Soon" in answer(kept_pages, LIST)[2]


def test_off_without_the_page_cache(settings, make_release, kept_pages):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    make_release()
    answer(kept_pages, LIST)
    assert fast(LIST) is None


def test_a_request_elsewhere_than_site_url_is_left_to_django_to_warn_of(page_cache, settings, make_release, django_app):
    make_release()
    settings.PRESSROOM_CHECK_SITE_URL, settings.SITE_URL = True, "http://testserver"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    kept_pages = pagecache.KeptPages(WSGIHandler())
    site_address.warned.clear()
    try:
        answer(kept_pages, LIST)
        assert fast(LIST) is not None  # at SITE_URL: nothing to warn of
        answer(kept_pages, LIST, HTTP_HOST="127.0.0.1")
        assert site_address.warned.is_set()
        site_address.warned.clear()  # another process, which has not warned yet
        assert fast(LIST, HTTP_HOST="127.0.0.1") is None
        answer(kept_pages, LIST, HTTP_HOST="127.0.0.1")
        assert site_address.warned.is_set()
        assert fast(LIST, HTTP_HOST="127.0.0.1") is not None  # said once per process
    finally:
        site_address.warned.clear()


def test_a_page_kept_by_another_version_of_the_code_is_never_served(
    page_cache, make_release, django_app, kept_pages, monkeypatch
):
    """A rolling deploy: pages the old workers kept stay theirs, on both
    paths; the new code makes its own."""
    release = make_release(title="First news")
    answer(kept_pages, LIST)
    Release.objects.filter(pk=release.pk).update(title="Renamed")  # no signal: what is kept stays current
    assert b"First news" in answer(django_app, LIST)[2]
    monkeypatch.setattr(pagecache, "code_fingerprint", lambda: "the next version")
    assert fast(LIST) is None
    assert b"Renamed" in answer(kept_pages, LIST)[2]


def test_the_version_of_the_code_follows_the_contents_of_its_templates(settings, tmp_path):
    template = tmp_path / "page.html"
    template.write_text("<p>One</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    try:
        code_fingerprint.cache_clear()
        first = code_fingerprint()
        template.touch()
        code_fingerprint.cache_clear()
        assert code_fingerprint() == first
        template.write_text("<p>Two</p>")
        code_fingerprint.cache_clear()
        assert code_fingerprint() != first
    finally:
        code_fingerprint.cache_clear()
