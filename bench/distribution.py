"""The benchmark of issue 18 (README, "Media distribution"): a release sent
under embargo to 5,000 media contacts in three languages, and its
distribution page with 5,000 recipients and 50,000 logged views.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pr_distribution_bench \\
        .venv/bin/python -m bench.distribution [--contacts 5000] [--views 50000] [--repeat 30]

1. The send. An SMTP sink (aiosmtpd), a Redis server of the benchmark's
   own (the broker, as in production) and a Celery worker of
   two processes start;
   an editor presses "Send" on the admin's send page (Django's test client,
   in this process). Reported: the time the request takes (the share links
   and recipients written; the mails are left to the worker), then the time
   until the last message reaches the sink, and meanwhile the admin's
   answers (the release's distribution page, the contacts' list), fetched
   again and again while the worker sends (one every half second): p50
   and max.
2. The distribution page. Views are added to the recipients' links (ten a
   recipient, one in twenty seen from five addresses; written in bulk, then
   counted into each recipient's figures at once), the tables analysed,
   and the page fetched --repeat times each: first page, a deep page, the
   flagged filter, a search. Reported: p50 and p90 of the wall clock in
   milliseconds, and the medians of this process's CPU time (rendering) and
   of the time in SQL; "pg ms" is PostgreSQL's own time for the page's
   SELECTs (EXPLAIN ANALYZE, median of five): on a busy machine the wall
   clock also counts waiting for a CPU, and CPU plus "pg ms" is the better
   figure.

The database is the one DATABASE_URL names, pr_distribution_bench when
unset (created when missing, and migrated); the settings are the production
ones (DEBUG off), with the SMTP sink as mail server. Each run starts from no contacts, sends or mail.
"""

import argparse
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The SMTP sink listens on --ports, the benchmark's Redis on the next.
PORTS = 17201
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pr_distribution_bench"
# Between two pages an editor opens while the worker sends.
PAUSE = 0.5
BASE_DIR = Path(__file__).resolve().parent.parent


class Sink:
    """aiosmtpd's handler: counts what it accepts, and when the last came
    (shared with the benchmark's process: the sink runs in one of its own,
    so that the admin's pages, fetched meanwhile, do not slow it)."""

    def __init__(self):
        self.received = multiprocessing.Value("i", 0)
        self.last_at = multiprocessing.Value("d", 0.0)

    @property
    def count(self):
        return self.received.value

    async def handle_DATA(self, server, session, envelope):
        with self.received.get_lock():
            self.received.value += len(envelope.rcpt_tos)
            self.last_at.value = time.time()
        return "250 OK"


def serve(sink, stop, port):
    from aiosmtpd.controller import Controller

    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


def environment(database_url, broker_url, smtp_port):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pressroom.settings.main",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "LOG_LEVEL": "ERROR",
        }
    )


def start_worker(log):
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pressroom", "worker", "--concurrency=2", "--loglevel=INFO"]
        + ["--without-gossip", "--without-mingle", "--hostname=bench@%h"],
        cwd=BASE_DIR,
        env=os.environ,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while b" ready." not in Path(log.name).read_bytes():
        if time.monotonic() > deadline or worker.poll() is not None:
            raise SystemExit(f"the worker did not start: see {log.name}")
        time.sleep(0.2)
    return worker


def milliseconds(samples):
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.9) - 1] * 1000, ordered[-1] * 1000


def seed(contacts):
    """A release in three languages scheduled for tomorrow, and `contacts`
    contacts, a third in each language, all on one list."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from distribution.models import Distribution, MediaContact, MediaList
    from outbox.models import Message
    from releases.models import Department, Release

    Distribution.objects.all().delete()
    Release.objects.filter(title__startswith="Bench: customs talks").delete()
    MediaContact.objects.all().delete()
    MediaList.objects.filter(name="Bench: everyone").delete()
    Message.objects.filter(kind="distribution").delete()
    department, _created = Department.objects.get_or_create(slug="bench-press", defaults={"name": "Bench press office"})
    embargo = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    english = Release.objects.create(
        title="Bench: customs talks", department=department, status="published", published_at=embargo, language="en"
    )
    for language in ("az", "ru"):
        Release.objects.create(
            title=f"Bench: customs talks ({language})",
            department=department,
            status="published",
            published_at=embargo,
            language=language,
            translation_key=english.translation_key,
        )
    languages = ["az", "en", "ru"]
    made = MediaContact.objects.bulk_create(
        MediaContact(
            name=f"Journalist {n:05d}",
            outlet=f"Outlet {n % 97}",
            email=f"j{n}@bench.example",
            language=languages[n % 3],
        )
        for n in range(contacts)
    )
    everyone = MediaList.objects.create(name="Bench: everyone")
    everyone.contacts.through.objects.bulk_create(
        everyone.contacts.through(medialist_id=everyone.pk, mediacontact_id=contact.pk) for contact in made
    )
    editor, _created = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    return english, everyone, editor, embargo


def add_views(release, per_recipient):
    from django.db import connection

    from distribution.models import Recipient
    from releases.models import ShareLinkView

    links = list(Recipient.objects.of_release(release).values_list("share_link_id", flat=True))
    views = []
    for index, link_id in enumerate(links):
        spread = 5 if index % 20 == 0 else 1
        for n in range(per_recipient):
            address = f"10.{index // 250 % 250}.{index % 250}.{n % spread + 1}"
            views.append(ShareLinkView(link_id=link_id, ip_address=address, user_agent=f"Browser {n % spread}"))
    ShareLinkView.objects.bulk_create(views, batch_size=5000)
    # Written in bulk: each recipient's figures counted from the log at once,
    # as the migration that introduced them does (views logged one at a
    # time are counted as they come).
    Recipient.objects.of_release(release).count_views()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(views)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--views", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--ports", type=int, default=PORTS, help="the SMTP sink's port; Redis takes the next")
    parser.add_argument(
        "--pages-only", action="store_true", help="time the distribution page again, on the last run's data"
    )
    args = parser.parse_args()

    from bench import database
    from bench.redis_outage import RedisServer

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    database.ensure_database(url)
    folder = Path(tempfile.mkdtemp(prefix="bench-distribution-"))
    broker = RedisServer(args.ports + 1, folder)
    environment(url, broker.url, args.ports)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the admin's pages, as served in production
    if args.pages_only:
        from django.contrib.auth import get_user_model

        from releases.models import Release, ShareLinkView

        release = Release.objects.filter(distributions__isnull=False, title="Bench: customs talks").latest("pk")
        client = Client(SERVER_NAME="localhost")
        client.force_login(get_user_model().objects.get(username="bench-editor"))
        tracing = reverse("admin:distribution_release", args=[release.pk])
        time_pages(client, tracing, args, ShareLinkView.objects.filter(link__recipient__isnull=False).count())
        return
    broker.start()
    release, everyone, editor, embargo = seed(args.contacts)
    client = Client(SERVER_NAME="localhost")
    client.force_login(editor)
    local = timezone.localtime(embargo)
    form = {
        "lists": [everyone.pk],
        "embargo_until_0": local.date().isoformat(),
        "embargo_until_1": local.strftime("%H:%M"),
        "_send": "1",
    }
    sink, stop = Sink(), multiprocessing.Event()
    sink_process = multiprocessing.get_context("fork").Process(target=serve, args=(sink, stop, args.ports))
    sink_process.start()
    log = open(folder / "worker.log", "wb")  # noqa: SIM115  (closed below)
    worker = start_worker(log)
    tracing = reverse("admin:distribution_release", args=[release.pk])
    contacts_list = reverse("admin:distribution_mediacontact_changelist")
    try:
        print(f"{args.contacts:,} contacts in az/en/ru on {connection.vendor}; worker of 2 processes")
        started_at, started = time.time(), time.perf_counter()
        response = client.post(reverse("admin:distribution_send", args=[release.pk]), form)
        answered = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        print(f"send request (links and recipients written):   {answered * 1000:8.0f} ms")
        during = []
        deadline = time.monotonic() + 1800
        while sink.count < args.contacts and time.monotonic() < deadline:
            for url in (tracing, contacts_list):
                begun = time.perf_counter()
                assert client.get(url).status_code == 200
                during.append(time.perf_counter() - begun)
                time.sleep(PAUSE)
        if sink.count < args.contacts:
            raise SystemExit(f"only {sink.count} of {args.contacts} messages arrived; see {log.name}")
        last = sink.last_at.value - started_at
        print(f"last of {sink.count:,} messages at the SMTP sink:  {last:8.1f} s  ({sink.count / last:.0f}/s)")
        p50, _p90, worst = milliseconds(during)
        print(f"admin pages meanwhile ({len(during)} fetched):  p50 {p50:6.0f} ms   max {worst:6.0f} ms")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        log.close()
        stop.set()
        sink_process.join(timeout=10)
        broker.process.terminate()
        broker.process.wait(timeout=10)

    views = add_views(release, args.views // args.contacts)
    time_pages(client, tracing, args, views)


def time_pages(client, tracing, args, views):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"\ndistribution page, {args.contacts:,} recipients, {views:,} views; {args.repeat} fetches each")
    pages = {
        "first page": {},
        "page 25": {"page": 25},
        "flagged only": {"flagged": "1"},
        "search 'Journalist 0421'": {"q": "Journalist 0421"},
    }
    print(f"  {'page':<28}{'p50 ms':>8}{'p90 ms':>8}{'cpu ms':>8}{'sql ms':>8}{'pg ms':>8}{'queries':>9}")
    for name, params in pages.items():
        samples, cpu, sql = [], [], []
        for _run in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                begun, begun_cpu = time.perf_counter(), time.process_time()
                response = client.get(tracing, params)
                samples.append(time.perf_counter() - begun)
                cpu.append(time.process_time() - begun_cpu)
            sql.append(sum(float(query["time"]) for query in queries.captured_queries))
            assert response.status_code == 200
        p50, p90, _worst = milliseconds(samples)
        print(
            f"  {name:<28}{p50:8.0f}{p90:8.0f}{statistics.median(cpu) * 1000:8.0f}"
            f"{statistics.median(sql) * 1000:8.0f}{server_time(queries.captured_queries):8.0f}"
            f"{len(queries.captured_queries):9d}"
        )


def server_time(queries, runs=5):
    """PostgreSQL's own time (planning and execution, by EXPLAIN ANALYZE)
    for the page's SELECTs, median of `runs`: what the wall clock's "sql"
    is without the waits for a CPU on a busy machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return float("nan")
    totals = []
    for _run in range(runs):
        total = 0.0
        with connection.cursor() as cursor:
            for query in queries:
                if query["sql"].startswith("SELECT"):
                    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                    [plan] = cursor.fetchone()[0]
                    total += plan["Planning Time"] + plan["Execution Time"]
        totals.append(total)
    return statistics.median(totals)


if __name__ == "__main__":
    main()
