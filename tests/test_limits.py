"""What one client and one request may cost (issue 13, serving/limits.py):
searches and deep pages counted per client, answered 429 over the limit,
kept pages never counted, a cache that fails letting everyone through, and
on PostgreSQL a statement of a search cut off at its budget."""

import logging
import time

import pytest
import redis
from django.db import connection
from django.db.models.expressions import RawSQL

from bench.redis_outage import REDIS_SERVER, SKIP_REASON, RedisServer
from pressroom.settings import base
from releases.models import Tag

pytestmark = pytest.mark.django_db

LIST = "/releases/"
REDIS_PORT = 17030


@pytest.fixture
def limit(settings, one_rate_window):
    """At most 3 costly requests a minute per client, counted afresh."""
    settings.PRESSROOM_RATE_LIMIT_REQUESTS = 3
    settings.PRESSROOM_RATE_LIMIT_SECONDS = 60


def statuses(client, urls, **headers):
    return [client.get(url, **headers).status_code for url in urls]


def test_searches_over_the_limit_answer_429_with_retry_after(client, limit, settings):
    # The attack: the same uncacheable search, over and over.
    assert statuses(client, [f"{LIST}?q=customs+session&bust={n}" for n in range(3)]) == [200, 200, 200]
    response = client.get(LIST + "?q=customs+session&bust=3")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "no-cache" in response["Cache-Control"]
    assert "Too many searches" in response.content.decode()
    settings.PRESSROOM_RATE_LIMIT_REQUESTS = 0  # no limit
    assert client.get(LIST + "?q=customs+session&bust=4").status_code == 200


def test_the_429_page_is_in_the_language_of_the_page(client, limit):
    statuses(client, [f"/ru/releases/?q=таможня&n={n}" for n in range(3)])
    response = client.get("/ru/releases/?q=таможня")
    assert response.status_code == 429
    assert '<html lang="ru">' in response.content.decode()
    assert "Слишком много запросов" in response.content.decode()


def test_deep_pages_are_counted_and_the_first_pages_of_lists_are_not(client, limit, make_release):
    make_release()
    free = [LIST, LIST + "?page=2", LIST + "?page=10", LIST + "?tag=wco", "/events/", "/departments/press/"]
    assert set(statuses(client, free * 3)) == {200}
    deep = [LIST + "?page=11", "/events/?page=10000000", "/departments/press/?page=50", LIST + "?page=12"]
    assert statuses(client, deep) == [200, 200, 200, 429]


def test_clients_are_counted_apart(client, limit, settings):
    searches = [f"{LIST}?q=customs&n={n}" for n in range(4)]
    assert statuses(client, searches, REMOTE_ADDR="192.0.2.1")[-1] == 429
    assert statuses(client, searches[:3], REMOTE_ADDR="192.0.2.2") == [200, 200, 200]
    # Behind a trusted proxy, the client is the address it forwards.
    settings.PRESSROOM_TRUSTED_PROXIES = 1
    assert statuses(client, searches[:3], REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.3") == [200] * 3
    assert client.get(searches[0], REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429


def test_an_ipv6_client_is_its_64_network(client, limit):
    # One household or server holds a whole /64: changing the last bits is no escape.
    addresses = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3", "2001:db8:1:2::4"]
    codes = [client.get(LIST + "?q=customs", REMOTE_ADDR=address).status_code for address in addresses]
    assert codes == [200, 200, 200, 429]
    assert client.get(LIST + "?q=customs", REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_kept_pages_are_served_to_a_client_over_its_limit(client, limit, settings, make_release):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    make_release(title="Customs session")
    assert statuses(client, [LIST + "?q=customs", LIST, "/"]) == [200, 200, 200]
    assert statuses(client, [f"{LIST}?q=customs+{n}" for n in range(3)]) == [200, 200, 429]
    # The pages kept already, a search among them, cost no view and no count;
    # nor does a parameter the list does not read, which adds no page to keep.
    assert statuses(client, [LIST + "?q=customs", LIST, "/", LIST + "?q=customs&bust=1"] * 3) == [200] * 12


# A cache shared by every worker, and one that fails


@pytest.fixture
def redis_cache(settings, tmp_path):
    """The cache in a Redis server of the test's own, on REDIS_PORT; yields
    the server, which the test may stop."""
    if REDIS_SERVER is None:
        pytest.skip(SKIP_REASON)
    server = RedisServer(REDIS_PORT, tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server
    server.kill()


@pytest.mark.slow
def test_workers_share_the_count_in_redis_and_a_failing_cache_lets_everyone_through(
    client, settings, redis_cache, caplog
):
    settings.PRESSROOM_RATE_LIMIT_REQUESTS = 3
    searches = [f"{LIST}?q=customs&n={n}" for n in range(4)]
    assert statuses(client, searches) == [200, 200, 200, 429]
    # The count is in Redis, where every worker finds it.
    assert [key for key in redis.Redis(port=REDIS_PORT).keys("*") if b"pressroom:limit:rate:127.0.0.1" in key]
    redis_cache.kill()
    with caplog.at_level(logging.WARNING, logger="pressroom.limits"):
        assert statuses(client, searches) == [200] * 4
    assert "Rate limit not counted, the cache failed" in caplog.text


# The statement budget (PostgreSQL)


@pytest.fixture
def slow_facets(monkeypatch, settings, make_release):
    """A statement budget of 300 ms, a release to list, and slow_facets(seconds):
    the list's facet query made to take that long (pg_sleep)."""
    settings.PRESSROOM_LIST_STATEMENT_TIMEOUT_MS = 300
    make_release(title="Customs session", tags=["customs"])

    def slow(seconds):
        sleeping = RawSQL("SELECT 1 FROM pg_sleep(%s)", [seconds])
        monkeypatch.setattr("releases.views.facet_tags", lambda ids: Tag.objects.annotate(slept=sleeping))

    return slow


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_search_statement_over_its_budget_is_cancelled_and_answered_503(client, slow_facets):
    slow_facets(5)
    started = time.monotonic()
    response = client.get(LIST + "?q=customs")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    # The budget ended with the request: the connection's own timeout is back.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] != "300ms"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_budget_is_for_costly_requests_only(client, settings, slow_facets):
    slow_facets(0.5)
    assert client.get(LIST).status_code == 200
    assert client.get(LIST + "?q=customs").status_code == 503
    settings.PRESSROOM_LIST_STATEMENT_TIMEOUT_MS = 0
    assert client.get(LIST + "?q=customs").status_code == 200


def test_default_limits_are_10_a_minute_and_2_s_a_statement(settings):
    assert (settings.PRESSROOM_RATE_LIMIT_REQUESTS, settings.PRESSROOM_RATE_LIMIT_SECONDS) == (0, 60)  # the suite's
    assert (base.PRESSROOM_RATE_LIMIT_REQUESTS, base.PRESSROOM_RATE_LIMIT_SECONDS) == (10, 60)
    assert base.PRESSROOM_LIST_STATEMENT_TIMEOUT_MS == 2000
