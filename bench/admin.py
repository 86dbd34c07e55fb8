"""Server time of the release admin's list (issue 8): the change list
unfiltered, with each filter and with a search, and of the desk, the
admin's home page (issue 16), fetched with Django's test
client as a superuser, best of N, in milliseconds: the whole response
(wall clock), the CPU time of this process (Python: mostly rendering a page
of 50 rows, the same at any size) and the time in SQL queries (the part
that grows with the data). On a busy machine the wall clock also counts
waiting for a CPU; CPU plus SQL is then the better figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pressroom_bench \\
        .venv/bin/python -m bench.admin [--repeat 5]

Seed the database first (`manage.py seed_releases --count 1000000`). The
settings are the test suite's (DEBUG off, no HTTPS redirect); no request
leaves the process, so the figures are the view's time, queries included.
"""

import argparse
import os
import re
import time

# The count at the end of the list's paginator paragraph.
PAGINATOR = re.compile(r'<p class="paginator">(.*?)</p>', re.S)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each page; the best is reported")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.test")
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils.html import strip_tags

    from releases.models import Department, Release, TaggedRelease

    user, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)

    url = reverse("admin:releases_release_changelist")
    newest = Release.objects.exclude(published_at=None).order_by("-published_at").first()
    event_id = Release.objects.exclude(event=None).values_list("event_id", flat=True).first()
    tag_id = TaggedRelease.objects.values_list("tag_id", flat=True).first()
    department_id = Department.objects.values_list("pk", flat=True).first()
    year = newest.published_at.year if newest else 2024
    pages = {
        "unfiltered": {},
        "page 50": {"p": 50},
        "status=draft": {"status__exact": "draft"},
        "language=en": {"language__exact": "en"},
        "missing=ru": {"missing": "ru"},
        "department": {"department__id__exact": department_id},
        "event": {"event__id__exact": event_id},
        "tag": {"tags__id__exact": tag_id},
        "year": {"published_at__year": year},
        "year+month": {"published_at__year": year, "published_at__month": 1},
        "search 'customs'": {"q": "customs"},
        "search 'brus'": {"q": "brus"},
        "tag+search+language": {"tags__id__exact": tag_id, "q": "customs", "language__exact": "en"},
        "bad tag id": {"tags__id__exact": "no-such-tag"},
        "author=me": {"author": "me"},
        "schedule=scheduled": {"schedule": "scheduled"},
        "schedule=public": {"schedule": "public"},
        "desk (admin home)": (reverse("admin:index"), {}),
    }
    print(f"{Release.objects.order_by().count():,} releases on {connection.vendor}; best of {args.repeat}")
    print(f"{'page':<24}{'ms':>8}{'cpu ms':>8}{'sql ms':>8}{'queries':>9}{'status':>8}  result count")
    for name, params in pages.items():
        page_url, params = params if isinstance(params, tuple) else (url, params)
        times, cpu_times, sql_times = [], [], []
        for _run in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(page_url, params)
                times.append((time.perf_counter() - start) * 1000)
                cpu_times.append((time.process_time() - start_cpu) * 1000)
            sql_times.append(sum(float(query["time"]) for query in queries) * 1000)
        paginator = PAGINATOR.search(response.content.decode())
        count = " ".join(strip_tags(paginator[1]).split()[-3:]) if paginator else "-"
        figures = f"{min(times):>8.1f}{min(cpu_times):>8.1f}{min(sql_times):>8.1f}{len(queries):>9}"
        print(f"{name:<24}{figures}{response.status_code:>8}  {count}")


if __name__ == "__main__":
    main()
