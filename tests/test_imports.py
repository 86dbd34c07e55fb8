"""Importing the old site's archive (issue 19): each format from fixtures
written for these tests (tests/fixtures/imports/), run twice; releases,
translations, tags, photos, documents, refusals, old addresses, history, and
what the public sees."""

import csv
import functools
import http.server
import io
import re
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.urls import reverse
from PIL import Image
from reversion.models import Version

from imports.models import ImportedItem, OldAddress
from imports.sources.pages import page_addresses
from releases import events
from releases.announcements import announce_due_releases
from releases.models import AnnouncementMarker, Department, Release, ReleaseDocument, ReleaseImage, Tag, WorkflowEvent
from tests.pictures import camera_exif, image_bytes, minimal_pdf

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
MAPPING = FIXTURES / "mapping.toml"
PUBLISHED, DRAFT = Release.Status.PUBLISHED, Release.Status.DRAFT
WORKFLOW_SIGNALS = [
    events.release_submitted,
    events.release_sent_back,
    events.release_published,
    events.release_scheduled,
    events.release_unscheduled,
    events.release_withdrawn,
    events.release_changed,
    events.release_corrected,
]


def run_import(source, tmp_path, *args, capture=None):
    """Run import_archive; returns (its output, the report's rows as dicts)."""
    report = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.csv"
    out, err = io.StringIO(), io.StringIO()
    call_command("import_archive", str(source), "--report", str(report), *args, stdout=out, stderr=err)
    with open(report, newline="", encoding="utf-8") as file:
        return out.getvalue() + err.getvalue(), list(csv.DictReader(file))


def outcomes(rows):
    return {row["source_id"]: row["outcome"] for row in rows}


def reasons(rows):
    return {row["source_id"]: row["reason"] for row in rows}


@pytest.fixture
def uploads(tmp_path):
    """WordPress's uploads folder: a photo taken with a camera (EXIF with GPS),
    a damaged one, and a PDF."""
    folder = tmp_path / "uploads"
    (folder / "2023" / "06").mkdir(parents=True)
    (folder / "2023" / "05").mkdir(parents=True)
    (folder / "2023" / "06" / "photo.jpg").write_bytes(image_bytes(size=(1600, 1200), exif=camera_exif()))
    (folder / "2023" / "05" / "broken.jpg").write_bytes(image_bytes()[:300])
    (folder / "2023" / "06" / "agenda.pdf").write_bytes(minimal_pdf())
    return folder


@pytest.fixture
def wxr(tmp_path, uploads, django_capture_on_commit_callbacks):
    def run(*args, source=FIXTURES / "wordpress.xml"):
        with django_capture_on_commit_callbacks(execute=True):
            return run_import(source, tmp_path, "--map", str(MAPPING), "--files", str(uploads), *args)

    return run


def release(title):
    return Release.objects.get(title=title)


EN_TITLE = "The 88th session of the WCO Policy Commission is being held"
AZ_TITLE = "Ümumdünya Gömrük Təşkilatının Siyasət Komissiyasının 88-ci sessiyası keçirilir"


# WordPress


def test_wxr_posts_become_releases_by_the_admins_rules(wxr):
    output, rows = wxr()
    english = release(EN_TITLE)
    assert english.status == PUBLISHED and english.language == "en"
    assert english.published_at == datetime(2023, 6, 20, 7, 52, tzinfo=UTC)
    assert english.slug == "wco-session"
    assert english.lead == "The Policy Commission met in Brussels."
    # WordPress's paragraphs made <p>, the script gone (the body's sanitizer).
    assert english.body.startswith("<p>The session opened in Brussels on 19 June.</p>")
    assert "script" not in english.body and "alert" not in english.body
    assert english.department.name == "Press and Public Relations Department"  # renamed by the mapping
    assert sorted(english.tags.names()) == ["Green Customs", "WCO"]
    assert "4 were created" in output


def test_wxr_translations_are_language_versions_of_one_release_sharing_tags(wxr):
    wxr()
    english, azerbaijani = release(EN_TITLE), release(AZ_TITLE)
    assert azerbaijani.language == "az" and azerbaijani.translation_key == english.translation_key
    assert azerbaijani.slug == "umumdunya-gomruk"
    # "ＷＣＯ" is "WCO" by the tag rules; "press service" the mapped department.
    assert list(azerbaijani.tags.names()) == ["WCO"]
    assert Tag.objects.filter(name_key="wco").count() == 1
    assert azerbaijani.department == english.department
    assert Department.objects.count() == 1


def test_wxr_photo_is_cleaned_and_the_pdf_attached(wxr, media_root):
    wxr()
    english = release(EN_TITLE)
    photo = ReleaseImage.objects.get(release=english)
    assert photo.is_lead and photo.alt_text == "Shahin Baghirov speaks at the session"
    assert photo.caption == "The delegation at WCO headquarters"
    stored = Image.open(photo.file.path)
    assert not stored.getexif()  # the camera's GPS position is gone
    assert (photo.width, photo.height) == (1600, 1200)
    assert photo.renditions  # made when the item's transaction committed
    assert Path(photo.file.storage.path(photo.renditions[0].webp_url.split("/media/")[-1])).exists()
    document = ReleaseDocument.objects.get(release=english)
    assert document.format == "pdf" and document.title == "Agenda of the session"


def test_wxr_drafts_stay_drafts_and_pages_and_the_bin_are_passed_over(wxr):
    _output, rows = wxr()
    assert release("A draft about the next session").status == DRAFT
    scheduled = release("Scheduled on the old site")
    assert scheduled.status == DRAFT and scheduled.published_at.year == 2099
    assert outcomes(rows)["post:104"] == "skipped" and outcomes(rows)["post:105"] == "skipped"
    assert not Release.objects.filter(title__in=["Deleted post", "Contacts"]).exists()


def test_wxr_item_with_a_broken_photo_is_refused_with_its_line_and_reason_and_the_rest_goes_on(wxr):
    output, rows = wxr()
    refused = next(row for row in rows if row["source_id"] == "post:106")
    assert refused["outcome"] == "refused"
    assert refused["where"].startswith("line ") and "broken.jpg" in refused["reason"]
    assert "damaged" in refused["reason"]
    assert "Refused line" in output
    assert not Release.objects.filter(title__startswith="Seminar").exists()
    assert Department.objects.count() == 1  # nothing of the refused item is left


def test_wxr_broken_photo_can_be_left_out_instead(wxr):
    _output, rows = wxr("--skip-broken-files")
    assert outcomes(rows)["post:106"] == "created"
    assert "left out" in reasons(rows)["post:106"]
    assert not release("Seminar on electronic declarations in Ganja").images.exists()


def test_wxr_run_twice_changes_nothing_the_second_time(wxr):
    wxr()
    counts = (
        Release.objects.count(),
        ReleaseImage.objects.count(),
        OldAddress.objects.count(),
        Version.objects.count(),
    )
    _output, rows = wxr()
    assert {row["outcome"] for row in rows} == {"unchanged", "refused", "skipped"}
    assert counts == (
        Release.objects.count(),
        ReleaseImage.objects.count(),
        OldAddress.objects.count(),
        Version.objects.count(),
    )


def test_wxr_changed_item_is_updated_in_place_with_a_new_revision(wxr, tmp_path):
    wxr()
    english = release(EN_TITLE)
    photo_id = english.images.get().pk
    changed = tmp_path / "changed.xml"
    text = (FIXTURES / "wordpress.xml").read_text().replace("took part.", "took part in the session.")
    changed.write_text(text.replace("<title>A draft about", "<title>Now: a draft about"))
    _output, rows = wxr(source=changed)
    assert outcomes(rows)["post:101"] == "updated" and outcomes(rows)["post:103"] == "updated"
    assert outcomes(rows)["post:102"] == "unchanged"
    english.refresh_from_db()
    assert "took part in the session." in english.body
    assert english.images.get().pk == photo_id  # the files did not change: kept
    versions = list(Version.objects.get_for_object(english).order_by("pk"))
    assert len(versions) == 2 and versions[1].revision.comment.startswith("Updated by an import")


@pytest.mark.parametrize(
    "change", ["<wp:status><![CDATA[draft]]>", "<wp:post_date_gmt><![CDATA[2099-06-20 07:52:00]]>"]
)
def test_wxr_item_no_longer_public_at_the_source_stays_public_here(wxr, tmp_path, change):
    """Only the workflow takes a public release off the site (withdrawn, so
    that alerts, webhooks and syncing clients learn it): a re-import whose
    source unpublished the item, or moved its date ahead, changes its text
    and says so in the report, but not its status nor its time."""
    wxr()
    english = release(EN_TITLE)
    published_at = english.published_at
    text = (FIXTURES / "wordpress.xml").read_text()
    first_item = text.index("<wp:post_id>101</wp:post_id>")
    old = (
        "<wp:status><![CDATA[publish]]>" if "status" in change else "<wp:post_date_gmt><![CDATA[2023-06-20 07:52:00]]>"
    )
    at = text.index(old, first_item)
    changed = tmp_path / "unpublished.xml"
    changed.write_text((text[:at] + change + text[at + len(old) :]).replace("took part.", "took part in it."))
    _output, rows = wxr(source=changed)
    assert outcomes(rows)["post:101"] == "updated"
    assert "kept public" in reasons(rows)["post:101"]
    english.refresh_from_db()
    assert english.is_published and english.published_at == published_at
    assert "took part in it." in english.body


def test_wxr_interrupted_import_resumes_without_duplicates(wxr):
    wxr("--limit", "2")
    assert Release.objects.count() == 2
    _output, rows = wxr()
    assert Release.objects.count() == 4
    assert list(outcomes(rows).values()).count("unchanged") == 2
    assert ImportedItem.objects.count() == 4


def test_wxr_since_leaves_out_older_items(wxr):
    _output, rows = wxr("--since", "2023-06-01")
    assert "post:106" not in outcomes(rows)  # 10 May


def test_wxr_dry_run_changes_nothing(wxr, media_root):
    output, rows = wxr("--dry-run")
    assert "would be created" in output
    assert re.search(rf"Would create /releases/wco-session/ from line \d+ \(post 101\): {EN_TITLE}", output)
    assert outcomes(rows)["post:101"] == "created" and outcomes(rows)["post:106"] == "refused"
    assert not Release.objects.exists() and not Tag.objects.exists() and not Department.objects.exists()
    assert not OldAddress.objects.exists() and not ImportedItem.objects.exists()
    assert not [path for path in (media_root / "media").rglob("*") if path.is_file()]


def test_imported_releases_get_an_initial_revision_saying_where_they_came_from(wxr):
    wxr()
    english = release(EN_TITLE)
    version = Version.objects.get_for_object(english).get()
    assert version.revision.comment.startswith("Imported from old.customs.example, line ")
    assert version.field_dict["title"] == EN_TITLE
    assert Version.objects.get_for_object(english.department).count() == 1


def test_an_import_sends_no_workflow_signal_but_the_page_cache_hears_of_it(wxr):
    heard = []

    def listener(signal):
        def receiver(sender, **kwargs):
            heard.append(signal)

        return receiver

    receivers = {signal: listener(signal) for signal in [*WORKFLOW_SIGNALS, events.public_content_changed]}
    for signal, receiver in receivers.items():
        signal.connect(receiver)
    try:
        wxr()
    finally:
        for signal, receiver in receivers.items():
            signal.disconnect(receiver)
    assert events.public_content_changed in heard
    assert not [signal for signal in heard if signal in WORKFLOW_SIGNALS]


# Old addresses


def test_old_addresses_answer_301_to_their_release(wxr, client):
    wxr()
    english = release(EN_TITLE)
    response = client.get("/en/2023/06/20/wco-session/")
    assert response.status_code == 301 and response["Location"] == english.get_absolute_url()
    # Without the slash, and with tracking parameters the old links carried.
    response = client.get("/en/2023/06/20/wco-session?utm_source=mail")
    assert response.status_code == 301 and response["Location"] == english.get_absolute_url()
    assert client.get("/az/2023/06/20/umumdunya-gomruk/")["Location"] == release(AZ_TITLE).get_absolute_url()


def test_old_addresses_of_drafts_and_unknown_addresses_answer_404(wxr, client):
    wxr()
    assert client.get("/en/2099/01/01/later/").status_code == 404
    assert client.get("/en/2023/06/20/no-such-post/").status_code == 404


def test_old_address_lookup_costs_one_query_and_served_pages_none(wxr, client, django_assert_num_queries):
    wxr()
    english = release(EN_TITLE)
    with django_assert_num_queries(1):
        assert client.get("/az/no/such/address").status_code == 404
    with django_assert_num_queries(1):
        assert client.get("/en/2023/06/20/wco-session/").status_code == 301
    OldAddress.objects.create(path=english.get_absolute_url(), release=release(AZ_TITLE))
    response = client.get(english.get_absolute_url())
    assert response.status_code == 200  # the site's own page wins: the old addresses are not read


def test_an_unknown_address_is_a_404_while_the_database_is_down(client):
    with mock.patch.object(OldAddress.objects, "for_request", side_effect=OperationalError("server closed")):
        assert client.get("/robots.txt/old/page").status_code == 404


def test_imported_releases_are_public_as_the_admins_are(wxr, client):
    wxr()
    assert AZ_TITLE not in client.get("/ru/releases/").content.decode()
    with_english = client.get("/releases/").content.decode()
    assert EN_TITLE in with_english
    assert "A draft about the next session" not in with_english
    assert client.get(release(EN_TITLE).get_absolute_url()).status_code == 200
    assert client.get(release("A draft about the next session").get_absolute_url()).status_code == 404


# RSS and Atom


def test_rss_items_become_releases_and_an_unreadable_date_is_refused(tmp_path, django_capture_on_commit_callbacks):
    files = tmp_path / "feedfiles"
    (files / "uploads").mkdir(parents=True)
    (files / "uploads" / "501.jpg").write_bytes(image_bytes())
    args = ("--map", str(MAPPING), "--files", str(files))
    with django_capture_on_commit_callbacks(execute=True):
        _output, rows = run_import(FIXTURES / "feed.rss", tmp_path, *args)
    item = Release.objects.get(language="ru")
    assert item.title == "Таможенники провели семинар в Гяндже" and item.status == PUBLISHED
    assert item.published_at == datetime(2023, 5, 10, 6, 0, tzinfo=UTC)
    # <b> and <img> are not the body's (releases/richtext.py): their text stays.
    assert item.body == "<p>Семинар прошёл успешно.</p>"
    assert item.lead == "Семинар об электронной декларации."
    assert sorted(item.tags.names()) == ["Семинары", "Электронная таможня"]
    assert item.images.count() == 1
    assert outcomes(rows)["https://news.customs.example/ru/news/502"] == "refused"
    assert OldAddress.objects.get(path="/ru/news/501").release == item
    _output, rows = run_import(FIXTURES / "feed.rss", tmp_path, *args)
    assert outcomes(rows)["https://news.customs.example/ru/news/501"] == "unchanged"
    assert Release.objects.count() == 1


def test_rss_photos_from_a_host_not_allowed_refuse_the_item(tmp_path):
    _output, rows = run_import(FIXTURES / "feed.rss", tmp_path, "--map", str(MAPPING))
    reason = reasons(rows)["https://news.customs.example/ru/news/501"]
    assert "news.customs.example is not an allowed host" in reason
    assert not Release.objects.exists()


def test_a_feed_address_is_fetched_only_from_an_allowed_host(tmp_path):
    with pytest.raises(Exception, match="allowed with --allow-host"):
        run_import("https://feeds.example/rss", tmp_path)


def test_atom_entries_become_releases_in_their_language(tmp_path):
    _output, rows = run_import(FIXTURES / "feed.atom", tmp_path, "--map", str(MAPPING))
    english = Release.objects.get(language="en")
    assert english.title == "New border post opens at Astara" and english.lead == "A new post opened."
    assert english.body == "<p>The post at Astara opened on 21 June.</p>"
    assert english.published_at == datetime(2023, 6, 21, 6, 0, tzinfo=UTC)
    assert list(english.tags.names()) == ["Border posts"]
    assert Release.objects.get(language="ru").title == "Открыт новый пост в Астаре"
    assert ImportedItem.objects.filter(source="old.customs.example").count() == 2  # the mapping's name
    _output, rows = run_import(FIXTURES / "feed.atom", tmp_path, "--map", str(MAPPING))
    assert set(outcomes(rows).values()) == {"unchanged"}


# CSV


@pytest.fixture
def spreadsheet(tmp_path):
    folder = tmp_path / "sheet"
    (folder / "photos").mkdir(parents=True)
    shutil.copy(FIXTURES / "releases.csv", folder / "releases.csv")
    (folder / "photos" / "post.jpg").write_bytes(image_bytes(exif=camera_exif()))
    return folder / "releases.csv"


def test_csv_rows_become_releases_with_translations_tags_and_photos(spreadsheet, tmp_path, client):
    _output, rows = run_import(spreadsheet, tmp_path, "--map", str(MAPPING))
    azerbaijani, english = (
        Release.objects.get(title__startswith="Naxçıvanda"),
        Release.objects.get(title__startswith="A new customs"),
    )
    assert azerbaijani.translation_key == english.translation_key
    assert english.published_at == datetime(2023, 3, 1, 6, 5, tzinfo=UTC)  # naive: Baku time
    assert azerbaijani.body == "<p>Yeni post <em>açılıb</em>.</p>"
    # "İQTİSADİYYAT" and "iqtisadiyyat" are one tag by the tag rules.
    assert Tag.objects.filter(name_key="iqtisadiyyat").count() == 1
    assert set(english.tags.names()) == {"Customs posts", "İQTİSADİYYAT"}
    assert azerbaijani.images.count() == 1 and not english.images.exists()
    assert Release.objects.get(title="Unfinished text").status == DRAFT
    assert Department.objects.get().name == "Press and Public Relations Department"
    assert client.get("/index.php?id=1234&lang=az")["Location"] == azerbaijani.get_absolute_url()
    assert client.get("/index.php?id=1234&lang=en")["Location"] == english.get_absolute_url()
    assert client.get("/index.php?id=1235&lang=en").status_code == 404  # a draft


def test_csv_refusals_name_the_line_and_the_reason(spreadsheet, tmp_path):
    _output, rows = run_import(spreadsheet, tmp_path, "--map", str(MAPPING))
    by_id = {row["source_id"]: row for row in rows}
    assert by_id["1236-en"]["outcome"] == "refused" and "31/02/2023" in by_id["1236-en"]["reason"]
    assert by_id["1236-en"]["where"] == "line 5"
    assert "missing.jpg: not found" in by_id["1237-en"]["reason"]
    assert "passwd: not found" in by_id["1238-en"]["reason"]  # never read outside the folders given
    _output, rows = run_import(spreadsheet, tmp_path, "--map", str(MAPPING))
    assert outcomes(rows)["1234-az"] == "unchanged" and Release.objects.count() == 3


def test_csv_rows_with_one_id_import_the_first_and_refuse_the_next(tmp_path):
    sheet = tmp_path / "twice.csv"
    sheet.write_text("id,title,published_at\n7,First,2023-01-01 10:00\n7,Second,2023-01-02 10:00\n")
    _output, rows = run_import(sheet, tmp_path, "--map", str(MAPPING), "--language", "en")
    assert [row["outcome"] for row in rows] == ["created", "refused"]
    assert "the identity 7 of an item before it" in rows[1]["reason"]
    assert list(Release.objects.values_list("title", flat=True)) == ["First"]


def test_csv_without_a_department_is_refused_without_a_mapping(spreadsheet, tmp_path):
    blank = tmp_path / "blank.csv"
    blank.write_text("id,title,published_at\n1,Title,2023-01-01 10:00\n")
    _output, rows = run_import(blank, tmp_path, "--language", "en")
    assert "default_department" in reasons(rows)["1"]


# A saved copy of the old site


@pytest.fixture
def saved_site(tmp_path):
    folder = tmp_path / "old.customs.example"
    shutil.copytree(FIXTURES / "site", folder)
    (folder / "uploads").mkdir()
    (folder / "uploads" / "1234.jpg").write_bytes(image_bytes(size=(1200, 900), exif=camera_exif()))
    (folder / "uploads" / "broken.jpg").write_bytes(b"<html>not a photo</html>")
    # An old Russian page, in the encoding its <meta> declares.
    (folder / "ru" / "news" / "1250.html").write_bytes(
        '<html lang="ru"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>'
        '<body><article class="news"><h1>Таможня в Астаре</h1><p class="date">01.07.2023</p>'
        '<div class="text"><p>Текст.</p></div></article></body></html>'.encode("cp1251")
    )
    return folder


def test_html_pages_become_releases_by_the_mappings_selectors(saved_site, tmp_path, client):
    _output, rows = run_import(saved_site, tmp_path, "--map", str(MAPPING))
    azerbaijani = Release.objects.get(language="az")
    english = Release.objects.get(language="en")
    assert azerbaijani.title == "WCO sessiyası Brüsseldə keçirilir"
    assert azerbaijani.published_at == datetime(2023, 6, 20, 7, 52, tzinfo=UTC)  # "20 iyun 2023 11:52", Baku
    assert azerbaijani.lead == "Sessiya Brüsseldə açılıb."
    assert azerbaijani.body == "<p>Nümayəndə heyətinə Şahin Bağırov rəhbərlik edir.</p><p>İkinci abzas.</p>"
    assert "script" not in english.body
    # The shared number in the address links the translations.
    assert azerbaijani.translation_key == english.translation_key
    assert list(azerbaijani.tags.names()) == ["WCO"]  # "Köhnə" dropped by the mapping
    assert set(english.tags.names()) == {"WCO", "Green Customs"}
    assert azerbaijani.images.get().alt_text == "Şahin Bağırov çıxış edir"
    assert outcomes(rows)["/az/news/"] == "skipped"
    assert "not in the mapping's format" in reasons(rows)["/ru/news/1240.html"]
    assert "broken.jpg" in reasons(rows)["/ru/news/1241.html"]
    assert client.get("/az/news/1234.html")["Location"] == azerbaijani.get_absolute_url()
    # The address before wget's --adjust-extension added ".html".
    assert client.get("/az/news/1234")["Location"] == azerbaijani.get_absolute_url()
    assert Release.objects.get(language="ru").title == "Таможня в Астаре"
    _output, rows = run_import(saved_site, tmp_path, "--map", str(MAPPING))
    assert outcomes(rows)["/az/news/1234.html"] == "unchanged" and Release.objects.count() == 3


# The admin


def test_old_addresses_list_in_the_admin_costs_the_same_whatever_their_number(
    wxr, admin_client, django_assert_max_num_queries
):
    wxr()
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:imports_oldaddress_changelist"))
    assert response.status_code == 200 and "/en/2023/06/20/wco-session" in response.content.decode()
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:imports_importeditem_changelist")).status_code == 200


def test_an_old_address_is_added_in_the_admin(wxr, admin_client, client):
    wxr()
    english = release(EN_TITLE)
    response = admin_client.post(
        reverse("admin:imports_oldaddress_add"), {"path": "/press/88-session.html", "query": "", "release": english.pk}
    )
    assert response.status_code == 302
    assert client.get("/press/88-session.html")["Location"] == english.get_absolute_url()


# Checking every old address


def test_check_old_addresses_lists_those_that_do_not_answer_301(wxr):
    wxr()
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 old addresses do not answer"):
        call_command("check_old_addresses", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "404 /en/2099/01/01/later -> -  (its release is not public: a draft or scheduled)"
    assert lines[-1] == "3 old addresses checked: 2 answer 301 to their release, 1 do not."


def test_check_old_addresses_passes_when_every_address_answers(wxr):
    wxr()
    release("Scheduled on the old site").old_addresses.all().delete()
    out = io.StringIO()
    call_command("check_old_addresses", "--all", "--source", "old.customs.example", stdout=out)
    assert f"301 /en/2023/06/20/wco-session -> {release(EN_TITLE).get_absolute_url()}" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_check_old_addresses_over_http_asks_for_addresses_with_any_letters(live_server, make_release):
    """--site sends each address percent-encoded: kept decoded, one with
    Azerbaijani letters or a space made urllib raise (not an OSError)."""
    public = make_release(title="Gömrük xəbərləri")
    OldAddress.objects.create(path="/az/xəbərlər/gömrük 1", release=public)
    OldAddress.objects.create(path="/index.php", query="id=5&lang=az", release=public)
    out = io.StringIO()
    call_command("check_old_addresses", "--all", "--site", live_server.url, stdout=out)
    assert f"301 /az/xəbərlər/gömrük 1 -> {public.get_absolute_url()}" in out.getvalue()
    assert out.getvalue().splitlines()[-1] == "2 old addresses checked: 2 answer 301 to their release, 0 do not."


# Bad input to the command


def test_a_mapping_with_an_unknown_key_stops_the_import_before_it_starts(tmp_path):
    mapping = tmp_path / "bad.toml"
    mapping.write_text('defualt_department = "Press"\n')
    with pytest.raises(CommandError, match="unknown keys in the mapping: defualt_department"):
        run_import(FIXTURES / "feed.atom", tmp_path, "--map", str(mapping))


def test_a_csv_with_an_unknown_column_stops_the_import_before_it_starts(tmp_path):
    sheet = tmp_path / "odd.csv"
    sheet.write_text("title,headline\nA,B\n")
    with pytest.raises(CommandError, match="unknown columns headline"):
        run_import(sheet, tmp_path)
    assert not Release.objects.exists()


@pytest.mark.parametrize("args", [["--since", "yesterday"], ["--since", "2023-02-31"], ["--limit", "0"]])
def test_bad_options_are_refused(tmp_path, args):
    with pytest.raises(CommandError, match="--since|--limit"):
        run_import(FIXTURES / "feed.atom", tmp_path, *args)


def test_a_missing_source_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="nowhere.xml: No such file"):
        run_import(tmp_path / "nowhere.xml", tmp_path)


def test_an_item_costs_a_fixed_number_of_queries(tmp_path, django_assert_max_num_queries):
    """What the import's pace rests on: a new item with four tags (two of
    them new) and an old address costs the same number of queries however
    many came before it (fewer than forty: the tags' links in one insert, the
    tags met before not looked up again, the revision's tags read at once),
    and a second run reads its items a batch at a time."""
    rows = ["id,title,published_at,language,tags,department,old_address"]
    rows += [f'{n},Title {n},2023-01-0{n} 10:00,en,"a{n}, b{n}, c, d",Press,/news/{n}' for n in range(1, 8)]
    sheet = tmp_path / "many.csv"
    sheet.write_text("\n".join(rows) + "\n")
    run_import(sheet, tmp_path, "--limit", "2")
    with django_assert_max_num_queries(400) as one_new:
        run_import(sheet, tmp_path, "--limit", "3")
    with django_assert_max_num_queries(400) as four_new:
        run_import(sheet, tmp_path)
    # The setup's and the batch's reads, and on PostgreSQL the setting of
    # synchronous_commit and its reset.
    setup = 3 + 2 * (connection.vendor == "postgresql")
    assert len(four_new) - len(one_new) == 3 * (len(one_new) - setup)
    assert len(one_new) - setup <= 38
    with django_assert_max_num_queries(setup):
        run_import(sheet, tmp_path)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
def test_a_long_import_renews_the_planner_statistics_as_its_tables_grow(tmp_path, monkeypatch):
    """After its first ANALYZE_FIRST items written and each time they double
    (here 2, then 4): a plan made for small tables would make each item scan
    every row written before it."""
    from django.test.utils import CaptureQueriesContext

    from imports import importer

    monkeypatch.setattr(importer, "ANALYZE_FIRST", 2)
    rows = ["id,title,published_at,language,tags,department"]
    rows += [f'{n},Title {n},2023-01-0{n} 10:00,en,"a{n}",Press' for n in range(1, 6)]
    sheet = tmp_path / "five.csv"
    sheet.write_text("\n".join(rows) + "\n")
    with CaptureQueriesContext(connection) as queries:
        run_import(sheet, tmp_path)
    analyses = [query["sql"] for query in queries if query["sql"].startswith("ANALYZE")]
    assert len(analyses) == 2
    assert '"reversion_version"' in analyses[0] and '"releases_release"' in analyses[0]
    with CaptureQueriesContext(connection) as again:
        run_import(sheet, tmp_path)  # nothing written: nothing to analyse
    assert not [query for query in again if query["sql"].startswith("ANALYZE")]


def test_an_old_address_typed_again_otherwise_is_a_form_error(wxr, admin_client):
    wxr()
    response = admin_client.post(
        reverse("admin:imports_oldaddress_add"),
        {"path": "/en/2023/06/20/wco-session/", "query": "", "release": release(AZ_TITLE).pk},
    )
    assert response.status_code == 200
    assert "This address already leads to a release." in response.content.decode()


def test_imported_releases_are_not_announced_as_news_whatever_their_time(tmp_path, frozen_now):
    """An office imports the old site's latest items after Pressroom was set
    up: the periodic announcement, whose marker is older than them, must not
    send them out as new releases (alerts, webhooks)."""
    AnnouncementMarker.objects.update_or_create(pk=1, defaults={"announced_up_to": datetime(2023, 1, 1, tzinfo=UTC)})
    run_import(FIXTURES / "feed.atom", tmp_path, "--map", str(MAPPING))
    english = Release.objects.get(language="en")
    assert english.is_published
    assert english.workflow_events.get().action == WorkflowEvent.Action.PUBLISHED
    assert announce_due_releases() == []


# Fetching from an allowed host


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def old_site_server(tmp_path):
    """The old site, served on a port of this test's own: a feed and a photo."""
    folder = tmp_path / "served"
    (folder / "uploads").mkdir(parents=True)
    (folder / "uploads" / "photo.jpg").write_bytes(image_bytes(exif=camera_exif()))
    port = 17221
    feed = (
        (FIXTURES / "feed.atom")
        .read_text()
        .replace(
            '<category term="border" label="Border posts"/>',
            f'<link rel="enclosure" type="image/jpeg" href="http://127.0.0.1:{port}/uploads/photo.jpg"/>',
        )
    )
    (folder / "feed.atom").write_text(feed)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_a_feed_and_its_photos_are_fetched_from_an_allowed_host(old_site_server, tmp_path):
    address = f"{old_site_server}/feed.atom"
    args = ("--map", str(MAPPING), "--allow-host", "127.0.0.1")
    _output, rows = run_import(address, tmp_path, *args)
    english = Release.objects.get(language="en")
    assert english.images.count() == 1 and english.images.get().width == 800
    assert set(outcomes(rows).values()) == {"created"}


@pytest.mark.parametrize(
    "saved, addresses",
    [
        ("news/1234.html", ["/news/1234.html", "/news/1234"]),
        ("news/index.html", ["/news/"]),
        ("index.php?id=12&lang=ru.html", ["/index.php?id=12&lang=ru"]),
        ("index.php?id=12", ["/index.php?id=12"]),
    ],
)
def test_a_saved_pages_old_addresses_follow_wgets_names(saved, addresses):
    assert page_addresses(PurePosixPath(saved)) == addresses


@pytest.mark.parametrize("address", ["/news/%00/", "/index.php?id=%00", "/index.php?%00=1"])
def test_an_address_with_a_nul_is_not_found_not_an_error(client, address):
    """PostgreSQL refuses a NUL in a query: such an address is no old one."""
    assert client.get(address).status_code == 404
