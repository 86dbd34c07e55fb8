"""A Redis server of the test's own, on a port of its own, that the test may
stop (keeping its data in a dump, as a server shut down cleanly does), start
again from that dump, or hang (SIGSTOP) and resume."""

import os
import shutil
import signal
import subprocess
import time

import redis

REDIS_SERVER = shutil.which("redis-server")
SKIP_REASON = "needs redis-server (Debian package redis-server; .ci/run installs it)"


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
