"""The database unreachable (issue 7): public pages answer the static 503 page,
never a traceback, whether the error meets a view, its template or other
middleware; other errors stay server errors. The database is made to fail
with a mocked cursor here; tests/test_outage_live.py stops a real PostgreSQL
under gunicorn."""

import sqlite3
from unittest import mock

import psycopg2
import pytest
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, ProgrammingError, connections

from serving.outage import RETRY_AFTER_SECONDS, is_database_unavailable

pytestmark = pytest.mark.django_db

NOTICE = "The site is temporarily unavailable"


def database_down(error=None):
    """Every query fails as with the server stopped."""
    error = error or OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    return mock.patch.object(connections["default"], "cursor", side_effect=error)


def assert_outage_page(response):
    assert response.status_code == 503
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    # A cache in front must not keep serving it once the database is back.
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert NOTICE in page
    assert "Traceback" not in page
    assert "django" not in page.lower()


@pytest.mark.parametrize("path", ["/", "/releases/", "/releases/?tag=wco", "/releases/some-release/", "/az/tags/"])
def test_public_pages_answer_the_static_503_page_while_the_database_is_down(client, path):
    with database_down():
        response = client.get(path)
    assert_outage_page(response)


def test_the_503_page_reads_in_every_language_that_of_the_address_first(client):
    with database_down():
        page = client.get("/ru/releases/").content.decode()
    assert '<html lang="ru">' in page
    assert (
        page.index("Сайт временно недоступен") < page.index("Sayt müvəqqəti olaraq əlçatan deyil") < page.index(NOTICE)
    )
    assert "<h1>Сайт временно недоступен</h1>" in page


def test_the_site_answers_again_as_soon_as_the_database_does(client, make_release):
    release = make_release()
    with database_down():
        assert client.get(release.get_absolute_url()).status_code == 503
    assert client.get(release.get_absolute_url()).status_code == 200


def test_anonymous_requests_touch_no_database_outside_the_view(client):
    """No middleware queries anything for a visitor without a session: a view
    that needs no database still answers while it is down."""
    with database_down():
        response = client.get("/robots.txt")
    assert response.status_code == 200


def test_an_outage_met_in_other_middleware_gets_the_503_page_too(client, editor, settings):
    """A signed-in editor's session is saved as the response goes out, by
    SessionMiddleware, outside any view: the handler500 answers that one."""
    settings.SESSION_SAVE_EVERY_REQUEST = True
    client.force_login(editor)
    client.raise_request_exception = False
    with database_down():
        response = client.get("/robots.txt")
    assert_outage_page(response)


def test_the_admin_answers_503_too(client, editor):
    """The admin's view meets the outage loading the session; the session,
    read again as the response goes out, meets it once more: handler500."""
    client.force_login(editor)
    client.raise_request_exception = False
    with database_down():
        response = client.get("/admin/releases/release/")
    assert_outage_page(response)


@pytest.mark.parametrize(
    "error", [ProgrammingError("relation does not exist"), IntegrityError("duplicate key"), ValueError("a bug")]
)
def test_other_errors_stay_server_errors(client, error):
    client.raise_request_exception = False
    with database_down(error):
        response = client.get("/releases/")
    assert response.status_code == 500
    assert NOTICE not in response.content.decode()
    assert "Retry-After" not in response


def test_healthz_still_answers_its_own_503(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable"


# Which database errors mean "unreachable"


def wrapped(driver_error, kind=OperationalError):
    """A Django database error as Django raises it: the driver's as its cause."""
    error = kind(str(driver_error))
    error.__cause__ = driver_error
    return error


class PostgreSQLError(Exception):
    """As psycopg2 raises them: the SQLSTATE as `pgcode`."""

    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.pgcode = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "unavailable"),
    [
        ("08006", True),  # connection failure
        ("57P01", True),  # terminating connection due to administrator command
        ("57P03", True),  # the database system is starting up
        ("53300", True),  # too many connections
        ("57014", True),  # statement timeout: the server cannot serve now
        ("40P01", False),  # deadlock: a fault to fix, not an outage
        ("55P03", False),  # lock not available
    ],
)
def test_postgresql_errors_are_told_apart_by_their_sqlstate(sqlstate, unavailable):
    assert is_database_unavailable(wrapped(PostgreSQLError(sqlstate))) is unavailable


def test_postgresql_refusing_the_connection_is_an_outage():
    with pytest.raises(psycopg2.OperationalError) as refused:
        psycopg2.connect(host="127.0.0.1", port=1, connect_timeout=2)
    assert is_database_unavailable(wrapped(refused.value))


def test_a_closed_connection_is_an_outage():
    assert is_database_unavailable(InterfaceError("connection already closed"))


def test_a_locked_sqlite_database_is_an_outage_a_missing_table_is_not(tmp_path):
    path = tmp_path / "db.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN EXCLUSIVE")
    reader = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        reader.execute("SELECT * FROM t")
    writer.close()
    with pytest.raises(sqlite3.OperationalError) as missing:
        reader.execute("SELECT * FROM no_such_table")
    reader.close()
    assert is_database_unavailable(wrapped(locked.value))
    assert not is_database_unavailable(wrapped(missing.value))


@pytest.mark.parametrize("error", [DatabaseError("?"), IntegrityError("duplicate key"), ValueError("a bug")])
def test_other_errors_are_no_outage(error):
    assert not is_database_unavailable(error)
