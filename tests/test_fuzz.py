"""Fuzz tests of the public site (hypothesis): any query string, any path
segment, any header, on every public view in every language (README,
"Hostile input"). Whatever comes, the answer is a page or a client error,
never a server error, and nothing in it is reflected as markup.

The requests are built as a WSGI server hands them to Django (PEP 3333):
the path and the query string are the bytes of the request, decoded as
ISO-8859-1, so that invalid UTF-8, NUL and encoded surrogates reach the
views as they would in production.

Deterministic by default (the same examples on every run, a fixed time);
for a longer, random search:

    PRESSROOM_FUZZ_EXAMPLES=5000 PRESSROOM_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/test_fuzz.py
"""

import os
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releases.documents import prepare_document
from releases.models import Release, ReleaseDocument, ShareLink
from tests import hostile
from tests.pictures import minimal_pdf, upload

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("PRESSROOM_FUZZ_EXAMPLES", "100")),
    deadline=None,
    derandomize=not os.environ.get("PRESSROOM_FUZZ_RANDOM"),
    database=None,
    # The site fixture is made once per test, not per example, on purpose:
    # the requests change nothing the next one depends on.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The public views, each placeholder a path segment of its own.
ROUTES = [
    "{language}/",
    "{language}/releases/",
    "{language}/releases/{release}/",
    "{language}/releases/{release}/documents/{document}/",
    "{language}/tags/",
    "{language}/events/",
    "{language}/events/{event}/",
    "{language}/departments/{department}/",
    "{language}/feeds/rss/",
    "{language}/feeds/atom/",
    "{language}/feeds/tags/{tag}/rss/",
    "{language}/feeds/tags/{tag}/atom/",
    "{language}/feeds/departments/{department}/rss/",
    "{language}/feeds/departments/{department}/atom/",
    "/sitemap.xml",
    "/sitemap-{section}.xml",
    "/robots.txt",
    "/share/{token}/",
]
LANGUAGE_PREFIXES = ["", "/az", "/ru"]
FILTERS = ["q", "tag", "department", "event", "year", "month", "page", "p"]

HOSTILE_STRINGS = [
    "\x00",
    "\x00\x01\x1b[31m\x7f",
    "\ufffe\uffff\ufeff",
    "\u2028\u2029\x0b\x0c\x85",
    "%",
    "_",
    "\\",
    "%%_\\%",
    "!",
    "&",
    "|",
    ":*",
    "<->",
    "(a & !b) | c:*",
    "'",
    '"',
    ".*",
    "[",
    "(?i)^$",
    "(a+)+$",
    "таможня.*[",
    "Şəki|İ(",
    "-1",
    "0",
    "1e999",
    "NaN",
    "9" * 400,
    "٣",  # an Arabic-Indic digit: int() takes it
    "２０２３",  # full-width digits: so does int()
    "x" * 3000,
    "../../etc/passwd",
    "wco\n",
    *hostile.PAYLOADS,
]

text = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.builds(lambda words, payload: words + payload, st.text(max_size=10), st.sampled_from(hostile.PAYLOADS)),
)
# What a server may hand on raw: any bytes, percent-encoded or not.
raw_bytes = st.one_of(
    st.binary(max_size=40),
    st.binary(max_size=40).map(lambda data: quote_from_bytes(data).encode()),
    text.map(lambda words: words.encode("utf-8")),
    st.sampled_from([b"\xed\xa0\x80", b"%ED%A0%80", b"\xc0\xaf", b"%C0%AF", b"\xff\xfe", b"%", b"%zz", b"\x00"]),
)
query_pair = st.tuples(st.one_of(st.sampled_from(FILTERS), st.text(max_size=8)), text)
raw_query = st.one_of(
    st.lists(st.tuples(st.one_of(st.sampled_from(FILTERS).map(str.encode), raw_bytes), raw_bytes), max_size=6).map(
        lambda pairs: b"&".join(name + b"=" + value for name, value in pairs)
    ),
    st.binary(max_size=80),
)


@pytest.fixture
def site(make_release, department, event, delegation, django_capture_on_commit_callbacks):
    """A small site: a release in each language, tagged, with an event, a
    delegation and a document; a draft shared under embargo."""
    english = make_release(title="Customs session in Brussels", slug="session", event=event, tags=["WCO"])
    english.delegations.add(delegation)
    make_release(title="Gömrük sessiyası", slug="sessiya", language="az", event=event, tags=["Yaşıl gömrük"])
    make_release(title="Таможенная сессия", slug="sessiya", language="ru", event=event, tags=["Таможня"])
    make_release(title="Later", published_at=None, status=Release.Status.DRAFT)
    document = ReleaseDocument(release=english, title="Agenda")
    document.attach(prepare_document(upload(minimal_pdf(), "agenda.pdf", "application/pdf")))
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    link = ShareLink.objects.create(release=Release.objects.get(title="Later"))
    return {
        "release": "session",
        "document": str(document.pk),
        "event": event.slug,
        "department": department.slug,
        "tag": "wco",
        "section": "releases",
        "token": link.token,
    }


def address(route, site, language="", **fuzzed):
    """The route's path as bytes, with the site's own segments, but for the
    `fuzzed` ones."""
    path = route.replace("{language}", language).encode()
    for name, value in {**site, **fuzzed}.items():
        path = path.replace(f"{{{name}}}".encode(), value if isinstance(value, bytes) else value.encode())
    return path


def request(client, path, query=b"", **headers):
    """GET `path` (bytes) as a WSGI server would pass it on."""
    return client.generic(
        "GET", quote_from_bytes(path, safe="/") or "/", QUERY_STRING=query.decode("iso-8859-1"), **headers
    )


def check(response, where):
    assert response.status_code < 500, where
    if response.streaming:  # a document's download: a PDF, as an attachment
        assert response["Content-Disposition"].startswith("attachment"), where
        # Read to the end, the test client's way of closing it: close()
        # itself would signal the end of a request and close the database
        # connection of the test's transaction.
        assert b"".join(response.streaming_content).startswith(b"%PDF-"), where
        return
    # Parsing every page is slow: only those that could carry a payload.
    if b"alert(" in response.content or b"onmouseover" in response.content:
        hostile.assert_inert(response, where)


@FUZZ
@given(language=st.sampled_from(LANGUAGE_PREFIXES), pairs=st.lists(query_pair, max_size=8))
def test_release_list_with_any_filters(client, site, language, pairs):
    response = client.get(f"{language}/releases/", [(name, value) for name, value in pairs])
    check(response, pairs)
    assert response.status_code == 200


@FUZZ
@given(route=st.sampled_from(ROUTES), language=st.sampled_from(LANGUAGE_PREFIXES), query=raw_query)
def test_every_public_view_with_any_query_string(client, site, route, language, query):
    path = address(route, site, language)
    check(request(client, path, query), (path, query))


@FUZZ
@given(
    route=st.sampled_from([route for route in ROUTES if "}" in route.replace("{language}", "")]),
    language=st.sampled_from(LANGUAGE_PREFIXES),
    segment=st.one_of(raw_bytes.filter(bool), st.sampled_from([b"..", b".", b"a/b", b"%2F", b"session/"])),
)
def test_every_public_view_with_any_path_segment(client, site, route, language, segment):
    names = [name for name in site if f"{{{name}}}" in route]
    for name in names:
        path = address(route, site, language, **{name: segment})
        check(request(client, path), path)


@FUZZ
@given(section=st.one_of(st.sampled_from(["pages", "releases", "events", "departments"]), text), page=text)
def test_sitemap_sections_with_any_page(client, site, section, page):
    response = client.get(f"/sitemap-{quote_from_bytes(section.encode())}.xml", {"p": page})
    check(response, (section, page))


HEADERS = ["HTTP_ACCEPT_LANGUAGE", "HTTP_COOKIE", "HTTP_USER_AGENT", "HTTP_REFERER", "HTTP_IF_NONE_MATCH"]


@FUZZ
@given(
    route=st.sampled_from(ROUTES),
    language=st.sampled_from(LANGUAGE_PREFIXES),
    headers=st.dictionaries(st.sampled_from(HEADERS), raw_bytes.map(lambda value: value.decode("iso-8859-1"))),
)
def test_every_public_view_with_any_headers(client, site, route, language, headers):
    path = address(route, site, language)
    check(request(client, path, **headers), (path, headers))
