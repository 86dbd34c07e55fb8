"""How the site is served: the page cache, limits on what one client may
cost, answers during outages, client addresses, logs, metrics, health checks
and a Redis cache that degrades. It knows nothing of press releases: the
apps of the domain use it, never the other way round (README, "Where things
are")."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServingConfig(AppConfig):
    name = "serving"
    verbose_name = _("Serving the site")

    def ready(self):
        from serving import checks  # noqa: F401  (registers the project's system checks)
