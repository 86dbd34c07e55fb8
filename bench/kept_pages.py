"""Kept pages against the floor, in one run (README, "Caching"):

    DATABASE_URL=postgres://... python -m bench.kept_pages --redis redis://127.0.0.1:6379/15

Three gunicorns of `--workers` sync workers each, as `make bench` starts
them: the site as deployed (`pressroom.wsgi:application`, kept pages
answered before Django), the same site through Django's handler alone
(`pressroom.wsgi:django_application`, kept pages served by the page cache's
middleware) and the floor (bench/floor.py: list page 1 as prebuilt bytes).
Each page is asked twice to keep it, then wrk runs on each page of each
server in turn, `--rounds` times, so that the machine's load falls on all
alike; prints requests per second and the workers' CPU time per request
(utime + stime from /proc, which the load of other processes on the machine
bends less than the rate), medians of the rounds, and each as a fraction of
the floor's. The database is seeded as `make bench` seeds it
(bench/database.py); the Redis database given is emptied."""

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import database, load, servers
from bench.run import empty_redis, load_average, site_environment

TICKS = os.sysconf("SC_CLK_TCK")
PATHS = ["/", "/releases/", "/releases/?page=2", "/tags/", "/feeds/rss/"]
SITES = {"KeptPages": "pressroom.wsgi:application", "Django only": "pressroom.wsgi:django_application"}


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=database.DEFAULT_SIZE, help="releases")
    parser.add_argument(
        "--redis", required=True, help="a Redis database to empty and use, e.g. redis://127.0.0.1:6379/15"
    )
    parser.add_argument("--port", type=int, default=18140, help="the first of three ports")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4, help="length of each wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args(argv)


def cpu_seconds(server):
    """CPU time the server's workers have used so far."""
    total = 0
    for pid in server.worker_pids():
        with contextlib.suppress(FileNotFoundError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def main(argv=None):
    args = arguments(argv)
    url = os.environ.get("DATABASE_URL") or database.default_url(args.size)
    load.ensure_wrk()
    database.ensure_database(url)
    environment = site_environment(url, args.port) | {"DATABASE_STATEMENT_TIMEOUT": "0"}
    os.environ.update(environment)
    import django

    django.setup()
    releases = database.prepare(args.size, seed=1)
    empty_redis(args.redis)
    site_environment_ = servers.environment(**environment, REDIS_URL=args.redis, PRESSROOM_PAGE_CACHE_SECONDS="600")
    print(f"{releases:,} releases; load average before: {load_average()}", flush=True)
    rates, cpu = {}, {}
    with tempfile.TemporaryDirectory(prefix="pressroom-kept-") as logs, contextlib.ExitStack() as stack:
        sites = {
            name: stack.enter_context(
                servers.Gunicorn(
                    application,
                    port=args.port + number,
                    workers=args.workers,
                    environment=site_environment_,
                    log_dir=logs,
                    name=f"site{number}",
                )
            )
            for number, (name, application) in enumerate(SITES.items())
        }
        for site in sites.values():
            for path in PATHS:
                for _ in range(2):
                    status, body = site.get(path)
                    if status != 200:
                        raise SystemExit(f"{site.application} {path} answered {status}")
        floor_file = Path(logs) / "floor.html"
        floor_file.write_bytes(sites["KeptPages"].get("/releases/")[1])
        floor = stack.enter_context(
            servers.Gunicorn(
                "bench.floor:application",
                port=args.port + len(SITES),
                workers=args.workers,
                environment=servers.environment(BENCH_FLOOR_FILE=floor_file),
                log_dir=logs,
                name="floor",
            )
        )
        targets = [(name, path, site) for path in PATHS for name, site in sites.items()]
        targets.append(("floor", "/releases/", floor))
        for number in range(1, args.rounds + 1):
            for name, path, server in targets:
                before = cpu_seconds(server)
                run = load.wrk(
                    server.origin + path, seconds=args.seconds, threads=args.threads, connections=args.connections
                )
                while server.requests_in_hand():
                    time.sleep(0.05)
                if run.errors:
                    raise SystemExit(f"{name} {path}: {run.errors} errors")
                rates.setdefault((name, path), []).append(run.per_second)
                cpu.setdefault((name, path), []).append((cpu_seconds(server) - before) / run.requests * 1e6)
                print(
                    f"round {number}/{args.rounds}  {name:12} {path:20} {run.per_second:9,.0f} req/s "
                    f"{cpu[(name, path)][-1]:7,.0f} µs CPU",
                    flush=True,
                )
    floor_rate = statistics.median(rates[("floor", "/releases/")])
    floor_cpu = statistics.median(cpu[("floor", "/releases/")])
    print(f"\nload average after: {load_average()}")
    print(f"{'page':20} {'server':12} {'req/s':>9} {'of the floor':>13} {'µs CPU':>8} {'of the floor':>13}")
    for (name, path), values in rates.items():
        rate, used = statistics.median(values), statistics.median(cpu[(name, path)])
        print(
            f"{path:20} {name:12} {rate:9,.0f} {'1/%.2f' % (floor_rate / rate):>13} "
            f"{used:8,.0f} {'1/%.2f' % (used / floor_cpu):>13}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
