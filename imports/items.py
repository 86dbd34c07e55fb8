"""An item of a source, as every reader (imports/sources/) gives it: what the
importer (imports/importer.py) makes a release of, or refuses."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime


@dataclass
class FileRef:
    """A photo or document of an item: where to find it (an address, or a
    path in the source's folder) and its text."""

    location: str
    alt: str = ""
    caption: str = ""
    title: str = ""


@dataclass
class SourceItem:
    source_id: str
    where: str  # for the report: "line 120", "news/1234.html", an address
    title: str = ""
    lead: str = ""
    body: str = ""  # HTML, cleaned on import by the body's sanitizer
    language: str = ""
    published_at: datetime | None = None
    published: bool = False  # public on the old site; others come in as drafts
    slug: str = ""
    tags: list = field(default_factory=list)
    department: str = ""
    event: str = ""
    author: str = ""
    old_addresses: list = field(default_factory=list)
    translation_group: str = ""
    photos: list = field(default_factory=list)  # [FileRef]
    documents: list = field(default_factory=list)  # [FileRef]
    # The images of the body, taken out of it (imports/bodies.py): photos
    # after `photos`.
    body_photos: list = field(default_factory=list)  # [FileRef]
    # Set by a reader for an item it cannot read (a date it cannot parse):
    # the item is refused with this reason.
    problem: str = ""
    # Set by a reader for an item it leaves out on purpose (a WordPress page,
    # an item in the bin), with the reason.
    skip: str = ""

    def fingerprint(self):
        """A digest of everything the item brings: a second run leaves an
        item whose fingerprint has not changed, without opening its files."""
        data = asdict(self)
        data.pop("where")
        if not data["body_photos"]:
            # As before body photos were read: no item changes for nothing.
            data.pop("body_photos")
        return hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()
