from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Press releases")

    def ready(self):
        from releases import receivers, revisions, signals  # noqa: F401  (signals connects its receivers)

        revisions.register()
        receivers.connect()
