"""The bounce reader (outbox/bounces.py): a Postfix DSN (RFC 3464), as it
lands in the Maildir of the sending address, marks the message it returns
bounced, once, and tells the alerts, which disable an address after
repeated hard bounces."""

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command

from alerts import services
from alerts.models import Subscriber
from outbox import services as outbox
from outbox.bounces import parse_dsn, read_maildir
from outbox.models import Message
from outbox.signals import message_bounced

pytestmark = pytest.mark.django_db

DSN = (Path(__file__).parent / "mail" / "postfix-bounce.eml").read_text()


def dsn(message, status="5.1.1"):
    return DSN.format(recipient=message.to, message_id=message.message_id, status=status).encode()


@pytest.fixture
def maildir(tmp_path):
    folder = mailbox.Maildir(tmp_path / "bounces", create=True)
    return folder, tmp_path / "bounces"


def sent(to="reader@example.org", key="release:1:published", kind="alert"):
    message = outbox.send(kind=kind, key=key, to=to, subject="The 88th session", text="Text")
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT)
    message.refresh_from_db()
    return message


@pytest.fixture
def bounces():
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    message_bounced.connect(receiver)
    yield heard
    message_bounced.disconnect(receiver)


def test_a_dsn_names_the_returned_message_and_whether_it_is_for_good():
    message = Message(to="reader@example.org", message_id="<abc@press.example.gov>")
    bounce = parse_dsn(dsn(message))
    assert (bounce.message_id, bounce.recipient, bounce.permanent) == (
        "<abc@press.example.gov>",
        "reader@example.org",
        True,
    )
    assert parse_dsn(dsn(message, status="4.2.2")).permanent is False


def test_mail_that_is_no_failure_report_is_no_bounce():
    reply = EmailMessage()
    reply["Subject"] = "Out of office"
    reply.set_content("Back on Monday.")
    assert parse_dsn(reply.as_bytes()) is None
    delayed = DSN.replace("Action: failed", "Action: delayed").format(
        recipient="r@example.org", message_id="<x@y>", status="4.4.1"
    )
    assert parse_dsn(delayed.encode()) is None


def test_reading_the_maildir_marks_the_message_bounced_once(maildir, bounces, django_capture_on_commit_callbacks):
    folder, path = maildir
    message = sent()
    folder.add(dsn(message))
    folder.add(b"Subject: hello\n\nNot a report.\n")
    with django_capture_on_commit_callbacks(execute=True):
        assert read_maildir(path) == (2, 1)
        # Read again, and the same report delivered twice: once all the same.
        assert read_maildir(path) == (0, 0)
        folder.add(dsn(message))
        assert read_maildir(path) == (1, 0)
    message.refresh_from_db()
    assert message.status == Message.Status.BOUNCED
    assert "5.1.1" in message.last_error
    assert bounces == [
        {
            "signal": message_bounced,
            "message_pk": message.pk,
            "kind": "alert",
            "key": "release:1:published",
            "to": "reader@example.org",
            "permanent": True,
        }
    ]


def test_the_command_reads_a_maildir(maildir, capsys):
    folder, path = maildir
    folder.add(dsn(sent()))
    call_command("read_bounces", str(path))
    assert "1 bounces recorded" in capsys.readouterr().out


def test_an_address_is_disabled_after_repeated_hard_bounces(maildir, settings, django_capture_on_commit_callbacks):
    settings.PRESSROOM_ALERTS_MAX_HARD_BOUNCES = 2
    folder, path = maildir
    subscription = services.subscribe(email="reader@example.org", language="en", frequency="immediately")
    services.confirm(subscription, "immediately")
    folder.add(dsn(sent(key="release:1:published"), status="4.2.2"))  # soft: not counted
    folder.add(dsn(sent(key="release:2:published")))
    with django_capture_on_commit_callbacks(execute=True):
        read_maildir(path)
    subscriber = Subscriber.objects.get()
    assert (subscriber.hard_bounces, subscriber.disabled_at) == (1, None)
    folder.add(dsn(sent(key="release:3:published")))
    with django_capture_on_commit_callbacks(execute=True):
        read_maildir(path)
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 2
    assert subscriber.disabled_at is not None


def test_hard_bounces_count_in_all_whatever_was_taken_between(maildir, settings, django_capture_on_commit_callbacks):
    settings.PRESSROOM_ALERTS_MAX_HARD_BOUNCES = 2
    folder, path = maildir
    subscription = services.subscribe(email="reader@example.org", language="en", frequency="immediately")
    services.confirm(subscription, "immediately")
    folder.add(dsn(sent(key="release:1:published")))
    sent(key="release:2:published")  # taken by the server, and not (yet) back
    folder.add(dsn(sent(key="release:3:published")))
    with django_capture_on_commit_callbacks(execute=True):
        read_maildir(path)
    assert Subscriber.objects.get().disabled_at is not None


def test_bounces_of_other_kinds_of_mail_leave_subscribers_alone(maildir, django_capture_on_commit_callbacks):
    folder, path = maildir
    subscription = services.subscribe(email="reader@example.org", language="en", frequency="immediately")
    services.confirm(subscription, "immediately")
    folder.add(dsn(sent(kind="workflow", key="workflow-event:1")))
    with django_capture_on_commit_callbacks(execute=True):
        read_maildir(path)
    assert Subscriber.objects.get().hard_bounces == 0
