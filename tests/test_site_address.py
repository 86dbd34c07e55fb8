"""The port trap (issue 16): `make run PORT=8123` serves on that port and
the development SITE_URL follows it unless SITE_URL is set; a server whose
requests arrive at another host or port than SITE_URL logs one warning,
once per process (serving/site_address.py)."""

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.test import RequestFactory

from serving import site_address
from serving.site_address import SiteAddressMiddleware

PORT = 17161  # in this engineer's range of the machine's test ports


def dev_setting(name, **environment):
    """`name` as the development settings (DEBUG=1) read it from `environment`."""
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "pressroom.settings.main"}
        | environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_development_site_url_follows_the_port_served():
    assert dev_setting("SITE_URL", PRESSROOM_DEV_ADDRESS="127.0.0.1:8123") == "http://127.0.0.1:8123"
    assert dev_setting("CSRF_TRUSTED_ORIGINS", PRESSROOM_DEV_ADDRESS="127.0.0.1:8123") == "['http://127.0.0.1:8123']"


def test_a_site_url_that_is_set_wins_over_the_port():
    environment = {"PRESSROOM_DEV_ADDRESS": "127.0.0.1:8123", "SITE_URL": "https://press.example.org"}
    assert dev_setting("SITE_URL", **environment) == "https://press.example.org"


def test_without_make_run_the_development_site_url_is_port_8000():
    assert dev_setting("SITE_URL") == "http://127.0.0.1:8000"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(("arguments", "address"), [([], "127.0.0.1:8000"), (["PORT=8123"], "127.0.0.1:8123")])
def test_make_run_serves_on_the_port_given(arguments, address):
    result = subprocess.run(
        ["make", "-n", "run", *arguments], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60
    )
    assert f"-m pressroom.devserver {address}\n" in result.stdout


# The warning


@pytest.fixture
def check_on(settings):
    settings.PRESSROOM_CHECK_SITE_URL = True
    settings.ALLOWED_HOSTS = ["*"]
    site_address.warned.clear()
    yield settings
    site_address.warned.clear()


def serve(host):
    middleware = SiteAddressMiddleware(lambda request: "answered")
    return middleware(RequestFactory().get("/", HTTP_HOST=host))


def warnings_of(caplog):
    return [record for record in caplog.records if record.name == "serving.site_address"]


def test_a_request_on_another_port_logs_one_warning_once(check_on, caplog):
    check_on.SITE_URL = "http://127.0.0.1:8000"
    with caplog.at_level(logging.WARNING, logger="serving.site_address"):
        assert serve("127.0.0.1:8123") == "answered"
        serve("127.0.0.1:8124")
        serve("elsewhere.example.org")
    [warning] = warnings_of(caplog)
    assert warning.levelno == logging.WARNING
    assert "http://127.0.0.1:8123" in warning.getMessage()
    assert "SITE_URL is http://127.0.0.1:8000" in warning.getMessage()
    assert "PORT=8123" in warning.getMessage()


@pytest.mark.parametrize(
    ("site_url", "host"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("http://127.0.0.1:8000", "localhost:8000"),
        ("https://press.example.org", "press.example.org"),
        ("https://press.example.org", "PRESS.example.org:443"),
        ("https://press.example.org:8443", "press.example.org"),  # the port is the proxy's to know
    ],
)
def test_requests_at_the_site_url_log_nothing(check_on, caplog, site_url, host):
    check_on.SITE_URL = site_url
    with caplog.at_level(logging.WARNING, logger="serving.site_address"):
        serve(host)
    assert warnings_of(caplog) == []
    assert not site_address.warned.is_set()


@pytest.mark.parametrize("host", ["press.example.org:8443", "other.example.org"])
def test_another_host_or_port_of_a_public_site_is_warned_of(check_on, caplog, host):
    check_on.SITE_URL = "https://press.example.org"
    with caplog.at_level(logging.WARNING, logger="serving.site_address"):
        serve(host)
    assert len(warnings_of(caplog)) == 1


def test_a_host_that_is_not_allowed_is_left_to_django(check_on, caplog):
    check_on.ALLOWED_HOSTS = ["127.0.0.1"]
    with caplog.at_level(logging.WARNING, logger="serving.site_address"):
        assert serve("attacker.example.org") == "answered"
    assert warnings_of(caplog) == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_with_a_port_links_to_that_port(tmp_path):
    """`make run PORT=...` as a person runs it, on a database of its own:
    the site answers on that port and its absolute links point there."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "MEDIA_ROOT": str(tmp_path)}
    for name in ("SITE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "PRESSROOM_DEV_ADDRESS"):
        environment.pop(name, None)
    server = subprocess.Popen(
        ["make", "run", f"PORT={PORT}"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        process_group=0,
    )
    try:
        robots = None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/robots.txt", timeout=5) as response:
                    robots = response.read().decode()
                    break
            except OSError:
                time.sleep(1)
        assert robots is not None, "make run did not answer"
        assert f"Sitemap: http://127.0.0.1:{PORT}/sitemap.xml" in robots
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output = server.communicate(timeout=60)[0]
    assert f"Serving on http://127.0.0.1:{PORT}/ (SITE_URL follows it)" in output
