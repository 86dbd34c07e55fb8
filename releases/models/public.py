"""What tells kept copies of public pages from current ones
(serving/pagecache.py): the version of the public content, drawn anew in
the database at every change, and the queryset that announces bulk writes
too."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from releases import events


class PublicContentQuerySet(models.QuerySet):
    """For the models public pages show: a bulk write (update, bulk_create,
    bulk_update), which sends no model signal, announces a change of public
    content once it commits (events.content_changed), as a save or a delete
    does (releases/signals.py)."""

    def update(self, **kwargs):
        events.content_changed(self.model)
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        events.content_changed(self.model)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        events.content_changed(self.model)
        return super().bulk_update(objs, fields, *args, **kwargs)


class PublicContentVersion(models.Model):
    """One row: a token of the current version of what the public may see,
    drawn anew at every change. Kept in the database, with the content, so
    that a change made while the cache was unreachable still outdates the
    pages kept there; drawn at random rather than counted, so that a
    database restored from a backup never takes up a token kept before."""

    token = models.UUIDField(_("token"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("public content version")
        verbose_name_plural = _("public content versions")

    def __str__(self):
        return str(self.token)

    @classmethod
    def current(cls, using=None):
        return cls.objects.db_manager(using).values_list("token", flat=True).first()

    @classmethod
    def start_new(cls, using=None):
        versions = cls.objects.db_manager(using)
        if not versions.filter(pk=1).update(token=uuid.uuid4()):
            versions.get_or_create(pk=1)
