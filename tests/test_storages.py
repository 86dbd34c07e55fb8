"""Where photos and documents are kept (pressroom/settings/storages.py): on
disk by default, in an S3-compatible object store when a bucket is named."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pressroom.settings.storages import PRIVATE_FILE_SYSTEM, S3, media_storages


def test_files_stay_on_disk_by_default():
    storages = media_storages(bucket="")
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages["documents"] == {"BACKEND": PRIVATE_FILE_SYSTEM}


def test_a_bucket_puts_public_images_and_private_documents_in_the_object_store(monkeypatch):
    monkeypatch.setattr("pressroom.settings.storages.find_spec", lambda name: object())
    storages = media_storages(
        bucket="press-media", endpoint_url="https://s3.example.net", region="eu-central-1", custom_domain="media.gov.az"
    )
    client_config = storages["default"]["OPTIONS"]["client_config"]
    assert storages["documents"]["OPTIONS"]["client_config"] is client_config
    common = {
        "bucket_name": "press-media",
        "file_overwrite": False,
        "endpoint_url": "https://s3.example.net",
        "region_name": "eu-central-1",
        "client_config": client_config,
    }
    assert storages["default"] == {
        "BACKEND": S3,
        "OPTIONS": {
            **common,
            "location": "media",
            "querystring_auth": False,
            "custom_domain": "media.gov.az",
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    assert storages["documents"] == {
        "BACKEND": S3,
        "OPTIONS": {**common, "location": "documents", "default_acl": "private", "querystring_auth": True},
    }


def test_a_prefix_puts_both_under_a_folder_of_the_sites_own(monkeypatch):
    monkeypatch.setattr("pressroom.settings.storages.find_spec", lambda name: object())
    storages = media_storages(bucket="shared", prefix="/customs/")
    assert storages["default"]["OPTIONS"]["location"] == "customs/media"
    assert storages["documents"]["OPTIONS"]["location"] == "customs/documents"


def test_a_bucket_without_django_storages_installed_stops_with_what_to_do(monkeypatch):
    monkeypatch.setattr("pressroom.settings.storages.find_spec", lambda name: None)
    with pytest.raises(ImproperlyConfigured, match="requirements-s3.txt"):
        media_storages(bucket="press-media")


def test_production_settings_keep_the_storages_of_photos_and_documents():
    script = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))"
    environment = {
        "DJANGO_SETTINGS_MODULE": "pressroom.settings.production",
        "SECRET_KEY": "a-secret-for-this-test",
        "PATH": "",
    }
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=environment, capture_output=True, check=True
    ).stdout
    storages = json.loads(output)
    assert storages["documents"] == {"BACKEND": PRIVATE_FILE_SYSTEM}
    assert storages["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
