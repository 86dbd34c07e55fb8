"""Photos through the browser (issue 5): an editor uploads a photo in the
release form and a visitor sees it, upright and in WebP, on the public page;
several photos uploaded at once become a gallery once they have their alt
text."""

import re

import pytest
from playwright.sync_api import expect

from tests.pictures import camera_exif, image_bytes

pytestmark = pytest.mark.browser

ALT_TEXT = "Chairman Shahin Baghirov speaks at the session"
CAPTION = "The 88th session of the WCO Policy Commission."
CREDIT = "SCC Press Service"


@pytest.fixture(autouse=True)
def media_served(settings):
    settings.ROOT_URLCONF = "tests.e2e.media_urls"


@pytest.fixture
def release(make_release):
    return make_release(title="Azerbaijan Customs at the WCO Policy Commission")


def photo(name, size=(1200, 900), **options):
    return {"name": name, "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", size, **options)}


def change_page(page, release):
    page.goto(f"/admin/releases/release/{release.pk}/change/")


def loaded(image):
    """Whether the browser has the image's pixels: width, height and the
    address of the candidate it chose."""
    return image.evaluate("img => img.complete && [img.naturalWidth, img.naturalHeight, img.currentSrc]")


def test_a_photo_uploaded_in_the_admin_is_shown_upright_on_the_public_page(sign_in, new_page, editor, release):
    page = sign_in(editor)
    change_page(page, release)
    # A portrait photo from a camera held upright: 1200 × 900 pixels to be turned.
    page.locator("input[name='images-0-upload']").set_input_files(photo("portrait.jpg", exif=camera_exif(6)))
    page.locator("input[name='images-0-alt_text']").fill(ALT_TEXT)
    page.locator("input[name='images-0-caption']").fill(CAPTION)
    page.locator("input[name='images-0-credit']").fill(CREDIT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("saved.")
    expect(page.locator("#images-0 img.media-thumbnail")).to_have_attribute("width", "80")

    visitor = new_page()
    visitor.goto(release.get_absolute_url())
    lead = visitor.locator("figure.lead-image img")
    expect(lead).to_have_attribute("alt", ALT_TEXT)
    expect(lead).to_have_attribute("width", "900")
    expect(lead).to_have_attribute("height", "1200")
    expect(visitor.locator("figure.lead-image figcaption")).to_have_text(f"{CAPTION} Photo: {CREDIT}")
    visitor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=lead.element_handle())
    width, height, source = loaded(lead)
    assert height > width
    assert source.endswith(".webp")


def test_several_photos_uploaded_at_once_become_the_gallery(sign_in, new_page, editor, release):
    page = sign_in(editor)
    change_page(page, release)
    page.get_by_label("Add several photos at once:").set_input_files(
        [photo("arrival.jpg"), photo("session.jpg", (1600, 1000)), photo("flags.jpg", (800, 800))]
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .warning")).to_contain_text("3 photos added: give each its alt text")
    expect(page.locator("#images-group img.media-thumbnail")).to_have_count(3)

    visitor = new_page()
    visitor.goto(release.get_absolute_url())
    expect(visitor.locator("picture")).to_have_count(0)

    for number, text in enumerate(["Arrival of the delegation", "The session", "Flags before the headquarters"]):
        page.locator(f"input[name='images-{number}-alt_text']").fill(text)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("saved.")

    visitor.goto(release.get_absolute_url())
    expect(visitor.locator("figure.lead-image img")).to_have_attribute("alt", "Arrival of the delegation")
    gallery = visitor.locator("section.gallery img")
    expect(gallery).to_have_count(2)
    expect(gallery.first).to_have_attribute("loading", "lazy")
    expect(gallery.first).to_have_attribute(
        "srcset", re.compile(r"-400\.jpg 400w, .*-800\.jpg 800w, .*-1600\.jpg 1600w$")
    )
    gallery.last.scroll_into_view_if_needed()
    visitor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=gallery.last.element_handle())
