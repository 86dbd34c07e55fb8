"""The editorial workflow (issue 6): every status change and every refusal,
through the model's methods, the admin's change form and its actions; the
trail each change leaves; the four-eyes rule; scheduling across its time; the
slug redirect; public change notes; the e-mails."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from releases.models import ChangeNote, Release, SlugRedirect, WorkflowEvent
from releases.roles import EDITORS
from tests.test_admin import (
    RELEASE_ADD,
    RELEASE_LIST,
    add_form,
    change_form,
    form_of,
    messages_of,
    offered_actions,
    release_change_url,
    run_action,
)

pytestmark = pytest.mark.django_db

Status = Release.Status
A = WorkflowEvent.Action
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def clock_at(moment):
    """The clock stopped at `moment`: what published() and is_published compare with."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def events_of(release):
    return list(release.workflow_events.order_by("created_at", "id").values_list("action", flat=True))


def local_time(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@pytest.fixture
def other_editor(django_user_model):
    user = django_user_model.objects.create_user(
        "second-editor", "second-editor@example.com", "a-long-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


# Each change the workflow allows: what the release starts as, the status it
# is moved to, the text that change needs, the event it leaves. Releases start
# "scheduled" one day ahead.
ALLOWED = {
    "submit": ({"status": Status.DRAFT}, Status.IN_REVIEW, {}, A.SUBMITTED),
    "send back": ({"status": Status.IN_REVIEW}, Status.DRAFT, {"review_comment": "Shorter, please."}, A.SENT_BACK),
    "publish a draft": ({"status": Status.DRAFT}, Status.PUBLISHED, {}, A.PUBLISHED),
    "publish from review": ({"status": Status.IN_REVIEW}, Status.PUBLISHED, {}, A.PUBLISHED),
    "unschedule": ({"status": Status.PUBLISHED, "scheduled": True}, Status.DRAFT, {}, A.UNSCHEDULED),
    "withdraw": (
        {"status": Status.PUBLISHED},
        Status.WITHDRAWN,
        {"withdrawal_reason": "Issued in error."},
        A.WITHDRAWN,
    ),
    "unwithdraw": ({"status": Status.WITHDRAWN}, Status.PUBLISHED, {}, A.UNWITHDRAWN),
}
# The changes press staff may make; every other one takes an editor.
PRESS_STAFF_MAY = {"submit"}
# Status changes that are in no workflow, whoever asks.
NOT_IN_THE_WORKFLOW = [
    (Status.DRAFT, Status.WITHDRAWN),
    (Status.IN_REVIEW, Status.WITHDRAWN),
    (Status.PUBLISHED, Status.IN_REVIEW),
    (Status.WITHDRAWN, Status.DRAFT),
    (Status.WITHDRAWN, Status.IN_REVIEW),
]


def start(make_release, fields, **more):
    fields = dict(fields)
    if fields.pop("scheduled", False):
        fields["published_at"] = timezone.now() + timedelta(days=1)
    return make_release(**fields, **more)


def comment_of(texts):
    return texts.get("review_comment") or texts.get("withdrawal_reason") or ""


# Through the model's methods


@pytest.mark.parametrize("change", ALLOWED)
def test_editor_makes_each_change_of_the_workflow_and_it_is_recorded(make_release, editor, change):
    fields, new_status, texts, action = ALLOWED[change]
    release = start(make_release, fields)
    before = timezone.now()
    event = release.transition(new_status, user=editor, comment=comment_of(texts))
    release.refresh_from_db()
    assert release.status == new_status
    assert release.last_editor == editor
    assert (event.action, event.actor, event.comment) == (action, editor, comment_of(texts))
    assert before <= event.created_at <= timezone.now()
    assert list(release.workflow_events.all()) == [event]


@pytest.mark.parametrize("change", sorted(set(ALLOWED) - PRESS_STAFF_MAY))
def test_press_staff_are_refused_every_change_but_submitting(make_release, press_user, change):
    fields, new_status, texts, _action = ALLOWED[change]
    release = start(make_release, fields)
    with pytest.raises(ValidationError) as error:
        release.transition(new_status, user=press_user, comment=comment_of(texts))
    assert error.value.code == "permission_denied"
    release.refresh_from_db()
    assert release.status == fields["status"]
    assert not release.workflow_events.exists()


def test_user_without_a_role_may_not_even_submit(make_release, staff_user):
    release = make_release(status=Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        release.submit(user=staff_user)
    assert error.value.code == "permission_denied"
    assert not release.workflow_events.exists()


@pytest.mark.parametrize(("old", "new"), NOT_IN_THE_WORKFLOW)
def test_status_change_outside_the_workflow_is_refused_and_leaves_no_trace(make_release, editor, old, new):
    release = make_release(status=old)
    with pytest.raises(ValidationError) as error:
        release.transition(new, user=editor, comment="Issued in error.")
    assert error.value.code == "invalid_status_change"
    release.refresh_from_db()
    assert release.status == old
    assert not release.workflow_events.exists()


def test_submit_records_the_author_submitting(make_release, press_user):
    release = make_release(status=Status.DRAFT, author=press_user)
    event = release.submit(user=press_user)
    assert (event.action, event.actor, event.comment) == (A.SUBMITTED, press_user, "")
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW


def test_send_back_records_the_comment(make_release, editor):
    release = make_release(status=Status.IN_REVIEW)
    event = release.send_back(user=editor, comment="  Give the date of the session.  ")
    assert (event.action, event.actor, event.comment) == (A.SENT_BACK, editor, "Give the date of the session.")
    assert release.status == Status.DRAFT


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_sending_back_needs_a_comment(make_release, editor, comment):
    release = make_release(status=Status.IN_REVIEW)
    with pytest.raises(ValidationError) as error:
        release.send_back(user=editor, comment=comment)
    assert error.value.code == "comment_required"
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    assert not release.workflow_events.exists()


def test_publish_records_a_publication_now(make_release, editor):
    release = make_release(status=Status.IN_REVIEW)
    event = release.publish(user=editor)
    assert event.action == A.PUBLISHED
    assert release.is_published


def test_publishing_at_a_later_time_records_a_schedule(make_release, editor):
    release = make_release(status=Status.IN_REVIEW)
    later = timezone.now() + timedelta(days=1)
    event = release.publish(user=editor, at=later)
    release.refresh_from_db()
    assert event.action == A.SCHEDULED
    assert (release.status, release.published_at) == (Status.PUBLISHED, later)
    assert release.is_scheduled


def test_unscheduling_records_the_step_and_keeps_the_release_unseen(make_release, editor):
    release = make_release(status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=1))
    event = release.transition(Status.DRAFT, user=editor)
    assert event.action == A.UNSCHEDULED
    assert not Release.objects.published().exists()


def test_withdraw_records_the_reason(make_release, editor):
    release = make_release()
    event = release.withdraw(user=editor, reason="Issued in error.")
    assert (event.action, event.actor, event.comment) == (A.WITHDRAWN, editor, "Issued in error.")


def test_unwithdraw_records_the_step_and_clears_the_reason(make_release, editor):
    release = make_release(status=Status.WITHDRAWN)
    event = release.unwithdraw(user=editor)
    release.refresh_from_db()
    assert event.action == A.UNWITHDRAWN
    assert (release.status, release.withdrawal_reason, release.withdrawn_at) == (Status.PUBLISHED, "", None)
    assert release.is_published


def test_press_staff_may_not_unwithdraw(make_release, press_user):
    release = make_release(status=Status.WITHDRAWN)
    with pytest.raises(ValidationError) as error:
        release.unwithdraw(user=press_user)
    assert error.value.code == "permission_denied"


# Each named step applies to releases in the right state only: sending back a
# draft or unwithdrawing a draft must be refused, not pass as another change
# (publishing, unscheduling) or as a save that changes nothing.


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (Status.IN_REVIEW, lambda release, user: release.submit(user=user)),
        (Status.PUBLISHED, lambda release, user: release.submit(user=user)),
        (Status.DRAFT, lambda release, user: release.send_back(user=user, comment="Shorter.")),
        (Status.PUBLISHED, lambda release, user: release.send_back(user=user, comment="Shorter.")),
        (Status.PUBLISHED, lambda release, user: release.publish(user=user)),
        (Status.DRAFT, lambda release, user: release.withdraw(user=user, reason="Issued in error.")),
        (Status.WITHDRAWN, lambda release, user: release.withdraw(user=user, reason="Issued in error.")),
        (Status.DRAFT, lambda release, user: release.unwithdraw(user=user)),
        (Status.PUBLISHED, lambda release, user: release.unwithdraw(user=user)),
    ],
    ids=[
        "submit in review",
        "submit published",
        "send back a draft",
        "send back a published release",
        "publish a published release",
        "withdraw a draft",
        "withdraw a withdrawn release",
        "unwithdraw a draft",
        "unwithdraw a published release",
    ],
)
def test_named_step_on_a_release_in_the_wrong_state_is_refused(make_release, editor, status, step):
    release = make_release(status=status, published_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        step(release, editor)
    assert error.value.code == "invalid_status_change"
    release.refresh_from_db()
    assert release.status == status
    assert not release.workflow_events.exists()


def test_public_release_cannot_be_unscheduled(make_release, editor):
    release = make_release()
    with pytest.raises(ValidationError) as error:
        release.transition(Status.DRAFT, user=editor)
    assert error.value.code == "already_public"
    assert not release.workflow_events.exists()


def test_withdrawing_needs_a_reason(make_release, editor):
    release = make_release()
    with pytest.raises(ValidationError) as error:
        release.withdraw(user=editor, reason=" ")
    assert error.value.code == "reason_required"
    assert not release.workflow_events.exists()


def test_the_trail_lists_a_releases_whole_life(make_release, press_user, editor):
    release = make_release(status=Status.DRAFT, author=press_user)
    release.submit(user=press_user)
    release.send_back(user=editor, comment="Give the date.")
    release.submit(user=press_user)
    release.publish(user=editor)
    release.withdraw(user=editor, reason="Issued in error.")
    release.unwithdraw(user=editor)
    assert events_of(release) == [A.SUBMITTED, A.SENT_BACK, A.SUBMITTED, A.PUBLISHED, A.WITHDRAWN, A.UNWITHDRAWN]
    actors = list(release.workflow_events.order_by("created_at", "id").values_list("actor__username", flat=True))
    assert actors == ["press", "editor", "press", "editor", "editor", "editor"]


def test_the_latest_review_comment_is_shown_only_while_the_release_is_a_draft(make_release, press_user, editor):
    release = make_release(status=Status.IN_REVIEW, author=press_user)
    release.send_back(user=editor, comment="First remark.")
    release.submit(user=press_user)
    assert release.latest_review_comment is None
    release.send_back(user=editor, comment="Second remark.")
    assert release.latest_review_comment.comment == "Second remark."


# The four-eyes rule


@pytest.fixture
def four_eyes(settings):
    settings.PRESSROOM_FOUR_EYES = True


def test_four_eyes_rule_is_off_by_default(make_release, editor):
    release = make_release(status=Status.IN_REVIEW, author=editor)
    release.publish(user=editor)
    assert release.is_published


def test_with_four_eyes_an_editor_cannot_publish_what_they_wrote(four_eyes, make_release, editor):
    release = make_release(status=Status.IN_REVIEW, author=editor)
    with pytest.raises(ValidationError) as error:
        release.publish(user=editor)
    assert error.value.code == "four_eyes"
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    assert not release.workflow_events.exists()


def test_with_four_eyes_an_editor_cannot_schedule_what_they_wrote(four_eyes, make_release, editor):
    release = make_release(status=Status.DRAFT, author=editor)
    with pytest.raises(ValidationError) as error:
        release.publish(user=editor, at=timezone.now() + timedelta(days=1))
    assert error.value.code == "four_eyes"


def test_with_four_eyes_another_editor_publishes(four_eyes, make_release, editor, other_editor):
    release = make_release(status=Status.IN_REVIEW, author=editor)
    event = release.publish(user=other_editor)
    assert (event.action, event.actor) == (A.PUBLISHED, other_editor)


def test_with_four_eyes_an_editor_publishes_what_press_staff_wrote(four_eyes, make_release, editor, press_user):
    release = make_release(status=Status.IN_REVIEW, author=press_user)
    release.publish(user=editor)
    assert release.is_published


def test_with_four_eyes_the_change_form_refuses_an_editors_own_release(four_eyes, editor_client, make_release, editor):
    release = make_release(status=Status.IN_REVIEW, author=editor)
    response = editor_client.post(
        release_change_url(release), change_form(release, with_published_at=True, status=Status.PUBLISHED)
    )
    assert response.status_code == 200
    assert form_of(response).has_error("status", code="four_eyes")
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_with_four_eyes_the_add_form_refuses_an_editor_publishing_a_new_release(four_eyes, editor_client, department):
    response = editor_client.post(
        RELEASE_ADD, add_form(department, status=Status.PUBLISHED, published_at_0="", published_at_1="")
    )
    assert response.status_code == 200
    assert form_of(response).has_error("status", code="four_eyes")
    assert not Release.objects.exists()


def test_with_four_eyes_the_add_form_lets_an_editor_submit_a_new_release(four_eyes, editor_client, department):
    response = editor_client.post(RELEASE_ADD, add_form(department, status=Status.IN_REVIEW))
    assert response.status_code == 302
    assert Release.objects.get().status == Status.IN_REVIEW


def test_with_four_eyes_the_publish_action_reports_an_editors_own_release(
    four_eyes, client, make_release, editor, other_editor
):
    own = make_release(status=Status.IN_REVIEW, author=editor, title="Own release")
    others = make_release(status=Status.IN_REVIEW, author=other_editor, title="Colleague's release")
    client.force_login(editor)
    response = run_action(client, RELEASE_LIST, "publish_selected", [own, others])
    messages = messages_of(response)
    assert any(message.startswith("Own release:") and "four-eyes" in message for message in messages)
    assert "1 release changed." in messages
    assert list(Release.objects.published()) == [others]


# Through the admin's change form


@pytest.mark.parametrize("change", ALLOWED)
def test_editor_makes_each_change_through_the_change_form(editor_client, editor, make_release, change):
    fields, new_status, texts, action = ALLOWED[change]
    release = start(make_release, fields)
    response = editor_client.post(
        release_change_url(release), change_form(release, with_published_at=True, status=new_status, **texts)
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == new_status
    event = release.workflow_events.get()
    assert (event.action, event.actor, event.comment) == (action, editor, comment_of(texts))


@pytest.mark.parametrize("change", sorted(set(ALLOWED) - PRESS_STAFF_MAY))
def test_press_staff_are_refused_every_change_but_submitting_through_the_change_form(
    press_client, make_release, change
):
    fields, new_status, texts, _action = ALLOWED[change]
    release = start(make_release, fields)
    response = press_client.post(release_change_url(release), change_form(release, status=new_status, **texts))
    if release.is_approved:
        # Published, scheduled or withdrawn: the form is read only to press
        # staff (issue 13), and a post of it refused.
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert form_of(response).has_error("status", code="permission_denied")
    release.refresh_from_db()
    assert release.status == fields["status"]
    assert not release.workflow_events.exists()


def test_press_staff_submit_through_the_change_form(press_client, press_user, make_release):
    release = make_release(status=Status.DRAFT, author=press_user)
    response = press_client.post(release_change_url(release), change_form(release, status=Status.IN_REVIEW))
    assert response.status_code == 302
    event = release.workflow_events.get()
    assert (event.action, event.actor) == (A.SUBMITTED, press_user)


@pytest.mark.parametrize(("old", "new"), NOT_IN_THE_WORKFLOW)
def test_change_form_refuses_a_change_outside_the_workflow(editor_client, make_release, old, new):
    release = make_release(status=old)
    response = editor_client.post(
        release_change_url(release),
        change_form(release, with_published_at=True, status=new, withdrawal_reason="Issued in error."),
    )
    assert form_of(response).has_error("status", code="invalid_status_change")
    release.refresh_from_db()
    assert release.status == old
    assert not release.workflow_events.exists()


def test_sending_back_through_the_change_form_needs_a_comment(editor_client, make_release):
    release = make_release(status=Status.IN_REVIEW)
    response = editor_client.post(
        release_change_url(release),
        change_form(release, with_published_at=True, status=Status.DRAFT, review_comment="  "),
    )
    assert response.status_code == 200
    assert form_of(response).has_error("review_comment", code="comment_required")
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_author_sees_the_comment_on_the_change_form_after_being_sent_back(client, make_release, press_user, editor):
    release = make_release(status=Status.IN_REVIEW, author=press_user)
    client.force_login(editor)
    client.post(
        release_change_url(release),
        change_form(release, with_published_at=True, status=Status.DRAFT, review_comment="Give the <date>."),
    )
    event = release.workflow_events.get()
    client.force_login(press_user)
    page = client.get(release_change_url(release)).content.decode()
    assert f"Sent back by editor on {local_time(event.created_at)}:" in page
    assert "Give the &lt;date&gt;." in page


def test_comment_leaves_the_change_form_once_the_release_is_resubmitted(press_client, make_release, press_user, editor):
    release = make_release(status=Status.IN_REVIEW, author=press_user)
    release.send_back(user=editor, comment="Give the date.")
    press_client.post(release_change_url(release), change_form(release, status=Status.IN_REVIEW))
    page = press_client.get(release_change_url(release)).content.decode()
    assert "Sent back by" not in page
    assert "Give the date." in page  # still in the record of the workflow


def test_editor_schedules_through_the_change_form(editor_client, editor, make_release):
    release = make_release(status=Status.IN_REVIEW)
    later = timezone.localtime(timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = editor_client.post(
        release_change_url(release),
        change_form(
            release,
            status=Status.PUBLISHED,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.is_scheduled
    assert release.published_at == later
    assert (release.workflow_events.get().action, release.workflow_events.get().actor) == (A.SCHEDULED, editor)


def test_change_form_refuses_hiding_a_public_release_by_moving_its_time_while_unpublishing(editor_client, make_release):
    release = make_release()
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    response = editor_client.post(
        release_change_url(release),
        change_form(
            release,
            status=Status.DRAFT,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert form_of(response).has_error("status", code="already_public")
    release.refresh_from_db()
    assert release.is_published


def test_change_form_refuses_taking_a_public_release_off_the_site_by_a_later_time(editor_client, make_release):
    release = make_release()
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    response = editor_client.post(
        release_change_url(release),
        change_form(release, published_at_0=later.strftime("%Y-%m-%d"), published_at_1=later.strftime("%H:%M:%S")),
    )
    assert form_of(response).has_error("published_at", code="already_public")
    release.refresh_from_db()
    assert release.is_published


def test_change_form_lets_an_editor_correct_a_public_releases_time_into_the_past(editor_client, make_release):
    release = make_release()
    earlier = timezone.localtime(release.published_at - timedelta(days=1)).replace(microsecond=0)
    response = editor_client.post(
        release_change_url(release),
        change_form(release, published_at_0=earlier.strftime("%Y-%m-%d"), published_at_1=earlier.strftime("%H:%M:%S")),
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.published_at == earlier


def test_change_form_lets_an_editor_move_a_scheduled_releases_time(editor_client, make_release):
    release = make_release(published_at=timezone.now() + timedelta(days=1))
    later = timezone.localtime(release.published_at + timedelta(days=1)).replace(microsecond=0)
    response = editor_client.post(
        release_change_url(release),
        change_form(release, published_at_0=later.strftime("%Y-%m-%d"), published_at_1=later.strftime("%H:%M:%S")),
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.published_at == later


def test_change_form_refuses_unscheduling_with_a_time_already_past_without_an_error_page(editor_client, make_release):
    """The transition checks the release as posted: the form must refuse what
    it would, rather than accept it and fail on saving."""
    release = make_release(published_at=timezone.now() + timedelta(days=1))
    earlier = timezone.localtime(timezone.now() - timedelta(days=1))
    response = editor_client.post(
        release_change_url(release),
        change_form(
            release,
            status=Status.DRAFT,
            published_at_0=earlier.strftime("%Y-%m-%d"),
            published_at_1=earlier.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 200
    assert form_of(response).has_error("status", code="already_public")
    release.refresh_from_db()
    assert release.is_scheduled


def test_an_edit_that_keeps_the_status_records_no_step(editor_client, make_release):
    release = make_release(status=Status.IN_REVIEW)
    response = editor_client.post(
        release_change_url(release), change_form(release, with_published_at=True, title="A better title")
    )
    assert response.status_code == 302
    assert not release.workflow_events.exists()


# Through the admin's actions


def test_press_staff_submit_with_the_action(press_client, press_user, make_release):
    releases = [make_release(status=Status.DRAFT), make_release(status=Status.DRAFT)]
    response = run_action(press_client, RELEASE_LIST, "submit_selected", releases)
    assert response.status_code == 302
    assert "2 releases changed." in messages_of(response)
    assert set(Release.objects.values_list("status", flat=True)) == {Status.IN_REVIEW}
    assert list(WorkflowEvent.objects.values_list("action", "actor")) == [(A.SUBMITTED, press_user.pk)] * 2


def test_submit_action_reports_releases_in_the_wrong_state(press_client, make_release):
    draft = make_release(status=Status.DRAFT, title="Draft release")
    public = make_release(title="Public release")
    in_review = make_release(status=Status.IN_REVIEW, title="Release in review")
    response = run_action(press_client, RELEASE_LIST, "submit_selected", [draft, public, in_review])
    messages = messages_of(response)
    assert any(message.startswith("Public release:") for message in messages)
    assert any(message.startswith("Release in review:") for message in messages)
    assert "1 release changed." in messages
    assert list(WorkflowEvent.objects.values_list("release", flat=True)) == [draft.pk]


def test_editor_publishes_with_the_action_and_it_is_recorded(editor_client, editor, make_release):
    release = make_release(status=Status.IN_REVIEW)
    run_action(editor_client, RELEASE_LIST, "publish_selected", [release])
    event = release.workflow_events.get()
    assert (event.action, event.actor) == (A.PUBLISHED, editor)


def test_publish_action_reports_a_release_already_published(editor_client, make_release):
    release = make_release(title="Public release")
    response = run_action(editor_client, RELEASE_LIST, "publish_selected", [release])
    assert any(message.startswith("Public release:") for message in messages_of(response))
    assert not release.workflow_events.exists()


def test_send_back_action_is_offered_to_editors_not_to_press_staff(client, press_user, editor, make_release):
    make_release(status=Status.IN_REVIEW)
    client.force_login(press_user)
    assert "send_back_selected" not in offered_actions(client, RELEASE_LIST)
    client.force_login(editor)
    assert "send_back_selected" in offered_actions(client, RELEASE_LIST)


def test_send_back_action_asks_for_the_comment_first(editor_client, make_release):
    release = make_release(status=Status.IN_REVIEW)
    response = run_action(editor_client, RELEASE_LIST, "send_back_selected", [release])
    assert response.status_code == 200
    assert "admin/releases/release/action_with_comment.html" in [template.name for template in response.templates]
    assert "Comment for the authors" in response.content.decode()
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_send_back_action_without_a_comment_asks_again(editor_client, make_release):
    release = make_release(status=Status.IN_REVIEW)
    response = run_action(editor_client, RELEASE_LIST, "send_back_selected", [release], apply=1, comment="")
    assert response.status_code == 200
    assert response.context["form"].has_error("comment", code="required")
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_send_back_action_sends_back_with_the_comment(editor_client, editor, make_release):
    releases = [make_release(status=Status.IN_REVIEW), make_release(status=Status.IN_REVIEW)]
    response = run_action(
        editor_client, RELEASE_LIST, "send_back_selected", releases, apply=1, comment="Give the date."
    )
    assert response.status_code == 302
    assert set(Release.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert (
        list(WorkflowEvent.objects.values_list("action", "actor", "comment"))
        == [(A.SENT_BACK, editor.pk, "Give the date.")] * 2
    )


def test_send_back_action_reports_a_release_not_in_review(editor_client, make_release):
    draft = make_release(status=Status.DRAFT, title="Draft release")
    scheduled = make_release(title="Scheduled release", published_at=timezone.now() + timedelta(days=1))
    response = run_action(
        editor_client, RELEASE_LIST, "send_back_selected", [draft, scheduled], apply=1, comment="Give the date."
    )
    messages = messages_of(response)
    assert any(message.startswith("Draft release:") for message in messages)
    assert any(message.startswith("Scheduled release:") for message in messages)
    scheduled.refresh_from_db()
    assert scheduled.is_scheduled
    assert not WorkflowEvent.objects.exists()


@pytest.mark.parametrize(
    ("action", "status", "fields"),
    [
        ("publish_selected", Status.IN_REVIEW, {}),
        ("send_back_selected", Status.IN_REVIEW, {"apply": 1, "comment": "Give the date."}),
        ("withdraw_selected", Status.PUBLISHED, {"apply": 1, "comment": "Issued in error."}),
    ],
)
def test_press_staff_posting_an_editors_action_change_nothing(press_client, make_release, action, status, fields):
    release = make_release(status=status)
    run_action(press_client, RELEASE_LIST, action, [release], **fields)
    release.refresh_from_db()
    assert release.status == status
    assert not WorkflowEvent.objects.exists()


def test_withdraw_action_is_recorded_with_its_reason(editor_client, editor, make_release):
    release = make_release()
    run_action(editor_client, RELEASE_LIST, "withdraw_selected", [release], apply=1, comment="Issued in error.")
    event = release.workflow_events.get()
    assert (event.action, event.actor, event.comment) == (A.WITHDRAWN, editor, "Issued in error.")


# Scheduling across its time, with the clock stopped rather than waited for


@pytest.fixture
def scheduled(frozen_now, make_release, editor):
    """A release an editor scheduled for two hours after the frozen now."""
    release = make_release(status=Status.IN_REVIEW, title="WCO session release", slug="scheduled")
    release.publish(user=editor, at=frozen_now + timedelta(hours=2))
    return release


def public_places(client, release):
    """Where the public may find `release`: the list, the detail page, the feed, the sitemap."""
    detail = client.get(release.get_absolute_url())
    feed = ET.fromstring(client.get(reverse("feeds:releases-atom")).content)
    sitemap = ET.fromstring(client.get(reverse("sitemap-section", kwargs={"section": "releases"})).content)
    return {
        "list": release.title in client.get(reverse("releases:release-list")).content.decode(),
        "detail": detail.status_code == 200,
        "feed": release.title in [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")],
        "sitemap": any(loc.text.endswith(release.get_absolute_url()) for loc in sitemap.iter(f"{SM}loc")),
    }


def test_scheduled_release_is_nowhere_public_a_second_before_its_time(client, scheduled):
    with clock_at(scheduled.published_at - timedelta(seconds=1)):
        places = public_places(client, scheduled)
    assert places == {"list": False, "detail": False, "feed": False, "sitemap": False}


def test_scheduled_release_is_everywhere_public_a_second_after_its_time(client, scheduled):
    with clock_at(scheduled.published_at + timedelta(seconds=1)):
        places = public_places(client, scheduled)
    assert places == {"list": True, "detail": True, "feed": True, "sitemap": True}


def test_admin_list_shows_a_scheduled_release_as_scheduled_until_its_time(editor_client, scheduled):
    row_label = f"Scheduled for {local_time(scheduled.published_at)}"
    with clock_at(scheduled.published_at - timedelta(seconds=1)):
        before = editor_client.get(RELEASE_LIST).content.decode()
    with clock_at(scheduled.published_at + timedelta(seconds=1)):
        after = editor_client.get(RELEASE_LIST).content.decode()
    assert row_label in before
    assert "Scheduled for" not in after
    assert '<td class="field-status_label">Published</td>' in after


def test_scheduling_is_recorded_as_scheduled(scheduled, editor):
    event = scheduled.workflow_events.get()
    assert (event.action, event.actor) == (A.SCHEDULED, editor)


# The slug of a public release


def test_editor_changing_a_public_releases_slug_leaves_a_permanent_redirect(client, editor, make_release):
    release = make_release(slug="old-address")
    client.force_login(editor)
    response = client.post(
        release_change_url(release), change_form(release, with_published_at=True, slug="new-address")
    )
    assert response.status_code == 302
    client.logout()
    response = client.get("/releases/old-address/")
    assert response.status_code == 301
    assert response["Location"] == "/releases/new-address/"
    assert client.get("/releases/new-address/").status_code == 200


def test_slug_redirect_is_in_the_releases_language(client, editor, make_release):
    release = make_release(language="az", slug="kohne-unvan")
    client.force_login(editor)
    client.post(release_change_url(release), change_form(release, with_published_at=True, slug="yeni-unvan"))
    client.logout()
    response = client.get("/az/releases/kohne-unvan/")
    assert response.status_code == 301
    assert response["Location"] == "/az/releases/yeni-unvan/"
    assert client.get("/releases/kohne-unvan/").status_code == 404
    assert client.get("/ru/releases/kohne-unvan/").status_code == 404


def test_press_staff_see_a_public_releases_slug_read_only(press_client, make_release):
    release = make_release(slug="old-address")
    response = press_client.get(release_change_url(release))
    assert "slug" not in form_of(response).fields
    press_client.post(release_change_url(release), change_form(release, slug="new-address"))
    release.refresh_from_db()
    assert release.slug == "old-address"
    assert not SlugRedirect.objects.exists()


def test_press_staff_may_change_a_drafts_slug_and_no_redirect_is_made(press_client, make_release):
    release = make_release(status=Status.DRAFT, slug="first-idea")
    assert "slug" in form_of(press_client.get(release_change_url(release))).fields
    response = press_client.post(release_change_url(release), change_form(release, slug="second-idea"))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.slug == "second-idea"
    assert not SlugRedirect.objects.exists()


def test_scheduled_releases_slug_change_makes_no_redirect(editor_client, make_release):
    release = make_release(slug="first-idea", published_at=timezone.now() + timedelta(days=1))
    editor_client.post(release_change_url(release), change_form(release, with_published_at=True, slug="second"))
    assert not SlugRedirect.objects.exists()


def test_old_slug_coming_back_into_use_removes_its_redirect(client, editor, make_release):
    release = make_release(slug="first")
    client.force_login(editor)
    client.post(release_change_url(release), change_form(release, with_published_at=True, slug="second"))
    release.refresh_from_db()
    client.post(release_change_url(release), change_form(release, with_published_at=True, slug="first"))
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["second"]
    client.logout()
    assert client.get("/releases/first/").status_code == 200
    assert client.get("/releases/second/")["Location"] == "/releases/first/"


def test_another_release_taking_an_old_slug_is_served_at_it(client, make_release):
    moved = make_release(slug="shared-address")
    moved.slug = "moved-address"
    moved.save()
    newcomer = make_release(slug="shared-address", title="The newcomer")
    response = client.get("/releases/shared-address/")
    assert response.status_code == 200
    assert response.context["release"] == newcomer


def test_redirect_of_a_release_no_longer_public_is_a_404(client, make_release):
    release = make_release(slug="first", published_at=timezone.now() - timedelta(days=1))
    release.slug = "second"
    release.save()
    Release.objects.filter(pk=release.pk).update(status=Status.DRAFT)
    assert client.get("/releases/first/").status_code == 404


# Public change notes


def atom_updated(client, release):
    feed = ET.fromstring(client.get(reverse("feeds:releases-atom")).content)
    entry = next(entry for entry in feed.iter(f"{ATOM}entry") if entry.findtext(f"{ATOM}title") == release.title)
    return entry.findtext(f"{ATOM}updated")


def test_editor_saving_with_a_change_note_records_it(editor_client, editor, make_release):
    release = make_release()
    before = timezone.now()
    response = editor_client.post(
        release_change_url(release),
        change_form(release, with_published_at=True, change_note="Corrected the date of the session."),
    )
    assert response.status_code == 302
    note = ChangeNote.objects.get()
    assert (note.release, note.note, note.author) == (release, "Corrected the date of the session.", editor)
    assert before <= note.created_at <= timezone.now()
    release.refresh_from_db()
    assert release.public_updated_at == note.created_at


def test_public_page_lists_change_notes_with_their_time(client, editor, make_release):
    release = make_release()
    note = release.add_change_note("Corrected the date of the session.", user=editor)
    page = client.get(release.get_absolute_url()).content.decode()
    assert "Updates to this release" in page
    assert f'<time datetime="{timezone.localtime(note.created_at).isoformat()}">' in page
    assert f"{local_time(note.created_at)}</time> — Corrected the date of the session." in page


def test_public_page_without_change_notes_has_no_updates_section(client, make_release):
    release = make_release()
    assert "Updates to this release" not in client.get(release.get_absolute_url()).content.decode()


def test_change_note_moves_the_feed_entrys_update_time(client, editor, make_release):
    release = make_release()
    assert atom_updated(client, release) == release.published_at.isoformat()
    client.force_login(editor)
    client.post(
        release_change_url(release), change_form(release, with_published_at=True, change_note="Corrected the date.")
    )
    assert atom_updated(client, release) == ChangeNote.objects.get().created_at.isoformat()


def test_edit_without_a_change_note_leaves_the_feeds_update_time_alone(client, editor, make_release):
    release = make_release()
    client.force_login(editor)
    client.post(release_change_url(release), change_form(release, with_published_at=True, title="Typo fixed"))
    release.refresh_from_db()
    assert atom_updated(client, release) == release.published_at.isoformat()
    note = release.add_change_note("Corrected the date.", user=editor)
    release.refresh_from_db()
    client.post(release_change_url(release), change_form(release, with_published_at=True, lead="Another typo"))
    assert atom_updated(client, release) == note.created_at.isoformat()
    assert ChangeNote.objects.count() == 1


@pytest.mark.parametrize("fields", [{"status": Status.DRAFT}, {"status": Status.PUBLISHED, "scheduled": True}])
def test_change_note_posted_for_a_release_the_public_has_not_seen_is_ignored(editor_client, make_release, fields):
    release = start(make_release, fields)
    response = editor_client.post(
        release_change_url(release), change_form(release, with_published_at=True, change_note="Not news yet.")
    )
    assert response.status_code == 302
    assert not ChangeNote.objects.exists()
    release.refresh_from_db()
    assert release.public_updated_at is None


def test_change_note_is_offered_on_public_releases_only(editor_client, make_release):
    public, draft = make_release(), make_release(status=Status.DRAFT)
    assert "change_note" in editor_client.get(release_change_url(public)).content.decode()
    assert 'name="change_note"' not in editor_client.get(release_change_url(draft)).content.decode()


# E-mail


@pytest.fixture
def author_with_editors(press_user, editor, administrator, django_user_model):
    """Press staff who write; an editor and an administrator who receive mail;
    an editor without an address and an inactive one, who do not."""
    editors = Group.objects.get(name=EDITORS)
    no_address = django_user_model.objects.create_user("no-address", "", "a-long-password", is_staff=True)
    gone = django_user_model.objects.create_user("gone", "gone@example.com", "a-long-password", is_active=False)
    editors.user_set.add(no_address, gone)
    return press_user


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def test_submitting_mails_every_editor_with_an_address(
    author_with_editors, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.DRAFT, author=author_with_editors, title="WCO session")
    with django_capture_on_commit_callbacks(execute=True):
        release.submit(user=author_with_editors)
    assert recipients(mailoutbox) == ["admin@example.com", "editor@example.com"]
    assert all(message.subject == "Submitted for review: WCO session" for message in mailoutbox)
    assert reverse("admin:releases_release_change", args=[release.pk]) in mailoutbox[0].body


def test_editor_submitting_is_not_mailed_about_it(
    author_with_editors, editor, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.DRAFT, author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        release.submit(user=editor)
    assert recipients(mailoutbox) == ["admin@example.com"]


def test_sending_back_mails_the_author_the_comment(
    author_with_editors, editor, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.IN_REVIEW, author=author_with_editors, title="WCO session")
    with django_capture_on_commit_callbacks(execute=True):
        release.send_back(user=editor, comment="Don't forget the session's date & place.")
    assert recipients(mailoutbox) == ["press@example.com"]
    assert mailoutbox[0].subject == "Sent back: WCO session"
    assert "Don't forget the session's date & place." in mailoutbox[0].body


def test_publishing_mails_the_author(
    author_with_editors, editor, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.IN_REVIEW, author=author_with_editors, title="WCO session")
    with django_capture_on_commit_callbacks(execute=True):
        release.publish(user=editor)
    assert recipients(mailoutbox) == ["press@example.com"]
    assert mailoutbox[0].subject == "Published: WCO session"


def test_scheduling_mails_the_author_the_time(
    author_with_editors, editor, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.IN_REVIEW, author=author_with_editors, title="WCO session")
    later = timezone.now() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        release.publish(user=editor, at=later)
    assert recipients(mailoutbox) == ["press@example.com"]
    assert mailoutbox[0].subject == "Scheduled: WCO session"
    assert f"It goes public on {local_time(later)}." in mailoutbox[0].body


def test_editor_publishing_their_own_release_is_not_mailed(
    author_with_editors, editor, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.IN_REVIEW, author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        release.publish(user=editor)
    assert mailoutbox == []


def test_withdrawing_mails_nobody(
    author_with_editors, editor, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(author=author_with_editors)
    with django_capture_on_commit_callbacks(execute=True):
        release.withdraw(user=editor, reason="Issued in error.")
    assert mailoutbox == []


def test_mail_leaves_only_once_the_change_is_committed(
    author_with_editors, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.DRAFT, author=author_with_editors)
    with django_capture_on_commit_callbacks() as callbacks:
        release.submit(user=author_with_editors)
    assert mailoutbox == []
    # The mail, and the page cache's new version; the mail's own delivery is
    # enqueued when its outbox row commits, so that is run too.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert mailoutbox


def test_refused_change_mails_nobody(author_with_editors, make_release, mailoutbox, django_capture_on_commit_callbacks):
    release = make_release(status=Status.IN_REVIEW, author=author_with_editors)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        release.publish(user=author_with_editors)
    assert mailoutbox == []


def test_sending_back_through_the_admin_mails_the_author(
    author_with_editors, editor_client, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.IN_REVIEW, author=author_with_editors)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            release_change_url(release),
            change_form(release, with_published_at=True, status=Status.DRAFT, review_comment="Give the date."),
        )
    assert recipients(mailoutbox) == ["press@example.com"]
    assert "Give the date." in mailoutbox[0].body


def test_submitting_through_the_admin_mails_the_editors(
    author_with_editors, client, make_release, mailoutbox, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.DRAFT, author=author_with_editors)
    client.force_login(author_with_editors)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(client, RELEASE_LIST, "submit_selected", [release])
    assert recipients(mailoutbox) == ["admin@example.com", "editor@example.com"]
