"""How releases are searched: the one place that knows.

- Each language's text-search configuration (SEARCH_CONFIGS): the stemming
  its words get, in the stored vectors and in the queries. PostgreSQL has
  none for Azerbaijani: its words are stored as written ("simple"), and the
  typed words lose their suffixes here (azerbaijani_stem) and are looked for
  as the beginnings of words.
- Typing without diacritics and in capitals: each word is stored twice, as
  written and folded (fold: "gömrük" is also "gomruk"), the folded copy one
  weight lower, so that exact matches rank first; Azerbaijani is lowercased
  the Turkic way (QIZIL is qızıl).
- A release's vector: on PostgreSQL a trigger keeps Release.search_vector on
  every insert and update, bulk ones included, from the title (weight A),
  the lead (B) and the body without its HTML tags (C), each with its
  language's configuration, and their folded copies (B, C, D). The trigger
  is SQL, written by migrations (0003, 0017 that added folding, 0018 and
  0019 that made it cheaper: releases_search_fold) with its own copies of
  SEARCH_CONFIGS, TURKIC_CASE and the folding: a change to them needs a
  migration that replaces the trigger's functions (tests/test_search.py
  checks that they agree).
- Typed words (search_words): control characters are spaces, and words are
  always plain text, never query syntax.
- The public search (search_releases) and its window (newest_matches): the
  newest SEARCH_WINDOW matches, ranked; the last word is also the beginning
  of a word ("Brus" finds "Brussels"). A page of results looks for them
  once (ranked_window): its count, its page and its facets read that list.
- The admin's search (search_every_language): each word stemmed by every
  configuration or taken as the beginning of a word, folded or not.

Other databases than PostgreSQL have no vector: the public search looks for
every word (an Azerbaijani one without its suffixes) at the start of a word
of the title, lead or body, diacritics and case aside; the admin keeps
Django's own search.
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
# Languages whose capital I is dotless ı in lower case, and İ is i (PostgreSQL
# and Python make both i): their text is lowercased so, in the trigger and
# in the query.
TURKIC_CASE = {"az"}
TURKIC_UPPER, TURKIC_LOWER = "Iİ", "ıi"
# What typing without diacritics makes of a lowercase letter: each letter of
# FOLD_FROM becomes the letter of FOLD_TO at the same place (Azerbaijani and
# Turkish first, then the Latin letters of names from elsewhere, and ё).
FOLD_FROM = "əöüşçğıâäàáãåāéèêëēíìîïīóòôõøōúùûūñńýÿžźżšśčćłőűё"
FOLD_TO = "eouscgiaaaaaaaeeeeeiiiiioooooouuuunnyyzzzsscclouе"
FOLDING = str.maketrans(FOLD_FROM, FOLD_TO)
# ə is typed e (komitesi) or a (Safar, as passports spell Səfər): the text's
# words are folded both ways, a typed word one way (as typed).
SCHWA_TYPED = ("e", "a")
# The last word of a public search is also the beginning of a word when it
# has this many letters (a shorter one would match too many words).
PREFIX_MIN_LENGTH = 3
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


def fold(word):
    """`word` (lowercase) as typed without diacritics: "gömrük" is "gomruk",
    "səfər" "sefer" (the vectors also hold "safar": SCHWA_TYPED)."""
    return word.translate(FOLDING)


def lowercase(word, language):
    """`word` in lower case, the Turkic way for TURKIC_CASE languages."""
    if language in TURKIC_CASE:
        word = word.translate(str.maketrans(TURKIC_UPPER, TURKIC_LOWER))
    return word.lower()


# Azerbaijani suffixes, folded (azerbaijani_stem works on folded words, so
# that a word typed without diacritics loses the same ones): case endings,
# the plural, possessives, and the derivational -çı (a person: gömrükçü),
# -lıq, -lı, -sız. Those that begin with n, y or s follow only a vowel
# (Gürcüstan-ın, komitə-si, Bakı-nın); -çı only a consonant (ixrac-ı).
AZERBAIJANI_SUFFIXES = sorted(
    {
        *("ndan", "nden", "dan", "den", "nda", "nde", "da", "de"),
        *("nin", "nun", "in", "un", "ni", "nu", "i", "u"),
        *("na", "ne", "ya", "ye", "a", "e", "yla", "yle", "la", "le"),
        *("lar", "ler", "lari", "leri"),
        *("imiz", "umuz", "iniz", "unuz", "miz", "muz", "niz", "nuz", "im", "um", "si", "su"),
        *("daki", "deki", "ki"),
        *("ci", "cu", "liq", "luq", "lik", "luk", "lig", "lug", "li", "lu", "siz", "suz"),
        *("maq", "mek", "mis", "mus", "ib", "ub"),
    },
    key=len,
    reverse=True,
)
AFTER_VOWEL = ("n", "y", "s")
AFTER_CONSONANT = ("ci", "cu")
VOWELS = set("aeiou")
# Suffixes come off while at least this many letters remain: shorter stems
# would begin too many other words (yük-, at-).
MIN_STEM = 4
AZERBAIJANI_MAX_SUFFIXES = 5
# A stem's last k or q is y or ğ before a vowel (dəstək, dəstəyi;
# əməkdaşlıq, əməkdaşlığı): the stem is also looked for so.
SOFTENED = {"k": "y", "q": "ğ"}


def azerbaijani_stem(word):
    """The length of the stem of the Azerbaijani `word` (lowercase, the
    Turkic way): its suffixes off, as long as MIN_STEM letters
    remain; "gömrükçülərin" is "gömrük", and so is "gomrukculerin"."""
    folded = fold(word)
    for _ in range(AZERBAIJANI_MAX_SUFFIXES):
        for suffix in AZERBAIJANI_SUFFIXES:
            stem = folded[: -len(suffix)]
            if (
                folded.endswith(suffix)
                and len(stem) >= MIN_STEM
                and (not suffix.startswith(AFTER_VOWEL) or stem[-1] in VOWELS)
                and (suffix not in AFTER_CONSONANT or stem[-1] not in VOWELS)
            ):
                folded = stem
                break
        else:
            break
    return len(folded)


def azerbaijani_stems(word):
    """The beginnings of words that forms of the Azerbaijani `word`
    (lowercase, the Turkic way) have: its stem as typed, folded, and with a
    last k or q softened."""
    stem = word[: azerbaijani_stem(word)]
    stems = [stem]
    if stem[-1:] in SOFTENED:
        stems.append(stem[:-1] + SOFTENED[stem[-1]])
    return list(dict.fromkeys([*stems, *map(fold, stems)]))


# Russian words whose stem Snowball splits from a derived word's
# (таможня: таможн-, таможенного: таможен-; осетр, осетровых): endings,
# then a derivational suffix, come off the typed word here, and what
# remains is looked for as the beginning of words.
RUSSIAN_ENDINGS = sorted(
    {
        *("ые", "ых", "ого", "ому", "ой", "ая", "ую", "ий", "ый", "ое", "ыми", "ими", "его", "ему", "ее", "ие", "их"),
        *("ия", "ию", "ии", "ией", "ям", "ями", "ах", "ях", "ов", "ев", "ом", "ем", "ам", "ами"),
        *("а", "я", "у", "ю", "о", "е", "ы", "и", "ь", "й"),
    },
    key=len,
    reverse=True,
)
RUSSIAN_DERIVATIONAL = ("ическ", "енн", "ация", "ац", "ск", "н")
RUSSIAN_VOWELS = set("аеёиоуыэюя")


def russian_stems(word):
    """The beginnings of words that forms of the Russian `word` (lowercase)
    and words derived from it have: "таможня" is "тамож", "наркотики"
    "наркотик" and "наркотич"."""
    for endings in (RUSSIAN_ENDINGS, RUSSIAN_DERIVATIONAL):
        for ending in endings:
            stem = word[: -len(ending)]
            # -н is a suffix after a consonant only (таможн-я, not закон).
            if word.endswith(ending) and len(stem) >= MIN_STEM and (ending != "н" or stem[-1] not in RUSSIAN_VOWELS):
                word = stem
                break
    stems = [word.replace("ё", "е")]
    if word.endswith("к"):
        stems.append(stems[0][:-1] + "ч")
    return stems


# Languages whose words are also stemmed here: each typed word is also
# looked for as the beginnings of words that these give.
PREFIX_STEMMERS = {"az": azerbaijani_stems, "ru": russian_stems}
# For databases without full-text search: each folded letter, and any letter
# folded into it, in either case.
LETTER_PATTERNS = {
    base: "["
    + "".join(sorted({base, *(letter for letter, to in zip(FOLD_FROM, FOLD_TO, strict=True) if to == base)}))
    + "]"
    for base in set(FOLD_TO)
}


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
    Other databases: every word (word_patterns) must begin a word of the
    title, lead or body.
    """
    words = search_words(words, max_length=SEARCH_MAX_LENGTH)
    if not words:
        return releases
    if connection.vendor == "postgresql":
        query = search_query(words, language=language)
        # Ranking reads every match's vector, and common words match most
        # of the archive: only the newest SEARCH_WINDOW matches are ranked
        # (all of them when there are fewer), so a search costs the same
        # on a million releases as on a thousand.
        return (
            releases.filter(pk__in=newest_matches(releases, query))
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )
    for pattern in word_patterns(words, language=language):
        releases = releases.filter(Q(title__iregex=pattern) | Q(lead__iregex=pattern) | Q(body__iregex=pattern))
    return releases


def search_query(words, *, language):
    """The tsquery of `words` typed in `language` (PostgreSQL): every word,
    stemmed by the language's configuration, as typed and folded (so that a
    release with the word as typed matches both and ranks first), and the
    beginnings of words that PREFIX_STEMMERS give for it; the last word also
    as the beginning of a word."""
    parts = WORD_PARTS.findall(words)
    if not parts:
        # No letter nor digit: a query that matches nothing, as before.
        return SearchQuery(words, config=search_config(language), search_type="plain")
    word_queries = (
        reduce(operator.or_, (SearchQuery(text, config=config, search_type="raw") for config, text in terms))
        for terms in (word_terms(part, language=language, last=n == len(parts)) for n, part in enumerate(parts, 1))
    )
    return reduce(operator.and_, word_queries)


def word_terms(part, *, language, last=False):
    """The alternatives of one typed word (a \\w+ run, so never query
    syntax): (configuration, tsquery text) pairs, here one, in the
    language's configuration: the word as typed and folded, the beginnings
    of words that PREFIX_STEMMERS give for it, and for the last word the
    word itself as a beginning."""
    word = lowercase(part, language)
    forms = list(dict.fromkeys([word, fold(word)]))
    stemmer = PREFIX_STEMMERS.get(language)
    beginnings = [stem for stem in stemmer(word) if len(stem) >= MIN_STEM] if stemmer else []
    if last and len(word) >= PREFIX_MIN_LENGTH:
        beginnings = forms + beginnings
    # A beginning covers the words and longer beginnings it begins: with
    # them too, ts_rank weighs each of its positions twice or more (the
    # page of two common words took twice as long). The language's
    # stemmer may cut a beginning shorter still, as it cut the words of
    # the text (Snowball makes транзите транз-), but only ever a word's
    # end: what it leaves still begins the word as typed.
    beginnings = [
        beginning
        for beginning in dict.fromkeys(beginnings)
        if not any(beginning.startswith(other) and beginning != other for other in beginnings)
    ]
    words = [form for form in forms if not form.startswith(tuple(beginnings))]
    alternatives = [f"'{form}'" for form in words] + [f"'{beginning}':*" for beginning in beginnings]
    return [(search_config(language), " | ".join(alternatives))]


def word_patterns(words, *, language):
    """Regular expressions (case aside) of `words` for databases without
    full-text search: each word, or its stem for a language of
    PREFIX_STEMMERS, at the start of a word, each letter also as any letter
    it is the folded form of; every other character only itself."""
    stemmer = PREFIX_STEMMERS.get(language)
    for typed in words.split():
        word = lowercase(typed, language)
        if stemmer and WORD_PARTS.fullmatch(word):
            word = stemmer(word)[0]
        # A word begins a word of the text; anything else ("%", "(Baku")
        # is looked for anywhere, as typed.
        start = r"(?<!\w)" if WORD_PARTS.match(word) else ""
        yield start + "".join(LETTER_PATTERNS.get(letter, re.escape(letter)) for letter in fold(word))


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


def ranked_window(searched, *, along):
    """The primary keys of `searched` (search_releases' matches, on
    PostgreSQL) in rank order, as a list, looked for once; and the objects
    of the queryset along(first) gives, where first(n) is an expression for
    the first n of those keys: both in one statement. None elsewhere, where
    a search has no window.

    Each query that read the matches for itself (a page, its count, its
    facets) looked for them again: a popular tag with common words was
    walked three times."""
    if connection.vendor != "postgresql":
        return None
    window_sql, window_params = searched.values("pk")[:SEARCH_WINDOW].query.sql_with_params()
    along = along(lambda first: RawSQL("SELECT unnest(ids[1:%s]) FROM search_window", (first,)))
    along_sql, along_params = along.query.sql_with_params()
    # ARRAY keeps the order of the window's ORDER BY; a join ON TRUE to
    # the window's one row is a nested loop that keeps along's order.
    rows = along.model.objects.raw(
        f"WITH search_window AS MATERIALIZED (SELECT ARRAY({window_sql}) AS ids)"
        f" SELECT along.*, search_window.ids AS search_window_ids"
        f" FROM search_window LEFT JOIN ({along_sql}) AS along ON TRUE",
        (*window_params, *along_params),
    )
    rows = list(rows)
    return rows[0].search_window_ids, [row for row in rows if row.pk is not None]


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
    half-typed words), an Azerbaijani one's stems too ("gömrükçülər" finds
    "gömrük"); as typed or without diacritics ("gomruk" finds "gömrük")."""
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
    # The beginnings of words as typed and folded, lowercased either way,
    # and an Azerbaijani word's stems: unstemmed.
    prefix = SearchQuery(" & ".join(map(_beginnings, parts)), config="simple", search_type="raw")
    configs = dict.fromkeys(SEARCH_CONFIGS.values())
    typed = dict.fromkeys([word, fold(word.lower())])
    stemmed = (SearchQuery(form, config=config, search_type="plain") for config in configs for form in typed)
    return reduce(operator.or_, stemmed, prefix)


def _beginnings(part):
    """The tsquery (text) of the beginnings of words that `part` (a \\w+
    run) stands for in any language."""
    words = dict.fromkeys([part.lower(), lowercase(part, "az")])
    stems = (
        stem
        for word in words
        for stemmer in PREFIX_STEMMERS.values()
        for stem in stemmer(word)
        if len(stem) >= MIN_STEM
    )
    beginnings = dict.fromkeys([*words, *map(fold, words), *stems])
    return "(" + " | ".join(f"'{beginning}':*" for beginning in beginnings) + ")"
