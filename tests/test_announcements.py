"""Scheduled releases announced when their time comes (releases/announcements.py):
each once, however many times and however late the periodic task runs, and
never a release the workflow announced as it published it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from releases.announcements import announce_due_releases, scheduled_release_public
from releases.models import AnnouncementMarker, Release
from releases.tasks import announce_due_releases as announce_task


@pytest.fixture
def announced():
    """The releases announced, in order, for as long as the test runs."""
    releases = []

    def receiver(sender, release, **kwargs):
        releases.append(release)

    scheduled_release_public.connect(receiver)
    yield releases
    scheduled_release_public.disconnect(receiver)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def scheduled(make_release, editor):
    """A release an editor scheduled for an hour from now."""
    release = make_release(status=Release.Status.DRAFT)
    release.publish(user=editor, at=timezone.now() + timedelta(hours=1))
    return release


def test_a_scheduled_release_is_announced_once_when_its_time_comes(db, scheduled, announced):
    announce_due_releases()
    assert announced == []
    with at(scheduled.published_at + timedelta(seconds=1)):
        announce_due_releases()
    with at(scheduled.published_at + timedelta(seconds=31)):
        announce_due_releases()
    assert announced == [scheduled]


def test_a_run_late_announces_every_release_whose_time_came_meanwhile(db, make_release, editor, announced):
    announce_due_releases()
    first, second = make_release(status=Release.Status.DRAFT), make_release(status=Release.Status.DRAFT)
    first.publish(user=editor, at=timezone.now() + timedelta(hours=2))
    second.publish(user=editor, at=timezone.now() + timedelta(hours=1))
    with at(timezone.now() + timedelta(days=1)):
        announce_due_releases()
    assert announced == [second, first]


def test_a_release_published_at_once_is_not_announced_again(db, make_release, editor, announced):
    announce_due_releases()
    release = make_release(status=Release.Status.DRAFT)
    release.publish(user=editor)
    with at(timezone.now() + timedelta(minutes=1)):
        announce_due_releases()
    assert announced == []


def test_a_release_unscheduled_before_its_time_is_not_announced(db, scheduled, editor, announced):
    scheduled.transition(Release.Status.DRAFT, user=editor)
    with at(scheduled.published_at + timedelta(seconds=1)):
        announce_due_releases()
    assert announced == []


def test_releases_public_before_the_clock_was_followed_are_not_announced(db, make_release, announced):
    make_release(published_at=timezone.now() - timedelta(days=3))
    AnnouncementMarker.objects.all().delete()
    announce_due_releases()
    assert announced == []
    assert AnnouncementMarker.objects.count() == 1


def test_the_task_returns_the_ids_it_announced(db, scheduled, announced):
    announce_task.delay()
    with at(scheduled.published_at + timedelta(seconds=1)):
        assert announce_task.apply().get() == [scheduled.pk]
