"""Media contacts in the admin: staff keep them, import and export them as
CSV. A contact is personal data: the admin's history names it by number
only, never by name or address."""

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from distribution import contacts_csv
from distribution.forms import ImportForm
from distribution.models import MediaContact


class AccreditationFilter(admin.SimpleListFilter):
    title = _("accreditation")
    parameter_name = "accredited"

    def lookups(self, request, model_admin):
        return [("yes", _("Valid or not needed")), ("no", _("Expired"))]

    def queryset(self, request, queryset):
        accredited = queryset.accredited()
        if self.value() == "yes":
            return accredited
        if self.value() == "no":
            return queryset.exclude(pk__in=accredited.values("pk"))
        return queryset


class Unnamed:
    """A contact as the admin's history records it: by number."""

    def __init__(self, obj):
        self.pk = obj.pk
        self._meta = obj._meta

    def __str__(self):
        return gettext("Media contact %(number)s") % {"number": self.pk}


class AnonymousHistoryMixin:
    """Write the admin's history of an object without its name (its
    __str__), which for personal data would keep it after its deletion."""

    def log_addition(self, request, obj, message):
        return LogEntry.objects.log_actions(
            request.user.pk, [Unnamed(obj)], admin.models.ADDITION, message, single_object=True
        )

    def log_change(self, request, obj, message):
        return LogEntry.objects.log_actions(
            request.user.pk, [Unnamed(obj)], admin.models.CHANGE, message, single_object=True
        )

    def log_deletions(self, request, queryset):
        return LogEntry.objects.log_actions(request.user.pk, [Unnamed(obj) for obj in queryset], admin.models.DELETION)


@admin.register(MediaContact)
class MediaContactAdmin(AnonymousHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "outlet", "email", "language", "accredited_until", "notify_when_public"]
    list_filter = ["language", AccreditationFilter, "notify_when_public"]
    search_fields = ["name", "outlet", "email"]
    autocomplete_fields = ["tags", "departments"]
    fields = [
        "name",
        "outlet",
        "email",
        "language",
        "tags",
        "departments",
        "accredited_until",
        "notify_when_public",
        "notes",
    ]
    actions = ["export_selected"]
    change_list_template = "admin/distribution/mediacontact/change_list.html"

    def changelist_view(self, request, extra_context=None):
        may_import = self.has_add_permission(request) and self.has_change_permission(request)
        return super().changelist_view(request, {**(extra_context or {}), "may_import": may_import})

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="distribution_mediacontact_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="distribution_mediacontact_export"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Export selected contacts as CSV"), permissions=["view"])
    def export_selected(self, request, queryset):
        return self._csv(queryset)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._csv(MediaContact.objects.all())

    def _csv(self, contacts):
        response = HttpResponse(contacts_csv.export_contacts(contacts), content_type="text/csv; charset=utf-8")
        name = f"media-contacts-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def import_view(self, request):
        """Upload a CSV file: every row checked, all imported or none."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        errors = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                created, updated = contacts_csv.import_contacts(form.cleaned_data["file"])
            except contacts_csv.ImportRefused as refused:
                errors = refused.errors
                self.message_user(
                    request,
                    ngettext(
                        "Nothing was imported: %(count)d problem, listed below.",
                        "Nothing was imported: %(count)d problems, listed below.",
                        len(errors),
                    )
                    % {"count": len(errors)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    gettext("Imported: %(created)d new contacts, %(updated)d updated.")
                    % {"created": created, "updated": updated},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:distribution_mediacontact_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import media contacts"),
            "opts": self.model._meta,
            "form": form,
            "errors": errors[:500],
            "more_errors": max(0, len(errors) - 500),
            "columns": contacts_csv.COLUMNS,
        }
        return TemplateResponse(request, "admin/distribution/mediacontact/import.html", context)
