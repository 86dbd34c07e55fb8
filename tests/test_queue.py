"""The job queue for real: Celery workers in processes of their own, on the
embedded filesystem queue, on a Redis server started here and on the
machine's RabbitMQ (a virtual host of its own), sending to an SMTP server
started here that records every message it accepts.

A fan-out of FANOUT messages must reach the SMTP server once each although
the worker is killed (SIGKILL, its whole process group) in the middle, and
although the Redis server is killed and started again in the middle. The
one case where a message may go out twice, a worker killed between the SMTP
server's acceptance and the row marked sent (outbox/services.py), must
carry the first copy's Message-ID."""

import email
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from bench.servers import children

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FANOUT = 300
SMTP_PORT = 17070
REDIS_PORT = 17071
DEVSERVER_PORT = 17072
LEASE_SECONDS = 5


class RecordingSMTPHandler:
    """aiosmtpd's handler: keeps (recipient, Message-ID) of every message it
    accepts. "busy..." recipients are refused for a while (451) the first
    time, "nobody..." always and for good (550)."""

    def __init__(self):
        self.accepted = []
        self.refused_once = set()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        recipient = envelope.rcpt_tos[0]
        if recipient.startswith("nobody"):
            return "550 No such user here"
        with self.lock:
            if recipient.startswith("busy") and recipient not in self.refused_once:
                self.refused_once.add(recipient)
                return "451 Try again later"
            message = email.message_from_bytes(envelope.content)
            self.accepted.append((recipient, message["Message-ID"]))
        return "250 Message accepted for delivery"

    def count(self):
        with self.lock:
            return len(self.accepted)


@pytest.fixture
def smtp():
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    handler = RecordingSMTPHandler()
    controller = controller_module.Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield handler
    controller.stop()


def wait_for(condition, *, timeout, what, explain=None):
    """Poll `condition` until it holds; on timeout fail with `what` and, from
    `explain`, what the processes involved said (a CI run keeps nothing else)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            detail = f"\n{explain()}" if explain else ""
            pytest.fail(f"Timed out after {timeout} s waiting for {what}{detail}")
        time.sleep(0.05)


class RedisServer:
    def __init__(self, folder):
        self.folder = folder
        self.process = None

    def start(self):
        # No snapshot, no log: a restart loses every task it held.
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10, what="redis-server")

    def answers(self):
        import redis

        try:
            return redis.Redis(port=REDIS_PORT, socket_connect_timeout=0.2).ping()
        except redis.ConnectionError:
            return False

    def kill(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def rabbitmq_vhost():
    """A virtual host of its own on the machine's RabbitMQ, removed after."""
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("rabbitmqctl is not installed (RabbitMQ; .ci/run starts it)")
    if subprocess.run(["rabbitmqctl", "status"], capture_output=True).returncode != 0:
        pytest.skip("RabbitMQ is not running (rabbitmq-server -detached; .ci/run starts it)")
    vhost = f"pressroom_test_{uuid.uuid4().hex[:8]}"
    subprocess.run(["rabbitmqctl", "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run(
        ["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True, capture_output=True
    )
    yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True)


class WorkerDatabase:
    """A database the workers reach: on PostgreSQL, the test database
    itself (its rows committed, as the test is transactional); on SQLite, a
    file of the test's own, copied from the test database (in memory)."""

    def __init__(self, tmp_path):
        if connection.vendor == "postgresql":
            db = connection.settings_dict
            host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
            self.url = f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"
            self.path = None
        else:
            self.path = tmp_path / "queue.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(self.path)) as copy:
                connection.connection.backup(copy)
            self.url = f"sqlite:///{self.path}"

    def query(self, sql):
        if self.path is None:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        with closing(sqlite3.connect(self.path, timeout=10)) as db:
            return db.execute(sql).fetchall()

    def statuses(self):
        return dict(self.query("SELECT status, COUNT(*) FROM outbox_message GROUP BY status"))

    def errors(self):
        return dict(self.query("SELECT \"to\", last_error FROM outbox_message WHERE last_error <> ''"))

    def wait_until_all_done(self, *, explain, timeout=180):
        """Until no message is left queued or sending: lost ones wait for
        their lease to end and beat's sweep. The timeout is for a machine
        busy with the rest of the suite: quiet, they are done in seconds."""
        wait_for(
            lambda: set(self.statuses()) <= {"sent", "failed"},
            timeout=timeout,
            what="every message to be done",
            explain=explain,
        )
        return self.statuses()


@pytest.fixture
def database(tmp_path):
    return WorkerDatabase(tmp_path)


class Cluster:
    """Workers, each with beat in it (as under `make run`), and the driver
    (tests/queue_driver.py) on one broker and database, sending through the
    recording SMTP server."""

    def __init__(self, tmp_path, database, broker_url):
        self.tmp_path = tmp_path
        self.workers = []
        self.env = {
            **os.environ,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "pressroom.settings.main",
            "DATABASE_URL": database.url,
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(SMTP_PORT),
            # Beat sweeps the outbox five times a lease.
            "PRESSROOM_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "PRESSROOM_OUTBOX_RETRY_SECONDS": "1",
        }

    def start_worker(self):
        name = f"worker{len(self.workers) + 1}"
        log = self.tmp_path / f"{name}.log"
        with open(log, "wb") as output:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "pressroom", "worker", f"--hostname={name}@%h"]
                + ["--concurrency=2", "--loglevel=INFO", "--without-gossip", "--without-mingle"]
                + ["--beat", f"--schedule={self.tmp_path / name}-beat"],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.workers.append(worker)
        wait_for(lambda: b" ready." in log.read_bytes(), timeout=30, what=f"{name} to be ready ({log})")
        return worker

    def kill(self, worker):
        """SIGKILL to the worker, its pool's processes and its beat at once,
        as a machine that dies would."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    def stop_all(self):
        for worker in self.workers:
            if worker.poll() is None:
                self.kill(worker)

    def report(self, smtp, database):
        """What was accepted, the outbox's rows and the end of each worker's log."""
        recipients = sorted({recipient for recipient, _id in smtp.accepted})
        lines = [
            f"accepted: {len(smtp.accepted)} messages, for {recipients[:20]}{' ...' if len(recipients) > 20 else ''}",
            f"outbox: {database.statuses()} {database.errors()}",
        ]
        for number, _worker in enumerate(self.workers, start=1):
            log = (self.tmp_path / f"worker{number}.log").read_text(errors="replace")
            lines.append(f"--- worker{number}.log (end) ---\n{log[-4000:]}")
        return "\n".join(lines)

    def drive(self, *args):
        subprocess.run(
            [sys.executable, "-m", "tests.queue_driver", *args], cwd=settings.BASE_DIR, env=self.env, check=True
        )


@pytest.fixture
def cluster_on(tmp_path, database):
    clusters = []

    def make(broker_url):
        cluster = Cluster(tmp_path, database, broker_url)
        clusters.append(cluster)
        return cluster

    yield make
    for cluster in clusters:
        cluster.stop_all()


@pytest.fixture(params=["filesystem", "redis", "rabbitmq"])
def broker_url(request, tmp_path):
    if request.param == "filesystem":
        return f"filesystem://{tmp_path / 'queue'}"
    if request.param == "redis":
        request.getfixturevalue("redis_server")
        return f"redis://127.0.0.1:{REDIS_PORT}/0"
    return request.getfixturevalue("rabbitmq_vhost")


def assert_each_arrived_once(smtp, report):
    """Every reader's message arrived; a copy sent twice carries the same
    Message-ID as the first (what a receiver de-duplicates by); prints the
    figures for the README."""
    received = Counter(recipient for recipient, _message_id in smtp.accepted)
    assert set(received) == {f"reader{number}@example.org" for number in range(FANOUT)}
    message_ids = {}
    for recipient, message_id in smtp.accepted:
        assert message_ids.setdefault(recipient, message_id) == message_id
    twice = sorted(recipient for recipient, count in received.items() if count > 1)
    print(f"\n{report}: {FANOUT} messages, {len(set(received))} arrived, {len(twice)} of them twice {twice}")
    return twice


def test_a_fanout_survives_a_worker_killed_in_the_middle(smtp, database, cluster_on, broker_url):
    cluster = cluster_on(broker_url)
    first = cluster.start_worker()
    started = time.monotonic()
    cluster.drive("enqueue", str(FANOUT))
    wait_for(
        lambda: smtp.count() >= FANOUT // 3,
        timeout=120,
        what="a third of the fan-out to be sent",
        explain=lambda: cluster.report(smtp, database),
    )
    # At a moment of its own, not just as a message is accepted.
    time.sleep(random.uniform(0, 0.05))
    cluster.kill(first)
    killed_at = smtp.count()
    cluster.start_worker()
    assert database.wait_until_all_done(explain=lambda: cluster.report(smtp, database)) == {"sent": FANOUT}
    report = f"{broker_url.split(':')[0]}, worker killed after {killed_at} sent, {time.monotonic() - started:.0f} s"
    twice = assert_each_arrived_once(smtp, report)
    # At most the messages the killed worker's two processes were sending.
    assert len(twice) <= 2


def test_a_fanout_survives_the_redis_broker_restarted_in_the_middle(smtp, database, cluster_on, redis_server):
    cluster = cluster_on(f"redis://127.0.0.1:{REDIS_PORT}/0")
    cluster.start_worker()
    started = time.monotonic()
    cluster.drive("enqueue", str(FANOUT))
    wait_for(
        lambda: smtp.count() >= FANOUT // 3,
        timeout=120,
        what="a third of the fan-out to be sent",
        explain=lambda: cluster.report(smtp, database),
    )
    redis_server.kill()
    lost_at = smtp.count()
    redis_server.start()
    assert database.wait_until_all_done(explain=lambda: cluster.report(smtp, database)) == {"sent": FANOUT}
    report = f"Redis killed and restarted after {lost_at} sent, {time.monotonic() - started:.0f} s"
    twice = assert_each_arrived_once(smtp, report)
    # No worker died: nothing was in doubt, nothing goes twice.
    assert twice == []


class TimingSMTPHandler(RecordingSMTPHandler):
    """Keeps when each recipient's message first arrived, too."""

    def __init__(self):
        super().__init__()
        self.arrived = {}

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        with self.lock:
            self.arrived.setdefault(envelope.rcpt_tos[0], timezone.now())
        return answer


def test_a_paced_fanout_goes_at_its_rate_and_survives_a_worker_killed(smtp, database, cluster_on, redis_server):
    """PRESSROOM_OUTBOX_RATE: the rows say when each batch of 50 is due,
    the workers keep each batch's task until then, and the sweeper takes the
    batches a killed worker held once their lease is over."""
    smtp.__class__ = TimingSMTPHandler
    smtp.arrived = {}
    rate = 60
    cluster = cluster_on(f"redis://127.0.0.1:{REDIS_PORT}/0")
    cluster.env["PRESSROOM_OUTBOX_RATE"] = str(rate)
    first = cluster.start_worker()
    cluster.drive("bulk", str(FANOUT))
    due = {to: aware(due_at) for to, due_at in database.query('SELECT "to", due_at FROM outbox_message')}
    batches = sorted(set(due.values()))
    assert len(batches) == FANOUT // 50
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(batches)]
    assert gaps == pytest.approx([50 / rate] * (len(batches) - 1), abs=1e-5)
    wait_for(
        lambda: smtp.count() >= 100,
        timeout=120,
        what="two batches to be sent",
        explain=lambda: cluster.report(smtp, database),
    )
    cluster.kill(first)
    killed_at = smtp.count()
    cluster.start_worker()
    assert database.wait_until_all_done(explain=lambda: cluster.report(smtp, database)) == {"sent": FANOUT}
    twice = assert_each_arrived_once(smtp, f"paced at {rate} a second, worker killed after {killed_at} sent")
    assert len(twice) <= 2
    # None before its time: the last batch came some 4 s after the first.
    assert all(smtp.arrived[to] >= due_at for to, due_at in due.items())


def aware(value):
    """A datetime column's value as the workers' database gave it (SQLite: text in UTC)."""
    value = value if isinstance(value, datetime) else parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def test_smtp_refusals_are_retried_or_shown_as_failures(smtp, database, cluster_on, tmp_path):
    cluster = cluster_on(f"filesystem://{tmp_path / 'queue'}")
    cluster.start_worker()
    cluster.drive("send", "busy@example.org", "nobody@example.org", "reader@example.org")
    # The refusal for a while (451) is tried again a second later, by the
    # task's own countdown: no sweep.
    wait_for(
        lambda: {"busy@example.org", "reader@example.org"} <= {recipient for recipient, _id in smtp.accepted},
        timeout=60,
        what="the busy recipient's second attempt",
        explain=lambda: cluster.report(smtp, database),
    )
    assert database.wait_until_all_done(explain=lambda: cluster.report(smtp, database)) == {"sent": 2, "failed": 1}
    # A copy sent again after a lease ran out under load carries the first's Message-ID.
    assert len(set(smtp.accepted)) == 2, cluster.report(smtp, database)
    errors = database.errors()
    assert "550" in errors["nobody@example.org"]
    assert "busy@example.org" not in errors


def test_make_run_serves_the_site_and_sends_mail_with_no_broker_installed(database, tmp_path):
    """The launcher of `make run` (pressroom/devserver.py) on a fresh
    database and an empty queue folder: the site answers, a message written
    to the outbox is printed by its worker, and stopping it stops all."""
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "pressroom.settings.main",
        "DATABASE_URL": database.url,
        "CELERY_BROKER_URL": f"filesystem://{tmp_path / 'queue'}",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    env.pop("PYTHONUNBUFFERED", None)
    log = tmp_path / "run.log"
    with open(log, "wb") as output:
        launcher = subprocess.Popen(
            [sys.executable, "-u", "-m", "pressroom.devserver", f"127.0.0.1:{DEVSERVER_PORT}"],
            cwd=settings.BASE_DIR,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: len(children(launcher.pid)) == 2, timeout=30, what="the worker and the server to start")
        groups = children(launcher.pid)
        wait_for(
            lambda: b" ready." in log.read_bytes() or b"Starting development server" in log.read_bytes(),
            timeout=30,
            what="make run's server",
        )
        assert b"Mail: printed on this console (EMAIL_BACKEND=console)" in log.read_bytes()
        wait_for(lambda: healthy(f"http://127.0.0.1:{DEVSERVER_PORT}/healthz"), timeout=30, what="the site")
        subprocess.run(
            [sys.executable, "-m", "tests.queue_driver", "send", "reader@example.org"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        wait_for(
            lambda: b"Subject: New release, for reader@example.org" in log.read_bytes(),
            timeout=30,
            what="the worker to print the message",
        )
    finally:
        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=30)
    # The worker and the server go with it, each with its own children (the
    # server's reloader, the worker's beat), which end in their own time.
    wait_for(lambda: not any(group_alive(group) for group in groups), timeout=20, what="make run's processes to end")


def group_alive(group):
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def healthy(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False
