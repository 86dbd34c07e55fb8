"""The writing desk around the release form (issue 16): what the form's
script (static/releases/admin/desk.js) needs to keep work from being lost
and to show the release as it will look.

- Autosave: the script keeps the form's text in the browser's localStorage,
  under a key for this user and release, and offers it back when the form
  opens again after a closed tab or an expired session. A save that
  succeeds says so in a cookie the script reads, and the kept copy goes.
- The live preview: the script posts the form's text here; the preview
  frame then shows the public page made of it, unsaved, for staff only.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.text import slugify
from django.views.decorators.clickjacking import xframe_options_sameorigin
from taggit.utils import parse_tags

from releases.addresses import absolute_url
from releases.models import Delegation, Department, Event, Release, Tag
from releases.models.release import tags_prefetch
from releases.richtext import sanitize_html
from releases.tagnames import tag_key
from releases.text import clean_text, parse_id

# The cookie that tells the script which kept copy a save made obsolete.
SAVED_DRAFT_COOKIE = "pressroom_saved_draft"
# The form's fields the preview shows; the rest of the page is the stored release's.
PREVIEW_TEXT_FIELDS = ["title", "slug", "lead", "body", "language"]
# Long enough for a working session; a preview older than that is made again.
PREVIEW_SECONDS = 4 * 3600
SLUG_PLACEHOLDER = "slug-placeholder"
PREVIEW_SLUG = "preview"


def draft_key(request, obj):
    """The localStorage key of this user's unsaved text of `obj` (None: a
    new release, told apart by what it translates)."""
    subject = obj.pk if obj is not None else f"new{request.GET.get('translation_of', '')}"
    return f"pressroom:release:{request.user.pk}:{subject}"


def address_prefixes():
    """Each language's public address of a release, the slug left to fill in."""
    prefixes = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            url = absolute_url(reverse("releases:release-detail", kwargs={"slug": SLUG_PLACEHOLDER}))
        prefixes[language] = url.split(SLUG_PLACEHOLDER)
    return prefixes


class WritingDeskAdminMixin:
    """For ReleaseAdmin: autosave's key and cookie, the slug's full address,
    the live preview."""

    def desk_context(self, request, obj):
        return {
            "draft_key": draft_key(request, obj),
            "address_prefixes": address_prefixes(),
            "live_preview_url": reverse("admin:releases_release_live_preview")
            + (f"?release={obj.pk}" if obj is not None else ""),
        }

    def response_add(self, request, obj, post_url_continue=None):
        return self._forget_draft(request, None, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._forget_draft(request, obj, super().response_change(request, obj))

    def _forget_draft(self, request, obj, response):
        response.set_cookie(
            SAVED_DRAFT_COOKIE,
            draft_key(request, obj),
            max_age=3600,
            path=reverse("admin:index"),
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response

    def get_urls(self):
        return [
            path(
                "live-preview/",
                self.admin_site.admin_view(xframe_options_sameorigin(self.live_preview_view)),
                name="releases_release_live_preview",
            ),
            *super().get_urls(),
        ]

    def live_preview_view(self, request):
        """POST: keep the form's text for the preview (answers JSON). GET:
        the public page made of it, in the preview frame. Never cached, never
        indexed, only for those who may change the release (or add one)."""
        release = self._previewed_release(request)
        key = f"live-preview:{request.user.pk}:{release.pk or 'new'}"
        if request.method == "POST":
            posted = {name: request.POST.get(name, "") for name in PREVIEW_TEXT_FIELDS}
            posted |= {name: request.POST.getlist(name) for name in ["department", "event", "delegations"]}
            posted["tags"] = request.POST.get("tags", "")
            cache.set(key, posted, PREVIEW_SECONDS)
            return JsonResponse({"saved": True})
        posted = cache.get(key)
        if posted is not None:
            release = self._with_posted(release, posted)
        elif release.pk is not None:
            prefetch_related_objects([release], tags_prefetch())
        response = TemplateResponse(request, "releases/release_detail.html", {"release": release, "preview": True})
        # The one page of the site shown in a frame, and only in the admin's own.
        response._csp_replace = {"frame-ancestors": ["'self'"]}
        return response

    def _previewed_release(self, request):
        pk = request.GET.get("release")
        if not pk:
            if not self.has_add_permission(request):
                raise PermissionDenied
            release = Release(language=translation.get_language() or settings.LANGUAGE_CODE, slug=PREVIEW_SLUG)
            # A release not saved yet has no photos, documents, tags or delegations.
            release.shown_images, release.listed_documents, release.tag_list, release.delegation_list = [], [], [], []
            return release
        try:
            release = self.get_object(request, pk)
        except ValidationError:
            release = None
        if release is None:
            raise Http404
        if not self.has_change_permission(request, release):
            raise PermissionDenied
        return release

    def _with_posted(self, release, posted):
        """`release` (unsaved) as the form would make it: text, department,
        event, delegations and tags as posted; photos and documents as stored."""
        for name in ["title", "lead"]:
            setattr(release, name, clean_text(posted[name]))
        release.body = sanitize_html(posted["body"])
        # Any text may be posted; the page's links need a slug of the URL's letters.
        release.slug = slugify(posted["slug"]) or release.slug or PREVIEW_SLUG
        if posted["language"] in dict(settings.LANGUAGES):
            release.language = posted["language"]
        release.department = Department.objects.filter(pk=_first_id(posted["department"])).first()
        release.event = Event.objects.filter(pk=_first_id(posted["event"])).first()
        ids = [pk for value in posted["delegations"] if (pk := parse_id(value)) is not None][:50]
        release.delegation_list = list(Delegation.objects.filter(pk__in=ids).with_members())
        names = [clean_text(name) for name in parse_tags(posted["tags"])][:50]
        known = {tag.name_key: tag for tag in Tag.objects.filter(name_key__in=[tag_key(name) for name in names])}
        release.tag_list = [known.get(tag_key(name)) or Tag(name=name, slug="") for name in names if name]
        return release


def _first_id(values):
    return next((pk for value in values if (pk := parse_id(value)) is not None), None)
