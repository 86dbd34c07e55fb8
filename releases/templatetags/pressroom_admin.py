from django import template

from releases.models import Release

register = template.Library()


@register.simple_tag(takes_context=True)
def releases_in_review(context):
    """How many releases wait for review, for those who may publish them;
    None for everyone else."""
    if not context["request"].user.has_perm("releases.publish_release"):
        return None
    return Release.objects.filter(status=Release.Status.IN_REVIEW).count()


@register.simple_tag(takes_context=True)
def desk(context):
    """The sections of the desk of the person signed in (releases.admin.desk)."""
    from releases.admin.desk import desk_sections

    return desk_sections(context["request"].user)


@register.simple_tag
def admin_thumbnail(image):
    """The admin's small, decorative preview of a photo (releases.admin.media)."""
    from releases.admin.media import image_thumbnail

    return image_thumbnail(image)
