"""Revisions in the admin: every save keeps one; a release's History lists
them, compares any two and restores one (which makes a new revision; history
is never rewritten)."""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from releases.revisions import difference, release_versions, snapshot
from releases.services import restore_revision


class RevisionAdminMixin:
    """Each save of the change form keeps one revision, with its user, the
    inlines saved after the object included.

    Rather than reversion's VersionAdmin, whose recover and revert pages
    bring back a whole revision (a release's status and publication time,
    other objects' tags and delegations) past every rule of the workflow:
    those pages do not exist here, and a release's revisions are restored
    by ReleaseHistoryAdminMixin, which applies the rules."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)


class ReleaseHistoryAdminMixin:
    """For ReleaseAdmin: replaces the admin's history page."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="releases_release_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="releases_release_restore",
            ),
            *super().get_urls(),
        ]

    def _release(self, request, object_id):
        release = self.get_object(request, unquote(object_id))
        if release is None:
            raise Http404
        if not self.has_view_permission(request, release):
            raise PermissionDenied
        return release

    def _context(self, request, release, title, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": release,
            "title": title,
            **context,
        }

    def history_view(self, request, object_id, extra_context=None):
        release = self._release(request, object_id)
        versions = list(release_versions(release))
        context = self._context(
            request,
            release,
            _("History: %(title)s") % {"title": release.title},
            versions=versions,
            events=release.workflow_events.select_related("actor")[:50],
            can_restore=self.has_change_permission(request, release),
        )
        return TemplateResponse(request, "admin/releases/release/history.html", context)

    def compare_view(self, request, object_id):
        release = self._release(request, object_id)
        versions = release_versions(release)
        older = get_object_or_404(versions, pk=_revision_id(request.GET.get("older")))
        newer = get_object_or_404(versions, pk=_revision_id(request.GET.get("newer")))
        if older.pk > newer.pk:
            older, newer = newer, older
        context = self._context(
            request,
            release,
            _("Changes to %(title)s") % {"title": release.title},
            older=older,
            newer=newer,
            differences=difference(snapshot(older), snapshot(newer)),
        )
        return TemplateResponse(request, "admin/releases/release/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        release = self._release(request, object_id)
        if request.method != "POST" or not self.has_change_permission(request, release):
            raise PermissionDenied
        version = get_object_or_404(release_versions(release), pk=version_id)
        restore_revision(release=release, version=version, user=request.user)
        time = formats.date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
        self.message_user(
            request, _("The revision of %(time)s is restored, as a new revision.") % {"time": time}, messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:releases_release_change", args=[release.pk]))


def _revision_id(value):
    """A revision id from the query string; 0, which none has, for anything
    that is not a number (a 404, not a server error)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def compare_url(release, known_version):
    """The difference between the revision saved at `known_version` and the
    latest one, or the history page when there is no such revision."""
    versions = list(release_versions(release)[:50])
    opened = next((version for version in versions if version.field_dict.get("version") == known_version), None)
    if opened is None or not versions:
        return reverse("admin:releases_release_history", args=[release.pk])
    url = reverse("admin:releases_release_compare", args=[release.pk])
    return f"{url}?older={opened.pk}&newer={versions[0].pk}"
