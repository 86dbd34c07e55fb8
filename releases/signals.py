"""What must follow a change to a release or its tags, whichever code made
it (the admin, the workflow, a revision restored, a command): in the same
transaction, the copies of the release's columns on its tag links
(TaggedRelease), the counts of the tags concerned (TagCount) and the card
stamps of the releases whose tags, tag names or photos changed (CardStamp;
the bulk writes of those models' querysets renew them too); once it
commits, the event `public_content_changed` (releases/events.py), on which the
page cache begins a new version (serving/pagecache.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from releases import events, models
from releases.models import CardStamp, Release, ReleaseImage, Tag, TagCount, TaggedRelease

# What public pages show. A save of any of them, drafts included, empties the
# page cache: simpler to trust than telling which saves a reader could see.
PUBLIC_CONTENT = [
    models.ChangeNote,
    models.Delegation,
    models.DelegationMember,
    models.Department,
    models.Event,
    models.EventCover,
    models.Release,
    models.ReleaseDocument,
    models.ReleaseImage,
    models.SlugRedirect,
    models.Tag,
]


def _counted(release):
    """True when `release` is, or was when loaded, counted by TagCount."""
    published = Release.Status.PUBLISHED
    return release.status == published or getattr(release, "_loaded_status", None) == published


def _tag_ids(release):
    return list(TaggedRelease.objects.filter(content_object=release).values_list("tag_id", flat=True))


@receiver(post_save, sender=Release)
def follow_saved_release(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):  # a new release has no tags yet
        TaggedRelease.objects.filter(content_object=instance).copy_release_columns()
        if _counted(instance):
            TagCount.objects.refresh(_tag_ids(instance))
    instance._loaded_status = instance.status


@receiver(pre_delete, sender=Release)
def note_tags_of_deleted_release(sender, instance, **kwargs):
    instance._counted_tag_ids = _tag_ids(instance) if _counted(instance) else []


@receiver(post_delete, sender=Release)
def count_tags_of_deleted_release(sender, instance, **kwargs):
    TagCount.objects.refresh(getattr(instance, "_counted_tag_ids", []))


@receiver(m2m_changed, sender=TaggedRelease)
def count_changed_tags(sender, instance, action, pk_set, **kwargs):
    # Tags have no manager of their releases: the change is always from the
    # release's side (release.tags).
    if action == "post_add":
        TaggedRelease.objects.filter(content_object=instance).copy_release_columns()
    if not _counted(instance):
        return
    if action in ("post_add", "post_remove"):
        TagCount.objects.refresh(pk_set)
    elif action == "pre_clear":
        instance._cleared_tag_ids = _tag_ids(instance)
    elif action == "post_clear":
        TagCount.objects.refresh(getattr(instance, "_cleared_tag_ids", []))


# What a release's card shows beside its own columns and its department's
# (releases/cards.py): a change renews the card stamps of the releases
# concerned. release.tags adds and removes links with TaggedRelease's
# queryset, which renews them (releases/models/tags.py).


@receiver(post_save, sender=TaggedRelease)
def renew_card_of_linked_release(sender, instance, raw=False, **kwargs):
    if not raw:
        CardStamp.objects.renew([instance.content_object_id])


@receiver(post_save, sender=Tag)
def renew_cards_of_renamed_tag(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):  # a new tag is on no card yet
        CardStamp.objects.renew(Tag.objects.filter(pk=instance.pk).release_ids())


@receiver(pre_delete, sender=Tag)
def renew_cards_of_deleted_tag(sender, instance, **kwargs):
    # Before the deletion takes its links along.
    CardStamp.objects.renew(Tag.objects.filter(pk=instance.pk).release_ids())


@receiver(post_save, sender=ReleaseImage)
@receiver(post_delete, sender=ReleaseImage)
def renew_card_of_photographed_release(sender, instance, raw=False, origin=None, **kwargs):
    # A photo deleted with its release leaves no card to renew.
    if not raw and not _deleting_release(origin):
        CardStamp.objects.renew([instance.release_id])


def _deleting_release(origin):
    return isinstance(origin, Release) or getattr(origin, "model", None) is Release


def _public_content_changed(sender, **kwargs):
    events.content_changed(sender)


for model in PUBLIC_CONTENT:
    post_save.connect(_public_content_changed, sender=model, dispatch_uid=f"public-content-saved-{model.__name__}")
    post_delete.connect(_public_content_changed, sender=model, dispatch_uid=f"public-content-deleted-{model.__name__}")
for through in (TaggedRelease, Release.delegations.through):
    m2m_changed.connect(_public_content_changed, sender=through, dispatch_uid=f"public-content-{through.__name__}")
