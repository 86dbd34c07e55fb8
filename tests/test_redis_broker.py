"""The Redis broker (pressroom/redis_broker.py): a task acknowledged after
Redis went away fails as a lost connection, which Celery logs and survives,
not as an AttributeError, which stopped the worker."""

import logging

import pytest
from kombu import Connection, Exchange, Queue

from pressroom import redis_broker
from pressroom.celery import app

REDIS_PORT = 17015


@pytest.fixture
def redis_server(own_redis_server):
    return own_redis_server(REDIS_PORT)


def test_an_ack_after_redis_went_away_is_a_lost_connection(redis_server, caplog):
    queue = Queue("ack-after-outage", Exchange("ack-after-outage"), "ack-after-outage")
    connection = Connection(redis_server.url, transport=redis_broker.Transport)
    with connection.Producer() as producer:
        producer.publish({"n": 1}, exchange=queue.exchange, routing_key=queue.routing_key, declare=[queue])
    channel = connection.channel()
    message = queue(channel).get(no_ack=False)
    assert message.payload == {"n": 1}
    redis_server.kill()
    # What the worker's consumer does on losing Redis (celery's
    # on_connection_error_after_connected); the channel's pool goes with it,
    # as when the channel's close has begun.
    connection.collect()
    channel._disconnect_pools()
    with caplog.at_level(logging.CRITICAL):
        message.ack_log_error(logging.getLogger("celery.worker"), connection.connection_errors)
    assert "Couldn't ack" in caplog.text
    assert message.acknowledged is False


def test_the_app_s_redis_broker_is_this_one():
    with app.connection_for_write(f"redis://127.0.0.1:{REDIS_PORT}/0") as connection:
        assert isinstance(connection.transport, redis_broker.Transport)
