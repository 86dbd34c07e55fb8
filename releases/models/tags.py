from django.conf import settings
from django.db import IntegrityError, models, router, transaction
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from taggit.managers import _TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from releases.collation import collated
from releases.slugs import slug_from, unique_slug
from releases.tagnames import TAG_KEY_LENGTH, tag_key
from releases.text import NormalizedText, clean_text

from . import visibility
from .cards import CardStamp
from .public import PublicContentQuerySet
from .workflow import APPROVED, Status

# An IntegrityError on a new tag is another editor's save creating it at the
# same moment, or taking the slug it was about to have: look again, this many
# times at most.
CREATE_ATTEMPTS = 3


class TagQuerySet(PublicContentQuerySet):
    def for_names(self, names):
        """{identity key: tag} for the tags `names` stand for, found by their
        identity key (releases.tagnames.tag_key), so that "WCO", "wco" and "ＷＣＯ"
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

    def in_public_use(self, language, *, most_used=None):
        """The tags of public releases in `language`, each with its
        `release_count`: the `most_used` most used first, or all in the
        alphabetical order of `language` (releases.collation).
        One query whatever the size of the archive (a second only when
        scheduled releases push many of the most used down): the kept
        counts (TagCount), each less its tag's links to releases scheduled
        for later, read from the start of the tag's range of its index."""
        scheduled = TaggedRelease.objects.scheduled(language).filter(tag_id=models.OuterRef("tag_id"))
        counts = (
            TagCount.objects.filter(language=language, releases__gt=0)
            .select_related("tag")
            .annotate(
                scheduled=Coalesce(
                    models.Subquery(
                        scheduled.order_by().values("tag_id").annotate(links=models.Count("*")).values("links")
                    ),
                    0,
                )
            )
        )
        if most_used is None:
            return list(self._visible(counts.order_by(collated("tag__name", language))))
        # The most used, less their scheduled releases: read more of the
        # kept counts only while a tag not yet read could still rank.
        limit = most_used + 20
        while True:
            read = list(counts.order_by("-releases", "tag__name")[:limit])
            tags = sorted(self._visible(read), key=lambda tag: -tag.release_count)[:most_used]
            if len(read) < limit or (len(tags) == most_used and tags[-1].release_count >= read[-1].releases):
                return tags
            limit *= 4

    @staticmethod
    def _visible(counts):
        for count in counts:
            count.tag.release_count = count.releases - count.scheduled
            if count.tag.release_count > 0:
                yield count.tag

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

    def release_ids(self):
        """The ids of the releases carrying these tags."""
        return TaggedRelease.objects.filter(tag__in=self.values("pk")).values_list("content_object_id", flat=True)

    # Bulk writes send no signal: the cards of the releases carrying these
    # tags are renewed here (releases/signals.py does it for a save).
    def update(self, **kwargs):
        CardStamp.objects.renew(self.release_ids())
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        CardStamp.objects.renew(self.filter(pk__in=[tag.pk for tag in objs]).release_ids())
        return super().bulk_update(objs, fields, *args, **kwargs)

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
    when their keys are equal (releases.tagnames.tag_key: case and Unicode case
    folding, the Azerbaijani dotted and dotless i as one letter), on SQLite
    as on PostgreSQL; slugs are readable ASCII."""

    name_key = models.CharField(
        _("identity key"),
        max_length=TAG_KEY_LENGTH,
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
        if self._state.adding and not self.slug:
            # Numbered as release slugs are ("gomruk", "gomruk-2"), in one
            # query; taggit's own numbering would try the insert first and
            # then start at "-1". Another save taking the slug at the same
            # moment makes the insert fail, and for_names looks again.
            using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
            max_length = self._meta.get_field("slug").max_length
            self.slug = unique_slug(
                type(self)._default_manager.using(using), self.slugify(self.name), max_length=max_length
            )
        super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        slug = slug_from(tag, fallback="tag")
        return slug if i is None else f"{slug}-{i}"

    @property
    def is_approved(self):
        """A release an editor approved carries it: see workflow.may_edit."""
        return self.tagged_releases.filter(status__in=APPROVED).exists()


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

    def add(self, *tags, through_defaults=None, tag_kwargs=None, **kwargs):
        """taggit's add, with the new links inserted in one query rather than
        a get_or_create (four queries, a savepoint's among them) each: an
        archive import adds tags to tens of thousands of releases. A link
        another save made meanwhile is kept (ignore_conflicts), as
        get_or_create would; the signals are taggit's, so releases/signals.py
        copies the release's columns and counts the tags as ever."""
        self._remove_prefetched_objects()
        db = router.db_for_write(self.through, instance=self.instance)
        tag_objs = self._to_tag_model_instances(tags, tag_kwargs or {})
        links = self.through._default_manager.using(db)
        existing = set(links.filter(**self._lookup_kwargs()).values_list("tag_id", flat=True))
        new = [tag for tag in tag_objs if tag.pk not in existing]
        signal = {"sender": self.through, "instance": self.instance, "reverse": False, "using": db}
        signal |= {"model": self.through.tag_model(), "pk_set": {tag.pk for tag in new}}
        models.signals.m2m_changed.send(action="pre_add", **signal)
        links.bulk_create(
            [self.through(tag=tag, **self._lookup_kwargs(), **(through_defaults or {})) for tag in new],
            ignore_conflicts=True,
        )
        models.signals.m2m_changed.send(action="post_add", **signal)


class TaggedReleaseQuerySet(PublicContentQuerySet):
    def published(self, language):
        """Links to the public releases in `language`, by the copies of their
        columns: Release.objects.published() without a join."""
        return self.filter(language=language).filter(visibility.public())

    def scheduled(self, language):
        """Links to the releases in `language` scheduled for later, by the
        copies of their columns."""
        return self.filter(language=language).filter(visibility.scheduled())

    # Bulk writes send no signal: the cards of the releases whose links they
    # add, move or remove are renewed here, release.tags's included, which
    # writes through this queryset (releases/signals.py does it for a save).
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        CardStamp.objects.renew(link.content_object_id for link in objs)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        if {"tag", "tag_id", "content_object", "content_object_id"} & set(kwargs):
            CardStamp.objects.renew(self.values_list("content_object_id", flat=True))
        updated = super().update(**kwargs)
        if "content_object" in kwargs or "content_object_id" in kwargs:
            moved_to = kwargs.get("content_object_id", getattr(kwargs.get("content_object"), "pk", None))
            CardStamp.objects.renew([moved_to])
        return updated

    def delete(self):
        CardStamp.objects.renew(self.values_list("content_object_id", flat=True))
        return super().delete()

    def copy_release_columns(self):
        """Bring these links' copies of their releases' columns up to date."""
        release_model = self.model._meta.get_field("content_object").related_model
        release = release_model.objects.filter(pk=models.OuterRef("content_object_id"))
        self.update(
            **{name: models.Subquery(release.values(name)[:1]) for name in ("language", "status", "published_at")}
        )


class TaggedRelease(TaggedItemBase):
    """The link between a release and a tag: a plain foreign key on each side,
    so that filtering by tag is a join on indexed integers rather than
    taggit's generic (content type, object id) relation.

    Each link also carries copies of its release's language, status and
    publication time (kept by releases/signals.py), so that a tag's page of
    public releases, at any depth, and its count read one index of this
    table rather than every release carrying a popular tag.
    """

    content_object = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_releases")
    language = models.CharField(max_length=8, default="", editable=False)
    status = models.CharField(max_length=16, default="", editable=False)
    published_at = models.DateTimeField(null=True, editable=False)

    objects = TaggedReleaseQuerySet.as_manager()

    def delete(self, *args, **kwargs):
        CardStamp.objects.renew([self.content_object_id])
        return super().delete(*args, **kwargs)

    class Meta:
        verbose_name = _("tagged release")
        verbose_name_plural = _("tagged releases")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="release_tag_once"),
        ]
        indexes = [
            models.Index(
                fields=["tag", "language", "-published_at", "-content_object"],
                condition=models.Q(status="published"),
                name="tagged_release_public_order",
            ),
        ]


class TagCountQuerySet(PublicContentQuerySet):
    def refresh(self, tag_ids=None):
        """Count again the published releases of each language carrying the
        tags `tag_ids` (every tag when None), in the caller's transaction so
        that the counts commit with the change. The rows are locked first, in
        one order, so that two saves counting the same tag take turns and
        the second counts the first's releases."""
        languages = [code for code, _name in settings.LANGUAGES]
        links = TaggedRelease.objects.filter(status=Status.PUBLISHED)
        # savepoint=False: part of the caller's transaction, all or nothing
        # with the change it counts, without a savepoint of its own.
        with transaction.atomic(using=self.db, savepoint=False):
            if tag_ids is None:
                tag_ids = list(Tag.objects.values_list("pk", flat=True).order_by("pk"))
            else:
                tag_ids = sorted(set(tag_ids))
                if not tag_ids:
                    return
                links = links.filter(tag_id__in=tag_ids)
                self.bulk_create(
                    [TagCount(tag_id=tag_id, language=language) for tag_id in tag_ids for language in languages],
                    ignore_conflicts=True,
                )
                list(self.select_for_update().filter(tag_id__in=tag_ids).order_by("tag_id", "language").values("pk"))
            found = {
                (row["tag_id"], row["language"]): row["releases"]
                for row in links.values("tag_id", "language").annotate(releases=models.Count("pk"))
            }
            self.bulk_create(
                [
                    TagCount(tag_id=tag_id, language=language, releases=found.get((tag_id, language), 0))
                    for tag_id in tag_ids
                    for language in languages
                ],
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["tag", "language"],
                update_fields=["releases"],
            )


class TagCount(models.Model):
    """How many published releases of one language carry a tag, kept by
    TagCountQuerySet.refresh whenever a release's tags or publication change
    (releases/signals.py), in the same transaction. Releases scheduled for
    later are counted too, since no write marks the moment they go public:
    readers subtract them (Tag.objects.in_public_use), each tag's read from
    the start of its range of the index of public links, newest first."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="counts")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    releases = models.PositiveIntegerField(default=0)

    objects = TagCountQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "language"], name="tag_count_once")]
        indexes = [models.Index(fields=["language", "-releases"], name="tag_count_popular")]

    def __str__(self):
        return f"{self.tag} ({self.language}): {self.releases}"
