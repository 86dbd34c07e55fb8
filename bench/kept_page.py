"""What a page kept by the page cache costs a worker (README, "Caching"):
`python -m bench.kept_page`. The demo content in a throwaway SQLite
database, the page cache in the process's own memory, or in the Redis of
REDIS_URL if it is set (that database is emptied), each page asked once to keep
it, then 5 x 400 times through Django's WSGI handler and through KeptPages in
front of it (pressroom/wsgi.py), in turn; prints the median CPU time per
request of each (time.process_time, so that other processes' load counts
less)."""

import io
import os
import statistics
import sys
import tempfile
import time

ROUNDS, REQUESTS = 5, 400
PATHS = ["/", "/releases/", "/releases/?page=2", "/feeds/rss/"]


def main():
    folder = tempfile.mkdtemp(prefix="pressroom-kept-page-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pressroom.settings.test",
        DATABASE_URL=f"sqlite:///{folder}/kept-page.sqlite3",
        PRESSROOM_PAGE_CACHE_SECONDS="600",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import RequestFactory
    from django.test.utils import setup_test_environment

    # As in production: WhiteNoise reads the static files once, not at each request.
    settings.WHITENOISE_AUTOREFRESH = False
    from django.core.handlers.wsgi import WSGIHandler

    from serving.pagecache import KeptPages

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    from django.core.cache import cache

    cache.clear()
    django_handler = WSGIHandler()
    handlers = {"Django's handler": django_handler, "KeptPages": KeptPages(django_handler)}
    factory = RequestFactory()

    def get(handler, url):
        path, _, query = url.partition("?")
        environ = factory._base_environ(
            PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET", HTTP_HOST="testserver"
        )
        statuses = []
        b"".join(handler(environ, lambda status, headers, *_: statuses.append(status)))
        return statuses[0]

    for url in PATHS:
        samples = {name: [] for name in handlers}
        for handler in handlers.values():
            assert get(handler, url).startswith("200"), url
        for _ in range(ROUNDS):
            for name, handler in handlers.items():
                started = time.process_time()
                for _ in range(REQUESTS):
                    get(handler, url)
                samples[name].append((time.process_time() - started) / REQUESTS * 1e6)
        print(
            f"{url:20} "
            + "  ".join(f"{name}: {statistics.median(values):6,.0f} µs" for name, values in samples.items())
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
