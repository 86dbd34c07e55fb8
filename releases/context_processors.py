from django.conf import settings


def agency(request):
    """The press office's name and slogan, and the site's public address,
    for every page (canonical and Open Graph links use SITE_URL, never the
    request's Host)."""
    return {
        "agency_name": settings.PRESSROOM_AGENCY_NAME,
        "agency_slogan": settings.PRESSROOM_AGENCY_SLOGAN,
        "site_url": settings.SITE_URL,
    }
