"""The outage test (issue 7): gunicorn serving the production settings while
the PostgreSQL server under it is stopped and started again. While it is down,
/healthz answers 503 and every page the static 503 page, never a traceback;
once it is back, everything answers 200 again within seconds, gunicorn never
restarted; and a restart of the server between two requests costs no request
an error (CONN_HEALTH_CHECKS replaces the dead persistent connections).

It stops the server that every other test run on the machine uses, so it
runs only with PRESSROOM_OUTAGE_TEST=1, as .ci/run does after the suite, by a
user that may stop and start the cluster (root or postgres). The database is
its own, PRESSROOM_OUTAGE_DATABASE_URL (default pressroom_outage), made anew,
migrated and given the demo content by the test."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
import psycopg2
import pytest

pytestmark = [
    pytest.mark.outage,
    pytest.mark.skipif(
        os.environ.get("PRESSROOM_OUTAGE_TEST") != "1",
        reason="stops PostgreSQL: run with PRESSROOM_OUTAGE_TEST=1 (.ci/run does)",
    ),
]

PROJECT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
DATABASE_URL = os.environ.get("PRESSROOM_OUTAGE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pressroom_outage")
DATABASE = dj_database_url.parse(DATABASE_URL)
WORKERS = 2
# How long the site may take to answer again once the server accepts connections.
RECOVERY_SECONDS = 5
NOTICE = b"The site is temporarily unavailable"


class Cluster:
    """The Debian PostgreSQL cluster that listens on the database's port."""

    def __init__(self, port):
        lines = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
        clusters = [line.split() for line in lines.splitlines()]
        self.version, self.name = next((c[0], c[1]) for c in clusters if c[2] == str(port))
        self.port = port

    def ctl(self, action, *options):
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action, *options]
        subprocess.run(command, check=True, capture_output=True)

    def is_ready(self):
        command = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run(command, check=False).returncode == 0

    def stop(self):
        self.ctl("stop", "-m", "fast")

    def start(self):
        self.ctl("start")
        deadline = time.monotonic() + 30
        while not self.is_ready():
            assert time.monotonic() < deadline, "PostgreSQL did not come back in 30 s"
            time.sleep(0.1)

    def ensure_running(self):
        if not self.is_ready():
            self.start()


@contextmanager
def maintenance_cursor(dbname="postgres"):
    """A cursor on the server, in autocommit (no `with connection`: psycopg2
    opens a transaction for it, where CREATE DATABASE cannot run)."""
    connection = psycopg2.connect(
        dbname=dbname,
        user=DATABASE["USER"],
        password=DATABASE["PASSWORD"],
        host=DATABASE["HOST"],
        port=DATABASE["PORT"],
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster(DATABASE["PORT"] or 5432)
    cluster.ensure_running()
    yield cluster
    cluster.ensure_running()


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """The production settings (DEBUG off) on plain HTTP on loopback."""
    folder = tmp_path_factory.mktemp("outage")
    port = free_port()
    return {
        **os.environ,
        # pytest-django set the test settings for this process; not for the server.
        "DJANGO_SETTINGS_MODULE": "pressroom.settings.main",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": DATABASE_URL,
        # Persistent connections, the case that needs a health check to
        # survive a restart of the server.
        "DATABASE_CONN_MAX_AGE": "600",
        "MEDIA_ROOT": str(folder / "media"),
        "DOCUMENTS_ROOT": str(folder / "documents"),
        "PORT": str(port),
        "LOG_DIR": str(folder),
    }


def manage(environment, *arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=PROJECT, env=environment, check=True)


@pytest.fixture(scope="module")
def database(cluster, environment):
    """The test's own database, made anew, migrated, with the demo content."""
    name = DATABASE["NAME"]
    with maintenance_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    manage(environment, "migrate", "--no-input", "--verbosity=0")
    manage({**environment, "PRESSROOM_DEMO_APP": "1"}, "load_demo")
    manage(environment, "collectstatic", "--no-input", "--verbosity=0")
    return name


class Server:
    def __init__(self, environment):
        self.origin = f"http://127.0.0.1:{environment['PORT']}"
        self.error_log = Path(environment["LOG_DIR"]) / "gunicorn-error.log"
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "pressroom.wsgi",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{environment['PORT']}",
                f"--error-logfile={self.error_log}",
                # Not the control socket every other gunicorn of this user shares.
                "--no-control-socket",
            ],
            cwd=PROJECT,
            env=environment,
        )

    def get(self, path):
        """(status, headers, body) of one request."""
        try:
            with urllib.request.urlopen(self.origin + path, timeout=20) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def wait_until_serving(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn stopped: {self.error_log.read_text()}"
            try:
                if self.get("/healthz")[0] == 200 and len(self.worker_pids()) == WORKERS:
                    return
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer in {timeout} s: {self.error_log.read_text()}")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sorted(int(pid) for pid in children.read_text().split())

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def server(database, environment):
    server = Server(environment)
    try:
        server.wait_until_serving()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def release_path(database):
    with maintenance_cursor(database) as cursor:
        cursor.execute(
            "SELECT slug FROM releases_release WHERE language = 'en' AND status = 'published' "
            "AND published_at <= now() ORDER BY published_at DESC LIMIT 1"
        )
        (slug,) = cursor.fetchone()
    return f"/releases/{slug}/"


def open_connections(database):
    """The connections gunicorn's workers hold to the test's database."""
    with maintenance_cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database])
        (count,) = cursor.fetchone()
    return count


def warm_up(server, paths):
    """Enough requests that every worker has served some, and holds a connection."""
    for _ in range(3 * WORKERS):
        for path in paths:
            status, _, body = server.get(path)
            assert status == 200, body[:500]


def assert_outage_page(server, path):
    status, headers, body = server.get(path)
    assert status == 503, (path, body[:500])
    assert NOTICE in body
    assert headers["Retry-After"]
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Traceback" not in body
    assert b"django" not in body.lower()


def test_the_site_answers_503_while_postgresql_is_down_and_recovers_without_a_restart(
    cluster, database, server, release_path, capsys
):
    pages = ["/", "/releases/", release_path, "/ru/releases/", "/tags/"]
    warm_up(server, ["/healthz", *pages])
    workers = server.worker_pids()
    assert open_connections(database) >= 1, "the workers keep no persistent connection"
    timings = {}

    try:
        # The server goes down while the site runs.
        started = time.monotonic()
        cluster.stop()
        timings["stop"] = time.monotonic() - started
        assert server.get("/healthz")[:3:2] == (503, b"database unavailable")
        for path in pages:
            assert_outage_page(server, path)
        timings["answers while down"] = time.monotonic() - started - timings["stop"]

        # It comes back: the site follows within seconds, by itself.
        restarted = time.monotonic()
        cluster.start()
        timings["start"] = time.monotonic() - restarted
        ready = time.monotonic()
        while server.get("/")[0] != 200:
            assert time.monotonic() - ready < RECOVERY_SECONDS, "the site did not recover"
            time.sleep(0.05)
        timings["recovery after ready"] = time.monotonic() - ready
        timings["outage"] = time.monotonic() - started
        assert server.get("/healthz")[:3:2] == (200, b"ok")
        for path in pages:
            assert server.get(path)[0] == 200, path

        # A restart between two requests: every worker's persistent
        # connection is dead, and the next requests must not notice.
        warm_up(server, ["/healthz", "/"])
        assert open_connections(database) >= 1
        restarted = time.monotonic()
        cluster.stop()
        cluster.start()
        timings["restart"] = time.monotonic() - restarted
        statuses = [server.get(path)[0] for _ in range(3 * WORKERS) for path in ("/healthz", "/", release_path)]
        assert statuses == [200] * len(statuses)
    finally:
        cluster.ensure_running()

    assert server.process.poll() is None
    assert server.worker_pids() == workers, "a gunicorn worker was restarted"
    with capsys.disabled():
        print("\noutage test, seconds: " + ", ".join(f"{name} {value:.2f}" for name, value in timings.items()))
