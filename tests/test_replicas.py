"""Public reads from a real streaming replica (README, "Read replicas"): a
primary and a replica (pg_basebackup, streaming) started here on ports of
their own, the project run against both in a process of its own. Public
pages read from the replica; the admin, a client that has just written,
the seconds after a change to public content, and a replica that lags, is
paused or stopped all read from the primary, and no request fails."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from glob import glob
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

PRIMARY_PORT, REPLICA_PORT = 17053, 17054
BINARIES = sorted(glob("/usr/lib/postgresql/*/bin"))
MAX_LAG = 3

SCENARIO = """
import json, time
import django
django.setup()
from django.db import connections
from django.test import Client
from serving import pagecache, replicas

def reads_of_releases(client, path="/releases/"):
    seen = {"default": 0, "replica": 0}
    def counter(alias):
        def wrapper(execute, sql, params, many, context):
            if "releases_release" in sql:
                seen[alias] += 1
            return execute(sql, params, many, context)
        return wrapper
    with connections["default"].execute_wrapper(counter("default")):
        with connections["replica"].execute_wrapper(counter("replica")):
            status = client.get(path).status_code
    only = [alias for alias, count in seen.items() if count]
    return [status, only[0] if len(only) == 1 else seen]

def control(port, sql):
    import psycopg2
    connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="pressroom")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()

outcome = {}
reader = Client()
outcome["public list"] = reads_of_releases(reader)
outcome["release feed"] = reads_of_releases(reader, "/feeds/rss/")
outcome["admin list"] = reads_of_releases(Client(), "/admin/releases/release/")

writer = Client()
writer.post("/admin/login/", {"username": "nobody", "password": "wrong"})
outcome["just wrote"] = reads_of_releases(writer)

pagecache.public_content_changed()
outcome["just after a change"] = reads_of_releases(Client())
time.sleep(MAX_LAG + 0.5)
outcome["a while after a change"] = reads_of_releases(Client())

control(REPLICA_PORT, "SELECT pg_wal_replay_pause()")
control(PRIMARY_PORT, "CREATE TABLE IF NOT EXISTS lag_marker (at timestamptz); INSERT INTO lag_marker VALUES (now())")
time.sleep(MAX_LAG + replicas.CHECK_SECONDS + 0.5)
outcome["replica paused"] = reads_of_releases(Client())
control(REPLICA_PORT, "SELECT pg_wal_replay_resume()")
time.sleep(replicas.CHECK_SECONDS + 0.5)
outcome["replica resumed"] = reads_of_releases(Client())
print(json.dumps(outcome))
"""

STOPPED = """
import json, sys
import django
django.setup()
from django.test import Client
client = Client()
print(json.dumps([client.get(path).status_code for path in ["/releases/", "/releases/", "/feeds/rss/"]]))
"""


def as_postgres(*command, **kwargs):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)], check=True, capture_output=True, text=True, **kwargs
    )


@pytest.fixture(scope="module")
def cluster():
    """A primary and its streaming replica, each on a port of its own."""
    if not BINARIES or not shutil.which("runuser"):
        pytest.skip("PostgreSQL's server binaries not found: apt-get install postgresql")
    binaries = Path(BINARIES[-1])
    folder = Path(tempfile.mkdtemp(prefix="pressroom-replica-"))
    folder.chmod(0o777)
    primary, replica = folder / "primary", folder / "replica"
    common = f"-c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"
    try:
        as_postgres(binaries / "initdb", "-D", primary, "-U", "postgres", "--auth=trust")
        as_postgres(
            binaries / "pg_ctl",
            "-D",
            primary,
            "-o",
            f"-p {PRIMARY_PORT} {common}",
            "-l",
            folder / "primary.log",
            "-w",
            "start",
        )
        as_postgres(
            binaries / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            PRIMARY_PORT,
            "-U",
            "postgres",
            "-D",
            replica,
            "-R",
            "-X",
            "stream",
        )
        as_postgres(
            binaries / "pg_ctl",
            "-D",
            replica,
            "-o",
            f"-p {REPLICA_PORT} {common}",
            "-l",
            folder / "replica.log",
            "-w",
            "start",
        )
        connection = psycopg2.connect(host="127.0.0.1", port=PRIMARY_PORT, user="postgres", dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE pressroom")
        connection.close()
        environment = {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/pressroom",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/pressroom",
        }
        migrated = project(["manage.py", "migrate", "--no-input"], environment)
        assert migrated.returncode == 0, migrated.stderr
        yield environment, binaries, replica
    finally:
        for data in (replica, primary):
            if data.exists():
                subprocess.run(
                    ["runuser", "-u", "postgres", "--", binaries / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
                    capture_output=True,
                )
        shutil.rmtree(folder, ignore_errors=True)


def project(arguments, environment):
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "pressroom.settings.test",
            "ALLOWED_HOSTS": "testserver",
            "PRESSROOM_REPLICA_MAX_LAG_SECONDS": str(MAX_LAG),
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_public_reads_go_to_the_replica_unless_it_could_be_behind(cluster):
    environment, _binaries, _replica = cluster
    script = (
        SCENARIO.replace("MAX_LAG", str(MAX_LAG))
        .replace("REPLICA_PORT", str(REPLICA_PORT))
        .replace("PRIMARY_PORT", str(PRIMARY_PORT))
    )
    result = project(["-c", script], environment)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "public list": [200, "replica"],
        "release feed": [200, "replica"],
        "admin list": [302, {"default": 0, "replica": 0}],
        "just wrote": [200, "default"],
        "just after a change": [200, "default"],
        "a while after a change": [200, "replica"],
        "replica paused": [200, "default"],
        "replica resumed": [200, "replica"],
    }


def test_a_stopped_replica_costs_no_request(cluster):
    environment, binaries, replica = cluster
    as_postgres(binaries / "pg_ctl", "-D", replica, "-m", "immediate", "stop")
    try:
        result = project(["-c", STOPPED], environment)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == [200, 200, 200]
    finally:
        as_postgres(
            binaries / "pg_ctl",
            "-D",
            replica,
            "-o",
            f"-p {REPLICA_PORT} -c listen_addresses=127.0.0.1 -k {replica.parent} -c fsync=off",
            "-l",
            replica.parent / "replica.log",
            "-w",
            "start",
        )
