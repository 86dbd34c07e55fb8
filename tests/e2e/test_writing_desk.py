"""The release form as a writing desk (issue 16), gone through as people
would, at desktop and at phone width: press staff write and tag a release
from the keyboard, lose nothing when they leave or close the tab, and submit
it past the checklist; an editor sends it back, schedules it and withdraws
it with the workflow's buttons, and watches the live preview. axe-core finds
no serious or critical violation on the form."""

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from releases.admin.presence import report_presence
from releases.models import Release, Tag
from tests.e2e.conftest import choose_in_autocomplete
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, WCAG_21_AA, WIDTHS, describe

pytestmark = pytest.mark.browser

ADD_URL = "/admin/releases/release/add/"
TITLE = "Azerbaijan Customs at the Green Customs workshop"
LONG_TITLE = "The State Customs Committee of Azerbaijan at the 88th session of the Policy Commission of the WCO"


def change_url(release):
    return f"/admin/releases/release/{release.pk}/change/"


def step_buttons(page):
    return page.locator(".workflow-steps button[type=submit]").all_inner_texts()


def assert_accessible(page, where):
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    page.wait_for_timeout(1100)  # the form's script names the admin's widgets each second
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    blocking = [describe(where, v) for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "\n".join(blocking)
    scrolls = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not scrolls, f"{where} scrolls sideways"


@pytest.mark.parametrize("width", WIDTHS)
def test_press_staff_write_tag_and_submit_a_release_without_losing_work(
    new_page, press_user, editor, make_release, department, width
):
    make_release(title="An earlier release", tags=["Green Customs", "WCO"])
    Tag.objects.create(name="Gre")  # an orphan, left by a typing slip
    page = new_page(viewport=WIDTHS[width])
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("press")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    page.goto(ADD_URL)

    # Only the steps press staff may take.
    assert step_buttons(page) == ["Save draft", "Submit for review"]
    # The body starts several lines tall, spell-checked, its menu's arrow drawn
    # (no glyph that Debian's fonts lack).
    body = page.locator(".field-body .ProseMirror[contenteditable=true]")
    assert body.bounding_box()["height"] >= 150
    assert body.get_attribute("spellcheck") != "false"
    arrow = page.locator(".field-body .prose-menubar__selected").first
    assert arrow.evaluate("e => getComputedStyle(e, '::after').content") == '""'
    page.get_by_label("Title:").fill(TITLE)
    # The slug in full, and the address it makes.
    page.get_by_label("Title:").press("Tab")
    expect(page.locator("#slug-address")).to_have_text(
        re.compile(r"Address: http://\S+/releases/azerbaijan-customs-at-the-green-customs-workshop/$")
    )
    page.get_by_label("Lead:").fill("Experts of nine customs administrations met in Baku.")
    page.locator(".field-body .ProseMirror[contenteditable=true]").click()
    # Typed, then the rest pasted: each keystroke of 150 words costs the test seconds.
    page.keyboard.type("The workshop covered paperless transit ")
    page.keyboard.insert_text("The workshop covered paperless transit " * 29)
    expect(page.locator("[data-word-count]")).to_contain_text("150 words · about 1 min to read")
    choose_in_autocomplete(page, "department", "Press", "Press and Public Relations Department")

    # Tags from the keyboard: Enter takes the highlighted tag in use, never the form.
    tags = page.get_by_label("Tags:")
    tags.press_sequentially("gre")
    expect(page.locator("#id_tags_suggestions [role=option]")).to_have_text(["Green Customs"])
    tags.press("Enter")
    expect(page).to_have_url(re.compile(r"/add/$"))
    tags.press_sequentially("Brussels,")
    expect(page.locator(".tag-chip span")).to_have_text(["Green Customs", "Brussels"])
    page.get_by_role("button", name="Remove the tag Brussels").click()
    expect(page.locator(".tag-chip span")).to_have_text(["Green Customs"])
    tags.press_sequentially("Sess")  # half typed, never accepted
    expect(page.locator(".tag-pending")).to_contain_text("“Sess” is not a tag yet")
    page.keyboard.press("Escape")

    # Ctrl+S saves the draft.
    page.keyboard.press("Control+S")
    expect(page.locator(".messagelist .success")).to_have_text(f"“{TITLE}” saved as a draft.")
    release = Release.objects.get(title=TITLE)
    assert release.status == Release.Status.DRAFT
    assert sorted(release.tags.names()) == ["Green Customs"]
    assert not Tag.objects.filter(name="Sess").exists()
    assert_accessible(page, f"release form ({width})")

    # Leaving a changed form by a link of the admin asks first.
    page.get_by_label("Title:").fill(f"{TITLE} in Baku")
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Releases", exact=True).click()
    leave = page.locator("#leave-dialog")
    expect(leave).to_be_visible()
    leave.get_by_role("button", name="Stay").click()
    expect(page.get_by_label("Title:")).to_have_value(f"{TITLE} in Baku")

    # The tab closed unsaved: the text comes back on the next visit.
    page.wait_for_timeout(700)  # the autosave's pause after typing
    context = page.context
    page.close()
    page = context.new_page()
    page.goto(change_url(release))
    expect(page.get_by_label("Title:")).to_have_value(TITLE)
    page.get_by_role("button", name="Restore your unsaved changes").click()
    expect(page.get_by_label("Title:")).to_have_value(f"{TITLE} in Baku")

    # Submitting shows what the checklist misses first.
    page.get_by_role("button", name="Submit for review").click()
    checklist = page.locator("#checklist-dialog")
    expect(checklist.locator("li")).to_have_text(["A lead photo with alt text"])
    checklist.get_by_role("button", name="Submit anyway").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        f"“{TITLE} in Baku” submitted for review; the editors have been told."
    )
    release.refresh_from_db()
    assert release.status == Release.Status.IN_REVIEW
    # Saved: the kept copy is gone, nothing is offered on the next visit.
    page.goto(change_url(release))
    page.wait_for_load_state("load")
    expect(page.locator("[data-autosave-banner]")).to_be_hidden()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_sends_back_schedules_and_withdraws_with_the_workflow_buttons(
    sign_in, new_page, editor, press_user, make_release, width
):
    release = make_release(title=LONG_TITLE, status=Release.Status.IN_REVIEW, author=press_user, tags=["WCO"])
    page = sign_in(editor)
    page.set_viewport_size(WIDTHS[width])
    page.goto(change_url(release))
    assert step_buttons(page) == ["Save", "Send back…", "Publish", "Schedule…"]
    # The tools above the form never cover the title.
    title, tools = page.locator("#content h2").first.bounding_box(), page.locator(".object-tools").bounding_box()
    assert tools["y"] >= title["y"] + title["height"]

    # Someone else has it open; once they leave, they are gone at once.
    press = sign_in(press_user)
    press.goto(change_url(release))
    expect(press.locator("#release-editors")).to_contain_text("editor")
    press.goto("/admin/")
    deadline = time.monotonic() + 5
    while "press" in report_presence(release.pk, editor) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "press" not in report_presence(release.pk, editor)

    # The live preview shows the form as it is, at phone width too.
    page.get_by_role("button", name="Preview").click()
    frame = page.frame_locator("#live-preview iframe")
    expect(frame.locator("h1")).to_have_text(LONG_TITLE)
    page.get_by_label("Title:").fill(f"{TITLE}, revised")
    expect(frame.locator("h1")).to_have_text(f"{TITLE}, revised")
    page.locator("#live-preview").get_by_role("button", name="Phone").click()
    expect(page.locator("#live-preview iframe")).to_have_css("width", "360px")
    page.get_by_role("button", name="Close preview").click()

    page.get_by_role("button", name="Send back…").click()
    dialog = page.locator("#step-send_back")
    dialog.get_by_label("Comment for the author:").fill("Name the nine administrations.")
    dialog.get_by_role("button", name="Send back").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        f"“{TITLE}, revised” sent back with your comment; the author has been told."
    )
    page.goto(change_url(release))
    assert step_buttons(page) == ["Save draft", "Submit for review", "Publish", "Schedule…"]

    page.get_by_role("button", name="Schedule…").click()
    dialog = page.locator("#step-schedule")
    dialog.get_by_label("Publish at (Baku):").fill("2030-06-25T11:00")
    dialog.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        "Scheduled for 25 June 2030 11:00 (Baku); the author has been told."
    )
    release.refresh_from_db()
    assert release.is_scheduled
    page.goto(change_url(release))
    assert step_buttons(page) == ["Save", "Unschedule", "Withdraw…"]
    assert_accessible(page, f"scheduled release form ({width})")

    page.get_by_role("button", name="Withdraw…").click()
    dialog = page.locator("#step-withdraw")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Withdraw").click()  # no reason given
    dialog = page.locator("#step-withdraw")
    expect(dialog).to_be_visible()  # back with the form's error, in the dialog
    expect(dialog.locator(".errorlist")).to_contain_text("Give the reason")
    dialog.get_by_label("Reason for withdrawal:").fill("Issued in error.")
    dialog.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".messagelist .success")).to_contain_text("withdrawn: it has left the lists")
    release.refresh_from_db()
    assert release.status == Release.Status.WITHDRAWN
    assert release.withdrawal_reason == "Issued in error."


SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.skipif(
    not os.environ.get("PRESSROOM_SCREENSHOTS"), reason="retakes the README's screenshots: PRESSROOM_SCREENSHOTS=1"
)
def test_take_the_readme_screenshots_of_the_writing_desk(sign_in, editor, press_user, make_release, delegation):
    release = make_release(
        title=LONG_TITLE,
        status=Release.Status.IN_REVIEW,
        author=press_user,
        tags=["WCO", "Policy Commission"],
        lead="The delegation presented the electronic transit system in Brussels.",
        body="<p>The 88th session of the Policy Commission opened on 19 June.</p>" * 4,
    )
    page = sign_in(editor)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(change_url(release))
    expect(page.locator(".workflow-steps")).to_be_visible()
    page.wait_for_timeout(1200)  # the word count and the checklist
    page.screenshot(path=SCREENSHOTS / "desk-form-desktop.png")
    page.get_by_role("button", name="Preview").click()
    expect(page.frame_locator("#live-preview iframe").locator("h1")).to_have_text(LONG_TITLE)
    page.screenshot(path=SCREENSHOTS / "desk-preview-desktop.png")
    page.locator("#live-preview").get_by_role("button", name="Phone").click()
    page.wait_for_timeout(500)
    page.screenshot(path=SCREENSHOTS / "desk-preview-phone-width.png")
    page.get_by_role("button", name="Close preview").click()
    page.get_by_role("button", name="Schedule…").click()
    page.screenshot(path=SCREENSHOTS / "desk-schedule-dialog.png")
    phone = sign_in(press_user)
    phone.set_viewport_size(WIDTHS["phone"])
    phone.goto(ADD_URL)
    phone.get_by_label("Tags:").press_sequentially("WC")
    expect(phone.locator("#id_tags_suggestions [role=option]")).to_have_text(["WCO"])
    phone.screenshot(path=SCREENSHOTS / "desk-form-phone.png")
