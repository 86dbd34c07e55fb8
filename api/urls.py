from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views
from serving.pagecache import public_page

app_name = "api"


def public(view_class):
    """A public, cached page (serving/pagecache.py) that refuses parameters
    it does not read."""
    return public_page(view_class.as_view(), query=getattr(view_class, "query_parameters", ()), strict=True)


urlpatterns = [
    path("", public(views.RootView), name="root"),
    path("releases/", public(views.ReleaseListView), name="release-list"),
    path("releases/<int:pk>/", public(views.ReleaseDetailView), name="release-detail"),
    path("tags/", public(views.TagListView), name="tag-list"),
    path("events/", public(views.EventListView), name="event-list"),
    path("departments/", public(views.DepartmentListView), name="department-list"),
    path("schema/", public_page(SpectacularAPIView.as_view(), query=["format"]), name="schema"),
    path(
        "docs/",
        public_page(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
            query=["script"],
        ),
        name="docs",
    ),
    re_path(r"", views.not_found),
]
