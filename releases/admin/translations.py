"""The release admin's view of language versions: which exist (a column),
which are missing (a filter), and adding one from an existing release, in one
step, with its text shown for reference."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from releases.models import Release


def language_name(code):
    return get_language_info(code)["name_translated"]


def with_versions(releases):
    """Annotate `version_<code>`: the id of the release's version in each
    language, or None. A subquery per language on the unique
    (translation_key, language) index keeps the list to one query."""
    return releases.annotate(
        **{
            f"version_{code}": Subquery(
                Release.objects.filter(translation_key=OuterRef("translation_key"), language=code)
                .order_by()
                .values("pk")[:1]
            )
            for code, _name in settings.LANGUAGES
        }
    )


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
        pk = request.GET.get("translation_of", "")
        source = Release.objects.filter(pk=pk).first() if pk.isdigit() else None
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
            )
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        source = self.translation_source(request)
        if source is not None:
            extra_context = {**(extra_context or {}), "translation_source": source}
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
        return super().change_view(request, object_id, form_url, extra_context)
