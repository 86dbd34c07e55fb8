"""The benchmark of issue 16: an editor writes a release with two photos and
publishes it, as a person would, in Chromium; the test counts the clicks and
times the journey, and prints both:

    .venv/bin/python -m pytest tests/e2e/test_desk_benchmark.py -s -p no:randomly

Counting, the same before and after: a click on a button or link is one;
typing into a field costs the click that puts the cursor there; choosing a
file costs two (open the chooser, pick the file); a drop-down two (open it,
pick). Keys pressed as shortcuts count as keystrokes, typed text does not.
The seconds are the journey's wall-clock time under the script, which types
at once: the time the pages take, not a person's."""

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_in_autocomplete
from tests.pictures import image_bytes

pytestmark = pytest.mark.browser

TITLE = "Azerbaijan Customs hosts the regional Green Customs workshop"
LEAD = "Experts of nine customs administrations met in Baku."
BODY = "The workshop covered paperless transit and the exchange of data between borders."
PHOTOS = [("hall.jpg", "Delegates in the conference hall"), ("signing.jpg", "The chairmen sign the agreement")]


@pytest.fixture(autouse=True)
def media_served(settings):
    settings.ROOT_URLCONF = "tests.e2e.media_urls"


class Journey:
    """A page driven as a person would, counting what it costs."""

    def __init__(self, page):
        self.page, self.clicks, self.keystrokes = page, 0, 0

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def fill(self, locator, text):
        locator.click()
        locator.fill(text)
        self.clicks += 1

    def type(self, locator, text):
        locator.click()
        self.page.keyboard.type(text)
        self.clicks += 1

    def choose(self, field, search, choice):
        choose_in_autocomplete(self.page, field, search, choice)
        self.clicks += 3  # the field, its search box, the choice

    def upload(self, locator, name):
        locator.set_input_files({"name": name, "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", (1200, 800))})
        self.clicks += 2

    def select(self, locator, label):
        locator.select_option(label=label)
        self.clicks += 2

    def press(self, keys):
        self.page.keyboard.press(keys)
        self.keystrokes += 1


def write_release_with_two_photos(journey):
    page = journey.page
    journey.fill(page.get_by_label("Title:"), TITLE)
    journey.fill(page.get_by_label("Lead:"), LEAD)
    journey.type(page.locator(".field-body .ProseMirror[contenteditable=true]"), BODY)
    journey.choose("department", "Press", "Press and Public Relations Department")
    for row, (name, alt_text) in enumerate(PHOTOS):
        if row:
            journey.click(page.locator("#images-group .add-row a"))
        journey.upload(page.locator(f"input[name='images-{row}-upload']"), name)
        journey.fill(page.locator(f"input[name='images-{row}-alt_text']"), alt_text)


def publish(journey):
    """The one step that differs between the form of before and of after:
    the status drop-down and Save, or the workflow's Publish button."""
    page = journey.page
    publish_button = page.locator(".workflow-steps button[value=publish]")
    if publish_button.count():
        journey.click(publish_button)
    else:
        journey.select(page.get_by_label("Status:"), "Published")
        journey.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_an_editor_writes_a_release_with_two_photos_and_publishes_it(sign_in, new_page, editor, department):
    page = sign_in(editor)
    page.set_viewport_size({"width": 1280, "height": 800})
    journey = Journey(page)
    started = time.perf_counter()
    page.goto("/admin/releases/release/add/")
    write_release_with_two_photos(journey)
    publish(journey)
    seconds = time.perf_counter() - started

    from releases.models import Release

    release = Release.objects.get(title=TITLE)
    assert release.is_published
    assert release.images.count() == 2
    visitor = new_page()
    visitor.goto(release.get_absolute_url())
    expect(visitor.locator("h1")).to_have_text(TITLE)
    # Its photos' table fits the form at 1280 px (it was 1,810 px wide).
    page.goto(f"/admin/releases/release/{release.pk}/change/")
    photos = page.locator("#images-group")
    expect(photos.locator("img.media-thumbnail")).to_have_count(2)
    assert photos.evaluate("group => group.scrollWidth <= group.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    print(f"\nwrite a release with two photos and publish it: {journey.clicks} clicks, "
          f"{journey.keystrokes} keystrokes, {seconds:.1f} s")  # fmt: skip
