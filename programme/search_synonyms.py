"""The synonym groups the portal starts with (managers edit them afterwards): words
members type for the programme's themes, one group per line, per language."""

DEFAULT_SYNONYMS = {
    "fr": "\n".join(
        [
            "stress, anxiété, angoisse, pression, tension, nervosité",
            "sommeil, insomnie, dormir, endormissement, fatigue, récupération",
            "solitude, isolement, seul, isolé, entourage",
            "burnout, épuisement, surmenage, épuisé",
            "déconnexion, déconnecter, écrans, téléphone, smartphone, notifications",
            "administratif, administration, paperasse, comptabilité, surcharge",
            "client, clients, clientèle, négociation",
            "maladie, malade, santé, chronique",
            "argent, finances, dettes, faillite, trésorerie",
            "atelier, workshop, formation",
            "webinaire, webinar, conférence en ligne",
        ]
    ),
    "nl": "\n".join(
        [
            "stress, angst, spanning, druk, zenuwen",
            "slaap, slapen, slapeloosheid, vermoeidheid, herstel",
            "eenzaamheid, eenzaam, isolement, alleen",
            "burnout, opgebrand, uitputting, overspannen, uitgeput",
            "loskoppelen, ontkoppelen, schermen, smartphone, telefoon, meldingen",
            "administratie, papierwerk, boekhouding, overbelasting",
            "klant, klanten, klantenrelatie",
            "ziekte, ziek, gezondheid, chronisch",
            "geld, financiën, schulden, faillissement",
            "workshop, opleiding, vorming",
        ]
    ),
    "en": "\n".join(
        [
            "stress, anxiety, pressure, tension",
            "sleep, insomnia, sleeping, tiredness, recovery",
            "loneliness, lonely, isolation, alone",
            "burnout, exhaustion, exhausted, overwork",
            "disconnect, disconnection, screens, phone, notifications",
            "paperwork, administration, admin, overload",
            "illness, ill, sick, health, chronic",
            "money, finances, debt, bankruptcy",
        ]
    ),
}
