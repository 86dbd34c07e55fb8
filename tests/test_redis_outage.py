"""A Redis outage degrades the site, never breaks it (issue 13; README,
"Outages"): against a real Redis server the test starts, stops (keeping its
dump, as a clean shutdown does), starts again and hangs (SIGSTOP), every page,
the sign-in, the admin, a save and presence answer as usual, a hung Redis
costs one short timeout and then microseconds, and no kept page outlives a
change saved while Redis was away."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from bench.redis_outage import REDIS_SERVER, SKIP_REASON, RedisServer
from pressroom.settings.base import caches_from_url
from releases.documents import prepare_document
from releases.models import Release, ReleaseDocument
from serving import pagecache
from serving.models import PublicContentVersion

from .test_admin import RELEASE_LIST, change_form, release_change_url
from .test_documents import pdf_upload
from .test_views import LIST, card_titles, get

pytestmark = [pytest.mark.slow, pytest.mark.skipif(REDIS_SERVER is None, reason=SKIP_REASON)]

PORT = 17001
TIMEOUT_MS = 250
RETRY_AFTER = 0.3


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(PORT, tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()


@pytest.fixture
def redis_cache(settings, redis_server):
    """The site's cache in that server, emptied, with the settings'
    timeouts and a short wait before trying a failed server again."""
    redis_server.ensure_running()
    settings.CACHES = caches_from_url(redis_server.url, timeout_ms=TIMEOUT_MS, retry_after=RETRY_AFTER)
    redis_server.client().flushall()
    yield cache
    redis_server.ensure_running()


@pytest.fixture(params=[600, 0], ids=["page cache on", "page cache off"])
def page_cache_seconds(request, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = request.param
    return request.param


def editors_url(release):
    return reverse("admin:releases_release_editors", args=[release.pk])


def test_every_page_answers_while_redis_is_stopped(
    client, redis_cache, redis_server, page_cache_seconds, make_release, editor, django_capture_on_commit_callbacks
):
    release = make_release(title="Before the outage")
    document = ReleaseDocument(release=release, title="Agenda")
    document.attach(prepare_document(pdf_upload()))
    with django_capture_on_commit_callbacks(execute=True):  # the file is stored once the row commits
        document.save()
    public = ["/", LIST, release.get_absolute_url(), "/az/releases/", "/feeds/rss/", "/healthz", "/admin/login/"]
    for url in public:
        client.get(url)
    redis_server.stop()

    for url in public:
        assert client.get(url).status_code == 200, url
    assert client.get(document.get_absolute_url()).status_code == 200

    response = client.post("/admin/login/", {"username": "editor", "password": "a-long-password", "next": "/admin/"})
    assert response.status_code == 302
    assert client.get(RELEASE_LIST).status_code == 200
    response = client.post(
        release_change_url(release), change_form(release, with_published_at=True, lead="Saved while Redis was down.")
    )
    assert response.status_code == 302
    assert Release.objects.get(pk=release.pk).lead == "Saved while Redis was down."
    response = client.post(editors_url(release))
    assert response.status_code == 200
    assert response.json()["editors"] == []


def test_a_hung_redis_costs_one_timeout_then_nothing(client, redis_cache, redis_server, settings, make_release):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    make_release()
    client.get(LIST)
    redis_server.hang()

    started = time.monotonic()
    assert client.get(LIST).status_code == 200
    assert time.monotonic() - started < 1

    # While the breaker is open, a cache call costs microseconds, not the timeout.
    started = time.perf_counter()
    for _ in range(1000):
        cache.get("anything")
    assert (time.perf_counter() - started) / 1000 < 0.0001


def test_the_cache_is_used_again_once_redis_answers(
    client, redis_cache, redis_server, make_release, settings, django_assert_num_queries
):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    make_release()
    redis_server.hang()
    client.get(LIST)
    redis_server.resume()
    time.sleep(RETRY_AFTER)
    client.get(LIST)
    with django_assert_num_queries(0):
        assert client.get(LIST).status_code == 200


def test_a_change_saved_while_redis_was_stopped_shows_once_it_is_back(
    client, redis_cache, redis_server, settings, make_release, django_capture_on_commit_callbacks
):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    release = make_release(title="Before the outage")
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["Before the outage"]
    redis_server.stop()

    release.title = "Corrected while Redis was down"
    with django_capture_on_commit_callbacks(execute=True):
        release.save()

    redis_server.start()
    time.sleep(RETRY_AFTER)
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["Corrected while Redis was down"]


def test_a_change_that_never_reached_redis_shows_within_the_check_interval(
    client, redis_cache, settings, monkeypatch, make_release
):
    """As a worker that never noticed the outage sees a change another one
    made while Redis was down: within CHECK_SECONDS."""
    monkeypatch.setattr(pagecache, "CHECK_SECONDS", 1)
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    release = make_release(title="Before the outage")
    client.get(LIST)
    Release.objects.filter(pk=release.pk).update(title="Changed elsewhere")
    PublicContentVersion.start_new()  # what the other worker's public_content_changed got as far as
    time.sleep(1.1)
    _, tree = get(client, LIST)
    assert card_titles(tree) == ["Changed elsewhere"]


def test_kept_pages_answer_from_redis_and_leave_an_outage_to_django(
    redis_cache, redis_server, settings, make_release, django_app
):
    """KeptPages' own connection to Redis (ResilientRedisCache.get_many_at_once):
    kept pages from it, Django's answers while Redis is stopped or hung, and
    kept pages again, over a new connection, once it is back."""
    from django.test import RequestFactory

    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    make_release(title="Kept")
    application = pagecache.KeptPages(django_app)

    def answer():
        environ = RequestFactory()._base_environ(PATH_INFO=LIST, REQUEST_METHOD="GET", HTTP_HOST="testserver")
        statuses = []
        body = b"".join(application(environ, lambda status, headers, *_: statuses.append(status)))
        return statuses[0], body, pagecache.kept_answer(environ)

    answer()
    status, body, kept = answer()
    assert status == "200 OK" and b"Kept" in body and kept[2] == body
    for stop, start in [(redis_server.stop, redis_server.ensure_running), (redis_server.hang, redis_server.resume)]:
        stop()
        status, body, kept = answer()
        assert status == "200 OK" and b"Kept" in body and kept is None
        start()
        time.sleep(RETRY_AFTER)
        answer()  # Django's, which compares the version with the database's
        status, body, kept = answer()
        assert status == "200 OK" and kept is not None and kept[2] == body
