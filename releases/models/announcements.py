"""How far the clock has been followed for scheduled releases: see
releases/announcements.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnouncementMarker(models.Model):
    """One row: every scheduled release whose publication time is at or
    before `announced_up_to` has been announced."""

    announced_up_to = models.DateTimeField(_("announced up to"))

    class Meta:
        verbose_name = _("announcement marker")
        verbose_name_plural = _("announcement markers")

    def __str__(self):
        return str(self.announced_up_to)
