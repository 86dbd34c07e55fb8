from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Archive imports")

    def ready(self):
        from imports import signals  # noqa: F401  (signals connects its receivers)
