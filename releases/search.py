"""How releases are searched: the one place that knows.

- Each language's text-search configuration (SEARCH_CONFIGS): the stemming
  its words get, in the stored vectors and in the queries.
- A release's vector: on PostgreSQL a trigger keeps Release.search_vector on
  every insert and update, bulk ones included, from the title (weight A),
  the lead (B) and the body without its HTML tags (C), each with its
  language's configuration. The trigger is SQL, written by a migration
  (0003) with its own copy of SEARCH_CONFIGS: a change to the map needs a
  migration that replaces the trigger's function
  (tests/test_search.py checks that the two agree).
- Typed words (search_words): control characters are spaces, and words are
  always plain text, never query syntax.
- The public search (search_releases) and its window (newest_matches): the
  newest SEARCH_WINDOW matches, ranked.
- The admin's search (search_every_language): each word stemmed by every
  configuration or taken as the beginning of a word.

Other databases than PostgreSQL have no vector: the public search looks for
every word in the title, lead and body; the admin keeps Django's own search.
"""

import operator
import re
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from releases.text import INVISIBLE

# PostgreSQL text search configuration for each language; FALLBACK_CONFIG
# (no stemming) for languages PostgreSQL has none for.
SEARCH_CONFIGS = {"en": "english", "ru": "russian"}
FALLBACK_CONFIG = "simple"
SEARCH_MAX_LENGTH = 200
SEARCH_WINDOW = 1_000
# How search tells common words from rare ones (newest_matches): words that
# SEARCH_COMMON of the newest SEARCH_PROBE releases match (20 %) are looked
# for by walking the newest releases, SEARCH_WALK at most, where
# SEARCH_WINDOW matches can be expected. (A longer walk would cost more, and
# lead PostgreSQL to plan a tag's list as a whole rather than a walk.)
SEARCH_PROBE = 500
SEARCH_COMMON = 100
SEARCH_WALK = 5_000
# The admin's search: words beyond these are not looked for.
ADMIN_MAX_WORDS = 10
ADMIN_MAX_WORD_LENGTH = 100
WORD_PARTS = re.compile(r"\w+")


def search_config(language):
    """The text search configuration of `language`'s words."""
    return SEARCH_CONFIGS.get(language, FALLBACK_CONFIG)


def search_words(text, *, max_length=None):
    """Words typed into a search box, safe to put into any query (of at most
    `max_length` characters): control characters, NUL among them (which
    PostgreSQL refuses in a query), are spaces."""
    return " ".join(INVISIBLE.sub(" ", text or "").split())[:max_length]


def search_releases(releases, words, *, language):
    """The `releases` matching `words`, taken as plain text, never query
    syntax.

    PostgreSQL: full-text search on the stored, GIN-indexed search vector
    with the language's stemming; the newest SEARCH_WINDOW matches,
    ranked (title before lead before body).
    Other databases: every word must appear in the title, lead or body,
    in any case.
    """
    words = search_words(words, max_length=SEARCH_MAX_LENGTH)
    if not words:
        return releases
    if connection.vendor == "postgresql":
        query = SearchQuery(words, config=search_config(language), search_type="plain")
        # Ranking reads every match's vector, and common words match most
        # of the archive: only the newest SEARCH_WINDOW matches are ranked
        # (all of them when there are fewer), so a search costs the same
        # on a million releases as on a thousand.
        return (
            releases.filter(pk__in=newest_matches(releases, query))
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )
    for word in words.split():
        # SQLite's LIKE (icontains) folds the case of ASCII letters only:
        # "таможня" would miss "Таможня", "əmək" would miss "Əmək". Words
        # with other letters take a case-insensitive regular expression,
        # slower but right; ASCII words keep the faster LIKE.
        lookup, value = ("icontains", word) if word.isascii() else ("iregex", re.escape(word))
        releases = releases.filter(
            Q(**{f"title__{lookup}": value}) | Q(**{f"lead__{lookup}": value}) | Q(**{f"body__{lookup}": value})
        )
    return releases


def newest_matches(releases, query):
    """The primary keys of the newest SEARCH_WINDOW of `releases` matching
    `query` (PostgreSQL), in one statement.

    The GIN index finds rare words at once, but for words that many
    releases share it reads every match to sort them by date: seconds
    on a million releases, and PostgreSQL, which underestimates how
    often words go together, often chooses it. Walking the releases
    newest first, in the order of the public index, costs instead about
    SEARCH_WINDOW / (the share of releases that match). So the newest
    SEARCH_PROBE releases are tried first: when enough of them match,
    the newest releases are walked (SEARCH_WALK at most) until
    SEARCH_WINDOW match; otherwise, or when the walk found fewer, the
    index search runs. The matches are the same whichever way.
    """
    in_order = releases.order_by("-published_at", "-id")

    def sql(queryset):
        return queryset.query.sql_with_params()

    probe_sql, probe_params = sql(in_order.values("search_vector")[:SEARCH_PROBE])
    walk_sql, walk_params = sql(in_order.values("pk", "search_vector")[:SEARCH_WALK])
    search_sql, search_params = sql(in_order.filter(search_vector=query).values("pk")[:SEARCH_WINDOW])
    compiler = in_order.query.get_compiler(connection=connection)
    query_sql, query_params = compiler.compile(query.resolve_expression(in_order.query))
    return RawSQL(
        f"WITH probed AS MATERIALIZED ("
        f"  SELECT COUNT(*) AS matches FROM ({probe_sql}) AS probe WHERE probe.search_vector @@ {query_sql}"
        f"), walked AS MATERIALIZED ("
        f"  SELECT walk.pk FROM ({walk_sql}) AS walk"
        f"  WHERE (SELECT matches FROM probed) >= {SEARCH_COMMON} AND walk.search_vector @@ {query_sql}"
        f"  LIMIT {SEARCH_WINDOW}"
        f") SELECT pk FROM walked UNION ALL"
        f" SELECT pk FROM ({search_sql}) AS searched WHERE (SELECT COUNT(*) FROM walked) < {SEARCH_WINDOW}",
        (*probe_params, *query_params, *walk_params, *query_params, *search_params),
    )


def search_window_reached(words, matches):
    """Whether search_releases(words) ranked only the newest SEARCH_WINDOW of
    its `matches` (PostgreSQL), so that older ones may be missing."""
    return bool(words.split()) and connection.vendor == "postgresql" and matches >= SEARCH_WINDOW


def search_every_language(releases, term):
    """The `releases` matching every word of `term` (ADMIN_MAX_WORDS at
    most) in any language, on PostgreSQL: the admin's search, for releases
    in every language at once.

    Each word matches in the stemmed form of each configuration of
    SEARCH_CONFIGS ("customs" finds "custom" in English and Russian
    releases) or as the beginning of a word ("Brus" finds "Brussels", for
    languages with no stemmer and half-typed words)."""
    queries = [_word_query(word) for word in term.split()[:ADMIN_MAX_WORDS]]
    queries = [query for query in queries if query is not None]
    if not queries:
        return releases
    return releases.filter(search_vector=reduce(operator.and_, queries))


def _word_query(word):
    """A tsquery for one typed word, or None for a word with no letters or
    digits. The prefix part is built from \\w+ runs only, so no typed
    character is ever read as tsquery syntax."""
    word = word[:ADMIN_MAX_WORD_LENGTH]
    parts = WORD_PARTS.findall(word)
    if not parts:
        return None
    # The beginnings of words as typed: unstemmed.
    prefix = SearchQuery(" & ".join(f"'{part}':*" for part in parts), config="simple", search_type="raw")
    configs = dict.fromkeys(SEARCH_CONFIGS.values())
    stemmed = (SearchQuery(word, config=config, search_type="plain") for config in configs)
    return reduce(operator.or_, stemmed, prefix)
