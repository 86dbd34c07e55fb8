"""A search page against list page 1 (issue 22, "search in one pass"): the
server time of list page 1, a search for two common words and a popular
tag with those words, in interleaved rounds through Django's test client,
with the worker's CPU time, the SQL time and the queries of each; and each
page's ratio to list page 1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<seeded database> \\
        .venv/bin/python -m bench.search_pass [--rounds 15] [--explain]

The settings are the test suite's, with no page cache and no rate limit.
To time another version of the code on the same database, run this file
with that version first on the path (`PYTHONPATH=/path/to/it`). --explain
prints EXPLAIN ANALYZE of each search page's slowest statement.
"""

import argparse
import os
import statistics
import time
from urllib.parse import urlencode


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15, help="rounds, each loading every page once")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.test")
    import django

    django.setup()

    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from bench.pages import SEARCH_WORDS
    from releases.models import Release, TaggedRelease

    public = Release.objects.published().filter(language="en")
    tag = (
        TaggedRelease.objects.filter(content_object__in=public.values("pk"))
        .values_list("tag__slug")
        .annotate(releases=Count("pk"))
        .order_by("-releases", "tag__slug")
        .first()
    )
    release_list = reverse("releases:release-list")
    pages = {
        "list, page 1": release_list,
        f"search, {SEARCH_WORDS}": f"{release_list}?{urlencode({'q': SEARCH_WORDS})}",
        f"popular tag ({tag[1]:,}) and {SEARCH_WORDS}": (
            f"{release_list}?{urlencode({'tag': tag[0], 'q': SEARCH_WORDS})}"
        ),
    }
    client = Client(SERVER_NAME="localhost")
    results = {name: {"ms": [], "cpu": [], "sql": [], "queries": 0, "slowest": None} for name in pages}
    # No statement budget: a slow page is measured, not answered 503.
    no_limits = {"PRESSROOM_RATE_LIMIT_REQUESTS": 0, "PRESSROOM_LIST_STATEMENT_TIMEOUT_MS": 0}
    with override_settings(PRESSROOM_PAGE_CACHE_SECONDS=0, **no_limits):
        for path in pages.values():
            client.get(path)  # warm up
        for _round in range(args.rounds):
            for name, path in pages.items():
                with CaptureQueriesContext(connection) as queries:
                    cpu, start = time.process_time(), time.perf_counter()
                    response = client.get(path)
                    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
                assert response.status_code == 200, (path, response.status_code)
                result = results[name]
                result["ms"].append(elapsed * 1000)
                result["cpu"].append(cpu * 1000)
                result["sql"].append(sum(float(query["time"]) for query in queries) * 1000)
                result["queries"] = len(queries)
                result["slowest"] = max(queries, key=lambda query: float(query["time"]))["sql"]
    print(
        f"{public.count():,} public English releases; median of {args.rounds} interleaved rounds; load average "
        + " ".join(f"{load:.1f}" for load in os.getloadavg())
    )
    print("| page | ms | CPU ms | SQL ms | queries | vs list page 1 |")
    print("|---|---:|---:|---:|---:|---:|")
    base = statistics.median(results["list, page 1"]["ms"])
    for name, result in results.items():
        ms = statistics.median(result["ms"])
        print(
            f"| {name} | {ms:.1f} | {statistics.median(result['cpu']):.1f} | {statistics.median(result['sql']):.1f}"
            f" | {result['queries']} | {ms / base:.2f} |"
        )
    if args.explain:
        with connection.cursor() as cursor:
            for name, result in list(results.items())[1:]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + result["slowest"])
                print(f"\n{name}:\n" + "\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
