"""Metrics for the operator (issue 13; serving/metrics.py): requests and
their durations by view, database query durations, in Prometheus' format
at /metrics, for the addresses allowed it and no one else."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db


def samples(response):
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_metrics_exist_only_for_the_addresses_allowed(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    settings.PRESSROOM_METRICS_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.9"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.9").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 404


def test_an_allowed_address_reads_requests_and_query_times_by_view(client, settings, make_release):
    settings.PRESSROOM_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    make_release()
    before = samples(client.get("/metrics", REMOTE_ADDR="10.1.2.3"))
    client.get("/releases/")
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    after = samples(response)
    key = ("pressroom_requests_total", (("method", "GET"), ("status", "200"), ("view", "releases:release-list")))
    assert after[key] - before.get(key, 0) == 1
    count = ("pressroom_request_seconds_count", (("view", "releases:release-list"),))
    assert after[count] - before.get(count, 0) == 1
    queries = ("pressroom_database_query_seconds_count", (("database", "default"),))
    assert after[queries] > before.get(queries, 0)


def scrape(client, settings):
    settings.PRESSROOM_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    return samples(client.get("/metrics", REMOTE_ADDR="10.1.2.3"))


def test_the_outbox_reports_its_messages_by_status(client, settings):
    from outbox.models import Message

    Message.objects.create(kind="workflow", key="a", to="a@example.org", subject="S", text="T")
    Message.objects.create(kind="workflow", key="b", to="b@example.org", subject="S", text="T")
    Message.objects.create(kind="workflow", key="c", to="c@example.org", subject="S", text="T", status="failed")
    figures = scrape(client, settings)
    assert figures[("pressroom_outbox_messages", (("status", "queued"),))] == 2
    assert figures[("pressroom_outbox_messages", (("status", "failed"),))] == 1
    assert figures[("pressroom_outbox_messages", (("status", "sent"),))] == 0


# send_task goes to the broker whatever eager mode says: the point here.
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_the_job_queue_reports_the_tasks_waiting_for_a_worker(tmp_path):
    """On an app of the test's own with the embedded filesystem broker in a
    folder of its own, so that no other test's broker settings or pooled
    connections count."""
    from celery import Celery

    from outbox.metrics import queue_depth

    folder = str(tmp_path)
    app = Celery("metrics-test", broker="filesystem://", set_as_current=False)
    app.conf.broker_transport_options = {"data_folder_in": folder, "data_folder_out": folder}
    assert queue_depth(app) == 0
    for message_id in (1, 2, 3):
        app.send_task("outbox.deliver", args=[message_id])
    assert queue_depth(app) == 3


def test_a_broker_that_does_not_answer_leaves_out_the_queue_depth_only(client, settings):
    from pressroom.celery import app

    url = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    try:
        figures = scrape(client, settings)
    finally:
        app.conf.broker_url = url
    assert ("pressroom_queue_tasks", ()) not in figures
    assert ("pressroom_outbox_messages", (("status", "queued"),)) in figures


def test_tasks_are_counted_by_outcome(client, settings):
    from pressroom.celery import app

    @app.task(name="tests.metrics.fails")
    def fails():
        raise RuntimeError("on purpose")

    key = ("pressroom_tasks_total", (("outcome", "failed"), ("task", "tests.metrics.fails")))
    before = scrape(client, settings).get(key, 0)
    # As a worker runs it: the error kept in the task's result, not raised
    # into the caller (which the test settings do, and which sends no signal).
    propagates, app.conf.task_eager_propagates = app.conf.task_eager_propagates, False
    try:
        assert fails.delay().failed()
    finally:
        app.conf.task_eager_propagates = propagates
    assert scrape(client, settings)[key] - before == 1
    done = ("pressroom_tasks_total", (("outcome", "succeeded"), ("task", "outbox.deliver")))
    before = scrape(client, settings).get(done, 0)
    from outbox.tasks import deliver

    deliver.delay(0)  # no such message: nothing to do, and done
    assert scrape(client, settings)[done] - before == 1


def test_calls_to_the_shared_cache_are_timed_by_outcome(client, settings):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from serving.redis_cache import CircuitBreaker

    def figure(outcome):
        return scrape(client, settings).get(("pressroom_cache_call_seconds_count", (("outcome", outcome),)), 0)

    before = {outcome: figure(outcome) for outcome in ("ok", "failed", "skipped")}
    breaker = CircuitBreaker(retry_after=60)
    assert breaker.call(lambda: "kept", None) == "kept"

    def down():
        raise RedisConnectionError("refused")

    assert breaker.call(down, None) is None
    assert breaker.call(lambda: "kept", None) is None  # open: not even tried
    assert {outcome: figure(outcome) - before[outcome] for outcome in before} == {"ok": 1, "failed": 1, "skipped": 1}
