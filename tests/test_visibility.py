from datetime import timedelta

import pytest
from django.utils import timezone

from releases.models import Delegation, DelegationMember, Event, Release, TaggedRelease

pytestmark = pytest.mark.django_db


def test_published_release_whose_time_has_come_is_public(make_release):
    release = make_release()
    assert list(Release.objects.published()) == [release]
    assert release.is_published


@pytest.mark.parametrize("status", [Release.Status.DRAFT, Release.Status.IN_REVIEW, Release.Status.WITHDRAWN])
def test_unpublished_statuses_are_not_public(make_release, status):
    release = make_release(status=status)
    assert not Release.objects.published().exists()
    assert not release.is_published


def test_scheduled_release_is_not_public_until_its_time(make_release):
    release = make_release(published_at=timezone.now() + timedelta(minutes=5))
    assert not Release.objects.published().exists()
    assert release.is_scheduled
    Release.objects.filter(pk=release.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert list(Release.objects.published()) == [release]


def test_scheduled_holds_the_published_releases_whose_time_is_to_come(make_release):
    later = make_release(published_at=timezone.now() + timedelta(minutes=5), tags=["WCO"])
    make_release(tags=["WCO"])
    make_release(status=Release.Status.DRAFT, tags=["WCO"])
    assert list(Release.objects.scheduled()) == [later]
    assert [link.content_object_id for link in TaggedRelease.objects.scheduled("en")] == [later.pk]
    assert TaggedRelease.objects.scheduled("az").count() == 0


def test_lists_take_the_public_releases_of_a_language_with_their_department_and_tags(
    make_release, django_assert_num_queries
):
    newer, older = make_release(tags=["WCO"]), make_release(tags=["Transit"])
    make_release(language="az")
    make_release(published_at=timezone.now() + timedelta(minutes=5))
    # One query for the releases, one for all their tags; none per release.
    with django_assert_num_queries(2):
        releases = list(Release.objects.for_lists("en"))
        shown = [(release.department.name, [tag.name for tag in release.tag_list]) for release in releases]
    assert releases == [newer, older]
    assert shown == [(newer.department.name, ["WCO"]), (older.department.name, ["Transit"])]
    assert {"body", "search_vector"} <= releases[0].get_deferred_fields()


# Events and delegations (issue 13, attack 3): public only through a public
# release, or when an editor publishes the event. An event made for an
# embargoed (scheduled) release must not show, nor its delegation's names,
# on any public page.


@pytest.fixture
def embargoed_event(make_release, department):
    event = Event.objects.create(
        title="Secret summit", slug="secret-summit", start_date=timezone.localdate() + timedelta(days=30)
    )
    delegation = Delegation.objects.create(event=event, head_name="Nigar Aliyeva", head_position="Deputy Chairman")
    DelegationMember.objects.create(delegation=delegation, name="Kamran Guliyev", position="Adviser")
    release = make_release(event=event, published_at=timezone.now() + timedelta(days=3650))
    release.delegations.add(delegation)
    return event


PUBLIC_PAGES = ["/", "/events/", "/az/events/", "/ru/events/", "/releases/?event=secret-summit"]


def test_an_event_of_an_embargoed_release_is_on_no_public_page(client, embargoed_event):
    for url in PUBLIC_PAGES:
        content = client.get(url).content.decode()
        assert "Secret summit" not in content, url
        assert "Nigar Aliyeva" not in content, url
    assert client.get(embargoed_event.get_absolute_url()).status_code == 404
    assert "secret-summit" not in client.get("/sitemap-events.xml").content.decode()


def test_an_event_becomes_public_with_its_release(client, embargoed_event):
    embargoed_event.releases.update(published_at=timezone.now() - timedelta(minutes=1))
    content = client.get(embargoed_event.get_absolute_url()).content.decode()
    assert "Nigar Aliyeva" in content and "Kamran Guliyev" in content
    assert "Secret summit" in client.get("/events/").content.decode()
    assert "secret-summit" in client.get("/sitemap-events.xml").content.decode()


def test_an_event_an_editor_published_is_public_with_its_delegations(client, embargoed_event):
    Event.objects.filter(pk=embargoed_event.pk).update(published=True)
    content = client.get(embargoed_event.get_absolute_url()).content.decode()
    assert "Secret summit" in content and "Nigar Aliyeva" in content
    assert "Secret summit" in client.get("/").content.decode()


def test_a_public_events_page_leaves_out_a_delegation_of_an_embargoed_release(client, make_release, embargoed_event):
    make_release(event=embargoed_event, title="The visit was announced")
    public = Delegation.objects.create(event=embargoed_event, head_name="Rauf Mammadov")
    make_release(title="The delegation left").delegations.add(public)
    content = client.get(embargoed_event.get_absolute_url()).content.decode()
    assert "The visit was announced" in content and "Rauf Mammadov" in content
    assert "Nigar Aliyeva" not in content and "Kamran Guliyev" not in content
