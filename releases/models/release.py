import uuid
from collections import Counter
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, JSONObject
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from releases.collation import sort_key
from releases.richtext import BODY_EXTENSIONS, sanitize_html
from releases.search import search_releases
from releases.slugs import SLUG_LENGTH, slug_from, unique_slug
from releases.text import NormalizedText

from . import visibility
from .desk import DeskQuerySetMixin
from .events import Delegation, Event
from .organisation import Department
from .public import PublicContentQuerySet
from .tags import ReleaseTags, TaggedRelease
from .workflow import ReleaseWorkflow, SlugRedirect, Status

RELATED_CANDIDATES = 50
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)


class ReleaseQuerySet(DeskQuerySetMixin, PublicContentQuerySet):
    def published(self):
        """What the public may see (visibility.public): published releases
        whose publication time has come."""
        return self.filter(visibility.public())

    def scheduled(self):
        """Published releases whose publication time is still to come."""
        return self.filter(visibility.scheduled())

    def readable(self):
        """What a public detail page may show (visibility.readable): the
        public releases and those withdrawn after publication."""
        return self.filter(visibility.readable())

    def for_lists(self, language):
        """The public releases in `language`, newest first, with what a list
        entry (a card on the site, an entry of a feed) shows loaded up front:
        the department and the tags, without the body and search vector."""
        return (
            self.published()
            .filter(language=language)
            .select_related("department")
            .prefetch_related(tags_prefetch())
            .defer("body", "search_vector")
        )

    def for_cards(self, language):
        """for_lists, for a list of cards (releases/cards.py): without the
        tags, with each release's card stamp. The cards load the tags and
        the photo of those they render; a kept card needs neither."""
        return self.for_lists(language).prefetch_related(None).select_related("card_stamp")

    def with_page_links(self):
        """Each release with what its public page links to, as subqueries of
        this one query: the public releases in its language published just
        before and after it (`previous_link`, `next_link`: {"pk", "slug",
        "title"} or None) and the slug of each public language version
        (`public_slug_az`...). Read by Release.previous_public,
        next_public and public_translations."""
        public = Release.objects.published().filter(language=OuterRef("language")).order_by()
        # Ranges on the publication time that its index can read, the
        # releases of the very same time told apart by primary key.
        same_time = Q(published_at=OuterRef("published_at"))
        before = public.filter(published_at__lte=OuterRef("published_at")).exclude(same_time, pk__gte=OuterRef("pk"))
        after = public.filter(published_at__gte=OuterRef("published_at")).exclude(same_time, pk__lte=OuterRef("pk"))
        neighbours = {"previous": before.order_by("-published_at", "-pk"), "next": after.order_by("published_at", "pk")}
        # A neighbour's three columns in one subquery: each subquery is
        # built and compiled anew on every request (issue 22).
        link = JSONObject(pk="pk", slug="slug", title="title")
        links = {f"{side}_link": Subquery(releases.values(link=link)[:1]) for side, releases in neighbours.items()}
        versions = Release.objects.published().filter(translation_key=OuterRef("translation_key")).order_by()
        for code, _name in settings.LANGUAGES:
            links[f"public_slug_{code}"] = Subquery(versions.filter(language=code).values("slug")[:1])
        return self.annotate(**links)

    def with_all_tags(self, tag_ids):
        """Releases that carry every tag of `tag_ids` (ids, or expressions
        giving them): a probe of the links' (release, tag) index per
        release, so that a list that walks a department's or an event's
        releases stops as soon as its page is full."""
        for tag_id in tag_ids:
            self = self.filter(Exists(TaggedRelease.objects.filter(content_object_id=OuterRef("pk"), tag_id=tag_id)))
        return self

    def search(self, words, *, language):
        """The releases matching `words` (releases.search.search_releases)."""
        return search_releases(self, words, language=language)


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
    # Kept by a database trigger on PostgreSQL (see releases/search.py); unused elsewhere.
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
            # The public lists' order, for published releases only: pages at
            # any depth read the index alone (ReleasePaginator).
            models.Index(
                fields=["language", "-published_at", "-id"],
                condition=Q(status="published"),
                name="release_public_order",
            ),
            models.Index(
                fields=["department", "language", "-published_at", "-id"],
                condition=Q(status="published"),
                name="release_department_order",
            ),
            # The admin's list of every release, newest first.
            models.Index(fields=["-published_at", "-id"], name="release_admin_list"),
            # Incremental sync through the API (api/sync.py): releases in the
            # order of their latest change, saved or gone public.
            models.Index(Greatest("updated_at", "published_at"), "id", name="release_sync_order"),
            # The sitemap index's last change of the public releases.
            models.Index(fields=["-updated_at"], condition=Q(status="published"), name="release_public_updated"),
            # The desk (releases/models/desk.py): each person's drafts, and
            # the review queue, the longest waiting first.
            models.Index(fields=["author", "status", "-updated_at", "-id"], name="release_author_desk"),
            models.Index(fields=["status", "updated_at", "id"], name="release_status_desk"),
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
        # Whether it was counted in the tag counts (releases/signals.py).
        release._loaded_status = release.__dict__.get("status")
        return release

    def clean(self):
        # Make the slug before validation, as save() would: otherwise a form
        # left with an empty slug fails the non-empty and unique constraints.
        if not self.slug:
            self.slug = self.generate_slug()

    def generate_slug(self):
        """A slug from the title, unique among releases in the same language."""
        max_length = self._meta.get_field("slug").max_length
        base = slug_from(self.title, max_length=min(SLUG_LENGTH, max_length), fallback="release")
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
        """Public releases in the same language sharing the most tags with
        this one (the newest first among equals), found among the newest
        RELATED_CANDIDATES releases of each of its tags: a popular tag then
        costs no more than a rare one."""
        public_links = TaggedRelease.objects.published(self.language).exclude(content_object=self)
        candidates = Q()
        for tag in self.tag_list:  # tags_prefetch(), by the release page
            # A range of the tag's links by publication time, which their
            # index reads: from the RELATED_CANDIDATES-th newest on.
            newest = public_links.filter(tag=tag).order_by("-published_at").values("published_at")
            oldest_candidate = Subquery(newest[RELATED_CANDIDATES - 1 : RELATED_CANDIDATES])
            candidates |= Q(tag=tag, published_at__gte=Coalesce(oldest_candidate, Value(EARLIEST)))
        if not candidates:
            return []
        # Rows rather than instances: a release page reads up to
        # RELATED_CANDIDATES links a tag and shows `limit` of them.
        links = public_links.filter(candidates).values_list(
            "content_object_id", "content_object__title", "content_object__slug", "content_object__published_at"
        )
        shared, found = Counter(), {}
        for pk, title, slug, published_at in links:
            shared[pk] += 1
            found[pk] = {"title": title, "slug": slug, "published_at": published_at}
        ranked = sorted(found, key=lambda pk: (-shared[pk], -found[pk]["published_at"].timestamp()))
        return [Release(pk=pk, language=self.language, **found[pk]) for pk in ranked[:limit]]

    def sort_tag_list(self):
        """Put the tags tags_prefetch() loaded in the alphabetical order of
        the release's language, as its page and its card show them: taggit's
        prefetch takes no ordered queryset, and a release has a handful."""
        in_order = sort_key(self.language)
        self.tag_list.sort(key=lambda tag: in_order(tag.name))

    def public_translations(self):
        """{language: address} of the public language versions of this
        release (this one included when it is public), from
        ReleaseQuerySet.with_page_links."""
        urls = {}
        for code, _name in settings.LANGUAGES:
            if slug := getattr(self, f"public_slug_{code}"):
                urls[code] = Release(language=code, slug=slug).get_absolute_url()
        return urls

    def previous_public(self):
        """The public release in the same language published just before
        this one, from ReleaseQuerySet.with_page_links."""
        return self._neighbour("previous")

    def next_public(self):
        """The public release in the same language published just after this
        one, from ReleaseQuerySet.with_page_links."""
        return self._neighbour("next")

    def _neighbour(self, side):
        link = getattr(self, f"{side}_link")
        return Release(language=self.language, **link) if link else None

    @cached_property
    def delegation_list(self):
        """The delegations of this release, each with its `member_list`."""
        return Delegation.objects.filter(releases=self).with_members()


def tags_prefetch():
    """Each release's tags in one query, as the list `release.tag_list`. A
    list rather than taggit's manager: for a manager, Django builds a
    queryset per release, which on a page of 50 costs more than the query."""
    return Prefetch("tags", to_attr="tag_list")
