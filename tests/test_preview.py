"""The staff preview of releases the public cannot see yet, reached from the
admin's "View on site" link."""

from datetime import timedelta
from urllib.parse import urlsplit

import html5lib
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from releases.models import Release

pytestmark = pytest.mark.django_db

BANNER = "Preview — not published"
UNPUBLISHED = ["draft", "in_review", "scheduled"]


def preview_url(release):
    return reverse("admin:releases_release_preview", args=[release.pk])


@pytest.fixture
def release_in(frozen_now, make_release):
    """release_in(state): a release in one of the states the admin knows."""

    def make(state):
        fields = {
            "draft": {"status": Release.Status.DRAFT},
            "in_review": {"status": Release.Status.IN_REVIEW},
            "scheduled": {"status": Release.Status.PUBLISHED, "published_at": frozen_now + timedelta(hours=1)},
            "published": {"status": Release.Status.PUBLISHED},
            "withdrawn": {"status": Release.Status.WITHDRAWN},
        }[state]
        return make_release(title=f"A {state} release", tags=["WCO"], **fields)

    return make


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_preview_shows_unpublished_release_to_press_staff_with_banner(press_client, release_in, state):
    release = release_in(state)
    response = press_client.get(preview_url(release))
    assert response.status_code == 200
    content = response.content.decode()
    assert BANNER in content
    assert f"<h1>{release.title}</h1>" in content
    assert "releases/release_detail.html" in [template.name for template in response.templates]


def test_preview_of_scheduled_release_tells_when_it_goes_public(press_client, release_in):
    response = press_client.get(preview_url(release_in("scheduled")))
    # An hour after the frozen 13:00 in Baku.
    assert "Scheduled for 15 March 2024 14:00." in response.content.decode()


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_preview_is_never_cached(press_client, release_in, state):
    response = press_client.get(preview_url(release_in(state)))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "private"} <= cache_control
    assert "public" not in cache_control


def test_preview_is_not_indexed_and_carries_no_article_data(press_client, release_in):
    content = press_client.get(preview_url(release_in("draft"))).content.decode()
    assert '<meta name="robots" content="noindex">' in content
    assert "application/ld+json" not in content


def test_preview_is_valid_html5(press_client, release_in, delegation, event):
    release = release_in("draft")
    release.event = event
    release.save()
    release.delegations.add(delegation)
    response = press_client.get(preview_url(release))
    html5lib.HTMLParser(strict=True).parse(response.content)


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_preview_does_not_make_the_release_public(client, press_user, release_in, state):
    release = release_in(state)
    client.force_login(press_user)
    assert client.get(preview_url(release)).status_code == 200
    assert client.get(release.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(release.get_absolute_url()).status_code == 404


def test_anonymous_visitor_is_sent_to_the_admin_login(client, release_in):
    url = preview_url(release_in("draft"))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_staff_without_view_permission_on_releases_is_refused(client, staff_user, release_in):
    client.force_login(staff_user)
    assert client.get(preview_url(release_in("draft"))).status_code == 403


def test_non_staff_user_is_sent_to_the_admin_login(client, django_user_model, release_in):
    client.force_login(django_user_model.objects.create_user("reader", "reader@example.com", "a-long-password"))
    response = client.get(preview_url(release_in("draft")))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("object_id", ["999999", "abc", "99999999999999999999", "1.5", "%00"])
def test_preview_of_unknown_or_malformed_id_is_not_found(administrator_client, object_id):
    url = reverse("admin:releases_release_preview", args=[object_id])
    assert administrator_client.get(url).status_code == 404


# The change form's "View on site" link


def view_on_site_link(client, release):
    response = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    assert response.status_code == 200
    tree = html5lib.parse(response.content, namespaceHTMLElements=False)
    links = [link.get("href") for link in tree.iterfind(".//a[@class='viewsitelink']")]
    assert len(links) == 1
    return links[0]


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_view_on_site_points_to_the_preview_for_unpublished_release(editor_client, release_in, state):
    release = release_in(state)
    assert view_on_site_link(editor_client, release) == preview_url(release)


@pytest.mark.parametrize("state", ["published", "withdrawn"])
def test_view_on_site_points_to_the_public_page_for_readable_release(editor_client, release_in, state):
    release = release_in(state)
    link = view_on_site_link(editor_client, release)
    content_type = ContentType.objects.get_for_model(Release)
    assert link == reverse("admin:view_on_site", args=[content_type.pk, release.pk])
    response = editor_client.get(link)
    assert response.status_code == 302
    # Without the sites framework, the admin's shortcut redirects on the request's host.
    assert urlsplit(response["Location"]).path == release.get_absolute_url()
    assert editor_client.get(release.get_absolute_url()).status_code == 200
