"""Photos and documents (issue 5): the gallery of a release, its downloadable
documents, and the cover photo of an event.

Files follow the database. A row's new files are written when the transaction
that saves it commits, and the files of a deleted or replaced row are removed
when the transaction that deletes or replaces it commits: a refused upload or
a save that fails or rolls back leaves no file behind, and no file goes while
a row still points at it. `manage.py media_cleanup` mends what a crash between
the two leaves (orphan files, missing renditions).
"""

from functools import cached_property, partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from releases import documents, images
from releases.slugs import slug_from
from releases.text import NormalizedText
from releases.uploads import delete_files

from .cards import CardStamp
from .events import Event
from .public import PublicContentQuerySet
from .release import Release


class StoredFiles(NormalizedText, models.Model):
    """A row that owns files in storage: `attach` a prepared upload, and
    the files are written, replaced and deleted with the row."""

    original_filename = models.CharField(
        _("original file name"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The name the file had on the uploader's computer: kept for reference, never used to store it."),
    )
    file_size = models.PositiveBigIntegerField(_("file size"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        prepared = self.__dict__.pop("_prepared", None)
        replaced = self.__dict__.pop("_replaced_names", None)
        super().save(*args, **kwargs)
        if prepared is not None:
            transaction.on_commit(partial(self.write_files, self.file.storage, self.file.name, prepared))
        if replaced:
            transaction.on_commit(partial(delete_unused_files, type(self), self.file.storage, replaced))

    def stored_names(self):
        """Every file this row keeps in storage."""
        return [self.file.name] if self.file.name else []

    @staticmethod
    def write_files(storage, name, prepared):
        """Write the files of `prepared` as `name`."""
        saved = storage.save(name, ContentFile(prepared.content))
        if saved != name:
            # Names are random: a clash is a fault, not something to work around.
            storage.delete(saved)
            raise FileExistsError(f"{name} is taken in {storage!r}")

    def attach(self, prepared):
        """Take an accepted upload (images.PreparedImage or
        documents.PreparedDocument) under a new generated name; its files are
        written when the transaction that saves the row commits, and those it
        replaces are deleted then."""
        if self.pk is not None and "_replaced_names" not in self.__dict__:
            self._replaced_names = self.stored_names()
        self.file.name = prepared.generated_name()
        self.original_filename = prepared.original_filename
        self.file_size = len(prepared.content)
        self._prepared = prepared


def delete_stored_files(sender, instance, **kwargs):
    """After a row is deleted, its own delete or a cascade from its release
    or event: its files go when the transaction commits, unless another row
    still uses them."""
    transaction.on_commit(partial(delete_unused_files, sender, instance.file.storage, instance.stored_names()))


def delete_unused_files(model, storage, names):
    """Delete a row's files, `names` (its own file first), unless another
    row of `model` still uses them: the language versions of a release
    share the files of the photos and documents carried from one to another
    (releases.services.carry_media). Asked once the deleting transaction has
    committed; a carry locks the rows it copies, so none can slip in between."""
    if names and model._default_manager.filter(file=names[0]).exists():
        return
    delete_files(storage, names)


class StoredImage(StoredFiles):
    """An image: the original, re-encoded without metadata, and its
    renditions (releases.images)."""

    file = models.FileField(_("image file"), max_length=255, editable=False)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the photo shows, for people who cannot see it; screen readers read it out. For example: "
            "Shahin Baghirov speaks at the 88th session of the WCO Policy Commission."
        ),
    )
    credit = models.CharField(
        _("photo credit"),
        max_length=200,
        blank=True,
        help_text=_("Who took the photo, for example: SCC Press Service."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_filename or self.alt_text[:80] or str(_("image"))

    def attach(self, prepared):
        super().attach(prepared)
        self.width, self.height = prepared.width, prepared.height
        self.__dict__.pop("renditions", None)

    def stored_names(self):
        return images.stored_names(self.file.name, self.width, self.height)

    @staticmethod
    def write_files(storage, name, prepared):
        images.store_image(storage, name, prepared.content, width=prepared.width, height=prepared.height)

    @cached_property
    def renditions(self):
        """[(width, height, WebP address, JPEG address)], narrowest first."""
        storage, found = self.file.storage, {}
        for rendition in images.renditions(self.file.name, self.width, self.height):
            found.setdefault((rendition.width, rendition.height), {})[rendition.content_type] = storage.url(
                rendition.name
            )
        return [
            ImageRendition(width, height, urls["image/webp"], urls["image/jpeg"])
            for (width, height), urls in found.items()
        ]

    @property
    def webp_srcset(self):
        return ", ".join(f"{rendition.webp_url} {rendition.width}w" for rendition in self.renditions)

    @property
    def jpeg_srcset(self):
        return ", ".join(f"{rendition.jpeg_url} {rendition.width}w" for rendition in self.renditions)

    @property
    def largest(self):
        """The widest rendition: the fallback `src`, and the Open Graph image."""
        return self.renditions[-1]

    @property
    def smallest(self):
        """The narrowest rendition: thumbnails in the admin."""
        return self.renditions[0]


class ImageRendition:
    __slots__ = ("width", "height", "webp_url", "jpeg_url")

    def __init__(self, width, height, webp_url, jpeg_url):
        self.width, self.height, self.webp_url, self.jpeg_url = width, height, webp_url, jpeg_url


class ReleaseImageQuerySet(PublicContentQuerySet):
    # Bulk writes send no signal: the cards of the releases whose photos they
    # change are renewed here (releases/signals.py does it for a save).
    def update(self, **kwargs):
        CardStamp.objects.renew(self.values_list("release_id", flat=True))
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        CardStamp.objects.renew(image.release_id for image in objs)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        CardStamp.objects.renew(image.release_id for image in objs)
        return super().bulk_create(objs, *args, **kwargs)

    def lead_first(self):
        """The lead image first, then the gallery in its order."""
        return self.order_by("-is_lead", "order", "pk")

    def shown(self):
        """What public pages show: images with their alt text (a photo added
        in a batch waits off the site until it has one), the lead first."""
        return self.exclude(alt_text="").lead_first()


class ReleaseImage(StoredImage):
    """A photo in the gallery of one language version of a release; its alt
    text and caption are in that version's language."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="images", verbose_name=_("release"))
    caption = models.CharField(
        _("caption"),
        max_length=500,
        blank=True,
        help_text=_("Shown under the photo, for example: The delegation at WCO headquarters in Brussels."),
    )
    is_lead = models.BooleanField(
        _("lead image"),
        default=False,
        help_text=_(
            "Shown at the top of the release, on its card in lists and when it is shared. At most one; "
            "when none is chosen, the first photo leads."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    source_image = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        # Indexed in Meta, built concurrently on a table that is large already.
        db_index=False,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("carried from"),
        help_text=_("The photo of another language version this one was carried from, with its file."),
    )

    objects = ReleaseImageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.UniqueConstraint(
                fields=["release"],
                condition=Q(is_lead=True),
                name="release_one_lead_image",
                violation_error_message=_("A release has at most one lead image."),
            ),
        ]
        indexes = [
            models.Index(fields=["release", "order"], name="release_image_order"),
            # Whether another photo still uses a file (delete_unused_files).
            models.Index(fields=["file"], name="release_image_file"),
            models.Index(fields=["source_image"], name="release_image_source"),
        ]

    def untranslated(self):
        """What this photo, carried from another language version, still
        needs in its release's language: [(what, the other version's text)]."""
        source = self.source_image
        if source is None:
            return []
        return [
            (self._meta.get_field(name).verbose_name, getattr(source, name))
            for name in ("alt_text", "caption")
            if getattr(source, name) and not getattr(self, name)
        ]


class EventCover(StoredImage):
    """The cover photo of an event, shown at the top of its page; its alt
    text and credit have a column per language (releases/translation.py)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="cover", verbose_name=_("event"))

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("cover photo")
        verbose_name_plural = _("cover photos")


class ReleaseDocument(StoredFiles):
    """A document to download with a release: a statement, an agenda."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="documents", verbose_name=_("release"))
    title = models.CharField(
        # Russian names a document's title otherwise than a release's.
        pgettext_lazy("document", "title"),
        max_length=255,
        help_text=_("For example: Agenda of the 88th session of the WCO Policy Commission."),
    )
    file = models.FileField(_("file"), max_length=255, editable=False, storage=documents.document_storage)
    format = models.CharField(_("type"), max_length=8, editable=False)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the document, which may differ from the release's."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    source_document = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        # Indexed in Meta, built concurrently on a table that is large already.
        db_index=False,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("carried from"),
        help_text=_("The document of another language version this one was carried from, with its file."),
    )

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        # Whether another document still uses a file (delete_unused_files).
        indexes = [
            models.Index(fields=["file"], name="release_document_file"),
            models.Index(fields=["source_document"], name="release_document_source"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The download view, in the release's own language."""
        with translation.override(self.release.language):
            return reverse("releases:release-document", kwargs={"slug": self.release.slug, "pk": self.pk})

    def attach(self, prepared):
        super().attach(prepared)
        self.format = prepared.format

    def untranslated(self):
        """What this document, carried from another language version, still
        needs in its release's language: its title, until it is changed."""
        source = self.source_document
        if source is None or self.title != source.title:
            return []
        return [(self._meta.get_field("title").verbose_name, source.title)]

    @property
    def label(self):
        return documents.LABELS.get(self.format, self.format.upper())

    @property
    def content_type(self):
        return documents.CONTENT_TYPES.get(self.format, "application/octet-stream")

    @property
    def download_name(self):
        """The file name the download gets: the title as readable ASCII."""
        return f"{slug_from(self.title, max_length=80, fallback='document')}.{self.format}"


for model in (ReleaseImage, EventCover, ReleaseDocument):
    post_delete.connect(delete_stored_files, sender=model, dispatch_uid=f"delete_stored_files_{model.__name__}")


# Prefetches: a fixed number of queries per page, whatever the number of releases.


def lead_image_prefetch(*, shown=True):
    """Each release's lead image, in one query for a whole page of releases,
    as `release.lead_images` (a list of none or one). `shown=False`: the
    lead among all the images, with or without alt text (the admin's list)."""
    images = ReleaseImage.objects.shown() if shown else ReleaseImage.objects.lead_first()
    # The first of its release's images, found by a subquery per image
    # rather than by slicing the prefetch's queryset, which Django answers
    # with a window function: the same rows, for about two thirds of the CPU
    # of building the query (issue 22; README, "Performance").
    lead = images.filter(release=OuterRef("release")).values("pk")[:1]
    return Prefetch("images", queryset=ReleaseImage.objects.filter(pk=Subquery(lead)), to_attr="lead_images")


def gallery_prefetch():
    """The images a release page shows, lead first, as `release.shown_images`."""
    return Prefetch("images", queryset=ReleaseImage.objects.shown(), to_attr="shown_images")


def documents_prefetch():
    return Prefetch("documents", queryset=ReleaseDocument.objects.order_by("order", "pk"), to_attr="listed_documents")
