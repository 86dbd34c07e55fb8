"""Images in the body of an imported item (issue 19; imports/bodies.py): the
body's sanitizer keeps no images, so each becomes a photo of the release,
cleaned like an upload, and the report says so; from a WordPress export, a
feed, a CSV and a saved page."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from imports.bodies import take_photos
from imports.models import ImportedItem
from releases.models import Release, ReleaseImage
from tests.pictures import camera_exif, image_bytes

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"


def run_import(source, tmp_path, *args):
    report = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.csv"
    call_command(
        "import_archive", str(source), "--report", str(report), *args, stdout=io.StringIO(), stderr=io.StringIO()
    )
    with open(report, newline="", encoding="utf-8") as file:
        return {row["source_id"]: row for row in csv.DictReader(file)}


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2023" / "06"
    folder.mkdir(parents=True)
    (folder / "photo.jpg").write_bytes(image_bytes(size=(1600, 1200), exif=camera_exif()))
    (folder / "photo-300x225.jpg").write_bytes(image_bytes(size=(300, 225)))
    (folder / "ribbon.jpg").write_bytes(image_bytes(size=(1200, 800), exif=camera_exif()))
    (folder / "ribbon-300x200.jpg").write_bytes(image_bytes(size=(300, 200)))
    return tmp_path / "uploads"


def import_wxr(tmp_path, uploads, *args):
    return run_import(
        FIXTURES / "body-images.xml", tmp_path, "--files", str(uploads), "--language", "en",
        "--map", str(FIXTURES / "mapping.toml"), *args,
    )  # fmt: skip


def photos(title):
    return list(ReleaseImage.objects.filter(release__title=title).order_by("order"))


def test_body_images_become_photos_of_the_release_after_its_own(
    tmp_path, uploads, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = import_wxr(tmp_path, uploads, "--skip-broken-files")
    astara = Release.objects.get(title="A new border post opens at Astara")
    featured, ribbon = photos(astara.title)
    # The featured photo leads; the body's smaller copy of it is not taken twice.
    assert featured.is_lead and featured.alt_text == "The new post at Astara"
    # The [caption]'s photo: the upload itself rather than its smaller copy,
    # with its caption; its camera's EXIF gone, renditions made.
    assert (ribbon.width, ribbon.height) == (1200, 800) and not ribbon.is_lead
    assert ribbon.alt_text == "The Chairman cuts the ribbon" and ribbon.caption == "The opening ceremony"
    assert not Image.open(ribbon.file.path).getexif() and ribbon.renditions
    # The body keeps its text, with neither the images nor the empty link,
    # paragraph or caption that held them.
    body = " ".join(astara.body.split())
    assert body == "<p>The post opened on 21 June.</p> <p>Trucks now cross in minutes.</p>"
    note = rows["post:301"]["reason"]
    assert "1 image(s) of the body made photos of the release" in note and "left out" in note and "missing.jpg" in note


def test_a_body_image_alone_leads(tmp_path, uploads, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_wxr(tmp_path, uploads, "--skip-broken-files")
    (photo,) = photos("The Chairman visits the Balakan post")
    assert photo.is_lead and photo.alt_text == "At the post"
    assert (
        Release.objects.get(title="The Chairman visits the Balakan post").body == "<p>The Chairman met the staff.</p>"
    )


def test_a_body_image_not_found_refuses_the_item_as_a_photo_would(tmp_path, uploads):
    rows = import_wxr(tmp_path, uploads)
    assert rows["post:301"]["outcome"] == "refused" and "missing.jpg" in rows["post:301"]["reason"]
    assert rows["post:302"]["outcome"] == "created"


def test_a_second_run_leaves_items_with_body_images_unchanged(tmp_path, uploads, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_wxr(tmp_path, uploads, "--skip-broken-files")
        rows = import_wxr(tmp_path, uploads, "--skip-broken-files")
    assert {row["outcome"] for row in rows.values()} == {"unchanged"}
    assert ReleaseImage.objects.count() == 3


def test_csv_body_images_are_paths_beside_the_file(tmp_path, media_root, django_capture_on_commit_callbacks):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "seminar.jpg").write_bytes(image_bytes(size=(800, 600)))
    sheet = tmp_path / "releases.csv"
    sheet.write_text(
        "id,title,body,published_at,language,department\n"
        '1,A seminar,"<p>It went well.</p><figure><img src=""photos/seminar.jpg"" alt=""The hall"">'
        '<figcaption>The hall in Ganja</figcaption></figure>",2023-05-10 10:00+04:00,en,Press\n'
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_import(sheet, tmp_path)
    (photo,) = photos("A seminar")
    assert photo.alt_text == "The hall" and photo.caption == "The hall in Ganja"
    assert Release.objects.get().body == "<p>It went well.</p>"


def test_a_feeds_body_image_that_is_its_enclosure_is_one_photo(
    tmp_path, media_root, django_capture_on_commit_callbacks
):
    (tmp_path / "files" / "uploads").mkdir(parents=True)
    (tmp_path / "files" / "uploads" / "501.jpg").write_bytes(image_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        run_import(FIXTURES / "feed.rss", tmp_path, "--files", str(tmp_path / "files"),
                   "--map", str(FIXTURES / "mapping.toml"))  # fmt: skip
    item = ImportedItem.objects.get(source_id="https://news.customs.example/ru/news/501").release
    assert item.images.count() == 1


def test_a_saved_pages_body_image_is_read_from_the_saved_copy(tmp_path, media_root, django_capture_on_commit_callbacks):
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    (site / "uploads").mkdir()
    (site / "uploads" / "visit.jpg").write_bytes(image_bytes(size=(640, 480)))
    (site / "news" / "7.html").write_text(
        '<html lang="en"><body><article><h1>A visit</h1><p class="date">20.06.2023</p>'
        '<div class="text"><p>The visit began.</p><p><img src="../uploads/visit.jpg" alt="The guests"></p></div>'
        "</article></body></html>"
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'default_department = "Press"\n[html]\narticle = "article"\ntitle = "h1"\ndate = ".date"\n'
        'date_format = "%d.%m.%Y"\nbody = ".text"\nlanguage = "html@lang"\n'
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_import(site, tmp_path, "--map", str(mapping))
    (photo,) = photos("A visit")
    assert photo.alt_text == "The guests" and photo.width == 640
    assert "img" not in Release.objects.get().body and "The visit began." in Release.objects.get().body


def test_bodies_without_images_are_left_as_they_are():
    body = "<p>Text &amp; <b>more</b></p>"
    assert take_photos(body, str) == (body, [])
