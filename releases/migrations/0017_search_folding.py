from django.db import migrations

# Search without diacritics and in Turkic case (issue 15; releases.search).
# The vector of a release is built by releases_search_vector(), which the
# trigger calls (and tests and bench.search_recall call on plain text):
# Azerbaijani text lowercased the Turkic way (copies of TURKIC_CASE and
# TURKIC_UPPER/TURKIC_LOWER), with its language's configuration (a copy of
# SEARCH_CONFIGS); the title and lead as written (A, B) and folded (a copy
# of FOLD_FROM/FOLD_TO, and ə also as a: SCHWA_TYPED) one weight lower
# (B, C; the words that folding changed only), the body folded only (C).
# The body is most of the text, and analysing it twice (or folding its
# vector) made vectors 2.4 to 7 times as costly to build.
# The statement timeout of the settings is for requests: on a large archive,
# computing every release's vector again takes longer.
CREATE_FUNCTIONS = r"""
SET LOCAL statement_timeout = 0;

CREATE FUNCTION releases_search_vector(language text, title text, lead text, body text)
RETURNS tsvector AS $$
DECLARE
    config regconfig := CASE language WHEN 'en' THEN 'english' WHEN 'ru' THEN 'russian' ELSE 'simple' END;
    upper_from text := CASE WHEN language IN ('az') THEN 'Iİ' ELSE '' END;
    upper_to text := CASE WHEN language IN ('az') THEN 'ıi' ELSE '' END;
    fold_from text := 'əöüşçğıâäàáãåāéèêëēíìîïīóòôõøōúùûūñńýÿžźżšśčćłőűё';
    fold_to text := 'eouscgiaaaaaaaeeeeeiiiiioooooouuuunnyyzzzsscclouе';
    title_text text := lower(translate(coalesce(title, ''), upper_from, upper_to));
    lead_text text := lower(translate(coalesce(lead, ''), upper_from, upper_to));
    body_text text := lower(translate(regexp_replace(coalesce(body, ''), '<[^>]*>', ' ', 'g'), upper_from, upper_to));
    exact tsvector := setweight(to_tsvector(config, title_text), 'A') || setweight(to_tsvector(config, lead_text), 'B');
BEGIN
    -- ə is typed e or a (Səfər: sefer, Safar): both, in the title and lead.
    RETURN exact
        || ts_delete(
            setweight(to_tsvector(config, translate(title_text || ' ' || translate(title_text, 'ə', 'a'), fold_from, fold_to)), 'B')
            || setweight(to_tsvector(config, translate(lead_text || ' ' || translate(lead_text, 'ə', 'a'), fold_from, fold_to)), 'C'),
            tsvector_to_array(exact)
        )
        || setweight(to_tsvector(config, translate(body_text, fold_from, fold_to)), 'C');
END
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION releases_release_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := releases_search_vector(NEW.language, NEW.title, NEW.lead, NEW.body);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

UPDATE releases_release SET title = title;
"""

# The trigger's function of migration 0003, as it was.
DROP_FUNCTIONS = r"""
SET LOCAL statement_timeout = 0;

CREATE OR REPLACE FUNCTION releases_release_search_vector() RETURNS trigger AS $$
DECLARE
    config regconfig := CASE NEW.language WHEN 'en' THEN 'english' WHEN 'ru' THEN 'russian' ELSE 'simple' END;
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector(config, coalesce(NEW.lead, '')), 'B') ||
        setweight(to_tsvector(config, regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP FUNCTION IF EXISTS releases_search_vector(text, text, text, text);

UPDATE releases_release SET title = title;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0016_release_sync_order"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE_FUNCTIONS), on_postgresql(DROP_FUNCTIONS)),
    ]
