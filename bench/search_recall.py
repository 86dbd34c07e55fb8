"""Recall and precision of search on the recall test set (bench.search_texts),
per language, for the approaches considered in issue 15: the table of the
README's search section.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pressroom \\
        .venv/bin/python -m bench.search_recall

The database must be migrated (releases_search_vector). Each sentence is a
release's title; the vectors are built in a temporary table, nothing else is
written (the run is rolled back). The "Russian dictionary" approach needs
Debian's hunspell-ru (`apt-get install hunspell-ru` puts its files where
PostgreSQL reads them): an ispell dictionary before the Snowball stemmer.
"""

import os
import re

from bench.search_texts import QUERIES, SENTENCES

FOLDED = "translate(v::text, {from_}, {to})::tsvector"


def expected_ids(language, words, roots, *, prefix_last):
    """The sentences of `language` that share a root with each word
    (`roots`); with `prefix_last`, the last word may also begin a word."""
    from releases.search import WORD_PARTS, fold, lowercase

    last = fold(lowercase(WORD_PARTS.findall(words)[-1], language))
    found = set()
    for number, text in enumerate(SENTENCES[language]):
        lowered = lowercase(text, language)
        folded = fold(lowered) + " " + fold(lowered.replace("ə", "a"))
        patterns = list(roots)
        if prefix_last:
            patterns[-1] = f"{patterns[-1]}|{re.escape(last)}"
        if all(re.search(rf"(?<!\w)(?:{pattern})", folded) for pattern in patterns):
            found.add((language, number))
    return found


def approaches():
    """(name, SQL of the vector of (language, text), query builder, whether
    the last word is a prefix): each query builder gives the SQL and
    parameters of the tsquery of (words, language)."""
    from releases import search

    def plain(words, language):
        return "plainto_tsquery(%s::regconfig, %s)", [search.search_config(language), words]

    def alternatives(*, last, stems, every_prefix=False, config=None, turkish=False):
        def build(words, language):
            saved = dict(search.PREFIX_STEMMERS)
            if not stems:
                search.PREFIX_STEMMERS.clear()
            try:
                parts = search.WORD_PARTS.findall(words)
                terms = []
                for number, part in enumerate(parts, 1):
                    is_last = last and (number == len(parts) or every_prefix)
                    terms.append(search.word_terms(part, language=language, last=is_last))
            finally:
                search.PREFIX_STEMMERS.update(saved)
            sql, params = [], []
            for word in terms:
                ors = []
                for chosen, text in word:
                    if turkish and language == "az":
                        chosen, text = "turkish", text.replace("ə", "e")
                    if config and language == "ru" and chosen == "russian":
                        chosen = config
                    ors.append("to_tsquery(%s::regconfig, %s)")
                    params += [chosen, text]
                sql.append("(" + " || ".join(ors) + ")")
            return " && ".join(sql), params

        return build

    vector = "releases_search_vector(language, text, '', '')"
    cases = "CASE language WHEN 'en' THEN 'english' WHEN 'ru' THEN 'russian' ELSE 'simple' END"
    fold_sql = f"'{search.FOLD_FROM}', '{search.FOLD_TO}'"

    def folded(config_sql, text_sql):
        exact = f"setweight(to_tsvector({config_sql}, {text_sql}), 'A')"
        both = f"{exact}::text || ' ' || translate({exact}::text, 'ə', 'a')"
        return (
            f"{exact} || ts_delete(setweight(translate({both}, {fold_sql})::tsvector, 'B'), tsvector_to_array({exact}))"
        )

    turkic = "CASE WHEN language = 'az' THEN translate(text, 'IİƏə', 'ıiEe') ELSE text END"
    turkish_vector = folded("'turkish'::regconfig", turkic)
    turkish = f"CASE WHEN language = 'az' THEN {turkish_vector} ELSE {vector} END"
    hunspell_vector = folded("'bench_russian_hunspell'::regconfig", "text")
    hunspell = f"CASE WHEN language = 'ru' THEN {hunspell_vector} ELSE {vector} END"
    return [
        ("as before issue 15", f"setweight(to_tsvector(({cases})::regconfig, text), 'A')", plain, False),
        ("folding", vector, alternatives(last=False, stems=False), False),
        ("folding, last word a prefix", vector, alternatives(last=True, stems=False), True),
        (
            "Turkish Snowball (ə as e), folding, last word a prefix",
            turkish,
            alternatives(last=True, stems=False, turkish=True),
            True,
        ),
        (
            "folding, Azerbaijani and Russian stems, last word a prefix (chosen)",
            vector,
            alternatives(last=True, stems=True),
            True,
        ),
        ("the chosen, with every word a prefix", vector, alternatives(last=True, stems=True, every_prefix=True), True),
        (
            "the chosen, with the Russian dictionary",
            hunspell,
            alternatives(last=True, stems=True, config="bench_russian_hunspell"),
            True,
        ),
    ]


def ensure_hunspell(cursor):
    cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'bench_russian_hunspell'")
    if cursor.fetchone():
        return
    cursor.execute(
        "CREATE TEXT SEARCH DICTIONARY bench_russian_ispell"
        " (TEMPLATE = ispell, DictFile = ru_ru, AffFile = ru_ru, StopWords = russian)"
    )
    cursor.execute("CREATE TEXT SEARCH CONFIGURATION bench_russian_hunspell (COPY = russian)")
    cursor.execute(
        "ALTER TEXT SEARCH CONFIGURATION bench_russian_hunspell ALTER MAPPING FOR word, hword, hword_part"
        " WITH bench_russian_ispell, russian_stem"
    )


def measure(cursor, name, vector_sql, build_query, prefix_last):
    """Per language: (queries, sentences expected, found, false matches,
    matches by the beginning of the last word only)."""
    cursor.execute(f"UPDATE search_recall SET v = {vector_sql}")
    figures = {}
    for language, words, _kind, roots in QUERIES:
        query_sql, params = build_query(words, language)
        cursor.execute(
            f"SELECT language, number FROM search_recall WHERE language = %s AND v @@ ({query_sql})",
            [language, *params],
        )
        found = set(cursor.fetchall())
        expected = expected_ids(language, words, roots, prefix_last=False)
        allowed = expected_ids(language, words, roots, prefix_last=prefix_last)
        row = figures.setdefault(language, [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += len(expected)
        row[2] += len(found & expected)
        row[3] += len(found - allowed)
        row[4] += len((found & allowed) - expected)
        if os.environ.get("SEARCH_RECALL_MISSES") and expected - found:
            print(f"<!-- {name}: {words!r} misses {sorted(expected - found)} -->")
    return figures


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.test")
    import django

    django.setup()
    from django.db import connection, transaction

    print("| approach | language | queries | expected | found | recall | false matches | by a prefix only |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    with transaction.atomic(), connection.cursor() as cursor:
        ensure_hunspell(cursor)
        cursor.execute("CREATE TEMPORARY TABLE search_recall (language text, number int, text text, v tsvector)")
        for language, texts in SENTENCES.items():
            for number, text in enumerate(texts):
                cursor.execute("INSERT INTO search_recall VALUES (%s, %s, %s, NULL)", [language, number, text])
        for name, vector_sql, build_query, prefix_last in approaches():
            figures = measure(cursor, name, vector_sql, build_query, prefix_last)
            for language, (queries, expected, found, false, by_prefix) in figures.items():
                print(
                    f"| {name} | {language} | {queries} | {expected} | {found} | {found / expected:.0%}"
                    f" | {false} | {by_prefix} |"
                )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
