"""Users and groups in the admin: administrators' (README, "Roles"). Should
someone who is not an administrator be given the permission to change users
or groups, they still cannot raise anyone's access, their own included:
Django's own admin lets whoever may change a user tick "Superuser status".
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied

# What gives a user access: shown, but only administrators change it.
ACCESS_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PressroomUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ACCESS_FIELDS
        return readonly

    def has_change_permission(self, request, obj=None):
        # An administrator's account (its e-mail address, its password) is
        # only for administrators to change: whoever holds it holds the site.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action checks the model, not each user.
        if not request.user.is_superuser and queryset.filter(is_superuser=True).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)


@admin.register(Group)
class PressroomGroupAdmin(GroupAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("permissions")
        return readonly
