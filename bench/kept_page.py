"""What a page kept by the page cache costs a worker (README, "Caching"):
`python -m bench.kept_page`. The demo content in a throwaway SQLite
database, the page cache in the process's own memory (the round trip to
Redis comes on top, the same for every design), each page asked once to keep
it, then 5 x 400 times through Django's WSGI handler; prints the median time
per request."""

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

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    handler = WSGIHandler()
    factory = RequestFactory()

    def get(url):
        path, _, query = url.partition("?")
        environ = factory._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET")
        statuses = []
        b"".join(handler(environ, lambda status, headers, *_: statuses.append(status)))
        return statuses[0]

    for url in PATHS:
        assert get(url).startswith("200"), url
        samples = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            for _ in range(REQUESTS):
                get(url)
            samples.append((time.perf_counter() - started) / REQUESTS * 1e6)
        print(f"{url:20} {statistics.median(samples):6,.0f} µs a kept page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
