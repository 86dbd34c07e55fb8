"""The API's documentation page (/api/v1/docs/) in Chromium: Swagger UI,
from the site's own static files, renders the schema's operations under the
site's Content-Security-Policy with no violation and no request elsewhere."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_csp import watched_page  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def test_the_api_docs_render_under_the_policy_from_our_own_files(watched_page, live_server):  # noqa: F811
    page = watched_page
    elsewhere = []
    page.on(
        "request", lambda request: None if request.url.startswith(live_server.url) else elsewhere.append(request.url)
    )
    response = page.goto("/api/v1/docs/")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/releases/").first).to_be_visible(timeout=20_000)
    assert page.problems == []
    assert [url for url in elsewhere if not url.startswith("data:")] == []
