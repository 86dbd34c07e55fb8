"""A reader, in a browser, in each language: subscribes from a list page,
gets the confirmation over SMTP (an aiosmtpd server started here), confirms,
receives the alert of a release an editor publishes, and leaves in one
click, as a mail program does (RFC 8058) or from the mail's link."""

import email
import re
import threading
import time
from email import policy

import pytest
from playwright.sync_api import expect

from alerts.models import Subscriber
from releases.models import Release, Tag

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SMTP_PORT = 17185
WORDS = {
    "en": {"subscribe": "Subscribe", "confirm": "Confirm", "unsubscribe": "Unsubscribe", "sent": "Check your mailbox"},
    "az": {"subscribe": "Abunə ol", "confirm": "Təsdiqlə", "unsubscribe": "Abunəlikdən çıx", "sent": "Poçt qutunuzu"},
    "ru": {"subscribe": "Подписаться", "confirm": "Подтвердить", "unsubscribe": "Отписаться", "sent": "Проверьте"},
}


class Mailbox:
    """aiosmtpd's handler: every message accepted, parsed."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, subject, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [message for message in self.messages if subject in message["Subject"]]
            if found:
                return found[-1]
            time.sleep(0.05)
        pytest.fail(f"No message about {subject!r} arrived; got {[m['Subject'] for m in self.messages]}")


@pytest.fixture
def mailbox(settings, live_server):
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    handler = Mailbox()
    controller = controller_module.Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    settings.SITE_URL = live_server.url
    settings.PRESSROOM_ALERTS_PER_CLIENT = 0
    yield handler
    controller.stop()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link(pattern, message):
    return re.search(rf"http://\S+{pattern}\S+/", text_of(message)).group()


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_a_reader_subscribes_confirms_receives_and_leaves_in_one_click(
    language, mailbox, new_page, make_release, editor
):
    words = WORDS[language]
    prefix = "" if language == "en" else f"/{language}"
    wco = Tag.objects.create(name="WCO", slug="wco")
    make_release(language=language, tags=[wco], title="An earlier release")
    page = new_page()
    page.goto(f"{prefix}/releases/?tag=wco")
    page.locator("#alert-email").fill("reader@example.org")
    page.get_by_role("button", name=words["subscribe"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["sent"])

    confirmation = mailbox.wait_for("")
    assert confirmation["To"] == "reader@example.org"
    page.goto(link("/alerts/confirm/", confirmation))
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page).to_have_url(re.compile(r"/alerts/manage/.+\?confirmed=1$"))
    expect(page.locator("main")).to_contain_text("WCO")

    release = make_release(status=Release.Status.DRAFT, language=language, tags=[wco], title=f"Session {language}")
    release.publish(user=editor)
    alert = mailbox.wait_for(f"Session {language}")
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{prefix}/releases/{release.slug}/" in text_of(alert)
    assert alert.get_body(preferencelist=("html",)).get_content().count(release.slug) >= 1
    unsubscribe_url = re.search(r"<(\S+)>", str(alert["List-Unsubscribe"])).group(1)

    if language == "en":
        # From the mail's own link: a page, and its button.
        page.goto(link("/alerts/unsubscribe/", alert))
        page.get_by_role("button", name=words["unsubscribe"]).click()
    else:
        # As a mail program does it: a POST with no cookie and no token.
        response = page.request.post(unsubscribe_url, form={"List-Unsubscribe": "One-Click"})
        assert response.status == 200
    assert not Subscriber.objects.exists()
