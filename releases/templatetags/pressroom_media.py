"""Photos and documents on public pages (issue 5): the lead image of a card,
the images and documents of a release page, media addresses made absolute."""

from django import template
from django.db.models import prefetch_related_objects

from releases.addresses import absolute_media_url
from releases.models.media import documents_prefetch, gallery_prefetch

register = template.Library()


@register.filter
def lead_image(release):
    """The lead image of a release in a list, or None. From the view's
    lead_image_prefetch (or gallery_prefetch): never a query, so that a list
    without the prefetch shows no images rather than a query per card."""
    for attribute in ("shown_images", "lead_images"):
        images = getattr(release, attribute, None)
        if images is not None:
            return images[0] if images else None
    return None


@register.filter
def page_images(release):
    """The images a release page shows, the lead first. Fetched here, in one
    query, for a page whose view did not prefetch them (the admin's preview)."""
    if not hasattr(release, "shown_images"):
        prefetch_related_objects([release], gallery_prefetch())
    return release.shown_images


@register.filter
def page_documents(release):
    """The documents a release page lists; fetched as page_images is."""
    if not hasattr(release, "listed_documents"):
        prefetch_related_objects([release], documents_prefetch())
    return release.listed_documents


absolute_media = register.filter("absolute_media", absolute_media_url)
