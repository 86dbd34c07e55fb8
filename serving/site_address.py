"""The port trap: links in e-mails, feeds, share links and canonical
addresses are made from SITE_URL (releases/addresses.py), never from the
request, so a server reached at another host or port than SITE_URL sends
people to a dead address. SiteAddressMiddleware says so once: one warning,
the first time a request arrives elsewhere, once per process."""

import logging
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
# One machine, whichever of its names a browser uses: links to one work at the other.
LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}

warned = threading.Event()


def split_host(host):
    """`host` ("example.org:8000", "[::1]:8000") as (name, port or None)."""
    head, colon, tail = host.rpartition(":")
    name, port = (head, int(tail)) if colon and tail.isdigit() else (host, None)
    name = name.lower()
    return ("localhost" if name in LOOPBACK else name), port


def site_address():
    """SITE_URL's host name and port (its scheme's default when it names none)."""
    parts = urlsplit(settings.SITE_URL)
    name, port = split_host(parts.netloc.rpartition("@")[2])
    return name, port or DEFAULT_PORTS.get(parts.scheme)


def arrived_elsewhere(host):
    """Whether a request to `host` (its Host header) is not for SITE_URL. A
    Host without a port is taken at SITE_URL's port: behind a TLS proxy the
    request's own scheme says nothing of the public one."""
    name, port = split_host(host)
    expected_name, expected_port = site_address()
    return name != expected_name or (port is not None and port != expected_port)


class SiteAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not warned.is_set() and settings.PRESSROOM_CHECK_SITE_URL:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        try:
            host = request.get_host()
        except DisallowedHost:
            return  # refused further on; no address of ours
        if arrived_elsewhere(host) and not warned.is_set():
            warned.set()
            logger.warning(
                "A request arrived at %s://%s, but SITE_URL is %s: links in e-mails, feeds, share links and "
                "canonical addresses point there. Set SITE_URL to the address people use (under `make run`, "
                "PORT=%s sets both). Said once per process.",
                request.scheme,
                host,
                settings.SITE_URL,
                split_host(host)[1] or "<port>",
            )
