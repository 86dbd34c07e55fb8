"""The outbox (outbox/services.py): one row per message, written in the
caller's transaction, delivered after it commits, once; failures tried again
with growing waits, then shown as failed. Tasks run eagerly here (the test
settings); tests/test_queue.py runs them on real workers and brokers."""

import socket
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox import services
from outbox.models import Message


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose on_commit callbacks run as it ends, as after a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def send(number=1, **fields):
    fields = {
        "kind": "test",
        "key": f"release:{number}",
        "to": "journalist@example.org",
        "subject": f"Release {number}",
        "text": "The text.",
        **fields,
    }
    return services.send(**fields)


@pytest.fixture
def closed_port():
    """A port on which nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_smtp(settings, closed_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port


def later(seconds):
    """Patch the clock `seconds` ahead."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(seconds=seconds))


def test_a_message_is_delivered_after_the_transaction_commits(db, committed):
    with committed(), transaction.atomic():
        message = send()
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    email = mail.outbox[0]
    assert email.to == ["journalist@example.org"]
    assert email.subject == "Release 1"
    assert email.extra_headers["Message-ID"] == message.message_id


def test_a_message_of_a_transaction_rolled_back_is_neither_written_nor_sent(db, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        send()
        raise RuntimeError("the caller's work failed")
    assert not Message.objects.exists()
    assert mail.outbox == []


def test_the_same_message_written_twice_is_one_row_sent_once(db, committed):
    with committed():
        first = send()
        second = send(subject="Another subject")
    assert second.pk == first.pk
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_same_key_for_another_recipient_or_kind_is_another_message(db, committed):
    with committed():
        send()
        send(to="editor@example.org")
        send(kind="other")
    assert sorted((email.to[0]) for email in mail.outbox) == [
        "editor@example.org",
        "journalist@example.org",
        "journalist@example.org",
    ]


def test_the_recipients_domain_is_compared_without_case(db, committed):
    with committed():
        send(to="journalist@EXAMPLE.org")
        send(to=" journalist@example.org ")
    assert Message.objects.get().to == "journalist@example.org"
    assert len(mail.outbox) == 1


def test_an_address_that_is_not_one_is_refused(db):
    with pytest.raises(ValidationError):
        send(to="not an address")
    assert not Message.objects.exists()


def test_html_and_headers_are_sent_as_written(db, committed):
    with committed():
        send(html="<p>The text.</p>", headers={"List-Unsubscribe": "<https://example.org/u/1>"})
    email = mail.outbox[0]
    assert email.alternatives[0][0] == "<p>The text.</p>"
    assert email.extra_headers["List-Unsubscribe"] == "<https://example.org/u/1>"


def test_delivering_again_sends_nothing_more(db, committed):
    with committed():
        message = send()
    services.deliver(message.pk)
    services.deliver(message.pk)
    assert len(mail.outbox) == 1


def test_a_message_another_worker_is_sending_is_left_to_it(db):
    message = send()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, claimed_at=timezone.now())
    services.deliver(message.pk)
    assert mail.outbox == []


def test_an_smtp_failure_is_tried_again_later_with_doubling_waits(db, settings, unreachable_smtp):
    settings.PRESSROOM_OUTBOX_RETRY_SECONDS = 60
    message = send()
    waits = []
    for _attempt in range(3):
        before = timezone.now()
        with later(sum(waits) + 1):
            services.deliver(message.pk)
        message.refresh_from_db()
        waits.append(round((message.due_at - before).total_seconds()) - sum(waits) - 1)
    assert waits == [60, 120, 240]
    assert message.status == Message.Status.QUEUED
    assert message.attempts == 3
    assert "ConnectionRefusedError" in message.last_error


def test_a_message_not_due_yet_is_not_sent(db, unreachable_smtp, settings):
    message = send()
    services.deliver(message.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.deliver(message.pk)
    assert mail.outbox == []
    with later(settings.PRESSROOM_OUTBOX_RETRY_SECONDS + 1):
        services.deliver(message.pk)
    assert len(mail.outbox) == 1


def test_a_message_fails_for_good_when_its_attempts_are_used_up(db, settings, unreachable_smtp):
    settings.PRESSROOM_OUTBOX_MAX_ATTEMPTS = 2
    message = send()
    services.deliver(message.pk)
    with later(settings.PRESSROOM_OUTBOX_RETRY_SECONDS + 1):
        services.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 2
    assert "ConnectionRefusedError" in message.last_error


def test_the_sweeper_sends_a_message_whose_task_was_lost(db, settings):
    # Written outside any worker's reach: as if the broker lost its task.
    message = Message.objects.create(kind="test", key="k", to="a@example.org", subject="S", text="T")
    assert services.sweep() == 0
    with later(settings.PRESSROOM_OUTBOX_LEASE_SECONDS + 1):
        assert services.sweep() == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(mail.outbox) == 1


def test_the_sweeper_sends_again_a_message_whose_worker_died_while_sending(db, settings):
    message = send()
    # A worker took it, and was killed before it could say how it went.
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, claimed_at=timezone.now(), attempts=1)
    assert services.sweep() == 0
    with later(settings.PRESSROOM_OUTBOX_LEASE_SECONDS + 1):
        assert services.sweep() == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id


def test_a_message_whose_workers_die_on_every_attempt_fails(db, settings):
    settings.PRESSROOM_OUTBOX_MAX_ATTEMPTS = 3
    message = send()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, claimed_at=timezone.now(), attempts=3)
    with later(settings.PRESSROOM_OUTBOX_LEASE_SECONDS + 1):
        assert services.sweep() == 0
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.last_error
    assert mail.outbox == []


def test_the_sweeper_leaves_sent_and_failed_messages_alone(db, settings, committed):
    with committed():
        sent = send(1)
    failed = send(2)
    Message.objects.filter(pk=failed.pk).update(status=Message.Status.FAILED)
    with later(settings.PRESSROOM_OUTBOX_LEASE_SECONDS + 1):
        assert services.sweep() == 0
    assert len(mail.outbox) == 1
    assert Message.objects.get(pk=sent.pk).status == Message.Status.SENT
    assert Message.objects.get(pk=failed.pk).status == Message.Status.FAILED


def test_an_unreachable_broker_costs_the_caller_no_error(db, settings, closed_port, committed):
    from pressroom.celery import app

    app.conf.update(task_always_eager=False, broker_url=f"redis://127.0.0.1:{closed_port}/0")
    app.conf.broker_transport_options = {"max_retries": 0}
    try:
        with committed():
            message = send()
    finally:
        app.conf.update(task_always_eager=True, broker_url=settings.CELERY_BROKER_URL)
        # The connection pools were made for the unreachable broker: the
        # next tests get new ones.
        app.pool.force_close_all()
        app._pool = app.amqp._producer_pool = None
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED


def test_retry_sends_failed_messages_again_with_fresh_attempts(db, committed):
    failed = send(1)
    Message.objects.filter(pk=failed.pk).update(status=Message.Status.FAILED, attempts=6, last_error="550 No")
    queued = send(2)
    with committed():
        assert services.retry(Message.objects.all()) == 1
    failed.refresh_from_db()
    assert failed.status == Message.Status.SENT
    assert failed.attempts == 1
    assert [email.subject for email in mail.outbox] == ["Release 1"]
    assert Message.objects.get(pk=queued.pk).status == Message.Status.QUEUED


def test_administrators_see_failed_messages_with_their_errors(administrator_client, django_assert_max_num_queries):
    for number in range(20):
        message = send(number)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, last_error="SMTPDataError: 554 Spam")
    # One query for the rows whatever their number; the others are the
    # session (read and saved), the user, the count, the date hierarchy's
    # two and the kind filter's choices.
    with django_assert_max_num_queries(10):
        response = administrator_client.get(reverse("admin:outbox_message_changelist") + "?status=failed")
    assert response.status_code == 200
    assert "554 Spam" in response.text


def test_the_retry_action_sends_a_failed_message_again(administrator_client, committed):
    message = send()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, last_error="550 No")
    with committed():
        response = administrator_client.post(
            reverse("admin:outbox_message_changelist"),
            {"action": "retry_selected", "_selected_action": [message.pk]},
            follow=True,
        )
    assert "1 failed message queued to be sent again." in response.text
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("client_fixture", ["editor_client", "press_client"])
def test_staff_other_than_administrators_cannot_see_outgoing_mail(db, request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    assert client.get(reverse("admin:outbox_message_changelist")).status_code == 403


def test_outgoing_mail_cannot_be_edited_or_deleted_in_the_admin(administrator_client):
    message = send()
    change = administrator_client.post(reverse("admin:outbox_message_change", args=[message.pk]), {"to": "x@y.org"})
    delete = administrator_client.post(reverse("admin:outbox_message_delete", args=[message.pk]), {"post": "yes"})
    assert change.status_code == 403
    assert delete.status_code == 403
    assert Message.objects.get().to == "journalist@example.org"
