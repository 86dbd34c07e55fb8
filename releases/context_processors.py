from django.conf import settings
from django.utils.translation import gettext


def agency(request):
    """The press office's name and slogan, in the language being served, for
    every page."""
    return {
        "agency_name": gettext(settings.PRESSROOM_AGENCY_NAME),
        "agency_slogan": gettext(settings.PRESSROOM_AGENCY_SLOGAN),
    }
