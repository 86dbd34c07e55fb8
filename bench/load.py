"""wrk, the HTTP load generator (Debian's package, installed when missing)."""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LATENCY_SCRIPT = Path(__file__).resolve().parent / "latency.lua"
RESULT = re.compile(r"^BENCH (.*)$", re.MULTILINE)


@dataclass
class Run:
    requests: int
    seconds: float
    bytes: int
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    timeouts: int

    @property
    def errors(self):
        return self.non_2xx + self.socket_errors + self.timeouts

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("Installing wrk (apt-get install wrk).", flush=True)
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    environment = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    if subprocess.run(install, env=environment, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=environment, check=True)
        subprocess.run(install, env=environment, check=True)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing and could not be installed: apt-get install wrk")


def wrk(url, *, seconds, threads, connections):
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=120s",
        f"--script={LATENCY_SCRIPT}",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = RESULT.search(output)
    if not match:
        raise SystemExit(f"wrk gave no result for {url}:\n{output}")
    values = dict(pair.split("=") for pair in match.group(1).split())
    return Run(
        requests=int(values["requests"]),
        seconds=int(values["duration_us"]) / 1e6,
        bytes=int(values["bytes"]),
        p50_ms=int(values["p50_us"]) / 1000,
        p99_ms=int(values["p99_us"]) / 1000,
        non_2xx=int(values["non2xx"]),
        socket_errors=int(values["socket_errors"]),
        timeouts=int(values["timeouts"]),
    )
