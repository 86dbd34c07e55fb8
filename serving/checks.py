"""The project's own system checks (registered by serving.apps): of the
settings, run by `manage.py check --deploy` beside Django's, and of the
database, run by `migrate` and `manage.py check --database default`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import connections

from serving import statement_timeout


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


@register(Tags.database)
def check_pooled_statement_timeout(app_configs, databases=None, **kwargs):
    """Behind a pooler the statement timeout is the database role's default
    (serving/statement_timeout.py), set once by an operator: `migrate`, which
    runs the database checks, says so when it is missing or different rather
    than leaving the site without one unnoticed."""
    connection = connections["default"]
    if not settings.DATABASE_POOLED or "default" not in (databases or []) or connection.vendor != "postgresql":
        return []
    in_effect, configured = statement_timeout.in_effect_ms(connection), statement_timeout.configured_ms()
    if in_effect == configured:
        return []
    return [
        Warning(
            f"The database sessions run with a statement timeout of {in_effect} ms, not the "
            f"{configured} ms of DATABASE_STATEMENT_TIMEOUT: behind a pooler it is the database role's default.",
            hint="Run `python manage.py set_statement_timeout`, then have the pooler open new server connections.",
            id="pressroom.W002",
        )
    ]
