"""Sitemap sections, listed by the index at /sitemap.xml. Addresses are made
from SITE_URL, never from the host a request happened to name: by
releases.addresses, or by Django's Sitemap from SITE_URL's scheme and host.

Releases are paged by ranges of primary key, RELEASES_PER_SITEMAP to a page
(well under the protocol's 50,000): any page is an index range scan, and a
release stays on the page it first appeared on."""

from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Max, Min, OuterRef
from django.urls import reverse
from django.utils.functional import cached_property

from releases.addresses import absolute_url
from releases.models import Department, Event, Release


class SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class EveryLanguageSitemap(SiteUrlSitemap):
    """Pages that exist in every language at the translated path: one entry
    per language, each listing the others as hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    # Entries (one per page and language) to a sitemap page: each costs a
    # reverse() per language, so pages stay small enough to answer quickly.
    limit = 1_000


class StaticViewSitemap(EveryLanguageSitemap):
    def items(self):
        return ["releases:home", "releases:release-list", "releases:tag-list", "releases:event-list"]

    def location(self, url_name):
        return reverse(url_name)


RELEASES_PER_SITEMAP = 1_000


class PrimaryKeyPage:
    def __init__(self, object_list):
        self.object_list = object_list


class PrimaryKeyPaginator:
    """Page n holds the rows whose primary keys are the n-th run of `limit`
    from the lowest: at most `limit` rows, fewer where some are not public."""

    def __init__(self, items, limit):
        self.items = items
        self.limit = limit

    @cached_property
    def bounds(self):
        return Release.objects.aggregate(low=Min("pk"), high=Max("pk"))

    @cached_property
    def num_pages(self):
        if self.bounds["low"] is None:
            return 1
        return (self.bounds["high"] - self.bounds["low"]) // self.limit + 1

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage
        first = (self.bounds["low"] or 1) + (number - 1) * self.limit
        return PrimaryKeyPage(self.items.filter(pk__gte=first, pk__lt=first + self.limit))


class ReleaseSitemap(SiteUrlSitemap):
    limit = RELEASES_PER_SITEMAP

    @property
    def paginator(self):
        return PrimaryKeyPaginator(self.items(), self.limit)

    def items(self):
        # Ordered by primary key so that new releases land on the last page
        # and the earlier pages stay as they were.
        return Release.objects.published().order_by("pk").only("slug", "language", "translation_key", "updated_at")

    def get_urls(self, page=1, site=None, protocol=None):
        """Each language version is an entry of its own; those with other
        public versions list them all (themselves included) as alternates.
        Read as tuples, and addressed from one reversed address per language
        rather than a model instance and a reverse() per release."""
        fields = ("translation_key", "language", "slug")
        releases = list(self.paginator.page(page).object_list.values_list(*fields, "updated_at"))
        versions = defaultdict(list)
        for key, language, slug in (
            Release.objects.published()
            .filter(translation_key__in={release[0] for release in releases})
            .order_by("language")
            .values_list(*fields)
        ):
            versions[key].append((language, slug))
        # "/az/releases/-/" less its "-/": the address of any slug.
        prefixes = {
            code: absolute_url(Release(language=code, slug="-").get_absolute_url()[:-2])
            for code, _name in settings.LANGUAGES
        }
        urls = []
        for key, language, slug, updated_at in releases:
            url = {"location": f"{prefixes[language]}{slug}/", "lastmod": updated_at}
            if len(versions[key]) > 1:
                url["alternates"] = [
                    {"lang_code": other, "location": f"{prefixes[other]}{other_slug}/"}
                    for other, other_slug in versions[key]
                ]
            urls.append(url)
        return urls

    def get_latest_lastmod(self):
        # One aggregate, rather than Django's default of loading every release.
        return Release.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class EventSitemap(EveryLanguageSitemap):
    def items(self):
        return Event.objects.public().order_by("pk").only("slug")


class DepartmentSitemap(EveryLanguageSitemap):
    def items(self):
        has_public_release = Release.objects.published().filter(department=OuterRef("pk"))
        return Department.objects.filter(Exists(has_public_release)).order_by("pk").only("slug")


SITEMAPS = {
    "pages": StaticViewSitemap,
    "releases": ReleaseSitemap,
    "events": EventSitemap,
    "departments": DepartmentSitemap,
}
