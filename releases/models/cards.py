"""The stamp of a release's card (releases/cards.py): what a list needs to
know whether the card it keeps is current without loading the card's tags
and photo (issue 22; README, "Caching")."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

# Rows written a statement at a time when a renamed tag touches many releases.
BATCH = 1000


class CardStampQuerySet(models.QuerySet):
    def renew(self, release_ids):
        """Give the releases of `release_ids` (ids, or a queryset of them) a
        new stamp, in the caller's transaction: their tags, a tag's name or
        their photos changed. A release with no stamp row yet gets one."""
        ids = sorted(set(release_ids))
        stamp = uuid.uuid4()
        for start in range(0, len(ids), BATCH):
            self.bulk_create(
                [CardStamp(release_id=release_id, stamp=stamp) for release_id in ids[start : start + BATCH]],
                update_conflicts=True,
                unique_fields=["release"],
                update_fields=["stamp"],
            )


class CardStamp(models.Model):
    """Moved on, in the transaction of the change, by every change to what a
    release's card shows beside its own columns and its department's: a tag
    added or removed, a tag renamed, a photo added, changed or removed
    (releases/signals.py, and the bulk writes of those models' querysets).
    A card is kept under its release's columns, its department's and this
    stamp, so a list loads the tags and the photo of the cards it renders
    only. A release whose tags and photos have not changed since it was
    written has no row: its stamp is None."""

    # No constraint in the database: a stamp renewed in the transaction that
    # deletes its release, after Django collected what the deletion takes
    # along, must not fail the deletion. The photos' receiver renews none
    # then; a row any other left behind would name a release that is gone,
    # and no card would read it.
    release = models.OneToOneField(
        "releases.Release",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="card_stamp",
        verbose_name=_("release"),
    )
    stamp = models.UUIDField(_("stamp"), default=uuid.uuid4)

    objects = CardStampQuerySet.as_manager()

    class Meta:
        verbose_name = _("card stamp")
        verbose_name_plural = _("card stamps")

    def __str__(self):
        return f"{self.release_id}: {self.stamp}"
