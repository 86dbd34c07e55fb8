"""Deploy checks of the project's own settings, run by
`manage.py check --deploy` beside Django's (registered by serving.apps)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Feeds, the sitemap, e-mails and canonical links carry SITE_URL: on a
    site that redirects to HTTPS it must be an https address of its own."""
    if settings.DEBUG or not settings.SECURE_SSL_REDIRECT:
        return []
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: feeds, the sitemap, e-mails and canonical links would "
                "send readers to plain HTTP.",
                hint="Set SITE_URL to the site's public https:// address.",
                id="pressroom.W001",
            )
        ]
    return []
