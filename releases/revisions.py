"""Revisions of releases, events, delegations and departments (django-reversion),
and what the admin shows of them: a readable snapshot of a release at each
revision and the difference between two."""

import difflib
import html
import re
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from releases.models import Delegation, DelegationMember, Department, Event, EventCover, Release, Tag, TaggedRelease


def register():
    """Called once, from ReleasesConfig.ready. A release's revision carries its
    tag links (and the tags, should one be deleted later); its delegations are
    a many-to-many field, stored with the release itself. An event's carries
    its delegations and cover photo, as its form edits them."""
    models = [
        (Tag, {}),
        (TaggedRelease, {"follow": ["tag"]}),
        (Release, {"follow": ["tagged_items"], "exclude": ["search_vector"]}),
        (DelegationMember, {}),
        (Delegation, {"follow": ["members"]}),
        (EventCover, {}),
        (Event, {"follow": ["delegations", "cover"]}),
        (Department, {}),
    ]
    for model, options in models:
        reversion.register(model, **options)


def create_initial_revisions(objects, *, comment, user=None):
    """Give each of `objects` (releases, events, delegations, departments:
    any registered model) that has no revision yet its first, as
    django-reversion's `createinitialrevisions` does, so that content made
    outside the admin (the demo, an import) can be restored to how it came
    in after its first edit. One query finds those with a revision already,
    per model; each new revision is one per object, with `comment` ("Imported
    from ...") and `user`. Returns the number of revisions made."""
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    made = 0
    with transaction.atomic():
        for model, rows in by_model.items():
            kept = set(
                Version.objects.get_for_model(model)
                .filter(object_id__in=[str(row.pk) for row in rows])
                .values_list("object_id", flat=True)
            )
            for row in rows:
                if str(row.pk) in kept:
                    continue
                with reversion.create_revision(manage_manually=True):
                    reversion.add_to_revision(row)
                    reversion.set_comment(str(comment))
                    reversion.set_user(user)
                made += 1
    return made


def add_revision(obj, *, comment, user=None):
    """A new revision of `obj` as it is now, with `comment`: an import that
    changed what it had brought in before."""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(obj)
        reversion.set_comment(str(comment))
        reversion.set_user(user)


# What a person reads in a revision, in this order.
SNAPSHOT_FIELDS = [
    ("title", _("Title")),
    ("slug", _("Slug")),
    ("lead", _("Lead")),
    ("body", _("Body")),
    ("department", _("Department")),
    ("event", _("Event")),
    ("delegations", _("Delegations")),
    ("tags", _("Tags")),
    ("status", _("Status")),
    ("published_at", _("Publication time")),
]

# The fields a restore brings back. Status and publication time are not among
# them: those change only through the workflow's checked transitions.
CONTENT_FIELDS = ["title", "slug", "lead", "body", "department_id", "event_id"]


def release_versions(release):
    return Version.objects.get_for_object(release).select_related("revision__user")


def tag_names(version):
    """The names of the tags a release carried at `version`'s revision."""
    revision_versions = version.revision.version_set.all()
    link_type = ContentType.objects.get_for_model(TaggedRelease)
    tag_type = ContentType.objects.get_for_model(Tag)
    tag_ids = [
        v.field_dict["tag_id"] for v in revision_versions
        if v.content_type_id == link_type.pk and v.field_dict["content_object_id"] == int(version.object_id)
    ]  # fmt: skip
    names = {int(v.object_id): v.field_dict["name"] for v in revision_versions if v.content_type_id == tag_type.pk}
    missing = [pk for pk in tag_ids if pk not in names]
    names |= dict(Tag.objects.filter(pk__in=missing).values_list("pk", "name"))
    return sorted((names[pk] for pk in tag_ids if pk in names), key=str.casefold)


def body_text(markup):
    """Rich text compared as text, as a reader sees it: one paragraph a line,
    no markup, character references read ("&lt;" is "<"; the page that shows
    the difference escapes it again)."""
    text = strip_tags(re.sub(r"</(p|h[1-6]|li|blockquote)>|<br\s*/?>", "\n", markup or ""))
    return "\n".join(line.strip() for line in html.unescape(text).splitlines() if line.strip())


def snapshot(version):
    """{field: text} of a release as it was at `version`."""
    fields = version.field_dict
    department = Department.objects.filter(pk=fields.get("department_id")).first()
    event = Event.objects.filter(pk=fields.get("event_id")).first()
    delegations = Delegation.objects.filter(pk__in=fields.get("delegations") or []).select_related("event")
    published_at = fields.get("published_at")
    # In the display time zone, as every other time of the admin.
    shown_at = formats.date_format(timezone.localtime(published_at), "DATETIME_FORMAT") if published_at else ""
    return {
        "title": fields.get("title", ""),
        "slug": fields.get("slug", ""),
        "lead": fields.get("lead", ""),
        "body": body_text(fields.get("body")),
        "department": str(department or ""),
        "event": str(event or ""),
        "delegations": "\n".join(sorted(str(delegation) for delegation in delegations)),
        "tags": ", ".join(tag_names(version)),
        "status": str(Release.Status(fields["status"]).label) if fields.get("status") else "",
        "published_at": shown_at,
    }


@dataclass
class FieldDifference:
    label: str
    before: list  # [(changed, text)], the older side
    after: list  # [(changed, text)], the newer side


def _words(text):
    return re.findall(r"\S+|\s+", text)


def difference(older, newer):
    """The fields that differ between two snapshots, each as the two sides
    split into runs of words, marked where they changed."""
    differences = []
    for name, label in SNAPSHOT_FIELDS:
        if older[name] == newer[name]:
            continue
        a, b = _words(older[name]), _words(newer[name])
        before, after = [], []
        for operation, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if i2 > i1:
                before.append((operation != "equal", "".join(a[i1:i2])))
            if j2 > j1:
                after.append((operation != "equal", "".join(b[j1:j2])))
        differences.append(FieldDifference(label, before, after))
    return differences
