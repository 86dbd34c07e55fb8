"""The review loop through the browser (issue 6, "Tests"): an author submits a
release, an editor sends it back with a comment, the author reads the
comment, fixes the release and submits it again, and the editor publishes it.
Only the people and the department are made in the database directly."""

import re

import pytest
from playwright.sync_api import expect

from releases.models import Release, WorkflowEvent
from tests.e2e.conftest import choose_in_autocomplete

pytestmark = pytest.mark.browser

TITLE = "Azerbaijan Customs at the 88th session of the WCO Policy Commission"
LEAD = "The session opened in Brussels."
FIXED_LEAD = "The session opened in Brussels on 19 June 2023."
PARAGRAPH = "The delegation presented the electronic transit system."
COMMENT = "Give the date of the session in the lead."
ADD_URL = "/admin/releases/release/add/"
CHANGELIST_URL = "/admin/releases/release/"


def submit_past_the_checklist(page):
    """Submit for review; the checklist asks first (no tag, no photo)."""
    page.get_by_role("button", name="Submit for review").click()
    page.locator("#checklist-dialog").get_by_role("button", name="Submit anyway").click()
    expect(page.locator(".messagelist .success")).to_contain_text("submitted for review")


def write_and_submit(page):
    """The author writes the release and sends it for review from the add form."""
    page.goto(ADD_URL)
    page.get_by_label("Title:").fill(TITLE)
    page.get_by_label("Lead:").fill(LEAD)
    page.locator(".field-body .ProseMirror[contenteditable=true]").click()
    page.keyboard.type(PARAGRAPH)
    choose_in_autocomplete(page, "department", "Press", "Press and Public Relations Department")
    submit_past_the_checklist(page)


def open_from_the_review_queue(page):
    """The editor follows the count on the admin index to the release."""
    page.goto("/admin/")
    page.get_by_role("link", name="1 release is waiting for review").click()
    page.locator("#result_list").get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_label("Title:")).to_have_value(TITLE)


def test_author_submits_editor_sends_back_author_fixes_and_resubmits_editor_publishes(
    sign_in, new_page, press_user, editor, department
):
    author = sign_in(press_user)
    write_and_submit(author)
    author.goto(CHANGELIST_URL)
    row = author.locator("#result_list tbody tr", has_text=TITLE)
    expect(row.locator(".field-status_label")).to_have_text("In review")
    author.locator("#result_list").get_by_role("link", name=TITLE, exact=True).click()
    change_url = author.url

    # The editor opens it while the author still has it open, and sees so.
    reviewer = sign_in(editor)
    open_from_the_review_queue(reviewer)
    expect(reviewer.locator("#release-editors")).to_have_text("Also editing this release now: press")

    # Sent back, with a comment: the form insists on one.
    reviewer.get_by_role("button", name="Send back…").click()
    reviewer.locator("#step-send_back").get_by_role("button", name="Send back").click()
    dialog = reviewer.locator("#step-send_back")
    expect(dialog.locator(".errorlist")).to_contain_text("Tell the author what to change.")
    dialog.get_by_label("Comment for the author:").fill(COMMENT)
    dialog.get_by_role("button", name="Send back").click()
    expect(reviewer.locator(".messagelist .success")).to_contain_text("sent back with your comment")

    # The author sees the comment, fixes the lead and submits again.
    author.goto(change_url)
    note = author.locator(".review-comment")
    expect(note).to_contain_text(re.compile(r"Sent back by editor on .+:"))
    expect(note).to_contain_text(COMMENT)
    expect(author.locator(".workflow-steps button[type=submit]")).to_have_text(["Save draft", "Submit for review"])
    author.get_by_label("Lead:").fill(FIXED_LEAD)
    submit_past_the_checklist(author)
    author.goto(change_url)
    expect(author.locator(".review-comment")).to_have_count(0)

    # The editor publishes it with the list's action.
    reviewer.goto(CHANGELIST_URL + "?status__exact=in_review")
    reviewer.locator("#result_list tbody tr", has_text=TITLE).locator("input.action-select").check()
    reviewer.locator("select[name=action]").select_option(label="Publish selected releases")
    reviewer.get_by_role("button", name="Go", exact=True).click()
    expect(reviewer.locator(".messagelist .success")).to_contain_text("1 release changed.")
    reviewer.goto(CHANGELIST_URL)
    row = reviewer.locator("#result_list tbody tr", has_text=TITLE)
    expect(row.locator(".field-status_label")).to_have_text("Published")

    release = Release.objects.get()
    visitor = new_page()
    visitor.goto(release.get_absolute_url())
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator(".release .lead")).to_have_text(FIXED_LEAD)
    assert list(release.workflow_events.order_by("created_at", "id").values_list("action", "actor__username")) == [
        (WorkflowEvent.Action.SUBMITTED, "press"),
        (WorkflowEvent.Action.SENT_BACK, "editor"),
        (WorkflowEvent.Action.SUBMITTED, "press"),
        (WorkflowEvent.Action.PUBLISHED, "editor"),
    ]
    assert release.workflow_events.get(action=WorkflowEvent.Action.SENT_BACK).comment == COMMENT
