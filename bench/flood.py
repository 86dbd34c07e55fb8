"""Four anonymous clients repeating an uncacheable search (issue 13, attack 6)
and the kept pages meanwhile, with the limits of serving/limits.py and
without them:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<seeded> .venv/bin/python -m bench.flood [--seconds 30]

The database must hold releases (seed_releases). Starts redis-server on 17034
(the page cache and the counts) and gunicorn (2 sync workers, production
settings, one trusted proxy so that each client sends its own address) on
17033. Each client searches the six commonest words of the newest Azerbaijani
titles with the three most used tags, at page 10,000,000, with a parameter of
its own on every request so that no cache keeps it; a fifth client asks for
two kept pages (/ and /releases/) in turn. Prints, for each mode, the kept
pages' median and 99th percentile, and what the searches were answered.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from statistics import median, quantiles

from bench import servers
from bench.run import site_environment

SITE_PORT, REDIS_PORT = 17033, 17034
KEPT_PAGES = ["/", "/releases/"]
CLIENTS = 4


def costly_search():
    """The issue's worst address: six common words, three popular tags, a page
    far past the end."""
    import django

    # This process only reads the database: the development settings do.
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.main")
    django.setup()
    from releases.models import Release, TagCount

    titles = Release.objects.published().filter(language="az").order_by("-published_at")[:500]
    words = Counter(word.lower() for title in titles.values_list("title", flat=True) for word in title.split())
    common = [word for word, _count in words.most_common() if len(word) > 3 and word.isalpha()][:6]
    tags = TagCount.objects.filter(language="az").order_by("-releases").values_list("tag__slug", flat=True)[:3]
    query = [("q", " ".join(common)), *(("tag", slug) for slug in tags), ("page", "10000000")]
    return "/az/releases/?" + urllib.parse.urlencode(query)


def get(origin, path, address):
    request = urllib.request.Request(origin + path, headers={"X-Forwarded-For": address})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def flood(origin, search, seconds):
    """(kept pages' times in ms, Counter of the searches' statuses)."""
    stop = time.monotonic() + seconds
    kept, answers, lock = [], Counter(), threading.Lock()

    def searcher(number):
        n = 0
        while time.monotonic() < stop:
            status, _ms = get(origin, f"{search}&bust={number}-{n}", f"198.51.100.{number + 1}")
            n += 1
            with lock:
                answers[status] += 1

    def reader():
        n = 0
        while time.monotonic() < stop:
            kept.append(get(origin, KEPT_PAGES[n % len(KEPT_PAGES)], "203.0.113.9")[1])
            n += 1

    threads = [threading.Thread(target=searcher, args=(number,)) for number in range(CLIENTS)]
    threads.append(threading.Thread(target=reader))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return kept, answers


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="how long each mode floods the site")
    args = parser.parse_args(argv)
    url = os.environ["DATABASE_URL"]
    search = costly_search()
    print(f"search: {search}", flush=True)
    modes = {
        "without limits": {"PRESSROOM_RATE_LIMIT_REQUESTS": "0", "PRESSROOM_LIST_STATEMENT_TIMEOUT_MS": "0"},
        "with limits (defaults)": {},
    }
    logs = tempfile.mkdtemp(prefix="flood-")
    site = site_environment(url, SITE_PORT) | {
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "PRESSROOM_PAGE_CACHE_SECONDS": "600",
        "PRESSROOM_TRUSTED_PROXIES": "1",
    }
    # The static files' manifest, which the production settings need.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, env=servers.environment(**site), cwd=Path(__file__).resolve().parent.parent, check=True)
    for name, limits in modes.items():
        redis = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--dir", logs],
            stdout=subprocess.DEVNULL,
        )
        try:
            server = servers.Gunicorn(
                "pressroom.wsgi",
                port=SITE_PORT,
                workers=2,
                environment=servers.environment(**site, **limits),
                log_dir=logs,
                name="flood",
            )
            with server:
                quiet = [get(server.origin, page, "203.0.113.9")[1] for page in KEPT_PAGES * 20]
                kept, answers = flood(server.origin, search, args.seconds)
        finally:
            redis.kill()
            redis.wait()
        p99 = quantiles(kept, n=100)[98] if len(kept) > 1 else kept[0]
        print(
            f"{name}: kept pages {median(quiet):.0f} ms alone, {median(kept):.0f} ms median and {p99:.0f} ms p99 "
            f"during the flood ({len(kept)} requests); searches answered {dict(sorted(answers.items()))}",
            flush=True,
        )


if __name__ == "__main__":
    main()
