"""Photos (issue 5): what uploads are accepted and refused, judged by their
content; the stored original upright and without metadata; renditions; files
that follow their rows; the gallery in the admin; images on public pages; query
counts. Every image is made with Pillow here (tests/pictures.py)."""

import io
import json
import re
from datetime import timedelta

import html5lib
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageCms

from releases.admin.media import ReleaseImageForm
from releases.images import make_renditions, prepare_image
from releases.models import Event, EventCover, Release, ReleaseImage
from tests import pictures
from tests.pictures import image_bytes, prepared_image, upload
from tests.test_views import NARROWING_QUERIES

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp|gif)")


# Helpers


def media_files(settings):
    """Every file under MEDIA_ROOT, as names relative to it."""
    root = settings.MEDIA_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def opened(name):
    with default_storage.open(name) as file:
        picture = Image.open(io.BytesIO(file.read()))
        picture.load()
        return picture


def refusal(content, name="photo.jpg"):
    with pytest.raises(ValidationError) as caught:
        prepare_image(upload(content, name))
    return caught.value


def parse(response):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block leaves for the commit (writing
    and deleting files) as a real commit would, at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def add_image(committed):
    """add_image(release, prepared=None, **fields): a stored photo of `release`,
    its files written."""

    def add(release, prepared=None, **fields):
        fields.setdefault("alt_text", "The delegation in Brussels.")
        image = ReleaseImage(release=release, **fields)
        image.attach(prepared or prepared_image())
        with committed():
            image.save()
        return image

    return add


# Accepted uploads: judged by content, stored re-encoded


@pytest.mark.parametrize(("kind", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")])
def test_each_accepted_format_is_stored_as_itself(kind, extension):
    prepared = prepare_image(upload(image_bytes(kind, (320, 240)), f"chart.{extension}"))
    assert (prepared.format, prepared.extension, prepared.width, prepared.height) == (kind, extension, 320, 240)
    assert Image.open(io.BytesIO(prepared.content)).format == kind


def test_the_format_comes_from_the_content_never_the_name():
    prepared = prepare_image(upload(image_bytes("PNG"), "holiday.jpg"))
    assert prepared.format == "PNG"
    assert prepared.generated_name().endswith(".png")


def test_portrait_photo_is_stored_upright():
    prepared = prepare_image(upload(pictures.portrait_jpeg_taken_sideways(), "portrait.jpg"))
    assert (prepared.width, prepared.height) == (900, 1200)
    picture = Image.open(io.BytesIO(prepared.content)).convert("RGB")
    # The blue block of the top left corner, turned 90° clockwise, is now top right.
    assert picture.getpixel((890, 10))[2] > 200
    assert picture.getpixel((10, 10))[0] > 150


def test_stored_original_keeps_no_exif_gps_or_camera_serial():
    prepared = prepare_image(upload(pictures.portrait_jpeg_taken_sideways(), "portrait.jpg"))
    picture = Image.open(io.BytesIO(prepared.content))
    assert dict(picture.getexif()) == {}
    assert "exif" not in picture.info
    for trace in (b"Exif", pictures.SERIAL.encode(), b"PressCam"):
        assert trace not in prepared.content


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_metadata_too(kind):
    content = image_bytes(kind, (300, 200), exif=pictures.camera_exif(orientation=6))
    prepared = prepare_image(upload(content, "photo"))
    assert (prepared.width, prepared.height) == (200, 300)
    assert pictures.SERIAL.encode() not in prepared.content
    assert dict(Image.open(io.BytesIO(prepared.content)).getexif()) == {}


def test_xmp_metadata_is_dropped():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="50,50N"/></rdf:RDF>'
    prepared = prepare_image(upload(image_bytes("JPEG", xmp=xmp + b"</x:xmpmeta>")))
    assert b"GPSLatitude" not in prepared.content


def test_colour_profile_is_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    prepared = prepare_image(upload(image_bytes("JPEG", icc_profile=profile)))
    assert Image.open(io.BytesIO(prepared.content)).info.get("icc_profile") == profile


def test_html_after_a_complete_png_is_not_stored():
    prepared = prepare_image(upload(image_bytes("PNG", (50, 50)) + pictures.HTML_PAGE, "chart.png"))
    assert b"<script>" not in prepared.content


# Refused uploads, each with its reason


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (pictures.SVG_WITH_SCRIPT, "drawing.svg", "not_an_image"),
        (pictures.HTML_PAGE, "page.html", "not_an_image"),
        (pictures.png_header(100, 100) + pictures.HTML_PAGE, "chart.png", "not_an_image"),
        (b"Minutes of the meeting, renamed.", "minutes.jpg", "not_an_image"),
        (image_bytes("BMP", (10, 10)), "scan.bmp", "not_an_image"),
        (image_bytes("JPEG", (800, 600))[:2500], "cut-short.jpg", "damaged"),
        (image_bytes("PNG", (800, 600))[:300], "cut-short.png", "damaged"),
        (b"", "empty.jpg", "empty"),
    ],
    ids=[
        "svg-with-script",
        "html",
        "png-header-then-html",
        "renamed-text",
        "bmp",
        "truncated-jpeg",
        "truncated-png",
        "empty",
    ],
)
def test_upload_is_refused(content, name, code):
    error = refusal(content, name)
    assert error.code == code
    assert name in error.messages[0]


def test_svg_refusal_says_what_is_accepted():
    message = refusal(pictures.SVG_WITH_SCRIPT, "drawing.svg").messages[0]
    assert "not a JPEG, PNG, WebP or GIF image" in message
    assert "SVG" in message


def test_image_over_the_pixel_limit_is_refused_before_it_is_decoded():
    error = refusal(pictures.huge_png(8000, 6000), "panorama.png")
    assert error.code == "too_many_pixels"
    assert "8000 × 6000" in error.messages[0]
    assert "40 megapixels" in error.messages[0]


def test_huge_dimensions_small_on_disk_are_refused():
    content = pictures.huge_png(50_000, 50_000)
    assert len(content) < 1000
    assert refusal(content, "bomb.png").code == "too_many_pixels"


def test_an_image_whose_renditions_would_be_taller_than_webp_allows_is_refused():
    # 100 × 16,384: its 100 px rendition would be one pixel taller than WebP
    # can hold; made on commit, it answered 500 with the row already saved.
    error = refusal(image_bytes("PNG", (100, 16_384)), "strip.png")
    assert error.code == "too_tall"
    assert "100 × 16384" in error.messages[0]
    assert "16383" in error.messages[0]


def test_an_image_whose_renditions_fit_is_accepted_and_rendered(settings):
    prepared = prepare_image(upload(image_bytes("PNG", (100, 16_383)), "strip.png"))
    assert make_renditions(default_storage, "strip.png", prepared.content, width=100, height=16_383)


def test_the_widest_rendition_decides_not_the_original(settings):
    settings.PRESSROOM_IMAGE_WIDTHS = [100, 200]
    # 300 × 16,400: the original is taller than WebP allows, the 200 px rendition is not.
    assert prepare_image(upload(image_bytes("PNG", (300, 16_400)), "tall.png")).height == 16_400
    assert refusal(image_bytes("PNG", (200, 16_400)), "tall.png").code == "too_tall"


def test_the_upright_size_decides(settings):
    # 16,400 × 100 stored sideways (EXIF orientation 6) is a photo 100 wide and 16,400 tall.
    sideways = image_bytes("JPEG", (16_400, 100), exif=pictures.camera_exif(orientation=6))
    assert refusal(sideways, "turned.jpg").code == "too_tall"


def test_pixel_limit_is_a_setting(settings):
    settings.PRESSROOM_MAX_IMAGE_PIXELS = 10_000
    assert refusal(image_bytes("PNG", (200, 100)), "wide.png").code == "too_many_pixels"
    assert prepare_image(upload(image_bytes("PNG", (100, 100)), "square.png")).width == 100


def test_size_limit_is_a_setting(settings):
    content = image_bytes("PNG", (300, 300))
    settings.PRESSROOM_MAX_UPLOAD_BYTES = len(content) - 1
    error = refusal(content, "big.png")
    assert error.code == "too_large"
    settings.PRESSROOM_MAX_UPLOAD_BYTES = len(content)
    assert prepare_image(upload(content, "big.png")).format == "PNG"


def test_default_limits_are_20_mb_and_40_megapixels(settings):
    assert settings.PRESSROOM_MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert settings.PRESSROOM_MAX_IMAGE_PIXELS == 40_000_000
    assert settings.PRESSROOM_IMAGE_WIDTHS == [400, 800, 1600]


# Stored names


def test_stored_names_are_generated_in_dated_folders(release, add_image):
    image = add_image(release, prepare_image(upload(image_bytes(), "../../etc/My Holiday Photo.JPG")))
    assert STORED_NAME.fullmatch(image.file.name)
    assert image.original_filename == "My Holiday Photo.JPG"
    assert "Holiday" not in image.file.name


def test_the_same_photo_twice_gets_two_names(release, add_image):
    prepared = prepared_image()
    first, second = add_image(release, prepared), add_image(release, prepared)
    assert first.file.name != second.file.name


# Renditions


def test_renditions_have_the_configured_widths_in_webp_and_jpeg(release, add_image, settings):
    image = add_image(release, prepared_image(size=(2000, 1500)))
    stem = image.file.name.rsplit(".", 1)[0]
    expected = {f"{stem}-{width}.{extension}" for width in (400, 800, 1600) for extension in ("webp", "jpg")}
    assert set(media_files(settings)) == {image.file.name} | expected
    for width, height in [(400, 300), (800, 600), (1600, 1200)]:
        assert opened(f"{stem}-{width}.webp").format == "WEBP"
        assert opened(f"{stem}-{width}.jpg").format == "JPEG"
        assert opened(f"{stem}-{width}.webp").size == (width, height)
        assert opened(f"{stem}-{width}.jpg").size == (width, height)


def test_renditions_are_never_wider_than_the_original(release, add_image, settings):
    image = add_image(release, prepared_image(size=(600, 400)))
    widths = sorted({int(re.search(r"-(\d+)\.", name).group(1)) for name in media_files(settings) if "-" in name})
    assert widths == [400, 600]
    assert [(rendition.width, rendition.height) for rendition in image.renditions] == [(400, 267), (600, 400)]


def test_rendition_widths_are_a_setting(release, add_image, settings):
    settings.PRESSROOM_IMAGE_WIDTHS = [320, 640]
    image = add_image(release, prepared_image(size=(1000, 500)))
    assert [rendition.width for rendition in image.renditions] == [320, 640]
    assert len(media_files(settings)) == 1 + 4


def test_renditions_of_a_transparent_png_are_white_behind_in_jpeg(release, add_image):
    content = image_bytes("PNG", (500, 500), colour=(0, 0, 0, 0), mode="RGBA")
    image = add_image(release, prepare_image(upload(content, "logo.png")))
    stem = image.file.name.rsplit(".", 1)[0]
    assert opened(f"{stem}-400.jpg").convert("RGB").getpixel((399, 399)) == (255, 255, 255)
    assert opened(f"{stem}-400.webp").mode == "RGBA"


def test_renditions_keep_the_portrait_upright(release, add_image):
    image = add_image(release, prepare_image(upload(pictures.portrait_jpeg_taken_sideways())))
    stem = image.file.name.rsplit(".", 1)[0]
    assert opened(f"{stem}-400.jpg").size == (400, 533)
    assert opened(image.file.name).size == (900, 1200)


def test_showing_pages_makes_no_files(client, release, add_image, settings):
    add_image(release)
    before = media_files(settings)
    assert client.get(release.get_absolute_url()).status_code == 200
    assert client.get("/releases/").status_code == 200
    assert media_files(settings) == before


# Files follow their rows: written on commit, never left behind


def test_files_are_written_when_the_save_commits(release, settings, django_capture_on_commit_callbacks):
    image = ReleaseImage(release=release, alt_text="Delegation.")
    image.attach(prepared_image())
    with django_capture_on_commit_callbacks() as callbacks:
        image.save()
        assert media_files(settings) == []
    for callback in callbacks:
        callback()
    assert image.file.name in media_files(settings)


def test_a_save_that_rolls_back_leaves_no_file(release, settings, committed):
    with committed() as callbacks, pytest.raises(IntegrityError), transaction.atomic():
        for _ in range(2):
            image = ReleaseImage(release=release, alt_text="Delegation.", is_lead=True)
            image.attach(prepared_image())
            image.save()
    assert callbacks == []
    assert media_files(settings) == []
    assert not ReleaseImage.objects.exists()


def test_deleting_a_photo_removes_its_files_and_renditions(release, add_image, settings, committed):
    keep, gone = add_image(release), add_image(release)
    with committed():
        gone.delete()
    # The original, and 400 and 800 px wide renditions in WebP and JPEG.
    assert media_files(settings) == sorted(keep.stored_names())
    assert len(keep.stored_names()) == 5


def test_deleting_a_release_removes_the_files_of_its_photos(release, add_image, settings, committed):
    add_image(release)
    add_image(release)
    with committed():
        release.delete()
    assert media_files(settings) == []


def test_a_delete_that_rolls_back_keeps_the_files(release, add_image, settings, committed):
    image = add_image(release)
    pk, names = image.pk, image.stored_names()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        image.delete()
        raise RuntimeError("the save failed")
    assert ReleaseImage.objects.filter(pk=pk).exists()
    assert media_files(settings) == sorted(names)


def test_replacing_a_photo_removes_the_old_files(release, add_image, settings, committed):
    image = add_image(release, prepared_image(size=(1000, 700)))
    old = image.stored_names()
    image.attach(prepared_image(size=(500, 400)))
    with committed():
        image.save()
    assert media_files(settings) == sorted(image.stored_names())
    assert not set(old) & set(media_files(settings))


def test_replacing_twice_before_saving_removes_what_was_stored(release, add_image, settings, committed):
    image = add_image(release)
    image.attach(prepared_image())
    image.attach(prepared_image(kind="PNG"))
    with committed():
        image.save()
    assert media_files(settings) == sorted(image.stored_names())


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_that_fails_after_the_photo_row_is_written_leaves_no_file(
    client, administrator, release, settings, monkeypatch
):
    """The admin's own transaction, really committed or rolled back: a fault
    after the photo's row is saved undoes the row and writes no file."""

    def fail(*args, **kwargs):
        raise IntegrityError("the disk is full")

    monkeypatch.setattr("releases.admin.media.GalleryFormSet.save_batch", fail)
    client.raise_request_exception = False
    client.force_login(administrator)
    data = gallery_post(release, [photo_form()]) | {"images-upload": [upload(image_bytes(), "second.jpg")]}
    response = client.post(change_url(release), data)
    assert response.status_code == 500
    assert not ReleaseImage.objects.exists()
    assert media_files(settings) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch", [False, True], ids=["row", "batch"])
def test_an_image_too_tall_for_its_renditions_is_a_form_error_and_nothing_is_committed(
    client, administrator, release, settings, batch
):
    """Really committed: no row and no file, where the renditions used to
    fail as the save committed, after the row was written (a 500)."""
    client.force_login(administrator)
    strip = upload(image_bytes("PNG", (100, 16_400)), "strip.png")
    if batch:
        data = gallery_post(release, []) | {"images-upload": [upload(image_bytes(), "good.jpg"), strip]}
    else:
        data = gallery_post(release, [photo_form(upload=strip)])
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    assert "strip.png" in response.content.decode()
    assert "too tall for its width" in response.content.decode()
    assert not ReleaseImage.objects.exists()
    assert media_files(settings) == []


# The gallery in the admin


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def release_fields(release):
    return {
        "language": release.language,
        "title": release.title,
        "slug": release.slug,
        "lead": release.lead,
        "body": release.body,
        "department": release.department_id,
        "event": "",
        "tags": "",
        "status": release.status,
        "withdrawal_reason": release.withdrawal_reason,
        "published_at_0": f"{timezone.localtime(release.published_at):%Y-%m-%d}" if release.published_at else "",
        "published_at_1": f"{timezone.localtime(release.published_at):%H:%M:%S}" if release.published_at else "",
        "_save": "Save",
    }


def photo_form(image=None, **fields):
    """The fields of one gallery row: an existing photo, or a new one with an upload."""
    form = {
        "id": image.pk if image else "",
        "alt_text": image.alt_text if image else "The delegation at the session.",
        "caption": image.caption if image else "",
        "credit": image.credit if image else "",
        "order": image.order if image else 1,
    }
    if image is not None and image.is_lead:
        form["is_lead"] = "on"
    if image is None:
        form["upload"] = upload(image_bytes(), "session.jpg")
    form.update(fields)
    return {key: value for key, value in form.items() if value is not None}


def gallery_post(release, rows, initial=0, documents=True):
    data = release_fields(release) | {
        "images-TOTAL_FORMS": len(rows),
        "images-INITIAL_FORMS": initial,
        "documents-TOTAL_FORMS": 0,
        "documents-INITIAL_FORMS": 0,
    }
    for number, row in enumerate(rows):
        data.update({f"images-{number}-{name}": value for name, value in row.items()})
        data[f"images-{number}-release"] = release.pk
    return data


def test_staff_add_a_photo_in_the_release_form(editor_client, release, settings, committed):
    with committed():
        response = editor_client.post(change_url(release), gallery_post(release, [photo_form()]))
    assert response.status_code == 302
    image = ReleaseImage.objects.get()
    assert (image.release, image.alt_text, image.original_filename) == (
        release,
        "The delegation at the session.",
        "session.jpg",
    )
    assert media_files(settings) == sorted(image.stored_names())


def test_admin_refuses_an_svg_with_a_form_error_and_stores_nothing(editor_client, release, settings, committed):
    row = photo_form(upload=upload(pictures.SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml"))
    with committed():
        response = editor_client.post(change_url(release), gallery_post(release, [row]))
    assert response.status_code == 200
    assert "is not a JPEG, PNG, WebP or GIF image" in response.content.decode()
    assert not ReleaseImage.objects.exists()
    assert media_files(settings) == []


def test_admin_requires_the_alt_text(editor_client, release, committed):
    with committed():
        response = editor_client.post(change_url(release), gallery_post(release, [photo_form(alt_text="")]))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["alt_text"]
    assert not ReleaseImage.objects.exists()


def test_admin_refuses_two_lead_images(editor_client, release, settings, committed):
    rows = [photo_form(is_lead="on"), photo_form(is_lead="on", order=2)]
    with committed():
        response = editor_client.post(change_url(release), gallery_post(release, rows))
    assert response.status_code == 200
    assert "Choose one lead image at most." in response.content.decode()
    assert media_files(settings) == []


def test_ticking_another_photo_moves_the_lead_to_it(editor_client, release, add_image, committed):
    first = add_image(release, is_lead=True, order=1)
    second = add_image(release, order=2)
    rows = [photo_form(first), photo_form(second, is_lead="on")]
    with committed():
        response = editor_client.post(change_url(release), gallery_post(release, rows, initial=2))
    assert response.status_code == 302
    assert list(ReleaseImage.objects.filter(is_lead=True)) == [second]


def test_replacing_a_photo_in_the_admin_removes_the_old_files(editor_client, release, add_image, settings, committed):
    image = add_image(release)
    old = set(image.stored_names())
    row = photo_form(image, upload=upload(image_bytes("PNG", (640, 480)), "better.png"))
    with committed():
        response = editor_client.post(change_url(release), gallery_post(release, [row], initial=1))
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name.endswith(".png")
    assert (image.width, image.original_filename) == (640, "better.png")
    assert not old & set(media_files(settings))


def test_batch_upload_adds_one_photo_per_file_waiting_for_alt_text(editor_client, release, add_image, committed):
    add_image(release, order=3)
    files = [upload(image_bytes(), "one.jpg"), upload(image_bytes("PNG"), "two.png")]
    data = gallery_post(release, [], initial=0) | {"images-upload": files}
    with committed():
        response = editor_client.post(change_url(release), data, follow=True)
    assert response.status_code == 200
    added = list(ReleaseImage.objects.filter(alt_text=""))
    assert [(image.original_filename, image.order) for image in added] == [("one.jpg", 4), ("two.png", 5)]
    assert "2 photos added: give each its alt text" in response.content.decode()


def test_batch_upload_with_one_refused_file_adds_none(editor_client, release, settings, committed):
    files = [upload(image_bytes(), "good.jpg"), upload(pictures.SVG_WITH_SCRIPT, "bad.svg")]
    with committed():
        response = editor_client.post(change_url(release), gallery_post(release, []) | {"images-upload": files})
    assert response.status_code == 200
    assert "bad.svg" in response.content.decode()
    assert not ReleaseImage.objects.exists()
    assert media_files(settings) == []


def nothing_decoded(monkeypatch):
    """Fail the test if a photo of the post is checked (decoded) at all."""

    def refuse(*args, **kwargs):
        raise AssertionError("a photo was decoded")

    monkeypatch.setattr("releases.admin.media.prepare_image", refuse)
    monkeypatch.setattr(ReleaseImageForm.base_fields["upload"], "prepare", refuse)


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_40_photos_of_12_megapixels_is_refused_before_any_is_decoded(
    client, administrator, release, settings, monkeypatch
):
    nothing_decoded(monkeypatch)
    # The attack: 40 photos of 12 MP in one upload ran past
    # gunicorn's 30 s timeout; each costs about 0.6 s (bench/images.py).
    photo = image_bytes("JPEG", (4000, 3000), quality=30)
    files = [upload(photo, f"photo-{number}.jpg") for number in range(40)]
    client.force_login(administrator)
    response = client.post(change_url(release), gallery_post(release, []) | {"images-upload": files})
    assert response.status_code == 200
    assert "40 photos were sent in one save; at most 20 can go in one." in response.content.decode()
    assert not ReleaseImage.objects.exists()
    assert media_files(settings) == []


def test_the_pixel_budget_counts_rows_and_batch_together(editor_client, release, settings, committed, monkeypatch):
    def post():
        # 3 photos of 800 × 600, 1.44 megapixels between them, one in a row of the gallery.
        files = [upload(image_bytes(), f"{name}.jpg") for name in "ab"]
        with committed():
            return editor_client.post(
                change_url(release), gallery_post(release, [photo_form()]) | {"images-upload": files}
            )

    settings.PRESSROOM_MAX_PIXELS_PER_SAVE = 3 * 800 * 600 - 1
    with monkeypatch.context() as patch:
        nothing_decoded(patch)
        response = post()
    assert response.status_code == 200
    assert "The 3 photos sent have 1.4 megapixels between them" in response.content.decode()
    assert not ReleaseImage.objects.exists()
    assert media_files(settings) == []
    settings.PRESSROOM_MAX_PIXELS_PER_SAVE = 3 * 800 * 600
    settings.PRESSROOM_MAX_PHOTOS_PER_SAVE = 3
    assert post().status_code == 302
    assert ReleaseImage.objects.count() == 3


def test_the_batch_upload_says_how_many_photos_go_in_one_save(editor_client, release):
    response = editor_client.get(change_url(release))
    assert "At most 20 photos, and 100 megapixels between them, in one save." in response.content.decode()


def test_default_batch_limits_are_20_photos_and_100_megapixels(settings):
    assert settings.PRESSROOM_MAX_PHOTOS_PER_SAVE == 20
    assert settings.PRESSROOM_MAX_PIXELS_PER_SAVE == 100_000_000


def test_a_release_form_posted_without_the_gallery_leaves_it_as_it_is(editor_client, release, add_image):
    add_image(release)
    response = editor_client.post(change_url(release), release_fields(release) | {"lead": "A new lead."})
    assert response.status_code == 302
    assert ReleaseImage.objects.count() == 1


def test_press_staff_may_not_delete_photos(press_client, release, add_image, committed):
    image = add_image(release)
    data = gallery_post(release, [photo_form(image, DELETE="on")], initial=1)
    with committed():
        press_client.post(change_url(release), data)
    assert ReleaseImage.objects.filter(pk=image.pk).exists()


def test_editors_may_delete_photos(editor_client, release, add_image, settings, committed):
    image = add_image(release)
    with committed():
        response = editor_client.post(
            change_url(release), gallery_post(release, [photo_form(image, DELETE="on")], initial=1)
        )
    assert response.status_code == 302
    assert not ReleaseImage.objects.exists()
    assert media_files(settings) == []


@pytest.mark.parametrize("status", [Release.Status.DRAFT, Release.Status.IN_REVIEW])
def test_press_staff_delete_a_wrong_photo_of_an_unpublished_release(
    press_client, make_release, add_image, settings, committed, status
):
    release = make_release(status=status)
    image = add_image(release)
    page = press_client.get(change_url(release)).content.decode()
    assert 'name="images-0-DELETE"' in page
    with committed():
        response = press_client.post(
            change_url(release), gallery_post(release, [photo_form(image, DELETE="on")], initial=1)
        )
    assert response.status_code == 302
    assert not ReleaseImage.objects.exists()
    assert media_files(settings) == []


def test_press_staff_may_not_delete_photos_of_a_scheduled_release(press_client, make_release, add_image, committed):
    release = make_release(published_at=timezone.now() + timedelta(days=1))
    image = add_image(release)
    assert 'name="images-0-DELETE"' not in press_client.get(change_url(release)).content.decode()
    with committed():
        press_client.post(change_url(release), gallery_post(release, [photo_form(image, DELETE="on")], initial=1))
    assert ReleaseImage.objects.filter(pk=image.pk).exists()


def test_gallery_inline_and_release_list_show_thumbnails(editor_client, release, add_image):
    image = add_image(release)
    thumbnail = image.smallest.jpeg_url
    assert thumbnail in editor_client.get(change_url(release)).content.decode()
    assert thumbnail in editor_client.get(reverse("admin:releases_release_changelist")).content.decode()


def test_release_list_thumbnails_cost_one_query_for_the_whole_page(
    editor_client, make_release, add_image, django_assert_max_num_queries
):
    changelist = reverse("admin:releases_release_changelist")
    for _ in range(2):
        add_image(make_release())
    editor_client.get(changelist)  # fills the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(changelist)
    for _ in range(10):
        add_image(make_release())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(changelist)
    assert response.content.count(b"media-thumbnail") == 12


def test_event_cover_is_added_in_the_event_form(editor_client, event, settings, committed):
    data = {
        "title_en": event.title,
        "slug": event.slug,
        "start_date": event.start_date.isoformat(),
        "delegations-TOTAL_FORMS": 0,
        "delegations-INITIAL_FORMS": 0,
        "cover-TOTAL_FORMS": 1,
        "cover-INITIAL_FORMS": 0,
        "cover-0-upload": upload(image_bytes(size=(1200, 800)), "hq.jpg"),
        "cover-0-alt_text_en": "The WCO headquarters.",
        "cover-0-alt_text_ru": "Штаб-квартира ВТамО.",
        "cover-0-event": event.pk,
    }
    with committed():
        response = editor_client.post(reverse("admin:releases_event_change", args=[event.pk]), data)
    assert response.status_code == 302
    cover = EventCover.objects.get()
    assert (cover.event, cover.alt_text_ru, cover.width) == (event, "Штаб-квартира ВТамО.", 1200)
    assert media_files(settings) == sorted(cover.stored_names())


# Public pages


@pytest.fixture
def release(make_release):
    return make_release(title="The 88th session of the WCO Policy Commission")


def img_of(element):
    return element.find(".//picture/img")


def test_release_page_shows_the_lead_image_at_the_top_not_lazy(client, release, add_image):
    lead = add_image(release, prepared_image(size=(2000, 1500)), alt_text="Chairman at the session.")
    tree = parse(client.get(release.get_absolute_url()))
    figure = tree.find(".//article//figure[@class='lead-image']")
    img, source = img_of(figure), figure.find(".//picture/source")
    stem = lead.file.name.rsplit(".", 1)[0]
    assert img.get("alt") == "Chairman at the session."
    assert (img.get("width"), img.get("height")) == ("1600", "1200")
    assert img.get("loading") is None
    assert img.get("srcset") == f"/media/{stem}-400.jpg 400w, /media/{stem}-800.jpg 800w, /media/{stem}-1600.jpg 1600w"
    assert img.get("src") == f"/media/{stem}-1600.jpg"
    assert source.get("type") == "image/webp"
    assert (
        source.get("srcset")
        == f"/media/{stem}-400.webp 400w, /media/{stem}-800.webp 800w, /media/{stem}-1600.webp 1600w"
    )
    assert source.get("sizes") == img.get("sizes") != ""


def test_gallery_shows_the_other_photos_below_the_body_lazy_with_caption_and_credit(client, release, add_image):
    add_image(release, order=1)
    add_image(release, prepared_image(size=(900, 600)), order=2, caption="Delegates arrive.", credit="A. Mammadova")
    tree = parse(client.get(release.get_absolute_url()))
    figures = tree.findall(".//section[@class='gallery']//figure")
    assert len(figures) == 1
    img = img_of(figures[0])
    assert (img.get("width"), img.get("height"), img.get("loading")) == ("900", "600", "lazy")
    caption = " ".join("".join(figures[0].find("figcaption").itertext()).split())
    assert caption == "Delegates arrive. Photo: A. Mammadova"


def test_a_release_with_one_photo_has_no_gallery(client, release, add_image):
    add_image(release)
    assert b'class="gallery"' not in client.get(release.get_absolute_url()).content


def test_the_chosen_lead_leads_else_the_first(client, release, add_image):
    add_image(release, order=1, alt_text="First.")
    chosen = add_image(release, order=2, alt_text="Chosen.", is_lead=True)
    tree = parse(client.get(release.get_absolute_url()))
    assert img_of(tree.find(".//figure[@class='lead-image']")).get("alt") == chosen.alt_text
    ReleaseImage.objects.filter(pk=chosen.pk).update(is_lead=False)
    tree = parse(client.get(release.get_absolute_url()))
    assert img_of(tree.find(".//figure[@class='lead-image']")).get("alt") == "First."


def test_a_photo_waiting_for_its_alt_text_is_not_shown(client, release, add_image):
    add_image(release, alt_text="")
    assert b"<picture>" not in client.get(release.get_absolute_url()).content
    assert b"<picture>" not in client.get("/releases/").content


@pytest.mark.parametrize("url", ["/", "/releases/", "/departments/press/"])
def test_cards_show_the_lead_image_lazily(client, release, add_image, url):
    lead = add_image(release, is_lead=True, alt_text="Lead photo.")
    add_image(release, order=5, alt_text="Another photo.")
    tree = parse(client.get(url))
    card = tree.find(".//article[@class='card']")
    img = img_of(card)
    assert (img.get("alt"), img.get("loading")) == ("Lead photo.", "lazy")
    assert lead.smallest.jpeg_url in img.get("srcset")


def test_a_card_without_photos_has_no_image(client, release):
    assert b"<picture>" not in client.get("/releases/").content


def test_open_graph_and_json_ld_carry_the_lead_image_from_site_url(client, release, add_image, site_url):
    lead = add_image(release, prepared_image(size=(1200, 800)), alt_text="Chairman at the session.")
    tree = parse(client.get(release.get_absolute_url()))
    meta = {element.get("property"): element.get("content") for element in tree.iter("meta") if element.get("property")}
    absolute = f"{site_url}{lead.largest.jpeg_url}"
    assert meta["og:image"] == absolute
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "800")
    assert meta["og:image:alt"] == "Chairman at the session."
    data = json.loads(tree.find(".//script[@type='application/ld+json']").text)
    assert data["image"] == [absolute]


def test_a_release_without_photos_shares_the_office_s_image(client, release, site_url):
    # Its event's cover comes before it: tests/test_discovery.py.
    tree = parse(client.get(release.get_absolute_url()))
    og = {element.get("property"): element.get("content") for element in tree.iter("meta") if element.get("property")}
    assert og["og:image"] == f"{site_url}/static/pressroom/share.png"


def test_alt_text_caption_and_credit_are_escaped(client, release, add_image):
    attack = '"><script>alert(1)</script>'
    add_image(release, order=1, alt_text=attack, caption=attack, credit=attack)
    add_image(release, order=2, alt_text=attack, caption=attack, credit=attack)
    for url in (release.get_absolute_url(), "/releases/"):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page
        parse(client.get(url))
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(release.get_absolute_url()).content.decode()


def test_photos_of_an_unpublished_release_are_on_no_public_page(client, make_release, add_image):
    draft = make_release(status=Release.Status.DRAFT)
    image = add_image(draft)
    assert client.get(draft.get_absolute_url()).status_code == 404
    for url in ("/", "/releases/"):
        assert image.smallest.jpeg_url.encode() not in client.get(url).content


def test_the_admin_preview_shows_the_photos(editor_client, make_release, add_image):
    draft = make_release(status=Release.Status.DRAFT)
    image = add_image(draft)
    response = editor_client.get(reverse("admin:releases_release_preview", args=[draft.pk]))
    assert image.largest.jpeg_url in response.content.decode()


def test_event_page_shows_its_cover(client, event, committed, site_url):
    cover = EventCover(event=event, alt_text_en="The WCO headquarters.", credit_en="SCC Press Service")
    cover.attach(prepared_image(size=(1600, 900)))
    with committed():
        cover.save()
    Event.objects.update(published=True)  # public with no release
    tree = parse(client.get(event.get_absolute_url()))
    img = img_of(tree.find(".//figure[@class='lead-image']"))
    assert (img.get("alt"), img.get("width"), img.get("height")) == ("The WCO headquarters.", "1600", "900")
    og = {element.get("property"): element.get("content") for element in tree.iter("meta") if element.get("property")}
    assert og["og:image"] == f"{site_url}{cover.largest.jpeg_url}"


def test_media_addresses_of_an_object_store_stay_as_they_are():
    from releases.templatetags.pressroom_media import absolute_media

    assert absolute_media("https://cdn.example.com/media/a.jpg") == "https://cdn.example.com/media/a.jpg"


# Query counts: the number of photos never adds queries


@pytest.fixture
def illustrated(make_release, event, add_image, frozen_now):
    """grow_to(n): n published releases about `event`, each with 3 photos."""
    releases = []

    def grow_to(size):
        for number in range(len(releases), size):
            release = make_release(event=event, published_at=frozen_now - timedelta(hours=number + 1), tags=["WCO"])
            for order in range(3):
                add_image(release, prepared_image(size=(500, 300)), order=order)
            releases.append(release)
        return releases

    return grow_to


@pytest.mark.parametrize(
    ("url", "bound"),
    # The list's year, month and department form: NARROWING_QUERIES more.
    [
        ("/", 5),
        ("/releases/", 4 + NARROWING_QUERIES),
        ("/departments/press/", 4),
        ("/events/wco-policy-commission/", 6),
    ],
)
def test_lists_with_photos_cost_a_fixed_number_of_queries(
    client, illustrated, django_assert_max_num_queries, url, bound
):
    # The lead image of every card in one query (lead_image_prefetch): one
    # query per card would break the bound at 30 releases.
    for size in (3, 30):
        illustrated(size)
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.count(b"<picture>") == min(size, 20 if url != "/" else 6)


def test_release_page_with_photos_costs_a_fixed_number_of_queries(
    client, release, add_image, django_assert_max_num_queries
):
    # The gallery and the documents: one query each, whatever their number.
    for count in (1, 12):
        while release.images.count() < count:
            add_image(release, prepared_image(size=(500, 300)), order=release.images.count())
        with django_assert_max_num_queries(6):
            response = client.get(release.get_absolute_url())
        assert response.content.count(b"<picture>") == count
