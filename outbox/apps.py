from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self):
        # Registers the tasks in every process, so that services.enqueue can
        # name them without importing them (tasks.py imports services).
        from outbox import tasks  # noqa: F401
        from outbox.metrics import OutboxCollector
        from serving.metrics import report_at_scrape

        report_at_scrape(OutboxCollector())
