"""What "the same tag" means, and that it holds on every path that makes
tags: two names are one tag when their identity keys are equal
(releases.tagnames.tag_key: NFKC, case folding, white space, the dotted and
dotless i of Azerbaijani as one letter), on SQLite, whose `iexact` folds only
ASCII letters, as on PostgreSQL; even when two editors create the tag at
the same moment."""

import threading
import unicodedata
import xml.etree.ElementTree as ET
from unittest import mock

import html5lib
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test import Client
from django.urls import reverse

from releases.forms import MAX_TAGS_PER_RELEASE
from releases.models import Release, Tag, TaggedRelease
from releases.tagnames import tag_key

pytestmark = pytest.mark.django_db

RELEASE_ADD = reverse("admin:releases_release_add")
TAG_ADD = reverse("admin:releases_tag_add")
TAG_LIST = reverse("admin:releases_tag_changelist")
TAG_SUGGEST = reverse("admin:releases_tag_suggest")
ATOM = "{http://www.w3.org/2005/Atom}"


def release_form(department, **fields):
    """What the release add form posts, with `fields` changed."""
    return {
        "language": "en",
        "title": "The 88th session of the WCO Policy Commission",
        "slug": "",
        "lead": "The session began in Brussels.",
        "body": "<p>On June 19, the session began.</p>",
        "department": department.pk,
        "event": "",
        "tags": "",
        "status": Release.Status.DRAFT,
        "withdrawal_reason": "",
        "_save": "Save",
        **fields,
    }


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def shown_tags(client, release):
    """The value of the tags input of the release's change form, as the
    browser reads it from the page."""
    page = html5lib.parse(client.get(change_url(release)).content.decode(), namespaceHTMLElements=False)
    return next(field for field in page.iter("input") if field.get("name") == "tags").get("value", "")


# The identity rule


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("WCO", "wco"),
        ("ＷＣＯ", "WCO"),  # full-width letters, as some keyboards type them
        ("Green  Customs", "green customs"),
        ("İqtisadiyyat", "iqtisadiyyat"),  # Azerbaijani dotted capital İ
        ("IQTISADIYYAT", "iqtisadiyyat"),  # ... and the English capital I
        ("ILIQ", "ılıq"),  # Azerbaijani dotless ı
        ("İRAN", "Iran"),
        ("IMF", "imf"),
        ("Ёлка", "ёЛКА"),  # Cyrillic
        ("ТАМОЖНЯ", "таможня"),
        ("Straße", "STRASSE"),  # German ß
        ("Şəki", "ŞƏKİ"),  # letters SQLite's LIKE does not fold
        (unicodedata.normalize("NFD", "Gömrük"), "GÖMRÜK"),  # decomposed, as macOS pastes it
        ("Tag\x0bname", "tag name"),
        ("so\u00adft", "soft"),
    ],
)
def test_names_that_fold_alike_are_one_tag(one, other):
    assert tag_key(one) == tag_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("ёлка", "елка"), ("WCO", "WCO!"), ("Şəki", "Saki"), ("🎉", "🎊"), ("!!!", "???")],
)
def test_names_that_differ_in_more_than_case_are_different_tags(one, other):
    assert tag_key(one) != tag_key(other)


def test_each_tag_stores_its_key(db):
    assert Tag.objects.create(name="Yaşıl  GÖMRÜK").name_key == "yaşil gömrük"


def test_the_key_is_unique_in_the_database(db):
    Tag.objects.create(name="Şəki")
    with pytest.raises(Exception):  # noqa: B017  (IntegrityError, or TransactionManagementError after it)
        Tag.objects.bulk_create([Tag(name="ŞƏKİ", slug="sheki-2")])


# Through the release form and taggit's manager


@pytest.mark.parametrize(
    ("existing", "typed"),
    [("Şəki", "ŞƏKİ"), ("İqtisadiyyat", "IQTISADIYYAT"), ("Ёлка", "ёлка"), ("Straße", "STRASSE"), ("WCO", "ＷＣＯ")],
)
def test_release_form_reuses_the_tag_whatever_its_case_on_every_database(press_client, department, existing, typed):
    Tag.objects.create(name=existing)
    response = press_client.post(RELEASE_ADD, release_form(department, tags=f'"{typed}"'))
    assert response.status_code == 302
    assert list(Release.objects.get().tags.names()) == [existing]
    assert Tag.objects.count() == 1


def test_names_of_one_tag_in_one_input_give_one_tag(press_client, department):
    press_client.post(RELEASE_ADD, release_form(department, tags="WCO, wco, ＷＣＯ, Şəki, ŞƏKİ"))
    # taggit's parser sorts the names: the first of each tag's names names it.
    assert sorted(Release.objects.get().tags.names()) == ["WCO", "ŞƏKİ"]
    assert TaggedRelease.objects.count() == Tag.objects.count() == 2


def test_taggit_manager_resolves_names_and_tags_mixed(make_release):
    kept = Tag.objects.create(name="Green Customs")
    release = make_release(tags=["green customs", kept, "GREEN  CUSTOMS", "Transit"])
    assert sorted(release.tags.names()) == ["Green Customs", "Transit"]
    release.tags.add("TRANSIT", "\x0b")
    release.tags.remove("transit")  # taggit removes by exact name: the stored one is "Transit"
    assert sorted(release.tags.names()) == ["Green Customs", "Transit"]


def test_control_characters_in_a_new_tag_are_cleaned(make_release):
    release = make_release(tags=["Green\x0bCustoms\x1b", "Pro\u00adgramme"])
    assert sorted(release.tags.names()) == ["Green Customs", "Programme"]


def test_a_tag_of_only_control_characters_is_no_tag(press_client, department):
    response = press_client.post(RELEASE_ADD, release_form(department, tags='"\x0b\x0c", "\u200b"'))
    assert response.status_code == 302
    assert Tag.objects.count() == 0


# Quotes and commas in the tag input (taggit's parser)


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("WCO, Green Customs", {"WCO", "Green Customs"}),
        ('"Brussels, Belgium", WCO', {"Brussels, Belgium", "WCO"}),
        ("customs transit", {"customs", "transit"}),
        ('"customs transit"', {"customs transit"}),
        ('"a, b", "c, d", e', {"a, b", "c, d", "e"}),
        ('say "hi" there', {"say", "hi", "there"}),
        ('"unclosed, quote', {"unclosed", "quote"}),
        (",,, ,", set()),
        ('"", ""', set()),
        ('" , "', {","}),
        ("a,b,,c", {"a", "b", "c"}),
    ],
)
def test_quotes_and_commas_in_the_tag_input(press_client, department, typed, names):
    response = press_client.post(RELEASE_ADD, release_form(department, tags=typed))
    assert response.status_code == 302
    assert set(Release.objects.get().tags.names()) == names


@pytest.mark.parametrize(
    "typed", ['"Brussels, Belgium", WCO', '"a, b", "c d", e', '" , "', "x,y", '"Şəki, Bakı", "Ёлка ёлка"']
)
def test_saving_the_change_form_again_keeps_the_tags(press_client, department, typed):
    """The form shows the tags as taggit writes them (names with a comma or a
    space in quotes): posting that back must give the same tags."""
    press_client.post(RELEASE_ADD, release_form(department, tags=typed))
    release = Release.objects.get()
    before = set(release.tags.names())
    response = press_client.post(
        change_url(release),
        release_form(
            department, tags=shown_tags(press_client, release), slug=release.slug, known_version=release.version
        ),
    )
    assert response.status_code == 302
    assert set(release.tags.names()) == before


def test_an_over_long_tag_is_a_form_error(press_client, department):
    response = press_client.post(RELEASE_ADD, release_form(department, tags="WCO, " + "x" * 101))
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("tags", code="tag_too_long")
    assert not Release.objects.exists()
    assert not Tag.objects.exists()


def test_a_tag_of_the_longest_length_is_taken(press_client, department):
    response = press_client.post(RELEASE_ADD, release_form(department, tags="x" * 100))
    assert response.status_code == 302
    assert Tag.objects.get().name == "x" * 100


def test_too_many_tags_is_a_form_error(press_client, department):
    names = ", ".join(f"tag {number}" for number in range(MAX_TAGS_PER_RELEASE + 1))
    response = press_client.post(RELEASE_ADD, release_form(department, tags=names))
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("tags", code="too_many_tags")
    assert not Tag.objects.exists()


def test_nul_in_the_tag_input_is_a_form_error(press_client, department):
    response = press_client.post(RELEASE_ADD, release_form(department, tags="WCO, bad\x00tag"))
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("tags", code="null_characters_not_allowed")
    assert not Tag.objects.exists()


# Tags of punctuation or emoji only


@pytest.fixture
def symbol_tags(make_release):
    release = make_release(title="Celebration", tags=["🎉", "!!!", "???", "«»"])
    return release, {tag.name: tag.slug for tag in Tag.objects.all()}


def test_tags_of_symbols_only_get_fallback_slugs(symbol_tags):
    _release, slugs = symbol_tags
    assert sorted(slugs.values()) == ["tag", "tag-2", "tag-3", "tag-4"]


def test_tags_of_symbols_only_have_working_pages_and_feeds(client, symbol_tags):
    release, slugs = symbol_tags
    tag_page = client.get("/tags/")
    assert tag_page.status_code == 200
    for name in slugs:
        assert name in tag_page.content.decode()
    for name, slug in slugs.items():
        listed = client.get("/releases/", {"tag": slug})
        assert listed.status_code == 200
        assert [card.title for card in listed.context["release_list"]] == [release.title]
        rss = ET.fromstring(client.get(f"/feeds/tags/{slug}/rss/").content)
        assert name in rss.findtext("channel/title")
        assert [item.findtext("title") for item in rss.iter("item")] == [release.title]
        atom = ET.fromstring(client.get(f"/feeds/tags/{slug}/atom/").content)
        assert [entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")] == [release.title]


# The tag admin


def test_tag_admin_refuses_a_name_that_is_an_existing_tag(editor_client):
    existing = Tag.objects.create(name="Şəki")
    response = editor_client.post(TAG_ADD, {"name": "ŞƏKİ", "slug": "sheki-2"})
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("name", code="duplicate_tag")
    assert list(Tag.objects.all()) == [existing]


def test_tag_admin_refuses_a_double_quote_in_a_name(editor_client):
    response = editor_client.post(TAG_ADD, {"name": 'The "Green" programme', "slug": "green"})
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("name", code="quote_in_tag")
    assert not Tag.objects.exists()


def test_tag_admin_refuses_a_slug_that_is_not_ascii(editor_client):
    response = editor_client.post(TAG_ADD, {"name": "Şəki", "slug": "şəki"})
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("slug", code="invalid")


def test_tag_admin_cleans_pasted_names(editor_client):
    response = editor_client.post(TAG_ADD, {"name": "Green\u2028Customs\u200b", "slug": "green-customs"})
    assert response.status_code == 302
    assert Tag.objects.get().name == "Green Customs"


def test_tag_admin_refuses_a_name_of_control_characters_only(editor_client):
    response = editor_client.post(TAG_ADD, {"name": "\x0b\x1b\u200b", "slug": "nothing"})
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("name")
    assert not Tag.objects.exists()


def test_merging_keeps_the_keys_unique(editor_client, make_release):
    make_release(tags=["WCO", "World Customs Organization"])
    tags = Tag.objects.all()
    keep = Tag.objects.get(name="WCO")
    response = editor_client.post(
        TAG_LIST, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [t.pk for t in tags], "apply": 1, "keep": keep.pk}
    )
    assert response.status_code == 302
    assert list(Tag.objects.values_list("name_key", flat=True)) == ["wco"]


@pytest.mark.parametrize(("term", "found"), [("şə", ["Şəki"]), ("ŞƏ", ["Şəki"]), ("İQ", ["İqtisadiyyat"])])
def test_tag_suggestions_fold_every_letter(press_client, make_release, term, found):
    make_release(tags=["Şəki", "İqtisadiyyat", "Saatlı"])  # suggested: tags in use
    assert press_client.get(TAG_SUGGEST, {"term": term}).json() == {"tags": found}


@pytest.mark.parametrize("term", ["\x00", "w\x00", "%", "_", "\\", ".*", "\ud800".encode("utf-8", "surrogatepass")])
def test_tag_suggestions_take_any_term(press_client, term):
    Tag.objects.create(name="WCO")
    response = press_client.get(TAG_SUGGEST, {"term": term})
    assert response.status_code == 200
    assert response.json()["tags"] in ([], ["WCO"])


# Two editors creating the same new tag at the same moment


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_editors_creating_the_same_new_tag_at_once_share_it(django_user_model, department):
    """The first save inserts the tag and pauses before it commits; the
    second looks for the tag, finds none (not committed yet) and inserts it
    too, which waits on the unique key. When the first commits, the second's
    insert fails: it looks again, finds the first one's tag and uses it. No
    server error, one tag, both releases carry it."""
    from django.apps import apps

    from releases.roles import PRESS_STAFF, sync_roles

    sync_roles(apps)  # transactional tests start from empty tables
    press = apps.get_model("auth", "Group").objects.get(name=PRESS_STAFF)
    clients = {}
    for name in ("first", "second"):
        user = django_user_model.objects.create_user(name, f"{name}@example.com", "x", is_staff=True)
        user.groups.add(press)
        clients[name] = Client()
        clients[name].force_login(user)

    inserted, go_on = threading.Event(), threading.Event()
    save = Tag.save

    def first_pauses_after_its_insert(tag, *args, **kwargs):
        save(tag, *args, **kwargs)
        if threading.current_thread().name == "first":
            inserted.set()
            assert go_on.wait(10)

    responses = {}

    def post(name, typed):
        try:
            responses[name] = clients[name].post(
                RELEASE_ADD, release_form(department, title=f"Release of the {name}", tags=typed)
            )
        finally:
            connection.close()

    def waiting_for_a_lock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            return cursor.fetchone()[0] > 0

    with mock.patch.object(Tag, "save", first_pauses_after_its_insert):
        first = threading.Thread(target=post, args=("first", "Green Customs, WCO"), name="first")
        second = threading.Thread(target=post, args=("second", '"GREEN CUSTOMS"'), name="second")
        try:
            first.start()
            assert inserted.wait(10), "the first save never inserted its tag"
            second.start()
            blocked = any(waiting_for_a_lock() or go_on.wait(0.05) for _ in range(100))
            assert blocked, "the second save did not wait on the first one's tag"
        finally:
            go_on.set()
            first.join(10)
            second.join(10)

    assert responses["first"].status_code == responses["second"].status_code == 302
    tag = Tag.objects.get(name_key="green customs")
    assert tag.name == "Green Customs"
    assert sorted(Release.objects.filter(tags=tag).values_list("title", flat=True)) == [
        "Release of the first",
        "Release of the second",
    ]


# The migration that gave tags their key


@pytest.mark.django_db(transaction=True)
def test_migration_merges_tags_that_are_one_and_keys_the_rest(department):
    """Before the key, SQLite let "Şəki" and "ŞƏKİ" be two tags: the
    migration merges them into the older one, whose releases get it."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("releases", "0008_media_roles")]
    # Every app's last migration: going back in releases takes back the
    # migrations of the apps that depend on it, whose tables later tests need.
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldTag, OldRelease, OldLink = (old.get_model("releases", name) for name in ("Tag", "Release", "TaggedRelease"))
    first = OldRelease.objects.create(title="First", slug="first", department_id=department.pk)
    second = OldRelease.objects.create(title="Second", slug="second", department_id=department.pk)
    older = OldTag.objects.create(name="Şəki", slug="sheki")
    newer = OldTag.objects.create(name="ŞƏKİ", slug="sheki-1")
    other = OldTag.objects.create(name="WCO", slug="wco")
    OldLink.objects.create(content_object=first, tag=older)
    OldLink.objects.create(content_object=first, tag=newer)
    OldLink.objects.create(content_object=second, tag=newer)
    OldLink.objects.create(content_object=second, tag=other)

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    assert dict(Tag.objects.values_list("name", "name_key")) == {"Şəki": tag_key("Şəki"), "WCO": "wco"}
    assert sorted(Release.objects.get(slug="first").tags.names()) == ["Şəki"]
    assert sorted(Release.objects.get(slug="second").tags.names()) == ["WCO", "Şəki"]
