"""Search terms typed into the admin: its change lists and the autocomplete
of foreign keys (Django's AutocompleteJsonView)."""

from django.db import connections

from releases.search import search_every_language, search_words


class SearchTermAdminMixin:
    """For every ModelAdmin with search_fields: a NUL or other control
    character in the term is a space. The change list's search form refuses
    NUL itself, but the autocomplete view passes the term on as it is, and
    PostgreSQL refuses a NUL in a query with an error (a server error)."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_words(search_term))


class FullTextSearchAdminMixin:
    """The change list's search of releases on PostgreSQL: their stored,
    GIN-indexed search vector (releases.search.search_every_language),
    rather than Django's `ILIKE '%word%'` on every search field, which reads
    every row's body. Other databases keep Django's search over
    `search_fields`."""

    def get_search_results(self, request, queryset, search_term):
        if connections[queryset.db].vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        return search_every_language(queryset, search_term), False
