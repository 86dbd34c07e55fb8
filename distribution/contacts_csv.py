"""Media contacts to and from CSV (README, "Media distribution"): one
contact a row, the first row naming the columns. An import checks every row
first and saves all of them or none; each bad row is reported by its line.
A contact whose e-mail address exists already (in any case) is updated."""

import csv
import io
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext

from distribution.models import MediaContact
from releases.models import Department, Tag
from releases.tagnames import tag_key
from releases.text import clean_text

COLUMNS = [
    "name",
    "email",
    "outlet",
    "language",
    "tags",
    "departments",
    "accredited_until",
    "notify_when_public",
    "notes",
]
REQUIRED = {"name", "email"}
# Tags and departments (by slug) in one cell, separated so.
SEPARATOR = ";"
YES = {"1", "yes", "true", "y", "bəli", "да"}
NO = {"0", "no", "false", "n", "xeyr", "нет"}
# A cell a spreadsheet would take for a formula is written after a quote,
# which an import takes off again.
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_ROWS = 20_000
# What the columns hold (validate_email allows 320 characters).
EMAIL_LENGTH = MediaContact._meta.get_field("email").max_length
TAG_LENGTH = Tag._meta.get_field("name").max_length


class ImportRefused(Exception):
    """The file was not imported; `errors` lists (line, message)."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _split(cell):
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


def _cell(value):
    value = clean_text(value or "")
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _safe(value):
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def read(raw):
    """[(line, {column: text})] of the bytes of a file, or ImportRefused."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([(0, gettext("The file is not UTF-8 text: save it as “CSV UTF-8”."))]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if missing := sorted(REQUIRED - set(header)):
        message = gettext("The first row must name the columns; missing: %(columns)s.")
        raise ImportRefused([(1, message % {"columns": ", ".join(missing)})])
    if unknown := [name for name in header if name not in COLUMNS]:
        message = gettext("Unknown columns: %(columns)s. The columns are: %(known)s.")
        raise ImportRefused([(1, message % {"columns": ", ".join(unknown), "known": ", ".join(COLUMNS)})])
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise ImportRefused(
                    [(reader.line_num, gettext("At most %(rows)d rows at a time.") % {"rows": MAX_ROWS})]
                )
            if None in row:
                rows.append((reader.line_num, None))
                continue
            rows.append((reader.line_num, {key: _cell(value) for key, value in row.items()}))
    except csv.Error as error:
        raise ImportRefused([(reader.line_num, gettext("Not readable as CSV: %(error)s") % {"error": error})]) from None
    return rows


def parse(rows):
    """Check every row: ([(line, fields)], [(line, message)])."""
    languages = {code for code, _name in settings.LANGUAGES}
    departments = {department.slug: department for department in Department.objects.all()}
    seen = {}
    parsed, errors = [], []
    for line, row in rows:
        if row is None:
            errors.append((line, gettext("More cells than columns.")))
            continue
        problems = []
        email = row.get("email", "")
        try:
            validate_email(email)
        except ValidationError:
            problems.append(gettext("“%(value)s” is not an e-mail address.") % {"value": email})
        if len(email) > EMAIL_LENGTH:
            problems.append(gettext("An e-mail address longer than %(length)d characters.") % {"length": EMAIL_LENGTH})
        if email and email.lower() in seen:
            problems.append(gettext("The same e-mail address as line %(line)d.") % {"line": seen[email.lower()]})
        seen.setdefault(email.lower(), line)
        if not row.get("name"):
            problems.append(gettext("The name is missing."))
        language = row.get("language", "").lower() or settings.LANGUAGE_CODE
        if language not in languages:
            problems.append(
                gettext("Unknown language “%(value)s”: one of %(known)s.")
                % {"value": language, "known": ", ".join(sorted(languages))}
            )
        if any(len(name) > TAG_LENGTH for name in _split(row.get("tags", ""))):
            problems.append(gettext("A tag longer than %(length)d characters.") % {"length": TAG_LENGTH})
        slugs = _split(row.get("departments", ""))
        if unknown := [slug for slug in slugs if slug not in departments]:
            problems.append(gettext("Unknown departments: %(slugs)s.") % {"slugs": ", ".join(unknown)})
        accredited_until = None
        if row.get("accredited_until"):
            try:
                accredited_until = date.fromisoformat(row["accredited_until"])
            except ValueError:
                problems.append(
                    gettext("“%(value)s” is not a date like 2025-12-31.") % {"value": row["accredited_until"]}
                )
        notify = row.get("notify_when_public", "").lower() or "yes"
        if notify not in YES | NO:
            problems.append(gettext("“%(value)s” is neither yes nor no.") % {"value": notify})
        if len(row.get("name", "")) > 200 or len(row.get("outlet", "")) > 200:
            problems.append(gettext("A name or outlet longer than 200 characters."))
        if problems:
            errors.extend((line, problem) for problem in problems)
            continue
        parsed.append(
            (
                line,
                {
                    "name": row["name"],
                    "email": email,
                    "outlet": row.get("outlet", ""),
                    "language": language,
                    "accredited_until": accredited_until,
                    "notify_when_public": notify in YES,
                    "notes": row.get("notes", ""),
                    "tags": _split(row.get("tags", "")),
                    "departments": [departments[slug] for slug in slugs],
                },
            )
        )
    return parsed, errors


def import_contacts(raw):
    """Import the contacts of the CSV bytes `raw`, all or none: returns (created,
    updated), or raises ImportRefused with every bad row by line."""
    parsed, errors = parse(read(raw))
    if errors:
        raise ImportRefused(errors)
    if not parsed:
        raise ImportRefused([(2, gettext("The file holds no contacts."))])
    created = updated = 0
    with transaction.atomic():
        existing = {contact.email.lower(): contact for contact in MediaContact.objects.all()}
        tags = Tag.objects.for_names(name for _line, fields in parsed for name in fields["tags"])
        for _line, fields in parsed:
            tag_names, departments = fields.pop("tags"), fields.pop("departments")
            contact = existing.get(fields["email"].lower())
            if contact is None:
                contact = MediaContact.objects.create(**fields)
                created += 1
            else:
                for name, value in fields.items():
                    setattr(contact, name, value)
                contact.save()
                updated += 1
            contact.tags.set([tags[tag_key(clean_text(name))] for name in tag_names])
            contact.departments.set(departments)
    return created, updated


def export_contacts(contacts):
    """The CSV text of `contacts`, in the columns an import reads."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for contact in contacts.prefetch_related("tags", "departments").order_by("name", "pk"):
        writer.writerow(
            _safe(cell)
            for cell in [
                contact.name,
                contact.email,
                contact.outlet,
                contact.language,
                SEPARATOR.join(tag.name for tag in contact.tags.all()),
                SEPARATOR.join(department.slug for department in contact.departments.all()),
                contact.accredited_until.isoformat() if contact.accredited_until else "",
                "yes" if contact.notify_when_public else "no",
                contact.notes,
            ]
        )
    return buffer.getvalue()
