"""The floor: the same gunicorn, serving a prebuilt response (list page 1 as
the site rendered it) with no Django, no database and no template. What a
page reaches of it is what the benchmark compares.

    BENCH_FLOOR_FILE=/tmp/page.html gunicorn bench.floor:application
"""

import os
from pathlib import Path

BODY = Path(os.environ["BENCH_FLOOR_FILE"]).read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
