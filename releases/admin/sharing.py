"""Share links in the admin: editors create one from a release's page (the
add form, with the release filled in), copy its address, see every view of
it and revoke it. Links are revoked, never deleted, so their log stays."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from releases.addresses import absolute_url
from releases.admin.search import SearchTermAdminMixin
from releases.models import ShareLink, ShareLinkView


class ShareLinkStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ShareLink.Status.choices

    def queryset(self, request, queryset):
        by_status = {
            ShareLink.Status.ACTIVE: queryset.active,
            ShareLink.Status.EXPIRED: queryset.expired,
            ShareLink.Status.REVOKED: queryset.revoked,
        }
        return by_status[self.value()]() if self.value() in by_status else queryset


class ShareLinkViewInline(admin.TabularInline):
    """The log of views: read-only, for everyone."""

    model = ShareLinkView
    fields = readonly_fields = ["viewed_at", "ip_address", "user_agent"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("views")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ShareLink)
class ShareLinkAdmin(SearchTermAdminMixin, admin.ModelAdmin):
    list_display = ["release", "note", "status_label", "expires_at", "view_count", "created_by", "created_at"]
    list_select_related = ["release", "created_by"]
    list_filter = [ShareLinkStatusFilter]
    search_fields = ["note", "release__title"]
    autocomplete_fields = ["release"]
    actions = ["revoke_selected"]
    date_hierarchy = "created_at"
    # The admin's "View on site" would log the editor's own visit among the
    # journalists': the release's preview shows the same page.
    view_on_site = False

    class Media:
        js = ["releases/admin/share_link.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(view_count=Count("views"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["release", "expires_at", "note"]
        return [
            "release",
            "address",
            "status_label",
            "expires_at",
            "note",
            "created_by",
            "created_at",
            "revoked_by",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A link's release, address and expiry stay as given: for another
        # time or release, revoke it and create a new one.
        return [field for field in self.get_fields(request, obj) if field != "note"]

    # Links are revoked, never deleted here, so that the log of who read a
    # release under embargo stays; they go only with their release. Editors
    # keep the delete permission, which deleting a release asks for.

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def get_inlines(self, request, obj):
        return [ShareLinkViewInline] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            obj.issue(user=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        # To the link's page, where its address is shown to copy.
        if "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            _("The share link is ready: copy its address below and send it to the journalist."),
            messages.SUCCESS,
        )
        return redirect(reverse("admin:releases_sharelink_change", args=[obj.pk]))

    @admin.display(description=_("address"))
    def address(self, link):
        url = absolute_url(link.get_absolute_url())
        if not link.is_active:
            return format_html('<span class="share-link-inactive"><s>{}</s></span>', url)
        return format_html(
            '<input type="text" id="share-link-address" size="80" value="{}" readonly aria-label="{}"> '
            '<button type="button" class="button" data-copy="share-link-address" data-copied="{}">{}</button>',
            url,
            _("Address of the share link"),
            _("Copied"),
            _("Copy"),
        )

    @admin.display(description=_("status"))
    def status_label(self, link):
        return link.status.label

    @admin.display(description=_("views"), ordering="view_count")
    def view_count(self, link):
        return link.view_count

    @admin.action(description=_("Revoke selected share links"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for link in queryset.filter(revoked_at__isnull=True):
            link.revoke(user=request.user)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d share link revoked.", "%(count)d share links revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name="releases_sharelink_revoke",
            ),
            *super().get_urls(),
        ]

    def revoke_view(self, request, object_id):
        """Ask, then revoke one link: the button on its page."""
        link = self.get_object(request, unquote(object_id))
        if link is None:
            raise Http404
        if not self.has_change_permission(request, link):
            raise PermissionDenied
        change_url = reverse("admin:releases_sharelink_change", args=[link.pk])
        if request.method == "POST":
            link.revoke(user=request.user)
            self.message_user(request, gettext("The share link is revoked: its address no longer works."))
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revoke the share link"),
            "opts": self.model._meta,
            "link": link,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/releases/sharelink/revoke.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_revoke"] = obj is not None and obj.is_active and self.has_change_permission(request, obj)
        context["show_delete"] = False
        return super().render_change_form(request, context, add, change, form_url, obj)
