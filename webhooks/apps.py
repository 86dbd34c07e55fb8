from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        # The tasks registered in every process, so that services.enqueue can
        # name them without importing them (tasks.py imports services).
        from webhooks import receivers, tasks  # noqa: F401

        receivers.connect()
