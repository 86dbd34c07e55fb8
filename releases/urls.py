from django.urls import path

from releases import downloads, views

app_name = "releases"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("releases/<slug:slug>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("releases/<slug:slug>/documents/<int:pk>/", downloads.release_document, name="release-document"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("departments/<slug:slug>/", views.DepartmentDetailView.as_view(), name="department-detail"),
]
