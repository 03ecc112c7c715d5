from django.db import migrations, models

TRIGRAM_INDEX = "programme_searchword_word_trgm"
MAX_SEARCH_WORD = 60


def fill_search_words(apps, schema_editor):
    """Every word the modules' search texts hold today; the services add new ones."""
    Module = apps.get_model("programme", "Module")
    SearchWord = apps.get_model("programme", "SearchWord")
    words: set[str] = set()
    for text in Module.objects.values_list("search_text", flat=True).iterator():
        words.update(w for w in text.split() if len(w) <= MAX_SEARCH_WORD)
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in sorted(words)], batch_size=1000, ignore_conflicts=True
    )


def trigram_index(apps, schema_editor):
    # pg_trgm's GIN index serves the search's %> (word similarity) on the words.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
            "ON programme_searchword USING gin (word gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0017_tool_openings"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=60, primary_key=True, serialize=False)),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
            },
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
        migrations.RunPython(fill_search_words, migrations.RunPython.noop),
    ]
