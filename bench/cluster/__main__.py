"""The cluster test of issue 21: `make cluster-test` (as root).

Builds eight test hosts in network namespaces on this machine, starts each
one's servers from deploy/ and checks through the load balancer what a
cluster must do (README, "Deployment"); prints a table, and exits 1 when a
check fails; `python -m bench.cluster 4 5` runs checks 4 and 5 only.
The namespaces are removed at the end, whatever happened; the logs of each
host stay in the folder printed at the start when a check fails."""

import json
import os
import shutil
import sys
import tempfile
import time
import traceback

from . import checks
from .client import Client
from .hosts import DRIVER_ADDRESS, Network
from .services import Cluster, missing

HOSTS = {"lb": 10, "app1": 11, "app2": 12, "db": 20, "redis": 21, "store": 22, "worker": 23, "replica": 24}
CHECKS = [
    ("photo uploaded on app1, page by app2", checks.photo_shared),
    ("publish/withdraw seen on both", checks.publication_seen_everywhere),
    ("sessions and lockout shared", checks.sessions_shared),
    ("app host killed under load", checks.app_host_killed),
    ("rolling restart under load", checks.rolling_restart),
    ("database restarted", checks.database_restarted),
    ("worker host killed mid-send", checks.worker_host_killed),
    ("streaming replica follows", checks.replica_follows),
]


def build(cluster):
    cluster.network.create()
    cluster.start_database()
    cluster.create_database()
    cluster.start_database("replica")
    cluster.start_redis()
    cluster.start_store()
    cluster.manage("app1", "migrate", "--no-input", "-v0")
    cluster.manage("app1", "collectstatic", "--no-input", "-v0")
    cluster.manage("app1", "media_bucket")
    site = json.loads(cluster.python("app1", "bench.cluster.site", "prepare"))
    cluster.start_app("app1")
    cluster.start_app("app2")
    cluster.start_worker_host()
    cluster.start_load_balancer()
    return site


def main(selected):
    if os.geteuid() != 0:
        sys.exit("The cluster test builds network namespaces: run it as root.")
    if absent := missing():
        sys.exit(f"The cluster test needs {', '.join(absent)} (apt-get install nginx wrk redis-server postgresql)")
    folder = tempfile.mkdtemp(prefix="pressroom-cluster-")
    os.chmod(folder, 0o755)
    print(f"Hosts' logs in {folder}", flush=True)
    network = Network(folder, HOSTS)
    cluster = Cluster(network)
    started = time.monotonic()
    rows = []
    try:
        site = build(cluster)
        print(f"cluster built in {time.monotonic() - started:.0f} s", flush=True)
        client = Client(cluster)
        sink = checks.Sink(DRIVER_ADDRESS)
        sink.controller.start()
        try:
            for number, (title, check) in enumerate(CHECKS, 1):
                if selected and number not in selected:
                    continue
                began = time.monotonic()
                try:
                    extra = (sink,) if check is checks.worker_host_killed else ()
                    passed, figures = check(cluster, client, site, *extra)
                except Exception as error:  # a check that breaks fails, and the others still run
                    traceback.print_exc()
                    passed, figures = False, f"{type(error).__name__}: {error}"
                rows.append((number, title, passed, figures, time.monotonic() - began))
                print(f"{number}. {'pass' if passed else 'FAIL'}  {title}: {figures}", flush=True)
        finally:
            sink.controller.stop()
    finally:
        network.remove()
    print("\n| # | check | result | figures | time |\n|---|---|---|---|---|")
    for number, title, passed, figures, seconds in rows:
        print(f"| {number} | {title} | {'pass' if passed else '**FAIL**'} | {figures} | {seconds:.0f} s |")
    print(f"\nTotal {time.monotonic() - started:.0f} s")
    if len(rows) < len(selected or CHECKS) or not all(row[2] for row in rows):
        sys.exit(f"Failed: the hosts' logs are in {folder}")
    # Two database clusters and the logs: kept only when something failed.
    shutil.rmtree(folder)


if __name__ == "__main__":
    main({int(number) for number in sys.argv[1:]})
