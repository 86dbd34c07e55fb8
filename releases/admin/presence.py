"""Who else has a release open in the admin: each open change form reports
every PRESENCE_INTERVAL seconds (static/releases/admin/presence.js) and hears
who else did recently; closing it says so at once (a beacon). Kept in the cache: with several app servers, set
REDIS_URL so that they share it."""

import time

from django.core.cache import cache
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

PRESENCE_INTERVAL = 20
# Someone who has not reported for this long has closed the form.
PRESENCE_TIMEOUT = 3 * PRESENCE_INTERVAL


def _key(object_id):
    return f"release-editors:{object_id}"


def report_presence(object_id, user):
    """Note `user` as editing the release; return the names of the others."""
    now = time.time()
    editors = {
        user_id: (name, seen)
        for user_id, (name, seen) in cache.get(_key(object_id), {}).items()
        if now - seen < PRESENCE_TIMEOUT
    }
    editors[user.pk] = (user.get_full_name() or user.get_username(), now)
    cache.set(_key(object_id), editors, PRESENCE_TIMEOUT)
    return sorted(name for user_id, (name, _seen) in editors.items() if user_id != user.pk)


def report_leaving(object_id, user):
    """Forget `user` as editing the release: they closed the form."""
    editors = cache.get(_key(object_id), {})
    if editors.pop(user.pk, None) is not None:
        cache.set(_key(object_id), editors, PRESENCE_TIMEOUT)


class PresenceAdminMixin:
    """For ReleaseAdmin: the URL the change form reports to."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/editors/",
                self.admin_site.admin_view(require_POST(self.presence_view)),
                name="releases_release_editors",
            ),
            *super().get_urls(),
        ]

    def presence_view(self, request, object_id):
        release = self.get_object(request, object_id)
        if release is None or not self.has_change_permission(request, release):
            return JsonResponse({"editors": []}, status=404)
        if request.POST.get("leaving"):
            # navigator.sendBeacon as the form closes, so that others stop
            # seeing this user at once rather than after PRESENCE_TIMEOUT.
            report_leaving(release.pk, request.user)
            return JsonResponse({"editors": []})
        return JsonResponse({"editors": report_presence(release.pk, request.user), "interval": PRESENCE_INTERVAL})
