"""A web worker's memory: one gunicorn worker of the Python running this
(a production install's, `requirements.txt` alone, or the development
one's), on the production settings and the database of DATABASE_URL, asked
for each public page type --requests times; prints its resident size
(VmRSS) after each page type. Run from the project's folder:

    DATABASE_URL=postgres://... /path/to/venv/bin/python -m bench.worker_memory
"""

import argparse
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import servers

PAGES = ["/", "/releases/", "/releases/?page=7", "/releases/?q=customs", "/az/releases/", "/ru/", "/api/v1/releases/"]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
    except urllib.error.HTTPError as error:
        error.read()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.worker_memory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=17391)
    parser.add_argument("--requests", type=int, default=30, help="requests of each page type")
    options = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("DATABASE_URL: a database with releases (make bench's, or bench.alerts')")
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "pressroom.settings.main",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "pressroom.wsgi", "--workers=1", f"--bind=127.0.0.1:{options.port}", "--log-level=warning"],
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
    )
    origin = f"http://127.0.0.1:{options.port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(origin + "/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not answer") from None
                time.sleep(0.5)
        (worker,) = servers.children(server.pid)
        print(f"{sys.executable}: worker {worker}, {servers.rss_mib(worker):.1f} MiB after /healthz")
        for page in PAGES:
            for _number in range(options.requests):
                get(origin + page)
            print(f"  {servers.rss_mib(worker):6.1f} MiB after {page}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
