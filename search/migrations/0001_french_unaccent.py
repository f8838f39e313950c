"""PostgreSQL: the « french_unaccent » text search configuration the database search backend
uses (WAGTAILSEARCH_BACKENDS' SEARCH_CONFIG): the « french » stemmer after the unaccent
dictionary, so « benevolat » finds « bénévolat » and « associations » finds « association ».
SQLite's FTS5 tokenizer already drops accents: nothing to do there.

The unaccent extension ships with PostgreSQL (contrib) and is trusted since PostgreSQL 13: the
database's owner may create it without being a superuser.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = []
    # Before any page is indexed with this configuration.
    run_before = [("wagtailsearch", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
