"""Photos and documents in the admin (issue 5): a release's gallery and
documents as inlines of its form, with a multiple-file upload that adds one
photo per file; an event's cover photo; thumbnails in the release list and
the gallery.

Uploads are checked as the form is cleaned (releases.images,
releases.documents), so a refused file is a form error and nothing is
stored; accepted ones are stored when the save commits (releases.models.media).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html, format_html_join
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationStackedInline

from releases.admin.editing import ContentPartInlineMixin
from releases.documents import CONTENT_TYPES, LABELS, accepted_formats, prepare_document
from releases.images import check_batch, prepare_image
from releases.models import EventCover, ReleaseDocument, ReleaseImage
from releases.models.workflow import may_delete_part
from releases.uploads import require_store

IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/gif"
THUMBNAIL_WIDTH = 80


class UploadField(forms.FileField):
    """A file judged by its content as the form is cleaned: `prepare` turns
    the upload into a prepared one or raises ValidationError."""

    def __init__(self, *, prepare, accept, **kwargs):
        self.prepare = prepare
        # The empty file gets the message of `prepare`, which names it.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(widget=forms.FileInput(attrs={"accept": accept}), **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return self.prepare(upload) if upload else None


def image_rules():
    return _("JPEG, PNG, WebP or GIF, up to %(size)s and %(megapixels)s megapixels.") % {
        "size": filesizeformat(settings.PRESSROOM_MAX_UPLOAD_BYTES),
        "megapixels": f"{settings.PRESSROOM_MAX_IMAGE_PIXELS / 1_000_000:g}",
    }


def image_thumbnail(image):
    """A small preview of an image, from its narrowest rendition; decorative
    (empty alt) beside the fields that describe it."""
    if image is None or not image.file.name or not image.width:
        return ""
    height = max(1, round(THUMBNAIL_WIDTH * image.height / image.width))
    return format_html(
        '<img class="media-thumbnail" src="{}" width="{}" height="{}" alt="">',
        image.smallest.jpeg_url,
        THUMBNAIL_WIDTH,
        height,
    )


@admin.display(description=_("photo"))
def lead_thumbnail(release):
    """The release list's thumbnail column: needs lead_image_prefetch(shown=False)."""
    images = getattr(release, "lead_images", None)
    return image_thumbnail(images[0]) if images else ""


class UploadForm(forms.ModelForm):
    """A form whose `upload` field replaces the model's file: required until
    the row has one, attached to the row when the form saves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].required = not self.instance.file

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("upload") is not None:
            try:
                require_store(self.instance.file.storage)
            except ValidationError as error:
                self.add_error("upload", error)
        return cleaned_data

    def save(self, commit=True):
        prepared = self.cleaned_data.get("upload")
        if prepared is not None:
            self.instance.attach(prepared)
        return super().save(commit)


class ReleaseImageForm(UploadForm):
    upload = UploadField(label=_("image"), prepare=prepare_image, accept=IMAGE_TYPES, required=False)

    class Meta:
        model = ReleaseImage
        fields = ["alt_text", "caption", "credit", "is_lead", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = image_rules()
        # Blank in the database only for photos added in a batch, which wait
        # off the site for it; whoever saves a photo here gives it.
        self.fields["alt_text"].required = True

    def _get_validation_exclusions(self):
        # The gallery checks the one-lead rule across all its photos
        # (GalleryFormSet.clean), where a photo may take the lead from another
        # in the same save; row by row against the database that would look
        # like two leads.
        return super()._get_validation_exclusions() | {"is_lead"}


class OptionalInlineFormSet(forms.BaseInlineFormSet):
    """An inline that a post may leave out (a script, or a form opened before
    the inline existed): without its management form it changes nothing,
    where Django would refuse the whole save as tampered with."""

    def __init__(self, data=None, files=None, *args, prefix=None, **kwargs):
        prefix = prefix or self.get_default_prefix()
        if data is not None and f"{prefix}-{TOTAL_FORM_COUNT}" not in data:
            data = data.copy()
            data[f"{prefix}-{TOTAL_FORM_COUNT}"] = data[f"{prefix}-{INITIAL_FORM_COUNT}"] = "0"
        super().__init__(data, files, *args, prefix=prefix, **kwargs)


class GalleryFormSet(OptionalInlineFormSet):
    """The photos of a release, plus a multiple-file upload (`<prefix>-upload`)
    that adds one photo per file."""

    request = None  # set by GalleryInline.get_formset, for its message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Too many new photos for one request: refused before any is decoded,
        # and none of them checked (the forms see no file).
        self.batch_refusal = None
        try:
            check_batch(self.new_uploads())
        except ValidationError as error:
            self.batch_refusal = error
            self.files = MultiValueDict()

    @classmethod
    def upload_name(cls, prefix):
        return f"{prefix}-upload"

    def new_uploads(self):
        """Every file this post brings to the gallery: the rows' and the batch's."""
        if not hasattr(self.files, "getlist"):
            return []
        batch = self.upload_name(self.prefix)
        rows = [
            file
            for key in self.files
            if key.startswith(f"{self.prefix}-") and key.endswith("-upload") and key != batch
            for file in self.files.getlist(key)
        ]
        return rows + self.files.getlist(batch)

    def batch_rules(self):
        return _("At most %(count)d photos, and %(megapixels)s megapixels between them, in one save.") % {
            "count": settings.PRESSROOM_MAX_PHOTOS_PER_SAVE,
            "megapixels": f"{settings.PRESSROOM_MAX_PIXELS_PER_SAVE / 1_000_000:g}",
        }

    def kept_forms(self):
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self):
        super().clean()
        if self.batch_refusal is not None:
            raise self.batch_refusal
        leads = [form for form in self.kept_forms() if form.cleaned_data.get("is_lead")]
        chosen = [form for form in leads if "is_lead" in form.changed_data]
        if len(leads) > 1 and len(chosen) != 1:
            raise ValidationError(_("Choose one lead image at most."), code="several_leads")
        # Ticking another photo as the lead moves the lead to it.
        self.lead_form = chosen[0] if chosen else None
        self.batch, errors = [], []
        uploads = self.files.getlist(self.upload_name(self.prefix)) if hasattr(self.files, "getlist") else []
        for upload in uploads:
            try:
                self.batch.append(prepare_image(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        if self.batch:
            require_store(ReleaseImage._meta.get_field("file").storage)

    def save(self, commit=True):
        lead = getattr(self, "lead_form", None)
        if lead is not None:
            for form in self.kept_forms():
                if form is not lead:
                    form.instance.is_lead = False
            if commit:
                # Before the rows are saved, so that no moment has two leads.
                self.instance.images.filter(is_lead=True).exclude(pk=lead.instance.pk).update(is_lead=False)
        saved = super().save(commit)
        if commit and getattr(self, "batch", None):
            saved += self.save_batch()
        return saved

    def save_batch(self):
        last = self.instance.images.aggregate(last=Max("order"))["last"] or 0
        added = []
        for number, prepared in enumerate(self.batch, start=1):
            image = ReleaseImage(release=self.instance, order=last + number)
            image.attach(prepared)
            image.save()
            added.append(image)
        self.new_objects.extend(added)
        if self.request is not None:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)d photo added: give it its alt text in the gallery; until then it is not shown on "
                    "the site.",
                    "%(count)d photos added: give each its alt text in the gallery; until then they are not shown "
                    "on the site.",
                    len(added),
                )
                % {"count": len(added)},
            )
        return added


class ReleasePartInlineMixin(ContentPartInlineMixin):
    """Photos and documents of a release: deleted by whom the workflow says
    (releases.models.workflow.may_delete_part), press staff included while
    the release is unpublished; those carried from another language version
    (releases.services.carry_media) flagged until they have their text in
    this one."""

    source_field = None  # the row's link to the one it was carried from

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            # A new release has no photo or document to delete yet.
            return self.has_change_permission(request, obj)
        return may_delete_part(request.user, obj, self.model)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.source_field)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and self.has_carried(request, obj):
            fields.append("translation_note")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translation_note"]

    def has_carried(self, request, release):
        """Whether `release` has rows of this inline carried from another
        version: the column of flags is shown only then (asked once a request)."""
        asked = request.__dict__.setdefault("_carried_parts", {})
        if self.model not in asked:
            carried = self.model.objects.filter(release=release, **{f"{self.source_field}__isnull": False})
            asked[self.model] = carried.exists()
        return asked[self.model]

    @admin.display(description=_("to translate"))
    def translation_note(self, part):
        untranslated = part.untranslated() if part.pk else []
        return format_html_join(
            "",
            '<p class="needs-translation">{}</p>',
            (
                (_("Needs its %(what)s in this language. The original: “%(text)s”") % {"what": what, "text": text},)
                for what, text in untranslated
            ),
        )


class GalleryInline(ReleasePartInlineMixin, admin.TabularInline):
    model = ReleaseImage
    source_field = "source_image"
    form = ReleaseImageForm
    formset = GalleryFormSet
    extra = 1
    fields = ["thumbnail", "upload", "alt_text", "caption", "credit", "is_lead", "order"]
    readonly_fields = ["thumbnail"]
    template = "admin/releases/release/gallery_inline.html"

    def get_formset(self, request, obj=None, **kwargs):
        # inlineformset_factory makes a new class on each call: the request
        # stays with this one.
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    @admin.display(description=_("photo"))
    def thumbnail(self, image):
        return image_thumbnail(image)


class ReleaseDocumentForm(UploadForm):
    upload = UploadField(label=_("file"), prepare=prepare_document, accept="", required=False)

    class Meta:
        model = ReleaseDocument
        fields = ["title", "language", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = accepted_formats()
        self.fields["upload"].widget.attrs["accept"] = ",".join(CONTENT_TYPES[kind] for kind in kinds)
        self.fields["upload"].help_text = _("%(types)s, up to %(size)s.") % {
            "types": get_text_list([LABELS[kind] for kind in kinds]),
            "size": filesizeformat(settings.PRESSROOM_MAX_UPLOAD_BYTES),
        }


class DocumentInline(ReleasePartInlineMixin, admin.TabularInline):
    model = ReleaseDocument
    source_field = "source_document"
    form = ReleaseDocumentForm
    formset = OptionalInlineFormSet
    extra = 0
    fields = ["upload", "title", "language", "order", "details"]
    readonly_fields = ["details"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # A new document is, most often, in the release's language.
            formset.form.base_fields["language"].initial = obj.language
        return formset

    @admin.display(description=_("file"))
    def details(self, document):
        if not document.file.name:
            return ""
        return format_html(
            "{} · {} · {}", document.label, filesizeformat(document.file_size), document.original_filename
        )


class EventCoverForm(UploadForm):
    upload = UploadField(label=_("image"), prepare=prepare_image, accept=IMAGE_TYPES, required=False)

    class Meta:
        model = EventCover
        fields = ["alt_text", "credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = image_rules()
        # The alt text in the default language at least; the others fall back to it.
        default_alt_text = f"alt_text_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"
        if default_alt_text in self.fields:
            self.fields[default_alt_text].required = True


class EventCoverInline(ContentPartInlineMixin, TranslationStackedInline):
    model = EventCover
    form = EventCoverForm
    formset = OptionalInlineFormSet
    max_num = 1
    extra = 1
    fields = ["thumbnail", "upload", "alt_text", "credit"]
    readonly_fields = ["thumbnail"]

    @admin.display(description=_("photo"))
    def thumbnail(self, cover):
        return image_thumbnail(cover)
