"""WSGI entry point: `gunicorn pressroom.wsgi`. Kept pages are answered
before Django builds a request (serving.pagecache.KeptPages; README,
"Caching"), everything else by Django's handler."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.main")

django_application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402 (needs the settings, set up just above)

from serving.pagecache import KeptPages  # noqa: E402

application = KeptPages(django_application)

# Every view's module now rather than at the first request, then every object
# so far out of the garbage collector's sight: the modules, models and
# templates live as long as the process, and the collector's full passes
# walked them all again and again (issue 22; README, "Performance").
get_resolver().url_patterns  # noqa: B018 (the access loads them)
gc.freeze()
