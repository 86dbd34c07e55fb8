"""The alerts in the admin: counts for press staff and editors, addresses
for administrators only, each release's sending report, and the pause."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from alerts import services
from alerts.models import Sending
from outbox.models import Message
from releases.models import Release, Tag

pytestmark = pytest.mark.django_db

COUNTS = reverse("admin:alerts_subscription_changelist")
ADDRESSES = reverse("admin:alerts_subscriber_changelist")
SENDINGS = reverse("admin:alerts_sending_changelist")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def subscribers(db, department):
    wco = Tag.objects.create(name="WCO", slug="wco")
    made = []
    for number, (language, scope) in enumerate(
        [("en", {}), ("en", {"tags": [wco]}), ("az", {"department": department}), ("ru", {"tags": [wco]})]
    ):
        subscription = services.subscribe(
            email=f"reader{number}@example.org", language=language, frequency="immediately", **scope
        )
        services.confirm(subscription, "immediately")
        made.append(subscription)
    return made


def test_press_staff_see_counts_and_no_address(press_client, subscribers):
    response = press_client.get(COUNTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "reader0@example.org" not in html and "@example.org" not in html
    assert response.context["languages"] == [("Azerbaijani", 1, 0), ("English", 2, 0), ("Russian", 1, 0)]
    assert [(row["tag__name"], row["count"]) for row in response.context["tags"]] == [("WCO", 2)]
    assert [(row["department__name"], row["count"]) for row in response.context["departments"]] == [
        ("Press and Public Relations Department", 1)
    ]
    assert press_client.get(ADDRESSES).status_code == 403


def test_editors_see_counts_and_no_address(editor_client, subscribers):
    assert editor_client.get(COUNTS).status_code == 200
    assert editor_client.get(ADDRESSES).status_code == 403


def test_staff_without_a_role_see_nothing(client, staff_user, subscribers):
    client.force_login(staff_user)
    assert client.get(COUNTS).status_code == 403
    assert client.get(SENDINGS).status_code == 403


def test_administrators_see_the_addresses(administrator_client, subscribers, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = administrator_client.get(ADDRESSES)
    assert response.status_code == 200
    assert "reader3@example.org" in response.content.decode()


def test_the_counts_page_costs_the_same_whatever_the_number_of_subscribers(
    press_client, subscribers, django_assert_max_num_queries
):
    # Session, user, permissions, the counts: a fixed number of queries.
    with django_assert_max_num_queries(15):
        assert press_client.get(COUNTS).status_code == 200


def test_deleting_an_address_erases_it_from_the_outbox(administrator_client, subscribers):
    Message.objects.create(kind="alert", key="release:1:published", to="reader0@example.org", subject="S", text="T")
    subscriber = subscribers[0].subscriber
    response = administrator_client.post(
        reverse("admin:alerts_subscriber_delete", args=[subscriber.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Message.objects.filter(to="reader0@example.org").exists()


@pytest.fixture
def sent_release(subscribers, make_release, editor, django_capture_on_commit_callbacks):
    release = make_release(status=Release.Status.DRAFT, tags=[Tag.objects.get(slug="wco")])
    with mock.patch("outbox.services.enqueue_many"), django_capture_on_commit_callbacks(execute=True):
        release.publish(user=editor)
    messages = Message.objects.filter(kind="alert").order_by("pk")
    Message.objects.filter(pk=messages[0].pk).update(status="sent")
    Message.objects.filter(pk=messages[1].pk).update(status="bounced")
    return release


def test_the_sending_report_counts_each_status(press_client, sent_release, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = press_client.get(SENDINGS)
    assert response.status_code == 200
    (row,) = response.context["cl"].result_list
    admin = response.context["cl"].model_admin
    assert row.recipients == 2  # the English subscribers: all releases, and WCO (the release has no tag)
    assert (admin.queued(row), admin.sent(row), admin.bounced(row), admin.failed(row)) == (0, 1, 1, 0)


def test_a_sending_report_keeps_its_own_counts_while_another_page_is_served(
    press_client, sent_release, django_assert_num_queries
):
    first = press_client.get(SENDINGS)
    # Another request to the same admin (another thread, with gunicorn's)
    # before the first page's rows are shown.
    assert press_client.get(SENDINGS, {"q": "no such title"}).status_code == 200
    (row,) = first.context["cl"].result_list
    admin = first.context["cl"].model_admin
    with django_assert_num_queries(0):
        assert (admin.sent(row), admin.bounced(row)) == (1, 1)


def test_editors_pause_and_resume_press_staff_do_not(press_user, editor, subscribers, make_release):
    from django.test import Client, TestCase

    press_client, editor_client = Client(), Client()
    press_client.force_login(press_user)
    editor_client.force_login(editor)
    release = make_release(status=Release.Status.DRAFT)
    with mock.patch("outbox.services.enqueue_many"), TestCase.captureOnCommitCallbacks(execute=True):
        release.publish(user=editor)
    sending = Sending.objects.get()
    data = {"action": "pause_selected", "_selected_action": [sending.pk]}
    press_client.post(SENDINGS, data)
    assert Sending.objects.get().paused_at is None
    with mock.patch("outbox.services.enqueue_many"):
        editor_client.post(SENDINGS, data)
    assert Sending.objects.get().paused_at is not None
    assert set(Message.objects.filter(kind="alert").values_list("status", flat=True)) == {"held"}
    with mock.patch("outbox.services.enqueue_many"):
        editor_client.post(SENDINGS, {**data, "action": "resume_selected"})
    assert set(Message.objects.filter(kind="alert").values_list("status", flat=True)) == {"queued"}
