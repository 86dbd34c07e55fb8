"""The log (issue 13, "Errors nobody sees"; serving/logs.py): server errors
written to stderr as JSON lines with their traceback, the request's id and
its path; the id taken from X-Request-ID or made, returned in the response
and shown on the 500 page; ADMINS told by mail."""

import gzip
import http.server
import io
import json
import logging
import subprocess
import sys
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connections

from serving.logs import JsonLinesFormatter

pytestmark = pytest.mark.django_db

ERROR = ValueError("a bug, on purpose")
SENTRY_PORT = 17013


@pytest.fixture
def read_log():
    """What the configured stderr handler writes during the test, as a
    function that returns the lines written so far, parsed."""
    handler = next(
        handler for handler in logging.getLogger().handlers if isinstance(handler.formatter, JsonLinesFormatter)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


def failing_request(client, path="/releases/?q=private+words", **headers):
    client.raise_request_exception = False
    with mock.patch.object(connections["default"], "cursor", side_effect=ERROR):
        return client.get(path, headers=headers)


def test_a_server_error_is_one_json_line_with_its_traceback_request_id_and_path(client, read_log):
    response = failing_request(client)
    assert response.status_code == 500
    errors = [line for line in read_log() if line["level"] == "ERROR"]
    assert len(errors) == 1
    error = errors[0]
    assert error["logger"] == "django.request"
    assert error["request_id"] == response["X-Request-ID"]
    assert error["method"] == "GET"
    assert error["path"] == "/releases/"
    assert error["status"] == 500
    assert error["error"] == repr(ERROR)
    assert error["traceback"].startswith("Traceback (most recent call last):")
    assert "ValueError: a bug, on purpose" in error["traceback"]


def test_the_log_holds_the_path_and_nothing_else_of_the_request(client, read_log):
    client.cookies["sessionid"] = "a-session-cookie"
    failing_request(client, HTTP_USER_AGENT="Reader's browser", X_FORWARDED_FOR="203.0.113.9")
    text = json.dumps(read_log())
    for personal in ("private", "a-session-cookie", "Reader's browser", "203.0.113.9", "127.0.0.1"):
        assert personal not in text


def test_the_500_page_shows_the_request_id(client):
    response = failing_request(client, X_REQUEST_ID="lb-7f3a9c")
    assert response["X-Request-ID"] == "lb-7f3a9c"
    assert "<code>lb-7f3a9c</code>" in response.content.decode()


def test_every_response_carries_a_request_id_of_its_own(client):
    first, second = client.get("/robots.txt"), client.get("/robots.txt")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_request_id_from_the_proxy_is_kept(client):
    response = client.get("/robots.txt", headers={"X-Request-ID": "4bf92f3577b34da6a3ce929d0e0e4736"})
    assert response["X-Request-ID"] == "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.mark.parametrize("given", ["two\nlines", '"quoted"', "x" * 129, "<script>", ""])
def test_a_request_id_that_is_not_short_and_plain_is_replaced(client, given):
    response = client.get("/robots.txt", headers={"X-Request-ID": given})
    assert response["X-Request-ID"] != given
    assert len(response["X-Request-ID"]) == 32


def test_lines_logged_outside_a_request_carry_no_request_id(client, read_log):
    client.get("/robots.txt")
    logging.getLogger("pressroom").warning("after the request")
    (line,) = [line for line in read_log() if line["message"] == "after the request"]
    assert "request_id" not in line
    assert "path" not in line


def test_admins_named_in_the_environment_get_each_server_error_by_mail(client, settings):
    script = "from django.conf import settings; print(json.dumps(settings.ADMINS))"
    environment = {"DJANGO_SETTINGS_MODULE": "pressroom.settings.test", "ADMINS": "ops@example.org, dev@example.org"}
    output = subprocess.run(
        [sys.executable, "-c", f"import json, django; django.setup(); {script}"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        check=True,
    ).stdout
    settings.ADMINS = [tuple(admin) for admin in json.loads(output)]
    failing_request(client)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.org", "dev@example.org"]
    assert "ValueError at /releases/" in mail.outbox[0].body
    assert "Traceback (most recent call last)" in mail.outbox[0].body


class SentryIngest(http.server.BaseHTTPRequestHandler):
    """Sentry's envelope endpoint, keeping what it is sent."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        SentryIngest.received.extend(json.loads(line) for line in body.splitlines() if line.strip())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_ingest():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", SENTRY_PORT), SentryIngest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SentryIngest.received = []
    yield SentryIngest.received
    server.shutdown()
    server.server_close()


def test_with_a_sentry_dsn_server_errors_reach_sentry_with_their_request_id(sentry_ingest, settings):
    script = """
import django
from unittest import mock
django.setup()
import sentry_sdk
from django.db import connections
from django.test import Client
with mock.patch.object(connections["default"], "cursor", side_effect=ValueError("a bug, on purpose")):
    client = Client(raise_request_exception=False, HTTP_HOST="localhost")
    client.get("/releases/", headers={"X-Request-ID": "lb-7f3a9c"})
    client.get("/releases/", HTTP_HOST="forged.example")
sentry_sdk.flush(5)
"""
    environment = {
        "DJANGO_SETTINGS_MODULE": "pressroom.settings.test",
        "SENTRY_DSN": f"http://public@127.0.0.1:{SENTRY_PORT}/1",
        "PATH": "",
    }
    subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=environment, check=True, timeout=60)
    events = [item for item in sentry_ingest if "exception" in item]
    assert len(events) == 1
    assert events[0]["tags"]["request_id"] == "lb-7f3a9c"
    assert events[0]["exception"]["values"][-1]["type"] == "ValueError"
    assert "cookies" not in events[0].get("request", {})
