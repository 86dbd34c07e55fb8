"""The settings (issue 7, "Production configuration"): production's, read in
a process of their own from the environment as a server would, the deploy
check, the database's timeouts, and the headers every response carries,
the Content-Security-Policy among them."""

import json
import re
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import ConnectionHandler
from django.urls import reverse

from pressroom.settings.base import database_from_url
from pressroom.settings.storages import media_origins
from releases.admin.csp import editor_style_hashes

# A SECRET_KEY like a real one: long and random, never "django-insecure-".
REAL_SECRET_KEY = "k3J9-vQx7_Lw2pZr8NcT5yHb4Ud6Fs1Gm0Ea9Ri3Oq7Wl2Xn5Kc8Vt4Pj6Sh1Bz"
REAL = {"SECRET_KEY": REAL_SECRET_KEY, "ALLOWED_HOSTS": "press.example.org", "SITE_URL": "https://press.example.org"}
SHOWN = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_AGE",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "DATA_UPLOAD_MAX_NUMBER_FIELDS",
    "DATA_UPLOAD_MAX_NUMBER_FILES",
    "AXES_FAILURE_LIMIT",
    "PRESSROOM_TRUSTED_PROXIES",
    "DATABASES",
]


def run(arguments, **environment):
    """A process of the project with only `environment`, as a server has it."""
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env={"PATH": "", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(**environment):
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SHOWN!r}}}, default=str))"
    )
    result = run(["-c", script], DJANGO_SETTINGS_MODULE="pressroom.settings.main", **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def deploy_check(**environment):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DEBUG="0", **environment)


# Production settings


def test_production_settings_enforce_https_with_hsts_and_secure_cookies():
    production = production_settings(**REAL)
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is False
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["CSRF_TRUSTED_ORIGINS"] == ["https://press.example.org"]
    assert production["ALLOWED_HOSTS"] == ["press.example.org"]


def test_production_settings_set_the_browser_protections_and_request_limits():
    production = production_settings(**REAL)
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"
    assert production["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert production["SESSION_COOKIE_HTTPONLY"] is production["CSRF_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 5 * 1024 * 1024
    assert production["DATA_UPLOAD_MAX_NUMBER_FIELDS"] == 2000
    assert production["DATA_UPLOAD_MAX_NUMBER_FILES"] == 100


def test_plain_http_production_keeps_its_cookies_working():
    """SECURE_SSL_REDIRECT=0 (INTERFACE.md): served over HTTP, the cookies
    cannot be Secure, or signing in would never work."""
    production = production_settings(**REAL, SECURE_SSL_REDIRECT="0")
    assert production["SECURE_SSL_REDIRECT"] is False
    assert production["SESSION_COOKIE_SECURE"] is False
    assert production["CSRF_COOKIE_SECURE"] is False


def test_proxy_ssl_header_is_trusted_only_when_named():
    assert production_settings(**REAL)["SECURE_PROXY_SSL_HEADER"] is None
    behind_proxy = production_settings(**REAL, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_security_settings_come_from_the_environment():
    production = production_settings(
        **REAL,
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="1",
        PRESSROOM_SESSION_IDLE_MINUTES="15",
        PRESSROOM_LOGIN_FAILURE_LIMIT="3",
        PRESSROOM_TRUSTED_PROXIES="1",
        DATA_UPLOAD_MAX_MEMORY_SIZE="1048576",
        DATA_UPLOAD_MAX_NUMBER_FILES="20",
    )
    assert production["SECURE_HSTS_SECONDS"] == 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["SESSION_COOKIE_AGE"] == 15 * 60
    assert production["AXES_FAILURE_LIMIT"] == 3
    assert production["PRESSROOM_TRUSTED_PROXIES"] == 1
    assert production["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 1048576
    assert production["DATA_UPLOAD_MAX_NUMBER_FILES"] == 20


def test_production_database_connections_are_kept_checked_and_time_out():
    production = production_settings(**REAL, DATABASE_URL="postgres://press@db.example.org:5432/pressroom")
    database = production["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"] == {"connect_timeout": 5, "options": "-c statement_timeout=30000"}


# The deploy check


def test_deploy_check_passes_with_real_values():
    result = deploy_check(**REAL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("environment", "issue"),
    [
        ({"SITE_URL": "http://press.example.org"}, "pressroom.W001"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECRET_KEY": "short"}, "security.W009"),
    ],
)
def test_deploy_check_fails_on_an_unsafe_value(environment, issue):
    result = deploy_check(**(REAL | environment))
    assert result.returncode != 0
    assert issue in result.stderr


# The database


def test_postgresql_gets_a_connect_and_a_statement_timeout():
    config = database_from_url("postgres://press@db:5432/pressroom", connect_timeout=3, statement_timeout=10)
    assert config["OPTIONS"] == {"connect_timeout": 3, "options": "-c statement_timeout=10000"}
    assert config["CONN_HEALTH_CHECKS"] is True


def test_postgresql_behind_a_pooler_sends_no_startup_options_and_no_server_side_cursors():
    """PgBouncer refuses the startup parameter, and a server-side cursor
    would outlive the transaction that holds its server connection."""
    config = database_from_url("postgres://press@pooler:6432/pressroom", statement_timeout=10, pooled=True)
    assert config["OPTIONS"] == {"connect_timeout": 5}
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_sqlite_gets_no_postgresql_options():
    config = database_from_url("sqlite:///db.sqlite3", conn_max_age=60)
    assert config["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}
    assert config["NAME"] == str(settings.BASE_DIR / "db.sqlite3")


def test_on_a_sqlite_file_a_transaction_that_reads_then_writes_waits_for_another_writer(
    tmp_path, monkeypatch, django_db_blocker
):
    """The site and a worker on one SQLite file (`make run`): a transaction
    that reads, then writes while another connection is writing, would fail
    at once with "database is locked" if it took the write lock only on its
    first write (SQLite's default); it takes it at the start, and the other
    waits its turn."""
    handler = ConnectionHandler({"default": database_from_url(f"sqlite:///{tmp_path / 'shared.sqlite3'}")})
    # transaction.atomic on this file's connections, not the test database's.
    monkeypatch.setattr(transaction, "get_connection", lambda using=None: handler["default"])
    with django_db_blocker.unblock(), handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE note (text TEXT)")
    handler["default"].close()
    has_read, errors = threading.Event(), []

    def run(*steps):
        try:
            with transaction.atomic(using="default"), handler["default"].cursor() as cursor:
                for step in steps:
                    step(cursor)
        except Exception as error:  # noqa: BLE001 (any failure is the test's finding)
            errors.append(error)
        finally:
            handler["default"].close()

    reader = threading.Thread(
        target=run,
        args=(
            lambda cursor: cursor.execute("SELECT COUNT(*) FROM note"),
            lambda cursor: has_read.set(),
            lambda cursor: time.sleep(0.3),  # the writer tries meanwhile
            lambda cursor: cursor.execute("INSERT INTO note VALUES ('from the reader')"),
        ),
    )
    writer = threading.Thread(
        target=run, args=(lambda cursor: cursor.execute("INSERT INTO note VALUES ('from the writer')"),)
    )
    with django_db_blocker.unblock():
        reader.start()
        assert has_read.wait(5)
        writer.start()
        reader.join(30)
        writer.join(30)
    assert errors == []


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_test_database_runs_with_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


# Headers of every response


@pytest.mark.django_db
def test_public_page_carries_the_security_headers_and_a_strict_policy(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(directive.split(" ", 1) for directive in response["Content-Security-Policy"].split("; "))
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_style_or_handler(client, make_release):
    release = make_release()
    for url in ["/", "/releases/", release.get_absolute_url(), "/tags/", "/events/"]:
        content = client.get(url).content.decode()
        scripts = re.findall(r"<script\b[^>]*>", content)
        # JSON-LD is data, not run: CSP does not govern it.
        assert all('type="application/ld+json"' in script for script in scripts), url
        assert "<style" not in content, url
        assert not re.search(r"\sstyle=|\son[a-z]+=", content), url


@pytest.mark.django_db
def test_release_form_lets_through_only_its_own_import_map_and_editor_stylesheet(press_client):
    response = press_client.get(reverse("admin:releases_release_add"))
    policy = dict(directive.split(" ", 1) for directive in response["Content-Security-Policy"].split("; "))
    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]+)'", policy["script-src"]).group(1)
    content = response.content.decode()
    assert re.findall(r"<script[^>]*importmap[^>]*>", content) == [f'<script type="importmap" nonce="{nonce}">']
    assert policy["style-src"] == " ".join(["'self'", *editor_style_hashes()])
    # Another response, another nonce.
    again = press_client.get(reverse("admin:releases_release_add"))
    assert nonce not in again["Content-Security-Policy"]


def test_editor_stylesheet_hash_is_found_in_the_installed_editor():
    """After an upgrade of django-prose-editor, the stylesheet its script
    injects must still be found, or the editor loses its base styles under
    the policy (tests/e2e/test_csp.py shows the violation)."""
    assert editor_style_hashes()
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", source) for source in editor_style_hashes())


@pytest.mark.parametrize(
    ("storage", "origins"),
    [
        ({"bucket": ""}, []),
        ({"bucket": "press", "custom_domain": "media.gov.az"}, ["https://media.gov.az"]),
        (
            {"bucket": "press", "endpoint_url": "https://s3.example.net"},
            ["https://s3.example.net", "https://press.s3.example.net"],
        ),
        (
            {"bucket": "press", "region": "eu-central-1"},
            ["https://press.s3.amazonaws.com", "https://press.s3.eu-central-1.amazonaws.com"],
        ),
    ],
)
def test_images_from_the_object_store_are_allowed_by_the_policy(storage, origins):
    assert media_origins(**storage) == origins
