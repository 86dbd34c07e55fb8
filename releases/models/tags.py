from django.db import IntegrityError, models, router, transaction
from django.utils.translation import gettext_lazy as _
from taggit.managers import _TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from releases.slugs import slug_from
from releases.text import NormalizedText, clean_text, tag_key

# An IntegrityError on a new tag is another editor's save creating it at the
# same moment, or taking the slug it was about to have: look again, this many
# times at most.
CREATE_ATTEMPTS = 3


class TagQuerySet(models.QuerySet):
    def for_names(self, names):
        """{identity key: tag} for the tags `names` stand for, found by their
        identity key (releases.text.tag_key), so that "WCO", "wco" and "ＷＣＯ"
        are one tag on every database; those that do not exist yet are
        created, under the first name given. Safe when another transaction
        creates the same tag at the same time: its tag is used."""
        wanted = {}
        for name in map(clean_text, names):
            if name:
                wanted.setdefault(tag_key(name), name)
        tags = {tag.name_key: tag for tag in self.filter(name_key__in=list(wanted))}
        for key, name in wanted.items():
            if key not in tags:
                tags[key] = self._create_once(name, key)
        return tags

    def _create_once(self, name, key):
        attempts_left = CREATE_ATTEMPTS
        while True:
            try:
                # A savepoint: on PostgreSQL, the transaction goes on after the
                # refused insert. Under READ COMMITTED, the next query sees
                # the other transaction's tag once it has committed.
                with transaction.atomic(using=self.db):
                    return self.create(name=name)
            except IntegrityError:
                existing = self.filter(name_key=key).first()
                if existing is not None:
                    return existing
                attempts_left -= 1
                if not attempts_left:
                    raise

    def bulk_create(self, objs, *args, **kwargs):
        # Bulk inserts skip save(): give each tag its key here.
        objs = list(objs)
        for tag in objs:
            tag.name = clean_text(tag.name)
            tag.name_key = tag_key(tag.name)
        return super().bulk_create(objs, *args, **kwargs)


TagManager = NaturalKeyManager.from_queryset(TagQuerySet)


class Tag(NormalizedText, TagBase):
    """A subject of releases ("WCO", "Green Customs"). Two names are one tag
    when their keys are equal (releases.text.tag_key: case and Unicode case
    folding, the Azerbaijani dotted and dotless i as one letter), on SQLite
    as on PostgreSQL; slugs are readable ASCII."""

    name_key = models.CharField(
        _("identity key"),
        max_length=255,
        editable=False,
        help_text=_("The name folded for comparison: tags with the same key are one tag."),
    )

    objects = TagManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                name="tag_name_key_unique",
                violation_error_message=_("A tag with this name already exists."),
            ),
        ]

    def save(self, *args, **kwargs):
        self.name_key = tag_key(self.name)
        super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        slug = slug_from(tag, max_length=90, fallback="tag")
        return slug if i is None else f"{slug}-{i}"


class ReleaseTags(_TaggableManager):
    """`release.tags`: taggit's manager, with names resolved to tags by their
    identity key (TagQuerySet.named) rather than by taggit's `iexact`, which
    SQLite applies to ASCII letters only and which fails when two editors
    create the same tag at once."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        tag_model = self.through.tag_model()
        db = router.db_for_write(self.through, instance=self.instance)
        by_key = tag_model._default_manager.using(db).for_names(tag for tag in tags if isinstance(tag, str))
        result, seen = [], set()
        for tag in tags:
            if isinstance(tag, str):
                tag = by_key.get(tag_key(tag))
                if tag is None:  # a name of nothing but white space or control characters
                    continue
            elif not isinstance(tag, tag_model):
                raise ValueError(f"Cannot add {tag!r}: expected {tag_model.__name__} or str.")
            if tag.pk not in seen:
                seen.add(tag.pk)
                result.append(tag)
        return result


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
