"""What a web process loads: what it does not need stays out of its memory
(issue 22's 80 MiB a worker; README, "Performance")."""

import subprocess
import sys

LOADED = """
import sys
import django
django.setup()
from django.urls import get_resolver
from pressroom.wsgi import application
get_resolver().url_patterns  # every view's module
print(" ".join(sorted(sys.modules)))
"""


def test_a_web_process_loads_no_sentry_and_no_botocore(settings):
    """Sentry without SENTRY_DSN, botocore with files on disk: some 4 MiB a
    worker."""
    environment = {"DJANGO_SETTINGS_MODULE": "pressroom.settings.test", "PATH": ""}
    finished = subprocess.run(
        [sys.executable, "-c", LOADED],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        timeout=60,
        capture_output=True,
    )
    loaded = set(finished.stdout.decode().split())
    assert "django.db" in loaded  # the list is whole
    assert {name.split(".")[0] for name in loaded} & {"sentry_sdk", "botocore", "boto3"} == set()
