import pytest

from releases.richtext import sanitize_html

LINK_REL = 'rel="noopener noreferrer"'


# Hostile HTML in, safe HTML out


@pytest.mark.parametrize(
    ("hostile", "safe"),
    [
        ("<script>alert(1)</script><p>Text</p>", "<p>Text</p>"),
        ('<p onclick="steal()">Text</p>', "<p>Text</p>"),
        ('<img src="x" onerror="alert(1)">', ""),
        ('<p style="position: fixed; color: red">Text</p>', "<p>Text</p>"),
        ('<iframe src="https://example.com/"></iframe><p>Text</p>', "<p>Text</p>"),
        ("<svg onload=alert(1)></svg><p>Text</p>", "<p>Text</p>"),
        ("<style>body { display: none }</style><p>Text</p>", "<p>Text</p>"),
        ('<form action="https://example.com/"><input name="password"></form>', ""),
        ('<p class="x" id="y">Text</p>', "<p>Text</p>"),
    ],
)
def test_hostile_markup_is_removed(hostile, safe):
    assert sanitize_html(hostile) == safe


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>"],
)
def test_dangerous_link_urls_are_removed(href):
    cleaned = sanitize_html(f'<a href="{href}">Link</a>')
    assert "href" not in cleaned
    assert "Link" in cleaned


def test_event_handlers_are_removed_from_allowed_tags():
    cleaned = sanitize_html('<a href="https://wcoomd.org/" onmouseover="alert(1)">WCO</a>')
    assert "onmouseover" not in cleaned
    assert 'href="https://wcoomd.org/"' in cleaned


# What press staff write survives


@pytest.mark.parametrize(
    "html",
    [
        "<p>On June 19, the 88th session began.</p>",
        "<h2>Agenda</h2>",
        "<h3>Green Customs</h3>",
        "<ul><li>Green Customs</li><li>Fragile Borders</li></ul>",
        "<ol><li>First</li><li>Second</li></ol>",
        "<p><strong>Bold</strong> and <em>italic</em></p>",
        "<blockquote><p>A quotation.</p></blockquote>",
        "<p>Line<br>break</p>",
    ],
)
def test_editorial_markup_survives(html):
    assert sanitize_html(html) == html


@pytest.mark.parametrize("href", ["https://wcoomd.org/", "http://customs.gov.az/", "mailto:press@customs.gov.az"])
def test_links_to_safe_urls_survive(href):
    assert f'href="{href}"' in sanitize_html(f'<a href="{href}">Link</a>')


def test_links_get_noopener_noreferrer():
    assert sanitize_html('<a href="https://wcoomd.org/">WCO</a>') == f'<a href="https://wcoomd.org/" {LINK_REL}>WCO</a>'


def test_rel_given_by_the_author_is_replaced():
    cleaned = sanitize_html('<a href="https://wcoomd.org/" rel="opener">WCO</a>')
    assert cleaned == f'<a href="https://wcoomd.org/" {LINK_REL}>WCO</a>'


def test_link_target_is_removed():
    assert "target" not in sanitize_html('<a href="https://wcoomd.org/" target="_blank">WCO</a>')


def test_top_level_heading_is_reduced_to_its_text():
    # The page's title is the only h1.
    assert sanitize_html("<h1>Title</h1>") == "Title"


@pytest.mark.parametrize("empty", ["", None, "<p></p>", "<p><br></p>", "  <p></p>  "])
def test_empty_editor_content_becomes_an_empty_string(empty):
    assert sanitize_html(empty) == ""


# Through the model


@pytest.mark.django_db
def test_release_body_is_stored_sanitized(make_release):
    release = make_release(
        body='<h2 style="color: red">Agenda</h2><script>alert(1)</script>'
        '<p onclick="x()">See <a href="javascript:alert(1)">this</a> and <a href="https://wcoomd.org/">WCO</a>.</p>'
    )
    release.refresh_from_db()
    assert release.body == (
        f'<h2>Agenda</h2><p>See <a {LINK_REL}>this</a> and <a href="https://wcoomd.org/" {LINK_REL}>WCO</a>.</p>'
    )


@pytest.mark.django_db
def test_release_full_clean_sanitizes_the_body(make_release):
    release = make_release(status="draft")
    release.body = "<p>Text</p><script>alert(1)</script>"
    release.full_clean()
    assert release.body == "<p>Text</p>"
