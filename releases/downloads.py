"""The download of a release's documents (issue 5). Documents are kept out of
MEDIA_ROOT (releases.documents): this view is the only way to them, and only
for releases the public may read (Release.objects.readable(), as the release
page); for anything else, 404."""

import logging

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from releases.models import Release, ReleaseDocument

logger = logging.getLogger(__name__)


def release_document(request, slug, pk):
    document = get_object_or_404(
        ReleaseDocument.objects.select_related("release"),
        pk=pk,
        release__slug=slug,
        release__language=get_language(),
        release__in=Release.objects.readable(),
    )
    try:
        file = document.file.open("rb")
    except FileNotFoundError:
        logger.error("Document %s (%s) has no file in storage", document.pk, document.file.name)
        raise Http404 from None
    response = FileResponse(
        file, as_attachment=True, filename=document.download_name, content_type=document.content_type
    )
    # Never shown in the browser, never taken for anything but its type,
    # and no script in it runs on this site's origin.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
