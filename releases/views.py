"""The public website. Every release query starts from Release.objects.published()
(or readable(), for detail pages that keep withdrawn releases readable), every
event query from Event.objects.public(), which derives from it."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView, TemplateView

from releases.filters import UNTRANSLATED, NarrowingChoices, ReleaseFilters
from releases.models import Department, Event, Release, SlugRedirect, Tag
from releases.models.media import documents_prefetch, gallery_prefetch
from releases.models.release import tags_prefetch
from releases.pagination import ArchivePaginator
from releases.search import ranked_window, search_window_reached
from serving.limits import page_number

RELEASES_PER_PAGE = 20
HOME_RELEASES = 6
FACET_TAGS = 15
# The facets count the tags of the newest matches only: exact for smaller
# result sets, and a cost that does not grow with the archive.
FACET_WINDOW = 200
# The filters the public list's form sets (the others it keeps as they are).
NARROWING_PARAMETERS = ("year", "month", "department")


def public_releases():
    """Public releases in the language of the request, as a list of cards
    shows them (Release.objects.for_cards)."""
    return Release.objects.for_cards(get_language())


def facet_tags(ids):
    """Tags carried by the releases of `ids` (primary keys: the first
    FACET_WINDOW of a list's), with their counts among them, most used first."""
    return (
        Tag.objects.filter(tagged_releases__content_object__in=ids)
        .annotate(release_count=Count("tagged_releases"))
        .order_by("-release_count", "name")
    )


def upcoming_events():
    today = timezone.localdate()
    return Event.objects.public().filter(Q(start_date__gte=today) | Q(end_date__gte=today)).order_by("start_date")


class ForgivingPaginationMixin:
    """Pages of an archive of any size (releases.pagination); any `page`
    parameter gives the nearest page (serving.limits.page_number, which the
    rate limit reads it with too): the first for one that is not a number
    or is below 1, the last for one past the end. Never a 404 or a 500."""

    paginate_by = RELEASES_PER_PAGE
    # What these views read from the query string (serving.pagecache.public_page).
    query_parameters = ("page",)

    def paginate_queryset(self, queryset, page_size):
        rows, ids = self.get_page_source(queryset)
        paginator = ArchivePaginator(rows, page_size, ids=ids, cap=self.get_count_cap())
        page = paginator.page(page_number(self.request.GET.get("page")))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_page_source(self, queryset):
        """(rows, ids) for ArchivePaginator: what a page shows, and the
        primary keys of the matches in page order."""
        return queryset, queryset.values("pk")

    def get_count_cap(self):
        """Where the count stops; None: the paginator's own."""
        return None

    def get_canonical_params(self):
        """The query-string pairs that define this list, its page aside, in
        a stable order: its canonical address holds them and nothing else."""
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.page_range()
        params = self.get_canonical_params() + ([("page", page.number)] if page.number > 1 else [])
        context["canonical_path"] = f"{self.request.path}?{urlencode(params)}" if params else self.request.path
        return context


class HomeView(TemplateView):
    template_name = "releases/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest_releases=public_releases()[:HOME_RELEASES],
            upcoming_events=upcoming_events()[:5],
            popular_tags=Tag.objects.in_public_use(get_language(), most_used=20),
            **kwargs,
        )


class ReleaseListView(ForgivingPaginationMixin, ListView):
    query_parameters = (*ForgivingPaginationMixin.query_parameters, *ReleaseFilters.QUERY_PARAMETERS, UNTRANSLATED)

    # The facets, when read with the page's matches (a search's window).
    facets = None

    def get_queryset(self):
        self.filters = ReleaseFilters.from_query(self.request.GET)
        return self.filters.apply(public_releases(), language=get_language())

    def get_page_source(self, queryset):
        if self.filters.q:
            # The matches are looked for once, with the facets: the page
            # and its count read that list.
            window = ranked_window(queryset, along=lambda first: facet_tags(first(FACET_WINDOW))[:FACET_TAGS])
            if window is not None:
                ids, self.facets = window
                return public_releases(), ids
        elif self.filters.led_by_tag(language=get_language()):
            # In the order of a tag's links, read from their index.
            return public_releases(), self.filters.tag_links(language=get_language())
        return super().get_page_source(queryset)

    def get_count_cap(self):
        return self.filters.count_cap

    def get_canonical_params(self):
        return self.filters.canonical_params()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = context["paginator"]
        facets = self.facets
        if facets is None:
            facets = list(facet_tags(paginator.ids[:FACET_WINDOW])[:FACET_TAGS]) if paginator.count else []
        names = {("tag", tag.slug): tag.name for tag in facets}
        for kind, found in (("department", self.filters.department_found), ("event", self.filters.event_found)):
            if found:
                names[(kind, getattr(self.filters, kind))] = found[1]
        context.update(
            came_untranslated=self.request.GET.get(UNTRANSLATED) == "1",
            filters=self.filters,
            chips=self.filters.chips(names),
            facet_counts_exact=paginator.count <= FACET_WINDOW,
            search_window_reached=search_window_reached(self.filters.q, paginator.count),
            narrowing=NarrowingChoices.for_page(self.request, get_language()),
            # What the form of year, month and department keeps of the filters.
            kept_filters=[pair for pair in self.filters.as_params() if pair[0] not in NARROWING_PARAMETERS],
            # Tags to narrow the results by, each with the link that adds it.
            facet_tags=[
                (tag, self.filters.querystring(tag=tag.slug)) for tag in facets if tag.slug not in self.filters.tags
            ],
        )
        return context


class ReleaseDetailView(DetailView):
    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # An address the release had before its slug changed.
            moved = SlugRedirect.objects.filter(language=get_language(), old_slug=kwargs["slug"]).first()
            if moved is None or not Release.objects.readable().filter(pk=moved.release_id).exists():
                raise
            return HttpResponsePermanentRedirect(moved.release.get_absolute_url())

    def get_queryset(self):
        return (
            Release.objects.readable()
            .filter(language=get_language())
            # The event's cover: the page's image to share when it has no photo.
            .select_related("department", "event__cover")
            .with_page_links()
            .prefetch_related(tags_prefetch(), gallery_prefetch(), documents_prefetch())
        )

    def get_context_data(self, **kwargs):
        release = self.object
        public = not release.is_withdrawn
        release.sort_tag_list()
        return super().get_context_data(
            # The language switcher and hreflang links lead to these versions.
            translation_urls=release.public_translations() | {release.language: release.get_absolute_url()},
            related_releases=release.related() if public else [],
            previous_release=release.previous_public() if public else None,
            next_release=release.next_public() if public else None,
            # Only a release with a public change note has any: no query otherwise.
            change_notes=release.change_notes.all() if release.public_updated_at else [],
            **kwargs,
        )


class TagListView(ListView):
    template_name = "releases/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return Tag.objects.in_public_use(get_language())


class EventListView(ForgivingPaginationMixin, ListView):
    """Upcoming events first, soonest first; then past events, latest first."""

    template_name = "releases/event_list.html"
    context_object_name = "past_events"

    def get_queryset(self):
        today = timezone.localdate()
        return Event.objects.public().filter(start_date__lt=today).exclude(end_date__gte=today)

    def get_context_data(self, **kwargs):
        return super().get_context_data(upcoming_events=upcoming_events(), **kwargs)


class EventDetailView(DetailView):
    model = Event

    def get_queryset(self):
        return Event.objects.public().select_related("cover")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            releases=public_releases().filter(event=self.object)[:RELEASES_PER_PAGE], **kwargs
        )


class DepartmentDetailView(ForgivingPaginationMixin, ListView):
    """A department's contact details and its releases, paginated."""

    template_name = "releases/department_detail.html"
    context_object_name = "releases"

    def get_queryset(self):
        self.department = get_object_or_404(Department, slug=self.kwargs["slug"])
        return public_releases().filter(department=self.department)

    def get_context_data(self, **kwargs):
        return super().get_context_data(department=self.department, **kwargs)
