"""Search terms typed into the admin: its change lists and the autocomplete
of foreign keys (Django's AutocompleteJsonView)."""

from releases.text import search_words


class SearchTermAdminMixin:
    """For every ModelAdmin with search_fields: a NUL or other control
    character in the term is a space. The change list's search form refuses
    NUL itself, but the autocomplete view passes the term on as it is, and
    PostgreSQL refuses a NUL in a query with an error (a server error)."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_words(search_term))
