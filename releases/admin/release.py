from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from releases.forms import ReleaseAdminForm, WithdrawForm
from releases.models import Release
from releases.models.release import PUBLISH_PERMISSION, WITHDRAW_PERMISSION


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    form = ReleaseAdminForm
    list_display = ["title", "language", "status_label", "published_at", "department", "tag_list"]
    list_select_related = ["department"]
    list_filter = ["status", "language", "department", "event", "tags"]
    date_hierarchy = "published_at"
    search_fields = ["title", "lead", "body"]
    autocomplete_fields = ["department", "event", "delegations"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish_selected", "withdraw_selected"]
    fieldsets = [
        (None, {"fields": ["language", "title", "slug", "lead", "body"]}),
        (_("Context"), {"fields": ["department", "event", "delegations", "tags"]}),
        (_("Publication"), {"fields": ["status", "published_at", "withdrawal_reason"]}),
        (_("Record"), {"fields": ["author", "last_editor", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["releases/admin/slug.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

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
