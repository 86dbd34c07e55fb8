from datetime import timedelta

import pytest
from django.utils import timezone

from releases.models import Release

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
