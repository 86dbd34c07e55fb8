"""What one client, and one request, may cost the site (issue 13).

Searches and deep pages of the public lists are the pages no cache keeps
(every set of words is a page of its own) and the dearest to make. Views
wrapped in `costly_list` count them per client: more than
PRESSROOM_RATE_LIMIT_REQUESTS in PRESSROOM_RATE_LIMIT_SECONDS answer 429, with
Retry-After and a short page in the page's language. Each statement they run
on PostgreSQL is cancelled after PRESSROOM_LIST_STATEMENT_TIMEOUT_MS, which
answers the static 503 page (serving/outage.py, statement timeouts among its
outages) rather than holding a worker for seconds.

Kept pages (serving/pagecache.py) are served before any view, so they are
never counted, and neither are the first pages of lists without words.
"""

import ipaddress
import logging
import math
import time
from contextlib import contextmanager, suppress
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from serving import replicas
from serving.client import client_address

logger = logging.getLogger("pressroom.limits")

# Pages beyond this one count as costly even without words: a reader leafs
# through the first few, a crawler or an attacker through thousands.
FREE_PAGES = 10
# The last page a request may ask for: far beyond any archive's last page,
# and an OFFSET every database accepts.
MAX_PAGE = 10_000_000


def page_number(value):
    """The page a `page` parameter asks for: the first for one that is not a
    positive number, MAX_PAGE at most (the lists answer the last page for
    one past the end: never a 404 or a 500). The lists and the limits read
    the parameter with this one function, so that what is counted as a deep
    page is the page that is served."""
    with suppress(TypeError, ValueError):
        return min(max(int(value), 1), MAX_PAGE)
    return 1


def is_costly(request):
    """Whether `request` asks for words (`q`) or a page beyond FREE_PAGES."""
    return bool(request.GET.get("q", "").strip()) or page_number(request.GET.get("page")) > FREE_PAGES


def client_key(address, scope="rate"):
    """The rate limit's key for an address: an IPv6 client is its /64
    network, which one household or server holds whole. `scope` keeps the
    counts of separate limits apart (the API's own, "api-rate")."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        ip = ipaddress.ip_network(f"{address}/64", strict=False).network_address
    return f"{scope}:{ip}"


def retry_after(request, *, limit=None, window=None, scope="rate"):
    """Seconds the client of `request` must wait before its next costly
    request; 0 when it may go on. Counted in the cache, shared by every worker
    with REDIS_URL; a client with no address (a Unix socket and no trusted
    proxy, see PRESSROOM_TRUSTED_PROXIES) is not counted. `limit` requests in
    `window` seconds (by default the public lists' PRESSROOM_RATE_LIMIT_*),
    counted under `scope`."""
    limit = settings.PRESSROOM_RATE_LIMIT_REQUESTS if limit is None else limit
    window = settings.PRESSROOM_RATE_LIMIT_SECONDS if window is None else window
    address = client_address(request)
    if address is None:
        return 0
    return over_limit(client_key(address, scope), limit=limit, window=window)


def too_many_requests(request, seconds):
    response = render(request, "429.html", {"retry_after": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


@contextmanager
def statement_budget():
    """On PostgreSQL, a transaction whose statements are cancelled after
    PRESSROOM_LIST_STATEMENT_TIMEOUT_MS (SET LOCAL ends with it); elsewhere,
    or with 0, no limit of its own."""
    budget = settings.PRESSROOM_LIST_STATEMENT_TIMEOUT_MS
    # On the database the list reads from: the replica's, if it has one.
    alias = replicas.read_alias()
    connection = connections[alias]
    if connection.vendor != "postgresql" or not budget:
        yield
        return
    with transaction.atomic(using=alias, savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {int(budget)}")
        yield


def costly_list(view):
    """Rate-limit the costly requests (is_costly) of a public list view and
    run them within the statement budget, rendered inside it: a list's
    queries run as its template renders."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_costly(request):
            return view(request, *args, **kwargs)
        if seconds := retry_after(request):
            return too_many_requests(request, seconds)
        with statement_budget():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        return response

    return wrapped


def over_limit(key, *, limit, window):
    """Count one more use of `key` (a string naming who, for what) in the
    current window of `window` seconds: the seconds to wait when that makes
    more than `limit`, else 0. 0 with no limit, or when the cache fails.
    Fixed windows: a count starts again at each multiple of `window` seconds."""
    if not limit:
        return 0
    now = time.time()
    start = int(now // window * window)
    window_key = f"pressroom:limit:{key}:{start}"
    try:
        cache.add(window_key, 0, timeout=window + 1)
        count = cache.incr(window_key)
    except Exception as error:  # noqa: BLE001
        # Whatever the cache raises (unreachable Redis, an open circuit, the
        # window's key gone between add and incr): the site stays open.
        logger.warning("Rate limit not counted, the cache failed: %s", error)
        return 0
    return 0 if count <= limit else max(1, math.ceil(start + window - now))
