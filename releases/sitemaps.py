"""Sitemap sections, each paged at the protocol's 50,000 addresses, listed by
the index at /sitemap.xml. Addresses are built from SITE_URL, never from the
host a request happened to name."""

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


class StaticViewSitemap(SiteUrlSitemap):
    def items(self):
        return ["releases:home", "releases:release-list", "releases:tag-list", "releases:event-list"]

    def location(self, url_name):
        return reverse(url_name)


class ReleaseSitemap(SiteUrlSitemap):
    def items(self):
        # Ordered by primary key so that new releases land on the last page
        # and the earlier pages stay as they were.
        return Release.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, release):
        return release.updated_at

    def get_latest_lastmod(self):
        # One aggregate, rather than Django's default of loading every release.
        return Release.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class EventSitemap(SiteUrlSitemap):
    def items(self):
        return Event.objects.order_by("pk").only("slug")


class DepartmentSitemap(SiteUrlSitemap):
    def items(self):
        has_public_release = Release.objects.published().filter(department=OuterRef("pk"))
        return Department.objects.filter(Exists(has_public_release)).order_by("pk").only("slug")


SITEMAPS = {
    "pages": StaticViewSitemap,
    "releases": ReleaseSitemap,
    "events": EventSitemap,
    "departments": DepartmentSitemap,
}
