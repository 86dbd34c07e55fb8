"""The download of a release's documents (issue 5). Documents are kept out of
MEDIA_ROOT (releases.documents): this view is the only way to them, and only
for releases the public may read (Release.objects.readable(), as the release
page); for anything else, 404. The file is streamed from its storage as the
response goes out, never read whole into the worker's memory; with the
object store unreachable, the view meets the error before the first byte and
the site's 503 page answers (serving/outage.py)."""

import logging

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from releases.models import Release, ReleaseDocument

logger = logging.getLogger(__name__)

# The response reads its file in blocks of this size.
BLOCK_SIZE = 64 * 1024


def open_stored(field_file):
    """The stored file, to read as the response goes out, and its size when
    the file cannot tell it. On disk, the file itself. From an object store,
    the object's body: django-storages' own file would copy the whole object
    into the worker's memory at the first read."""
    file = field_file.storage.open(field_file.name, "rb")
    stored_object = getattr(file, "obj", None)  # an S3File's object in the bucket
    if stored_object is None:
        return file, None
    found = stored_object.get()
    return found["Body"], found["ContentLength"]


def release_document(request, slug, pk):
    document = get_object_or_404(
        ReleaseDocument.objects.select_related("release"),
        pk=pk,
        release__slug=slug,
        release__language=get_language(),
        release__in=Release.objects.readable(),
    )
    try:
        file, size = open_stored(document.file)
    except FileNotFoundError:
        logger.error("Document %s (%s) has no file in storage", document.pk, document.file.name)
        raise Http404 from None
    response = FileResponse(
        file, as_attachment=True, filename=document.download_name, content_type=document.content_type
    )
    response.block_size = BLOCK_SIZE
    if size is not None:
        response["Content-Length"] = size
    # Never shown in the browser, never taken for anything but its type,
    # and no script in it runs on this site's origin.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
