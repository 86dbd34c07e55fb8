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
path, its language and the query parameters its view reads, and the version
of the code that made it (serving/code_version.py), nothing else.

KeepPublicPageMiddleware also keeps the whole answer as it went out, for a
plain request (`outgoing_key`: no cookie, no credentials, no conditional
header but If-None-Match) that KeptPages found nothing current for.
KeptPages, a WSGI layer in front of Django's handler (pressroom/wsgi.py),
gives that answer again to the next plain request with the same key, before
Django builds a request: the key holds everything of a plain request that
the middleware's answer depends on (method, host, scheme, path, query
string, gzip or not, If-None-Match, the settings they read), so no rule is
copied here but the request id of serving/logs.py.

Every kept page belongs to one version of what the public may see. A new
version begins when a change to published content commits
(`public_content_changed`, called by releases/receivers.py) and when
content goes public on its own, as a scheduled release does at its time
(`current_state` knows the next such time, from the function given to
`next_change_from`), so no page outlives the content it shows.
"""

import hashlib
import threading
import time
import uuid
from functools import cache as cache_for_process
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from serving import logs, metrics, replicas, site_address
from serving.code_version import code_fingerprint
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
    if _ended(state):
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


def settled_state(state, checked):
    """`state` if current_state would give it as it is without asking the
    database (checked less than CHECK_SECONDS ago, its time not come, Redis
    not back from an outage since), else None."""
    if _ended(state) or checked != state["version"] or _redis_came_back.is_set():
        return None
    return state


def _ended(state):
    return state is None or (state["next_change"] is not None and timezone.now() >= state["next_change"])


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
    # No page is made again from a replica that has not caught up yet.
    replicas.hold_primary()


# What views derived from public content alone under one version of it
# (kept_for_version): (version, {key: value}), replaced whole by the next.
_derived = (None, {})


def kept_for_version(request, key, compute):
    """`compute()`, kept in this process under `key` for as long as the
    version of the public content that `request`'s page belongs to lasts;
    for what a view derives from public content alone, and the same for
    every page of that version (the choices of the lists' form), so that
    each worker reads it once a version rather than for every page the
    cache does not keep (searches, rare tags, deep pages). As exact as the
    kept pages themselves. Without the page cache (or with Redis out of
    reach), there is no version: computed every time."""
    served = getattr(request, "public_page_served", None)
    if served is None:
        return compute()
    global _derived
    version, values = _derived
    if version != served["version"]:
        version, values = _derived = (served["version"], {})
    if key not in values:
        values[key] = compute()
    return values[key]


def public_page(view, *, query=(), strict=False):
    """Mark `view`'s successful answers as the same for every reader: a
    shared cache may keep them PRESSROOM_PUBLIC_MAX_AGE seconds, and the page
    cache keeps them. `query` names the query string's parameters the view
    reads; it sees no other, so that a page depends on nothing its key
    leaves out and junk parameters make no new page. `strict`: a request
    with any other parameter is neither served from nor kept in the page
    cache, and the view sees its whole query string, to refuse it (the API
    answers 400 to a parameter it does not know)."""
    names = tuple(sorted(query))

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (strict and _has_others(request.GET, names)):
            request.GET = _only(request.GET, names)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            # A shared cache (a CDN) may keep the page for a while; a browser
            # asks again each time, and gets a 304 while the ETag holds, so
            # that a reader reloading a page never sees it older than it is.
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PRESSROOM_PUBLIC_MAX_AGE)
        return response

    wrapped.public_query = names
    wrapped.public_query_strict = strict
    return wrapped


def _has_others(query, names):
    return any(name not in names for name in query)


def _only(query, names):
    """`query` (a QueryDict) with only the parameters `names`, in their order."""
    kept = QueryDict(mutable=True)
    for name in names:
        if name in query:
            kept.setlist(name, query.getlist(name))
    kept._mutable = False
    return kept


def shareable(response):
    """Whether the response as it goes out may go to every reader: public,
    setting no cookie and not varying with one (serving/compression.py
    compresses only these)."""
    return (
        response.status_code in (200, 304)
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
        and "cookie" not in response.get("Vary", "").lower()
    )


class KeepPublicPageMiddleware:
    """First of the middleware but those that add nothing to a kept page's
    answer (serving/logs.py adds its X-Request-ID, made afresh for each
    request): once every other one has added its headers and cookies, keeps
    what the view of a public page answered (noted by
    ServePublicPageMiddleware) if the whole response may go to every reader,
    and the answer as it goes out, for KeptPages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        served = getattr(request, "public_page_served", None)
        if served is None or not shareable(response):
            return response
        page = getattr(request, "public_page_to_keep", None)
        if page is not None and "content" in page:
            key = page.pop("key")
            cache.set(key, page, timeout=settings.PRESSROOM_PAGE_CACHE_SECONDS)
        keep_outgoing(request, served, response)
        return response


# What of the settings the middleware read to answer a public page: an answer
# kept under other settings (before a deployment) is not given again.
OUTGOING_SETTINGS = (
    "ALLOWED_HOSTS",
    "APPEND_SLASH",
    "CONTENT_SECURITY_POLICY",
    "DISALLOWED_USER_AGENTS",
    "LANGUAGE_CODE",
    "MIDDLEWARE",
    "PREPEND_WWW",
    "PRESSROOM_PUBLIC_MAX_AGE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_REFERRER_POLICY",
    "SECURE_SSL_HOST",
    "SECURE_SSL_REDIRECT",
    "USE_X_FORWARDED_HOST",
    "USE_X_FORWARDED_PORT",
    "X_FRAME_OPTIONS",
)
# Headers that make a request other than plain: its answer may depend on
# them (a session, a user, a range of dates) in ways the key does not hold.
NOT_PLAIN = (
    "HTTP_COOKIE",
    "HTTP_AUTHORIZATION",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_RANGE",
)


def outgoing_key(environ):
    """The key under which the answer to the request of WSGI `environ` is
    kept as it goes out, or None when the request is not plain: a GET or
    HEAD with a Host, no header of NOT_PLAIN, under settings that refuse no
    user agent. It holds what the middleware read of a plain request (its
    method, host, scheme, path and query string, whether it takes gzip, its
    If-None-Match), the settings they read and the version of the code."""
    if (
        environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
        or "HTTP_HOST" not in environ
        or any(environ.get(name) for name in NOT_PLAIN)
        or settings.DISALLOWED_USER_AGENTS
    ):
        return None
    proxy_header = (settings.SECURE_PROXY_SSL_HEADER or ("",))[0]
    parts = (
        code_fingerprint(),
        _settings_fingerprint(),
        environ["REQUEST_METHOD"],  # Django tags a GET with an ETag, not a HEAD
        environ.get("wsgi.url_scheme"),
        environ.get(proxy_header),
        environ["HTTP_HOST"],
        environ.get("HTTP_X_FORWARDED_HOST"),
        environ.get("HTTP_X_FORWARDED_PORT"),
        environ.get("SERVER_PORT"),
        environ.get("SCRIPT_NAME"),
        environ.get("PATH_INFO"),
        environ.get("QUERY_STRING", ""),
        bool(re_accepts_gzip.search(environ.get("HTTP_ACCEPT_ENCODING", ""))),
        environ.get("HTTP_IF_NONE_MATCH"),
    )
    return "pressroom:page-out:" + hashlib.sha256(repr(parts).encode()).hexdigest()


@cache_for_process
def _settings_fingerprint():
    values = repr([getattr(settings, name, None) for name in OUTGOING_SETTINGS])
    return hashlib.sha256(values.encode()).hexdigest()


@receiver(setting_changed)
def _forget_fingerprint(setting, **kwargs):
    if setting in OUTGOING_SETTINGS:
        _settings_fingerprint.cache_clear()


# In the WSGI environ of a plain request that KeptPages found nothing current
# for: the key under which to keep Django's answer. Without it (no KeptPages
# in front, or the answer already kept) nothing is written.
TO_KEEP = "pressroom.outgoing_key"


def keep_outgoing(request, served, response):
    """Keep `response`, a public page's shareable answer as it goes out, for
    KeptPages to give again: to a plain request it found nothing current for
    (TO_KEEP), whose query string is the one the page is kept under (others
    would each keep a copy), a 200 to a request without If-None-Match and a
    304 to one whose ETag matched (one that did not match keeps nothing)."""
    key = request.META.get(TO_KEEP)
    conditional = "HTTP_IF_NONE_MATCH" in request.META
    if (
        key is None
        or request.META.get("QUERY_STRING", "") != served["query"]
        or response.status_code != (304 if conditional else 200)
        or response.streaming
        or request.resolver_match is None
    ):
        return
    answer = {
        "version": served["version"],
        "status": f"{response.status_code} {response.reason_phrase}",
        "headers": list(response.items()),
        "content": response.content,
        "view": request.resolver_match.view_name,
    }
    cache.set(key, answer, timeout=settings.PRESSROOM_PAGE_CACHE_SECONDS)


def kept_answer(environ):
    """(status, headers, content) kept for the request of WSGI `environ` by
    keep_outgoing, if it is of the current version, with the request's own
    X-Request-ID; None otherwise (Django answers, and keeps its answer if
    the request is plain: TO_KEEP)."""
    if not settings.PRESSROOM_PAGE_CACHE_SECONDS or not getattr(cache, "is_available", True):
        return None
    key = outgoing_key(environ)
    if key is None:
        return None
    started = time.perf_counter()
    # The Redis cache's own connection, kept open; any other cache (the tests') as it is.
    get_many = getattr(cache, "get_many_at_once", cache.get_many)
    found = get_many([STATE_KEY, CHECKED_KEY, key])
    answer = found.get(key)
    state = settled_state(found.get(STATE_KEY), found.get(CHECKED_KEY))
    if answer is None or state is None or answer["version"] != state["version"]:
        environ[TO_KEEP] = key
        return None
    if (
        settings.PRESSROOM_CHECK_SITE_URL
        and not site_address.warned.is_set()
        and ("HTTP_X_FORWARDED_HOST" in environ or site_address.arrived_elsewhere(environ["HTTP_HOST"]))
    ):
        return None  # for SiteAddressMiddleware to warn of
    request_id = logs.request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
    status = answer["status"]
    metrics.count_request(answer["view"], environ["REQUEST_METHOD"], int(status[:3]), time.perf_counter() - started)
    return status, [*answer["headers"], (logs.HEADER, request_id)], answer["content"]


class KeptPages:
    """WSGI application in front of Django's (pressroom/wsgi.py): the kept
    answer to a plain request (kept_answer) without entering Django; any
    other request goes on to Django unchanged."""

    def __init__(self, application):
        self.application = application
        code_fingerprint()  # read as the server starts, not by its first request

    def __call__(self, environ, start_response):
        answer = kept_answer(environ)
        if answer is None:
            return self.application(environ, start_response)
        status, headers, content = answer
        start_response(status, headers)
        return [content]


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
        if getattr(view_func, "public_query_strict", False) and _has_others(request.GET, names):
            return None  # for the view to refuse
        if not getattr(cache, "is_available", True):
            return None  # Redis failed a moment ago (serving/redis_cache.py): off until it answers
        # The language is in the path, but the key says it too: a page is
        # served in the language it was made in, whatever decides that.
        query = _only(request.GET, names).urlencode()
        address = f"{code_fingerprint()} {translation.get_language()} {request.path}?{query}"
        key = "pressroom:page:" + hashlib.sha256(address.encode()).hexdigest()
        found = cache.get_many([STATE_KEY, CHECKED_KEY, key])
        state = current_state(found.get(STATE_KEY), found.get(CHECKED_KEY))
        request.public_page_served = {"version": state["version"], "query": query}
        kept = found.get(key)
        if kept is not None and kept["version"] == state["version"]:
            return HttpResponse(kept["content"], headers=kept["headers"])
        request.public_page_to_keep = {"key": key, "version": state["version"]}
        return None
