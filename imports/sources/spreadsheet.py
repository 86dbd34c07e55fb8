"""CSV files an office keeps (README, "Moving a site"): one release a row, in
UTF-8, with a header row naming the columns below; only `title` is needed,
and `id` or `old_address` to know the row by on the next run."""

import csv

from imports.bodies import take_photos
from imports.items import FileRef, SourceItem

COLUMNS = [
    "id",  # the row's identity, kept from run to run
    "title",
    "lead",
    "body",  # HTML
    "published_at",  # 2023-06-20 11:52+04:00; without an offset, in the site's time zone
    "status",  # published (the default) or draft
    "language",  # az, en or ru
    "tags",  # separated by commas
    "department",
    "event",
    "old_address",  # several separated by |
    "translation_key",  # the same in the rows that are translations of one release
    "images",  # paths (in the folder of the file, or --files) or addresses, separated by |
    "documents",  # the same, for PDF files
]


def _list(text, separator):
    return [part.strip() for part in (text or "").split(separator) if part.strip()]


def read(path, *, parse_date):
    with open(path, newline="", encoding="utf-8-sig") as file:
        rows = csv.DictReader(file)
        unknown = [name for name in rows.fieldnames or [] if name not in COLUMNS]
        if unknown or "title" not in (rows.fieldnames or []):
            raise ValueError(
                f"{path}: unknown columns {', '.join(unknown) or 'none'}; "
                f"the header must name title and any of: {', '.join(COLUMNS)}"
            )
        for row in rows:
            line = rows.line_num
            row = {name: (value or "").strip() for name, value in row.items() if name}
            addresses = _list(row.get("old_address"), "|")
            item = SourceItem(source_id=row.get("id") or (addresses[0] if addresses else ""), where=f"line {line}")
            item.title, item.lead, item.body = row.get("title", ""), row.get("lead", ""), row.get("body", "")
            item.language = row.get("language", "").lower()
            status = row.get("status", "").lower() or "published"
            if status not in ("published", "draft"):
                item.problem = f"status “{status}”: published or draft"
            item.published = status == "published"
            if row.get("published_at"):
                item.published_at = parse_date(row["published_at"])
                if item.published_at is None:
                    item.problem = f"unreadable published_at “{row['published_at']}” (2023-06-20 11:52+04:00)"
            item.tags = _list(row.get("tags"), ",")
            item.department, item.event = row.get("department", ""), row.get("event", "")
            item.old_addresses = addresses
            item.translation_group = row.get("translation_key", "")
            item.photos = [FileRef(location=location) for location in _list(row.get("images"), "|")]
            item.documents = [FileRef(location=location) for location in _list(row.get("documents"), "|")]
            # The body's images: paths beside the file (or in --files) or addresses, as `images`.
            item.body, item.body_photos = take_photos(item.body, str.strip, known=item.photos)
            if not item.source_id:
                item.problem = "neither an id nor an old_address to know the row by"
            yield item
