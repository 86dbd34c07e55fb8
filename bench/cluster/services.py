"""The servers of each test host, started from the files of deploy/ that an
operator installs (the systemd units' ExecStart and Environment, the nginx
site and its proxy snippet), adapted only by putting this machine's paths
and addresses in place of /srv/pressroom, 10.0.0.x and the certificate's."""

import secrets
import shlex
import shutil
import socket
from pathlib import Path

from .hosts import DRIVER_ADDRESS, run, wait_for

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Debian's newest PostgreSQL (its binaries are not on PATH).
POSTGRES_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name), default=None)
NEEDED = ["nginx", "wrk", "redis-server", "openssl", "psql", "pg_isready", "runuser"]


def missing():
    """What this machine lacks to run the cluster test."""
    absent = [name for name in NEEDED if shutil.which(name) is None]
    if POSTGRES_BIN is None:
        absent.append("PostgreSQL (apt-get install postgresql)")
    return absent


APP_PORT = 8000
STORE_PORT = 5000
SMTP_PORT = 17300
BUCKET = "press-media"
SITE = "press.example.org"


def answers(address, port):
    try:
        with socket.create_connection((address, port), timeout=0.5):
            return True
    except OSError:
        return False


def unit(name, folder):
    """(command, environment) of deploy/systemd/<name>: ExecStart and
    Environment as systemd reads them, with this checkout for /srv/pressroom
    and the host's folder for /run/pressroom and /var/lib/pressroom."""
    command, environment = None, {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        line = line.replace("/srv/pressroom", str(ROOT))
        line = line.replace("/run/pressroom", str(folder)).replace("/var/lib/pressroom", str(folder))
        key, _, value = line.partition("=")
        if key == "ExecStart":
            command = shlex.split(value)
        elif key == "Environment":
            name_, _, setting = value.partition("=")
            environment[name_] = setting
    return command, environment


class Cluster:
    """The servers of the network's hosts and the environment every
    Pressroom process shares (/etc/pressroom/pressroom.env in deploy/)."""

    def __init__(self, network):
        self.network = network
        self.folder = network.folder
        self.environment = {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "HOME": str(self.folder),
            "LANG": "C.UTF-8",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": SITE,
            "SITE_URL": f"https://{SITE}",
            "DATABASE_URL": f"postgres://pressroom@{network['db'].address}:5432/pressroom",
            # Public pages read from the replica (README, "Read replicas").
            "DATABASE_REPLICA_URL": f"postgres://pressroom@{network['replica'].address}:5432/pressroom",
            "REDIS_URL": f"redis://{network['redis'].address}:6379/0",
            "CELERY_BROKER_URL": f"redis://{network['redis'].address}:6379/1",
            "PRESSROOM_TRUSTED_PROXIES": "1",
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "FORWARDED_ALLOW_IPS": network["lb"].address,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": DRIVER_ADDRESS,
            "EMAIL_PORT": str(SMTP_PORT),
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": f"http://{network['store'].address}:{STORE_PORT}",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "cluster",
            "AWS_SECRET_ACCESS_KEY": "cluster",
            # The load generator is one client; the limit is for readers.
            "PRESSROOM_RATE_LIMIT_REQUESTS": "0",
            # Two cores for the whole cluster.
            "GUNICORN_WORKERS": "2",
            # A killed worker's messages are sent again after 5 s, not 5 min.
            "PRESSROOM_OUTBOX_LEASE_SECONDS": "5",
            "PRESSROOM_OUTBOX_RETRY_SECONDS": "1",
        }

    # The database host ---------------------------------------------------

    def start_database(self, name="db"):
        """The primary on db; on `replica`, a streaming replica of it
        (pg_basebackup -R: a standby that follows the primary's WAL)."""
        db = self.network[name]
        data = db.folder / "data"
        if not data.exists():
            run("chown", "postgres:postgres", db.folder)
            if name == "replica":
                primary = self.network["db"].address
                db.run(
                    "pg_basebackup", "-h", primary, "-U", "postgres", "-D", data, "-R", "-X", "stream", user="postgres"
                )
            else:
                initdb = POSTGRES_BIN / "initdb"
                db.run(initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", user="postgres")
                with open(data / "pg_hba.conf", "a") as hba:
                    hba.write("host all all 10.217.0.0/24 trust\nhost replication all 10.217.0.0/24 trust\n")
        db.start(
            "postgres",
            POSTGRES_BIN / "postgres",
            "-D",
            data,
            "-c",
            f"listen_addresses={db.address}",
            "-c",
            f"unix_socket_directories={db.folder}",
            user="postgres",
        )
        wait_for(lambda: answers(db.address, 5432), timeout=30, what="PostgreSQL")
        wait_for(
            lambda: db.run("pg_isready", "-q", "-h", db.address, check=False).returncode == 0,
            timeout=30,
            what="PostgreSQL to accept connections",
        )

    def stop_database(self):
        db = self.network["db"]
        db.run(POSTGRES_BIN / "pg_ctl", "-D", db.folder / "data", "stop", "-m", "fast", user="postgres")
        db.processes["postgres"].wait()

    def query(self, name, sql):
        """One value from psql on the database host `name`."""
        db = self.network[name]
        return db.run("psql", "-h", db.address, "-U", "postgres", "-d", "pressroom", "-qAtc", sql).stdout.strip()

    def create_database(self):
        db = self.network["db"]
        psql = ["psql", "-h", db.address, "-U", "postgres", "-qc"]
        db.run(*psql, "CREATE ROLE pressroom LOGIN")
        db.run(*psql, "CREATE DATABASE pressroom OWNER pressroom")

    # Redis and the object store -------------------------------------------

    def start_redis(self):
        host = self.network["redis"]
        host.start(
            "redis",
            "redis-server",
            "--bind",
            host.address,
            "--port",
            "6379",
            "--protected-mode",
            "no",
            "--save",
            "",
            cwd=host.folder,
        )
        wait_for(lambda: answers(host.address, 6379), timeout=20, what="Redis")

    def start_store(self):
        host = self.network["store"]
        host.start("moto", ROOT / ".venv/bin/moto_server", "-H", host.address, "-p", STORE_PORT, env=self.environment)
        wait_for(lambda: answers(host.address, STORE_PORT), timeout=30, what="the object store (moto)")

    # The app hosts, the worker host ----------------------------------------

    def manage(self, host_name, *args):
        """manage.py on a host, as the operator runs it there."""
        host = self.network[host_name]
        return host.run(ROOT / ".venv/bin/python", "manage.py", *args, env=self.environment, cwd=ROOT).stdout

    def python(self, host_name, module, *args):
        host = self.network[host_name]
        return host.run(ROOT / ".venv/bin/python", "-m", module, *args, env=self.environment, cwd=ROOT).stdout

    def start_app(self, name, **changes):
        host = self.network[name]
        command, environment = unit("pressroom.service", host.folder)
        (host.folder / "metrics").mkdir(exist_ok=True)
        env = {**self.environment, **environment, "PRESSROOM_BIND": f"{host.address}:{APP_PORT}", **changes}
        env["HOME"] = str(host.folder)
        process = host.start("gunicorn", *command, env=env, cwd=ROOT)
        self.wait_for_app(name, process)
        return process

    def wait_for_app(self, name, process, timeout=60):
        host = self.network[name]

        def serving():
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn on {name} stopped: {host.folder / 'gunicorn.log'}")
            return answers(host.address, APP_PORT) and host.log("gunicorn").count("Booting worker") >= 2

        wait_for(serving, timeout=timeout, what=f"gunicorn on {name}")

    def start_worker_host(self):
        host = self.network["worker"]
        for key, name in (("worker", "pressroom-worker.service"), ("beat", "pressroom-beat.service")):
            command, environment = unit(name, host.folder)
            host.start(key, *command, env={**self.environment, **environment, "HOME": str(host.folder)}, cwd=ROOT)
        wait_for(lambda: " ready." in host.log("worker"), timeout=60, what="the Celery worker")

    # The load balancer -----------------------------------------------------

    def start_load_balancer(self):
        host = self.network["lb"]
        folder = host.folder
        run(
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={SITE}",
            "-keyout", folder / "site.key", "-out", folder / "site.pem",
        )  # fmt: skip
        site = (DEPLOY / "nginx" / "pressroom.conf").read_text()
        for old, new in (
            ("10.0.0.11:8000", f"{self.network['app1'].address}:{APP_PORT}"),
            ("10.0.0.12:8000", f"{self.network['app2'].address}:{APP_PORT}"),
            (f"/etc/ssl/certs/{SITE}.pem", str(folder / "site.pem")),
            (f"/etc/ssl/private/{SITE}.key", str(folder / "site.key")),
            ("/etc/nginx/snippets/pressroom-proxy.conf", str(DEPLOY / "nginx" / "pressroom-proxy.conf")),
        ):
            if old not in site:
                raise SystemExit(f"deploy/nginx/pressroom.conf no longer holds {old!r}: adapt bench/cluster")
            site = site.replace(old, new)
        (folder / "pressroom.conf").write_text(site)
        (folder / "nginx.conf").write_text(
            f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            "events { worker_connections 1024; }\n"
            "http {\n  include /etc/nginx/mime.types;\n"
            "  log_format timed '$time_iso8601 $status $request_time $upstream_addr "
            '$upstream_status $upstream_response_time "$request"\';\n'
            f"  access_log {folder}/access.log timed;\n"
            f"  include {folder}/pressroom.conf;\n}}\n"
        )
        host.run("nginx", "-t", "-q", "-p", folder, "-c", folder / "nginx.conf")
        host.start("nginx", "nginx", "-p", folder, "-c", folder / "nginx.conf", "-g", "daemon off;")
        wait_for(lambda: answers(host.address, 443), timeout=20, what="nginx")
