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
