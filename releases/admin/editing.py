"""Who may change what, as the admin renders it: the workflow's answer
(releases.models.workflow.may_edit, read_only_fields), nothing of its own.
An object the user may not change opens read only; an editor's change to
public content is written to the audit trail."""

from django.contrib import messages
from django.contrib.admin.utils import unquote

from releases.models.workflow import EDITORS_ONLY, may_edit, read_only_fields, record_public_edit


class PublicContentAdminMixin:
    """For the admins of releases, events, delegations, departments and tags."""

    # Form fields that are not content (the release form's workflow fields):
    # their changes are recorded otherwise, or not at all.
    not_content_fields = ()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or may_edit(request.user, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if request.method == "GET" and obj is not None and not may_edit(request.user, obj):
            # Said, not left to guess from a form that lost its inputs.
            self.message_user(request, EDITORS_ONLY, messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *sorted(read_only_fields(request.user, self.model))]

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        # Asked before the save: whether readers see (or will see) what it changes.
        form.edits_public_content = change and obj.is_approved
        return obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if getattr(form, "edits_public_content", False):
            changed = [form.fields[name].label or name for name in self.changed_content(form)]
            changed += [formset.model._meta.verbose_name_plural for formset in formsets if formset.has_changed()]
            if changed:
                record_public_edit(form.instance, changed, user=request.user)

    def changed_content(self, form):
        """The names of the form's fields whose change is an edit of content."""
        return [name for name in form.changed_data if name not in self.not_content_fields]


class ContentPartInlineMixin:
    """An inline (photos, documents, delegations, members, a cover) is part
    of its parent's content: changed by whoever may change the parent."""

    def _may_edit_parent(self, request, obj):
        return obj is None or may_edit(request.user, obj)

    def has_add_permission(self, request, obj):
        return self._may_edit_parent(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit_parent(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit_parent(request, obj) and super().has_delete_permission(request, obj)
