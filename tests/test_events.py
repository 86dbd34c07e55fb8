"""The events of releases/events.py: sent once the change commits, never on
rollback, once a step, with plain ids and values."""

import logging
from datetime import datetime, timedelta

import pytest
import reversion
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from releases import events
from releases.models import ChangeNote, Release, WorkflowEvent
from releases.services import restore_revision

Status = Release.Status
RELEASE_EVENTS = [
    "release_submitted",
    "release_sent_back",
    "release_published",
    "release_scheduled",
    "release_unscheduled",
    "release_withdrawn",
    "release_changed",
    "release_corrected",
]


@pytest.fixture
def heard():
    """[(signal name, sender, keyword arguments)] of every release event sent
    while the test runs."""
    sent = []
    receivers = {}
    for name in RELEASE_EVENTS:

        def receiver(sender, signal, name=name, **kwargs):
            sent.append((name, sender, kwargs))

        receivers[name] = receiver
        getattr(events, name).connect(receiver)
    yield sent
    for name, receiver in receivers.items():
        getattr(events, name).disconnect(receiver)


def step_id(release):
    return WorkflowEvent.objects.filter(release=release).values_list("pk", flat=True).first()


@pytest.mark.django_db(transaction=True)
def test_an_event_is_sent_when_the_transaction_commits_not_before(heard, make_release, administrator):
    # A superuser: real transactions empty the roles' groups, which the other users need.
    release = make_release(status=Status.DRAFT)
    with transaction.atomic():
        release.submit(user=administrator)
        assert heard == []
    assert [name for name, _sender, _kwargs in heard] == ["release_submitted"]


@pytest.mark.django_db(transaction=True)
def test_no_event_is_sent_when_the_transaction_rolls_back(heard, make_release, administrator):
    release = make_release(status=Status.DRAFT)
    with pytest.raises(RuntimeError), transaction.atomic():
        release.submit(user=administrator)
        raise RuntimeError("a later write failed")
    assert heard == []
    assert Release.objects.get(pk=release.pk).status == Status.DRAFT


LATER, TIME = "a time tomorrow", "the release's publication time"

# (the release's status, the step and its arguments, the event it sends and
# its arguments besides release_id, actor_id and workflow_event_id)
STEPS = {
    "submit": ("draft", "submit", {}, "release_submitted", {}),
    "send back": (
        "in_review",
        "send_back",
        {"comment": " Add the date. "},
        "release_sent_back",
        {"comment": "Add the date."},
    ),
    "publish": ("in_review", "publish", {}, "release_published", {"published_at": TIME, "restored": False}),
    "schedule": ("in_review", "publish", {"at": LATER}, "release_scheduled", {"published_at": TIME}),
    "unschedule": ("scheduled", "transition", {"new_status": "draft"}, "release_unscheduled", {}),
    "withdraw": (
        "published",
        "withdraw",
        {"reason": "Issued in error."},
        "release_withdrawn",
        {"reason": "Issued in error."},
    ),
    "restore": ("withdrawn", "unwithdraw", {}, "release_published", {"published_at": TIME, "restored": True}),
}


@pytest.mark.parametrize("step", STEPS)
def test_each_workflow_step_sends_its_event_once_with_plain_values(
    step, heard, make_release, editor, django_capture_on_commit_callbacks
):
    status, method, arguments, name, extra = STEPS[step]
    tomorrow = timezone.now() + timedelta(days=1)
    if status == "scheduled":
        release = make_release(status=Status.PUBLISHED, published_at=tomorrow)
    else:
        release = make_release(status=status)
    arguments = {key: tomorrow if value == LATER else value for key, value in arguments.items()}
    with django_capture_on_commit_callbacks(execute=True):
        getattr(release, method)(user=editor, **arguments)
    release.refresh_from_db()
    expected = {"release_id": release.pk, "actor_id": editor.pk, "workflow_event_id": step_id(release)} | {
        key: release.published_at if value == TIME else value for key, value in extra.items()
    }
    assert heard == [(name, Release, expected)]
    assert all(isinstance(value, int | str | bool | datetime) for value in expected.values())


def test_an_edit_that_keeps_the_status_sends_release_changed(
    heard, make_release, editor, django_capture_on_commit_callbacks
):
    release = make_release()
    release.title = "A better title"
    with django_capture_on_commit_callbacks(execute=True):
        release.transition(Status.PUBLISHED, user=editor)
    assert heard == [("release_changed", Release, {"release_id": release.pk, "actor_id": editor.pk})]


def test_a_public_change_note_sends_release_corrected(heard, make_release, editor, django_capture_on_commit_callbacks):
    release = make_release()
    with django_capture_on_commit_callbacks(execute=True):
        note = release.add_change_note(" Corrected the date. ", user=editor)
    expected = {
        "release_id": release.pk,
        "actor_id": editor.pk,
        "change_note_id": note.pk,
        "note": "Corrected the date.",
    }
    assert heard == [("release_corrected", Release, expected)]
    assert ChangeNote.objects.get(pk=note.pk).note == "Corrected the date."


def test_restoring_a_revision_sends_release_changed(heard, make_release, editor, django_capture_on_commit_callbacks):
    release = make_release(title="The first text")
    with reversion.create_revision():
        release.save()
    first = Version.objects.get_for_object(release).get()
    with django_capture_on_commit_callbacks(execute=True):
        restore_revision(release=release, version=first, user=editor)
    assert heard == [("release_changed", Release, {"release_id": release.pk, "actor_id": editor.pk})]


def test_a_refused_step_sends_nothing(heard, make_release, press_user, django_capture_on_commit_callbacks):
    release = make_release(status=Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="editors"):
        release.publish(user=press_user)
    assert heard == []


def test_a_failing_receiver_is_logged_and_the_others_still_run(
    make_release, press_user, editor, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **kwargs):
        raise ValueError("a subscriber's bug")

    events.release_submitted.connect(broken)
    try:
        release = make_release(status=Status.DRAFT, author=press_user)
        with caplog.at_level(logging.ERROR, logger="releases.events"), django_capture_on_commit_callbacks(execute=True):
            release.submit(user=press_user)
    finally:
        events.release_submitted.disconnect(broken)
    assert [message.subject for message in mailoutbox] == [f"Submitted for review: {release.title}"]
    assert "a subscriber's bug" in caplog.text
