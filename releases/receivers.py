"""Who subscribes to what of releases/events.py: connected once the app is
ready (ReleasesConfig.ready)."""

from releases import events, notifications
from serving import pagecache


def new_page_cache_version(sender, **kwargs):
    pagecache.public_content_changed()


def connect():
    for signal in (
        events.release_submitted,
        events.release_sent_back,
        events.release_published,
        events.release_scheduled,
    ):
        signal.connect(notifications.workflow_mail, dispatch_uid="workflow-mail")
    events.public_content_changed.connect(new_page_cache_version, dispatch_uid="page-cache")
