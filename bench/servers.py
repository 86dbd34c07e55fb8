"""Gunicorn, started the way production starts it (sync workers), with an
access log that records each request's own time in the worker, so that
server time can be told from time spent queueing for a worker, and a log of
each request's CPU time in the worker (bench/cpu_log.py); and the
children of a process, which the benchmarks and the queue tests watch."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# Path, query string, status, body bytes, microseconds in the worker.
ACCESS_LOG_FORMAT = "%(U)s?%(q)s %(s)s %(B)s %(D)s"
GUNICORN = Path(sys.executable).with_name("gunicorn")
# /proc/net/tcp states: listening (its receive queue counts the connections
# waiting to be accepted); a handshake under way, open, closed by the client
# only.
TCP_LISTEN = "0A"
TCP_HELD_BY_SERVER = {"03", "01", "08"}


class Gunicorn:
    def __init__(self, application, *, port, workers, environment, log_dir, name):
        self.application = application
        self.port = port
        self.workers = workers
        self.environment = environment
        self.access_log = Path(log_dir) / f"{name}-access.log"
        self.error_log = Path(log_dir) / f"{name}-error.log"
        self.cpu_log = Path(log_dir) / f"{name}-cpu.log"
        self.process = None

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.access_log.write_text("")
        self.cpu_log.write_text("")
        command = [
            str(GUNICORN),
            self.application,
            f"--workers={self.workers}",
            f"--bind=127.0.0.1:{self.port}",
            # A sitemap page of 50,000 addresses takes seconds, more when queued.
            "--timeout=300",
            f"--access-logfile={self.access_log}",
            f"--access-logformat={ACCESS_LOG_FORMAT}",
            f"--error-logfile={self.error_log}",
            "--config=python:bench.cpu_log",
        ]
        environment = self.environment | {"BENCH_CPU_LOG": str(self.cpu_log)}
        self.process = subprocess.Popen(command, env=environment, cwd=Path(__file__).resolve().parent.parent)
        self.wait_until_serving()
        return self

    def __exit__(self, *exc_info):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def wait_until_serving(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn {self.application} stopped; see {self.error_log}")
            try:
                with urllib.request.urlopen(self.origin + "/", timeout=60):
                    pass
                if len(self.worker_pids()) == self.workers:
                    return
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn {self.application} did not answer in {timeout} s; see {self.error_log}")

    def get(self, path):
        """(status, body) of one request."""
        try:
            with urllib.request.urlopen(self.origin + path, timeout=300) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def worker_rss_mib(self):
        """Resident size of each worker in MiB."""
        return [size for size in map(rss_mib, self.worker_pids()) if size]

    def requests_in_hand(self):
        """Connections the server has accepted and not yet closed, plus those
        waiting to be accepted, from the kernel's table (/proc/net/tcp).
        When wrk stops, the requests it leaves behind are still served, each
        taking a page's whole time: the next run must wait for them."""
        port = f"{self.port:04X}"
        count = 0
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].rsplit(":", 1)[1] != port:
                continue
            state, queue = fields[3], int(fields[4].split(":")[1], 16)
            if state == TCP_LISTEN:
                count += queue
            elif state in TCP_HELD_BY_SERVER:
                count += 1
        return count

    def log_position(self):
        """Where the access log and the CPU log end now."""
        return self.access_log.stat().st_size, self.cpu_log.stat().st_size

    def requests_logged(self):
        with self.access_log.open() as log:
            return sum(1 for _ in log)

    def server_times_ms(self, since=(0, 0)):
        """{path with query: [milliseconds in the worker, ...]} of the
        requests logged after `since` (a log_position())."""
        return times_by_path(self.access_log, since[0])

    def cpu_times_ms(self, since=(0, 0)):
        """{path with query: [milliseconds of CPU in the worker, ...]} of the
        requests logged after `since` (a log_position())."""
        return times_by_path(self.cpu_log, since[1])


def times_by_path(path, since):
    """{path with query: [milliseconds, ...]} from a log whose lines start
    with "<path>?<query>" and end with microseconds, from byte `since`."""
    times = {}
    with path.open() as log:
        log.seek(since)
        for line in log:
            target, micros = line.split(" ", 1)[0], line.rsplit(" ", 1)[1]
            path, _, query = target.partition("?")
            times.setdefault(f"{path}?{query}" if query and query != "-" else path, []).append(int(micros) / 1000)
    return times


def rss_mib(pid):
    """Resident size of process `pid` in MiB (/proc/<pid>/status), 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid):
    """The ids of the processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def environment(**overrides):
    """The process environment with `overrides`; values None are removed."""
    env = dict(os.environ)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env
