from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from releases.admin.editing import PublicContentAdminMixin
from releases.admin.search import SearchTermAdminMixin
from releases.collation import collated
from releases.models import Tag, TaggedRelease
from releases.search import search_words
from releases.services import merge_tags
from releases.tagnames import tag_key
from releases.text import clean_text


class TagForm(forms.ModelForm):
    # ASCII only: the public addresses of tags take no other letters.
    slug = forms.SlugField(label=_("slug"), max_length=100, allow_unicode=False)

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = clean_text(self.cleaned_data["name"])
        if '"' in name:
            # The release form's tag input quotes names with a double quote:
            # one inside a name would split it into others on the next save.
            raise forms.ValidationError(
                _('A tag name cannot contain double quotes ("): the release form uses them to group words.'),
                code="quote_in_tag",
            )
        same = Tag.objects.filter(name_key=tag_key(name)).exclude(pk=self.instance.pk).first()
        if same:
            raise forms.ValidationError(
                _("The tag “%(name)s” already exists. To combine the two, use the “Merge” action."),
                code="duplicate_tag",
                params={"name": same.name},
            )
        return name


class MergeTagsForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        label=_("Keep this tag"),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("The other selected tags are deleted; their releases get this tag."),
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = tags


@admin.register(Tag)
class TagAdmin(SearchTermAdminMixin, PublicContentAdminMixin, admin.ModelAdmin):
    form = TagForm
    list_display = ["tag_name", "slug", "release_count"]
    list_display_links = ["tag_name"]
    search_fields = ["name"]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        tags = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            return tags  # the tag filter of the releases' list asks for names only
        # In the alphabetical order of the admin's language (releases.collation).
        tags = tags.annotate(collated_name=collated("name", get_language()))
        # A count per tag shown (one index range apiece), rather than a
        # grouping of every link of every tag before the page is cut.
        links = TaggedRelease.objects.filter(tag=OuterRef("pk")).order_by().values("tag")
        return tags.annotate(release_count=Coalesce(Subquery(links.annotate(n=Count("pk")).values("n")), 0))

    def get_ordering(self, request):
        return [collated("name", get_language())]

    @admin.display(description=_("name"), ordering="collated_name")
    def tag_name(self, tag):
        return tag.name

    @admin.display(description=_("releases"), ordering="release_count")
    def release_count(self, tag):
        return tag.release_count

    def get_prepopulated_fields(self, request, obj=None):
        # A tag's slug is part of public URLs: set once, then kept on renames.
        return {} if obj else {"slug": ["name"]}

    @admin.action(description=_("Merge selected tags"), permissions=["delete"])
    def merge_selected(self, request, queryset):
        tags = Tag.objects.filter(pk__in=queryset.values("pk")).annotate(release_count=Count("tagged_releases"))
        if tags.count() < 2:
            self.message_user(request, _("Select at least two tags to merge."), messages.WARNING)
            return None
        form = MergeTagsForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            moved = merge_tags(keep=keep, merge=list(tags))
            self.message_user(
                request,
                ngettext(
                    "Merged into “%(tag)s”; %(count)d release got the tag.",
                    "Merged into “%(tag)s”; %(count)d releases got the tag.",
                    moved,
                )
                % {"tag": keep.name, "count": moved},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge tags"),
            "opts": self.model._meta,
            "form": form,
            "tags": tags,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/releases/tag/merge.html", context)

    def get_urls(self):
        return [
            path("suggest/", self.admin_site.admin_view(self.suggest_view), name="releases_tag_suggest"),
            *super().get_urls(),
        ]

    def suggest_view(self, request):
        """Names of the tags in use (on any release) that start with `term`,
        for the release form: an orphan tag, left by a deleted release or a
        typing slip, is never offered again."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = search_words(request.GET.get("term"), max_length=100)
        names = []
        if term:
            # By the identity key: "şə" finds "Şəki" on SQLite too.
            in_use = Exists(TaggedRelease.objects.filter(tag=OuterRef("pk")))
            matches = Tag.objects.filter(in_use, name_key__startswith=tag_key(term)).order_by("name")
            names = list(matches.values_list("name", flat=True)[:10])
        return JsonResponse({"tags": names})
