"""Webhooks in the admin, for administrators: endpoints (address, events,
language, secret), and every delivery with the log of its attempts. A
disabled endpoint shows why; "Enable again" starts its count afresh."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from webhooks import services
from webhooks.models import Attempt, Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "url",
        "language",
        "on_published",
        "on_corrected",
        "on_withdrawn",
        "is_active",
        "disabled_reason",
    ]
    list_filter = ["is_active", "language"]
    search_fields = ["url", "description"]
    readonly_fields = ["failures_in_a_row", "disabled_at", "disabled_reason", "created_at"]
    fieldsets = [
        (None, {"fields": ["url", "description", "secret", "language"]}),
        (_("Events"), {"fields": ["on_published", "on_corrected", "on_withdrawn"]}),
        (_("State"), {"fields": ["is_active", "failures_in_a_row", "disabled_at", "disabled_reason", "created_at"]}),
    ]
    actions = ["enable_selected"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # an address typed without one
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data and obj.is_active:
            obj.failures_in_a_row, obj.disabled_at, obj.disabled_reason = 0, None, ""
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Enable selected endpoints again"), permissions=["change"])
    def enable_selected(self, request, queryset):
        count = services.enable(queryset)
        self.message_user(
            request,
            ngettext("%(count)d endpoint enabled.", "%(count)d endpoints enabled.", count) % {"count": count},
            messages.SUCCESS,
        )


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = readonly_fields = ["at", "status_code", "duration_ms", "error", "response"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["topic", "endpoint", "key", "status", "attempts", "created_at", "delivered_at", "short_error"]
    list_filter = ["status", "topic", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["key", "delivery_id"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [AttemptInline]
    actions = ["retry_selected"]
    fields = readonly_fields = [
        "endpoint",
        "topic",
        "key",
        "delivery_id",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "due_at",
        "claimed_at",
        "delivered_at",
        "body",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, delivery):
        return delivery.last_error[:120]

    @admin.action(description=_("Send selected failed deliveries again"), permissions=["change"])
    def retry_selected(self, request, queryset):
        count = services.retry(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed delivery queued to be sent again.",
                "%(count)d failed deliveries queued to be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
