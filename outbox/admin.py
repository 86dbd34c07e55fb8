"""Outgoing mail in the admin, for administrators: what went, what waits and
what failed, with the error. Rows are never edited nor deleted here (a row
is what keeps a message from going twice); a failed one can be sent again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox import services
from outbox.models import Message
from releases.admin.readonly import ReadOnlyAdmin
from releases.admin.search import SearchTermAdminMixin


@admin.register(Message)
class MessageAdmin(SearchTermAdminMixin, ReadOnlyAdmin):
    list_display = ["subject", "to", "kind", "status", "attempts", "created_at", "sent_at", "short_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject", "key", "message_id"]
    date_hierarchy = "created_at"
    # A fan-out makes many rows: no second count of them all on each page.
    show_full_result_count = False
    actions = ["retry_selected"]
    fields = readonly_fields = [
        "status",
        "kind",
        "key",
        "to",
        "from_email",
        "subject",
        "message_id",
        "attempts",
        "last_error",
        "created_at",
        "due_at",
        "claimed_at",
        "sent_at",
        "headers",
        "text",
        "html",
    ]

    def has_retry_permission(self, request):
        return request.user.has_perm("outbox.retry_message")

    @admin.display(description=_("last error"))
    def short_error(self, message):
        return message.last_error[:120]

    @admin.action(description=_("Send selected failed messages again"), permissions=["retry"])
    def retry_selected(self, request, queryset):
        count = services.retry(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed message queued to be sent again.",
                "%(count)d failed messages queued to be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
