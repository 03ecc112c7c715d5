from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from programme.models.catalogue import search_fold

TRIGRAM_INDEX = "programme_module_search_trgm"


def refold_search_text(apps, schema_editor):
    """search_text now joins hyphenated words ("burn-out" is "burnout")."""
    Module = apps.get_model("programme", "Module")
    for module in Module.objects.prefetch_related("themes"):
        names = " ".join(f"{t.name_fr} {t.name_nl} {t.name_en}" for t in module.themes.all())
        text = " ".join([module.title, module.summary, module.description, module.provider])
        Module.objects.filter(pk=module.pk).update(search_text=search_fold(f"{text} {names}"))


def trigram_index(apps, schema_editor):
    # pg_trgm's GIN index serves the search's %> (word similarity) and LIKE lookups.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
            "ON programme_module USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0006_session_module_start_index"),
    ]

    operations = [
        # CREATE EXTENSION on PostgreSQL only; nothing on SQLite.
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchSynonyms",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("fr", "French"), ("nl", "Dutch"), ("en", "English")],
                        max_length=2,
                        unique=True,
                        verbose_name="language",
                    ),
                ),
                (
                    "groups",
                    models.TextField(blank=True, verbose_name="groups of words that mean the same"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "search synonyms",
                "verbose_name_plural": "search synonyms",
                "ordering": ["language"],
            },
        ),
        migrations.RunPython(refold_search_text, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
