"""The themes that come from the entrepreneurs' reality; managers add others."""

from django.db import migrations

THEMES = [
    # slug, French, Dutch, English
    ("stress", "Stress", "Stress", "Stress"),
    ("sleep", "Sommeil", "Slaap", "Sleep"),
    ("disconnection", "Déconnexion", "Loskoppelen", "Disconnecting"),
    (
        "psychosocial-risks",
        "Risques psychosociaux",
        "Psychosociale risico's",
        "Psychosocial risks",
    ),
    ("weak-signals", "Signaux faibles", "Zwakke signalen", "Weak signals"),
    (
        "administrative-overload",
        "Surcharge administrative",
        "Administratieve overlast",
        "Administrative overload",
    ),
    ("client-pressure", "Pression des clients", "Druk van klanten", "Client pressure"),
    ("illness", "Maladie", "Ziekte", "Illness"),
    ("loneliness", "Solitude", "Eenzaamheid", "Loneliness"),
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("programme", "Theme")
    for position, (slug, fr, nl, en) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={"name_fr": fr, "name_nl": nl, "name_en": en, "position": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_catalogue")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
