from .announcements import AnnouncementMarker
from .cards import CardStamp
from .events import Delegation, DelegationMember, Event
from .media import EventCover, ReleaseDocument, ReleaseImage
from .organisation import Department
from .public import PublicContentQuerySet
from .release import Release, ReleaseQuerySet
from .sharing import ShareLink, ShareLinkView
from .tags import Tag, TagCount, TaggedRelease
from .workflow import ChangeNote, SlugRedirect, WorkflowEvent

__all__ = [
    "AnnouncementMarker",
    "CardStamp",
    "ChangeNote",
    "SlugRedirect",
    "WorkflowEvent",
    "Delegation",
    "DelegationMember",
    "Department",
    "Event",
    "PublicContentQuerySet",
    "EventCover",
    "Release",
    "ReleaseDocument",
    "ReleaseImage",
    "ReleaseQuerySet",
    "ShareLink",
    "ShareLinkView",
    "Tag",
    "TagCount",
    "TaggedRelease",
]
