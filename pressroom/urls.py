from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from pressroom import views
from releases.share_views import shared_release
from releases.sitemaps import SITEMAPS
from serving import health
from serving.pagecache import public_page

admin.site.site_header = _("Pressroom")
admin.site.site_title = _("Pressroom")
admin.site.index_title = _(settings.PRESSROOM_AGENCY_NAME)

# Django's 500 page, or the static 503 page when the error is the database
# being unreachable (serving/outage.py).
handler500 = "serving.outage.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        public_page(views.sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(views.sitemap_section, query=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", public_page(views.robots_txt), name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("share/<slug:token>/", shared_release, name="shared-release"),
    path("api/v1/", include("api.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]

# The public site in each language: the default language (LANGUAGE_CODE) at
# the unprefixed addresses, the others under /az/, /ru/.
urlpatterns += i18n_patterns(
    path("", include("releases.urls")),
    path("", include("releases.feed_urls")),
    path("alerts/", include("alerts.urls")),
    prefix_default_language=False,
)
