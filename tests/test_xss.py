"""Stored XSS: press staff are treated as possible attackers of editors,
administrators and the public. Script is put into every field a person
types into (titles, leads, bodies, captions, alt text, credits, tag names,
every language column of events, delegations and departments, original
file names, change notes, share-link notes, sent-back comments, reasons for
withdrawal), then every page that shows it is read: public pages, the
admin's lists, forms, history, differences and intermediate pages, feeds,
meta tags and JSON-LD. Everywhere it must be text, never markup or code.
"""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import reversion
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from releases.documents import prepare_document
from releases.images import prepare_image
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
    Tag,
)
from releases.social import headline
from tests import hostile
from tests.pictures import image_bytes, minimal_pdf, upload

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LANGUAGES = ("en", "az", "ru")
BODY = (
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}</p><script>alert(1)</script>"
    '<img src=x onerror=alert(1)><a href="javascript:alert(1)">link</a><p onmouseover="alert(1)">text</p>'
    '<a href="&#106;avascript:alert(1)">encoded</a><iframe src="javascript:alert(1)"></iframe>'
)


def payload(model, field):
    """The longest payload that fits `field` of `model`."""
    limit = model._meta.get_field(field).max_length
    return next(text for text in (hostile.ALL, hostile.SHORT, hostile.IMAGE) if limit is None or len(text) <= limit)


def payloads(model, *fields, languages=LANGUAGES):
    """{column: payload} for `fields`, in every language's column."""
    return {f"{field}_{code}": payload(model, f"{field}_{code}") for field in fields for code in languages}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def attack(editor, press_user, committed):
    """Every kind of text on the site, each a payload."""
    department = Department.objects.create(
        slug="press",
        phone=payload(Department, "phone"),
        media_contact_phone=payload(Department, "media_contact_phone"),
        **payloads(Department, "name", "signature", "description", "media_contact_name"),
    )
    today = timezone.localdate()
    event = Event.objects.create(
        slug="session",
        start_date=today + timedelta(days=3),
        **payloads(Event, "title", "organizer", "venue", "city", "country", "description"),
    )
    past_event = Event.objects.create(
        slug="past", start_date=today - timedelta(days=30), **payloads(Event, "title", "city")
    )
    delegation = Delegation.objects.create(
        event=event, **payloads(Delegation, "head_name", "head_position", "head_rank", "notes")
    )
    DelegationMember.objects.create(delegation=delegation, **payloads(DelegationMember, "name", "position"))
    cover = EventCover(event=event, **payloads(EventCover, "alt_text", "credit"))
    cover.attach(prepare_image(upload(image_bytes("JPEG", (60, 40)), "cover.jpg")))
    cover.original_filename = payload(EventCover, "original_filename")
    with committed():
        cover.save()

    title, lead = payload(Release, "title"), payload(Release, "lead")
    released = timezone.now() - timedelta(hours=1)
    with reversion.create_revision():
        reversion.set_user(press_user)
        reversion.set_comment(hostile.ALL)
        release = Release.objects.create(
            title="First " + title,
            lead=lead,
            body=BODY,
            department=department,
            event=event,
            author=press_user,
            status=Release.Status.PUBLISHED,
            published_at=released,
        )
    with reversion.create_revision():
        reversion.set_user(editor)
        release.title = title
        release.lead = lead + " changed"
        release.body = BODY + "<p>Tom &amp; Jerry</p>"
        release.save()
        release.delegations.add(delegation)
        release.tags.set([hostile.SHORT, hostile.CLOSE_SCRIPT, hostile.HANDLER])
    release.add_change_note(payload(Release, "title"), user=editor)
    image = ReleaseImage(
        release=release, **{field: payload(ReleaseImage, field) for field in ("alt_text", "caption", "credit")}
    )
    image.attach(prepare_image(upload(image_bytes("JPEG", (80, 60)), "photo.jpg")))
    image.original_filename = payload(ReleaseImage, "original_filename")
    second = ReleaseImage(release=release, alt_text=hostile.ALL, caption=hostile.ALL, order=2)
    second.attach(prepare_image(upload(image_bytes("PNG", (80, 60)), "chart.png")))
    document = ReleaseDocument(release=release, title=payload(ReleaseDocument, "title"))
    document.attach(prepare_document(upload(minimal_pdf(), "agenda.pdf", "application/pdf")))
    document.original_filename = payload(ReleaseDocument, "original_filename")
    with committed():
        image.save()
        second.save()
        document.save()

    translations = {}
    for code in ("az", "ru"):
        translations[code] = Release.objects.create(
            title=f"{title} {code}",
            lead=lead,
            language=code,
            translation_key=release.translation_key,
            department=department,
            event=event,
            status=Release.Status.PUBLISHED,
            published_at=released,
        )
        translations[code].tags.set([f"{hostile.SHORT[:90]} {code}"])

    neighbour = Release.objects.create(
        title=f"Older {title}"[:255],
        lead=lead,
        department=department,
        status=Release.Status.PUBLISHED,
        published_at=released - timedelta(days=1),
    )
    neighbour.tags.set([hostile.SHORT])

    withdrawn = Release.objects.create(
        title=f"Withdrawn {title}"[:255], department=department, status=Release.Status.PUBLISHED, published_at=released
    )
    withdrawn.withdraw(user=editor, reason=hostile.ALL)

    sent_back = Release.objects.create(title=f"Draft {title}"[:255], department=department, author=press_user)
    sent_back.submit(user=press_user)
    sent_back.send_back(user=editor, comment=hostile.ALL)
    link = ShareLink.objects.create(release=sent_back, note=payload(ShareLink, "note"), created_by=editor)

    return {
        "department": department,
        "event": event,
        "past_event": past_event,
        "delegation": delegation,
        "release": release,
        "translations": translations,
        "withdrawn": withdrawn,
        "sent_back": sent_back,
        "link": link,
        "tag": Tag.objects.get(name=hostile.SHORT),
        "image": image,
        "document": document,
    }


def text_of(response):
    """Every text node and attribute value of the page, joined."""
    parts = []
    for element in hostile.parse(response.content).iter():
        if isinstance(element.tag, str):
            parts.extend([element.text or "", element.tail or "", *element.attrib.values()])
    return "\n".join(parts)


def check_page(client, url, *, status=200, shows=True, data=None):
    response = client.get(url, data)
    assert response.status_code == status, url
    hostile.assert_inert(response, url)
    if shows:
        assert hostile.SHOWN in text_of(response), f"{url} shows no payload: the check proves nothing there"
    return response


# Public pages


def public_pages(attack):
    release, department, event, tag = attack["release"], attack["department"], attack["event"], attack["tag"]
    pages = [
        "/",
        "/releases/",
        f"/releases/?tag={tag.slug}",
        f"/releases/?department={department.slug}&event={event.slug}",
        release.get_absolute_url(),
        attack["withdrawn"].get_absolute_url(),
        "/tags/",
        attack["link"].get_absolute_url(),
    ]
    for prefix in ("", "/az", "/ru"):
        pages += [f"{prefix}/events/", f"{prefix}/events/{event.slug}/", f"{prefix}/departments/{department.slug}/"]
    pages += [version.get_absolute_url() for version in attack["translations"].values()]
    return pages


def test_public_pages_show_every_payload_as_text(client, attack):
    for url in public_pages(attack):
        check_page(client, url)


def test_the_words_searched_are_shown_as_text(client, attack):
    check_page(client, "/releases/", data={"q": hostile.ALL})


def test_the_body_keeps_its_text_and_loses_its_code(client, attack):
    response = check_page(client, attack["release"].get_absolute_url())
    body = next(div for div in hostile.parse(response.content).iter("div") if div.get("class") == "body")
    assert "<script>alert(1)</script> {{ 7*7 }}" in "".join(body.itertext())
    assert [element.tag for element in body.iter()] == ["div", "p", "a", "p", "a", "p"]
    assert all(link.get("href") is None for link in body.iter("a"))


def test_meta_tags_carry_the_payloads_as_attribute_text(client, attack):
    release = attack["release"]
    page = hostile.parse(check_page(client, release.get_absolute_url()).content)
    meta = {tag.get("name") or tag.get("property"): tag.get("content") for tag in page.iter("meta")}
    assert meta["og:title"] == release.title
    assert meta["description"] == meta["og:description"] == release.lead
    assert meta["og:image:alt"] == attack["image"].alt_text
    assert page.findtext(".//title").startswith(release.title)


def test_json_ld_parses_and_cannot_close_its_script(client, attack):
    release = attack["release"]
    response = check_page(client, release.get_absolute_url())
    (script,) = [s for s in hostile.parse(response.content).iter("script") if s.get("type") == "application/ld+json"]
    raw = script.text
    assert "</script" not in raw.lower() and "<!--" not in raw and "<" not in raw
    data = json.loads(raw)
    # At most 110 characters, cut at a word (releases.social.headline).
    assert data["headline"] == headline(release.title)
    assert release.title.startswith(data["headline"].removesuffix("…"))
    assert data["description"] == release.lead
    assert sorted(data["keywords"]) == sorted(release.tags.names())
    assert data["author"]["name"] == attack["department"].signature_en


# Feeds: the payload is text; in descriptions, escaped HTML


def parsed_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def assert_no_markup(html_text, where):
    """`html_text` (an RSS description, an Atom summary) read as HTML has no
    element at all: the payload in it is text."""
    fragment = hostile.parse(f"<div>{html_text}</div>")
    div = next(element for element in fragment.iter("div"))
    assert [element.tag for element in div.iter() if isinstance(element.tag, str)] == ["div"], where
    assert not hostile.live_payloads(f"<div>{html_text}</div>"), where


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_carry_the_payloads_as_text(client, attack, kind):
    release, tag, department = attack["release"], attack["tag"], attack["department"]
    for url in (f"/feeds/{kind}/", f"/feeds/tags/{tag.slug}/{kind}/", f"/feeds/departments/{department.slug}/{kind}/"):
        feed = parsed_feed(client, url)
        if kind == "rss":
            items = {item.findtext("title"): item for item in feed.iter("item")}
            item = items[release.title]
            assert_no_markup(item.findtext("description"), url)
            assert hostile.parse(item.findtext("description")).findtext(".//body") == release.lead
            assert sorted(category.text for category in item.iter("category")) == sorted(release.tags.names())
            assert feed.findtext("channel/title")
        else:
            entries = {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}
            entry = entries[release.title]
            summary = entry.find(f"{ATOM}summary")
            assert summary.get("type") == "html"
            assert_no_markup(summary.text, url)
            assert entry.findtext(f"{ATOM}author/{ATOM}name") == department.signature_en
    tag_feed = parsed_feed(client, f"/feeds/tags/{tag.slug}/{kind}/")
    title = tag_feed.findtext("channel/title") if kind == "rss" else tag_feed.findtext(f"{ATOM}title")
    assert tag.name in title


# The admin


def admin_pages(attack):
    release, sent_back, link = attack["release"], attack["sent_back"], attack["link"]
    event, delegation, department, tag = attack["event"], attack["delegation"], attack["department"], attack["tag"]
    versions = list(reversion.models.Version.objects.get_for_object(release))
    change = lambda name, obj: reverse(f"admin:releases_{name}_change", args=[obj.pk])  # noqa: E731
    return [
        reverse("admin:index"),
        reverse("admin:releases_release_changelist"),
        # The event and tag filters show the chosen event or tag only.
        reverse("admin:releases_release_changelist")
        + f"?status__exact=in_review&event__id__exact={event.pk}&tags__id__exact={tag.pk}",
        change("release", release),
        change("release", sent_back),
        change("release", attack["withdrawn"]),
        reverse("admin:releases_release_add") + f"?translation_of={release.pk}&language=az",
        reverse("admin:releases_release_history", args=[release.pk]),
        reverse("admin:releases_release_compare", args=[release.pk])
        + f"?older={versions[-1].pk}&newer={versions[0].pk}",
        reverse("admin:releases_release_preview", args=[sent_back.pk]),
        reverse("admin:releases_release_delete", args=[release.pk]),
        reverse("admin:releases_tag_changelist"),
        change("tag", tag),
        reverse("admin:releases_event_changelist"),
        change("event", event),
        reverse("admin:releases_event_history", args=[event.pk]),
        reverse("admin:releases_event_delete", args=[event.pk]),
        reverse("admin:releases_delegation_changelist"),
        change("delegation", delegation),
        reverse("admin:releases_department_changelist"),
        change("department", department),
        reverse("admin:releases_sharelink_changelist"),
        change("sharelink", link),
        reverse("admin:releases_sharelink_revoke", args=[link.pk]),
        reverse("admin:releases_workflowevent_changelist"),
    ]


def test_admin_pages_show_every_payload_as_text(administrator_client, attack):
    for url in admin_pages(attack):
        check_page(administrator_client, url, shows=url != reverse("admin:index"))


def test_press_staff_and_editors_see_the_payloads_as_text_too(press_client, editor, attack):
    for url in [
        reverse("admin:releases_release_changelist"),
        reverse("admin:releases_release_change", args=[attack["sent_back"].pk]),
        reverse("admin:releases_release_history", args=[attack["release"].pk]),
    ]:
        check_page(press_client, url)
    press_client.force_login(editor)
    check_page(press_client, reverse("admin:releases_workflowevent_changelist"))


def test_the_workflow_trail_and_the_review_comment_are_text(administrator_client, attack):
    response = check_page(administrator_client, reverse("admin:releases_release_change", args=[attack["sent_back"].pk]))
    text = text_of(response)
    assert text.count(hostile.CLOSE_SCRIPT) >= 2  # the comment for the author, and the trail


def test_the_languages_column_links_are_the_admins_own(administrator_client, attack):
    response = check_page(administrator_client, reverse("admin:releases_release_changelist"))
    links = [a for a in hostile.parse(response.content).iter("a") if (a.get("class") or "").startswith("language-")]
    assert links
    assert all(a.get("href").startswith("/admin/releases/release/") for a in links)


def test_the_difference_view_shows_the_body_as_a_reader_reads_it(administrator_client, attack):
    release = attack["release"]
    versions = list(reversion.models.Version.objects.get_for_object(release))
    url = reverse("admin:releases_release_compare", args=[release.pk])
    response = check_page(administrator_client, url, data={"older": versions[-1].pk, "newer": versions[0].pk})
    after = "\n".join(
        "".join(td.itertext()) for td in hostile.parse(response.content).iter("td") if td.get("class") == "diff-after"
    )
    assert "<script>alert(1)</script> {{ 7*7 }}" in after
    assert "Tom & Jerry" in after


@pytest.mark.parametrize("action", ["withdraw_selected", "send_back_selected"])
def test_the_pages_an_action_asks_on_show_titles_as_text(administrator_client, attack, action):
    response = administrator_client.post(
        reverse("admin:releases_release_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [attack["release"].pk, attack["sent_back"].pk]},
    )
    assert response.status_code == 200
    hostile.assert_inert(response)
    assert hostile.SHOWN in text_of(response)


def test_the_merge_page_shows_tag_names_as_text(administrator_client, attack):
    response = administrator_client.post(
        reverse("admin:releases_tag_changelist"),
        {"action": "merge_selected", ACTION_CHECKBOX_NAME: list(Tag.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 200
    hostile.assert_inert(response)
    assert hostile.SHOWN in text_of(response)


def test_messages_naming_a_release_are_text(administrator_client, attack):
    response = administrator_client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "submit_selected", ACTION_CHECKBOX_NAME: [attack["release"].pk]},
        follow=True,
    )
    assert response.status_code == 200
    hostile.assert_inert(response)
    messages = [
        li for ul in hostile.parse(response.content).iter("ul") if ul.get("class") == "messagelist" for li in ul
    ]
    assert any(hostile.SHOWN in "".join(li.itertext()) for li in messages)


def test_autocomplete_and_tag_suggestions_answer_json_text(administrator_client, attack):
    response = administrator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "releases", "model_name": "release", "field_name": "event", "term": ""},
    )
    assert response["Content-Type"] == "application/json"
    assert hostile.SHOWN in json.dumps(response.json(), ensure_ascii=False)
    response = administrator_client.get(reverse("admin:releases_tag_suggest"), {"term": '">'})
    assert response["Content-Type"] == "application/json"
    assert hostile.SHORT in response.json()["tags"]


def test_a_payload_saved_through_the_admin_is_inert_on_the_public_page(editor_client, client, attack):
    """The whole path: typed into the admin, stored, shown."""
    url = reverse("admin:releases_release_add")
    data = hostile.form_data(editor_client.get(url)) | {
        "title": ["Typed " + hostile.ALL],
        "lead": [hostile.ALL],
        "body": [BODY],
        "tags": [f'"{hostile.SCRIPT}", {hostile.TEMPLATE}'],
        "department": [attack["department"].pk],
        "status": ["published"],
        "_save": ["Save"],
    }
    assert editor_client.post(url, data).status_code == 302
    release = Release.objects.get(title="Typed " + hostile.ALL)
    check_page(client, release.get_absolute_url())
    check_page(editor_client, reverse("admin:releases_release_change", args=[release.pk]))
