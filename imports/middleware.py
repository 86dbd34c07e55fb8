"""Old addresses answer 301 to their release: as django.contrib.redirects,
looked up only when the site itself has answered 404, so that the pages it
serves cost nothing more, and a 404 costs one indexed query."""

from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from imports.models import OldAddress


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        if request.path_info.startswith(reverse("api:root")):
            # The API's own 404, in JSON for its clients: never an old page.
            return response
        try:
            old = OldAddress.objects.for_request(request.path_info, request.META.get("QUERY_STRING", ""))
        except DatabaseError:
            # The database is down (README, "Outages"): the page is not found
            # all the same, and the site's own 404 says so.
            return response
        if old is None:
            return response
        return HttpResponsePermanentRedirect(old.release.get_absolute_url())
