"""`make run`'s server: a Celery worker, with beat in it, beside Django's
development server, both stopped together. Run as
`python -m pressroom.devserver [ADDRESS:PORT]` with the settings of
`manage.py` (DEBUG=1: pressroom/settings/dev.py), which take the address
for SITE_URL unless it is set (`make run PORT=8123`)."""

import os
import signal
import subprocess
import sys

import django
from django.conf import settings

DEFAULT_ADDRESS = "127.0.0.1:8000"


def mail_destination():
    """Where the mail that workers send goes, in a sentence."""
    backend = settings.EMAIL_BACKEND
    if backend == "django.core.mail.backends.console.EmailBackend":
        return "Mail: printed on this console (EMAIL_BACKEND=console)"
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        return f"Mail: sent through the SMTP server {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return f"Mail: handed to {backend}"


def broker_description():
    if settings.CELERY_BROKER_URL == "filesystem://":
        folder = os.path.dirname(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return f"Background jobs: a worker and beat on the embedded queue in {folder}/"
    return "Background jobs: a worker and beat on CELERY_BROKER_URL"


def site_address_line(address):
    """Where the site is served and where its links point, in a sentence."""
    served = f"http://{address}"
    if served == settings.SITE_URL:
        return f"Serving on {served}/ (SITE_URL follows it)"
    return (
        f"Serving on {served}/, but SITE_URL is {settings.SITE_URL}: links in e-mails, feeds and share links "
        "point there"
    )


def main(address):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.main")
    # Read by the development settings, here and in the servers started below.
    os.environ["PRESSROOM_DEV_ADDRESS"] = address
    django.setup()
    print(site_address_line(address), flush=True)
    print(broker_description(), flush=True)
    print(mail_destination(), flush=True)
    schedule = settings.BASE_DIR / "var" / "celerybeat-schedule"
    schedule.parent.mkdir(exist_ok=True)
    # Each in a process group of its own, which takes its children along
    # (runserver's reloader, the worker's pool and beat) when it is stopped.
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pressroom", "worker", "--beat", f"--schedule={schedule}"]
        + ["--pool=solo", "--loglevel=WARNING"],
        cwd=settings.BASE_DIR,
        process_group=0,
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", address], cwd=settings.BASE_DIR, process_group=0
    )

    def stop(signum, frame):
        os.killpg(server.pid, signal.SIGINT)

    # Ctrl-C (or a TERM) reaches this process; it passes it on.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_ADDRESS))
