"""The Content-Security-Policy in the browser (issue 7, "Production
configuration"): the admin, its rich-text editor and the public pages work
under it, and Chromium reports no violation on any of them.

Violations are heard twice: the page's `securitypolicyviolation` events,
passed to the test through a binding (Playwright's, which the policy does not
govern), and the console, where Chromium writes every refusal."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, choose_in_autocomplete

pytestmark = pytest.mark.browser

TITLE = "The 88th session of the WCO Policy Commission is being held"
PARAGRAPH = "On June 19, the 88th session of the Policy Commission began in Brussels."

REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
    const blocked = event.blockedURI || 'inline';
    window.reportViolation(`${event.violatedDirective} blocked ${blocked} on ${location.pathname}`);
});
"""


@pytest.fixture
def watched_page(new_page):
    """A page of a new browser context whose CSP violations, console errors
    and uncaught errors are collected in `page.problems`."""
    page = new_page()
    problems = []
    page.context.expose_binding("reportViolation", lambda _source, text: problems.append(f"violation: {text}"))
    page.context.add_init_script(REPORT_VIOLATIONS)

    def console(message):
        # The browser asks every site for /favicon.ico; this one has none.
        if message.location.get("url", "").endswith("/favicon.ico"):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))
    page.problems = problems
    return page


def sign_in(page, user):
    response = page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return response


def test_admin_and_rich_text_editor_work_under_the_policy_with_no_violation(watched_page, editor, department):
    page = watched_page
    response = sign_in(page, editor)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy

    response = page.goto("/admin/releases/release/add/")
    # The editor's inline import map is let through by this response's nonce.
    assert "'nonce-" in response.headers["content-security-policy"]
    menubar = page.locator(".field-body .prose-menubar")
    expect(menubar).to_be_visible()
    page.get_by_label("Title:").fill(TITLE)
    page.get_by_label("Lead:").fill("The session began in Brussels.")
    page.locator(".field-body .ProseMirror[contenteditable=true]").click()
    page.keyboard.type(PARAGRAPH)
    expect(page.locator(".field-body .ProseMirror[contenteditable=true] > p")).to_have_text(PARAGRAPH)
    # The admin's own scripts: select2 autocomplete and the prepopulated slug.
    choose_in_autocomplete(page, "department", "Press", department.name)
    expect(page.get_by_label("Slug:")).to_have_value("the-88th-session-of-the-wco-policy-commission-is-being-held")
    page.get_by_role("button", name="Save draft", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("saved as a draft")

    expect(page.locator(".field-body .ProseMirror[contenteditable=true] > p")).to_have_text(PARAGRAPH)
    page.goto("/admin/releases/release/?q=WCO")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    assert not page.problems, "\n".join(page.problems)


def test_public_pages_work_under_the_policy_with_no_violation(watched_page, make_release, delegation):
    release = make_release(title=TITLE, body=f"<p>{PARAGRAPH}</p>", event=delegation.event, tags=["WCO"])
    page = watched_page
    for path in ["/", "/releases/?tag=wco", release.get_absolute_url(), "/events/", "/tags/", "/az/"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
    expect(page.locator("link[rel=stylesheet]").first).to_have_attribute("href", "/static/css/site.css")
    # The site's stylesheet applied: the skip link is moved out of sight.
    assert page.locator(".skip-link").evaluate("link => getComputedStyle(link).position") != "static"

    assert not page.problems, "\n".join(page.problems)
