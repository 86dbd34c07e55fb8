"""The release form's writing desk (issue 16), server side: the workflow's
steps offered as buttons and taken by them, their messages, the saved-draft
cookie of autosave, the live preview, the leave beacon of "also editing",
the spell-checked body and the compare view's local times. The browser
journeys are in tests/e2e/test_writing_desk.py."""

from datetime import UTC, datetime, timedelta

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from releases.admin.presence import report_presence
from releases.admin.writing import SAVED_DRAFT_COOKIE
from releases.models import Release
from releases.revisions import snapshot
from tests.test_admin import add_form, change_form, form_of, messages_of, release_change_url

pytestmark = pytest.mark.django_db

RELEASE_ADD = reverse("admin:releases_release_add")
LIVE_PREVIEW = reverse("admin:releases_release_live_preview")
Status = Release.Status


def steps_of(release, user):
    return [step.name for step in release.available_steps(user)]


# The steps offered: the workflow's answer, per role and status


@pytest.mark.parametrize(
    ("state", "press_steps", "editor_steps"),
    [
        ("draft", ["submit"], ["submit", "publish", "schedule"]),
        ("in_review", [], ["send_back", "publish", "schedule"]),
        ("scheduled", [], ["unschedule", "withdraw"]),
        ("published", [], ["withdraw"]),
        ("withdrawn", [], ["restore"]),
    ],
)
def test_each_role_is_offered_the_steps_the_workflow_allows_it_now(
    make_release, press_user, editor, state, press_steps, editor_steps
):
    fields = {
        "draft": {"status": Status.DRAFT},
        "in_review": {"status": Status.IN_REVIEW},
        "scheduled": {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
        "published": {"status": Status.PUBLISHED},
        "withdrawn": {"status": Status.WITHDRAWN},
    }[state]
    release = make_release(**fields)
    assert steps_of(release, press_user) == press_steps
    assert steps_of(release, editor) == editor_steps


def test_the_four_eyes_rule_takes_publish_from_the_author(settings, make_release, editor):
    settings.PRESSROOM_FOUR_EYES = True
    release = make_release(status=Status.IN_REVIEW, author=editor)
    assert steps_of(release, editor) == ["send_back"]


def test_the_form_shows_one_button_per_step_and_no_status_drop_down(editor_client, make_release):
    release = make_release(status=Status.IN_REVIEW)
    page = editor_client.get(release_change_url(release)).content.decode()
    assert '<select name="status"' not in page
    for step in ["send_back", "publish", "schedule"]:
        assert f'name="step" value="{step}"' in page
    assert 'value="withdraw"' not in page


# Taking a step


def test_a_step_the_user_may_not_take_is_refused_with_a_form_error(press_client, make_release):
    release = make_release(status=Status.IN_REVIEW)
    response = press_client.post(release_change_url(release), change_form(release, step="publish"))
    assert response.status_code == 200
    assert "This step is not open to you now." in form_of(response).non_field_errors()
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_save_draft_keeps_the_status_and_says_so(press_client, department):
    response = press_client.post(RELEASE_ADD, add_form(department, title="A draft", step=""), follow=True)
    assert messages_of(response) == ["“A draft” saved as a draft."]
    assert Release.objects.get().status == Status.DRAFT


def test_submitting_tells_that_the_editors_were_told(press_client, editor, department):
    response = press_client.post(RELEASE_ADD, add_form(department, title="For review", step="submit"), follow=True)
    assert messages_of(response) == ["“For review” submitted for review; the editors have been told."]
    assert Release.objects.get().status == Status.IN_REVIEW


def test_scheduling_asks_for_a_time_still_to_come(editor_client, make_release):
    release = make_release(status=Status.IN_REVIEW)
    past = timezone.localtime() - timedelta(hours=1)
    data = change_form(release, with_published_at=True, step="schedule", scheduled_for=past.strftime("%Y-%m-%dT%H:%M"))
    response = editor_client.post(release_change_url(release), data)
    assert form_of(response).errors["scheduled_for"] == ["Choose a time still to come."]
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_scheduling_says_when_in_local_time_and_that_the_author_was_told(
    editor_client, press_user, make_release, frozen_now
):
    release = make_release(status=Status.IN_REVIEW, author=press_user)
    data = change_form(release, with_published_at=True, step="schedule", scheduled_for="2030-06-25T11:00")
    response = editor_client.post(release_change_url(release), data, follow=True)
    assert messages_of(response) == ["Scheduled for 25 June 2030 11:00 (Baku); the author has been told."]
    release.refresh_from_db()
    assert release.is_scheduled
    assert release.published_at == datetime(2030, 6, 25, 7, 0, tzinfo=UTC)  # 11:00 in Baku


def test_sending_back_needs_the_comment(editor_client, make_release):
    release = make_release(status=Status.IN_REVIEW)
    response = editor_client.post(release_change_url(release), change_form(release, step="send_back"))
    assert form_of(response).errors["review_comment"] == ["Tell the author what to change."]
    data = change_form(release, step="send_back", review_comment="Give the date.")
    response = editor_client.post(release_change_url(release), data, follow=True)
    assert messages_of(response) == [f"“{release.title}” sent back with your comment."]


def test_withdrawing_takes_the_reason_from_its_dialog(editor_client, make_release):
    release = make_release(status=Status.PUBLISHED)
    data = change_form(release, with_published_at=True, step="withdraw", withdrawal_reason="Issued in error.")
    response = editor_client.post(release_change_url(release), data, follow=True)
    assert messages_of(response)[0].startswith(f"“{release.title}” withdrawn")
    release.refresh_from_db()
    assert (release.status, release.withdrawal_reason) == (Status.WITHDRAWN, "Issued in error.")


# Autosave: a save that succeeded names the kept copy it made obsolete


def test_a_successful_save_names_the_kept_copy_to_forget(press_client, press_user, make_release):
    release = make_release(status=Status.DRAFT)
    response = press_client.post(release_change_url(release), change_form(release, title="Changed"))
    assert response.cookies[SAVED_DRAFT_COOKIE].value == f"pressroom:release:{press_user.pk}:{release.pk}"


def test_a_refused_save_keeps_the_copy(press_client, make_release):
    release = make_release(status=Status.DRAFT)
    response = press_client.post(release_change_url(release), change_form(release, title=""))
    assert response.status_code == 200
    assert SAVED_DRAFT_COOKIE not in response.cookies


# The live preview


def test_the_live_preview_shows_the_posted_text_unsaved(editor_client, make_release):
    release = make_release(status=Status.DRAFT, title="As stored", tags=["WCO"])
    url = f"{LIVE_PREVIEW}?release={release.pk}"
    posted = change_form(release, title="As typed", lead="A lead being written.", tags="WCO, Baku")
    assert editor_client.post(url, posted).json() == {"saved": True}
    response = editor_client.get(url)
    page = response.content.decode()
    assert "As typed" in page
    assert "A lead being written." in page
    assert "Preview — not published" in page
    assert [tag.name for tag in response.context["release"].tag_list] == ["Baku", "WCO"]
    release.refresh_from_db()
    assert release.title == "As stored"
    assert not release.tags.filter(name="Baku").exists()


def test_the_live_preview_may_be_framed_by_the_admin_only(editor_client, make_release):
    release = make_release(status=Status.DRAFT)
    response = editor_client.get(f"{LIVE_PREVIEW}?release={release.pk}")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "no-cache" in response["Cache-Control"]
    # Every other page keeps the site's policy.
    assert "frame-ancestors 'none'" in editor_client.get(release_change_url(release))["Content-Security-Policy"]


def test_the_live_preview_of_a_new_release_needs_no_saved_one(press_client, department):
    press_client.post(LIVE_PREVIEW, add_form(department, title="Not saved yet"))
    assert "Not saved yet" in press_client.get(LIVE_PREVIEW).content.decode()
    assert not Release.objects.exists()


def test_the_live_preview_takes_any_text(press_client, department):
    assert press_client.get(LIVE_PREVIEW).status_code == 200  # nothing posted yet
    press_client.post(LIVE_PREVIEW, {**add_form(department, slug="a b/../ü", tags='"'), "department": "x"})
    assert press_client.get(LIVE_PREVIEW).status_code == 200
    # Digits that are no id: str.isdigit() takes "²", int() refuses it.
    press_client.post(LIVE_PREVIEW, {**add_form(department), "department": "²", "event": "١", "delegations": ["²"]})
    assert press_client.get(LIVE_PREVIEW).status_code == 200


def test_the_live_preview_is_for_those_who_may_change_the_release(client, press_client, staff_user, make_release):
    approved = make_release(status=Status.PUBLISHED)
    assert press_client.get(f"{LIVE_PREVIEW}?release={approved.pk}").status_code == 403
    assert press_client.get(f"{LIVE_PREVIEW}?release=999999").status_code == 404
    assert press_client.get(f"{LIVE_PREVIEW}?release=x").status_code == 404
    client.force_login(staff_user)
    assert client.get(LIVE_PREVIEW).status_code == 403
    client.logout()
    assert client.get(LIVE_PREVIEW).status_code == 302


# Also editing: leaving says so at once


def test_a_leave_beacon_removes_the_editor_at_once(client, press_client, press_user, editor, make_release):
    release = make_release(status=Status.DRAFT)
    url = reverse("admin:releases_release_editors", args=[release.pk])
    press_client.post(url)
    assert report_presence(release.pk, editor) == ["press"]
    assert press_client.post(url, {"leaving": "1"}).json() == {"editors": []}
    assert report_presence(release.pk, editor) == []


# Form polish


def test_the_body_editor_checks_spelling(press_client):
    page = press_client.get(RELEASE_ADD).content.decode()
    assert "NoSpellCheck" not in page


def test_the_compare_view_gives_times_in_the_display_time_zone(make_release):
    release = make_release(published_at=datetime(2023, 6, 25, 7, 0, tzinfo=UTC))
    with reversion.create_revision():
        release.save()
    version = Version.objects.get_for_object(release).first()
    assert snapshot(version)["published_at"] == "25 June 2023 11:00"
