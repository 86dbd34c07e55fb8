from datetime import timedelta

import pytest
from django.utils import timezone

from releases.models import Release, TaggedRelease

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
