"""A full incremental sync through the API (issue 20): a client walks
/api/v1/releases/?updated_since=... by cursor from the very start to the
end, as a new mirror would, against gunicorn (one sync worker, the
production settings, no page cache) on the benchmark's PostgreSQL database
(DATABASE_URL, by default that of `make bench`, seeded by it).

Prints the time of the walk, the releases and pages it read, the time of
the first and the last pages (a page by cursor should cost the same at any
depth), and the worker's memory (RSS) before, at its largest during, and
after the walk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pressroom_bench .venv/bin/python -m bench.api_sync

With --in-process, no server: the first --pages pages of the same walk are
fetched once through Django's test client (the whole middleware, page cache
off), then again, measured: per page, the median wall time, the CPU time of
the process (what a page costs the server, whatever else runs on the
machine), the wall time spent in queries and the CPU time spent
serializing (DRF's list serializers). On a shared machine the CPU times are
the figures to compare; wall times include waiting for a core.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager

from bench import database, servers
from bench.run import site_environment

SYNC_PORT = 17256


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.api_sync", description=__doc__.split("\n\n")[0])
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--port", type=int, default=SYNC_PORT)
    parser.add_argument("--since", default="1900-01-01T00:00:00Z")
    parser.add_argument("--in-process", action="store_true", help="no server: where a page's time goes")
    parser.add_argument("--pages", type=int, default=60, help="with --in-process: pages measured")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL") or database.DEFAULT_URL
    if args.in_process:
        return in_process(url, args)
    environment = servers.environment(**site_environment(url, args.port), PRESSROOM_PAGE_CACHE_SECONDS="0")
    with (
        tempfile.TemporaryDirectory(prefix="pressroom-api-sync-") as logs,
        servers.Gunicorn(
            "pressroom.wsgi", port=args.port, workers=1, environment=environment, log_dir=logs, name="sync"
        ) as server,
    ):
        path = f"/api/v1/releases/?updated_since={args.since}&page_size={args.page_size}"
        rss_before = max(server.worker_rss_mib())
        rss_peak, times, rows, statuses = rss_before, [], 0, {}
        started = time.monotonic()
        while path:
            began = time.monotonic()
            status, body = server.get(path)
            times.append((time.monotonic() - began) * 1000)
            page = json.loads(body)
            if status != 200:
                raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
            rows += len(page["results"])
            for row in page["results"]:
                statuses[row["status"]] = statuses.get(row["status"], 0) + 1
            path = page["next"] and page["next"].removeprefix(server.origin)
            if len(times) % 50 == 0:
                rss_peak = max(rss_peak, *server.worker_rss_mib())
        seconds = time.monotonic() - started
        rss_after = max(server.worker_rss_mib())
        rss_peak = max(rss_peak, rss_after)
    pages = len(times)
    print(f"database: {url.rsplit('/', 1)[-1]}; page size {args.page_size}; since {args.since}")
    rate = rows / seconds
    print(f"walked {rows:,} releases ({statuses}) in {pages:,} pages, {seconds:.1f} s ({rate:,.0f} releases/s)")
    tenth = max(1, pages // 10)
    print(
        f"page time ms: median {statistics.median(times):.1f}; first tenth {statistics.median(times[:tenth]):.1f}, "
        f"last tenth {statistics.median(times[-tenth:]):.1f}; max {max(times):.1f}"
    )
    print(f"worker RSS MiB: {rss_before:.1f} before, {rss_peak:.1f} at most, {rss_after:.1f} after")
    return 0


def in_process(url, args):
    os.environ.update(
        site_environment(url, args.port)
        | {"PRESSROOM_PAGE_CACHE_SECONDS": "0", "PRESSROOM_API_RATE_LIMIT_REQUESTS": "0"}
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    path, paths = f"/api/v1/releases/?updated_since={args.since}&page_size={args.page_size}", []
    while path and len(paths) < args.pages:  # the walk's first pages, read once (warm)
        paths.append(path)
        following = client.get(path).json()["next"]
        path = following and "/" + following.split("/", 3)[3]
    spent = {"queries": 0.0, "serializing": 0.0}

    def timed_queries(execute, *arguments):
        began = time.perf_counter()
        try:
            return execute(*arguments)
        finally:
            spent["queries"] += time.perf_counter() - began

    figures = {"wall": [], "cpu": [], "queries": [], "serializing": []}
    with connection.execute_wrapper(timed_queries), serializing_timed(spent):
        for path in paths:
            spent.update(queries=0.0, serializing=0.0)
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(path)
            figures["cpu"].append(time.process_time() - cpu)
            figures["wall"].append(time.perf_counter() - wall)
            figures["queries"].append(spent["queries"])
            figures["serializing"].append(spent["serializing"])
    median = {name: statistics.median(values) * 1000 for name, values in figures.items()}
    print(
        f"database: {url.rsplit('/', 1)[-1]}; {len(paths)} pages of {args.page_size} from {args.since}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"per page, median ms: wall {median['wall']:.1f}; CPU of the process {median['cpu']:.1f}, "
        f"of which serializing {median['serializing']:.1f}; in queries (wall) {median['queries']:.1f}"
    )
    return 0


@contextmanager
def serializing_timed(spent):
    """Add the CPU time of every DRF list serializer's `data` to spent["serializing"]."""
    from rest_framework.serializers import ListSerializer

    data = ListSerializer.data

    def timed(serializer):
        began = time.process_time()
        try:
            return data.fget(serializer)
        finally:
            spent["serializing"] += time.process_time() - began

    ListSerializer.data = property(timed)
    try:
        yield
    finally:
        ListSerializer.data = data


if __name__ == "__main__":
    sys.exit(main())
