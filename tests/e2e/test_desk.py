"""The desk and the work around the form, through the browser (issue 16), at
desktop and phone width: the admin's home as each person's dashboard, a
translation that starts with its media, press staff removing a wrong
upload, one Role choice and a sign-in page that says when an account has no
access. axe-core finds no serious or critical violation on the new pages.

With PRESSROOM_SCREENSHOTS=1 the desk test also retakes the README's
screenshots of the desk (docs/screenshots/desk-*.png)."""

import io
import os
import warnings
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from releases.documents import prepare_document
from releases.models import Release, ReleaseDocument, ReleaseImage
from releases.roles import Role
from tests.e2e.conftest import PASSWORD
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, WCAG_21_AA, WIDTHS, describe
from tests.pictures import minimal_pdf, prepared_image, upload

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
COMMENT = "Give the date of the session in the lead."


def check_accessibility(page, width, part=None):
    """No serious or critical axe violation, and no sideways scrolling: of
    the page, or of `part` of it (a CSS selector) where the rest is not
    this issue's (the release form's gallery, another engineer's)."""
    from axe_playwright_python.sync_playwright import Axe

    path = page.url
    if part is None:
        overflows = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    else:
        overflows = page.locator(part).first.evaluate("element => element.scrollWidth > element.clientWidth")
    assert not overflows, f"{path} {part or ''} scrolls sideways at {width} width"
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=part, options=options)
    blocking = [describe(path, v) for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            warnings.warn(f"{width}: {describe(path, violation)}", stacklevel=1)
    assert not blocking, "\n".join(blocking)


def sign_in_at(new_page, user, width):
    page = new_page(viewport=WIDTHS[width])
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def save(page):
    """The release form's Save (the workflow's buttons), or any other form's."""
    page.locator("[data-save-draft], [name=_save]").first.click()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_desk_leads_each_person_to_their_work(new_page, press_user, editor, width):
    call_command("load_demo", stdout=io.StringIO())
    department = Release.objects.first().department
    now = timezone.now()
    sent_back = Release.objects.create(
        title="Customs officers trained in risk analysis", department=department, author=press_user
    )
    sent_back.submit(user=press_user)
    sent_back.send_back(user=editor, comment=COMMENT)
    Release.objects.create(title="New border post opens at Astara", department=department, author=press_user)
    waiting = Release.objects.create(
        title="Electronic declarations pass one million", department=department, author=press_user
    )
    waiting.submit(user=press_user)
    Release.objects.create(
        title="Chairman to visit Tbilisi",
        department=department,
        author=editor,
        status=Release.Status.PUBLISHED,
        published_at=now + timedelta(days=2),
    )

    page = sign_in_at(new_page, press_user, width)
    desk = page.locator("#desk")
    sent_back_section = desk.locator(".desk-sent-back")
    expect(sent_back_section).to_contain_text("Customs officers trained in risk analysis")
    expect(sent_back_section).to_contain_text(COMMENT)
    expect(desk.locator(".desk-drafts")).to_contain_text("New border post opens at Astara")
    expect(desk.locator(".desk-review")).to_contain_text("Electronic declarations pass one million")
    expect(desk.locator(".desk-scheduled")).to_contain_text("Times in Asia/Baku")
    expect(desk.locator(".desk-scheduled")).to_contain_text("Chairman to visit Tbilisi")
    expect(desk.locator(".desk-translations .desk-translate").first).to_be_visible()
    check_accessibility(page, width)
    if os.environ.get("PRESSROOM_SCREENSHOTS"):
        page.screenshot(path=SCREENSHOTS / f"desk-{width}.png", full_page=True)

    # One click to the release, and one to the whole list.
    sent_back_section.get_by_role("link", name="Customs officers trained in risk analysis").click()
    expect(page.locator(".review-comment")).to_contain_text(COMMENT)
    page.go_back()
    page.locator(".desk-scheduled").get_by_role("link", name="All in the release list").click()
    expect(page.locator("#result_list")).to_contain_text("Chairman to visit Tbilisi")
    expect(page.locator("#result_list")).not_to_contain_text("New border post opens at Astara")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_translation_starts_with_the_photos_and_flags_their_text(
    new_page, press_user, make_release, django_capture_on_commit_callbacks, width
):
    english = make_release(title="The 88th session of the WCO Policy Commission", tags=["WCO"])
    with django_capture_on_commit_callbacks(execute=True):
        image = ReleaseImage(release=english, alt_text="The delegation in Brussels.", caption="At WCO headquarters.")
        image.attach(prepared_image())
        image.save()
    page = sign_in_at(new_page, press_user, width)
    page.goto(f"/admin/releases/release/{english.pk}/change/")
    page.get_by_role("link", name="Translate into Azerbaijani").click()
    carry = page.get_by_label("Carry the 1 photo of the English version")
    expect(carry).to_be_checked()
    expect(page.locator(".translation-source")).to_contain_text("The delegation in Brussels.")
    expect(page.locator("#id_tags")).to_have_value("WCO")
    check_accessibility(page, width, part=".translation-source")
    check_accessibility(page, width, part=".field-carry_photos")
    page.get_by_label("Title:").fill("ÜGT Siyasət Komissiyasının 88-ci sessiyası")
    save(page)
    page.locator(".messagelist .success").first.wait_for()
    translation = Release.objects.get(language="az")
    page.goto(f"/admin/releases/release/{translation.pk}/change/")

    flag = page.locator(".needs-translation").first
    expect(flag).to_contain_text("The original: “The delegation in Brussels.”")
    expect(page.locator(".messagelist .warning").first).to_contain_text("still need")
    page.locator("#id_images-0-alt_text").fill("Nümayəndə heyəti Brüsseldə.")
    page.locator("#id_images-0-caption").fill("ÜGT-nin qərargahında.")
    save(page)
    page.locator(".messagelist .success").first.wait_for()
    page.goto(f"/admin/releases/release/{translation.pk}/change/")
    expect(page.locator(".needs-translation")).to_have_count(0)
    assert translation.images.get().file.name == image.file.name


@pytest.mark.parametrize("width", WIDTHS)
def test_press_staff_remove_a_wrong_upload_of_their_draft(
    new_page, press_user, make_release, django_capture_on_commit_callbacks, width
):
    draft = make_release(status=Release.Status.DRAFT, author=press_user, title="A draft with a wrong photo")
    with django_capture_on_commit_callbacks(execute=True):
        image = ReleaseImage(release=draft, alt_text="The wrong photo.")
        image.attach(prepared_image())
        image.save()
        document = ReleaseDocument(release=draft, title="The wrong agenda")
        document.attach(prepare_document(upload(minimal_pdf(), "agenda.pdf", "application/pdf")))
        document.save()
    page = sign_in_at(new_page, press_user, width)
    page.goto(f"/admin/releases/release/{draft.pk}/change/")
    page.locator("#id_images-0-DELETE").check()
    page.locator("#id_documents-0-DELETE").check()
    save(page)
    page.locator(".messagelist .success").first.wait_for()
    assert not ReleaseImage.objects.filter(release=draft).exists()
    assert not ReleaseDocument.objects.filter(release=draft).exists()


@pytest.mark.parametrize("width", WIDTHS)
def test_one_role_choice_gives_access_and_the_sign_in_says_when_there_is_none(
    new_page, administrator, django_user_model, width
):
    django_user_model.objects.create_user("newcomer", "newcomer@example.com", PASSWORD)

    # Without a role: the right password, and a plain answer.
    visitor = new_page(viewport=WIDTHS[width])
    visitor.goto("/admin/login/")
    visitor.get_by_label("Username").fill("newcomer")
    visitor.get_by_label("Password").fill(PASSWORD)
    visitor.get_by_role("button", name="Log in").click()
    expect(visitor.locator(".errornote")).to_contain_text("this account has no access to the admin")
    check_accessibility(visitor, width)

    page = sign_in_at(new_page, administrator, width)
    page.goto("/admin/auth/user/")
    page.get_by_role("link", name="newcomer").click()
    page.get_by_label("Role:").select_option(label="Press staff")
    check_accessibility(page, width)
    save(page)
    expect(page.locator(".messagelist .success").first).to_be_visible()
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.is_staff and list(newcomer.groups.values_list("name", flat=True)) == ["Press staff"]

    visitor.get_by_label("Password").fill(PASSWORD)
    visitor.get_by_role("button", name="Log in").click()
    visitor.wait_for_url("**/admin/")
    expect(visitor.locator("#desk")).to_be_visible()
    assert Role.PRESS_STAFF.label == "Press staff"
