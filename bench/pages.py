"""The pages the benchmark loads, chosen from the database: every page type of
issue 8, in the default language, with the filters that cost the most (the
most used tag, the department and the event with the most releases, words
that most releases contain).

A mode is a way of serving the pages: "uncached" renders every page for
every request (the release cards kept in Redis, releases/cards.py, as
production keeps them); "cached" turns the page cache on (serving/pagecache.py,
with Redis) and fills it with the warm-up requests.
"""

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

# Two words most English releases contain somewhere: the search must rank
# most of the archive.
SEARCH_WORDS = "customs cooperation"
DEEP_PAGE = 2_000


@dataclass(frozen=True)
class Page:
    name: str
    path: str


@dataclass(frozen=True)
class Mode:
    description: str
    pages: object  # a function of no arguments returning [Page]
    # Added to the environment of the site's gunicorn.
    environment: dict = field(default_factory=dict)
    # Requests to each page before measuring.
    warm_up: int = 2
    # Added to the names of its pages in the table.
    label: str = ""


def benchmark_pages():
    """Django must be set up."""
    from django.conf import settings
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import translation

    from releases.models import Department, Event, Release, TaggedRelease
    from releases.sitemaps import ReleaseSitemap
    from releases.views import RELEASES_PER_PAGE

    with translation.override(settings.LANGUAGE_CODE):
        public = Release.objects.published().filter(language=settings.LANGUAGE_CODE)
        last_page = max(1, math.ceil(public.count() / RELEASES_PER_PAGE))
        tags = list(
            TaggedRelease.objects.filter(content_object__in=public.values("pk"))
            .values_list("tag__slug")
            .annotate(releases=Count("pk"))
            .order_by("-releases", "tag__slug")
        )
        if len(tags) < 2:
            raise SystemExit("The benchmark needs public releases with at least two tags: seed the database.")
        department_id, department_releases = most_common(public, "department")
        event_id, event_releases = most_common(public.filter(event__isnull=False), "event")
        detail = (
            public.filter(event__isnull=False, delegations__isnull=False, tagged_items__isnull=False).distinct().first()
        )
        releases_sitemap_pages = ReleaseSitemap().paginator.num_pages
        release_list = reverse("releases:release-list")
        return [
            Page("home", reverse("releases:home")),
            Page("list, page 1", release_list),
            Page(f"list, page {min(DEEP_PAGE, last_page):,}", f"{release_list}?page={min(DEEP_PAGE, last_page)}"),
            Page(f"popular tag ({tags[0][1]:,})", f"{release_list}?{urlencode({'tag': tags[0][0]})}"),
            Page(f"rare tag ({tags[-1][1]:,})", f"{release_list}?{urlencode({'tag': tags[-1][0]})}"),
            Page("two tags", f"{release_list}?{urlencode([('tag', tags[0][0]), ('tag', tags[1][0])])}"),
            Page(f"department ({department_releases:,})", Department.objects.get(pk=department_id).get_absolute_url()),
            Page(f"event ({event_releases:,})", Event.objects.get(pk=event_id).get_absolute_url()),
            Page("search, two words", f"{release_list}?{urlencode({'q': SEARCH_WORDS})}"),
            Page("release", detail.get_absolute_url()),
            Page("feed (RSS)", reverse("feeds:releases-rss")),
            Page(
                f"sitemap, releases p. {releases_sitemap_pages}",
                f"{reverse('sitemap-section', kwargs={'section': 'releases'})}?p={releases_sitemap_pages}",
            ),
            Page("tags", reverse("releases:tag-list")),
            # The API's list and one release (issue 20), beside the pages above.
            Page("API list, page 1", f"{reverse('api:release-list')}?language={settings.LANGUAGE_CODE}"),
            Page("API release", reverse("api:release-detail", kwargs={"pk": detail.pk})),
        ]


def most_common(releases, field):
    """(id, number of releases) of the `field` most of `releases` refer to."""
    from django.db.models import Count

    return releases.order_by().values_list(field).annotate(n=Count("pk")).order_by("-n", field).first()


# The Redis database of both modes (bench.run --redis-db), emptied before each run.
REDIS_DATABASE = 15


def redis_url(database=REDIS_DATABASE):
    return f"redis://127.0.0.1:6379/{database}"


def modes(redis_database=REDIS_DATABASE):
    """{name: Mode}, the cached mode's page cache in that Redis database."""
    return {
        # Redis as in production, where release cards are kept (releases/cards.py).
        "uncached": Mode(
            "every page rendered for every request, release cards kept in Redis",
            benchmark_pages,
            environment={"PRESSROOM_PAGE_CACHE_SECONDS": "0", "REDIS_URL": redis_url(redis_database)},
        ),
        "cached": Mode(
            "pages served from the page cache in Redis",
            benchmark_pages,
            environment={"PRESSROOM_PAGE_CACHE_SECONDS": "600", "REDIS_URL": redis_url(redis_database)},
            label=" (cached)",
        ),
    }


MODE_NAMES = sorted(modes())
