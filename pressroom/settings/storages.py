"""Where uploaded images and documents are kept (STORAGES): the file system
by default; an S3-compatible object store, through django-storages, when a
bucket is named. See README, "Serving photos and documents"."""

from importlib.util import find_spec
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
# Documents: outside MEDIA_ROOT, in PRESSROOM_DOCUMENTS_ROOT.
PRIVATE_FILE_SYSTEM = "releases.documents.PrivateFileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
STATIC_FILES = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Seconds to connect to the object store and to wait for each read from it,
# and how many attempts a request to it gets in all.
STORE_CONNECT_TIMEOUT = 3
STORE_READ_TIMEOUT = 20
STORE_RETRIES = {"mode": "standard", "total_max_attempts": 2}
# A stored image never changes: a new upload gets a new name.
IMMUTABLE = "public, max-age=31536000, immutable"


def media_storages(*, bucket, endpoint_url="", region="", custom_domain="", prefix=""):
    """STORAGES for images ("default"), documents ("documents") and static
    files. With a bucket, images go under its `media/` prefix, to be readable
    by anyone (a bucket policy: `manage.py media_bucket`, or a CDN) and kept
    by browsers for a year, and documents under `documents/`, private: the
    download view streams them. `prefix` puts both under a folder of this
    site's own, for a bucket that several sites share."""
    storages = {
        "default": {"BACKEND": FILE_SYSTEM},
        "documents": {"BACKEND": PRIVATE_FILE_SYSTEM},
        "staticfiles": STATIC_FILES,
    }
    if not bucket:
        return storages
    missing = [package for package in ("storages", "boto3") if find_spec(package) is None]
    if missing:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set, but django-storages and boto3 are not installed: "
            "pip install -r requirements-s3.txt (or unset AWS_STORAGE_BUCKET_NAME to keep files on disk)."
        )
    from botocore.config import Config

    # Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
    # or the machine's role, as boto3 finds them. An unreachable store is
    # given up on within seconds, not botocore's minute for each of five
    # attempts: a download then answers the 503 page, an upload its form
    # error, before the proxy in front gives up on the worker.
    client_config = Config(
        connect_timeout=STORE_CONNECT_TIMEOUT, read_timeout=STORE_READ_TIMEOUT, retries=STORE_RETRIES
    )
    common = {"bucket_name": bucket, "file_overwrite": False, "client_config": client_config}
    if endpoint_url:
        common["endpoint_url"] = endpoint_url
    if region:
        common["region_name"] = region
    folder = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    images = {
        **common,
        "location": f"{folder}media",
        "querystring_auth": False,
        "object_parameters": {"CacheControl": IMMUTABLE},
    }
    if custom_domain:
        images["custom_domain"] = custom_domain
    storages["default"] = {"BACKEND": S3, "OPTIONS": images}
    storages["documents"] = {
        "BACKEND": S3,
        "OPTIONS": {**common, "location": f"{folder}documents", "default_acl": "private", "querystring_auth": True},
    }
    return storages


def media_origins(*, bucket, endpoint_url="", region="", custom_domain=""):
    """Where the public pages' images come from besides the site itself, for
    the Content-Security-Policy's img-src: nothing with files on disk; the CDN
    (AWS_S3_CUSTOM_DOMAIN), or else the object store's own addresses."""
    if not bucket:
        return []
    if custom_domain:
        return [f"https://{custom_domain}"]
    if endpoint_url:
        # Path-style (endpoint/bucket/...) or virtual-hosted (bucket.endpoint/...).
        endpoint = urlsplit(endpoint_url)
        return [f"{endpoint.scheme}://{endpoint.netloc}", f"{endpoint.scheme}://{bucket}.{endpoint.netloc}"]
    hosts = [f"{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"{bucket}.s3.{region}.amazonaws.com")
    return [f"https://{host}" for host in hosts]
