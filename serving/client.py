"""The address a request came from, the same for every part of the site that
needs one: the sign-in lockout (django-axes) and the log of share-link views."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address, or None when there is none (a Unix socket).

    With PRESSROOM_TRUSTED_PROXIES = N > 0, N reverse proxies stand in front of
    the app and each appends the address it was reached from to
    X-Forwarded-For: the client is the N-th entry from the right. Entries
    further left came from the client and prove nothing. With 0 (the
    default) the header is ignored, as anyone can send it, and the address is
    the connection's.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PRESSROOM_TRUSTED_PROXIES
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if proxies > 0 and forwarded:
        # Fewer entries than proxies: the client reached an inner proxy
        # directly, and the leftmost entry is what that proxy saw.
        candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
        if _ip_address(candidate) is not None:
            address = candidate
    return _ip_address(address)


def _ip_address(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
