import time
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.urls import reverse

pytestmark = pytest.mark.django_db

REDIS_PORT = 17012


def test_robots_txt_allows_all_but_the_admin_and_points_to_the_sitemap(client, site_url):
    response = client.get(reverse("robots-txt"), HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Disallow: /admin/"]
    assert f"Sitemap: {site_url}/sitemap.xml" in lines


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"ok"
    assert_never_cached(response)


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content == b"database unavailable"
    assert_never_cached(response)


def assert_never_cached(response):
    # A cached "ok" would hide an outage from the load balancer.
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


# The full report (issue 21): the database, Redis and the object store apart


def test_the_full_report_says_each_part_is_ok(client):
    response = client.get("/healthz?full=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "redis": "not configured", "store": "ok"}
    assert_never_cached(response)


def test_the_full_report_names_the_database_when_it_does_not_answer(client):
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz?full=1")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_the_health_check_answers_over_plain_http_on_the_instance_address_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz?full=1", HTTP_HOST="10.0.3.17")
    assert response.status_code == 200


@pytest.fixture
def redis_server(own_redis_server):
    return own_redis_server(REDIS_PORT)


@pytest.mark.slow
def test_the_full_report_asks_redis(client, settings, redis_server):
    settings.REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
    assert client.get("/healthz?full=1").json()["redis"] == "ok"
    redis_server.kill()
    started = time.monotonic()
    response = client.get("/healthz?full=1")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "unavailable", "store": "ok"}
