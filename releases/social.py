"""How pages look when shared and in search results: the image a link
preview shows, the publisher's logo, the headline search engines take.

Every release page has an image to share: its lead photo (or first photo),
else its event's cover, else the office's image (PRESSROOM_SHARE_IMAGE).
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

from releases.addresses import absolute_media_url, absolute_static_url

# Google shows at most this many characters of a NewsArticle's headline.
HEADLINE_LENGTH = 110


@dataclass(frozen=True)
class SharedImage:
    url: str  # absolute
    alt: str
    width: int | None = None
    height: int | None = None
    content_type: str = ""


def of_stored_image(image):
    """A photo or cover (releases.models.media.StoredImage) as shared: its
    largest JPEG rendition, which every network reads."""
    largest = image.largest
    return SharedImage(
        absolute_media_url(largest.jpeg_url), image.alt_text, largest.width, largest.height, "image/jpeg"
    )


def site_image():
    """The office's image, for pages without one of their own."""
    return _static_image(settings.PRESSROOM_SHARE_IMAGE, gettext(settings.PRESSROOM_AGENCY_NAME))


def logo():
    """The publisher's logo."""
    return _static_image(settings.PRESSROOM_LOGO, gettext(settings.PRESSROOM_AGENCY_NAME))


def _static_image(path, alt):
    width, height, content_type = _static_image_size(path)
    return SharedImage(absolute_static_url(path), alt, width, height, content_type)


@lru_cache
def _static_image_size(path):
    """(width, height, content type) of a static image, read once from the
    file; (None, None, "") for an address elsewhere or a file not found."""
    found = finders.find(path)
    if not found:
        return None, None, ""
    try:
        with Image.open(found) as image:
            return image.width, image.height, Image.MIME.get(image.format, "")
    except (OSError, UnidentifiedImageError):
        return None, None, ""


def event_image(event):
    """An event's cover, or the office's image."""
    cover = _cover(event)
    return of_stored_image(cover) if cover is not None and cover.renditions else site_image()


def release_image(release, page_images):
    """What a release page shares: its first image (`page_images`, the lead
    first), else its event's cover, else the office's image."""
    if page_images:
        return of_stored_image(page_images[0])
    if release.event_id:
        return event_image(release.event)
    return site_image()


def _cover(event):
    try:
        return event.cover
    except ObjectDoesNotExist:
        return None


def headline(title):
    """`title` as a headline of at most HEADLINE_LENGTH characters: cut after
    a whole word, with an ellipsis, when longer."""
    if len(title) <= HEADLINE_LENGTH:
        return title
    cut = title[: HEADLINE_LENGTH - 1]  # and room for the ellipsis
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:—–-") + "…"
