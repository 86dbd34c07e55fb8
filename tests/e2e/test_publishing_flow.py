"""The life of a release through the browser (issue 3, "Tests"): press staff
write it in the admin, an editor publishes it, a visitor finds it by a tag and
reads it. Only the people (users, roles) and the department are made in the
database directly; everything else goes through the pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_in_autocomplete

pytestmark = pytest.mark.browser

TITLE = "Azerbaijan Customs joins the WCO Green Customs initiative"
LEAD = "The State Customs Committee will share its experience of paperless transit."
PARAGRAPHS = [
    "The delegation presented the electronic transit system to the Policy Commission.",
    "Both sides agreed to exchange experts before the end of the year.",
]
BOLD = "exchange experts"
ADD_URL = "/admin/releases/release/add/"
CHANGELIST_URL = "/admin/releases/release/"


def action_names(page):
    """The actions the changelist offers; none when it shows no action menu."""
    return page.locator("select[name=action] option").all_inner_texts()


def write_release(page):
    page.goto(ADD_URL)
    page.get_by_label("Title:").fill(TITLE)
    page.get_by_label("Lead:").fill(LEAD)
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type(PARAGRAPHS[0])
    page.keyboard.press("Enter")
    before, bold, after = PARAGRAPHS[1].partition(BOLD)
    page.keyboard.type(before)
    page.keyboard.press("Control+B")
    page.keyboard.type(bold)
    page.keyboard.press("Control+B")
    page.keyboard.type(after)
    choose_in_autocomplete(page, "department", "Press", "Press and Public Relations Department")
    page.get_by_label("Tags:").press_sequentially("WCO,Green Customs,")
    expect(page.locator(".tag-chip span")).to_have_text(["WCO", "Green Customs"])
    page.get_by_role("button", name="Save draft", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("saved as a draft")


def publish_release(page):
    page.goto(CHANGELIST_URL)
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.locator(".workflow-steps").get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("is published: it is on the site now")


def test_release_written_by_press_staff_published_by_an_editor_is_found_and_read_by_a_visitor(
    sign_in, new_page, press_user, editor, department
):
    press = sign_in(press_user)
    write_release(press)
    press.goto(CHANGELIST_URL)
    row = press.locator("#result_list tbody tr", has_text=TITLE)
    expect(row).to_contain_text("Draft")
    expect(row.locator(".field-tag_list")).to_have_text("Green Customs, WCO")

    visitor = new_page()
    visitor.goto("/releases/")
    expect(visitor.get_by_role("link", name=TITLE, exact=True)).to_have_count(0)

    publish_release(sign_in(editor))

    visitor.goto("/releases/")
    card = visitor.locator("article.card", has=visitor.get_by_role("link", name=TITLE, exact=True))
    expect(card).to_contain_text(LEAD)
    card.get_by_role("link", name="Green Customs", exact=True).click()
    expect(visitor).to_have_url(re.compile(r"/releases/\?tag=green-customs$"))
    expect(visitor.locator(".chips .chip")).to_have_text(re.compile(r"Tag:\s*Green Customs"))
    expect(visitor.locator(".result-count")).to_contain_text("1 release")
    visitor.get_by_role("link", name=TITLE, exact=True).click()

    expect(visitor).to_have_url(re.compile(r"/releases/azerbaijan-customs-joins-the-wco-green-customs-initiative/$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator(".release .lead")).to_have_text(LEAD)
    expect(visitor.locator(".release .body p")).to_have_text(PARAGRAPHS)
    expect(visitor.locator(".release .body strong")).to_have_text(BOLD)
    expect(visitor.locator(".release-tags li")).to_have_text(["Green Customs", "WCO"])
    expect(visitor.locator(".release .meta")).to_contain_text("Press and Public Relations Department")


def test_press_staff_are_not_offered_the_publish_action(sign_in, press_user, editor, make_release):
    make_release(status="draft")
    press = sign_in(press_user)
    press.goto(CHANGELIST_URL)
    expect(press.locator("#result_list tbody tr")).to_have_count(1)
    assert "Publish selected releases" not in action_names(press)

    editor_page = sign_in(editor)
    editor_page.goto(CHANGELIST_URL)
    assert "Publish selected releases" in action_names(editor_page)


def test_slug_is_prefilled_with_azerbaijani_letters_transliterated(sign_in, press_user):
    page = sign_in(press_user)
    page.goto(ADD_URL)
    page.get_by_label("Title:").press_sequentially("Şahin Bağırov in Brussels")
    page.get_by_label("Title:").press("Tab")
    expect(page.get_by_label("Slug:")).to_have_value("shahin-baghirov-in-brussels")


def test_tag_field_suggests_existing_tags(sign_in, press_user, make_release):
    make_release(tags=["WCO", "Green Customs"])
    page = sign_in(press_user)
    page.goto(ADD_URL)
    page.get_by_label("Tags:").press_sequentially("WCO,gr")
    expect(page.locator(".tag-chip span")).to_have_text(["WCO"])
    # Tags already on the release are not suggested again.
    expect(page.locator("#id_tags_suggestions [role=option]")).to_have_text(["Green Customs"])
