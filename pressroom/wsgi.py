"""WSGI entry point: `gunicorn pressroom.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.main")

application = get_wsgi_application()
