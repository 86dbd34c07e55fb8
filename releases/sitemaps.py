"""Sitemap sections, each paged at the protocol's 50,000 addresses, listed by
the index at /sitemap.xml. Addresses are built from SITE_URL, never from the
host a request happened to name."""

from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse

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


class StaticViewSitemap(EveryLanguageSitemap):
    def items(self):
        return ["releases:home", "releases:release-list", "releases:tag-list", "releases:event-list"]

    def location(self, url_name):
        return reverse(url_name)


class ReleaseSitemap(SiteUrlSitemap):
    def items(self):
        # Ordered by primary key so that new releases land on the last page
        # and the earlier pages stay as they were.
        return Release.objects.published().order_by("pk").only("slug", "language", "translation_key", "updated_at")

    def lastmod(self, release):
        return release.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        """Each language version is an entry of its own; those with other
        public versions list them all (themselves included) as alternates."""
        urls = super().get_urls(page, site, protocol)
        keys = {url["item"].translation_key for url in urls}
        versions = defaultdict(list)
        for version in (
            Release.objects.published().filter(translation_key__in=keys).only("translation_key", "language", "slug")
        ):
            versions[version.translation_key].append(version)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            siblings = versions[url["item"].translation_key]
            if len(siblings) > 1:
                url["alternates"] = [
                    {"lang_code": version.language, "location": origin + version.get_absolute_url()}
                    for version in sorted(siblings, key=lambda version: version.language)
                ]
        return urls

    def get_latest_lastmod(self):
        # One aggregate, rather than Django's default of loading every release.
        return Release.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class EventSitemap(EveryLanguageSitemap):
    def items(self):
        return Event.objects.order_by("pk").only("slug")


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
