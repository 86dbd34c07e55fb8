from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("E-mail alerts")

    def ready(self):
        # The tasks registered in every process (services enqueue them by
        # name), and the receivers of the releases' events and of bounces.
        from alerts import receivers, tasks  # noqa: F401

        receivers.connect()
