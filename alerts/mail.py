"""The alerts' messages, rendered once for all their recipients: each
reader's own links (manage, unsubscribe) go in by replacing placeholders,
so a fan-out of 100,000 renders its templates once per batch, not per
reader. A link is letters, digits and `-_:/.`: nothing to escape."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from releases.addresses import absolute_media_url, absolute_url

MANAGE = "__PRESSROOM_MANAGE_URL__"
UNSUBSCRIBE = "__PRESSROOM_UNSUBSCRIBE_URL__"
# The rendition an e-mail shows: wide enough for a mail column, light.
PHOTO_WIDTH = 800


class Rendered:
    """Subject, text and HTML of one message, with the placeholders."""

    def __init__(self, subject, text, html):
        self.subject, self.text, self.html = subject, text, html

    def personal(self, *, to, manage_url, unsubscribe_url):
        """(to, subject, text, html, headers) for outbox.services.send_many,
        with RFC 8058's one-click unsubscribe."""
        fill = {MANAGE: manage_url, UNSUBSCRIBE: unsubscribe_url}

        def filled(body):
            for placeholder, url in fill.items():
                body = body.replace(placeholder, url)
            return body

        headers = {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        return to, self.subject, filled(self.text), filled(self.html), headers


def lead_photo(release):
    """(absolute address, alt text) of the photo a release leads with, or None;
    from lead_image_prefetch() when the release has it (the digest's items)."""
    images = release.lead_images if hasattr(release, "lead_images") else release.images.shown()[:1]
    image = next(iter(images), None)
    if image is None or not image.renditions:
        return None
    fitting = [rendition for rendition in image.renditions if rendition.width <= PHOTO_WIDTH] or image.renditions
    return absolute_media_url(fitting[-1].jpeg_url), image.alt_text


def render(template, subject_template, language, context):
    context = {
        **context,
        "manage_url": MANAGE,
        "unsubscribe_url": UNSUBSCRIBE,
        "site_url": absolute_url("/"),
    }
    with translation.override(language):
        context["agency_name"] = gettext(settings.PRESSROOM_AGENCY_NAME)
        subject = render_to_string(subject_template, context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return Rendered(subject, text, html)


def release_item(release, change_note=None):
    """What a mail says of one release: title, lead, photo, address, and the
    public change note when it is about one."""
    photo = lead_photo(release)
    return {
        "title": release.title,
        "lead": release.lead,
        "url": absolute_url(release.get_absolute_url()),
        "photo_url": photo[0] if photo else "",
        "photo_alt": photo[1] if photo else "",
        "published_at": release.published_at,
        "change_note": change_note.note if change_note else "",
    }


def alert(release, change_note=None):
    """The alert about `release`, or about its public change note."""
    return render(
        "alerts/email/alert",
        "alerts/email/alert_subject.txt",
        release.language,
        {"item": release_item(release, change_note), "correction": change_note is not None},
    )


def digest(items, *, language, day):
    """The daily digest of `items` (release_item()s), in `language`."""
    return render("alerts/email/digest", "alerts/email/digest_subject.txt", language, {"items": items, "day": day})
