"""Webhooks (webhooks/): deliveries written once per endpoint and event,
signed, retried with backoff, logged, and the endpoint disabled after
repeated failure. A real HTTP receiver, started by the tests on a port of
their own, checks every signature as a subscriber would."""

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from releases.models import Release
from webhooks import services
from webhooks.models import Delivery, Endpoint, Topic

pytestmark = pytest.mark.slow

PORT = 17240
CLOSED_PORT = 17241  # nothing listens there


class Receiver(ThreadingHTTPServer):
    """Records each request, answering with the next of `answers` (200 once they run out)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", PORT), ReceiverHandler)
        self.requests, self.answers = [], []


class ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append({"headers": dict(self.headers), "body": body})
        status = self.server.answers.pop(0) if self.server.answers else 200
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(f"answer {status}".encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def inbox(receiver):
    receiver.requests.clear()
    receiver.answers.clear()
    return receiver


@pytest.fixture
def endpoint(db):
    return Endpoint.objects.create(url=f"http://127.0.0.1:{PORT}/hooks/", description="Portal")


def signature_is_valid(secret, request, tolerance=300):
    """A subscriber's own check, written from the README's description."""
    parts = dict(item.split("=", 1) for item in request["headers"]["Pressroom-Signature"].split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256).hexdigest()
    return abs(time.time() - timestamp) <= tolerance and hmac.compare_digest(expected, parts["v1"])


def test_publication_is_delivered_signed(inbox, endpoint, make_release, editor, commits):
    release = make_release(status=Release.Status.DRAFT)
    commits(lambda: release.publish(user=editor))
    [request] = inbox.requests
    assert signature_is_valid(endpoint.secret, request)
    assert not signature_is_valid("whsec_another", request)
    payload = json.loads(request["body"])
    assert payload["event"] == "release.published" == request["headers"]["Pressroom-Event"]
    assert payload["data"]["release"]["id"] == release.pk
    assert payload["data"]["release"]["api_url"].endswith(f"/api/v1/releases/{release.pk}/")
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED
    assert request["headers"]["Pressroom-Delivery"] == str(delivery.delivery_id) == payload["id"]
    assert delivery.attempt_log.get().status_code == 200


def test_corrections_and_withdrawals_are_delivered(inbox, endpoint, make_release, editor, commits):
    release = make_release()
    commits(lambda: release.add_change_note("Corrected the date of the session", user=editor))
    commits(lambda: release.withdraw(user=editor, reason="Issued in error."))
    events = [json.loads(request["body"]) for request in inbox.requests]
    assert [event["event"] for event in events] == ["release.corrected", "release.withdrawn"]
    assert events[0]["data"]["note"] == "Corrected the date of the session"
    assert events[1]["data"]["reason"] == "Issued in error."
    assert all(signature_is_valid(endpoint.secret, request) for request in inbox.requests)


def test_endpoints_get_only_the_events_and_language_they_want(inbox, make_release, editor, commits):
    Endpoint.objects.create(url=f"http://127.0.0.1:{PORT}/az/", language="az")
    Endpoint.objects.create(url=f"http://127.0.0.1:{PORT}/no-publications/", on_published=False)
    release = make_release(status=Release.Status.DRAFT)
    commits(lambda: release.publish(user=editor))
    assert inbox.requests == []
    assert not Delivery.objects.exists()


def test_a_scheduled_release_withdrawn_before_its_time_is_announced_to_nobody(
    inbox, endpoint, make_release, editor, commits
):
    release = make_release(published_at=timezone.now() + timedelta(days=1))
    commits(lambda: release.withdraw(user=editor, reason="Postponed."))
    assert inbox.requests == []


def test_an_event_is_written_once_per_endpoint(endpoint, make_release, django_capture_on_commit_callbacks):
    release = make_release()
    with django_capture_on_commit_callbacks(execute=False):
        services.announce(Topic.PUBLISHED, release_id=release.pk, key="release:1:published:1")
        services.announce(Topic.PUBLISHED, release_id=release.pk, key="release:1:published:1")
    assert Delivery.objects.count() == 1


def test_a_failure_is_logged_and_retried_with_backoff(inbox, endpoint, make_release, editor, commits, settings):
    inbox.answers[:] = [500, 503]
    release = make_release(status=Release.Status.DRAFT)
    commits(lambda: release.publish(user=editor))
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.QUEUED and delivery.attempts == 1
    assert delivery.due_at - timezone.now() == pytest.approx(timedelta(seconds=60), abs=timedelta(seconds=5))
    assert delivery.attempt_log.get().response == "answer 500"
    assert delivery.last_error == "HTTP 500"
    # The second attempt, when it is due, waits twice as long after failing.
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    commits(lambda: services.deliver(delivery.pk))
    delivery.refresh_from_db()
    assert delivery.due_at - timezone.now() == pytest.approx(timedelta(seconds=120), abs=timedelta(seconds=5))
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    commits(lambda: services.deliver(delivery.pk))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 3
    assert [attempt.status_code for attempt in delivery.attempt_log.all()] == [500, 503, 200]
    assert all(signature_is_valid(endpoint.secret, request) for request in inbox.requests)
    # Each attempt is signed anew, with the same delivery id.
    assert len({request["headers"]["Pressroom-Delivery"] for request in inbox.requests}) == 1
    endpoint.refresh_from_db()
    assert endpoint.failures_in_a_row == 0


def test_retries_stop_a_day_after_the_event(inbox, endpoint, make_release, commits):
    inbox.answers[:] = [500]
    release = make_release()
    with_day_gone = timezone.now() - timedelta(hours=23, minutes=59)
    commits(lambda: services.announce(Topic.PUBLISHED, release_id=release.pk, key="old"))
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now(), created_at=with_day_gone)
    inbox.answers[:] = [500]
    commits(lambda: services.deliver(delivery.pk))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED


def test_an_unreachable_endpoint_is_disabled_after_repeated_failure(make_release, commits, settings):
    settings.PRESSROOM_WEBHOOK_DISABLE_AFTER = 3
    endpoint = Endpoint.objects.create(url=f"http://127.0.0.1:{CLOSED_PORT}/")
    releases = [make_release() for _ in range(3)]
    for number, release in enumerate(releases):
        commits(
            lambda release=release, number=number: services.announce(
                Topic.PUBLISHED, release_id=release.pk, key=f"k{number}"
            )
        )
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "3 failed attempts in a row" in endpoint.disabled_reason
    assert "ConnectionRefusedError" in endpoint.disabled_reason or "URLError" in endpoint.disabled_reason
    assert not Delivery.objects.filter(status=Delivery.Status.QUEUED).exists()
    # A disabled endpoint gets nothing more, until an administrator enables it again.
    commits(lambda: services.announce(Topic.PUBLISHED, release_id=releases[0].pk, key="after"))
    assert Delivery.objects.count() == 3
    services.enable(Endpoint.objects.filter(pk=endpoint.pk))
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failures_in_a_row == 0 and endpoint.disabled_reason == ""


def test_the_sweeper_sends_what_a_worker_lost(inbox, endpoint, make_release, commits, settings):
    release = make_release()
    with_lease_gone = timezone.now() - timedelta(seconds=settings.PRESSROOM_WEBHOOK_LEASE_SECONDS + 1)
    delivery = Delivery.objects.create(endpoint=endpoint, topic=Topic.PUBLISHED, key="lost", body="{}")
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, claimed_at=with_lease_gone, due_at=with_lease_gone
    )
    assert release.pk
    assert commits(services.sweep) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert len(inbox.requests) == 1


def test_the_admin_shows_endpoints_and_deliveries(administrator_client, endpoint):
    delivery = Delivery.objects.create(endpoint=endpoint, topic=Topic.PUBLISHED, key="k", body="{}")
    delivery.attempt_log.create(status_code=500, response="oops")
    assert administrator_client.get("/admin/webhooks/endpoint/").status_code == 200
    assert administrator_client.get(f"/admin/webhooks/endpoint/{endpoint.pk}/change/").status_code == 200
    page = administrator_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")
    assert page.status_code == 200 and b"oops" in page.content
