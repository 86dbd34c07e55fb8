from django.conf import settings
from django.utils.translation import gettext


def agency(request):
    """The press office's name and slogan, in the language being served, and
    the site's public address, for every page (canonical and Open Graph links
    use SITE_URL, never the request's Host)."""
    return {
        "agency_name": gettext(settings.PRESSROOM_AGENCY_NAME),
        "agency_slogan": gettext(settings.PRESSROOM_AGENCY_SLOGAN),
        "site_url": settings.SITE_URL,
    }
