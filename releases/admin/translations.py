"""The release admin's view of language versions: which exist (a column),
which are missing (a filter), and adding one from an existing release, in one
step, with its text shown for reference."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _

from releases.models import Release, ReleaseDocument, ReleaseImage
from releases.services import carry_media
from releases.text import parse_id


def language_name(code):
    return get_language_info(code)["name_translated"]


def with_versions(releases):
    """Annotate `version_<code>` (ReleaseQuerySet.with_language_versions)."""
    return releases.with_language_versions()


def add_translation_url(release, language):
    return reverse("admin:releases_release_add") + "?" + urlencode({"translation_of": release.pk, "language": language})


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("missing translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            (code, _("No %(language)s version") % {"language": language_name(code)}) for code, _n in settings.LANGUAGES
        ]

    def queryset(self, request, queryset):
        if self.value() in dict(settings.LANGUAGES):
            # The annotation's index probe, row by row along the list's
            # order until a page is full; a NOT EXISTS anti-join is planned
            # as a hash join over the whole table, the planner misjudging
            # how many releases lack a version.
            return queryset.filter(**{f"version_{self.value()}__isnull": True})
        return queryset


class TranslationsAdminMixin:
    """Language versions in ReleaseAdmin. Its get_queryset must apply
    with_versions."""

    @admin.display(description=_("languages"))
    def languages(self, release):
        """Each language: a link to its version, or one to add it."""
        links = []
        for code, _name in settings.LANGUAGES:
            pk = getattr(release, f"version_{code}")
            if pk:
                url = reverse("admin:releases_release_change", args=[pk])
                links.append(("present", url, language_name(code), code.upper()))
            else:
                title = _("Add the %(language)s version") % {"language": language_name(code)}
                links.append(("missing", add_translation_url(release, code), title, f"+{code.upper()}"))
        return format_html_join(" ", '<a class="language-{}" href="{}" title="{}">{}</a>', links)

    def translation_source(self, request):
        """The release named by `?translation_of=`, if the user may see it."""
        pk = parse_id(request.GET.get("translation_of"))
        source = Release.objects.filter(pk=pk).first() if pk is not None else None
        return source if source is not None and self.has_view_permission(request, source) else None

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        source = self.translation_source(request)
        if source is not None:
            initial.update(
                translation_of=source.pk,
                department=source.department_id,
                event=source.event_id,
                delegations=list(source.delegations.values_list("pk", flat=True)),
                # Offered, in the field: the translator keeps the names that
                # read the same in the new language and translates the others.
                tags=list(source.tags.all()),
            )
        return initial

    def source_media(self, request):
        """The photos and documents of the release being translated, if any."""
        source = self.translation_source(request)
        if source is None:
            return None, [], []
        if not hasattr(request, "_translation_media"):
            request._translation_media = (
                list(ReleaseImage.objects.filter(release=source).order_by("order", "pk")),
                list(ReleaseDocument.objects.filter(release=source).order_by("order", "pk")),
            )
        return source, *request._translation_media

    def carry_fields(self, request, obj):
        """{name: form field} of the offer to carry the source's media."""
        if obj is not None:
            return {}
        source, images, documents = self.source_media(request)
        fields = {}
        language = source.get_language_display() if source else ""
        if images:
            fields["carry_photos"] = forms.BooleanField(
                label=ngettext(
                    "Carry the %(count)d photo of the %(language)s version",
                    "Carry the %(count)d photos of the %(language)s version",
                    len(images),
                )
                % {"count": len(images), "language": language},
                required=False,
                initial=True,
                help_text=_(
                    "The files are shared, not copied. Each photo then needs its alt text and caption in this "
                    "language, flagged in the gallery with the original's text; until it has its alt text it "
                    "is not shown on the site."
                ),
            )
        if documents:
            fields["carry_documents"] = forms.BooleanField(
                label=ngettext(
                    "Carry the %(count)d document of the %(language)s version",
                    "Carry the %(count)d documents of the %(language)s version",
                    len(documents),
                )
                % {"count": len(documents), "language": language},
                required=False,
                initial=True,
                help_text=_("The files are shared, not copied. Each title is flagged until it is translated."),
            )
        return fields

    def get_form(self, request, obj=None, **kwargs):
        if extra := self.carry_fields(request, obj):
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(base.__name__, (base,), extra)
        form = super().get_form(request, obj, **kwargs)
        source = self.translation_source(request) if obj is None else None
        if source is not None and "tags" in form.base_fields:
            form.base_fields["tags"].help_text = _(
                "Filled in from the %(language)s version: keep the names that read the same in this language "
                "(WCO), translate the others."
            ) % {"language": source.get_language_display()}
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if names := list(self.carry_fields(request, obj)):
            fieldsets = [*fieldsets, (_("Photos and documents of the original"), {"fields": names})]
        return fieldsets

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        source = form.cleaned_data.get("translation_of")
        photos, documents = form.cleaned_data.get("carry_photos"), form.cleaned_data.get("carry_documents")
        if not change and source is not None and (photos or documents):
            carry_media(source=source, translation=form.instance, photos=photos, documents=documents)

    def add_view(self, request, form_url="", extra_context=None):
        source, images, documents = self.source_media(request)
        if source is not None:
            extra_context = {
                **(extra_context or {}),
                "translation_source": source,
                "source_images": images,
                "source_documents": documents,
            }
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        release = self.get_object(request, object_id)
        if release is not None:
            versions = dict(
                Release.objects.filter(translation_key=release.translation_key).values_list("language", "pk")
            )
            other_languages = [
                {
                    "name": language_name(code),
                    "exists": code in versions,
                    "url": reverse("admin:releases_release_change", args=[versions[code]])
                    if code in versions
                    else add_translation_url(release, code),
                }
                for code, _name in settings.LANGUAGES
                if code != release.language
            ]
            extra_context = {**(extra_context or {}), "other_languages": other_languages}
            if request.method == "GET":
                self.flag_untranslated(request, release)
        return super().change_view(request, object_id, form_url, extra_context)

    def flag_untranslated(self, request, release):
        """Say, above the form, what carried from another language version
        still needs its text in this one (flagged row by row below)."""
        waiting = [
            part
            for model, source in ((ReleaseImage, "source_image"), (ReleaseDocument, "source_document"))
            for part in model.objects.filter(release=release, **{f"{source}__isnull": False}).select_related(source)
            if part.untranslated()
        ]
        if waiting:
            message = ngettext(
                "Carried from another language version, %(count)d photo or document still needs its text in "
                "%(language)s: see the flags below.",
                "Carried from another language version, %(count)d photos or documents still need their text in "
                "%(language)s: see the flags below.",
                len(waiting),
            ) % {"count": len(waiting), "language": language_name(release.language)}
            messages.warning(request, message)
