import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from releases.admin.csp import ContentSecurityPolicyMediaMixin
from releases.admin.editing import PublicContentAdminMixin
from releases.admin.filters import (
    AuthorFilter,
    EventFilter,
    PublicationDateFilter,
    ScheduleFilter,
    TagFilter,
    autocomplete_filter_media,
)
from releases.admin.history import ReleaseHistoryAdminMixin, RevisionAdminMixin, compare_url
from releases.admin.media import DocumentInline, GalleryInline, lead_thumbnail
from releases.admin.paginators import EstimatedCountPaginator
from releases.admin.presence import PresenceAdminMixin
from releases.admin.search import FullTextSearchAdminMixin, SearchTermAdminMixin
from releases.admin.translations import MissingTranslationFilter, TranslationsAdminMixin, with_versions
from releases.admin.workflow import WorkflowStepsAdminMixin
from releases.admin.writing import WritingDeskAdminMixin
from releases.forms import CommentForm, ReleaseAdminForm
from releases.models import Release
from releases.models.media import lead_image_prefetch
from releases.models.release import tags_prefetch
from releases.models.workflow import PUBLISH_PERMISSION, WITHDRAW_PERMISSION
from releases.slugs import LETTERS_IN_ASCII


@admin.register(Release)
class ReleaseAdmin(
    SearchTermAdminMixin,
    FullTextSearchAdminMixin,
    ContentSecurityPolicyMediaMixin,
    TranslationsAdminMixin,
    ReleaseHistoryAdminMixin,
    PublicContentAdminMixin,
    RevisionAdminMixin,
    PresenceAdminMixin,
    WorkflowStepsAdminMixin,
    WritingDeskAdminMixin,
    admin.ModelAdmin,
):
    form = ReleaseAdminForm
    list_display = ["title", lead_thumbnail, "languages", "status_label", "published_at", "department", "tag_list"]
    # Rendering a row costs more than reading it: 50 keep a page quick.
    list_per_page = 50
    list_select_related = ["department"]
    # Sized for a million releases (issue 8): choices that do not grow with
    # the data (events and tags by autocomplete, dates by year and month
    # rather than date_hierarchy's DISTINCT over every date), no facet
    # counts, and no COUNT(*) of the whole table on every page.
    list_filter = [
        "status",
        ScheduleFilter,
        AuthorFilter,
        "language",
        MissingTranslationFilter,
        "department",
        EventFilter,
        TagFilter,
        PublicationDateFilter,
    ]
    show_facets = admin.ShowFacets.NEVER
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ["title", "lead", "body"]
    autocomplete_fields = ["department", "event", "delegations"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["workflow_trail", "author", "last_editor", "created_at", "updated_at"]
    not_content_fields = [
        "status", "step", "scheduled_for", "review_comment", "change_note", "known_version", "translation_of",
    ]  # fmt: skip
    actions = ["submit_selected", "publish_selected", "send_back_selected", "withdraw_selected"]
    inlines = [GalleryInline, DocumentInline]
    fieldsets = [
        (None, {"fields": ["language", "translation_of", "known_version", "title", "slug", "lead", "body"]}),
        (_("Context"), {"fields": ["department", "event", "delegations", "tags"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "review_comment", "withdrawal_reason", "change_note"]},
        ),
        (
            _("Record"),
            {
                "fields": ["workflow_trail", "author", "last_editor", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        # slug.js replaces window.URLify, so it must come after the admin's
        # urlify.js: naming both makes the media merge keep that order.
        js = [
            "admin/js/urlify.js",
            "releases/admin/slug.js",
            "releases/admin/presence.js",
            "releases/admin/desk.js",
            "releases/admin/preview.js",
        ]
        css = {"all": ["releases/admin/release.css"]}

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "media" in context:
            context["media"] += autocomplete_filter_media()
        return response

    def get_queryset(self, request):
        return with_versions(super().get_queryset(request)).prefetch_related("tags", lead_image_prefetch(shown=False))

    def changed_content(self, form):
        # A status change records its own step, its time and reason with it.
        stepped = {"status", "step"} & set(form.changed_data)
        workflow = {"published_at", "withdrawal_reason"} if stepped else set()
        return [name for name in super().changed_content(form) if name not in workflow]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.may_add_change_note(request.user):
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "change_note"]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_prepopulated_fields(self, request, obj=None):
        # Retyping a public release's title must not move its address.
        if obj is not None and (obj.is_published or obj.is_withdrawn):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context["slug_letters"] = LETTERS_IN_ASCII  # for slug.js
        context.update(self.workflow_context(request, obj, form), **self.desk_context(request, obj))
        if obj is not None:
            context["editors_url"] = reverse("admin:releases_release_editors", args=[obj.pk])
            context["review_comment"] = obj.latest_review_comment
            if form.conflict:
                context["conflict_url"] = compare_url(obj, form.conflict["known"])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        step = obj.transition(form.requested_status, user=request.user, comment=form.status_comment)
        self.remember_step(request, obj, step)
        # The form offers a change note only to those who may give one; one
        # posted otherwise is ignored.
        if form.cleaned_data.get("change_note") and obj.may_add_change_note(request.user):
            obj.add_change_note(form.cleaned_data["change_note"], user=request.user)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, release):
        if release.is_scheduled:
            return _("Scheduled for %(time)s") % {
                "time": formats.date_format(timezone.localtime(release.published_at), "DATETIME_FORMAT")
            }
        return release.get_status_display()

    @admin.display(description=_("tags"))
    def tag_list(self, release):
        return ", ".join(tag.name for tag in release.tags.all())

    @admin.display(description=_("workflow"))
    def workflow_trail(self, release):
        events = release.workflow_events.select_related("actor")[:20] if release.pk else []
        return (
            format_html_join(
                "",
                "<div>{} · {} · {}{}</div>",
                (
                    (
                        formats.date_format(timezone.localtime(event.created_at), "DATETIME_FORMAT"),
                        event.get_action_display(),
                        event.actor or "",
                        f" · {event.comment}" if event.comment else "",
                    )
                    for event in events
                ),
            )
            or "—"
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="releases_release_preview",
            ),
            *super().get_urls(),
        ]

    def get_view_on_site_url(self, obj=None):
        if obj is None or obj.is_published or obj.is_withdrawn:
            return super().get_view_on_site_url(obj)
        return reverse("admin:releases_release_preview", args=[obj.pk])

    def preview_view(self, request, object_id):
        """The release as the public will see it, with a "not published"
        banner: for drafts, releases in review and scheduled ones. Never
        cached (admin_view adds the headers)."""
        try:
            object_id = Release._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        release = get_object_or_404(
            Release.objects.select_related("department", "event").prefetch_related(tags_prefetch()),
            pk=object_id,
        )
        if not self.has_view_permission(request, release):
            raise PermissionDenied
        return TemplateResponse(request, "releases/release_detail.html", {"release": release, "preview": True})

    # Actions. Each calls the release's own workflow method, which checks the
    # rules; the admin only reports what was refused.

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_withdraw_permission(self, request):
        return request.user.has_perm(WITHDRAW_PERMISSION)

    @admin.action(description=_("Submit selected releases for review"), permissions=["change"])
    def submit_selected(self, request, queryset):
        self._change_each(request, queryset, lambda release: release.submit(user=request.user))

    @admin.action(description=_("Publish selected releases"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._change_each(request, queryset, lambda release: release.publish(user=request.user))

    @admin.action(description=_("Send selected releases back to their authors"), permissions=["publish"])
    def send_back_selected(self, request, queryset):
        return self._with_comment(
            request,
            queryset,
            action="send_back_selected",
            title=_("Send releases back"),
            label=_("Comment for the authors"),
            help_text=_("What should change: the authors see it on the release and in an e-mail."),
            change=lambda release, comment: release.send_back(user=request.user, comment=comment),
        )

    @admin.action(description=_("Withdraw selected releases"), permissions=["withdraw"])
    def withdraw_selected(self, request, queryset):
        return self._with_comment(
            request,
            queryset,
            action="withdraw_selected",
            title=_("Withdraw releases"),
            label=_("Reason for withdrawal"),
            help_text=_("Shown to the public on each withdrawn release, for example: Issued in error."),
            change=lambda release, reason: release.withdraw(user=request.user, reason=reason),
        )

    def _with_comment(self, request, queryset, *, action, title, label, help_text, change):
        """An action that asks for a text on a page of its own first."""
        form = CommentForm(request.POST if "apply" in request.POST else None, label=label, help_text=help_text)
        if form.is_valid():
            comment = form.cleaned_data["comment"]
            self._change_each(request, queryset, lambda release: change(release, comment))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "releases": queryset,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/releases/release/action_with_comment.html", context)

    def _change_each(self, request, queryset, change):
        """Apply `change` to each release, each in a revision of its own;
        report those the rules refused."""
        done = 0
        for release in queryset:
            try:
                with reversion.create_revision():
                    reversion.set_user(request.user)
                    change(release)
            except ValidationError as error:
                self.message_user(request, f"{release}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d release changed.", "%(count)d releases changed.", done) % {"count": done},
                messages.SUCCESS,
            )
