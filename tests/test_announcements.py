"""Scheduled releases announced when their time comes (releases/announcements.py):
each once, however many times and however late the periodic task runs, and
never a release the workflow announced as it published it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from releases import events
from releases.announcements import announce_due_releases
from releases.models import AnnouncementMarker, Release
from releases.tasks import announce_due_releases as announce_task


@pytest.fixture
def announced():
    """The releases the clock announced (release_published with no actor),
    in order, for as long as the test runs."""
    releases = []

    def receiver(sender, release_id, actor_id, **kwargs):
        if actor_id is None:
            releases.append(Release.objects.get(pk=release_id))

    events.release_published.connect(receiver)
    yield releases
    events.release_published.disconnect(receiver)


@pytest.fixture
def announce(django_capture_on_commit_callbacks):
    """announce_due_releases, its transaction committed as far as the event
    is concerned (the event is sent on commit)."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return announce_due_releases()

    return run


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def scheduled(make_release, editor):
    """A release an editor scheduled for an hour from now."""
    release = make_release(status=Release.Status.DRAFT)
    release.publish(user=editor, at=timezone.now() + timedelta(hours=1))
    return release


def test_a_scheduled_release_is_announced_once_when_its_time_comes(db, announce, scheduled, announced):
    announce()
    assert announced == []
    with at(scheduled.published_at + timedelta(seconds=1)):
        announce()
    with at(scheduled.published_at + timedelta(seconds=31)):
        announce()
    assert announced == [scheduled]


def test_a_run_late_announces_every_release_whose_time_came_meanwhile(db, announce, make_release, editor, announced):
    announce()
    first, second = make_release(status=Release.Status.DRAFT), make_release(status=Release.Status.DRAFT)
    first.publish(user=editor, at=timezone.now() + timedelta(hours=2))
    second.publish(user=editor, at=timezone.now() + timedelta(hours=1))
    with at(timezone.now() + timedelta(days=1)):
        announce()
    assert announced == [second, first]


def test_a_release_published_at_once_is_not_announced_again(db, announce, make_release, editor, announced):
    announce()
    release = make_release(status=Release.Status.DRAFT)
    release.publish(user=editor)
    with at(timezone.now() + timedelta(minutes=1)):
        announce()
    assert announced == []


def test_a_release_unscheduled_before_its_time_is_not_announced(db, announce, scheduled, editor, announced):
    scheduled.transition(Release.Status.DRAFT, user=editor)
    with at(scheduled.published_at + timedelta(seconds=1)):
        announce()
    assert announced == []


def test_releases_public_before_the_clock_was_followed_are_not_announced(db, announce, make_release, announced):
    make_release(published_at=timezone.now() - timedelta(days=3))
    AnnouncementMarker.objects.all().delete()
    announce()
    assert announced == []
    assert AnnouncementMarker.objects.count() == 1


def test_the_task_returns_the_ids_it_announced(db, scheduled, announced):
    announce_task.delay()
    with at(scheduled.published_at + timedelta(seconds=1)):
        assert announce_task.apply().get() == [scheduled.pk]
