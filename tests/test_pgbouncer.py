"""The site behind a real PgBouncer in transaction mode (README, "PgBouncer"),
started here on a port of its own in front of the test database: the
statement timeout's startup parameter is refused there, so with
DATABASE_POOLED the timeout is the role's default, set by
`manage.py set_statement_timeout` and checked by the database check; pages
answer, a statement past the timeout is cancelled, and the list budget's
SET LOCAL still applies within its transaction."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.postgresql, pytest.mark.django_db]

PORT = 17050
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"

# Run by the project in a process of its own, through the pooler.
PAGES_AND_TIMEOUT = """
import json
import django
django.setup()
from django.db import connection, transaction
from django.db.utils import OperationalError
from django.test import Client
from serving.limits import statement_budget

client = Client()
answers = {path: client.get(path).status_code for path in ["/", "/releases/", "/releases/?q=customs", "/healthz"]}
try:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    cancelled = False
except OperationalError as error:
    cancelled = "statement timeout" in str(error)
with statement_budget():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        budget = cursor.fetchone()[0]
print(json.dumps({"answers": answers, "cancelled": cancelled, "budget": budget}))
"""


@pytest.fixture
def pgbouncer():
    """PgBouncer in transaction mode on PORT, any database of the local
    server behind it; it does not run as root, so as the postgres user."""
    if not os.path.exists(PGBOUNCER):
        pytest.skip("pgbouncer not found: apt-get install pgbouncer")
    folder = Path(tempfile.mkdtemp(prefix="pressroom-pgbouncer-"))
    folder.chmod(0o777)
    (folder / "users.txt").write_text('"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n* = host=127.0.0.1 port=5432\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {PORT}\nunix_socket_dir =\n"
        "auth_type = trust\nauth_file = {folder}/users.txt\nadmin_users = postgres\n"
        "pool_mode = transaction\ndefault_pool_size = 4\n"
        f"logfile = {folder}/pgbouncer.log\npidfile = {folder}/pgbouncer.pid\n".replace("{folder}", str(folder))
    )
    user = [] if os.geteuid() else ["-u", "postgres"]
    process = subprocess.Popen([PGBOUNCER, *user, str(folder / "pgbouncer.ini")], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                psycopg2.connect(host="127.0.0.1", port=PORT, user="postgres", dbname="pgbouncer").close()
                break
            except psycopg2.OperationalError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"PgBouncer did not start: {process.stderr.read().decode()}")
                time.sleep(0.1)
        yield f"postgres://postgres@127.0.0.1:{PORT}/{connection.settings_dict['NAME']}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
        database = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER ROLE CURRENT_USER IN DATABASE {database} RESET statement_timeout")


def project(arguments, database_url, **environment):
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "pressroom.settings.test",
            "DATABASE_URL": database_url,
            "DATABASE_STATEMENT_TIMEOUT": "1",
            "ALLOWED_HOSTS": "testserver",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def reconnect_servers():
    """What the README tells operators after setting the role's timeout:
    the pooler's server connections opened before it are replaced."""
    admin = psycopg2.connect(host="127.0.0.1", port=PORT, user="postgres", dbname="pgbouncer")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("RECONNECT")
    admin.close()


def test_pgbouncer_refuses_the_timeout_as_a_startup_parameter(pgbouncer):
    connect = "import django; django.setup(); from django.db import connection; connection.ensure_connection()"
    result = project(["-c", connect], pgbouncer)
    assert result.returncode != 0
    assert "unsupported startup parameter: options" in result.stderr


def test_pooled_site_answers_with_the_roles_statement_timeout(pgbouncer):
    check = ["manage.py", "check", "--database", "default", "--fail-level", "WARNING"]
    missing = project(check, pgbouncer, DATABASE_POOLED="1")
    assert missing.returncode != 0
    assert "pressroom.W002" in missing.stderr

    applied = project(["manage.py", "set_statement_timeout"], pgbouncer, DATABASE_POOLED="1")
    assert applied.returncode == 0, applied.stderr
    assert "1000 ms" in applied.stdout
    reconnect_servers()
    assert project(check, pgbouncer, DATABASE_POOLED="1").returncode == 0

    result = project(["-c", PAGES_AND_TIMEOUT], pgbouncer, DATABASE_POOLED="1")
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["answers"] == {"/": 200, "/releases/": 200, "/releases/?q=customs": 200, "/healthz": 200}
    assert outcome["cancelled"] is True
    assert outcome["budget"] == "2s"
