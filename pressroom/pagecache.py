"""The public pages' cache (README, "Caching").

Views wrapped in `public_page` answer with `Cache-Control: public` for a CDN
(PRESSROOM_PUBLIC_MAX_AGE seconds; browsers revalidate every time). PublicPageCacheMiddleware
keeps those answers too (PRESSROOM_PAGE_CACHE_SECONDS; on by default with
REDIS_URL, since a cache private to each worker could not be emptied by the
others) and serves them without entering a view.

Every kept page belongs to one version of what the public may see. A new
version begins when a change to published content commits
(`public_content_changed`, called by releases/signals.py) and when the
publication time of a scheduled release arrives (`public_state` knows the
next one), so no page outlives the content it shows.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

STATE_KEY = "pressroom:public-state"


def current_state(state):
    """`state` as kept ({"version", "next_change"}: the version of the
    public content, and when the next scheduled release goes public), or a
    new one when none is kept or that time has come."""
    if state is None or (state["next_change"] is not None and timezone.now() >= state["next_change"]):
        return _new_state()
    return state


def _new_state():
    from releases.models import Release

    scheduled = Release.objects.scheduled()
    state = {"version": uuid.uuid4().hex, "next_change": scheduled.aggregate(next=Min("published_at"))["next"]}
    cache.set(STATE_KEY, state, timeout=None)
    return state


def public_content_changed():
    """Begin a new version: every page kept so far is stale."""
    cache.delete(STATE_KEY)


def public_page(view):
    """Mark `view`'s successful answers as the same for every reader: a
    shared cache may keep them PRESSROOM_PUBLIC_MAX_AGE seconds."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            # A shared cache (a CDN) may keep the page for a while; a browser
            # asks again each time, and gets a 304 while the ETag holds, so
            # that a reader reloading a page never sees it older than it is.
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PRESSROOM_PUBLIC_MAX_AGE)
        return response

    return wrapped


def _keepable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
    )


class PublicPageCacheMiddleware:
    """First of the middleware: a kept page costs one cache round trip (the
    version and the page together) and no database query. HEAD is answered
    from the GET's page; If-None-Match from its ETag."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PRESSROOM_PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        path_key = "pressroom:page:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()
        found = cache.get_many([STATE_KEY, path_key])
        state = current_state(found.get(STATE_KEY))
        kept = found.get(path_key)
        if kept is not None and kept["version"] == state["version"]:
            response = HttpResponse(kept["content"], headers=kept["headers"])
            return get_conditional_response(request, etag=response.get("ETag"), response=response)
        response = self.get_response(request)
        if _keepable(response):
            cache.set(
                path_key,
                {"version": state["version"], "content": response.content, "headers": dict(response.items())},
                timeout=seconds,
            )
        return response
