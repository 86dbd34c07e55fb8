"""Redis outages: a Redis server of one's own (for the soak test's
`--redis-outage` and tests/test_redis_outage.py), and the soak test's outage
in the middle of its run (README, "Soak test").

RedisServer runs on a port of its own, bounded as the README advises
(maxmemory, LRU eviction), and may be stopped (keeping its data in a dump, as
a clean shutdown does), started again from that dump, or hung (SIGSTOP) and
resumed."""

import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

import redis

REDIS_SERVER = shutil.which("redis-server")
SKIP_REASON = "needs redis-server (Debian package redis-server; .ci/run installs it)"
# As README, "Caching", advises for production.
MAX_MEMORY = ["--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"]


class RedisServer:
    def __init__(self, port, folder):
        self.port = port
        self.folder = folder
        self.process = None
        self.url = f"redis://127.0.0.1:{port}/0"

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self):
        """Start the server, from the dump of its last stop if there is one."""
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        command += ["--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no", "--loglevel", "warning"]
        command += MAX_MEMORY
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start in 10 s"
                time.sleep(0.05)

    def stop(self):
        """Write the dump and stop, as a clean shutdown does."""
        self.client().save()
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None

    def hang(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def ensure_running(self):
        if self.process is None:
            self.start()
        else:
            self.resume()

    def kill(self):
        if self.process is not None:
            self.resume()
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@dataclass
class RedisOutage:
    """Stops `server` for `seconds` in the middle of a run of `run_seconds`,
    and starts it again from its dump. Meanwhile a canary release, read
    before the run (prime(), so that its page is kept), is renamed by this
    process, whose own cache call then fails as the workers' do: once Redis
    is back, its page must show the new title, though the dump still holds
    the old page. `read(path)` fetches a page: (status, body)."""

    server: RedisServer
    seconds: float
    run_seconds: float
    canary_id: int
    read: object
    stopped_at: float = None
    started_at: float = None
    reads_after: list = field(default_factory=list)  # (seconds after the restart, status, fresh)
    failures: list = field(default_factory=list)

    def prime(self):
        from releases.models import Release

        self.read(Release.objects.get(pk=self.canary_id).get_absolute_url())

    def run(self, stop):
        started = time.monotonic()
        if stop.wait(max(0.0, (self.run_seconds - self.seconds) / 2)):
            return
        try:
            self._outage(started, stop)
        except Exception as error:  # noqa: BLE001 - reported with the soak's checks
            self.failures.append(f"{type(error).__name__}: {error}")
            self.server.ensure_running()

    def _outage(self, started, stop):
        from releases.models import Release

        release = Release.objects.get(pk=self.canary_id)
        self.server.stop()
        self.stopped_at = time.monotonic() - started
        release.title = f"{release.title.split(' [canary')[0]} [canary {time.strftime('%H%M%S')}]"
        release.save()
        stop.wait(self.seconds)
        self.server.start()
        self.started_at = time.monotonic() - started
        expected = release.title.encode()
        while not stop.is_set() and len(self.reads_after) < 5:
            status, body = self.read(release.get_absolute_url())
            self.reads_after.append((time.monotonic() - started - self.started_at, status, expected in body))

    @property
    def stale_reads(self):
        return sum(1 for _, status, fresh in self.reads_after if status == 200 and not fresh)

    def report(self):
        """The report's section on the outage, in Markdown lines."""
        reads = "; ".join(
            f"{after:.1f} s after: {status}, {'the new title' if fresh else 'THE OLD TITLE'}"
            for after, status, fresh in self.reads_after
        )
        stopped = f"{self.stopped_at:.0f} s" if self.stopped_at is not None else "never"
        started = f"{self.started_at:.0f} s" if self.started_at is not None else "never"
        return [
            "## Redis outage",
            "",
            f"Redis (the page cache) stopped {stopped} into the run, started again from its dump at {started}. "
            f"The canary release, renamed while Redis was down, read after: {reads or 'not read'}.",
            *(f"- failure: {failure}" for failure in self.failures),
            "",
        ]

    def thread(self, stop):
        return threading.Thread(target=self.run, args=(stop,), daemon=True)
