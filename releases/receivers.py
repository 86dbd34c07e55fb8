"""Who subscribes to what of releases/events.py: connected once the app is
ready (ReleasesConfig.ready)."""

from django.db.models import Min

from releases import events, notifications
from releases.models import Release
from serving import pagecache


def new_page_cache_version(sender, **kwargs):
    pagecache.public_content_changed()


def next_scheduled_publication():
    """When the next scheduled release goes public; None when none is
    scheduled. Until then the page cache may keep its pages."""
    return Release.objects.scheduled().aggregate(next=Min("published_at"))["next"]


def connect():
    for signal in (
        events.release_submitted,
        events.release_sent_back,
        events.release_published,
        events.release_scheduled,
    ):
        signal.connect(notifications.workflow_mail, dispatch_uid="workflow-mail")
    events.public_content_changed.connect(new_page_cache_version, dispatch_uid="page-cache")
    pagecache.next_change_from(next_scheduled_publication)
