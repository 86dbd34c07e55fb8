"""RSS 2.0 and Atom feeds of the latest public releases: all of them, one tag's,
one department's. Every address in them is made by releases.addresses, from
SITE_URL."""

import re
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from releases.addresses import absolute_url
from releases.models import Department, Release, Tag, TaggedRelease

LATEST = 50

# Characters XML 1.0 cannot carry at all; Django's feed writer refuses them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text):
    return NOT_XML.sub("", text)


class ReleasesFeed(Feed):
    url_name = "feeds:releases-rss"
    item_guid_is_permalink = False

    def title(self):
        return _("%(agency)s: press releases") % {"agency": _(settings.PRESSROOM_AGENCY_NAME)}

    def description(self):
        return _("The latest press releases of the %(agency)s.") % {"agency": _(settings.PRESSROOM_AGENCY_NAME)}

    def link(self):
        return absolute_url(reverse("releases:release-list"))

    def feed_url(self, obj):
        return absolute_url(reverse(self.url_name, kwargs={"slug": obj.slug} if obj else None))

    def items(self):
        return Release.objects.for_lists(translation.get_language())[:LATEST]

    def item_title(self, release):
        # Plain text, not escaped HTML: Atom titles are text, and so are RSS
        # titles in most readers.
        return xml_safe(release.title)

    def item_description(self, release):
        # The lead is plain text; RSS descriptions and Atom summaries are HTML.
        return escape(xml_safe(release.lead))

    def item_link(self, release):
        return absolute_url(release.get_absolute_url())

    def item_guid(self, release):
        """One id per language version, kept through edits to title or slug
        and moves of the site to another address."""
        return f"urn:uuid:{uuid.uuid5(release.translation_key, release.language)}"

    def item_pubdate(self, release):
        return release.published_at

    def item_updateddate(self, release):
        # Moves with public change notes only: fixing a typo is no news.
        return release.public_updated_at or release.published_at

    def item_author_name(self, release):
        return xml_safe(release.department.signed_as)

    def item_categories(self, release):
        return sorted((xml_safe(tag.name) for tag in release.tag_list), key=str.casefold)


class TagFeed(ReleasesFeed):
    url_name = "feeds:tag-rss"

    def get_object(self, request, slug):
        # A tag only on unpublished releases is as unknown as no tag at all:
        # its name must not leak before the releases do.
        on_public_release = TaggedRelease.objects.filter(
            tag=OuterRef("pk"),
            content_object__in=Release.objects.published().filter(language=translation.get_language()),
        )
        return get_object_or_404(Tag.objects.filter(Exists(on_public_release)), slug=slug)

    def title(self, tag):
        return _("%(agency)s: releases tagged “%(tag)s”") % {
            "agency": _(settings.PRESSROOM_AGENCY_NAME),
            "tag": xml_safe(tag.name),
        }

    def description(self, tag):
        return _("The latest press releases tagged “%(tag)s”.") % {"tag": xml_safe(tag.name)}

    def link(self, tag):
        return absolute_url(reverse("releases:release-list") + "?" + urlencode({"tag": tag.slug}))

    def items(self, tag):
        return Release.objects.for_lists(translation.get_language()).filter(tagged_items__tag=tag)[:LATEST]


class DepartmentFeed(ReleasesFeed):
    url_name = "feeds:department-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Department, slug=slug)

    def title(self, department):
        return _("%(agency)s: releases of the %(department)s") % {
            "agency": _(settings.PRESSROOM_AGENCY_NAME),
            "department": xml_safe(department.name),
        }

    def description(self, department):
        return _("The latest press releases of the %(department)s.") % {"department": xml_safe(department.name)}

    def link(self, department):
        return absolute_url(department.get_absolute_url())

    def items(self, department):
        return Release.objects.for_lists(translation.get_language()).filter(department=department)[:LATEST]


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self._get_dynamic_attr("description", obj)


class ReleasesAtomFeed(AtomMixin, ReleasesFeed):
    url_name = "feeds:releases-atom"


class TagAtomFeed(AtomMixin, TagFeed):
    url_name = "feeds:tag-atom"


class DepartmentAtomFeed(AtomMixin, DepartmentFeed):
    url_name = "feeds:department-atom"
