"""The nine themes that come from the entrepreneurs' reality; managers add others."""

DEFAULT_THEMES = [
    # slug, French, Dutch, English
    ("stress", "Stress", "Stress", "Stress"),
    ("sleep", "Sommeil", "Slaap", "Sleep"),
    ("disconnection", "Déconnexion", "Loskoppelen", "Disconnecting"),
    ("psychosocial-risks", "Risques psychosociaux", "Psychosociale risico's", "Psychosocial risks"),
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


def ensure_default_themes(using: str = "default", **kwargs) -> None:
    """Create the default themes that are missing; never overwrite a manager's edits."""
    from .models import Theme

    for position, (slug, fr, nl, en) in enumerate(DEFAULT_THEMES, start=1):
        Theme.objects.using(using).get_or_create(
            slug=slug,
            defaults={"name_fr": fr, "name_nl": nl, "name_en": en, "position": position * 10},
        )
