"""What the public may see, defined once, as conditions on a release's
status and publication time. ReleaseQuerySet applies them to releases, and
TaggedReleaseQuerySet to the copies of those columns on tag links, so that
tag lists and counts keep reading the links' own index. Release.is_published
mirrors `public()` for a release in memory."""

from django.db.models import Q
from django.utils import timezone

from .workflow import Status


def public():
    """Published, and its publication time has come. A release scheduled
    for later becomes public by itself at its time, with no job to run."""
    return Q(status=Status.PUBLISHED, published_at__lte=timezone.now())


def scheduled():
    """Published for a time still to come: it becomes public then."""
    return Q(status=Status.PUBLISHED, published_at__gt=timezone.now())


def readable():
    """What a public detail page may show: public releases, and withdrawn
    ones, which stay readable with a notice of their withdrawal but leave
    every list, feed and search."""
    return public() | Q(status=Status.WITHDRAWN, published_at__lte=timezone.now())
