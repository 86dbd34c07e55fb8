"""The journey of issue 18 in a browser: an editor imports media contacts
from CSV, builds a list, sends a scheduled release under embargo; two
journalists open their own links from browsers of their own and each view
is attributed to them; one link is revoked and refused while the other
works; the release goes public at its time and both links lead to it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outbox.models import Message
from releases.models import AnnouncementMarker, Release
from releases.tasks import announce_due_releases
from tests.e2e.conftest import choose_in_autocomplete

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

CONTACTS = (
    "name,email,outlet,language,tags\n"
    "Aysel Mammadova,aysel@example.az,APA,az,customs\n"
    "John Smith,john@example.com,Reuters,en,customs\n"
)


def link_in_mail(address):
    text = Message.objects.get(kind="distribution", to=address, key__startswith="embargo:").text
    return re.search(r"https?://\S+/share/\S+/", text).group(0)


def test_import_list_send_trace_revoke_and_publish(sign_in, new_page, editor, make_release, live_server, settings):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url
    embargo = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    release = make_release(title="Customs talks in Brussels", status=Release.Status.PUBLISHED, published_at=embargo)
    make_release(
        title="Brüsseldə gömrük danışıqları",
        language="az",
        translation_key=release.translation_key,
        status=Release.Status.PUBLISHED,
        published_at=embargo,
    )
    page = sign_in(editor)

    # Import the contacts.
    page.goto(reverse("admin:distribution_mediacontact_changelist"))
    page.get_by_role("link", name="Import from CSV").click()
    page.get_by_label("CSV file").set_input_files(
        {"name": "contacts.csv", "mimeType": "text/csv", "buffer": CONTACTS.encode()}
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messagelist")).to_contain_text("Imported: 2 new contacts")

    # A list by a saved rule: everyone who covers customs.
    page.goto(reverse("admin:distribution_medialist_add"))
    page.get_by_label("Name").fill("Customs reporters")
    choose_in_autocomplete(page, "rule_tags", "customs", "customs")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Customs reporters")

    # Send under embargo, after the preview.
    page.goto(reverse("admin:releases_release_change", args=[release.pk]))
    page.get_by_role("link", name="Send to journalists").click()
    page.get_by_label("Customs reporters").check()
    page.get_by_role("button", name="Preview recipients").click()
    preview = page.locator("#send-preview")
    expect(preview).to_contain_text("Aysel Mammadova")
    expect(preview).to_contain_text("John Smith")
    page.get_by_role("button", name="Send to 2 recipients").click()
    expect(page.locator(".messagelist")).to_contain_text("Sent under embargo to 2 recipients")

    # Each journalist opens their own link, in a browser of their own.
    aysel = new_page(user_agent="AyselBrowser/1.0")
    john = new_page(user_agent="JohnBrowser/2.0")
    aysel_link, john_link = link_in_mail("aysel@example.az"), link_in_mail("john@example.com")
    assert aysel_link != john_link
    assert aysel.goto(aysel_link).ok
    expect(aysel.get_by_role("heading", level=1)).to_have_text("Brüsseldə gömrük danışıqları")
    assert john.goto(john_link).ok
    expect(john.get_by_role("heading", level=1)).to_have_text("Customs talks in Brussels")

    page.reload()
    aysel_row = page.locator("tr", has_text="aysel@example.az")
    john_row = page.locator("tr", has_text="john@example.com")
    expect(aysel_row.locator(".tracing-views")).to_have_text("1")
    expect(aysel_row.locator(".tracing-seen")).to_contain_text("AyselBrowser/1.0")
    expect(aysel_row.locator(".tracing-seen")).not_to_contain_text("JohnBrowser")
    expect(john_row.locator(".tracing-seen")).to_contain_text("JohnBrowser/2.0")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]})
    blocking = [v["id"] for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not blocking, blocking

    # Revoke Aysel's link: refused; John's still works.
    page.get_by_role("button", name="Revoke the link of Aysel Mammadova").click()
    expect(page.locator(".messagelist")).to_contain_text("1 link revoked")
    assert aysel.goto(aysel_link).status == 404
    assert john.goto(john_link).ok

    # The embargo's time comes: the clock's task announces the release.
    AnnouncementMarker.objects.update_or_create(
        pk=1, defaults={"announced_up_to": timezone.now() - timedelta(minutes=1)}
    )
    Release.objects.filter(translation_key=release.translation_key).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    announce_due_releases()
    for journalist, link, version in [(aysel, aysel_link, "az"), (john, john_link, "en")]:
        response = journalist.goto(link)
        assert response.ok
        public = Release.objects.get(translation_key=release.translation_key, language=version)
        assert journalist.url.endswith(public.get_absolute_url())
    # John asked for the "now public" mail; Aysel's link was revoked.
    assert list(Message.objects.filter(key__startswith="public:").values_list("to", flat=True)) == ["john@example.com"]
