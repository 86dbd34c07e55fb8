import django.contrib.postgres.search
from django.db import migrations

# On PostgreSQL a trigger keeps Release.search_vector current on every insert
# and update, bulk ones included: the title weighs most (A), then the lead (B),
# then the body without its HTML tags (C), each stemmed by the release's
# language (a copy of the map of releases.search.SEARCH_CONFIGS, as it was).
CREATE_TRIGGER = r"""
CREATE FUNCTION releases_release_search_vector() RETURNS trigger AS $$
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

CREATE TRIGGER releases_release_search_vector
    BEFORE INSERT OR UPDATE OF title, lead, body, language ON releases_release
    FOR EACH ROW EXECUTE FUNCTION releases_release_search_vector();

UPDATE releases_release SET title = title;

CREATE INDEX release_search ON releases_release USING gin (search_vector);
"""

DROP_TRIGGER = """
DROP INDEX IF EXISTS release_search;
DROP TRIGGER IF EXISTS releases_release_search_vector ON releases_release;
DROP FUNCTION IF EXISTS releases_release_search_vector();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(CREATE_TRIGGER), on_postgresql(DROP_TRIGGER)),
    ]
