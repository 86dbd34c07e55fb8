"""Writes that span several rows, each in one transaction."""

import reversion
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from releases import events
from releases.models import (
    Delegation,
    Department,
    Event,
    Release,
    ReleaseDocument,
    ReleaseImage,
    Tag,
    TagCount,
    TaggedRelease,
    WorkflowEvent,
)
from releases.revisions import CONTENT_FIELDS, tag_names


def merge_tags(*, keep, merge):
    """Move every release tagged with one of `merge` onto `keep`, then delete
    the merged tags. A release that carried several of them keeps one link."""
    merge_ids = [tag.pk for tag in merge if tag.pk != keep.pk]
    with transaction.atomic():
        release_ids = set(
            TaggedRelease.objects.filter(tag_id__in=merge_ids).values_list("content_object_id", flat=True)
        )
        release_ids -= set(
            TaggedRelease.objects.filter(tag=keep, content_object_id__in=release_ids).values_list(
                "content_object_id", flat=True
            )
        )
        TaggedRelease.objects.bulk_create(
            TaggedRelease(tag=keep, content_object_id=release_id) for release_id in sorted(release_ids)
        )
        TaggedRelease.objects.filter(tag=keep, content_object_id__in=release_ids).copy_release_columns()
        Tag.objects.filter(pk__in=merge_ids).delete()
        TagCount.objects.refresh([keep.pk])
    return len(release_ids)


def restore_revision(*, release, version, user):
    """Bring back the text, context and tags of `release` as they were at
    `version`, as a new revision and a "restored" workflow event. The status
    and publication time stay as they are: they change only through the
    workflow's checked transitions. Refused (ValidationError) to whoever may
    not edit the release (Release.check_edit)."""
    fields = version.field_dict
    release.check_edit(user, {name: fields[name] for name in CONTENT_FIELDS})
    current_slug = release.slug
    with transaction.atomic(), reversion.create_revision():
        for name in CONTENT_FIELDS:
            setattr(release, name, fields[name])
        # What no longer exists, or now belongs to another release, stays as it is.
        if Release.objects.filter(language=release.language, slug=release.slug).exclude(pk=release.pk).exists():
            release.slug = current_slug
        if not Department.objects.filter(pk=release.department_id).exists():
            release.department_id = Release.objects.values_list("department_id", flat=True).get(pk=release.pk)
        if release.event_id and not Event.objects.filter(pk=release.event_id).exists():
            release.event_id = None
        release.last_editor = user
        release.save()
        release.delegations.set(Delegation.objects.filter(pk__in=fields.get("delegations") or []))
        release.tags.set(tag_names(version))
        when = formats.date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
        comment = gettext("Restored the revision of %(time)s.") % {"time": when}
        release.workflow_events.create(action=WorkflowEvent.Action.RESTORED, actor=user, comment=comment)
        events.changed(release_id=release.pk, actor_id=user.pk)
        reversion.set_user(user)
        reversion.set_comment(comment)


def carry_media(*, source, translation, photos=False, documents=False):
    """Give `translation`, a new language version of `source`, the photos
    and documents of `source` (those asked for): new rows that share the
    stored files (nothing is copied on disk; a file goes with the last row
    that uses it, releases.models.media.delete_unused_files). Photo credits,
    the lead and the order carry over; the alt text and caption, in the
    source's language, do not: each carried photo waits off the site until
    it has its alt text in the new language, and the translation's form
    flags it (ReleaseImage.untranslated). A document keeps its title, and
    its flag, until the title is changed. Returns (photos, documents)
    carried."""
    carried = ([], [])
    with transaction.atomic():
        # Photos uploaded with the translation's own first save keep their lead.
        has_lead = translation.images.filter(is_lead=True).exists()
        if photos:
            # Locked, so that a photo deleted meanwhile cannot take its
            # files away from its new copy (delete_unused_files).
            for image in ReleaseImage.objects.select_for_update().filter(release=source).order_by("order", "pk"):
                carried[0].append(
                    ReleaseImage(
                        release=translation,
                        source_image=image,
                        file=image.file.name,
                        width=image.width,
                        height=image.height,
                        original_filename=image.original_filename,
                        file_size=image.file_size,
                        credit=image.credit,
                        is_lead=image.is_lead and not has_lead,
                        order=image.order,
                    )
                )
            ReleaseImage.objects.bulk_create(carried[0])
        if documents:
            for document in ReleaseDocument.objects.select_for_update().filter(release=source).order_by("order", "pk"):
                carried[1].append(
                    ReleaseDocument(
                        release=translation,
                        source_document=document,
                        file=document.file.name,
                        format=document.format,
                        original_filename=document.original_filename,
                        file_size=document.file_size,
                        title=document.title,
                        language=document.language,
                        order=document.order,
                    )
                )
            ReleaseDocument.objects.bulk_create(carried[1])
    return carried
