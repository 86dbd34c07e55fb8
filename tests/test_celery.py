"""The Celery app (pressroom/celery.py), its periodic work, and what `make
run` (pressroom/devserver.py) says about where mail goes."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from pressroom import devserver
from pressroom.celery import app, clear_expired_sessions


def test_every_periodic_task_names_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "outbox.sweep",
        "releases.announce_due_releases",
        "pressroom.clear_expired_sessions",
        "webhooks.sweep",
        "distribution.write_pending_mails",
        "alerts.send_digests",
        "alerts.delete_expired",
        "alerts.sweep",
        "outbox.read_bounces",
        "imports.resume_stalled",
    }
    assert scheduled <= set(app.tasks)


def test_tasks_are_acknowledged_once_done_and_taken_one_at_a_time():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_serializer == "json"


def test_expired_sessions_are_deleted_and_live_ones_kept(db):
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    clear_expired_sessions.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_make_run_says_mail_is_printed_on_the_console(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert devserver.mail_destination() == "Mail: printed on this console (EMAIL_BACKEND=console)"


def test_make_run_names_the_smtp_server_mail_goes_to(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "mail.example.org", 587
    assert devserver.mail_destination() == "Mail: sent through the SMTP server mail.example.org:587"
