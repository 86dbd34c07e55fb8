"""The alerts' benchmark (issue 17): `make bench-alerts` runs
`python -m bench.alerts`.

1. Prepares a PostgreSQL database (DATABASE_URL, by default
   pr_alerts_bench: created when missing, migrated, seeded with releases for
   the list page) and --subscribers confirmed subscribers, in three
   languages, each following all releases (one in five) or one of 200 tags.
2. Starts a Redis server of its own (the broker), an SMTP sink
   (bench/smtp_sink.py, counting what it accepts), gunicorn (2 sync workers, the production
   settings, no page cache) and measures the list page's usual rate with wrk.
3. Starts --workers Celery workers of --concurrency processes (at --nice),
   publishes one release in its three language versions, each carrying the
   200 tags (so that every subscriber gets one message), and loads the list
   page with wrk until the sink has every message, then measures the list
   page's usual rate again (the same page as during the fan-out).
4. Prints the table (time to the last message, messages per second per
   worker, the workers' memory, the database's load, the list page's rate
   meanwhile against its usual rate) and writes it to
   bench/results/<date>-alerts-<count>.md.
"""

import argparse
import multiprocessing
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from bench import database, load, servers, smtp_sink

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pr_alerts_bench"
# The SMTP sink, Redis and gunicorn listen on --ports and the two after it.
PORTS = 17190
TAGS = 200
LANGUAGES = ("az", "en", "ru")
LIST_RELEASES = 2000
ALERT_TITLE = "Bench alert "


def arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.alerts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, help="Celery workers")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        help="processes of each worker: a message mostly waits on commits and SMTP",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="the workers' niceness: above 0, the site comes first when both want the CPU (README, 'Measured')",
    )
    parser.add_argument(
        "--rate",
        type=int,
        default=0,
        help="PRESSROOM_OUTBOX_RATE: messages a second, site-wide (0: as fast as the workers go)",
    )
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--timeout", type=int, default=1800, help="give up after this many seconds")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="no workers: write and deliver the alerts of N subscribers in this process, and say where the time goes",
    )
    parser.add_argument(
        "--ports", type=int, default=PORTS, help="the SMTP sink's port; Redis and the site take the next two"
    )
    options = parser.parse_args(argv)
    options.smtp_port, options.redis_port, options.site_port = options.ports, options.ports + 1, options.ports + 2
    return options


def environment(url, options):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pressroom.settings.main",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "PRESSROOM_DEMO_APP": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{options.site_port}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{options.redis_port}/0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(options.smtp_port),
        "LOG_LEVEL": "ERROR",
        "PRESSROOM_OUTBOX_RATE": str(options.rate),
    }


def seed_subscribers(count):
    """`count` confirmed subscribers (reader<n>@bench.example), made again
    unless exactly that many are there (a larger run's would all be
    alerted); the tags they follow. Returns the tags."""
    from django.db import connection, transaction
    from django.utils import timezone

    from alerts.models import Frequency, Subscriber, Subscription, SubscriptionTag
    from releases.models import Tag

    tags = list(Tag.objects.for_names([f"Bench subject {number}" for number in range(TAGS)]).values())
    present = Subscriber.objects.filter(email__endswith="@bench.example").count()
    if present == count:
        return tags
    print(f"Seeding {count:,} subscribers.", flush=True)
    now = timezone.now()
    with transaction.atomic():
        Subscriber.objects.filter(email__endswith="@bench.example").delete()
        for start in range(0, count, 10_000):
            numbers = range(start, min(start + 10_000, count))
            made = Subscriber.objects.bulk_create(Subscriber(email=f"reader{n}@bench.example") for n in numbers)
            subscriptions = []
            for number, subscriber in zip(numbers, made, strict=True):
                tag = None if number % 5 == 0 else tags[number % TAGS]
                language = LANGUAGES[number % 3]
                subscription = Subscription(
                    subscriber=subscriber,
                    language=language,
                    tag_count=0 if tag is None else 1,
                    scope=Subscription.scope_of(
                        language=language, department=None, event=None, tags=[tag] if tag else []
                    ),
                    frequency=Frequency.IMMEDIATELY,
                    confirmed_at=now,
                )
                subscription.bench_tag = tag
                subscriptions.append(subscription)
            Subscription.objects.bulk_create(subscriptions)
            SubscriptionTag.objects.bulk_create(
                SubscriptionTag(subscription=subscription, tag=subscription.bench_tag)
                for subscription in subscriptions
                if subscription.bench_tag
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return tags


def database_counters(url):
    """(commits, rows read, rows inserted, rows updated) of the database so far."""
    import psycopg2

    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit, tup_returned + tup_fetched, tup_inserted, tup_updated "
            "FROM pg_stat_database WHERE datname = current_database()"
        )
        return cursor.fetchone()


class MemoryWatch(threading.Thread):
    """The resident memory of each worker process, sampled every second."""

    def __init__(self, workers):
        super().__init__(daemon=True)
        self.workers, self.samples, self.running = workers, {}, True

    def run(self):
        while self.running:
            for worker in self.workers:
                for pid in [worker.pid, *servers.children(worker.pid)]:  # a worker and its pool
                    self.samples.setdefault(pid, []).append(servers.rss_mib(pid))
            time.sleep(1)


TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid):
    """CPU seconds of `pid` and of its children it has waited for (which is
    how the time of a PostgreSQL backend or a gunicorn worker that ended
    stays counted: in its parent's)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime: the 14th to 17th fields of stat(5).
    return sum(int(value) for value in fields[11:15]) / TICKS


def postgres_pids():
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


def cpu_by_part(parts):
    """{part: CPU seconds so far} of `parts` ({part: [pid]}), each pid with
    its children, and of this process (the SMTP sink) with the wrk runs it
    waited for; "machine" is every CPU's busy time (/proc/stat)."""
    seconds = {
        part: sum(process_cpu(pid) + sum(process_cpu(child) for child in servers.children(pid)) for pid in pids)
        for part, pids in parts.items()
    }
    seconds["database"] = sum(process_cpu(pid) for pid in postgres_pids())
    own, waited = os.times()[:2], os.times()[2:4]
    seconds["SMTP sink (this process)"] = sum(own)
    seconds["wrk"] = sum(waited)
    busy = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    seconds["machine"] = (sum(busy) - busy[3] - busy[4]) / TICKS  # all but idle and iowait
    return seconds


def start_worker(env, folder, number, concurrency, nice):
    log = folder / f"worker{number}.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pressroom", "worker", f"--hostname=bench{number}@%h"]
        + [
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        stdout=open(log, "wb"),  # noqa: SIM115 (the worker keeps it)
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    yield_the_cpu(worker.pid, nice)
    return worker


def yield_the_cpu(pid, nice):
    """Set the niceness of the worker's session (its own: start_new_session)
    and so of its pool: Linux shares the CPU between sessions first
    ("autogroups"), so a process's own niceness would count only against
    the other processes of its session (measured: no change at nice 10)."""
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))
    except OSError:  # a kernel without autogroups shares by process
        os.setpriority(os.PRIO_PROCESS, pid, nice)


def publish(tags):
    """One release in its three language versions, each with every tag,
    published by an editor: the alerts' fan-outs start as each commits."""
    import uuid

    from django.contrib.auth import get_user_model

    from releases.models import Department, Release

    editor, _created = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_superuser": True, "is_staff": True}
    )
    department = Department.objects.first() or Department.objects.create(name="Bench", slug="bench")
    key = uuid.uuid4()
    for language in LANGUAGES:
        release = Release.objects.create(
            title=f"{ALERT_TITLE}{key.hex[:8]} ({language})",
            lead="The 88th session of the WCO Policy Commission is being held in Brussels.",
            body="<p>The text.</p>",
            language=language,
            translation_key=key,
            department=department,
        )
        release.tags.set(tags)
        release.publish(user=editor)


class SharedCount(smtp_sink.Sink):
    """The sink's count in a multiprocessing.Value, for the process that forked it."""

    def __init__(self, accepted):
        super().__init__()
        self.shared = accepted

    def accepted(self):
        with self.shared.get_lock():
            self.shared.value += 1


def serve_counting(port, accepted, stop):
    controller = smtp_sink.Controller(SharedCount(accepted), port=port)
    controller.start()
    stop.wait()
    controller.stop()


class Timings:
    """Wall time spent in SQL (and how many statements and commits) and in
    the SMTP exchange, gathered while a step runs."""

    def __init__(self):
        self.sql = self.smtp = 0.0
        self.statements = self.commits = 0

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql += time.perf_counter() - began
            self.statements += 1
            # Outside a transaction block every statement is its own commit.
            self.commits += context["connection"].get_autocommit()


def profile(options):
    """Write and deliver the alert of one release to `options.profile`
    subscribers in this process (no broker, no workers), over an SMTP sink,
    and print per message the wall time of each step, split into SQL, SMTP
    and the rest (Python), with cProfile's ten costliest functions."""
    import cProfile
    import pstats
    import smtplib

    from django.db import connection
    from django.utils import timezone

    from alerts import sending
    from alerts.models import Sending, Subscriber
    from outbox import services as outbox
    from outbox.models import Message
    from releases.models import Department, Release

    database.prepare(LIST_RELEASES, seed=1)
    tags = seed_subscribers(max(options.subscribers, options.profile * 3))
    # The sink in a process of its own, as it is for the workers: in this
    # one it would take the GIL from the step measured.
    accepted, stop = multiprocessing.Value("i", 0), multiprocessing.Event()
    sink_process = multiprocessing.get_context("fork").Process(
        target=serve_counting, args=(options.smtp_port, accepted, stop)
    )
    sink_process.start()
    time.sleep(1)
    department = Department.objects.first() or Department.objects.create(name="Bench", slug="bench")
    release = Release.objects.create(
        title=f"{ALERT_TITLE}profile {secrets.token_hex(4)}",
        lead="The 88th session of the WCO Policy Commission is being held in Brussels.",
        body="<p>The text.</p>",
        language="en",
        department=department,
        status="published",
        published_at=timezone.now(),
    )
    release.tags.set(tags)
    sending_row = Sending.objects.create(key=Sending.key_for(release.pk, None), release=release)
    ids = list(Subscriber.objects.filter(email__endswith="@bench.example").order_by("pk").values_list("pk", flat=True))
    english = ids[1 : options.profile * 3 : 3]  # reader<n> is in LANGUAGES[n % 3]: every third is English
    handed = []
    # The batches' deliveries are kept here rather than enqueued (no broker).
    outbox.enqueue_many = handed.append
    smtp_send = smtplib.SMTP.sendmail

    def timed_send(smtp, *args, **kwargs):
        began = time.perf_counter()
        try:
            return smtp_send(smtp, *args, **kwargs)
        finally:
            timings.smtp += time.perf_counter() - began

    smtplib.SMTP.sendmail = timed_send
    steps, profilers = {}, {}
    try:
        for step in ("write", "deliver"):
            timings, profiler = Timings(), profilers.setdefault(step, cProfile.Profile())
            began = time.perf_counter()
            with connection.execute_wrapper(timings):
                profiler.enable()
                if step == "write":
                    for first, last in sending._batches(english):
                        sending.send_batch(sending_row.pk, first, last)
                else:
                    for batch in handed:
                        outbox.deliver_many(batch)
                profiler.disable()
            steps[step] = (time.perf_counter() - began, timings)
    finally:
        stop.set()
        sink_process.join(timeout=10)
    count = Message.objects.filter(kind="alert", key=sending_row.key).count()
    print(f"\n{count:,} alerts written, {accepted.value:,} accepted by the SMTP sink; per message, in ms:")
    print(f"  {'step':<10}{'wall':>8}{'SQL':>8}{'SMTP':>8}{'rest':>8}{'statements':>12}{'commits':>9}")
    for step, (wall, timings) in steps.items():
        rest = wall - timings.sql - timings.smtp
        print(
            f"  {step:<10}{wall / count * 1000:8.2f}{timings.sql / count * 1000:8.2f}{timings.smtp / count * 1000:8.2f}"
            f"{rest / count * 1000:8.2f}{timings.statements / count:12.2f}{timings.commits / count:9.2f}"
        )
    for step, profiler in profilers.items():
        print(f"\n{step}: the costliest functions (cProfile, which slows Python down)")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main(argv=None):
    options = arguments(argv)
    if options.profile:
        url = os.environ.get("DATABASE_URL") or DEFAULT_URL
        database.ensure_database(url)
        os.environ.update({name: value for name, value in environment(url, options).items() if name != "PATH"})
        import django

        django.setup()
        profile(options)
        return
    load.ensure_wrk()
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is missing: apt-get install redis-server")
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    database.ensure_database(url)
    env = environment(url, options)
    os.environ.update({name: value for name, value in env.items() if name not in ("PATH",)})
    import django

    django.setup()
    database.prepare(LIST_RELEASES, seed=1)
    tags = seed_subscribers(options.subscribers)
    from django.db import connection

    with connection.cursor() as cursor:
        # Each run publishes a new release: earlier runs' mail is no concern
        # of this one (nor the rows that point at it: media distribution's
        # recipients, none in this database of the benchmark's own).
        cursor.execute("TRUNCATE outbox_message CASCADE")
    # Nor its releases: each carries 200 tags onto the list's first page,
    # whose usual rate they lowered run after run (91 to 45 req/s).
    from releases.models import Release

    Release.objects.filter(title__startswith=ALERT_TITLE).delete()
    expected = options.subscribers
    folder = Path(tempfile.mkdtemp(prefix="bench-alerts-"))
    redis = subprocess.Popen(
        ["redis-server", "--port", str(options.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    sink = smtp_sink.Sink()
    controller = smtp_sink.Controller(sink, port=options.smtp_port)
    controller.start()
    workers = []
    try:
        site_env = {name: value for name, value in env.items() if not name.startswith("EMAIL")}
        with servers.Gunicorn(
            "pressroom.wsgi", port=options.site_port, workers=2, environment=site_env, log_dir=folder, name="site"
        ) as site:
            list_url = f"{site.origin}/releases/"
            load.wrk(list_url, seconds=2, threads=2, connections=options.connections)  # warm up
            usual = load.wrk(list_url, seconds=options.seconds * 2, threads=2, connections=options.connections)
            print(f"List page, usual: {usual.per_second:.0f} req/s", flush=True)
            workers = [
                start_worker(env, folder, number, options.concurrency, options.nice)
                for number in range(1, options.workers + 1)
            ]
            time.sleep(8)  # the workers' start
            watch = MemoryWatch(workers)
            watch.start()
            before = database_counters(url)
            parts = {"workers": [worker.pid for worker in workers], "site": [site.process.pid], "broker": [redis.pid]}
            cpu_before = cpu_by_part(parts)
            started = time.monotonic()
            publish(tags)
            during = []
            while sink.count < expected and time.monotonic() - started < options.timeout:
                during.append(load.wrk(list_url, seconds=options.seconds, threads=2, connections=options.connections))
                print(f"  {sink.count:,} of {expected:,} messages, {time.monotonic() - started:.0f} s", flush=True)
            while sink.count < expected and time.monotonic() - started < options.timeout:
                time.sleep(1)
            elapsed = (sink.last or time.monotonic()) - started
            after = database_counters(url)
            cpu = {part: spent - cpu_before[part] for part, spent in cpu_by_part(parts).items()}
            watch.running = False
            # The page as it was served meanwhile: with the new release (and
            # its 200 tags) on it, which costs more than the page before.
            usual_after = load.wrk(list_url, seconds=options.seconds * 2, threads=2, connections=options.connections)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        controller.stop()
        redis.kill()
    rss = {pid: samples for pid, samples in watch.samples.items() if any(samples)}
    busiest = max(rss.values(), key=max)
    requests = sum(run.requests for run in during)
    seconds = sum(run.seconds for run in during)
    meanwhile = requests / seconds if seconds else 0.0
    commits, read, inserted, updated = (b - a for a, b in zip(before, after, strict=True))
    rows = [
        ("subscribers (3 languages, 200 tags)", f"{options.subscribers:,}"),
        ("messages accepted by the SMTP sink", f"{sink.count:,} of {expected:,}"),
        ("time to the last message", f"{elapsed:.0f} s"),
        ("messages per second per worker", f"{sink.count / elapsed / options.workers:.0f}"),
        ("workers", f"{options.workers}, of {options.concurrency} processes each, at nice {options.nice}"),
        ("pace (PRESSROOM_OUTBOX_RATE)", f"{options.rate} a second" if options.rate else "none"),
        (
            "worker memory, largest process: first / last / peak",
            f"{busiest[0]:.0f} / {busiest[-1]:.0f} / {max(busiest):.0f}",
        ),
        ("database: commits per second", f"{commits / elapsed:.0f}"),
        (
            "database: rows read / inserted / updated per second",
            f"{read / elapsed:.0f} / {inserted / elapsed:.0f} / {updated / elapsed:.0f}",
        ),
        (
            "CPU per message, ms: " + " / ".join(cpu),
            " / ".join(f"{spent / max(sink.count, 1) * 1000:.2f}" for spent in cpu.values()),
        ),
        ("list page /releases/, usual before the release", f"{usual.per_second:.0f} req/s (p50 {usual.p50_ms:.0f} ms)"),
        (
            "list page /releases/, usual after the fan-out (the same page as during it)",
            f"{usual_after.per_second:.0f} req/s (p50 {usual_after.p50_ms:.0f} ms)",
        ),
        (
            "list page /releases/, during the fan-out",
            f"{meanwhile:.0f} req/s ({meanwhile / usual_after.per_second:.0%} of usual after, "
            f"{meanwhile / usual.per_second:.0%} of before)",
        ),
    ]
    table = "| measure | value |\n|---|---|\n" + "\n".join(f"| {name} | {value} |" for name, value in rows)
    command = (
        f"make bench-alerts BENCH_ALERTS_ARGS='--subscribers {options.subscribers} --workers {options.workers} "
        f"--concurrency {options.concurrency} --nice {options.nice} --rate {options.rate}'"
    )
    text = f"# Alerts benchmark, {date.today()}\n\n`{command}`, {os.cpu_count()} CPU cores\n\n{table}\n"
    print("\n" + text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{date.today()}-alerts-{options.subscribers}.md").write_text(text)


if __name__ == "__main__":
    main()
