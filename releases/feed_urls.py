from django.urls import path

from releases import feeds

app_name = "feeds"

urlpatterns = [
    path("feeds/rss/", feeds.ReleasesFeed(), name="releases-rss"),
    path("feeds/atom/", feeds.ReleasesAtomFeed(), name="releases-atom"),
    path("feeds/tags/<slug:slug>/rss/", feeds.TagFeed(), name="tag-rss"),
    path("feeds/tags/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-atom"),
    path("feeds/departments/<slug:slug>/rss/", feeds.DepartmentFeed(), name="department-rss"),
    path("feeds/departments/<slug:slug>/atom/", feeds.DepartmentAtomFeed(), name="department-atom"),
]
