"""Small factories shared by the test modules."""

import itertools
import time
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.utils import timezone, translation

from bench.redis_outage import REDIS_SERVER, SKIP_REASON, RedisServer
from releases.models import Delegation, Department, Event, Release
from releases.roles import EDITORS, PRESS_STAFF

_numbers = itertools.count(1)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Give the role groups back after a transactional test: emptying the
    tables removes them with the rest of what the migrations wrote. In one
    process pytest-django runs those tests last; on several (pytest-xdist,
    `make test`) a module of ordinary tests may follow one on a worker."""
    result = yield
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction")
    # After the last test the session's fixtures are gone with the test
    # database itself: nothing follows that needs the groups.
    if nextitem is not None and (transactional or {"transactional_db", "live_server"} & set(item.fixturenames)):
        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        from releases.roles import sync_roles

        with item.config.stash[blocking_manager_key].unblock():
            sync_roles(apps)
    return result


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgresql` unless the test database is PostgreSQL
    (DATABASE_URL); the marker itself is declared in pyproject.toml."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts and ends in the default language. LocaleMiddleware
    activates the language of each request in the test's own thread and never
    deactivates it, so that after a request under /az/ a bare reverse() would
    give /az/ addresses, in that test and in every later one."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded images and documents go to the test's own temporary folder,
    never to the project's media/ or documents/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRESSROOM_DOCUMENTS_ROOT = tmp_path / "documents"
    return tmp_path


@pytest.fixture
def one_rate_window(monkeypatch):
    """Every request of the test counted in one window of the limits, from
    an empty cache: serving/limits.py counts in fixed windows, and a test
    that crossed the end of one would see its counts start again. The
    limits' clock stands one second into an hour, a multiple of every
    window the tests set."""
    start = int(time.time() // 3600 * 3600) + 1
    monkeypatch.setattr("serving.limits.time", SimpleNamespace(time=lambda: start))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_now():
    """Stop the clock at 15 March 2024 09:00 UTC (13:00 in Baku): what
    `published()` compares publication times with, and what `localdate()`
    calls today. Returns the frozen instant."""
    now = datetime(2024, 3, 15, 9, 0, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield now


@pytest.fixture
def page_cache(settings):
    """The page cache on (serving/pagecache.py), emptied before and after."""
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def own_redis_server(tmp_path):
    """`start(port)`: a Redis server of the test's own on `port` (each module
    has ports of its own), killed after the test; skips without redis-server."""
    servers = []

    def start(port):
        if REDIS_SERVER is None:
            pytest.skip(SKIP_REASON)
        server = RedisServer(port, tmp_path)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.kill()


@pytest.fixture
def django_app(db):
    """Django's WSGI handler, for tests that call it as a server does. As
    Django's test client does, the test's database connection is not closed
    at each request (close_old_connections would close it: it is in the
    test's transaction); WSGIHandler() made within the test is the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as it would outside the test's transaction."""

    def run(change):
        ran_from = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True):
            result = change()
        # Forgotten once run, as a commit forgets them: left, they would
        # stand for the next change's events (releases/events.py sends one
        # per model and transaction).
        del connection.run_on_commit[ran_from:]
        return result

    return run


@pytest.fixture
def department(db):
    return Department.objects.create(name="Press and Public Relations Department", slug="press")


@pytest.fixture
def event(db):
    return Event.objects.create(
        title="88th session of the WCO Policy Commission",
        slug="wco-policy-commission",
        organizer="World Customs Organization",
        venue="WCO headquarters",
        city="Brussels",
        country="Belgium",
        start_date=date(2023, 6, 19),
    )


@pytest.fixture
def delegation(event):
    return Delegation.objects.create(
        event=event,
        head_name="Shahin Baghirov",
        head_position="Chairman of the State Customs Committee",
        head_rank="lieutenant-general of the customs service",
    )


@pytest.fixture
def make_release(department):
    """make_release(status=..., published_at=..., tags=[...], **fields)"""

    def make(*, tags=(), **fields):
        number = next(_numbers)
        fields.setdefault("title", f"Release number {number}")
        fields.setdefault("department", department)
        fields.setdefault("lead", "A short summary.")
        fields.setdefault("body", "<p>The text.</p>")
        status = fields.setdefault("status", Release.Status.PUBLISHED)
        if status in (Release.Status.PUBLISHED, Release.Status.WITHDRAWN):
            fields.setdefault("published_at", timezone.now() - timedelta(hours=number))
        if status == Release.Status.WITHDRAWN:
            fields.setdefault("withdrawal_reason", "Issued in error.")
        release = Release.objects.create(**fields)
        if tags:
            release.tags.set(tags)
        return release

    return make


def _staff_user(django_user_model, username, role):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "a-long-password", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def press_user(db, django_user_model):
    return _staff_user(django_user_model, "press", PRESS_STAFF)


@pytest.fixture
def editor(db, django_user_model):
    return _staff_user(django_user_model, "editor", EDITORS)


@pytest.fixture
def administrator(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.com", "a-long-password")


@pytest.fixture
def staff_user(db, django_user_model):
    """A staff user with no role: may log in to the admin, nothing more."""
    return django_user_model.objects.create_user("staff", "staff@example.com", "a-long-password", is_staff=True)


@pytest.fixture
def press_client(client, press_user):
    client.force_login(press_user)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def site_url(settings):
    """A public address unlike any host the test client sends, so that tests
    can tell addresses built from SITE_URL from ones built from the request."""
    settings.SITE_URL = "https://press.example.gov"
    return settings.SITE_URL
