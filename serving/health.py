"""The health check for load balancers and monitoring (issues 7 and 21).

`/healthz` stays cheap: one `SELECT 1`, "ok" or "database unavailable".
`/healthz?full=1` also asks Redis and the object store, each with a short
timeout, and reports each part in a JSON body. Probes come by the instance's
own address, which no ALLOWED_HOSTS lists: serving.middleware.ProbeMiddleware
answers them before anything checks the Host."""

import logging

import redis
from django.conf import settings
from django.core.files.storage import storages
from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from serving.outage import store_answers

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 1
OK, UNAVAILABLE, NOT_CONFIGURED = "ok", "unavailable", "not configured"


def database_answers():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def redis_state():
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except redis.RedisError as error:
        logger.warning("Health check: Redis unavailable: %s", error)
        return UNAVAILABLE
    finally:
        client.close()
    return OK


def store_state():
    """Whether the storages of photos and documents answer (on disk, they
    always do; an object store may not)."""
    try:
        answers = all(store_answers(storages[alias]) for alias in ("default", "documents"))
    except Exception:
        # A store that refuses the site (credentials, a bucket gone) is
        # unavailable to it all the same; the log says why.
        logger.exception("Health check: the object store refused the lookup")
        return UNAVAILABLE
    return OK if answers else UNAVAILABLE


@never_cache
def healthz(request):
    """200 "ok" when the database answers, 503 "database unavailable" when
    it does not; with `?full=1`, a JSON report of the database, Redis and the
    store, 503 when any of them is unavailable."""
    if request.GET.get("full") == "1":
        report = {
            "database": OK if database_answers() else UNAVAILABLE,
            "redis": redis_state(),
            "store": store_state(),
        }
        status = 503 if UNAVAILABLE in report.values() else 200
        return JsonResponse(report, status=status)
    if not database_answers():
        return HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
