"""The public pages' cache (README, "Caching").

Views wrapped in `public_page` answer with `Cache-Control: public` for a CDN
(PRESSROOM_PUBLIC_MAX_AGE seconds; browsers revalidate every time). The
server keeps those answers too (PRESSROOM_PAGE_CACHE_SECONDS; on by default
with REDIS_URL, since a cache private to each worker could not be emptied by
the others) and serves them without entering a view. As Django's own cache
middleware, in two parts: ServePublicPageMiddleware, last, serves a kept page
to a request that every other middleware has let through, and the page goes
out through them all, getting the headers a fresh one gets;
KeepPublicPageMiddleware, first, keeps the view's own answer once it knows
that the whole response may go to every reader. A page is kept under its
path, its language and the query parameters its view reads, nothing else.

Every kept page belongs to one version of what the public may see. A new
version begins when a change to published content commits
(`public_content_changed`, called by releases/receivers.py) and when
content goes public on its own, as a scheduled release does at its time
(`current_state` knows the next such time, from the function given to
`next_change_from`), so no page outlives the content it shows.
"""

import hashlib
import threading
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from serving.models import PublicContentVersion
from serving.outage import is_database_unavailable
from serving.redis_cache import reachable_again

STATE_KEY = "pressroom:public-state"
# Holds the version of the state last compared with the database, for
# CHECK_SECONDS: how long a change that could not reach the cache (Redis was
# down) may go unseen by a worker that did not notice the outage.
CHECKED_KEY = "pressroom:public-state-checked"
CHECK_SECONDS = 5

# Set when Redis answers again after an outage in this process: the next
# request compares the kept state with the database at once.
_redis_came_back = threading.Event()


@receiver(reachable_again)
def _check_at_once(sender, **kwargs):
    _redis_came_back.set()


# When content next goes public without anyone saving it (a scheduled
# release reaching its time). serving knows nothing of the domain, which
# uses it (README, "Where things are"): the domain tells it how to find out
# (releases/receivers.py) rather than the page cache asking releases' models.
# Until it does, no such time.
def _never():
    return None


_next_change = _never


def next_change_from(function):
    """Have the page cache ask `function()`, with no arguments, when content
    next goes public on its own: an aware datetime, or None for no such time.
    Each new version of the kept pages asks once, and ends at that time."""
    global _next_change
    _next_change = function


def current_state(state, checked=None):
    """`state` as kept ({"version", "content_version", "next_change"}: the
    version of the kept pages, the database's version of the public content
    it was made from, and when content next goes public on its own, such as
    a scheduled release: see next_change_from), or a new one when none is
    kept, that time has come, or the database's version has moved on without
    the cache hearing of it. That is asked of the database at most every
    CHECK_SECONDS (`checked` is the version last found current), and at once
    after an outage of Redis."""
    redis_came_back = _redis_came_back.is_set()
    _redis_came_back.clear()
    if state is None or (state["next_change"] is not None and timezone.now() >= state["next_change"]):
        return _new_state()
    if checked != state["version"] or redis_came_back:
        try:
            current = PublicContentVersion.current()
        except DatabaseError as error:
            if is_database_unavailable(error):
                return state  # the kept pages are what can be shown meanwhile
            raise
        if current != state["content_version"]:
            return _new_state()
        cache.set(CHECKED_KEY, state["version"], timeout=CHECK_SECONDS)
    return state


def _new_state():
    state = {
        "version": uuid.uuid4().hex,
        "content_version": PublicContentVersion.current(),
        "next_change": _next_change(),
    }
    cache.set(STATE_KEY, state, timeout=None)
    cache.set(CHECKED_KEY, state["version"], timeout=CHECK_SECONDS)
    return state


def public_content_changed(using=None):
    """Begin a new version: every page kept so far is stale (`using`: the
    database whose content changed, by default the site's). Called once a
    change to public content has committed: by the receiver of the event
    `public_content_changed` (releases/receivers.py), which every save,
    delete and bulk write of public content sends, and by `restore` when it
    is done."""
    PublicContentVersion.start_new(using=using)
    cache.delete(STATE_KEY)


def public_page(view, *, query=()):
    """Mark `view`'s successful answers as the same for every reader: a
    shared cache may keep them PRESSROOM_PUBLIC_MAX_AGE seconds, and the page
    cache keeps them. `query` names the query string's parameters the view
    reads; it sees no other, so that a page depends on nothing its key
    leaves out and junk parameters make no new page."""
    names = tuple(sorted(query))

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.GET = _only(request.GET, names)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            # A shared cache (a CDN) may keep the page for a while; a browser
            # asks again each time, and gets a 304 while the ETag holds, so
            # that a reader reloading a page never sees it older than it is.
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PRESSROOM_PUBLIC_MAX_AGE)
        return response

    wrapped.public_query = names
    return wrapped


def _only(query, names):
    """`query` (a QueryDict) with only the parameters `names`, in their order."""
    kept = QueryDict(mutable=True)
    for name in names:
        if name in query:
            kept.setlist(name, query.getlist(name))
    kept._mutable = False
    return kept


def _shareable(response):
    """Whether the response as it goes out may go to every reader: public,
    setting no cookie and not varying with one."""
    return (
        response.status_code in (200, 304)
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
        and "cookie" not in response.get("Vary", "").lower()
    )


class KeepPublicPageMiddleware:
    """First of the middleware: once every other one has added its headers
    and cookies, keeps what the view of a public page answered (noted by
    ServePublicPageMiddleware) if the whole response may go to every reader."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page = getattr(request, "public_page_to_keep", None)
        if page is not None and "content" in page and _shareable(response):
            key = page.pop("key")
            cache.set(key, page, timeout=settings.PRESSROOM_PAGE_CACHE_SECONDS)
        return response


class ServePublicPageMiddleware:
    """Last of the middleware, so that a kept page is only served to a
    request every other one has let through (allowed host, HTTPS redirect,
    language), and goes out through them all as a fresh one does, getting
    the same headers (security headers, CSP, ETag, Content-Language). It
    costs one cache round trip (the version and the page together) and no
    database query. The answer of a public view is noted for
    KeepPublicPageMiddleware as the view gave it: its content and its own
    headers, none added by middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page = getattr(request, "public_page_to_keep", None)
        if page is not None and response.status_code == 200 and not response.streaming:
            page.update(content=response.content, headers=dict(response.items()))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        names = getattr(view_func, "public_query", None)
        if names is None or not settings.PRESSROOM_PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return None
        if not getattr(cache, "is_available", True):
            return None  # Redis failed a moment ago (serving/redis_cache.py): off until it answers
        # The language is in the path, but the key says it too: a page is
        # served in the language it was made in, whatever decides that.
        query = _only(request.GET, names).urlencode()
        address = f"{translation.get_language()} {request.path}?{query}"
        key = "pressroom:page:" + hashlib.sha256(address.encode()).hexdigest()
        found = cache.get_many([STATE_KEY, CHECKED_KEY, key])
        state = current_state(found.get(STATE_KEY), found.get(CHECKED_KEY))
        kept = found.get(key)
        if kept is not None and kept["version"] == state["version"]:
            return HttpResponse(kept["content"], headers=kept["headers"])
        request.public_page_to_keep = {"key": key, "version": state["version"]}
        return None
