from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from releases.admin.translations import MissingTranslationFilter, TranslationsAdminMixin, with_versions
from releases.forms import ReleaseAdminForm, WithdrawForm
from releases.models import Release
from releases.models.release import PUBLISH_PERMISSION, WITHDRAW_PERMISSION


@admin.register(Release)
class ReleaseAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    form = ReleaseAdminForm
    list_display = ["title", "languages", "status_label", "published_at", "department", "tag_list"]
    list_select_related = ["department"]
    list_filter = ["status", "language", MissingTranslationFilter, "department", "event", "tags"]
    date_hierarchy = "published_at"
    search_fields = ["title", "lead", "body"]
    autocomplete_fields = ["department", "event", "delegations"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish_selected", "withdraw_selected"]
    fieldsets = [
        (None, {"fields": ["language", "translation_of", "title", "slug", "lead", "body"]}),
        (_("Context"), {"fields": ["department", "event", "delegations", "tags"]}),
        (_("Publication"), {"fields": ["status", "published_at", "withdrawal_reason"]}),
        (_("Record"), {"fields": ["author", "last_editor", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        # slug.js replaces window.URLify, so it must come after the admin's
        # urlify.js: naming both makes the media merge keep that order.
        js = ["admin/js/urlify.js", "releases/admin/slug.js"]
        css = {"all": ["releases/admin/release.css"]}

    def get_queryset(self, request):
        return with_versions(super().get_queryset(request)).prefetch_related("tags")

    def get_readonly_fields(self, request, obj=None):
        readonly = ["author", "last_editor", "created_at", "updated_at"]
        if not request.user.has_perm(PUBLISH_PERMISSION):
            readonly.append("published_at")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        obj.last_editor = request.user
        obj.change_status(
            form.requested_status, user=request.user, reason=form.cleaned_data.get("withdrawal_reason", "")
        )
        super().save_model(request, obj, form, change)

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
            Release.objects.select_related("department", "event").prefetch_related("tags", "delegations__members"),
            pk=object_id,
        )
        if not self.has_view_permission(request, release):
            raise PermissionDenied
        return TemplateResponse(request, "releases/release_detail.html", {"release": release, "preview": True})

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_withdraw_permission(self, request):
        return request.user.has_perm(WITHDRAW_PERMISSION)

    @admin.action(description=_("Publish selected releases"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._change_each(request, queryset, lambda release: release.publish(user=request.user))

    @admin.action(description=_("Withdraw selected releases"), permissions=["withdraw"])
    def withdraw_selected(self, request, queryset):
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._change_each(request, queryset, lambda release: release.withdraw(user=request.user, reason=reason))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withdraw releases"),
            "opts": self.model._meta,
            "form": form,
            "releases": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/releases/release/withdraw.html", context)

    def _change_each(self, request, queryset, change):
        """Apply `change` to each release; report those the rules refused."""
        done = 0
        for release in queryset:
            try:
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
