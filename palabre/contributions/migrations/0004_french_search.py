"""French full-text search on PostgreSQL: the french configuration with accents removed.

SQLite has no French stemmer; there Palabre searches the `search_stems` column instead (see
palabre/contributions/search.py). Creating the unaccent extension needs a role allowed to create
extensions (the database owner on PostgreSQL 13+ for trusted extensions such as unaccent).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'palabre_french') THEN
    CREATE TEXT SEARCH CONFIGURATION palabre_french (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION palabre_french
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;
"""
DROP = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS palabre_french;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("contributions", "0003_moderation_board_photos")]
    operations = [migrations.RunPython(forwards, backwards)]
