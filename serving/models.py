"""What tells kept copies of public pages from current ones
(serving/pagecache.py): the version of the public content, drawn anew in
the database at every change. The queryset that announces bulk writes of
public content belongs to the domain (releases/models/public.py)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


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
