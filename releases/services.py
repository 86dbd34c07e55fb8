"""Writes that span several rows, each in one transaction."""

from django.db import transaction

from releases.models import Tag, TaggedRelease


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
        Tag.objects.filter(pk__in=merge_ids).delete()
    return len(release_ids)
