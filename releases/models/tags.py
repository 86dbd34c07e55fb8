from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase, TaggedItemBase

from releases.slugs import slug_from


class Tag(TagBase):
    """A subject of releases ("WCO", "Green Customs"). Names are unique without
    regard to case (TAGGIT_CASE_INSENSITIVE); slugs are readable ASCII."""

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def slugify(self, tag, i=None):
        slug = slug_from(tag, max_length=90, fallback="tag")
        return slug if i is None else f"{slug}-{i}"


class TaggedRelease(TaggedItemBase):
    """The link between a release and a tag: a plain foreign key on each side,
    so that filtering by tag is a join on indexed integers rather than
    taggit's generic (content type, object id) relation."""

    content_object = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_releases")

    class Meta:
        verbose_name = _("tagged release")
        verbose_name_plural = _("tagged releases")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="release_tag_once"),
        ]
