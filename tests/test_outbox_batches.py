"""The outbox's fan-out writes (outbox/services.py: send_many, deliver_many,
hold, let_go, forget): many rows in one statement, delivered over one SMTP
connection a batch, each taken and marked on its own."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from outbox import services
from outbox.models import Message

pytestmark = pytest.mark.django_db


def rows(*addresses):
    return [
        (address, "Subject", "Text", "<p>HTML</p>", {"List-Unsubscribe": f"<https://x/{address}>"})
        for address in addresses
    ]


def test_send_many_writes_each_recipient_once_and_delivers_in_batches(django_capture_on_commit_callbacks, settings):
    with mock.patch.object(services, "DELIVERY_BATCH", 2), django_capture_on_commit_callbacks(execute=True):
        assert (
            services.send_many(kind="alert", key="k", messages=rows("a@example.org", "b@example.org", "c@example.org"))
            == 3
        )
        assert services.send_many(kind="alert", key="k", messages=rows("a@example.org", "d@example.org")) == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
        "d@example.org",
    ]
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert mail.outbox[0].extra_headers["List-Unsubscribe"] == "<https://x/a@example.org>"


def test_one_connection_carries_a_batch_and_a_failure_fails_alone(settings):
    services.send_many(kind="alert", key="k", messages=rows("a@example.org", "b@example.org", "c@example.org"))
    ids = list(Message.objects.order_by("pk").values_list("pk", flat=True))
    opened = []
    real = mail.get_connection

    def connection(**kwargs):
        made = real(**kwargs)
        opened.append(made)
        send = made.send_messages

        def refuse_b(messages):
            if messages[0].to == ["b@example.org"]:
                raise OSError("connection reset")
            return send(messages)

        made.send_messages = refuse_b
        return made

    with mock.patch("django.core.mail.get_connection", side_effect=connection):
        services.deliver_many(ids)
    # a, then b fails and its connection is dropped, then c on a new one.
    assert len(opened) == 2
    assert dict(Message.objects.values_list("to", "status")) == {
        "a@example.org": "sent",
        "b@example.org": "queued",
        "c@example.org": "sent",
    }
    services.deliver_many(ids)  # again: nothing more for the sent ones
    assert [message.to[0] for message in mail.outbox] == ["a@example.org", "c@example.org"]


def test_held_messages_are_not_sent_until_let_go(django_capture_on_commit_callbacks):
    services.send_many(kind="alert", key="k", messages=rows("a@example.org"))
    assert services.hold(Message.objects.all()) == 1
    services.deliver_many(list(Message.objects.values_list("pk", flat=True)))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.let_go(Message.objects.all()) == 1
    assert [message.to[0] for message in mail.outbox] == ["a@example.org"]


def test_forget_removes_an_address_and_keeps_the_count():
    services.send_many(kind="alert", key="k1", messages=rows("a@example.org"))
    services.send_many(kind="alert", key="k2", messages=rows("a@example.org"))
    services.send(kind="workflow", key="w", to="a@example.org", subject="S", text="T")
    Message.objects.filter(key="k1").update(status="sent")
    assert services.forget(to="a@example.org", kinds=["alert"]) == 2
    assert not Message.objects.filter(key="k2").exists()  # queued: never sent now
    (sent,) = Message.objects.filter(key="k1")
    assert (sent.status, sent.text, sent.to) == ("sent", "", f"forgotten-{sent.pk}@invalid")
    assert Message.objects.get(kind="workflow").to == "a@example.org"


def test_a_batch_costs_one_statement_a_message(django_assert_num_queries):
    """Each statement is a commit a message waits for: the rows are read
    at once, and one UPDATE marks a message sent and takes the next."""
    services.send_many(kind="alert", key="k", messages=rows(*(f"r{n}@example.org" for n in range(5))))
    ids = list(Message.objects.order_by("pk").values_list("pk", flat=True))
    # The read, a take for each (the one before marked in it), the last mark.
    with django_assert_num_queries(1 + 5 + 1):
        services.deliver_many(ids)
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert [message.to[0] for message in mail.outbox] == [f"r{n}@example.org" for n in range(5)]
    assert all(Message.objects.values_list("sent_at", flat=True))
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


def test_a_message_held_while_its_batch_is_sent_is_not_sent_and_the_one_before_is_marked():
    services.send_many(kind="alert", key="k", messages=rows("a@example.org", "b@example.org", "c@example.org"))
    ids = list(Message.objects.order_by("pk").values_list("pk", flat=True))
    real = mail.get_connection

    def connection(**kwargs):
        made = real(**kwargs)
        send = made.send_messages

        def pause_after_a(messages):
            sent = send(messages)
            if messages[0].to == ["a@example.org"]:
                services.hold(Message.objects.filter(to="b@example.org"))
            return sent

        made.send_messages = pause_after_a
        return made

    with mock.patch("django.core.mail.get_connection", side_effect=connection):
        services.deliver_many(ids)
    assert dict(Message.objects.values_list("to", "status")) == {
        "a@example.org": "sent",
        "b@example.org": "held",
        "c@example.org": "sent",
    }
    assert [message.to[0] for message in mail.outbox] == ["a@example.org", "c@example.org"]


def test_a_message_taken_by_another_worker_in_the_middle_of_a_batch_is_left_to_it():
    services.send_many(kind="alert", key="k", messages=rows("a@example.org", "b@example.org"))
    ids = list(Message.objects.order_by("pk").values_list("pk", flat=True))
    Message.objects.filter(pk=ids[1]).update(status=Message.Status.SENDING, claimed_at=timezone.now())
    services.deliver_many(ids + ids)
    assert dict(Message.objects.values_list("to", "status")) == {"a@example.org": "sent", "b@example.org": "sending"}
    assert [message.to[0] for message in mail.outbox] == ["a@example.org"]


def test_a_paced_fanout_is_due_a_batch_at_a_time_after_the_one_before(settings, django_capture_on_commit_callbacks):
    """PRESSROOM_OUTBOX_RATE, site-wide: each batch is due DELIVERY_BATCH /
    rate seconds after the one before, and its task waits until then; the
    next fan-out starts where the last one's window ends."""
    settings.PRESSROOM_OUTBOX_RATE = 100
    now = timezone.now()
    with (
        mock.patch.object(services, "DELIVERY_BATCH", 2),
        mock.patch.object(services, "enqueue_many") as enqueue,
        mock.patch("django.utils.timezone.now", return_value=now),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.send_many(kind="alert", key="k1", messages=rows(*(f"r{n}@example.org" for n in range(5))))
        services.send_many(kind="alert", key="k2", messages=rows("s@example.org"))
    due = dict(Message.objects.values_list("to", "due_at"))
    seconds = {to: round((due_at - now).total_seconds(), 6) for to, due_at in due.items()}
    assert seconds == {
        "r0@example.org": 0.0,
        "r1@example.org": 0.0,
        "r2@example.org": 0.02,
        "r3@example.org": 0.02,
        "r4@example.org": 0.04,
        "s@example.org": 0.05,
    }
    assert [(len(call.args[0]), call.kwargs["eta"]) for call in enqueue.call_args_list] == [
        (2, None),  # due now: no wait
        (2, due["r2@example.org"]),
        (1, due["r4@example.org"]),
        (1, due["s@example.org"]),
    ]


def test_a_paced_message_is_neither_sent_before_its_time_nor_swept_as_lost(settings):
    settings.PRESSROOM_OUTBOX_RATE = 1
    with mock.patch.object(services, "DELIVERY_BATCH", 1), mock.patch.object(services, "enqueue_many"):
        services.send_many(kind="alert", key="k", messages=rows("a@example.org", "b@example.org"))
    later = Message.objects.get(to="b@example.org")
    services.deliver_many([later.pk])  # its task run early, by a clock behind
    assert mail.outbox == []
    lease = timedelta(seconds=settings.PRESSROOM_OUTBOX_LEASE_SECONDS)
    assert not Message.objects.lost(now=later.due_at + lease / 2).filter(pk=later.pk).exists()
    assert Message.objects.lost(now=later.due_at + lease).filter(pk=later.pk).exists()


def test_a_paced_fanout_held_gives_its_time_back(settings):
    settings.PRESSROOM_OUTBOX_RATE = 1
    with mock.patch.object(services, "DELIVERY_BATCH", 1), mock.patch.object(services, "enqueue_many"):
        services.send_many(kind="alert", key="k1", messages=rows("a@example.org", "b@example.org", "c@example.org"))
        # c is due 2 s after a, and the next fan-out 3 s after a ...
        services.hold(Message.objects.filter(to__in=["b@example.org", "c@example.org"]))
        services.send_many(kind="alert", key="k2", messages=rows("d@example.org"))
    # ... but b and c were held: d comes right after a, which waits.
    due = dict(Message.objects.values_list("to", "due_at"))
    assert due["d@example.org"] - due["a@example.org"] == timedelta(seconds=1)
