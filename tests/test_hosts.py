"""The Host header (issue 7, "Production configuration"): a host not in
ALLOWED_HOSTS is refused, and a forged one that gets through (a server that
allows any) never reaches a link: feeds, the sitemap, robots.txt, e-mails,
canonical, hreflang and Open Graph addresses are all built from SITE_URL."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from releases.models import Release

pytestmark = pytest.mark.django_db

FORGED = "attacker.example"


@pytest.fixture
def any_host(settings, site_url):
    """A server that lets any Host header through."""
    settings.ALLOWED_HOSTS = ["*"]
    return site_url


def absolute_addresses(content):
    return set(re.findall(r"https?://[^\s\"'<>]+", content))


@pytest.mark.parametrize("path", ["/", "/releases/", "/sitemap.xml", "/feeds/rss/", "/admin/login/"])
def test_request_for_another_host_is_refused(client, path):
    assert client.get(path, HTTP_HOST=FORGED).status_code == 400


def test_the_health_check_answers_on_any_host(client):
    """Load balancers probe each instance by its own address (issue 21)."""
    response = client.get("/healthz", HTTP_HOST="10.0.3.17:8000")
    assert (response.status_code, response.content) == (200, b"ok")


def test_allowed_hosts_default_to_the_development_addresses(settings):
    assert {"localhost", "127.0.0.1"} <= set(settings.ALLOWED_HOSTS)
    assert "*" not in settings.ALLOWED_HOSTS


def test_forged_host_never_reaches_a_public_page(client, any_host, make_release, delegation):
    release = make_release(tags=["WCO"], event=delegation.event)
    for path in ["/", "/releases/?tag=wco", release.get_absolute_url(), f"/az{reverse('releases:tag-list')}"]:
        content = client.get(path, HTTP_HOST=FORGED).content.decode()
        assert FORGED not in content, path
        assert f'<link rel="canonical" href="{any_host}' in content, path
        assert f'<meta property="og:url" content="{any_host}' in content, path


@pytest.mark.parametrize(
    "path", ["/feeds/rss/", "/feeds/atom/", "/az/feeds/rss/", "/sitemap.xml", "/sitemap-releases.xml", "/robots.txt"]
)
def test_forged_host_never_reaches_feeds_sitemaps_or_robots_txt(client, any_host, make_release, path):
    make_release(tags=["WCO"])
    response = client.get(path, HTTP_HOST=FORGED)
    assert response.status_code == 200, path
    addresses = absolute_addresses(response.content.decode())
    site_addresses = {address for address in addresses if address.startswith(any_host)}
    assert site_addresses, path
    assert not any(FORGED in address for address in addresses), path


def test_forged_host_never_reaches_an_e_mail(
    client, any_host, press_user, editor, make_release, django_capture_on_commit_callbacks
):
    release = make_release(status=Release.Status.DRAFT, author=press_user)
    client.force_login(press_user)
    data = {"action": "submit_selected", "_selected_action": [release.pk], "index": 0}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:releases_release_changelist"), data, HTTP_HOST=FORGED)
    (message,) = mail.outbox
    assert FORGED not in message.body
    assert any_host + reverse("admin:releases_release_change", args=[release.pk]) in message.body
