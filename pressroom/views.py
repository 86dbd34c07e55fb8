"""Site-wide endpoints for machines: the sitemap index and sections,
robots.txt and /favicon.ico (the health check is serving/health.py)."""

from datetime import datetime
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.staticfiles import finders
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from releases.addresses import absolute_url


@x_robots_tag
def sitemap_index(request, sitemaps, sitemap_url_name):
    """Django's sitemap index, but with the sections' addresses on SITE_URL:
    django.contrib.sitemaps.views.index takes them from the request's host."""
    entries = []
    for section, sitemap in sitemaps.items():
        sitemap = sitemap()
        location = absolute_url(reverse(sitemap_url_name, kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        entries.extend(
            SitemapIndexItem(f"{location}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)
        )
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")


@x_robots_tag
def sitemap_section(request, sitemaps, section):
    """One page of a section, as django.contrib.sitemaps.views.sitemap gives
    it, but written out directly rather than through its template: a page of
    1,000 releases with their language versions renders many times faster."""
    if section not in sitemaps:
        raise Http404(f"No sitemap section {section!r}.")
    try:
        urls = sitemaps[section]().get_urls(page=request.GET.get("p", 1), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page.") from None
    headers = {}
    if urls and all(url["lastmod"] for url in urls):
        headers["Last-Modified"] = http_date(max(url["lastmod"] for url in urls).timestamp())
    return HttpResponse(sitemap_xml(urls), content_type="application/xml", headers=headers)


def sitemap_xml(urls):
    """The <urlset> of Django's sitemap.xml template for `urls` (as
    Sitemap.get_urls gives them)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
    ]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url["lastmod"]:
            parts.append(f"<lastmod>{_local_date(url['lastmod']):%Y-%m-%d}</lastmod>")
        for name in ("changefreq", "priority"):
            if url.get(name):
                parts.append(f"<{name}>{escape(str(url[name]))}</{name}>")
        for alternate in url.get("alternates", ()):
            parts.append(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(alternate["lang_code"])}'
                f" href={quoteattr(alternate['location'])}/>"
            )
        parts.append("</url>")
    parts.append("</urlset>\n")
    return "".join(parts)


def _local_date(value):
    """The day `value` falls on in the site's time zone, as the template's
    date filter gives it."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def robots_txt(request):
    """Crawlers kept out of the admin, of share links (embargoed releases,
    for the journalists given them) and of search results (any address
    whose query string holds `q`, in every language: endless variations of
    the lists, each also marked noindex)."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('shared-release', args=['token']).removesuffix('token/')}",
        "Disallow: /*?q=",
        "Disallow: /*&q=",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


FAVICON = "pressroom/favicon.ico"
# Browsers ask for /favicon.ico on every site, whatever the page links to.
FAVICON_MAX_AGE = 24 * 60 * 60


@cache
def _favicon():
    with open(finders.find(FAVICON), "rb") as icon:
        return icon.read()


@require_safe
def favicon(request):
    """The site's icon at the address every browser asks for; pages link the
    same icon and the emblem's SVG (templates/base.html)."""
    response = HttpResponse(_favicon(), content_type="image/vnd.microsoft.icon")
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response
