from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
