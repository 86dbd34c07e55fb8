from django.contrib import admin

from releases.admin.search import SearchTermAdminMixin
from releases.models import WorkflowEvent


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(SearchTermAdminMixin, admin.ModelAdmin):
    """The audit trail: who submitted, published, scheduled, withdrew, sent
    back or restored what, and when. Read only, for editors and
    administrators (the view permission); nobody adds, edits or deletes."""

    list_display = ["created_at", "action", "release_title", "actor", "comment"]
    list_filter = ["action"]
    list_select_related = ["actor"]
    search_fields = ["release_title", "actor__username", "comment"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
