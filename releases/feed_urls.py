from django.urls import path

from releases import feeds
from serving.pagecache import public_page

app_name = "feeds"

urlpatterns = [
    path("feeds/rss/", public_page(feeds.ReleasesFeed()), name="releases-rss"),
    path("feeds/atom/", public_page(feeds.ReleasesAtomFeed()), name="releases-atom"),
    path("feeds/tags/<slug:slug>/rss/", public_page(feeds.TagFeed()), name="tag-rss"),
    path("feeds/tags/<slug:slug>/atom/", public_page(feeds.TagAtomFeed()), name="tag-atom"),
    path("feeds/departments/<slug:slug>/rss/", public_page(feeds.DepartmentFeed()), name="department-rss"),
    path("feeds/departments/<slug:slug>/atom/", public_page(feeds.DepartmentAtomFeed()), name="department-atom"),
]
