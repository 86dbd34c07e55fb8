from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Press releases")

    def ready(self):
        from pressroom import checks  # noqa: F401  (registers the project's deploy checks)
        from releases import revisions, signals  # noqa: F401  (connects the receivers)

        revisions.register()
