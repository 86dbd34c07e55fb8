from django.urls import path

from releases import downloads, views
from serving.limits import costly_list
from serving.pagecache import public_page

app_name = "releases"

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path(
        "releases/",
        public_page(costly_list(views.ReleaseListView.as_view()), query=views.ReleaseListView.query_parameters),
        name="release-list",
    ),
    path("releases/<slug:slug>/", public_page(views.ReleaseDetailView.as_view()), name="release-detail"),
    path("releases/<slug:slug>/documents/<int:pk>/", downloads.release_document, name="release-document"),
    path("tags/", public_page(views.TagListView.as_view()), name="tag-list"),
    path(
        "events/",
        public_page(costly_list(views.EventListView.as_view()), query=views.EventListView.query_parameters),
        name="event-list",
    ),
    path("events/<slug:slug>/", public_page(views.EventDetailView.as_view()), name="event-detail"),
    path(
        "departments/<slug:slug>/",
        public_page(
            costly_list(views.DepartmentDetailView.as_view()), query=views.DepartmentDetailView.query_parameters
        ),
        name="department-detail",
    ),
]
