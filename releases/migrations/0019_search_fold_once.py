from importlib import import_module

from django.db import migrations

# A release's vector cost twice what it did before folding (issue 15: seeding
# some 22 % slower, against the 15 % asked). Measured on 3,000 seeded
# releases (bench.search_vector_cost), the folding of 0018 spent its time in:
# - translate() on the body: it compares each character with each letter of
#   its list. replace(), one letter at a time, finds a letter at the speed of
#   a byte search: folding the body now costs half, and nothing at all in a
#   text with no letter to fold (most English ones: one search says so);
# - the title and lead analysed twice more, folded, in texts where folding
#   changes nothing (English, and Russian without ё): all those words are
#   then deleted again as exact ones. They are no longer analysed.
# The vectors are the same, to the position (tests/test_search.py compares
# them with 0018's function), so none is computed again.
FOLDING = import_module("releases.migrations.0017_search_folding")
PREVIOUS = import_module("releases.migrations.0018_search_fold_cost")

CREATE_FUNCTIONS = r"""
CREATE FUNCTION releases_search_fold(words text) RETURNS text AS $$
DECLARE
    fold_from text := 'əöüşçğıâäàáãåāéèêëēíìîïīóòôõøōúùûūñńýÿžźżšśčćłőűё';
    fold_to text := 'eouscgiaaaaaaaeeeeeiiiiioooooouuuunnyyzzzsscclouе';
    -- The letters Azerbaijani and Russian text holds: the first seven and ё.
    common_letters int[] := ARRAY[1, 2, 3, 4, 5, 6, 7, length(fold_from)];
    letter int;
BEGIN
    IF words !~ ('[' || fold_from || ']') THEN
        RETURN words;
    END IF;
    FOREACH letter IN ARRAY common_letters LOOP
        words := replace(words, substr(fold_from, letter, 1), substr(fold_to, letter, 1));
    END LOOP;
    -- The others (names from elsewhere) only in a text that holds one.
    IF words ~ ('[' || fold_from || ']') THEN
        words := translate(words, fold_from, fold_to);
    END IF;
    RETURN words;
END
$$ LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION releases_search_vector(language text, title text, lead text, body text)
RETURNS tsvector AS $$
DECLARE
    config regconfig := CASE language WHEN 'en' THEN 'english' WHEN 'ru' THEN 'russian' ELSE 'simple' END;
    upper_from text := CASE WHEN language IN ('az') THEN 'Iİ' ELSE '' END;
    upper_to text := CASE WHEN language IN ('az') THEN 'ıi' ELSE '' END;
    title_text text := lower(translate(coalesce(title, ''), upper_from, upper_to));
    lead_text text := lower(translate(coalesce(lead, ''), upper_from, upper_to));
    body_text text := lower(translate(regexp_replace(coalesce(body, ''), '<[^>]*>', ' ', 'g'), upper_from, upper_to));
    exact tsvector := setweight(to_tsvector(config, title_text), 'A') || setweight(to_tsvector(config, lead_text), 'B');
    folded_title text := releases_search_fold(title_text);
    folded_lead text := releases_search_fold(lead_text);
    body_vector tsvector := setweight(to_tsvector(config, releases_search_fold(body_text)), 'C');
BEGIN
    -- Folding changed no word: the folded copies would all be deleted.
    IF folded_title = title_text AND folded_lead = lead_text THEN
        RETURN exact || body_vector;
    END IF;
    -- ə is typed e or a (Səfər: sefer, Safar): both, in the title and lead.
    RETURN exact
        || ts_delete(
            setweight(to_tsvector(config, folded_title || ' ' || releases_search_fold(replace(title_text, 'ə', 'a'))), 'B')
            || setweight(to_tsvector(config, folded_lead || ' ' || releases_search_fold(replace(lead_text, 'ə', 'a'))), 'C'),
            tsvector_to_array(exact)
        )
        || body_vector;
END
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;
"""

DROP_FUNCTIONS = PREVIOUS.CREATE_FUNCTIONS + "DROP FUNCTION releases_search_fold(text);"


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0018_search_fold_cost"),
    ]

    operations = [
        migrations.RunPython(FOLDING.on_postgresql(CREATE_FUNCTIONS), FOLDING.on_postgresql(DROP_FUNCTIONS)),
    ]
