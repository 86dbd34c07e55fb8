"""An editor shares a scheduled release under embargo from its admin page; a
journalist without an account opens the address and reads it under the
embargo banner, which passes axe-core's WCAG 2.1 A and AA rules."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from releases.models import Release, ShareLink

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = [{"width": 1280, "height": 800}, {"width": 360, "height": 740}]


def test_editor_shares_a_scheduled_release_and_a_journalist_reads_it(sign_in, new_page, editor, make_release):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    release = make_release(
        title="The Chairman meets the WCO Secretary General",
        status=Release.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )
    page = sign_in(editor)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(reverse("admin:releases_release_change", args=[release.pk]))
    page.get_by_role("link", name="Share under embargo").click()
    page.get_by_label("Note").fill("For Reuters, Baku bureau")
    page.get_by_role("button", name="Save", exact=True).click()

    link = ShareLink.objects.get()
    address = page.get_by_label("Address of the share link")
    expect(address).to_have_value(f"{settings.SITE_URL}{link.get_absolute_url()}")
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()

    axe = Axe()
    for viewport in WIDTHS:
        journalist = new_page(viewport=viewport)
        response = journalist.goto(link.get_absolute_url())
        assert response.ok
        expect(journalist.get_by_role("heading", level=1)).to_have_text(release.title)
        expect(journalist.get_by_role("note")).to_contain_text("Embargoed until")
        results = axe.run(
            journalist, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
        )
        blocking = [v["id"] for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
        assert not blocking, blocking
        assert not journalist.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"), (
            "the share page scrolls sideways"
        )
    assert link.views.count() == len(WIDTHS)
