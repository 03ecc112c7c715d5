"""pg_trgm indexes on people's names and e-mail, for "contains" searches that stay fast at
150,000 accounts (the listening cell's case search; any staff search of people)."""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "email")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Not TrigramExtension: undoing this migration would drop pg_trgm, which the catalogue's
    # search index (programme 0007) still uses.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS members_user_{column}_trgm "
            f"ON members_user USING gin (upper({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS members_user_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0007_research_consent")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
