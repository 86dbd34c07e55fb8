"""The desk: the admin's home page gives each person what waits for them,
each list a few rows long with a link to the whole of it in the release
list. A fixed number of queries, whatever the size of the archive
(releases/models/desk.py holds the querysets)."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from releases.admin.translations import add_translation_url, language_name
from releases.models import Release
from releases.models.desk import TRANSLATION_WINDOW
from releases.models.workflow import PUBLISH_PERMISSION

# Rows shown in each section; one more is read to know whether to say "more".
DESK_ROWS = 6


@dataclass
class DeskSection:
    key: str
    title: str
    empty: str
    releases: list
    more: bool
    links: list = field(default_factory=list)  # [(label, address)] to the release list
    note: str = ""


def changelist_url(**filters):
    url = reverse("admin:releases_release_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def read(queryset):
    """The first DESK_ROWS releases of `queryset`, and whether there are more."""
    rows = list(queryset.select_related("author").defer("body", "search_vector")[: DESK_ROWS + 1])
    return rows[:DESK_ROWS], len(rows) > DESK_ROWS


def section(key, title, empty, queryset, links, note=""):
    releases, more = read(queryset)
    for release in releases:
        release.desk_url = reverse("admin:releases_release_change", args=[release.pk])
    return DeskSection(key, title, empty, releases, more, links, note)


def desk_sections(user):
    """The sections of `user`'s desk; none for someone who may not see releases."""
    if not user.has_perm("releases.view_release"):
        return []
    releases = Release.objects.all()
    editor = user.has_perm(PUBLISH_PERMISSION)
    review = releases.waiting_for_review()
    review_filters = {"status__exact": Release.Status.IN_REVIEW}
    if not editor:
        # Press staff follow their own; the whole queue is the editors'.
        review = review.filter(author=user)
        review_filters["author"] = "me"
    all_link = _("All in the release list")
    sections = [
        section(
            "sent-back",
            _("Sent back to me"),
            _("Nothing has been sent back to you."),
            releases.sent_back_to(user),
            [(all_link, changelist_url(status__exact=Release.Status.DRAFT, author="me"))],
        ),
        section(
            "drafts",
            _("My drafts"),
            _("You have no drafts."),
            releases.drafts_by(user),
            [(all_link, changelist_url(status__exact=Release.Status.DRAFT, author="me"))],
        ),
        section(
            "review",
            _("Waiting for review") if editor else _("Mine waiting for review"),
            _("Nothing is waiting for review."),
            review,
            [(all_link, changelist_url(**review_filters))],
        ),
        section(
            "scheduled",
            _("Scheduled"),
            _("Nothing is scheduled."),
            releases.upcoming(),
            [(all_link, changelist_url(schedule="scheduled"))],
        ),
        section(
            "published",
            _("Recently published"),
            _("Nothing has been published yet."),
            releases.recently_published(),
            [(all_link, changelist_url(schedule="public"))],
        ),
        section(
            "translations",
            _("Missing translations"),
            _("The newest releases have all their language versions."),
            releases.missing_translation(),
            [
                (_("No %(language)s version") % {"language": language_name(code)}, changelist_url(missing=code))
                for code, _name in settings.LANGUAGES
            ],
            note=_("Among the %(count)d newest releases.") % {"count": TRANSLATION_WINDOW},
        ),
    ]
    for release in sections[-1].releases:
        release.missing_versions = [
            (code.upper(), language_name(code), add_translation_url(release, code))
            for code, _name in settings.LANGUAGES
            if getattr(release, f"version_{code}") is None
        ]
    return sections
