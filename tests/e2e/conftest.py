"""Browser tests: Playwright driving Debian's Chromium against pytest-django's
live server.

The browser is never downloaded (no `playwright install`): the tests use the
Chromium of the system, and are skipped, with a message saying how to get it,
on a machine without one.
"""

import os
import re
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_REASON = f"Chromium not found at {CHROMIUM}: apt-get install chromium to run the browser tests"
TIMEOUT_MS = 10_000
PASSWORD = "a-long-password"  # the password of tests/conftest.py's users
RELEASE_FORM = re.compile(r"/admin/releases/release/(add|\d+/change)/")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    skipped = [report for report in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(report.longrepr)]
    if skipped:
        terminalreporter.write_sep("=", "browser tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(f"{len(skipped)} browser test(s) did not run. {SKIP_REASON}")


@pytest.fixture(scope="package", autouse=True)
def allow_async_unsafe():
    """Let the ORM run in the test thread while Playwright's sync API keeps an
    event loop running there; only for these tests, and restored after them.
    Package-scoped because the flush after each test needs it too."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(allow_async_unsafe):
    """One Chromium for all the browser tests. Package-scoped rather than
    session-scoped so that Playwright's event loop stops with the last of them
    and the rest of the suite runs without it."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The role groups. The data migration made them, but the live server
    needs transactional_db, which empties every table after each test."""
    from django.apps import apps

    from releases.roles import sync_roles

    sync_roles(apps)


@pytest.fixture(autouse=True)
def sessions_saved_when_changed(settings):
    """The live server answers each request in a thread of its own, and on
    SQLite they all share the test's one in-memory connection: a session
    saved by a request (autocomplete, suggestions) while another saves a
    release would interleave their savepoints ("no such savepoint"). Saving
    the session only when it changes keeps those requests read-only; the
    idle expiry that saving it on every request serves is tested elsewhere."""
    settings.SESSION_SAVE_EVERY_REQUEST = False


@pytest.fixture
def new_page(browser, live_server):
    """new_page(**context_options): a page in a new browser context (its own
    cookies: one person), opened on the live server, in English."""
    contexts = []

    def make(**options):
        options.setdefault("locale", "en-GB")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        # A release's form says it is closing (a beacon, presence.js): let the
        # live server answer it before the database is emptied under it.
        closing = [page for page in context.pages if RELEASE_FORM.search(page.url)]
        for page in closing:
            page.goto("about:blank")
        if closing:
            time.sleep(1)
        context.close()


@pytest.fixture
def sign_in(new_page):
    """sign_in(user): a page of a new browser context, signed in to the admin
    through its login form, as a person would."""

    def sign_in(user):
        page = new_page()
        page.goto("/admin/login/?next=/admin/")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")
        return page

    return sign_in


def choose_in_autocomplete(page, field, search, choice, *, tries=3):
    """Pick `choice` in the admin's select2 autocomplete for `field` and
    check that it took; if it did not, pick again, as a person would, at
    most `tries` times in all (a choice that never takes still fails).

    Opening the list asks for every choice and typing asks again: the click
    waits for the answer to `search`, since a click on a list being replaced
    can leave the field empty (CI saw it: the form then failed on a required
    department). CI saw the field left empty once more with that wait, on a
    loaded machine, and a run here did not: the likely cause left is that
    select2 moves its open list when the page scrolls, so a click aimed
    before the move lands beside it. So the field is first brought to the
    middle of the window, where the list opens with room and the click
    scrolls nothing."""
    from playwright.sync_api import expect

    selection = page.locator(f".field-{field} .select2-selection")
    chosen = page.locator(f".field-{field} .select2-selection__rendered")
    answered = f"term={search}"
    selection.evaluate("element => element.scrollIntoView({block: 'center'})")
    for attempt in range(1, tries + 1):
        if not page.locator(".select2-container--open .select2-search__field").count():
            selection.click()
        with page.expect_response(lambda response: "/admin/autocomplete/" in response.url and answered in response.url):
            page.locator(".select2-container--open .select2-search__field").fill(search)
        expect(page.locator(".select2-results__option.loading-results")).to_have_count(0)
        page.locator(".select2-results__option", has_text=choice).click()
        try:
            expect(chosen).to_contain_text(choice, timeout=3_000 if attempt < tries else 10_000)
            return
        except AssertionError:
            if attempt == tries:
                raise
