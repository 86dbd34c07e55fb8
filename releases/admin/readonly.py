"""Change lists that only show what the product wrote (the audit trail, the
outbox, the alerts' sendings, imports, distributions): nobody adds, edits
or deletes there; an admin allows one of them again by overriding it."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
