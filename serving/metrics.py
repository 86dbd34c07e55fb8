"""Metrics for the operator (issue 13), in Prometheus' text format at
/metrics: requests and their durations by view, database queries and calls
to the shared cache and their durations, background tasks by outcome, and
what the apps report at each scrape (`report_at_scrape`: the outbox's
messages by status, the job queue's waiting tasks). Only addresses in PRESSROOM_METRICS_ALLOWED_IPS are answered;
to anyone else /metrics does not exist (404), and with the setting empty (the
default) it exists for no one.

gunicorn's workers are processes of their own: with PROMETHEUS_MULTIPROC_DIR
set to an empty folder writable by them (emptied at each start), every worker
writes its figures there and a scrape adds them up, whichever worker answers.
"""

import ipaddress
import os
import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from serving.client import client_address

# Any other method counts as one: a client cannot grow the labels without end.
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter(
    "pressroom_requests", "Requests answered, by view (URL name), method and status.", ["view", "method", "status"]
)
REQUEST_SECONDS = Histogram("pressroom_request_seconds", "Seconds taken to answer a request, by view.", ["view"])
QUERY_SECONDS = Histogram("pressroom_database_query_seconds", "Seconds taken by each database query.", ["database"])
CACHE_SECONDS = Histogram(
    "pressroom_cache_call_seconds",
    "Seconds taken by each call to the shared cache (Redis), by outcome: ok, failed, or skipped while it is down.",
    ["outcome"],
)
TASKS = Counter(
    "pressroom_tasks",
    "Background tasks finished, by task and outcome (succeeded, failed, retried).",
    ["task", "outcome"],
)

# Collectors the apps add (in their AppConfig.ready) for figures read afresh
# at each scrape from where they live (the database, the broker), the same
# whichever process answers: this module knows none of the apps.
_scrape_collectors = []


def report_at_scrape(collector):
    """Add `collector` (an object with a `collect()` yielding metric
    families, as prometheus_client's custom collectors have) to every scrape."""
    _scrape_collectors.append(collector)


class MetricsMiddleware:
    """Near the top of MIDDLEWARE, so that the time counted is nearly all
    the request's. A request that reached no view (a page from the page
    cache, a 404 of the URLconf, a health check) counts under "(none)"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        with ExitStack() as timing:
            for connection in connections.all():
                timing.enter_context(connection.execute_wrapper(timed_query))
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        count_request(
            match.view_name if match else "(none)", request.method, response.status_code, time.perf_counter() - started
        )
        return response


def count_request(view, method, status, seconds):
    """Count a request answered by `view` (its URL name) in `seconds`:
    MetricsMiddleware's, and a kept page's answered before Django
    (serving/pagecache.py)."""
    REQUEST_SECONDS.labels(view).observe(seconds)
    REQUESTS.labels(view, method if method in METHODS else "other", status).inc()


def timed_query(execute, sql, params, many, context):
    with QUERY_SECONDS.labels(context["connection"].alias).time():
        return execute(sql, params, many, context)


def may_scrape(request):
    address = client_address(request)
    if not address or not settings.PRESSROOM_METRICS_ALLOWED_IPS:
        return False
    address = ipaddress.ip_address(address)
    return any(address in ipaddress.ip_network(allowed) for allowed in settings.PRESSROOM_METRICS_ALLOWED_IPS)


def export(request):
    """The metrics of this process, or of every worker's in multi-process mode."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Everything(REGISTRY))
    for collector in _scrape_collectors:
        registry.register(collector)
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


class _Everything:
    """The process's own registry, as one collector of a scrape's registry."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()
