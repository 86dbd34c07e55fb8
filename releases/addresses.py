"""How an absolute address is made: from SITE_URL, never from the host a
request happened to name, for everything read away from the site (feeds,
the sitemap, robots.txt, JSON-LD, Open Graph and canonical links, e-mails,
share links). Templates have the filters `absolute` and `absolute_media`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.utils.encoding import iri_to_uri


def absolute_url(path=""):
    """The public address of `path` on this site (the site's own address for
    none). The path is percent-encoded: request.path is decoded and may hold
    any character, a NUL among them, which has no place in an attribute, a
    feed or a mail; an address already encoded stays as it is."""
    return f"{settings.SITE_URL}{iri_to_uri(path)}"


def absolute_media_url(url):
    """The public address of a media file: on this site for a file it serves,
    as it is for one an object store serves (already absolute)."""
    return url if urlsplit(url).scheme else absolute_url(url)


def absolute_static_url(path):
    """The public address of a static file (`path` as `{% static %}` takes
    it), or `path` itself when it is already an absolute address."""
    return path if urlsplit(path).scheme else absolute_media_url(static(path))
