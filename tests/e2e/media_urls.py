"""The site's addresses, plus its media files served from MEDIA_ROOT as it is
at each request: the browser tests run with DEBUG off, where pressroom/urls.py
serves no media, and with a temporary MEDIA_ROOT of their own."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from pressroom.urls import urlpatterns as site


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site]
