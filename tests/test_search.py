"""releases/search.py: the map of languages to text search configurations,
and the trigger of migration 0003, which has its own copy of it in SQL."""

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection

from releases.search import (
    FALLBACK_CONFIG,
    FOLD_FROM,
    FOLD_TO,
    SEARCH_CONFIGS,
    TURKIC_CASE,
    TURKIC_LOWER,
    TURKIC_UPPER,
    search_config,
    search_query,
)

pytestmark = pytest.mark.django_db

LANGUAGES = sorted({code for code, _name in settings.LANGUAGES} | set(SEARCH_CONFIGS))
# Words that each configuration stems differently: "sessions" is "session"
# in English, "сессии" is "сесс" in Russian, both as typed in "simple".
TITLE = "Customs sessions"
LEAD = "Таможенные сессии"
BODY = "<p>Committees <b>met</b></p>"


def vector_text(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({sql})::text", params)
        return cursor.fetchone()[0]


def function_source(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [name])
        (source,) = cursor.fetchone()
    return source


@pytest.mark.postgresql
def test_the_trigger_maps_languages_to_configurations_as_search_configs_does():
    """A change to SEARCH_CONFIGS, TURKIC_CASE or the folding needs a
    migration that replaces the vector's function, which cannot read them:
    this fails until it has."""
    assert "releases_search_vector(NEW.language" in function_source("releases_release_search_vector")
    source = function_source("releases_search_vector")
    assert dict(re.findall(r"WHEN '(\w+)' THEN '(\w+)'", source)) == SEARCH_CONFIGS
    assert re.findall(r"ELSE '(\w+)' END", source) == [FALLBACK_CONFIG]
    assert re.findall(r"language IN \(([^)]*)\) THEN '(\w+)'", source) == [
        (", ".join(f"'{code}'" for code in sorted(TURKIC_CASE)), TURKIC_UPPER),
        (", ".join(f"'{code}'" for code in sorted(TURKIC_CASE)), TURKIC_LOWER),
    ]
    folding = function_source("releases_search_fold")
    assert f"fold_from text := '{FOLD_FROM}'" in folding
    assert f"fold_to text := '{FOLD_TO}'" in folding


@pytest.mark.postgresql
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_trigger_weighs_title_lead_and_body_each_with_its_language(make_release, language):
    release = make_release(language=language, title=TITLE, lead=LEAD, body=BODY)
    stored = vector_text("SELECT search_vector FROM releases_release WHERE id = %s", [release.pk])
    expected = vector_text(
        "releases_search_vector(%(language)s, %(title)s, %(lead)s, %(body)s)",
        {"language": language, "title": TITLE, "lead": LEAD, "body": BODY},
    )
    assert stored == expected
    exact = vector_text(
        "setweight(to_tsvector(%(config)s::regconfig, %(title)s), 'A')"
        " || setweight(to_tsvector(%(config)s::regconfig, %(lead)s), 'B')"
        " || setweight(to_tsvector(%(config)s::regconfig, %(body)s), 'C')",
        {"config": search_config(language), "title": TITLE, "lead": LEAD, "body": "Committees met"},
    )
    # Nothing here to fold: the vector is the exact one alone.
    assert stored == exact


@pytest.mark.postgresql
def test_the_vector_holds_folded_words_one_weight_lower_and_azerbaijani_in_turkic_case():
    stored = vector_text("SELECT releases_search_vector('az', 'QIZIL Səfər', 'gömrük', '<p>Bakı</p>')", [])
    # The title and lead as written and folded (ə also as a), the body folded.
    exact = "'gömrük':3B 'qızıl':1A 'səfər':2A"
    folded = "'baki':10C 'gomruk':8C,9C 'qizil':4B,6B 'safar':7B 'sefer':5B"
    assert sorted(stored.split()) == sorted(f"{exact} {folded}".split())


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "language, title, lead, body",
    [
        ("az", "QIZIL Səfər İlham", "gömrük İran", "<p>Bakı Café Łódź</p>"),
        ("az", "Bakı", "Customs", "<p>Plain</p>"),
        ("az", "Plain", "Səfər", "<p>Plain</p>"),
        ("en", "Café Müller", "Smith", "<p>Ёлка</p>"),
        ("en", "Customs sessions", "Customs sessions", "<p>MÜLLER ÇAY</p>"),
        ("ru", "Ёлка и ёж", "Таможенные сессии", "<p>Café ёж</p>"),
        ("ru", "Таможня", "", ""),
        ("en", None, None, None),
    ],
)
def test_the_vector_is_the_one_of_migration_0018_to_the_position(language, title, lead, body):
    """Migration 0019 made vectors cheaper to build and computed none again:
    that holds only while each is the one 0018's function gives."""
    previous = import_module("releases.migrations.0018_search_fold_cost").CREATE_FUNCTIONS
    with connection.cursor() as cursor:
        cursor.execute(previous.replace("OR REPLACE FUNCTION releases_search_vector", "FUNCTION pg_temp.vector_0018"))
    arguments = {"language": language, "title": title, "lead": lead, "body": body}
    now = vector_text("releases_search_vector(%(language)s, %(title)s, %(lead)s, %(body)s)", arguments)
    before = vector_text("pg_temp.vector_0018(%(language)s, %(title)s, %(lead)s, %(body)s)", arguments)
    assert now == before


def tsquery_text(words, language):
    """The tsquery search_query(words) gives, as PostgreSQL reads it."""
    from releases.models import Release

    queryset = Release.objects.all()
    expression = search_query(words, language=language).resolve_expression(queryset.query)
    sql, params = queryset.query.get_compiler(connection=connection).compile(expression)
    return vector_text(sql, params)


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "language, words, expected",
    [
        # Each word once: its beginning covers the word and its longer
        # beginnings (a word looked for twice or three times made Russian
        # searches up to 1.6 times as slow, ts_rank weighing each again).
        ("ru", "таможенного комитета", "'тамож':* & 'комитет':*"),
        ("ru", "Таможня", "'тамож':*"),
        (
            "az",
            "gömrük əməkdaşları",
            "( 'gömrük':* | 'gömrüy':* | 'gomruk':* | 'gomruy':* ) & ( 'əməkdaş':* | 'emekdas':* )",
        ),
        ("az", "yük", "'yük':* | 'yuk':*"),
        # A word no beginning covers stays a word (not the last: no prefix).
        ("en", "customs cooperation", "'custom' & 'cooper':*"),
        ("az", "yük gömrük", "( 'yük' | 'yuk' ) & ( 'gömrük':* | 'gomruk':* | 'gömrüy':* | 'gomruy':* )"),
    ],
)
def test_the_query_looks_for_each_form_once(language, words, expected):
    assert tsquery_text(words, language) == expected


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "body, words",
    [
        # Azerbaijani letters and ё, folded first (migrations 0018, 0019).
        ("<p>Gömrükçülər Ёлка</p>", ["gomrukculer", "елка"]),
        # Other letters only in a body that has one, and then every one.
        ("<p>Café Müller Ёлка Łódź</p>", ["cafe", "lodz", "muller", "елка"]),
        ("<p>Plain text</p>", ["plain", "text"]),
    ],
)
def test_the_body_is_folded_whichever_letters_it_holds(body, words):
    stored = vector_text("SELECT releases_search_vector('az', '', '', %s)", [body])
    assert sorted(re.findall(r"'(\w+)'", stored)) == words
