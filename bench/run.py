"""The benchmark of issue 8: `make bench` runs `python -m bench.run`.

1. Prepares a PostgreSQL database (DATABASE_URL, by default pressroom_bench;
   created when missing, migrated, seeded with seed_releases up to --size).
2. Counts each page's queries through Django's test client, with the same
   settings as the server.
3. Starts gunicorn with 2 sync workers and the production settings over
   plain HTTP for each mode (uncached, and cached: the page cache in Redis),
   and a second gunicorn serving the floor (bench/floor.py: list page 1 as
   bytes, no Django).
4. Loads every page in every mode, and the floor, with wrk in interleaved
   rounds, so that noise on the machine hits them all alike.
5. Prints the table and writes it to bench/results/<date>-<size>.md.
"""

import argparse
import contextlib
import math
import os
import platform
import re
import secrets
import signal
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench import database, load, report, servers
from bench.pages import MODE_NAMES, REDIS_DATABASE, Page, modes, redis_url

RESULTS = Path(__file__).resolve().parent / "results"
MAX_RUN_SECONDS = 120
SLOW_PAGE_SECONDS = 5.0
SITE_PORT = 8310
# The page the floor serves as prebuilt bytes (bench/floor.py).
FLOOR_PAGE = "list, page 1"
FLOOR_PORT = 8309


def size(text):
    text = text.strip().lower().replace(",", "").replace("_", "")
    for suffix, factor in (("m", 1_000_000), ("k", 1_000)):
        if text.endswith(suffix):
            return int(float(text[:-1]) * factor)
    return int(text)


def arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=size, default=database.DEFAULT_SIZE, help="releases (100000, 100k, 1m)")
    parser.add_argument("--mode", choices=[*MODE_NAMES, "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4, help="length of each wrk run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, for the site and the floor")
    parser.add_argument("--seed", type=int, default=1, help="seed_releases --seed")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each page's slowest query")
    parser.add_argument("--port", type=int, default=SITE_PORT, help="the first site's port (the second: the next)")
    parser.add_argument("--floor-port", type=int, default=FLOOR_PORT)
    parser.add_argument(
        "--redis-db", type=int, default=REDIS_DATABASE, help="the Redis database on 6379 of both modes, emptied first"
    )
    parser.add_argument("--label", default="", help="added to the results' file name")
    parser.add_argument(
        "--pages", help="only the pages whose names match this regular expression (the list's page 1 always)"
    )
    return parser.parse_args(argv)


def site_environment(url, port):
    """The production settings, over plain HTTP on loopback, with the demo
    app, whose seed_releases fills the database (it adds no page, no
    middleware and no query to what is measured)."""
    return {
        "DJANGO_SETTINGS_MODULE": "pressroom.settings.main",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "PRESSROOM_DEMO_APP": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        # wrk is one client, from one address: the API's rate limit would
        # answer most of its requests 429.
        "PRESSROOM_API_RATE_LIMIT_REQUESTS": "0",
    }


class QueryTimer:
    """A database execute wrapper that records each query with its time."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))


def measure_queries(results, *, explain):
    """Queries and their time for one request to each page, through Django's
    test client (after one request that warms the process up, and fills the
    page cache of a cached mode)."""
    from django.db import connection
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    for result in results:
        seconds = int(result.mode.environment["PRESSROOM_PAGE_CACHE_SECONDS"])
        with override_settings(PRESSROOM_PAGE_CACHE_SECONDS=seconds):
            client.get(result.path)
            timer = QueryTimer()
            with connection.execute_wrapper(timer):
                response = client.get(result.path)
        if response.status_code != 200:
            raise SystemExit(f"{result.path} answered {response.status_code} to the test client")
        result.queries = len(timer.queries)
        result.sql_ms = sum(milliseconds for milliseconds, _, _ in timer.queries)
        if not timer.queries:
            continue
        milliseconds, sql, params = max(timer.queries, key=lambda query: query[0])
        with connection.cursor() as cursor:
            result.slowest_query = (milliseconds, cursor.mogrify(sql, params).decode())
            if explain:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                result.explain = "\n".join(row[0] for row in cursor.fetchall())


def machine():
    cpu_lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpu_lines if "model name" in line), platform.processor())
    memory_lines = Path("/proc/meminfo").read_text().splitlines()
    memory_kib = next(int(line.split()[1]) for line in memory_lines if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores ({cpu}), {memory_kib / 1024**2:.0f} GiB RAM, Linux {platform.release()}"


def load_average():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run_connections(args, result):
    """Fewer connections for a page that takes seconds (a sitemap page of
    50,000 addresses): 16 of them would queue for minutes, and the requests
    left behind when wrk stops would take minutes more to serve."""
    return args.workers if result.unloaded_seconds > SLOW_PAGE_SECONDS else args.connections


def run_seconds(args, result):
    """A run long enough for every connection to see several answers."""
    queued = run_connections(args, result) * result.unloaded_seconds / args.workers
    return min(MAX_RUN_SECONDS, max(args.seconds, math.ceil(3 * queued)))


def wait_until_idle(server, timeout=900):
    """Wait until the server has served every request wrk left behind."""
    deadline = time.monotonic() + timeout
    while server.requests_in_hand() and time.monotonic() < deadline:
        time.sleep(0.1)


def run_rounds(args, floor, results, floor_result):
    for number in range(1, args.rounds + 1):
        for result in [*results, floor_result]:
            server = floor if result is floor_result else result.server
            seconds, connections = run_seconds(args, result), run_connections(args, result)
            run = load.wrk(
                server.origin + result.path,
                seconds=seconds,
                threads=min(args.threads, connections),
                connections=connections,
            )
            wait_until_idle(server)
            result.runs.append(run)
            result.rss_mib = max(server.worker_rss_mib(), default=0.0)
            errors = (
                f"  errors: {run.non_2xx} non-2xx, {run.socket_errors} socket, {run.timeouts} timeouts"
                if run.errors
                else ""
            )
            if connections != args.connections:
                result.connections = connections
            print(
                f"round {number}/{args.rounds}  {result.name:<32} {seconds:3d} s {connections:2d} c "
                f"{run.per_second:9,.1f} req/s  "
                f"p50 {run.p50_ms:8,.1f} ms  p99 {run.p99_ms:9,.1f} ms{errors}",
                flush=True,
            )


def stop(signum, frame):
    # Leave through the with blocks, which stop the gunicorns.
    raise SystemExit(f"Stopped by signal {signum}.")


def empty_redis(url):
    import redis

    try:
        redis.Redis.from_url(url).flushdb()
    except redis.ConnectionError as error:
        raise SystemExit(f"The benchmark needs Redis at {url}: {error}") from None


def main(argv=None):
    signal.signal(signal.SIGTERM, stop)
    args = arguments(argv)
    by_name = modes(args.redis_db)
    names = [name for name in reversed(MODE_NAMES) if args.mode in (name, "both")]
    url = os.environ.get("DATABASE_URL") or database.default_url(args.size)
    load.ensure_wrk()
    empty_redis(redis_url(args.redis_db))
    if database.ensure_database(url):
        print(f"Created the database of {url}.")
    print(f"Database: {url}", flush=True)
    # The site keeps its statement timeout (None: the default); this process
    # vacuums and explains, without one. wrk is one client: the rate limit of
    # searches and deep pages (serving/limits.py) would answer it 429.
    environment = site_environment(url, args.port) | {
        "DATABASE_STATEMENT_TIMEOUT": os.environ.get("DATABASE_STATEMENT_TIMEOUT"),
        "PRESSROOM_RATE_LIMIT_REQUESTS": "0",
    }
    os.environ.update(environment | {"DATABASE_STATEMENT_TIMEOUT": "0"})

    import django

    django.setup()
    from django.db import connection, connections

    releases = database.prepare(args.size, seed=args.seed)
    pages = by_name[names[0]].pages()
    if args.pages:
        # The floor serves the list's page 1 as bytes: it stays, to compare with.
        pages = [page for page in pages if page.name == FLOOR_PAGE or re.search(args.pages, page.name)]
    results = [
        report.Result(page.name + by_name[name].label, page.path, mode=by_name[name])
        for name in names
        for page in pages
    ]
    print("Counting queries.", flush=True)
    measure_queries(results, explain=args.explain)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0]
    connections.close_all()

    list_page = next(page for page in pages if page.name == FLOOR_PAGE)
    floor_page = Page("floor (prebuilt list page 1)", list_page.path)
    floor_result = report.Result(floor_page.name, floor_page.path)
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as logs, contextlib.ExitStack() as stack:
        sites = {}
        for port, name in enumerate(names, start=args.port):
            server = servers.Gunicorn(
                "pressroom.wsgi",
                port=port,
                workers=args.workers,
                environment=servers.environment(**environment, **by_name[name].environment),
                log_dir=logs,
                name=name,
            )
            sites[name] = stack.enter_context(server)
        print("Warming up.", flush=True)
        for result in results:
            result.server = sites[next(name for name in names if by_name[name] is result.mode)]
            times = []
            for _ in range(result.mode.warm_up):
                started = time.monotonic()
                status, body = result.server.get(result.path)
                times.append(time.monotonic() - started)
            result.unloaded_seconds = min(times)
            if status != 200:
                raise SystemExit(f"{result.path} answered {status}")
            result.bytes = len(body)
        floor_file = Path(logs) / "floor.html"
        floor_file.write_bytes(results[0].server.get(list_page.path)[1])
        floor_result.bytes = floor_file.stat().st_size
        floor = stack.enter_context(
            servers.Gunicorn(
                "bench.floor:application",
                port=args.floor_port,
                workers=args.workers,
                environment=servers.environment(BENCH_FLOOR_FILE=floor_file),
                log_dir=logs,
                name="floor",
            )
        )
        rss_before = {name: site.worker_rss_mib() for name, site in sites.items()}
        positions = {name: site.log_position() for name, site in sites.items()}
        floor_position = floor.log_position()
        started = time.monotonic()
        run_rounds(args, floor, results, floor_result)
        minutes = (time.monotonic() - started) / 60
        site_times = {name: site.server_times_ms(since=positions[name]) for name, site in sites.items()}
        site_cpu = {name: site.cpu_times_ms(since=positions[name]) for name, site in sites.items()}
        floor_times = floor.server_times_ms(since=floor_position)
        floor_cpu = floor.cpu_times_ms(since=floor_position)
        rss_after = {name: site.worker_rss_mib() for name, site in sites.items()}
        served = {name: site.requests_logged() for name, site in sites.items()}
    for result in results:
        name = next(name for name in names if by_name[name] is result.mode)
        result.server_ms = site_times[name].get(result.path, [])
        result.cpu_ms = site_cpu[name].get(result.path, [])
    floor_result.server_ms = [value for values in floor_times.values() for value in values]
    floor_result.cpu_ms = [value for values in floor_cpu.values() for value in values]
    all_results = [*results, floor_result]

    print()
    print(report.text_table(all_results, floor_result))
    errors = "; ".join(f"{result.name}: {result.error_summary()}" for result in all_results if result.errors)
    if errors:
        print(f"\nErrors: {errors}")

    command = "make bench" + (f" BENCH_SIZE={args.size}" if args.size != database.DEFAULT_SIZE else "")
    described = "; ".join(f"{name}: {by_name[name].description}" for name in names)
    facts = [
        f"date: {date.today().isoformat()}; command: `{command}` (`python -m bench.run {' '.join(sys.argv[1:])}`)",
        f"machine: {machine()}; load average before {load_before}, after {load_average()}",
        f"PostgreSQL {postgresql}; Python {platform.python_version()}; database {url.rsplit('/', 1)[-1]} "
        f"with {releases:,} releases",
        f"modes: {described}; for each, gunicorn with {args.workers} sync workers, production settings "
        f"over plain HTTP; the floor: the same gunicorn serving bench/floor.py",
        f"load: wrk, {args.threads} threads, {args.connections} connections, {args.rounds} interleaved rounds; "
        f"each run {args.seconds} s, longer for slow pages (3 × connections × one request's time ÷ workers, "
        f"at most {MAX_RUN_SECONDS} s); {minutes:.1f} minutes in all",
    ]
    memory = "; ".join(
        f"{name}: {', '.join(f'{value:.1f}' for value in rss_before[name])} after warm-up, "
        f"{', '.join(f'{value:.1f}' for value in rss_after[name])} after {served[name]:,} requests"
        for name in names
    )
    notes = [
        "req/s: every request of the rounds over their seconds. p50, p99: wrk's latency at "
        f"{args.connections} connections, which includes waiting for a free worker (median of the rounds); "
        f"pages marked * take over {SLOW_PAGE_SECONDS:.0f} s alone and are loaded with {args.workers} connections. "
        "CPU ms: the median CPU time of a request in the worker (time.process_time() around it, "
        "bench/cpu_log.py). server p50: the median time in the worker, from gunicorn's access log. "
        "queries, SQL ms: one request "
        "through Django's test client with the same settings (a cached page: the second request). KiB: the "
        "response body. worker RSS: the larger worker after the page's last round. vs floor: the floor's req/s "
        "over the page's.",
        "",
        f"Worker memory (RSS, MiB): {memory}.",
    ]
    if errors:
        notes += ["", f"Errors: {errors}"]
    RESULTS.mkdir(exist_ok=True)
    suffix = ("" if args.mode == "both" else f"-{args.mode}") + (f"-{args.label}" if args.label else "")
    path = RESULTS / f"{date.today().isoformat()}-{database.size_label(releases)}{suffix}.md"
    title = f"Benchmark, {date.today().isoformat()}: {releases:,} releases"
    path.write_text(
        report.markdown(
            title=title, facts=facts, results=all_results, floor=floor_result, notes=notes, with_queries=True
        )
    )
    print(f"\nWritten to {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()
