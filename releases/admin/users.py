"""Users and groups in the admin: administrators' (README, "Roles"). A
person's access is one choice, their role (releases.roles.Role), which sets
their staff and administrator status and their role group together. Should
someone who is not an administrator be given the permission to change users
or groups, they still cannot raise anyone's access, their own included:
Django's own admin lets whoever may change a user tick "Superuser status".
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from releases.roles import Role, assign_role, role_of

# What gives a user access: shown, but only administrators change it.
ACCESS_FIELDS = ["role", "is_staff", "is_superuser", "groups", "user_permissions"]

ROLE_HELP = _(
    "Press staff write; editors also publish, schedule and withdraw; administrators also manage users. "
    "The role gives access to the admin: with none, the person cannot sign in to it."
)

admin.site.unregister(User)
admin.site.unregister(Group)


class PressroomAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in, which says plainly when the user name and
    password are right but the account has no access to the admin. Only
    after the right password: to anyone else, an account that exists and
    one that does not get the same answer."""

    def confirm_login_allowed(self, user):
        if user.is_active and not user.is_staff:
            raise ValidationError(
                _(
                    "Your user name and password are correct, but this account has no access to the admin. "
                    "Ask an administrator to give it a role."
                ),
                code="no_admin_access",
            )
        super().confirm_login_allowed(user)


admin.site.login_form = PressroomAuthenticationForm


class RoleFormMixin(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices, initial=Role.NONE, help_text=ROLE_HELP)

    acting_user = None  # set by PressroomUserAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "role" in self.fields and self.instance.pk is not None:
            self.fields["role"].initial = role_of(self.instance)

    def clean_role(self):
        role = self.cleaned_data["role"]
        if self.instance.pk is not None and self.instance == self.acting_user and role != Role.ADMINISTRATOR:
            # Nobody would be left to give it back.
            raise ValidationError(_("You cannot take away your own administrator role."), code="own_role")
        return role


class UserRoleChangeForm(RoleFormMixin, UserChangeForm):
    pass


class UserRoleCreationForm(RoleFormMixin, AdminUserCreationForm):
    pass


@admin.register(User)
class PressroomUserAdmin(UserAdmin):
    form = UserRoleChangeForm
    add_form = UserRoleCreationForm
    list_display = ["username", "email", "first_name", "last_name", "role_label", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Access"), {"fields": ["role", "is_active"]}),
        (
            _("Permissions"),
            {
                "fields": ["groups", "user_permissions"],
                "classes": ["collapse"],
                "description": _("Further groups and permissions, beyond those the role gives."),
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    # A record, not for editing (and the admin's split date and time inputs
    # have no labels a screen reader could read).
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2", "role"]}),
    ]

    def get_queryset(self, request):
        # The role column reads each user's groups: one query for the page.
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("role"))
    def role(self, user):
        return Role(role_of(user)).label

    @admin.display(description=_("role"))
    def role_label(self, user):
        return self.role(user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ACCESS_FIELDS
        return readonly

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the groups field: the role has the last word on its group.
        if "role" in form.cleaned_data and (not change or "role" in form.changed_data):
            assign_role(form.instance, form.cleaned_data["role"])

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
