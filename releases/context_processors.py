from django.conf import settings


def agency(request):
    """The press office's name and slogan, shown on every public page."""
    return {"agency_name": settings.PRESSROOM_AGENCY_NAME, "agency_slogan": settings.PRESSROOM_AGENCY_SLOGAN}
