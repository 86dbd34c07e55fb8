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
