"""What a web process loads: what it does not need stays out of its memory
(issue 22's 80 MiB a worker; README, "Performance")."""

import subprocess
import sys

LOADED = """
import sys
from pressroom.wsgi import application
print(" ".join(sorted(sys.modules)))
"""

FROZEN = """
import gc
from pressroom.wsgi import application
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def run_web_process(settings, code):
    """What `code`, run in a process of its own as a gunicorn worker starts, prints."""
    environment = {"DJANGO_SETTINGS_MODULE": "pressroom.settings.test", "PATH": ""}
    finished = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        timeout=60,
        capture_output=True,
    )
    return finished.stdout.decode().split()


def test_a_web_process_loads_no_sentry_and_no_botocore(settings):
    """Sentry without SENTRY_DSN, botocore with files on disk: some 4 MiB a
    worker. (pressroom.wsgi loads every view's module.)"""
    loaded = set(run_web_process(settings, LOADED))
    assert "django.db" in loaded  # the list is whole
    assert {name.split(".")[0] for name in loaded} & {"sentry_sdk", "botocore", "boto3"} == set()


def test_a_web_process_keeps_what_it_loaded_out_of_the_garbage_collectors_passes(settings):
    """The modules, models and views, loaded once, are frozen (gc.freeze):
    the collector's passes walk only what requests make."""
    frozen, tracked = map(int, run_web_process(settings, FROZEN))
    assert frozen > 100_000
    assert tracked < frozen / 10
