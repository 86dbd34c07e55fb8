from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from imports.forms import ArchiveUploadForm
from imports.models import ImportedItem, ImportRun, OldAddress
from releases.admin.readonly import ReadOnlyAdmin


@admin.register(OldAddress)
class OldAddressAdmin(admin.ModelAdmin):
    list_display = ["__str__", "release", "created_at"]
    list_select_related = ["release"]
    search_fields = ["path", "query", "release__title"]
    autocomplete_fields = ["release"]
    fields = ["path", "query", "release"]


@admin.register(ImportedItem)
class ImportedItemAdmin(ReadOnlyAdmin):
    """What imports brought in, to look up; an import run again keeps it."""

    list_display = ["source_id", "source", "release", "imported_at", "updated_at"]
    list_filter = ["source"]
    list_select_related = ["release"]
    search_fields = ["source_id", "release__title"]
    readonly_fields = ["source", "source_id", "release", "translation_group", "imported_at", "updated_at"]
    fields = readonly_fields
    # Read only, deleting too: without its row, the next run of the import
    # would bring the item in again, as a second release.


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """The imports in the background: their progress while they run (counts
    redrawn every few seconds), then their summary and report, kept as the
    record of what was imported, and when. Queued by `import_archive
    --background` (a file on the server, a folder of saved pages, an
    address) or by uploading an archive file here: the "add" page is the
    upload (ArchiveUploadForm); a run is never edited nor deleted."""

    list_display = [
        "__str__", "status", "items", "created", "updated", "unchanged", "refused", "skipped", "attempts",
        "queued_at", "heartbeat_at", "finished_at",
    ]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["source"]
    readonly_fields = [
        "source", "arguments", "status", "items", "created", "updated", "unchanged", "refused", "skipped",
        "summary", "report_file", "error", "attempts", "queued_at", "started_at", "heartbeat_at", "finished_at",
    ]  # fmt: skip
    fields = readonly_fields

    @admin.display(description=_("report"))
    def report_file(self, run):
        if not run.report:
            return "-"
        address = reverse("admin:imports_importrun_report", args=[run.pk])
        return format_html('<a href="{}">{}</a>', address, Path(run.report).name)

    def has_add_permission(self, request):
        return request.user.has_perm("imports.add_importrun")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ArchiveUploadForm(request.POST, request.FILES) if posted else ArchiveUploadForm()
        if posted and form.is_valid():
            run = form.queue()
            self.message_user(
                request,
                gettext("Import %(number)s is queued: a worker carries it out, and this page shows how far it is.")
                % {"number": run.pk},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:imports_importrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import an archive file"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/imports/importrun/upload.html", context)

    def get_urls(self):
        report = path("<int:pk>/report/", self.admin_site.admin_view(self.report_view), name="imports_importrun_report")
        return [report, *super().get_urls()]

    def report_view(self, request, pk):
        run = get_object_or_404(ImportRun, pk=pk)
        if not self.has_view_permission(request, run):
            raise PermissionDenied
        report = Path(run.report) if run.report else None
        if report is None or not report.is_file():
            raise Http404(_("The report is not there (yet)."))
        return FileResponse(open(report, "rb"), as_attachment=True, filename=report.name, content_type="text/csv")
