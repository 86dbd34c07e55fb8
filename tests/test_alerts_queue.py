"""Alerts through real workers (tests/test_queue.py's machinery, on this
file's own ports): a release published to FANOUT subscribers reaches an SMTP
server started here once each, with its one-click unsubscribe headers,
although a worker is killed (SIGKILL, its whole process group, beat with
it) in the middle of the fan-out, on the filesystem queue, Redis and
RabbitMQ. A message may arrive twice only in the outbox's one window (a
worker killed between the SMTP server's acceptance and the row marked
sent), with the first copy's Message-ID."""

import email
import random
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings

from tests import test_queue
from tests.alerts_driver import TITLE
from tests.test_queue import (  # noqa: F401 (fixtures)
    broker_url,
    cluster_on,
    database,
    rabbitmq_vhost,
    redis_server,
    smtp,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FANOUT = 300
SMTP_PORT = 17180
REDIS_PORT = 17181


@pytest.fixture(autouse=True)
def own_ports(monkeypatch):
    """This file's ports (17180-17199), not tests/test_queue.py's."""
    monkeypatch.setattr(test_queue, "SMTP_PORT", SMTP_PORT)
    monkeypatch.setattr(test_queue, "REDIS_PORT", REDIS_PORT)


class AlertRecorder(test_queue.RecordingSMTPHandler):
    """Keeps the headers of every message too."""

    def __init__(self):
        super().__init__()
        self.headers = {}

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.headers[envelope.rcpt_tos[0]] = message
        return answer


@pytest.fixture
def alert_smtp(smtp):  # noqa: F811
    """The recording SMTP server of tests/test_queue.py, keeping headers."""
    smtp.__class__ = AlertRecorder
    smtp.headers = {}
    return smtp


def drive_alerts(cluster, *args):
    """tests/alerts_driver.py, with the workers' environment."""
    subprocess.run(
        [sys.executable, "-m", "tests.alerts_driver", *args], cwd=settings.BASE_DIR, env=cluster.env, check=True
    )


def test_an_alert_fanout_survives_a_worker_killed_in_the_middle(alert_smtp, database, cluster_on, broker_url):  # noqa: F811
    cluster = cluster_on(broker_url)
    # Batches of 40: the fan-out is eight tasks, some on the killed worker.
    cluster.env["PRESSROOM_ALERTS_BATCH"] = "40"
    drive_alerts(cluster, "subscribers", str(FANOUT))
    first = cluster.start_worker()
    started = time.monotonic()
    drive_alerts(cluster, "publish")

    def explain():
        return cluster.report(alert_smtp, database)

    wait_for(
        lambda: alert_smtp.count() >= FANOUT // 3, timeout=120, what="a third of the alerts to be sent", explain=explain
    )
    time.sleep(random.uniform(0, 0.05))
    cluster.kill(first)
    killed_at = alert_smtp.count()
    cluster.start_worker()
    wait_for(
        lambda: len({recipient for recipient, _id in alert_smtp.accepted}) >= FANOUT,
        timeout=240,
        what="every subscriber's alert",
        explain=explain,
    )
    assert database.wait_until_all_done(explain=explain) == {"sent": FANOUT}
    received = Counter(recipient for recipient, _message_id in alert_smtp.accepted)
    assert set(received) == {f"reader{number}@example.org" for number in range(FANOUT)}
    first_ids = {}
    for recipient, message_id in alert_smtp.accepted:
        assert first_ids.setdefault(recipient, message_id) == message_id
    twice = sorted(recipient for recipient, count in received.items() if count > 1)
    assert len(twice) <= 2
    message = alert_smtp.headers["reader7@example.org"]
    assert message["Subject"] == TITLE
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/unsubscribe/" in message["List-Unsubscribe"]
    print(
        f"\n{broker_url.split(':')[0]}: alerts to {FANOUT}, worker killed after {killed_at} sent, "
        f"{len(twice)} twice {twice}, {time.monotonic() - started:.0f} s"
    )
