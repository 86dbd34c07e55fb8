from .events import Delegation, DelegationMember, Event
from .organisation import Department
from .release import Release, ReleaseQuerySet
from .tags import Tag, TaggedRelease

__all__ = [
    "Delegation",
    "DelegationMember",
    "Department",
    "Event",
    "Release",
    "ReleaseQuerySet",
    "Tag",
    "TaggedRelease",
]
