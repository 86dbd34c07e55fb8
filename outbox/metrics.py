"""What the operator's metrics (/metrics) read of the outbox and the job
queue at each scrape: messages by status (failed ones are the mail that did
not go out), and the tasks waiting in the broker's queue (the queue's depth).
Read afresh from the database and the broker, so every process answers the
same."""

import logging

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

# A scrape must stay cheap and never hang on a broker that does not answer.
BROKER_TIMEOUT_SECONDS = 1


class OutboxCollector:
    def collect(self):
        from outbox.models import Message

        messages = GaugeMetricFamily("pressroom_outbox_messages", "Outgoing messages by status.", labels=["status"])
        counts = dict(Message.objects.order_by().values_list("status").annotate(Count("pk")))
        for status in Message.Status.values:
            messages.add_metric([status], counts.get(status, 0))
        yield messages
        waiting = queue_depth()
        if waiting is not None:
            yield GaugeMetricFamily(
                "pressroom_queue_tasks", "Tasks waiting in the job queue's broker for a worker.", value=waiting
            )


def queue_depth(app=None):
    """The tasks waiting in the default queue of `app` (the project's Celery
    app), or None when the broker does not answer within
    BROKER_TIMEOUT_SECONDS."""
    if app is None:
        from celery import current_app as app
    try:
        with app.connection_for_read(connect_timeout=BROKER_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
            queue = app.conf.task_default_queue
            return connection.default_channel.queue_declare(queue=queue, passive=True).message_count
    except Exception as error:  # any failure of any transport: no figure, never a failed scrape
        logger.warning("The job queue's depth could not be read: %s", error)
        return None
