"""`manage.py media_cleanup` (issue 5): orphan files removed, missing
renditions made again, lost files reported, a progress bar."""

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from releases.documents import document_storage, prepare_document
from releases.models import ReleaseDocument, ReleaseImage
from tests.pictures import minimal_pdf, prepared_image, upload

pytestmark = pytest.mark.django_db


def files_under(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def cleanup(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("media_cleanup", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def release(make_release):
    return make_release()


@pytest.fixture
def image(release, django_capture_on_commit_callbacks):
    image = ReleaseImage(release=release, alt_text="The delegation.")
    image.attach(prepared_image(size=(1000, 600)))
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    return image


@pytest.fixture
def document(release, django_capture_on_commit_callbacks):
    document = ReleaseDocument(release=release, title="Agenda")
    document.attach(prepare_document(upload(minimal_pdf(), "agenda.pdf")))
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    return document


def age(storage, name, *, hours):
    then = time.time() - hours * 3600
    os.utime(storage.path(name), (then, then))


@pytest.fixture
def orphans():
    """Files no row uses, written two days ago: an image and a rendition
    left by a crash, a stray document."""
    files = [
        (
            default_storage,
            default_storage.save("images/2024/06/0123456789abcdef0123456789abcdef.jpg", ContentFile(b"o")),
        ),
        (
            default_storage,
            default_storage.save("images/2024/06/0123456789abcdef0123456789abcdef-400.webp", ContentFile(b"o")),
        ),
        (
            document_storage(),
            document_storage().save("documents/2024/06/fedcba9876543210fedcba9876543210.pdf", ContentFile(b"%PDF-")),
        ),
    ]
    for storage, name in files:
        age(storage, name, hours=48)
    return [name for _storage, name in files]


def test_orphan_files_are_removed_and_used_ones_kept(image, document, orphans, settings):
    out, _ = cleanup("--no-progress")
    assert files_under(settings.MEDIA_ROOT) == sorted(image.stored_names())
    assert files_under(settings.PRESSROOM_DOCUMENTS_ROOT) == [document.file.name]
    assert "3 orphan file(s) were removed" in out


def test_dry_run_changes_nothing(image, orphans, settings):
    before = files_under(settings.MEDIA_ROOT)
    out, _ = cleanup("--dry-run", "--no-progress", "--verbosity=2")
    assert files_under(settings.MEDIA_ROOT) == before
    assert "3 orphan file(s) would be removed" in out
    assert orphans[0] in out


def test_missing_renditions_are_made_again(image, settings):
    stem = image.file.name.rsplit(".", 1)[0]
    for name in (f"{stem}-400.webp", f"{stem}-1000.jpg"):
        default_storage.delete(name)
    out, _ = cleanup("--no-progress")
    assert files_under(settings.MEDIA_ROOT) == sorted(image.stored_names())
    assert "2 rendition(s) were made, for 1 image(s)." in out


def test_a_change_of_widths_makes_the_new_renditions_and_removes_the_old(image, settings):
    for name in image.stored_names():
        age(default_storage, name, hours=48)
    settings.PRESSROOM_IMAGE_WIDTHS = [300, 900]
    out, _ = cleanup("--no-progress")
    stem = image.file.name.rsplit(".", 1)[0]
    expected = [image.file.name] + [f"{stem}-{width}.{ext}" for width in (300, 900) for ext in ("jpg", "webp")]
    assert files_under(settings.MEDIA_ROOT) == sorted(expected)
    # 400, 800 and 1000 (the image's own width) px, in WebP and JPEG.
    assert "6 orphan file(s) were removed" in out
    assert "4 rendition(s) were made" in out


def test_rows_whose_file_is_gone_are_reported_and_kept(image, document):
    default_storage.delete(image.file.name)
    document_storage().delete(document.file.name)
    _, err = cleanup("--no-progress")
    assert image.file.name in err and document.file.name in err
    assert ReleaseImage.objects.filter(pk=image.pk).exists()


def test_progress_bars_show_the_work_done(image, orphans):
    default_storage.delete(image.file.name.rsplit(".", 1)[0] + "-400.jpg")
    out, _ = cleanup()
    assert "Removing orphan files [" + "#" * 30 + "] 3/3" in out
    assert "Making missing renditions [" + "#" * 30 + "] 1/1" in out


def test_nothing_to_do_on_an_empty_site():
    out, err = cleanup()
    assert "0 orphan file(s) were removed" in out
    assert err == ""


def test_young_orphans_are_kept(orphans, settings):
    age(default_storage, orphans[0], hours=1)
    out, _ = cleanup("--no-progress", "--min-age", "24")
    assert "2 orphan file(s) were removed" in out
    assert "1 orphan file(s) kept" in out
    assert files_under(settings.MEDIA_ROOT) == [orphans[0]]


def test_files_newer_than_the_database_are_kept_after_an_older_backup_is_restored(image, orphans, settings):
    """The image's row is from a backup 30 days old: files written since,
    whatever their age, belong to uploads the restored database lost."""
    ReleaseImage.objects.filter(pk=image.pk).update(uploaded_at=image.uploaded_at - timedelta(days=30))
    out, _ = cleanup("--no-progress")
    assert "0 orphan file(s) were removed" in out
    assert "3 orphan file(s) kept" in out
