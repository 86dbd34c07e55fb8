from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Pressroom")
admin.site.site_title = _("Pressroom")
admin.site.index_title = settings.PRESSROOM_AGENCY_NAME

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("releases.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
