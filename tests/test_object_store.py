"""Photos and documents in an S3-compatible object store (issues 13 and 21),
against a real one: moto's server, started here on a port of its own and
stopped to make the store unreachable. Downloads stream from the store;
with the store down a download answers the 503 page, an upload a form
error with nothing saved, and the full health check says which part failed."""

import hashlib
import importlib.util
import io
import json
import socket
import subprocess
import sys
import time
import tracemalloc

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from pressroom.settings.storages import media_storages
from releases.models import ReleaseDocument, ReleaseImage
from serving.outage import RETRY_AFTER_SECONDS
from tests.pictures import image_bytes, minimal_pdf, upload
from tests.test_images import change_url, gallery_post, photo_form, release_fields

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("moto") is None or importlib.util.find_spec("storages") is None,
        reason="needs moto[server] and django-storages: pip install -r requirements-dev.txt",
    ),
]

PORT = 17011
ENDPOINT = f"http://127.0.0.1:{PORT}"
BUCKET = "press-media"


class StoreServer:
    """moto's S3 server in a process of its own."""

    process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(PORT)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"moto's server did not start on port {PORT}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="module")
def store_server():
    server = StoreServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def object_store(store_server, settings, monkeypatch):
    """Photos and documents in the bucket, as production configures them
    (media_storages). The document field's storage was chosen when the model
    was loaded: it follows here by hand."""
    if store_server.process is None:
        store_server.start()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.STORAGES = media_storages(bucket=BUCKET, endpoint_url=ENDPOINT, region="us-east-1")
    monkeypatch.setattr(ReleaseDocument._meta.get_field("file"), "storage", storages["documents"])
    client = storages["default"].connection.meta.client
    if BUCKET not in [bucket["Name"] for bucket in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET)
    yield store_server
    if store_server.process is None:
        store_server.start()


@pytest.fixture
def release(make_release):
    return make_release(title="The 88th session of the WCO Policy Commission")


def stored_document(release, content):
    name = storages["documents"].save("documents/2024/06/agenda.pdf", ContentFile(content))
    return ReleaseDocument.objects.create(release=release, title="Agenda", file=name, format="pdf")


def test_a_document_streams_from_the_store_without_being_read_whole_into_memory(client, object_store, release):
    content = bytes(range(256)) * (6 * 1024 * 1024 // 256)
    document = stored_document(release, content)
    # Once first, so that what the first download imports is not counted.
    b"".join(client.get(stored_document(release, minimal_pdf()).get_absolute_url()).streaming_content)
    received, size = hashlib.sha256(), 0
    tracemalloc.start()
    try:
        response = client.get(document.get_absolute_url())
        for block in response.streaming_content:
            received.update(block)
            size += len(block)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Disposition"] == 'attachment; filename="agenda.pdf"'
    assert (size, received.digest()) == (len(content), hashlib.sha256(content).digest())
    # A block or two at a time, never the whole document.
    assert peak < 1024 * 1024, f"{peak / 1e6:.1f} MB held to send a {len(content) / 1e6:.1f} MB document"


def test_a_download_answers_the_503_page_while_the_store_is_down(client, object_store, release):
    document = stored_document(release, minimal_pdf())
    object_store.stop()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "The site is temporarily unavailable" in response.content.decode()


def test_a_photo_upload_is_a_form_error_with_nothing_saved_while_the_store_is_down(
    editor_client, object_store, release, django_capture_on_commit_callbacks
):
    object_store.stop()
    with django_capture_on_commit_callbacks(execute=True) as writes:
        response = editor_client.post(change_url(release), gallery_post(release, [photo_form()]))
    assert response.status_code == 200
    assert "The file store cannot be reached just now, so nothing was saved." in response.content.decode()
    assert not ReleaseImage.objects.exists()
    # No file was even attempted: nothing to leave behind once the store is back.
    assert writes == []


def test_a_batch_of_photos_is_refused_whole_while_the_store_is_down(
    editor_client, object_store, release, django_capture_on_commit_callbacks
):
    object_store.stop()
    data = gallery_post(release, []) | {"images-upload": [upload(image_bytes(), "one.jpg"), upload(image_bytes())]}
    with django_capture_on_commit_callbacks(execute=True) as writes:
        response = editor_client.post(change_url(release), data)
    assert response.status_code == 200
    assert "The file store cannot be reached just now" in response.content.decode()
    assert not ReleaseImage.objects.exists()
    assert writes == []


def test_a_document_upload_is_a_form_error_with_nothing_saved_while_the_store_is_down(
    editor_client, object_store, release, django_capture_on_commit_callbacks
):
    object_store.stop()
    data = release_fields(release) | {
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
        "documents-TOTAL_FORMS": 1,
        "documents-INITIAL_FORMS": 0,
        "documents-0-upload": upload(minimal_pdf(), "agenda.pdf", "application/pdf"),
        "documents-0-title": "Agenda",
        "documents-0-language": "en",
        "documents-0-order": 1,
        "documents-0-release": release.pk,
    }
    with django_capture_on_commit_callbacks(execute=True) as writes:
        response = editor_client.post(change_url(release), data)
    assert response.status_code == 200
    assert "The file store cannot be reached just now" in response.content.decode()
    assert not ReleaseDocument.objects.exists()
    assert writes == []


def test_a_photo_upload_is_stored_in_the_bucket_while_the_store_answers(
    editor_client, object_store, release, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(release), gallery_post(release, [photo_form()]))
    assert response.status_code == 302
    image = ReleaseImage.objects.get()
    assert all(storages["default"].exists(name) for name in image.stored_names())
    # Names never change: browsers and CDNs may keep each file a year.
    client = storages["default"].connection.meta.client
    for name in image.stored_names():
        stored = client.head_object(Bucket=BUCKET, Key=f"media/{name}")
        assert stored["CacheControl"] == "public, max-age=31536000, immutable"


def test_media_bucket_creates_the_bucket_and_lets_anyone_read_only_the_images(object_store, settings):
    settings.STORAGES = media_storages(bucket="press-new", endpoint_url=ENDPOINT, region="us-east-1", prefix="customs")
    out = io.StringIO()
    with pytest.raises(CommandError, match="the bucket is missing"):
        call_command("media_bucket", "--check", stdout=out)
    client = storages["default"].connection.meta.client
    call_command("media_bucket", stdout=out)
    # Run again, with another site's statement in the shared bucket: kept.
    other = {
        "Sid": "Other",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::press-new/x/*",
    }
    client.put_bucket_policy(Bucket="press-new", Policy=json.dumps({"Version": "2012-10-17", "Statement": [other]}))
    with pytest.raises(CommandError, match="the public read of the images is missing"):
        call_command("media_bucket", "--check", stdout=out)
    call_command("media_bucket", stdout=out)
    call_command("media_bucket", "--check", stdout=out)
    statements = json.loads(client.get_bucket_policy(Bucket="press-new")["Policy"])["Statement"]
    assert [statement["Resource"] for statement in statements] == [
        "arn:aws:s3:::press-new/x/*",
        "arn:aws:s3:::press-new/customs/media/*",
    ]
    assert "Bucket press-new created." in out.getvalue()
    assert out.getvalue().count("is ready: images under customs/media/ are public") == 3


def test_media_bucket_needs_a_bucket(settings):
    settings.STORAGES = media_storages(bucket="")
    with pytest.raises(CommandError, match="there is no bucket"):
        call_command("media_bucket")


def test_the_full_health_check_reports_the_store(client, object_store):
    assert client.get("/healthz?full=1").json()["store"] == "ok"
    object_store.stop()
    response = client.get("/healthz?full=1")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "not configured", "store": "unavailable"}
    # The cheap check, for load balancers, asks the database alone.
    assert client.get("/healthz").content == b"ok"
