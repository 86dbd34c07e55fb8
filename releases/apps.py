from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Press releases")

    def ready(self):
        # signals connects its receivers, collation its SQLite collations.
        from releases import collation, receivers, revisions, signals  # noqa: F401

        revisions.register()
        receivers.connect()
