from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    name = "distribution"
    verbose_name = _("Media distribution")

    def ready(self):
        from distribution import receivers

        receivers.connect()
