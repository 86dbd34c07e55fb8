"""Search terms typed into the admin: its change lists and the autocomplete
of foreign keys (Django's AutocompleteJsonView)."""

import operator
import re
from functools import reduce

from django.contrib.postgres.search import SearchQuery
from django.db import connections

from releases.text import search_words

WORD_PARTS = re.compile(r"\w+")
MAX_WORD_LENGTH = 100


class SearchTermAdminMixin:
    """For every ModelAdmin with search_fields: a NUL or other control
    character in the term is a space. The change list's search form refuses
    NUL itself, but the autocomplete view passes the term on as it is, and
    PostgreSQL refuses a NUL in a query with an error (a server error)."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_words(search_term))


class FullTextSearchAdminMixin:
    """The change list's search on PostgreSQL: the stored, GIN-indexed
    `search_vector` of the model (Release), rather than Django's
    `ILIKE '%word%'` on every search field, which reads every row's body.

    Each word matches in the stemmed form of each language with a stemmer
    ("customs" finds "custom" in English and Russian releases) or as the
    beginning of a word ("Brus" finds "Brussels", for Azerbaijani releases
    and half-typed words); every word must match. Other databases keep
    Django's search over `search_fields`."""

    search_vector_field = "search_vector"
    search_configs = ("english", "russian")
    max_search_words = 10

    def get_search_results(self, request, queryset, search_term):
        if connections[queryset.db].vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        queries = [word_query(word, self.search_configs) for word in search_term.split()[: self.max_search_words]]
        queries = [query for query in queries if query is not None]
        if not queries:
            return queryset, False
        return queryset.filter(**{self.search_vector_field: reduce(operator.and_, queries)}), False


def word_query(word, configs):
    """A tsquery for one typed word, or None for a word with no letters or
    digits. The prefix part is built from \\w+ runs only, so no typed
    character is ever read as tsquery syntax."""
    word = word[:MAX_WORD_LENGTH]
    parts = WORD_PARTS.findall(word)
    if not parts:
        return None
    prefix = SearchQuery(" & ".join(f"'{part}':*" for part in parts), config="simple", search_type="raw")
    stemmed = (SearchQuery(word, config=config, search_type="plain") for config in configs)
    return reduce(operator.or_, stemmed, prefix)
