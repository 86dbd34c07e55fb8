"""API tokens in the admin, for administrators: a token is made with a name,
shown once on the page that follows (only its digest is kept), and revoked,
never deleted, so that who had access, and when it was last used, stays."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "active", "last_used_at", "created_by", "created_at", "revoked_at"]
    list_select_related = ["created_by"]
    search_fields = ["name", "prefix"]
    actions = ["revoke_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name"]
        return ["name", "prefix", "active", "created_by", "created_at", "last_used_at", "revoked_by", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [field for field in self.get_fields(request, obj) if field != "name"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            # Kept on the request for response_add, the one page that shows it.
            request.api_token_issued = obj.issue(user=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("The token is made"),
            "opts": self.model._meta,
            "api_token": obj,
            "token": request.api_token_issued,
        }
        return TemplateResponse(request, "admin/api/apitoken/issued.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["show_delete"] = False
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("active"), boolean=True)
    def active(self, token):
        return token.is_active

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        count = queryset.revoke(user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d token revoked: its requests are refused from now on.",
                "%(count)d tokens revoked: their requests are refused from now on.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
