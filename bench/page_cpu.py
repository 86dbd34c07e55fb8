"""The CPU one uncached page costs, in one process (README, "Performance"):
each of the benchmark's pages (bench/pages.py) through Django's WSGI
handler as pressroom/wsgi.py loads it for a gunicorn worker, with the
benchmark's settings (bench.run.site_environment, page cache off), in
interleaved rounds; prints the best and the median
`time.process_time()` of a request, and the wall time. The cache is the
process's own memory (no REDIS_URL): with `--cold` it is emptied before
each request, so that every card is rendered (releases/cards.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pressroom_bench \\
        .venv/bin/python -m bench.page_cpu [--rounds 15] [--pages REGEX] [--cold] [--profile REGEX]
        [--kept redis://127.0.0.1:6379/14 | --unkept redis://127.0.0.1:6379/14]

Seed the database first (`make bench` or `manage.py seed_releases`).
`--profile` runs the first page matching it under cProfile instead and
prints where its CPU goes. `--kept REDIS_URL` measures kept pages instead:
the page cache on, in that Redis database (emptied first), each page kept
by the warm-up. `--unkept REDIS_URL`: the page cache on, but each page's
kept copy deleted before each request, as for a page the cache does not
keep while the version of the content lasts (a search, a rare tag, a deep
page): what a version's readers pay beyond the pages kept. To compare two versions of the code on the same
database, run this module from each checkout in turn.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path


def arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.page_cpu", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15, help="requests to each page, one per round")
    parser.add_argument("--pages", help="only the pages whose names match this regular expression")
    parser.add_argument(
        "--cold", action="store_true", help="empty the cache before each request: no card kept (releases/cards.py)"
    )
    parser.add_argument("--profile", help="profile the first page whose name matches, for --rounds requests")
    parser.add_argument("--kept", metavar="REDIS_URL", help="the page cache on, in this Redis database: kept pages")
    parser.add_argument(
        "--unkept", metavar="REDIS_URL", help="the page cache on, in this Redis database, but no page kept"
    )
    args = parser.parse_args(argv)
    if sum(map(bool, (args.kept, args.unkept, args.cold))) > 1:
        parser.error("--kept, --unkept and --cold measure different things: one of them")
    return args


def main(argv=None):
    args = arguments(argv)
    from bench.run import site_environment

    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("DATABASE_URL: a seeded PostgreSQL database")
    # The benchmark's settings (bench.run), without the page cache unless --kept.
    os.environ.update(site_environment(url, 8000) | {"PRESSROOM_RATE_LIMIT_REQUESTS": "0"})
    if args.kept or args.unkept:
        os.environ["REDIS_URL"] = args.kept or args.unkept
    else:
        os.environ["PRESSROOM_PAGE_CACHE_SECONDS"] = "0"
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import RequestFactory

    from bench.pages import benchmark_pages

    # The production settings serve static files from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    # Django's handler as a gunicorn worker loads it (pressroom/wsgi.py),
    # without the layer in front of it that answers kept pages.
    from pressroom.wsgi import django_application as handler

    factory = RequestFactory()

    def get(url):
        path, _, query = url.partition("?")
        environ = factory._base_environ(
            PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET", SERVER_NAME="127.0.0.1", HTTP_HOST="127.0.0.1"
        )
        statuses = []
        b"".join(handler(environ, lambda status, headers, *_: statuses.append(status)))
        return statuses[0]

    if args.kept or args.unkept:
        cache.clear()
    pages = [page for page in benchmark_pages() if not args.pages or re.search(args.pages, page.name)]
    for page in pages:
        for _ in range(2):
            status = get(page.path)
        if not status.startswith("200"):
            raise SystemExit(f"{page.path} answered {status}")
    if args.profile:
        page = next(page for page in pages if re.search(args.profile, page.name))
        # CPU time, not wall time: on a busy machine waits would swamp it.
        profile = cProfile.Profile(time.process_time)
        for _ in range(args.rounds):
            if args.unkept:
                forget_kept_pages(args.unkept)
            profile.enable()
            get(page.path)
            profile.disable()
        stats = pstats.Stats(profile)
        print_areas(stats, args.rounds)
        stats.strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        return 0
    cpu = {page.name: [] for page in pages}
    wall = {page.name: [] for page in pages}
    for _ in range(args.rounds):
        for page in pages:
            if args.cold:
                cache.clear()
            elif args.unkept:
                forget_kept_pages(args.unkept)
            cpu_started, wall_started = time.process_time(), time.perf_counter()
            get(page.path)
            cpu[page.name].append((time.process_time() - cpu_started) * 1000)
            wall[page.name].append((time.perf_counter() - wall_started) * 1000)
    width = max(len(page.name) for page in pages)
    print(f"{'page':<{width}}  CPU ms best  CPU ms median  wall ms median")
    for page in pages:
        print(
            f"{page.name:<{width}}  {min(cpu[page.name]):11.2f}  {statistics.median(cpu[page.name]):13.2f}"
            f"  {statistics.median(wall[page.name]):14.2f}"
        )
    print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    return 0


def forget_kept_pages(redis_url):
    """Delete every page the page cache keeps (serving/pagecache.py), and
    nothing else: not the version of the content, nor the cards."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match="*pressroom:page:*", count=1000):
        client.delete(key)


# Where a function lives, the first match of its file's path: (area, part of the path).
AREAS = [
    ("Django templates", "/django/template/"),
    ("Django ORM: building and compiling queries", "/django/db/models/"),
    ("Django ORM: running queries and reading rows", "/django/db/"),
    ("database driver (psycopg2)", "/psycopg2/"),
    ("Django: forms", "/django/forms/"),
    ("Django: URLs", "/django/urls/"),
    ("Django: translations", "/django/utils/translation/"),
    ("Django: the rest (handler, middleware, HTTP, utils)", "/django/"),
    ("django-taggit, modeltranslation, csp and other packages", "/site-packages/"),
    ("our code", f"{Path(__file__).resolve().parent.parent}/"),
    ("Python's standard library and built-ins", ""),
]


def area_of(filename):
    # cProfile names built-ins "~" and C methods by "<built-in ...>": the last area.
    return next(name for name, part in AREAS if part in filename)


def print_areas(stats, requests):
    """The profile's own time (tottime) summed by where each function
    lives: which layer a page's CPU goes to."""
    spent = dict.fromkeys((name for name, _part in AREAS), 0.0)
    for (filename, _line, _function), (_calls, _primitive, own, _cumulative, _callers) in stats.stats.items():
        spent[area_of(filename)] += own
    total = sum(spent.values())
    print(f"CPU a request by area (cProfile's own time, which slows Python down): {total / requests * 1000:.1f} ms")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {seconds / total:6.1%}  {seconds / requests * 1000:6.2f} ms  {name}")


if __name__ == "__main__":
    sys.exit(main())
