"""An old address added, changed or removed changes what the public gets
at it: the page cache learns of it as of any public content."""

from django.db.models.signals import post_delete, post_save

from imports.models import OldAddress
from releases import events


def _public_content_changed(sender, **kwargs):
    events.content_changed(sender)


post_save.connect(_public_content_changed, sender=OldAddress, dispatch_uid="public-content-saved-OldAddress")
post_delete.connect(_public_content_changed, sender=OldAddress, dispatch_uid="public-content-deleted-OldAddress")
