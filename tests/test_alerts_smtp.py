"""Alerts over SMTP, to an aiosmtpd server started here: a scheduled release
at its time (not before), a major change with its public note, and the daily
digest, each as a reader's mail program gets it (HTML and plain text, the
lead photo, the one-click unsubscribe). Tasks run eagerly (the test
settings); tests/test_alerts_queue.py runs them on real workers."""

import email
import threading
from datetime import timedelta
from email import policy
from unittest import mock

import pytest
from django.utils import timezone

from alerts import sending, services
from alerts.models import Frequency
from releases.announcements import announce_due_releases
from releases.models import Release, ReleaseImage
from tests.pictures import prepared_image

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SMTP_PORT = 17186


class Mailbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def subjects(self):
        with self.lock:
            return [str(message["Subject"]) for message in self.messages]


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The role groups, which the transactional tests' flush empties."""
    from django.apps import apps

    from releases.roles import sync_roles

    sync_roles(apps)


@pytest.fixture
def mailbox(settings):
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    handler = Mailbox()
    controller = controller_module.Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    settings.SITE_URL = "https://press.example.gov"
    yield handler
    controller.stop()


def subscribe(frequency=Frequency.IMMEDIATELY, language="en"):
    subscription = services.subscribe(email="reader@example.org", language=language, frequency=frequency)
    return services.confirm(subscription, frequency)


def test_a_scheduled_release_arrives_at_its_time_with_its_photo(mailbox, make_release, editor):
    subscribe()
    announce_due_releases()
    release = make_release(status=Release.Status.DRAFT, title="The 88th session", lead="Held in Brussels.")
    photo = ReleaseImage(release=release, alt_text="The delegation in Brussels.", is_lead=True)
    photo.attach(prepared_image(size=(1200, 800)))
    photo.save()
    release.publish(user=editor, at=timezone.now() + timedelta(hours=1))
    with mock.patch("django.utils.timezone.now", return_value=release.published_at - timedelta(seconds=1)):
        announce_due_releases()
    assert mailbox.subjects() == ["Confirm your subscription to press releases"]
    with mock.patch("django.utils.timezone.now", return_value=release.published_at + timedelta(seconds=1)):
        announce_due_releases()
    assert mailbox.subjects()[1:] == ["The 88th session"]
    alert = mailbox.messages[1]
    html = alert.get_body(preferencelist=("html",)).get_content()
    assert 'alt="The delegation in Brussels."' in html
    assert "https://press.example.gov/media/images/" in html and "-800.jpg" in html
    assert "Held in Brussels." in alert.get_body(preferencelist=("plain",)).get_content()
    assert str(alert["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"


def test_a_major_change_arrives_with_its_note(mailbox, make_release, editor):
    subscribe(language="ru")
    release = make_release(status=Release.Status.DRAFT, language="ru", title="88-я сессия")
    release.publish(user=editor)
    release.add_change_note("Исправлена дата сессии.", user=editor)
    assert mailbox.subjects()[1:] == ["88-я сессия", "Изменено: 88-я сессия"]
    text = mailbox.messages[2].get_body(preferencelist=("plain",)).get_content()
    assert "Изменение: Исправлена дата сессии." in text


def test_the_daily_digest_arrives_once(mailbox, make_release, editor):
    subscribe(frequency=Frequency.DAILY, language="az")
    for title in ("Birinci", "İkinci"):
        make_release(status=Release.Status.DRAFT, language="az", title=title).publish(user=editor)
    assert len(mailbox.messages) == 1  # the confirmation: nothing at publication
    _day, _start, end = sending.digest_window(timezone.now() + timedelta(days=1))
    for minutes in (1, 16):
        with mock.patch("django.utils.timezone.now", return_value=end + timedelta(minutes=minutes)):
            sending.send_digests()
    assert len(mailbox.messages) == 2
    digest = mailbox.messages[1]
    assert "2 reliz" in str(digest["Subject"])
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "Birinci" in text and "İkinci" in text
    assert str(digest["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
