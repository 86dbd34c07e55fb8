"""releases/search.py: the map of languages to text search configurations,
and the trigger of migration 0003, which has its own copy of it in SQL."""

import re

import pytest
from django.conf import settings
from django.db import connection

from releases.search import FALLBACK_CONFIG, SEARCH_CONFIGS, search_config

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


@pytest.mark.postgresql
def test_the_trigger_maps_languages_to_configurations_as_search_configs_does():
    """A change to SEARCH_CONFIGS needs a migration that replaces the
    trigger's function, which cannot read the map: this fails until it has."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'releases_release_search_vector'")
        (source,) = cursor.fetchone()
    assert dict(re.findall(r"WHEN '(\w+)' THEN '(\w+)'", source)) == SEARCH_CONFIGS
    assert re.findall(r"ELSE '(\w+)' END", source) == [FALLBACK_CONFIG]


@pytest.mark.postgresql
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_trigger_weighs_title_lead_and_body_each_with_its_language(make_release, language):
    release = make_release(language=language, title=TITLE, lead=LEAD, body=BODY)
    stored = vector_text("SELECT search_vector FROM releases_release WHERE id = %s", [release.pk])
    expected = vector_text(
        "setweight(to_tsvector(%(config)s::regconfig, %(title)s), 'A')"
        " || setweight(to_tsvector(%(config)s::regconfig, %(lead)s), 'B')"
        " || setweight(to_tsvector(%(config)s::regconfig, %(body)s), 'C')",
        {"config": search_config(language), "title": TITLE, "lead": LEAD, "body": "Committees met"},
    )
    assert stored == expected
