"""Server time of the public search page (issue 15): searches in each
language, common and rare words, as typed and without diacritics, fetched
with Django's test client, the median and best of N, in milliseconds: the
whole response (wall clock) and the time in SQL queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pressroom_bench \\
        .venv/bin/python -m bench.search_speed [--repeat 15]

Seed the database first (`manage.py seed_releases --count 100000`). The
settings are the test suite's, with no page cache and no rate limit. To
time another version of the code on the same database, run this file with
that version first on the path: `PYTHONPATH=/path/to/it python
bench/search_speed.py`.
"""

import argparse
import os
import statistics
import time

SEARCHES = [
    ("en", "customs cooperation"),
    ("en", "customs"),
    ("en", "brus"),
    ("az", "gömrük əməkdaşları"),
    ("az", "gomruk emekdaslari"),
    ("az", "komitəsinin"),
    ("ru", "таможенного комитета"),
    ("ru", "таможня"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15, help="runs of each search")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.test")
    import django

    django.setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse
    from django.utils import translation

    from releases.models import Release

    client = Client(SERVER_NAME="localhost")
    print(f"{Release.objects.order_by().count():,} releases on {connection.vendor}; median and best of {args.repeat}")
    print("| language | words | ms (median) | ms (best) | SQL ms (median) | queries | status |")
    print("|---|---|---:|---:|---:|---:|---:|")
    with override_settings(PRESSROOM_RATE_LIMIT_REQUESTS=0, PRESSROOM_PAGE_CACHE_SECONDS=0):
        for language, words in SEARCHES:
            with translation.override(language):
                url = reverse("releases:release-list")
            times, sql_times = [], []
            for _run in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url, {"q": words})
                    times.append((time.perf_counter() - start) * 1000)
                sql_times.append(sum(float(query["time"]) for query in queries) * 1000)
            print(
                f"| {language} | {words} | {statistics.median(times):.1f} | {min(times):.1f}"
                f" | {statistics.median(sql_times):.1f} | {len(queries)} | {response.status_code} |"
            )


if __name__ == "__main__":
    main()
