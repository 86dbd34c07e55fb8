"""Hostile input, everywhere a person can type (issue 7).

- Public query strings, path segments and headers, as raw bytes the way a
  WSGI server hands them to Django (PEP 3333: decoded as ISO-8859-1): never
  a server error, never reflected unescaped.
- Admin text fields: NUL is a form error, on every field of every form,
  the per-language columns and the inlines among them; other control
  characters and what word processors paste are cleaned before saving
  (releases.text), so that feeds never break; over-long values are form
  errors.
- Uploads: no uploaded file is ever served inline as HTML or script.

Tag names have their own module (test_tag_normalization.py), stored XSS
too (test_xss.py), and the fuzz tests over the same ground theirs
(test_fuzz.py).
"""

import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import quote_from_bytes

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.static import serve
from PIL import Image, PngImagePlugin

from releases.documents import prepare_document
from releases.models import (
    Delegation,
    DelegationMember,
    Department,
    Event,
    EventCover,
    Release,
    ReleaseDocument,
    ReleaseImage,
    ShareLink,
    ShareLinkView,
    Tag,
)
from releases.text import clean_text
from tests import hostile
from tests.pictures import image_bytes, minimal_pdf, upload

pytestmark = pytest.mark.django_db

NULL_ERROR = "Null characters are not allowed."
# What releases.text.clean_text leaves out of every stored text.
NOT_STORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2028\u2029\ufeff\ufffe\uffff]")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block leaves for the commit (writing
    files, sending e-mail) as a real commit would, at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def newsroom(make_release, department, event, delegation, committed):
    """A small public site: a release in each language, tagged, with an
    event, a delegation and a document; a draft with a share link."""
    english = make_release(title="Customs session in Brussels", slug="session", event=event, tags=["WCO", "Transit"])
    english.delegations.add(delegation)
    make_release(title="Brüsseldə gömrük sessiyası", slug="sessiya", language="az", tags=["ÜGT"])
    make_release(title="Таможенная сессия (Брюссель)", slug="sessiya", language="ru", tags=["ВТамО"])
    document = ReleaseDocument(release=english, title="Agenda")
    document.attach(prepare_document(upload(minimal_pdf(), "agenda.pdf", "application/pdf")))
    with committed():
        document.save()
    draft = make_release(title="Embargoed statement", status=Release.Status.DRAFT)
    link = ShareLink.objects.create(release=draft)
    return {"release": english, "document": document, "link": link}


def public_urls(newsroom):
    english, document = newsroom["release"], newsroom["document"]
    return [
        "/",
        "/releases/",
        english.get_absolute_url(),
        f"{english.get_absolute_url()}documents/{document.pk}/",
        "/tags/",
        "/events/",
        "/events/wco-policy-commission/",
        "/departments/press/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/tags/wco/rss/",
        "/feeds/tags/wco/atom/",
        "/feeds/departments/press/rss/",
        "/sitemap.xml",
        "/sitemap-releases.xml",
        "/sitemap-pages.xml",
        "/robots.txt",
        "/az/",
        "/az/releases/",
        "/ru/releases/",
        "/ru/feeds/rss/",
        newsroom["link"].get_absolute_url(),
    ]


def query_readers(newsroom):
    """The public pages that read their query string, and one of each other kind."""
    english = newsroom["release"]
    return [
        "/",
        "/releases/",
        "/az/releases/",
        "/events/",
        "/departments/press/",
        "/sitemap.xml",
        "/sitemap-releases.xml",
        "/feeds/tags/wco/rss/",
        english.get_absolute_url(),
        f"{english.get_absolute_url()}documents/{newsroom['document'].pk}/",
        newsroom["link"].get_absolute_url(),
    ]


def raw_get(client, path=b"/", query=b"", **headers):
    """A GET as a WSGI server passes it on: the path and the query string
    are the request's bytes, decoded as ISO-8859-1 (PEP 3333). The test
    client takes the path percent-encoded and decodes it so."""
    if isinstance(path, str):
        path = path.encode()
    return client.generic("GET", quote_from_bytes(path, safe="/"), QUERY_STRING=query.decode("iso-8859-1"), **headers)


# Public query strings


RAW_QUERIES = [
    b"q=\xff\xfe",  # not UTF-8
    b"q=\xed\xa0\x80",  # a UTF-16 surrogate, encoded as UTF-8 would if it could
    b"q=%ED%A0%80&tag=%ED%B0%80",
    b"q=%C0%AF",  # an overlong encoding of "/"
    b"q=%00%01%1b%7f&tag=%00&page=%00&p=%00",
    b"q=\x00\x1b",
    b"q=%&tag=%zz&page=%%",  # broken escapes
    b"\xff=\xff&=&&==&",
    b"tag[]=wco&tag[x]=1&page[]=2",
    b"page=99999999999999999999999999999999&p=99999999999999999999999999999999",
    b"page=-0&year=0x7df&month=1e1",
    b"page=1.5&p=1.5&year=2023.0&month=%E2%80%8B6",
    b"page=%EF%BC%92&year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%93",  # full-width digits
]


@pytest.mark.parametrize("query", RAW_QUERIES, ids=repr)
def test_raw_bytes_in_the_query_string_of_any_public_page_are_no_server_error(client, newsroom, query):
    for url in query_readers(newsroom):
        response = raw_get(client, url, query)
        assert response.status_code < 500, (url, query)


def test_thousands_of_parameters_are_a_bad_request_not_a_server_error(client, newsroom, settings):
    many = "&".join(f"tag=t{number}" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)).encode()
    for url in ["/releases/", "/", "/feeds/rss/", "/sitemap-releases.xml", "/tags/"]:
        response = raw_get(client, url, many)
        if url in ("/releases/", "/sitemap-releases.xml"):
            # These read the query string: Django refuses to parse it.
            assert response.status_code == 400, url
        else:
            assert response.status_code in (200, 400), url


def test_as_many_parameters_as_allowed_give_the_page(client, newsroom, settings):
    allowed = "&".join(f"tag=t{number}" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)).encode()
    assert raw_get(client, "/releases/", allowed).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "page=" + "9" * 5000,
        "year=" + "9" * 5000 + "&month=" + "9" * 5000,
        "q=" + "customs " * 20000,
        "tag=" + "a" * 50000,
        "department=" + "a" * 50000 + "&event=" + "b" * 50000,
        "q=" + "%F0%9F%8E%89" * 5000,  # emoji
        "q=" + "%CC%81" * 5000,  # combining accents with nothing to combine with
    ],
    ids=lambda query: query[:20],
)
def test_enormous_numbers_and_strings_are_no_server_error(client, newsroom, query):
    response = raw_get(client, "/releases/", query.encode())
    assert response.status_code == 200
    assert len(response.context["filters"].q) <= 200


@pytest.fixture
def searchable(make_release):
    return {
        "percent": make_release(title="Customs 100% digital"),
        "plain": make_release(title="Green customs corridor"),
        "cyrillic": make_release(title="Таможня (Баку) открыта"),
    }


QUERY_SYNTAX = [
    "!", "&", "|", "(", ")", ":*", "'", '"', "\\", "<->", "<1>", "!customs", "customs & !green", "(customs | x):*",
    "'customs' & 'green'", "%", "_", "%%", "_%_", "\\%", ".*", "[", "[a-z]", "(?i)", "^$", "a{1,99999}", "(a+)+$",
    "таможня.*", "таможня[", "(?=x)", "Баку)", "\\d+", "*", "?", "$1", "customs)(", "--", "/*", ";",
]  # fmt: skip


@pytest.mark.parametrize("words", QUERY_SYNTAX)
def test_query_syntax_in_search_is_plain_text(client, searchable, words):
    """PostgreSQL's tsquery operators, LIKE's wildcards and regular
    expression syntax (SQLite searches non-ASCII words with a regular
    expression) are words like any other: no error, and no wildcard
    matches every release."""
    response = client.get("/releases/", {"q": words})
    assert response.status_code == 200
    found = {release.pk for release in response.context["release_list"]}
    assert found != {release.pk for release in searchable.values()}


@pytest.mark.parametrize(("wildcard", "expected"), [("%", {"percent"}), ("_", set()), ("100%", {"percent"})])
def test_like_wildcards_match_only_themselves_on_sqlite(client, searchable, wildcard, expected):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's full-text search has no wildcards: the words are lexemes.")
    response = client.get("/releases/", {"q": wildcard})
    found = {name for name, release in searchable.items() if release in response.context["release_list"]}
    assert found == expected


def test_unknown_filter_fields_are_ignored(client, newsroom):
    everything = client.get("/releases/").context["paginator"].count
    response = client.get(
        "/releases/",
        {
            "tag__in": "wco",
            "department__id": "1",
            "ordering": "-title",
            "order_by": "id",
            "published_at__lte": "2000-01-01",
            "status": "draft",
            "language": "az",
            "o": "1",
            "e": "1",
            "_changelist_filters": "x",
        },
    )
    assert response.status_code == 200
    assert response.context["paginator"].count == everything
    assert all(release.is_published for release in response.context["release_list"])


# Public path segments


PATH_TEMPLATES = [
    "/releases/{}/",
    "/releases/session/documents/{}/",
    "/events/{}/",
    "/departments/{}/",
    "/feeds/tags/{}/rss/",
    "/feeds/departments/{}/atom/",
    "/sitemap-{}.xml",
    "/share/{}/",
    "/{}/releases/",
    "/az/releases/{}/",
    "/ru/events/{}/",
]
SEGMENTS = [
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"%",
    b"%00",
    b"..",
    b"a" * 5000,
    b"<script>alert(1)</script>",
    b"session\n",
    b"\x1b[31m",
    b"\xd0\xb0",
    b"1e999",
    b"-1",
    b"99999999999999999999999999",
    b"session/../../etc/passwd",
]


@pytest.mark.parametrize("segment", SEGMENTS, ids=repr)
def test_raw_bytes_in_path_segments_give_a_client_error_or_a_page(client, newsroom, segment):
    for template in PATH_TEMPLATES:
        path = template.encode().replace(b"{}", segment)
        response = raw_get(client, path)
        assert response.status_code < 500, path
        hostile.assert_inert(response, path)


# Headers


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": "\x00\xff;q=abc, *;q=-1, az-;q=2, ru;q=0.5;q=0.9, " * 50},
        {"HTTP_ACCEPT_LANGUAGE": "x" * 10000},
        {"HTTP_ACCEPT_LANGUAGE": "az-Latn-AZ-u-co-phonebk-x-" + "a" * 300},
        {"HTTP_COOKIE": "sessionid=" + "x" * 100_000},
        {"HTTP_COOKIE": "; ".join(f"c{number}=v" for number in range(5000))},
        {"HTTP_COOKIE": "sessionid=\x00\xff\xfe; csrftoken=\x1b; django_language=\xff"},
        {"HTTP_COOKIE": 'django_language="az\\"; sessionid=a;b=c"'},
        {"HTTP_USER_AGENT": "Mozilla\x00\x1b[31m\xff" * 100},
        {"HTTP_REFERER": "javascript:alert(1)\x00"},
        {"HTTP_X_FORWARDED_FOR": "\x00, 999.1.1.1, <script>"},
        {"HTTP_X_FORWARDED_PROTO": "\xff"},
        {"HTTP_IF_MODIFIED_SINCE": "\x00 Sun, 99 Foo 99999"},
        {"HTTP_IF_NONE_MATCH": '"' * 1000},
        {"HTTP_RANGE": "bytes=-99999999999999999999999,0-0,1-1"},
    ],
    ids=lambda headers: next(iter(headers)),
)
def test_odd_headers_are_no_server_error(client, newsroom, headers):
    for url in query_readers(newsroom):
        response = raw_get(client, url, **headers)
        assert response.status_code < 500, url


@pytest.mark.parametrize("host", ["пресс.az", "press.example.gov\x00", "\xff\xfe", "localhost:8000\x00", "a" * 300])
def test_a_host_header_of_no_allowed_host_is_a_bad_request(client, newsroom, host):
    assert raw_get(client, "/releases/", HTTP_HOST=host).status_code == 400


def test_the_share_page_logs_a_hostile_user_agent_cleaned(client, newsroom):
    response = raw_get(client, newsroom["link"].get_absolute_url(), HTTP_USER_AGENT="Bot\x00\x1b[31m\x7f" + "z" * 500)
    assert response.status_code == 200
    agent = ShareLinkView.objects.get().user_agent
    assert agent.startswith("Bot[31m") and not NOT_STORED.search(agent)


# Nothing from the request is reflected unescaped


@pytest.mark.parametrize("parameter", ["q", "tag", "page", "department", "event", "year", "month", "p"])
def test_parameters_are_never_reflected_unescaped(client, newsroom, parameter):
    for url in ["/", "/releases/", "/az/releases/", "/tags/", "/events/", "/departments/press/", "/sitemap.xml"]:
        response = client.get(url, {"q": hostile.ALL, parameter: hostile.ALL})
        assert response.status_code == 200, url
        hostile.assert_inert(response, url)


@pytest.mark.parametrize("payload", hostile.PAYLOADS)
def test_the_search_box_shows_the_words_searched_as_text(client, newsroom, payload):
    response = client.get("/releases/", {"q": payload})
    hostile.assert_inert(response)
    box = next(field for field in hostile.parse(response.content).iter("input") if field.get("name") == "q")
    assert box.get("value") == " ".join(payload.split())
    chips = [
        chip.findtext("strong")
        for chip in hostile.parse(response.content).iter("li")
        if "chip" in chip.get("class", "")
    ]
    assert chips == [" ".join(payload.split())]


# Admin forms: NUL is a form error, on every text field


@pytest.fixture
def admin_forms(administrator_client, department, event, make_release):
    """(add page, the fields a valid post needs, the model it adds) for every
    admin form where press staff type text, inlines included."""
    draft = make_release(status=Release.Status.DRAFT)
    return [
        (reverse("admin:releases_release_add"), {"title": "Valid", "department": department.pk}, Release),
        (
            reverse("admin:releases_event_add"),
            {"title_en": "Valid", "slug": "valid", "start_date": "2024-06-19"},
            Event,
        ),
        (reverse("admin:releases_delegation_add"), {"event": event.pk, "head_name_en": "Valid"}, Delegation),
        (reverse("admin:releases_department_add"), {"name_en": "Valid", "slug": "valid"}, Department),
        (reverse("admin:releases_tag_add"), {"name": "Valid", "slug": "valid"}, Tag),
        (reverse("admin:releases_sharelink_add"), {"release": draft.pk}, ShareLink),
    ]


def post_form(client, url, **fields):
    """Post the form on `url` as a browser would, with `fields` changed."""
    data = hostile.form_data(client.get(url)) | {name: [value] for name, value in fields.items()}
    return client.post(url, data | {"_save": ["Save"]})


def test_every_admin_form_has_its_text_fields_found(administrator_client, admin_forms):
    """The check below covers what it finds: make sure it finds the
    per-language columns and the inline rows."""
    found = set()
    for url, _fields, _model in admin_forms:
        found.update(hostile.text_inputs(administrator_client.get(url)))
    for name in [
        "title", "lead", "body", "tags", "review_comment", "images-0-alt_text", "images-0-caption",
        "images-0-credit", "documents-0-title", "title_az", "description_ru", "delegations-0-head_rank_ru",
        "cover-0-credit_az", "notes_en", "members-0-position_ru", "media_contact_name_az", "signature_ru", "name",
        "note",
    ]:  # fmt: skip
        assert name in found


def field_errors(response):
    """{posted field name: [error codes]} of the admin form on the page and
    of each row of its inlines."""
    forms = [response.context["adminform"].form]
    forms += [form for inline in response.context["inline_admin_formsets"] for form in inline.formset.forms]
    return {
        form.add_prefix(name): [error.code for error in errors]
        for form in forms
        for name, errors in form.errors.as_data().items()
    }


def test_nul_in_any_admin_text_field_is_a_form_error(administrator_client, admin_forms):
    """Every text field at once (each is checked on its own): each gets the
    error, the page says why, nothing is saved."""
    for url, fields, model in admin_forms:
        names = hostile.text_inputs(administrator_client.get(url))
        before = model.objects.count()
        response = post_form(administrator_client, url, **(fields | dict.fromkeys(names, "Bad\x00text")))
        assert response.status_code == 200, url
        errors = field_errors(response)
        for name in names:
            assert "null_characters_not_allowed" in errors.get(name, []), (url, name)
        assert NULL_ERROR in response.content.decode(), url
        assert model.objects.count() == before, url


def test_nul_in_the_change_note_and_the_comments_of_the_workflow_is_a_form_error(editor_client, make_release):
    published = make_release()
    change_url = reverse("admin:releases_release_change", args=[published.pk])
    for name in ("change_note", "withdrawal_reason"):
        response = post_form(editor_client, change_url, **{name: "Bad\x00text"})
        assert response.status_code == 200, name
        assert NULL_ERROR in response.content.decode(), name
    in_review = make_release(status=Release.Status.IN_REVIEW)
    change_url = reverse("admin:releases_release_change", args=[in_review.pk])
    response = post_form(editor_client, change_url, status="draft", review_comment="Bad\x00text")
    assert NULL_ERROR in response.content.decode()
    for action in ("withdraw_selected", "send_back_selected"):
        response = editor_client.post(
            reverse("admin:releases_release_changelist"),
            {"action": action, ACTION_CHECKBOX_NAME: [published.pk, in_review.pk], "apply": 1, "comment": "a\x00b"},
        )
        assert response.status_code == 200, action
        assert NULL_ERROR in response.content.decode(), action
    published.refresh_from_db()
    assert published.status == Release.Status.PUBLISHED


def test_every_admin_text_field_refuses_more_than_its_length(administrator_client, admin_forms):
    for url, fields, model in admin_forms:
        page = administrator_client.get(url)
        names = hostile.text_inputs(page)
        limits = {
            element.get("name"): int(element.get("maxlength"))
            for element in hostile.parse(page.content).iter()
            if isinstance(element.tag, str) and element.get("maxlength") and element.get("name") in names
        }
        assert limits, url
        before = model.objects.count()
        response = post_form(
            administrator_client, url, **(fields | {name: "x" * (limit + 1) for name, limit in limits.items()})
        )
        assert response.status_code == 200, url
        errors = field_errors(response)
        for name in limits:
            assert "max_length" in errors.get(name, []), (url, name)
        assert model.objects.count() == before, url


# Admin forms: control characters and pasted text are cleaned


# As Word and browsers paste it: smart quotes, no-break space, line and
# paragraph separators, Word's manual line break (\x0b), a page break, a soft
# hyphen, a zero-width space, a terminal escape, DEL, NEL, a BOM, \r\n.
PASTED = "“Q”\u00a0a\u2028b\x0bc\x0cd\u2029e so\u00adft\u200bz\x1b[0m\x7f\x85\ufeff \r\nend"


def stored_texts():
    """(model, column, text) of every text column of every row the app keeps."""
    for model in (Release, Event, Delegation, DelegationMember, Department, Tag, ShareLink, ReleaseImage, EventCover):
        columns = [
            field.attname
            for field in model._meta.concrete_fields
            if field.get_internal_type() in ("CharField", "TextField") and not field.choices
        ]
        for row in model.objects.values(*columns):
            for column, text in row.items():
                yield model.__name__, column, text or ""


def assert_all_clean():
    for model, column, text in stored_texts():
        assert not NOT_STORED.search(text), (model, column, text)


def test_pasted_text_in_every_admin_text_field_is_saved_cleaned(administrator_client, admin_forms):
    for url, fields, _model in admin_forms:
        page = administrator_client.get(url)
        # Rows of photos and documents need a file: those are checked below.
        names = [
            name
            for name in hostile.text_inputs(page)
            if not name.startswith(("images-", "documents-", "cover-")) and name != "review_comment"
        ]
        response = post_form(administrator_client, url, **(fields | dict.fromkeys(names, PASTED)))
        assert response.status_code == 302, (url, response.context and response.context.get("errors"))
    assert_all_clean()
    release = Release.objects.get(title__startswith="“Q”")
    assert release.title == "“Q”\u00a0a b c d e softz[0m end"
    assert release.lead == "“Q”\u00a0a\nb\nc\n\nd\n\ne softz[0m\n \nend"
    assert Event.objects.get(slug="valid").title_az == release.title
    assert set(Delegation.objects.values_list("notes_ru", flat=True)) == {release.lead}


def test_pasted_text_in_the_photo_table_and_cover_is_saved_cleaned(
    administrator_client, make_release, event, committed
):
    release = make_release()
    change_url = reverse("admin:releases_release_change", args=[release.pk])
    data = hostile.form_data(administrator_client.get(change_url))
    data |= {
        "images-0-alt_text": [PASTED],
        "images-0-caption": [PASTED],
        "images-0-credit": [PASTED],
        "images-0-upload": [upload(image_bytes("JPEG", (40, 30)), "photo\x1b.jpg")],
        "documents-0-title": [PASTED],
        "documents-0-upload": [upload(minimal_pdf(), "agenda\u202e.pdf", "application/pdf")],
        "_save": ["Save"],
    }
    with committed():
        assert administrator_client.post(change_url, data).status_code == 302
    event_url = reverse("admin:releases_event_change", args=[event.pk])
    data = hostile.form_data(administrator_client.get(event_url))
    data |= {
        "cover-0-alt_text_en": [PASTED],
        "cover-0-credit_az": [PASTED],
        "cover-0-upload": [upload(image_bytes("PNG", (40, 30)), "cover.png")],
        "_save": ["Save"],
    }
    with committed():
        assert administrator_client.post(event_url, data).status_code == 302
    assert_all_clean()
    image = ReleaseImage.objects.get()
    assert image.alt_text == image.caption == image.credit == "“Q”\u00a0a b c d e softz[0m end"
    assert image.original_filename == "photo.jpg"
    assert ReleaseDocument.objects.get().original_filename == "agenda.pdf"
    assert EventCover.objects.get().credit_az == image.credit


def test_a_title_pasted_with_control_characters_keeps_the_feeds_whole(editor_client, department):
    """Feeds are XML 1.0, which cannot carry most control characters at all:
    the title saved through the admin has none left, and both feeds parse."""
    response = post_form(
        editor_client,
        reverse("admin:releases_release_add"),
        title="Session\x0bin\x0cBrussels\x1b\x08\u2028opened\ufffe",
        lead="First\x0bline\x01\x02\x03",
        tags="Green\x0bCustoms\x1f, WCO\x7f",
        department=department.pk,
        status="published",
    )
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.title == "Session in Brussels opened"
    assert release.lead == "First\nline"
    for url in ("/feeds/rss/", "/feeds/atom/", "/feeds/tags/green-customs/rss/", "/feeds/departments/press/atom/"):
        feed = ET.fromstring(editor_client.get(url).content)
        assert "Session in Brussels opened" in [element.text for element in feed.iter() if element.text], url


@pytest.mark.parametrize(
    "title",
    ["\\ud800 and \\uDFFF", "&#xd800; &#55296; &#x0; &#0;", "%ED%A0%80", "\ufffd replacement"],
    ids=["escaped", "entities", "percent", "replacement"],
)
def test_escaped_forms_of_surrogates_and_nul_are_kept_as_text(administrator_client, department, title):
    response = post_form(
        administrator_client, reverse("admin:releases_release_add"), title=title, department=department.pk
    )
    assert response.status_code == 302
    assert Release.objects.get().title == title


@pytest.mark.parametrize("body", [b"title=%FF%FE%ED%A0%80", b"title=\xff\xfe\xed\xa0\x80", b"title=a%00b"])
def test_bytes_that_are_not_utf8_in_a_posted_form_are_no_server_error(administrator_client, department, body):
    url = reverse("admin:releases_release_add")
    form = "&".join(
        f"{quote_from_bytes(name.encode())}={quote_from_bytes(values[0].encode())}"
        for name, values in hostile.form_data(administrator_client.get(url)).items()
        if name != "title" and values
    )
    response = administrator_client.post(
        url,
        body + f"&department={department.pk}&_save=Save&{form}".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302)
    for release in Release.objects.all():
        assert not NOT_STORED.search(release.title)


def test_a_title_with_line_breaks_makes_a_one_line_mail_subject(press_client, editor, department, committed):
    """A line break in a mail header is refused by Django's mail (a header
    injection): the title is one line before it gets there."""
    with committed():
        response = post_form(
            press_client,
            reverse("admin:releases_release_add"),
            title="Session\r\nBcc: everyone@example.com\u2028Subject: free",
            department=department.pk,
            status="in_review",
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Session Bcc: everyone@example.com Subject: free" in message.subject
    assert message.bcc == []


# Admin search boxes and autocompletes


@pytest.mark.parametrize(
    "term", ["\x00", "a\x00b", "\x1b", "%", "_", "\\", "'", '"', "\ud800".encode("utf-8", "surrogatepass")]
)
def test_admin_searches_take_any_term(administrator_client, newsroom, term):
    for changelist in ("release", "event", "delegation", "department", "tag", "sharelink", "workflowevent"):
        response = administrator_client.get(reverse(f"admin:releases_{changelist}_changelist"), {"q": term})
        assert response.status_code == 200, changelist
    for model_name, field_name in (
        ("release", "event"),
        ("release", "department"),
        ("release", "delegations"),
        ("sharelink", "release"),
    ):
        response = administrator_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "releases", "model_name": model_name, "field_name": field_name, "term": term},
        )
        assert response.status_code == 200, (model_name, field_name)
    assert administrator_client.get(reverse("admin:releases_tag_suggest"), {"term": term}).status_code == 200


# Uploads: no uploaded file is ever served inline as HTML or script


IMAGE_NAME = re.compile(r"images/\d{4}/\d{2}/[0-9a-f]{32}(-\d+)?\.(jpg|png|webp|gif)")
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def gif_with_html_comment():
    """A GIF whose comment extension holds a page: a GIF to Pillow, and a
    page to anything that sniffs it for HTML."""
    gif = image_bytes("GIF", (20, 20))
    comment = b"\x21\xfe" + bytes([len(HTML[:255])]) + HTML[:255] + b"\x00"
    return gif[:-1] + comment + b"\x3b"


def jpeg_with_html_comment():
    jpeg = image_bytes("JPEG", (20, 20))
    segment = b"\xff\xfe" + (len(HTML) + 2).to_bytes(2, "big") + HTML
    return jpeg[:2] + segment + jpeg[2:]


def png_with_html_text():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HTML.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 20, 30)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue() + HTML


POLYGLOTS = {
    "gif-comment": (gif_with_html_comment(), "page.gif"),
    "jpeg-comment": (jpeg_with_html_comment(), "page.html"),
    "png-text-and-tail": (png_with_html_text(), "page.htm"),
}


@pytest.mark.parametrize("kind", POLYGLOTS)
def test_an_image_that_is_also_a_page_is_stored_re_encoded_and_served_as_an_image(
    editor_client, make_release, committed, settings, kind
):
    content, name = POLYGLOTS[kind]
    assert HTML in content
    release = make_release()
    change_url = reverse("admin:releases_release_change", args=[release.pk])
    data = hostile.form_data(editor_client.get(change_url))
    data |= {"images-0-alt_text": ["A photo"], "images-0-upload": [upload(content, name)], "_save": ["Save"]}
    with committed():
        assert editor_client.post(change_url, data).status_code == 302
    image = ReleaseImage.objects.get()
    assert image.original_filename == name
    for stored in image.stored_names():
        assert IMAGE_NAME.fullmatch(stored), stored
        with default_storage.open(stored) as file:
            assert b"<script" not in file.read().lower(), stored
        response = serve(RequestFactory().get(f"/media/{stored}"), stored, document_root=settings.MEDIA_ROOT)
        assert response["Content-Type"].startswith("image/"), stored


@pytest.mark.parametrize(
    "content",
    [HTML, b"GIF89a" + HTML, b"\xff\xd8\xff" + HTML, b"<!DOCTYPE html>" + image_bytes("PNG", (5, 5))],
    ids=["page", "gif-magic-then-page", "jpeg-magic-then-page", "page-then-png"],
)
def test_a_page_dressed_as_an_image_is_refused(editor_client, make_release, committed, settings, content):
    release = make_release()
    change_url = reverse("admin:releases_release_change", args=[release.pk])
    data = hostile.form_data(editor_client.get(change_url))
    data |= {"images-0-alt_text": ["A photo"], "images-0-upload": [upload(content, "photo.jpg")], "_save": ["Save"]}
    with committed():
        response = editor_client.post(change_url, data)
    assert response.status_code == 200
    assert not ReleaseImage.objects.exists()
    assert not (settings.MEDIA_ROOT.exists() and any(settings.MEDIA_ROOT.rglob("*.*")))


def test_media_served_by_django_would_give_an_html_file_as_html(settings):
    """Why names matter: Django's development server (and any web server
    with its default types) serves a file by its extension, so an .html file
    in MEDIA_ROOT would be a page of this site. No upload is stored under a
    name of its own (the test above); README, "Serving photos and
    documents", gives the web server's settings that make sure of it."""
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "planted.html").write_bytes(HTML)
    response = serve(RequestFactory().get("/media/planted.html"), "planted.html", document_root=settings.MEDIA_ROOT)
    assert response["Content-Type"].startswith("text/html")


def test_a_document_named_as_a_page_downloads_as_an_attachment(client, make_release, committed):
    release = make_release()
    document = ReleaseDocument(release=release, title='<script>alert(1)</script> "Agenda"')
    document.attach(prepare_document(upload(minimal_pdf() + HTML, "agenda.pdf.html", "text/html")))
    with committed():
        document.save()
    assert document.file.name.endswith(".pdf")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.pdf"', response["Content-Disposition"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


# The normalization itself


@pytest.mark.parametrize(
    ("text", "one_line", "multi_line"),
    [
        ("a\r\nb\rc\nd", "a b c d", "a\nb\nc\nd"),
        ("a\x0bb\x0cc", "a b c", "a\nb\n\nc"),
        ("a\u2028b\u2029c\x85d", "a b c d", "a\nb\n\nc\nd"),
        ("tab\there", "tab here", "tab\there"),
        ("  padded \n ", "padded", "  padded \n "),
        ("so\u00adft zero\u200bwidth\ufeff", "soft zerowidth", "soft zerowidth"),
        ("\x00\x01\x1b[1m\x7f\x9f\ufffe\uffff\ud800", "[1m", "[1m"),
        ("\u202eevil\u202c \u2066x\u2069", "evil x", "evil x"),
        ("“Smart” ‘quotes’ — dash … ß İ ı Ё", "“Smart” ‘quotes’ — dash … ß İ ı Ё", "“Smart” ‘quotes’ — dash … ß İ ı Ё"),
        ("Go\u0308mru\u0308k", "Gömrük", "Gömrük"),
        ("👨\u200d👩\u200d👧 z\u200cw", "👨\u200d👩\u200d👧 z\u200cw", "👨\u200d👩\u200d👧 z\u200cw"),
        ("", "", ""),
    ],
    ids=repr,
)
def test_clean_text(text, one_line, multi_line):
    assert clean_text(text) == one_line
    assert clean_text(text, multiline=True) == multi_line


def test_models_clean_their_text_on_every_save(make_release, event):
    release = make_release(title="A\x0bB", lead="C\u2028D", withdrawal_reason="E\x00F")
    release.refresh_from_db()
    assert (release.title, release.lead, release.withdrawal_reason) == ("A B", "C\nD", "EF")
    Event.objects.filter(pk=event.pk).update(title_ru="Ru")  # leaves the other languages alone
    event.refresh_from_db()
    event.city_az = "Brü\x1bssel"
    event.save()
    event.refresh_from_db()
    assert (event.city_az, event.city_en, event.title_ru) == ("Brüssel", "Brussels", "Ru")


def test_a_title_of_control_characters_only_is_an_empty_title(editor_client, department):
    response = post_form(
        editor_client, reverse("admin:releases_release_add"), title="\x0b\x1b\u200b", department=department.pk
    )
    assert response.status_code == 200
    # Not empty as posted, so the form's own check passes; the model's, after cleaning, does not.
    assert response.context["adminform"].form.has_error("title", code="blank")
    assert not Release.objects.exists()


def test_a_paste_of_the_longest_length_is_saved_cleaned(editor_client, department):
    title = "x" * 250 + "\x0b" * 5
    response = post_form(editor_client, reverse("admin:releases_release_add"), title=title, department=department.pk)
    assert response.status_code == 302
    assert Release.objects.get().title == "x" * 250


def test_share_link_views_record_no_control_characters(newsroom):
    view = newsroom["link"].record_view(address="127.0.0.1", user_agent="a\x00b\x1bc" * 200)
    view.refresh_from_db()
    assert len(view.user_agent) <= 300 and not NOT_STORED.search(view.user_agent)


def test_scheduled_release_stays_hidden_whatever_the_parameters(client, make_release):
    make_release(title="Not yet", published_at=timezone.now() + timedelta(days=1))
    for query in RAW_QUERIES:
        response = raw_get(client, "/releases/", query)
        assert b"Not yet" not in response.content
