import re
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from releases.richtext import BODY_EXTENSIONS, sanitize_html
from releases.slugs import slug_from, unique_slug
from releases.text import NormalizedText

from .events import Delegation, Event
from .organisation import Department
from .tags import ReleaseTags, TaggedRelease
from .workflow import ReleaseWorkflow, SlugRedirect, Status

# PostgreSQL text search configuration for each language; "simple" (no
# stemming) for languages PostgreSQL has none for. The trigger that keeps
# Release.search_vector (migration 0003) uses the same mapping.
SEARCH_CONFIGS = {"en": "english", "ru": "russian"}
SEARCH_MAX_LENGTH = 200


class ReleaseQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what the public may see: published releases
        whose publication time has come. A release scheduled for later becomes
        visible by itself at its time, with no job to run."""
        return self.filter(status=Release.Status.PUBLISHED, published_at__lte=timezone.now())

    def readable(self):
        """What a public detail page may show: the published releases, and
        withdrawn ones, which stay readable with a notice of their withdrawal
        but leave every list, feed and search."""
        return self.published() | self.filter(status=Release.Status.WITHDRAWN, published_at__lte=timezone.now())

    def with_all_tags(self, slugs):
        """Releases that carry every tag in `slugs`."""
        for slug in slugs:
            self = self.filter(pk__in=TaggedRelease.objects.filter(tag__slug=slug).values("content_object_id"))
        return self

    def search(self, words, *, language):
        """Releases matching `words`, taken as plain text, never query syntax.

        PostgreSQL: full-text search on the stored, GIN-indexed search vector,
        ranked (title before lead before body) with the language's stemming.
        Other databases: every word must appear in the title, lead or body,
        in any case.
        """
        words = " ".join(words.split())[:SEARCH_MAX_LENGTH]
        if not words:
            return self
        if connection.vendor == "postgresql":
            query = SearchQuery(words, config=SEARCH_CONFIGS.get(language, "simple"), search_type="plain")
            return (
                self.filter(search_vector=query)
                .annotate(rank=SearchRank(F("search_vector"), query))
                .order_by("-rank", "-published_at", "-id")
            )
        for word in words.split():
            # SQLite's LIKE (icontains) folds the case of ASCII letters only:
            # "таможня" would miss "Таможня", "əmək" would miss "Əmək". Words
            # with other letters take a case-insensitive regular expression,
            # slower but right; ASCII words keep the faster LIKE.
            lookup, value = ("icontains", word) if word.isascii() else ("iregex", re.escape(word))
            self = self.filter(
                Q(**{f"title__{lookup}": value}) | Q(**{f"lead__{lookup}": value}) | Q(**{f"body__{lookup}": value})
            )
        return self


class Release(NormalizedText, ReleaseWorkflow, models.Model):
    """A press release in one language.

    Each language version of a release is its own row, linked to the others by
    `translation_key`, so that each has its own slug, text, tags and
    publication state.
    """

    Status = Status

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    translation_key = models.UUIDField(
        _("translation key"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("Shared by the language versions of one release."),
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        help_text=_(
            "For example: The 88th session of the Policy Commission of the World Customs Organization is being held."
        ),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        blank=True,
        help_text=_("The release's address on the site. Left empty, it is made from the title."),
    )
    lead = models.TextField(
        _("lead"),
        max_length=1000,
        blank=True,
        help_text=_("One or two sentences that sum up the release; shown in lists, feeds and search results."),
    )
    body = ProseEditorField(_("body"), extensions=BODY_EXTENSIONS, sanitize=sanitize_html, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="releases",
        verbose_name=_("department"),
        help_text=_("The department that signs the release."),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("event"),
    )
    delegations = models.ManyToManyField(
        Delegation,
        blank=True,
        related_name="releases",
        verbose_name=_("delegations"),
    )
    tags = TaggableManager(
        through=TaggedRelease,
        manager=ReleaseTags,
        blank=True,
        verbose_name=_("tags"),
        help_text=_('Separate tags with commas; put a tag of several words with a comma in "double quotes".'),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "A future time schedules the release: it goes public by itself at that time. "
            "Left empty, publishing sets it to now."
        ),
    )
    withdrawn_at = models.DateTimeField(_("withdrawal time"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"),
        blank=True,
        help_text=_("Shown to the public on the withdrawn release, for example: Issued in error."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="authored_releases",
        verbose_name=_("author"),
    )
    last_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="edited_releases",
        verbose_name=_("last editor"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    public_updated_at = models.DateTimeField(
        _("last public change"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The time of the latest public change note; feeds give it as the release's update time."),
    )
    # Optimistic locking: every save adds one, and a form that was opened at
    # another number is refused (ReleaseAdminForm), so no edit is overwritten.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Kept by a database trigger on PostgreSQL (migration 0003); unused elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        permissions = [
            ("publish_release", _("Can publish, schedule and unpublish releases")),
            ("withdraw_release", _("Can withdraw and restore withdrawn releases")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                name="release_slug_unique_per_language",
                violation_error_message=_("Another release in this language already has this slug."),
            ),
            models.UniqueConstraint(
                fields=["translation_key", "language"],
                name="release_one_version_per_language",
                violation_error_message=_("This release already has a version in this language."),
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="release_slug_not_empty"),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "withdrawn"]) | Q(published_at__isnull=False),
                name="release_published_has_time",
                violation_error_message=_("A published release needs a publication time."),
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="release_withdrawn_has_reason",
                violation_error_message=_("A withdrawn release needs a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["language", "status", "-published_at"], name="release_public_list"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if not self.slug:
            self.slug = self.generate_slug()
        if not self._state.adding:
            self.version += 1
        old_language, old_slug = getattr(self, "_loaded_address", (None, None))
        moved = old_slug and (old_language, old_slug) != (self.language, self.slug)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if moved and (self.is_published or self.is_withdrawn):
                SlugRedirect.objects.update_or_create(
                    language=old_language, old_slug=old_slug, defaults={"release": self}
                )
                # The new address may be an old one coming back into use.
                SlugRedirect.objects.filter(language=self.language, old_slug=self.slug).delete()
        self._loaded_address = (self.language, self.slug)

    def get_absolute_url(self):
        # The address is in the release's own language (/az/releases/...).
        with translation.override(self.language):
            return reverse("releases:release-detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        release = super().from_db(db, field_names, values)
        # The address it had when loaded: a public release keeps it as a redirect.
        release._loaded_address = (release.__dict__.get("language"), release.__dict__.get("slug"))
        return release

    def clean(self):
        # Make the slug before validation, as save() would: otherwise a form
        # left with an empty slug fails the non-empty and unique constraints.
        if not self.slug:
            self.slug = self.generate_slug()

    def generate_slug(self):
        """A slug from the title, unique among releases in the same language."""
        max_length = self._meta.get_field("slug").max_length
        base = slug_from(self.title, max_length=max_length, fallback="release")
        others = Release.objects.filter(language=self.language).exclude(pk=self.pk)
        return unique_slug(others, base, max_length=max_length)

    @classmethod
    def one_version_per_language(cls):
        return next(c for c in cls._meta.constraints if c.name == "release_one_version_per_language")

    @property
    def is_published(self):
        """True when the public may see this release; mirrors `published()`."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_published

    @property
    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN

    def related(self, limit=3):
        """Public releases in the same language sharing the most tags with this one."""
        tag_ids = TaggedRelease.objects.filter(content_object=self).values("tag_id")
        return (
            Release.objects.published()
            .filter(language=self.language, tagged_items__tag_id__in=tag_ids)
            .exclude(pk=self.pk)
            .annotate(shared_tags=Count("tagged_items"))
            .order_by("-shared_tags", "-published_at")
            .only("title", "slug", "published_at", "language")[:limit]
        )

    def public_translations(self):
        """{language: address} of the public language versions of this
        release, this one included when it is public."""
        versions = Release.objects.published().filter(translation_key=self.translation_key).only("language", "slug")
        return {version.language: version.get_absolute_url() for version in versions}

    def previous_public(self):
        """The public release in the same language published just before this one."""
        return (
            Release.objects.published()
            .filter(language=self.language)
            .filter(Q(published_at__lt=self.published_at) | Q(published_at=self.published_at, pk__lt=self.pk))
            .order_by("-published_at", "-pk")
            .only("title", "slug", "language")
            .first()
        )

    def next_public(self):
        """The public release in the same language published just after this one."""
        return (
            Release.objects.published()
            .filter(language=self.language)
            .filter(Q(published_at__gt=self.published_at) | Q(published_at=self.published_at, pk__gt=self.pk))
            .order_by("published_at", "pk")
            .only("title", "slug", "language")
            .first()
        )
