"""The audit trail of the workflow (issue 6): who did what and when, visible to
editors and administrators, editable by nobody; and the review queue on the
admin index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.models import Release, WorkflowEvent

pytestmark = pytest.mark.django_db

Status = Release.Status
A = WorkflowEvent.Action
EVENT_LIST = reverse("admin:releases_workflowevent_changelist")
EVENT_ADD = reverse("admin:releases_workflowevent_add")
RELEASE_LIST = reverse("admin:releases_release_changelist")
INDEX = reverse("admin:index")


def event_change_url(event):
    return reverse("admin:releases_workflowevent_change", args=[event.pk])


def event_delete_url(event):
    return reverse("admin:releases_workflowevent_delete", args=[event.pk])


@pytest.fixture
def trail(make_release, press_user, editor):
    """A release submitted, sent back, submitted again and published: four events."""
    release = make_release(status=Status.DRAFT, author=press_user, title="WCO session")
    release.submit(user=press_user)
    release.send_back(user=editor, comment="Give the date of the session.")
    release.submit(user=press_user)
    release.publish(user=editor)
    return release


@pytest.fixture
def event(trail):
    return trail.workflow_events.get(action=A.SENT_BACK)


# Who sees it


@pytest.mark.parametrize("user", ["editor", "administrator"])
def test_editors_and_administrators_see_the_trail(client, trail, user, request):
    client.force_login(request.getfixturevalue(user))
    response = client.get(EVENT_LIST)
    assert response.status_code == 200
    rows = [(event.action, event.actor.username) for event in response.context["cl"].result_list]
    assert rows == [(A.PUBLISHED, "editor"), (A.SUBMITTED, "press"), (A.SENT_BACK, "editor"), (A.SUBMITTED, "press")]
    page = response.content.decode()
    assert "Give the date of the session." in page
    assert "WCO session" in page


@pytest.mark.parametrize("user", ["press_user", "staff_user"])
def test_press_staff_and_staff_without_a_role_may_not_see_the_trail(client, trail, event, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.get(EVENT_LIST).status_code == 403
    assert client.get(event_change_url(event)).status_code == 403


def test_admin_index_offers_the_trail_to_editors_only(client, editor, press_user):
    client.force_login(editor)
    assert EVENT_LIST in client.get(INDEX).content.decode()
    client.force_login(press_user)
    assert EVENT_LIST not in client.get(INDEX).content.decode()


def test_trail_filters_by_action(editor_client, trail):
    response = editor_client.get(EVENT_LIST, {"action__exact": A.SUBMITTED})
    assert {event.action for event in response.context["cl"].result_list} == {A.SUBMITTED}
    assert len(response.context["cl"].result_list) == 2


# Nobody edits it


@pytest.mark.parametrize("user", ["editor", "administrator"])
def test_nobody_may_add_an_event(client, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.get(EVENT_ADD).status_code == 403
    assert client.post(EVENT_ADD, {"action": A.PUBLISHED, "comment": "Forged."}).status_code == 403


@pytest.mark.parametrize("user", ["editor", "administrator"])
def test_event_page_is_read_only(client, event, user, request):
    client.force_login(request.getfixturevalue(user))
    response = client.get(event_change_url(event))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="_save"' not in page
    assert 'name="comment"' not in page
    assert "Give the date of the session." in page


@pytest.mark.parametrize("user", ["editor", "administrator"])
def test_posting_a_change_to_an_event_is_refused(client, event, user, request):
    client.force_login(request.getfixturevalue(user))
    response = client.post(event_change_url(event), {"action": A.PUBLISHED, "comment": "Rewritten.", "_save": "Save"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert (event.action, event.comment) == (A.SENT_BACK, "Give the date of the session.")


@pytest.mark.parametrize("user", ["editor", "administrator"])
def test_nobody_may_delete_an_event(client, event, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.get(event_delete_url(event)).status_code == 403
    assert client.post(event_delete_url(event), {"post": "yes"}).status_code == 403
    assert WorkflowEvent.objects.filter(pk=event.pk).exists()


def test_trail_offers_no_action(administrator_client, trail):
    assert administrator_client.get(EVENT_LIST).context["action_form"] is None


def test_bulk_delete_posted_anyway_deletes_nothing(administrator_client, trail):
    response = administrator_client.post(
        EVENT_LIST,
        {"action": "delete_selected", "_selected_action": list(WorkflowEvent.objects.values_list("pk", flat=True))},
    )
    assert response.status_code in (200, 302)
    assert WorkflowEvent.objects.count() == 4


# The trail on the release's own page


def test_release_change_form_shows_its_trail(editor_client, trail):
    page = editor_client.get(reverse("admin:releases_release_change", args=[trail.pk])).content.decode()
    assert "Sent back · editor · Give the date of the session." in page
    assert "Submitted for review · press" in page


def test_trail_escapes_the_comment(editor_client, make_release, editor):
    release = make_release(status=Status.IN_REVIEW)
    release.send_back(user=editor, comment="<b>Bold</b> remark")
    page = editor_client.get(reverse("admin:releases_release_change", args=[release.pk])).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; remark" in page
    assert "<b>Bold</b> remark" not in page


# The review queue on the admin index


def test_admin_index_tells_editors_how_many_releases_wait_for_review(editor_client, make_release):
    make_release(status=Status.IN_REVIEW)
    make_release(status=Status.IN_REVIEW)
    make_release(status=Status.DRAFT)
    make_release()
    page = editor_client.get(INDEX).content.decode()
    assert "2 releases are waiting for review" in page
    assert f'href="{RELEASE_LIST}?status__exact=in_review"' in page


def test_admin_index_counts_one_release_in_the_singular(administrator_client, make_release):
    make_release(status=Status.IN_REVIEW)
    assert "1 release is waiting for review" in administrator_client.get(INDEX).content.decode()


def test_admin_index_shows_no_review_queue_to_press_staff(press_client, make_release):
    """Press staff follow their own releases in review on their desk
    (tests/test_desk.py), not the editors' queue."""
    make_release(status=Status.IN_REVIEW, title="Someone else's")
    make_release(status=Status.IN_REVIEW, title="Someone else's")
    page = press_client.get(INDEX).content.decode()
    assert "releases are waiting for review" not in page
    assert "Review queue" not in page
    queue = page[page.index("desk-review") : page.index("</section>", page.index("desk-review"))]
    assert "Someone else" not in queue


def test_review_queue_link_lists_the_releases_in_review(editor_client, make_release):
    waiting = make_release(status=Status.IN_REVIEW)
    make_release(status=Status.DRAFT)
    response = editor_client.get(RELEASE_LIST, {"status__exact": Status.IN_REVIEW})
    assert list(response.context["cl"].result_list) == [waiting]


# Query counts


def test_trail_queries_do_not_grow_with_its_rows(editor_client, make_release, editor, django_assert_max_num_queries):
    """Guards against a query per row for each event's release or actor."""

    def make_events(count):
        for _ in range(count):
            release = make_release(status=Status.IN_REVIEW)
            release.send_back(user=editor, comment="Give the date.")

    make_events(2)
    editor_client.get(EVENT_LIST)  # fills the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(EVENT_LIST)
    make_events(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(EVENT_LIST)
    assert len(response.context["cl"].result_list) == 22


def test_release_list_queries_do_not_grow_with_workflow_states(
    editor_client, make_release, editor, django_assert_max_num_queries
):
    """Guards against a query per row for the status label ("Scheduled for
    ...") or the workflow trail of releases in every state."""

    def make_releases(count):
        for _ in range(count):
            make_release(published_at=timezone.now() + timedelta(days=1), tags=["WCO"])
            make_release(status=Status.IN_REVIEW).send_back(user=editor, comment="Give the date.")
            make_release(status=Status.WITHDRAWN)

    make_releases(1)
    editor_client.get(RELEASE_LIST)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(RELEASE_LIST)
    make_releases(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(RELEASE_LIST)
    assert len(response.context["cl"].result_list) == 33
