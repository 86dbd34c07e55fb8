"""What the journalists receive, each in their own language: the embargoed
release with their own link, the "now public" notice, the notice that a
release will not come out as announced, and corrections. Every mail goes
through the outbox (kind "distribution"), one row per recipient and
occasion, so that nothing is sent twice."""

from zoneinfo import ZoneInfo

from django.utils import formats, translation
from django.utils.translation import gettext

from outbox import services as outbox
from releases.addresses import absolute_url

KIND = "distribution"
BAKU = ZoneInfo("Asia/Baku")
UTC = ZoneInfo("UTC")


def language_name(code):
    return translation.get_language_info(code)["name_local"]


def embargo_times(moment):
    """The embargo in Baku time and in UTC, formatted in the active language."""
    return (
        formats.date_format(moment.astimezone(BAKU), "DATETIME_FORMAT"),
        formats.date_format(moment.astimezone(UTC), "DATETIME_FORMAT"),
    )


def _send(recipient, key, subject, text):
    return outbox.send(kind=KIND, key=f"{key}:{recipient.pk}", to=recipient.contact.email, subject=subject, text=text)


def embargoed_release(recipient, *, embargo_until):
    """The release under embargo with the recipient's own link."""
    contact, release = recipient.contact, recipient.release
    with translation.override(contact.language):
        baku, utc = embargo_times(embargo_until)
        lines = [
            gettext("Dear %(name)s,") % {"name": contact.name},
            "",
            gettext("Under embargo until %(baku)s Baku time (%(utc)s UTC): do not publish it before then.")
            % {"baku": baku, "utc": utc},
            "",
            release.title,
            "",
        ]
        if release.lead:
            lines += [release.lead, ""]
        if recipient.fell_back:
            lines += [
                gettext("This release has no version in %(yours)s: this is the %(sent)s version.")
                % {"yours": language_name(contact.language), "sent": language_name(release.language)},
                "",
            ]
        lines += [
            gettext("Read it at your personal address, made for you alone; please do not pass it on:"),
            absolute_url(recipient.share_link.get_absolute_url()),
        ]
        subject = gettext("Under embargo until %(baku)s: %(title)s") % {"baku": baku, "title": release.title}
        return _send(recipient, "embargo", subject, "\n".join(lines))


def now_public(recipient):
    """The embargo is over: the release's public address."""
    contact, release = recipient.contact, recipient.release
    with translation.override(contact.language):
        subject = gettext("Now public: %(title)s") % {"title": release.title}
        text = "\n".join(
            [
                gettext("Dear %(name)s,") % {"name": contact.name},
                "",
                gettext("The embargo is over: “%(title)s” is public now.") % {"title": release.title},
                absolute_url(release.get_absolute_url()),
            ]
        )
        return _send(recipient, "public", subject, text)


def stop_notice_text(language, *, title):
    """The prepared text of the notice that a release sent under embargo will
    not come out as announced, in `language`: the editor may change it."""
    with translation.override(language):
        return gettext(
            "The release “%(title)s”, sent to you under embargo, will not be published as announced. "
            "Your link no longer works. Please do not publish anything of it."
        ) % {"title": title}


def stop_notice(recipient, *, occasion, text):
    contact, release = recipient.contact, recipient.release
    with translation.override(contact.language):
        subject = gettext("Not to be published: %(title)s") % {"title": release.title}
        body = "\n".join([gettext("Dear %(name)s,") % {"name": contact.name}, "", text])
        return _send(recipient, f"stopped:{occasion}", subject, body)


def correction(recipient, *, change_note):
    """A change note on a release the recipient received."""
    contact, release = recipient.contact, recipient.release
    with translation.override(contact.language):
        subject = gettext("Correction: %(title)s") % {"title": release.title}
        address = release.get_absolute_url() if release.is_published else recipient.share_link.get_absolute_url()
        text = "\n".join(
            [
                gettext("Dear %(name)s,") % {"name": contact.name},
                "",
                gettext("A correction to “%(title)s”, which you received from us:") % {"title": release.title},
                "",
                change_note.note,
                "",
                absolute_url(address),
            ]
        )
        return _send(recipient, f"correction:{change_note.pk}", subject, text)
