"""The checks of the cluster test, each through the load balancer; each
returns (passed, figures) for the table."""

import email
import io
import json
import re
import threading
import time
from collections import Counter

import requests
from PIL import Image

from .client import wrk, wrk_result
from .hosts import wait_for
from .services import SMTP_PORT


def photo_shared(cluster, client, site):
    """A photo stored on app1 is on the page app2 renders, and the store serves it."""
    page = client.get_from("app2", site["path"])
    stem = site["photo"].rsplit(".", 1)[0]
    addresses = re.findall(r'src="(http://[^"]+)"', page.text)
    photo = next((address for address in addresses if stem in address), None)
    if page.status_code != 200 or photo is None:
        return False, f"app2 answered {page.status_code}, photo {'in' if photo else 'not in'} the page"
    served = requests.get(photo, timeout=10)
    picture = Image.open(io.BytesIO(served.content))
    passed = served.status_code == 200 and served.headers.get("Content-Type", "").startswith("image/")
    return passed, (
        f"page by app2 200; photo {served.status_code} {served.headers.get('Content-Type')} "
        f"{picture.size[0]}x{picture.size[1]}, Cache-Control {served.headers.get('Cache-Control')!r}"
    )


def publication_seen_everywhere(cluster, client, site):
    """Publish then withdraw on app1: both app hosts show each change at
    once, their cached pages (Redis) emptied by it."""
    title, figures, passed = site["draft_title"], [], True
    for name in ("app1", "app2"):
        passed &= title not in client.get_from(name, "/").text  # cached without it
    changes = [("publish", lambda page, listed: page.status_code == 200 and title in listed.text)]
    changes.append(
        ("withdraw", lambda page, listed: "Withdrawn by the cluster test." in page.text and title not in listed.text)
    )
    for action, seen in changes:
        path = json.loads(cluster.python("app1", "bench.cluster.site", action, str(site["draft"])))["path"]
        # Every answer after the change, until each host has given the page and the list.
        served, stale, answers = set(), 0, 0
        for attempt in range(12):
            if attempt % 2:
                client.get("/healthz")  # the balancer takes turns: this moves the page to the other host
            page, listed = client.get(path), client.get("/")
            served |= {(client.served_by(page), "page"), (client.served_by(listed), "list")}
            stale += not seen(page, listed)
            answers += 2
            if len(served) == 4 and attempt >= 3:
                break
        passed &= stale == 0 and len(served) == 4
        figures.append(f"{action} on app1: {answers} answers after it from both hosts, {stale} stale")
    return passed, "; ".join(figures)


def sessions_shared(cluster, client, site):
    """Signed in on app1, signed in on app2; a lockout counted on both."""
    from .client import Client

    reader = Client(cluster)
    signed_in = reader.sign_in(site["username"], site["password"])
    signed_on = client.served_by(signed_in)
    other = "app2" if signed_on == "app1" else "app1"
    admin = reader.get_from(other, "/admin/")
    session_ok = signed_in.status_code == 302 and admin.status_code == 200 and "/admin/logout/" in admin.text
    # Five failures in a row, spread over both hosts by the balancer, then the right password.
    attacker = Client(cluster)
    hosts = Counter()
    for attempt in range(5):
        if attempt % 2:
            # The balancer takes turns: one request more moves the next POST to the other host.
            attacker.get("/healthz")
        failed = attacker.sign_in(site["username"], "wrong password")
        hosts[client.served_by(failed)] += 1
    refused = attacker.sign_in(site["username"], site["password"])
    locked = refused.status_code != 302 and "/admin/" not in refused.headers.get("Location", "")
    passed = session_ok and locked and len(hosts) == 2
    return passed, (
        f"signed in on {signed_on}, /admin/ on {other}: {admin.status_code}; "
        f"5 failures ({dict(hosts)}) then the right password: {refused.status_code} (locked={locked})"
    )


def in_rotation(client, name, path, timeout=30):
    """Until the load balancer sends `name` requests again."""
    deadline = time.monotonic() + timeout
    while client.served_by(client.get(path)) != name:
        if time.monotonic() > deadline:
            raise TimeoutError(f"nginx sent no request to {name} in {timeout} s")


def settle(client, path, timeout=60):
    """Until both app hosts answer `path` in under half a second: after a
    reload, new workers load the app while requests wait for them."""
    quick = set()
    deadline = time.monotonic() + timeout
    while quick != {"app1", "app2"} and time.monotonic() < deadline:
        response = client.get(path)
        if response.elapsed.total_seconds() < 0.5:
            quick.add(client.served_by(response))


# nginx's words for an answer whose upstream died after its headers had been
# passed on to the client: nothing can send that answer again.
CUT_OFF = "upstream prematurely closed connection while reading upstream"


def app_host_killed(cluster, client, site, seconds=12):
    """SIGKILL to app1 (gunicorn and its workers) under load: nginx sends
    everything to app2. A request app1 had not begun to answer is sent to
    app2 (proxy_next_upstream); one whose answer was already on its way to
    the client when app1 died (gunicorn writes the headers, then the body)
    is cut off, and is the only kind of failure allowed: nginx's error log
    tells them."""
    error_log = cluster.network["lb"].folder / "error.log"
    logged = error_log.stat().st_size if error_log.exists() else 0
    load = wrk(client.origin, site["path"], seconds)
    time.sleep(seconds / 3)
    cluster.network["app1"].kill("gunicorn")
    total, failed, summary, _ = wrk_result(load)
    with open(error_log, "rb") as log:
        log.seek(logged)
        cut_off = log.read().decode(errors="replace").count(CUT_OFF)
    cluster.start_app("app1")
    in_rotation(client, "app1", site["path"])
    return (
        total > 0 and failed <= cut_off,
        f"{summary} ({cut_off} cut off mid-answer by the kill); app1 killed at {seconds / 3:.0f} s of {seconds}",
    )


def rolling_restart(cluster, client, site, seconds=30):
    """New environment on app1, then on app2 (systemctl restart: SIGTERM,
    requests in flight finished), then a graceful reload (SIGHUP) of each."""
    load = wrk(client.origin, site["path"], seconds)
    time.sleep(2)
    steps = []
    for name in ("app1", "app2"):
        started = time.monotonic()
        cluster.network[name].stop("gunicorn")
        cluster.start_app(name, PRESSROOM_CLUSTER_VERSION="2")
        # nginx leaves a failed host out for fail_timeout (10 s): the next
        # host may stop only once this one takes requests again.
        in_rotation(client, name, site["path"])
        steps.append(f"{name} restarted and back in rotation in {time.monotonic() - started:.1f} s")
    for name in ("app1", "app2"):
        host = cluster.network[name]
        booted = host.log("gunicorn").count("Booting worker")
        host.processes["gunicorn"].send_signal(1)  # SIGHUP, the unit's ExecReload
        reloaded = lambda host=host, booted=booted: host.log("gunicorn").count("Booting worker") >= booted + 2  # noqa: E731
        wait_for(reloaded, timeout=60, what="reload")
        in_rotation(client, name, site["path"])
        steps.append(f"{name} reloaded")
    total, failed, summary, _ = wrk_result(load)
    return total > 0 and failed == 0, f"{summary}; " + ", ".join(steps)


def database_restarted(cluster, client, site, down_seconds=5):
    """PostgreSQL stopped (fast) and started again while a reader asks for a
    release page (cached in Redis) and the health check (the database)."""
    seen = []  # (when asked, path key, status, seconds taken)
    stop = threading.Event()
    marks = {}

    def reader():
        while not stop.is_set():
            for key, path in (("page", site["path"]), ("healthz", "/healthz")):
                began = time.monotonic()
                try:
                    # Longer than nginx's proxy_read_timeout: nginx's own answer is seen.
                    status = client.get(path, timeout=40).status_code
                except requests.RequestException:
                    status = "error"
                seen.append((began, key, status, time.monotonic() - began))
                if key == "healthz" and status == 200 and "started" in marks and "recovered" not in marks:
                    marks["recovered"] = time.monotonic()
            time.sleep(0.05)

    settle(client, "/healthz")
    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(2)
    marks["stopped"] = time.monotonic()
    cluster.stop_database()
    time.sleep(down_seconds)
    down_for = time.monotonic() - marks["stopped"]
    cluster.start_database()
    marks["started"] = time.monotonic()
    try:
        wait_for(lambda: "recovered" in marks, timeout=60, what="the site to recover")
        time.sleep(2)
    finally:
        stop.set()
        thread.join()
    recovery = marks["recovered"] - marks["started"]
    counts = {key: dict(Counter(status for _, k, status, _ in seen if k == key)) for key in ("page", "healthz")}
    slowest = max(taken for *_, taken in seen)
    (cluster.folder / "database-restart.txt").write_text("".join(f"{row}\n" for row in seen))
    during = Counter(status for began, _, status, _ in seen if marks["stopped"] <= began < marks["started"])
    passed = {status for _, _, status, _ in seen} <= {200, 503} and sum(during.values()) > 0 and recovery < 15
    return passed, (
        f"down {down_for:.1f} s, {dict(during)} while down; release page {counts['page']}, "
        f"/healthz {counts['healthz']}; slowest answer "
        f"{slowest:.1f} s; health 200 again {recovery:.1f} s after the start"
    )


class Sink:
    """aiosmtpd on the driver's side of the bridge: keeps (recipient,
    Message-ID) of every message accepted."""

    def __init__(self, address):
        from aiosmtpd.controller import Controller

        self.accepted = []
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname=address, port=SMTP_PORT)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.accepted.append((envelope.rcpt_tos[0], message["Message-ID"]))
        return "250 Message accepted for delivery"

    def count(self):
        with self.lock:
            return len(self.accepted)


def worker_host_killed(cluster, client, site, sink, fanout=200):
    """A fan-out of `fanout` mails; the worker host (worker and beat) killed
    a third of the way and started again: each mail arrives once, or twice
    with the same Message-ID (killed between the SMTP server's answer and
    the row marked sent)."""
    worker = cluster.network["worker"]
    started = time.monotonic()
    cluster.python("app1", "bench.cluster.site", "enqueue", str(fanout))
    wait_for(lambda: sink.count() >= fanout // 3, timeout=120, what="a third of the mails")
    worker.kill("worker")
    worker.kill("beat")
    killed_at = sink.count()
    cluster.start_worker_host()

    def done():
        statuses = json.loads(cluster.python("app1", "bench.cluster.site", "outbox"))
        return set(statuses) <= {"sent", "failed"}

    wait_for(done, timeout=180, what="every mail to be sent")
    received = Counter(recipient for recipient, _ in sink.accepted)
    first_ids = {}
    same_id = all(first_ids.setdefault(to, message_id) == message_id for to, message_id in sink.accepted)
    twice = sum(1 for count in received.values() if count > 1)
    passed = len(received) == fanout and same_id and twice <= 4
    return passed, (
        f"{fanout} mails, killed after {killed_at} accepted; {len(received)} arrived, {twice} twice "
        f"(same Message-ID: {same_id}); {time.monotonic() - started:.0f} s"
    )


def replica_follows(cluster, client, site, timeout=10):
    """After everything before (the primary restarted among it), the app
    hosts read public pages from the replica (DATABASE_REPLICA_URL): a
    reader with no cookie searching ten times makes the replica commit as
    many transactions; and the replica streams again and holds what app1
    writes: a release published (again) there is on the replica within
    `timeout` seconds."""
    # Reads stay on the primary for PRESSROOM_REPLICA_MAX_LAG_SECONDS (5)
    # after a change to public content, which an earlier check may have made.
    time.sleep(6)
    reads_sql = "SELECT xact_commit FROM pg_stat_database WHERE datname = 'pressroom'"
    before = int(cluster.query("replica", reads_sql))
    reader = type(client)(cluster)
    statuses = Counter(reader.get(f"/releases/?q=replica{number}").status_code for number in range(10))
    # An idle backend writes its statistics within 10 s (PostgreSQL's
    # PGSTAT_IDLE_INTERVAL), and the app keeps its connections open.
    time.sleep(11)
    reads = int(cluster.query("replica", reads_sql)) - before
    state = cluster.query("db", "SELECT string_agg(state, ',') FROM pg_stat_replication")
    cluster.python("app1", "bench.cluster.site", "publish", str(site["draft"]))
    written = time.monotonic()
    sql = f"SELECT status FROM releases_release WHERE id = {int(site['draft'])}"
    wait_for(lambda: cluster.query("replica", sql) == "published", timeout=timeout, what="the replica")
    lag = time.monotonic() - written
    counts = [cluster.query(name, "SELECT count(*) FROM outbox_message") for name in ("db", "replica")]
    passed = state == "streaming" and counts[0] == counts[1] and statuses == Counter({200: 10}) and reads >= 10
    return passed, (
        f"10 searches answered {dict(statuses)}, {reads} transactions on the replica meanwhile; "
        f"replication {state or 'absent'}; a publication on app1 on the replica {lag:.1f} s later "
        f"(psql polls included); outbox rows {counts[0]} on the primary, {counts[1]} on the replica"
    )
