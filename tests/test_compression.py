"""Text answers compressed only where they are the same for every reader
(serving/compression.py): no page holding a secret is compressed (BREACH)."""

import gzip

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse

from serving.compression import PublicGZipMiddleware

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def compressed(response):
    return response.get("Content-Encoding") == "gzip"


@pytest.mark.parametrize("address", ["/", "/releases/", "/releases/?q=customs", "/az/tags/", "/feeds/rss/"])
def test_public_text_answers_are_compressed_for_readers_who_accept_it(client, make_release, address):
    release = make_release(title="Customs news", body="<p>" + "Customs. " * 100 + "</p>")
    for url in (address, release.get_absolute_url()):
        plain = client.get(url)
        zipped = client.get(url, headers=GZIP)
        assert (plain.status_code, zipped.status_code) == (200, 200)
        assert not compressed(plain)
        assert compressed(zipped), url
        assert gzip.decompress(body(zipped)) == body(plain)
        assert "Accept-Encoding" in zipped["Vary"]
        assert len(body(zipped)) < len(body(plain))


def test_compressed_page_keeps_an_etag_of_its_content_that_still_answers_304(client, make_release):
    make_release()
    plain = client.get("/releases/")
    zipped = client.get("/releases/", headers=GZIP)
    assert zipped["ETag"] == "W/" + plain["ETag"]
    again = client.get("/releases/", headers={**GZIP, "if-none-match": zipped["ETag"]})
    assert again.status_code == 304


def test_kept_pages_are_kept_whole_and_compressed_for_each_reader(client, make_release, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        make_release()
        zipped = client.get("/releases/", headers=GZIP)  # made, kept, then compressed
        plain = client.get("/releases/")  # served from the cache
        zipped_again = client.get("/releases/", headers=GZIP)
        assert not compressed(plain)
        assert gzip.decompress(zipped.content) == plain.content == gzip.decompress(zipped_again.content)
    finally:
        cache.clear()


@pytest.mark.parametrize("address", ["/admin/", "/admin/releases/release/", "/admin/releases/tag/"])
def test_admin_pages_which_hold_csrf_tokens_and_sessions_are_never_compressed(press_client, address):
    response = press_client.get(address, headers=GZIP)
    assert response.status_code == 200
    assert not compressed(response)


def test_sign_in_page_with_its_csrf_token_is_not_compressed(client):
    response = client.get(reverse("admin:login"), headers=GZIP)
    assert b"csrfmiddlewaretoken" in response.content
    assert not compressed(response)


def answer(*, cache_control="public, max-age=0, s-maxage=60", cookie=False, vary=""):
    response = HttpResponse("<p>" + "customs " * 100 + "</p>")
    if cache_control:
        response["Cache-Control"] = cache_control
    if cookie:
        response.set_cookie("sessionid", "secret")
    if vary:
        response["Vary"] = vary
    return response


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, True),
        ({"cookie": True}, False),
        ({"vary": "Cookie"}, False),
        ({"cache_control": "private"}, False),
        ({"cache_control": ""}, False),
    ],
)
def test_only_answers_the_same_for_everyone_are_compressed(rf, fields, expected):
    middleware = PublicGZipMiddleware(lambda request: answer(**fields))
    response = middleware(rf.get("/", headers=GZIP))
    assert compressed(response) is expected


def test_not_found_pages_are_not_compressed(client):
    assert not compressed(client.get("/releases/no-such-release/", headers=GZIP))


def test_static_stylesheets_are_compressed_and_images_are_not(client):
    css = client.get("/static/css/site.css", headers=GZIP)
    assert css.status_code == 200
    assert compressed(css)
    png = client.get("/static/pressroom/share.png", headers=GZIP)
    assert png.status_code == 200
    assert not compressed(png)
