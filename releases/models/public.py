"""The queryset of the models public pages show, which announces bulk writes
as changes of public content (releases/events.py), so that the page cache
(serving/pagecache.py) begins a new version of what the public may see."""

from django.db import models

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
