"""WSGI entry point: `gunicorn pressroom.wsgi`. Kept pages are answered
before Django builds a request (serving.pagecache.KeptPages; README,
"Caching"), everything else by Django's handler."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.main")

django_application = get_wsgi_application()

from serving.pagecache import KeptPages  # noqa: E402 (needs the settings, set up just above)

application = KeptPages(django_application)
