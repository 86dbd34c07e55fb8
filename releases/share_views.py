"""The embargoed share page: a journalist without an account reads a release
that is not public yet through a secret link an editor gave them
(releases.models.ShareLink). Every view is logged; the page is never cached
nor indexed."""

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from releases.models import ShareLink
from releases.models.release import tags_prefetch
from serving.client import client_address


@never_cache
def shared_release(request, token):
    """A release under embargo, in its own language, with an "Embargoed
    until" banner. 404 for an unknown, expired or revoked link and for a
    withdrawn release; a release that has become public meanwhile is
    redirected to its public page, through a revoked link too until it
    expires: revoking keeps a release from a reader before its time, and
    once it is public their saved link may as well lead to it."""
    with transaction.atomic():
        # Found through the token's unique index, never compared in Python:
        # with 256 random bits, the time an answer takes tells a guesser
        # nothing they could use.
        link = get_object_or_404(
            ShareLink.objects.filter(expires_at__gt=timezone.now()).select_related(
                "release__department", "release__event"
            ),
            token=token,
        )
        release = link.release
        if release.is_withdrawn:
            raise Http404
        if release.is_published:
            return redirect(release.get_absolute_url())
        if link.revoked_at is not None:
            raise Http404
        link.record_view(address=client_address(request), user_agent=request.META.get("HTTP_USER_AGENT", ""))
    prefetch_related_objects([release], tags_prefetch())

    # The address has no language prefix: the page speaks the release's
    # language, as LocaleMiddleware would have made it under /az/ or /ru/.
    translation.activate(release.language)
    request.LANGUAGE_CODE = release.language
    context = {
        "release": release,
        "share_link": link,
        # No other language versions (they may not be public, and the link is
        # for this one): the switcher leads to the other languages' lists.
        "translation_urls": {},
        # Nor related, previous or next releases: nothing of another release
        # under embargo may show here.
        "related_releases": [],
    }
    response = TemplateResponse(request, "releases/release_detail.html", context)
    response["X-Robots-Tag"] = "noindex"
    # The address is the secret: keep it out of the Referer header of links
    # followed from the page (SecurityMiddleware would send it to this site).
    response["Referrer-Policy"] = "no-referrer"
    return response
