"""The demo's training tracks: one per audience, in French and in Dutch. Steps name the
demo catalogue's modules by title (demo/programme_data.py); "session:" a module whose
next session is the step, "replay:" the replay of the demo's past webinar."""

from programme.models import TrackAudience

# (audience, language, title, introduction, steps)
TRACKS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        TrackAudience.AMBASSADORS,
        "fr",
        "Parcours d'accueil des ambassadeurs",
        "Pour bien démarrer comme ambassadeur : repérer les signaux faibles et orienter, "
        "avec l'accord de la personne.",
        (
            "Article : reconnaître les signaux faibles chez un proche entrepreneur",
            "Repérer les signaux faibles chez soi",
            "session:Repérer les signaux faibles chez soi",
            "Fiche à télécharger : mon plan de déconnexion",
        ),
    ),
    (
        TrackAudience.AMBASSADORS,
        "nl",
        "Onthaaltraject voor ambassadeurs",
        "Om goed te starten als ambassadeur: signalen van overbelasting herkennen en "
        "doorverwijzen, met het akkoord van de persoon.",
        (
            "Artikel: signalen van overbelasting herkennen",
            "Stress als ondernemer: begrijpen om sterker te staan",
            "session:Stress als ondernemer: begrijpen om sterker te staan",
            "Checklist: omgaan met veeleisende klanten",
        ),
    ),
    (
        TrackAudience.NEW_ADVISORS,
        "fr",
        "Parcours d'accueil des conseillers de la cellule d'écoute",
        "Les outils des partenaires vers lesquels la cellule oriente, et un atelier à vivre.",
        (
            "Evoluno : ton programme en ligne de gestion du stress",
            "Amarok e-Santé : faire le point sur ta santé d'entrepreneur",
            "session:Atelier : prévenir l'épuisement professionnel",
        ),
    ),
    (
        TrackAudience.NEW_ADVISORS,
        "nl",
        "Onthaaltraject voor adviseurs van de luistercel",
        "De tools van de partners naar wie de luistercel doorverwijst, en een workshop om "
        "zelf mee te maken.",
        (
            "Evoluno: je online programma rond stress",
            "Amarok e-Santé: check-up voor ondernemers",
            "session:Workshop: nee zeggen tegen een klant",
        ),
    ),
    (
        TrackAudience.ALL_STAFF,
        "fr",
        "Découvrir le programme J'entreprends mon bien-être",
        "Ce que le programme propose aux indépendants, pour en parler avec justesse.",
        (
            "Stress d'entrepreneur : comprendre pour mieux rebondir",
            "replay:",
            "Guide : 10 réflexes face à la surcharge administrative",
            "Vidéo : témoignages d'entrepreneurs qui ont traversé une tempête",
        ),
    ),
    (
        TrackAudience.ALL_STAFF,
        "nl",
        "Het programma J'entreprends mon bien-être leren kennen",
        "Wat het programma zelfstandigen aanbiedt, om er juist over te praten.",
        (
            "Stress als ondernemer: begrijpen om sterker te staan",
            "Gids: administratie vereenvoudigen",
            "E-learning: je energie beheren",
        ),
    ),
)

REPLAY_TITLE = "Replay du webinaire"
REPLAY_URL = "https://video.example.org/replays/stress-entrepreneur"
