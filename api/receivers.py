"""What the API keeps of releases that leave the public by deletion."""

from django.db.models.signals import pre_delete

from api.models import RemovedRelease
from releases.models import Release


def remember_removed(sender, instance, **kwargs):
    """Before a release is deleted, in the deleting transaction: a public or
    withdrawn one leaves a RemovedRelease for syncing clients."""
    if Release.objects.readable().filter(pk=instance.pk).exists():
        RemovedRelease.objects.create(
            release_id=instance.pk,
            language=instance.language,
            translation_key=instance.translation_key,
            slug=instance.slug,
        )


def connect():
    pre_delete.connect(remember_removed, sender=Release, dispatch_uid="api-removed-release")
