"""The demo programme's texts: its modules, venues, participants and their feedback.

Kept apart from the seeding code (demo/programme.py), which reads them; edit here to
change what the demo shows.
"""

from dataclasses import dataclass, field

from programme.models import ModuleFormat

W, A, T, C, E = (
    ModuleFormat.WEBINAR,
    ModuleFormat.WORKSHOP,
    ModuleFormat.DIGITAL_TOOL,
    ModuleFormat.PRACTICAL_CONTENT,
    ModuleFormat.ELEARNING,
)
TEAM = "J'entreprends mon bien-être"


@dataclass(frozen=True)
class ModuleSpec:
    title: str
    format: str
    language: str
    themes: tuple[str, ...]
    summary: str
    description: str = ""
    provider: str = TEAM
    duration: int | None = None
    url: str = ""
    kind: str = ""
    audience: str = ""
    sessions: int = 0  # how many to plan over the next three months
    places: tuple[str, ...] = field(default=())  # venue keys; empty means online


MODULES: tuple[ModuleSpec, ...] = (
    # --- Digital tools of the partners -----------------------------------------------
    ModuleSpec(
        "Evoluno : ton programme en ligne de gestion du stress",
        T,
        "fr",
        ("stress", "sleep", "weak-signals"),
        "Un parcours numérique guidé, à ton rythme, pour mieux comprendre ton stress et renforcer tes ressources.",
        "Evoluno propose des **modules courts** (10 à 15 minutes) :\n\n"
        "- comprendre ce qui se passe quand la pression monte ;\n"
        "- des exercices de respiration et de cohérence cardiaque ;\n"
        "- un suivi de ton sommeil et de ton énergie.\n\n"
        "L'accès est offert par ta caisse d'assurances sociales.",
        provider="Evoluno",
        url="https://evoluno.example.org/",
        duration=15,
    ),
    ModuleSpec(
        "Evoluno: je online programma rond stress",
        T,
        "nl",
        ("stress", "sleep"),
        "Een begeleid digitaal traject op je eigen tempo om stress beter te begrijpen en je veerkracht te versterken.",
        "Korte modules, ademhalingsoefeningen en een opvolging van je slaap en energie.",
        provider="Evoluno",
        url="https://evoluno.example.org/nl/",
        duration=15,
    ),
    ModuleSpec(
        "Amarok e-Santé : faire le point sur ta santé d'entrepreneur",
        T,
        "fr",
        ("psychosocial-risks", "weak-signals", "illness"),
        "Un outil conçu pour les dirigeants de TPE : quelques questions, un bilan personnel et des pistes concrètes.",
        "Développé à partir des travaux de l'observatoire **Amarok** sur la santé des entrepreneurs.\n\n"
        "Tes réponses restent chez le partenaire : sa politique de confidentialité te dit ce qu'il en fait.",
        provider="Amarok e-Santé",
        url="https://amarok-esante.example.org/",
        duration=20,
    ),
    ModuleSpec(
        "Amarok e-Santé: check-up voor ondernemers",
        T,
        "nl",
        ("psychosocial-risks", "weak-signals"),
        "Een digitaal hulpmiddel voor zelfstandigen: een persoonlijke balans en concrete tips.",
        provider="Amarok e-Santé",
        url="https://amarok-esante.example.org/nl/",
        duration=20,
    ),
    # --- Webinars ---------------------------------------------------------------------
    ModuleSpec(
        "Stress d'entrepreneur : comprendre pour mieux rebondir",
        W,
        "fr",
        ("stress",),
        "Une heure pour comprendre les mécanismes du stress et repérer tes propres leviers.",
        "Avec une psychologue du travail. Questions anonymes possibles dans le chat.",
        duration=60,
        sessions=3,
    ),
    ModuleSpec(
        "Stress als ondernemer: begrijpen om sterker te staan",
        W,
        "nl",
        ("stress",),
        "Eén uur om te begrijpen hoe stress werkt en welke hefbomen je zelf in handen hebt.",
        duration=60,
        sessions=2,
    ),
    ModuleSpec(
        "Bien dormir quand on dirige une entreprise",
        W,
        "fr",
        ("sleep",),
        "Ce que dit la recherche sur le sommeil des indépendants, et des gestes simples pour des nuits plus réparatrices.",
        duration=75,
        sessions=2,
    ),
    ModuleSpec(
        "Déconnexion : poser des limites à son téléphone",
        W,
        "fr",
        ("disconnection", "client-pressure"),
        "Messages du soir, appels le week-end : des règles réalistes pour retrouver du temps pour toi.",
        duration=60,
        sessions=2,
    ),
    ModuleSpec(
        "Digitaal loskoppelen zonder klanten te verliezen",
        W,
        "nl",
        ("disconnection", "client-pressure"),
        "Realistische afspraken over bereikbaarheid, voor jezelf en voor je klanten.",
        duration=60,
        sessions=2,
    ),
    ModuleSpec(
        "Surcharge administrative : s'organiser sans s'épuiser",
        W,
        "fr",
        ("administrative-overload",),
        "TVA, cotisations, factures : méthodes et outils pour alléger la charge mentale de l'administratif.",
        "Avec un comptable et une conseillère de la caisse. Aucune donnée personnelle n'est demandée.",
        duration=90,
        sessions=2,
    ),
    ModuleSpec(
        "Administratie de baas zonder opgebrand te raken",
        W,
        "nl",
        ("administrative-overload",),
        "Methodes en tools om de administratieve last lichter te maken.",
        duration=90,
        sessions=2,
    ),
    ModuleSpec(
        "Repérer les signaux faibles chez soi",
        W,
        "fr",
        ("weak-signals", "psychosocial-risks"),
        "Fatigue qui s'installe, irritabilité, isolement : apprendre à lire ses propres signaux avant qu'ils ne s'aggravent.",
        duration=60,
        sessions=2,
    ),
    ModuleSpec(
        "Entrepreneurs and stress: an introduction in English",
        W,
        "en",
        ("stress", "loneliness"),
        "For English-speaking self-employed people in Belgium: understand stress and strengthen your resources.",
        duration=60,
        sessions=2,
    ),
    ModuleSpec(
        "Entreprendre avec une maladie chronique",
        W,
        "fr",
        ("illness",),
        "Témoignages et repères pratiques : adapter son activité, connaître ses droits, garder le cap.",
        "En partenariat avec la mutualité. Les informations sur l'incapacité de travail des indépendants sont à jour pour cette année.",
        duration=90,
        sessions=1,
    ),
    # --- Workshops in person ---------------------------------------------------------
    ModuleSpec(
        "Atelier : dire non à un client sans le perdre",
        A,
        "fr",
        ("client-pressure",),
        "Jeux de rôle en petit groupe pour négocier délais et prix avec assurance.",
        duration=180,
        sessions=3,
        places=("namur", "liege", "charleroi"),
        audience="Indépendants en contact direct avec leurs clients.",
    ),
    ModuleSpec(
        "Workshop: nee zeggen tegen een klant",
        A,
        "nl",
        ("client-pressure",),
        "Rollenspelen in kleine groep om met zelfvertrouwen over deadlines en prijzen te onderhandelen.",
        duration=180,
        sessions=2,
        places=("gent", "antwerpen"),
    ),
    ModuleSpec(
        "Workshop: beter slapen als zelfstandige",
        A,
        "nl",
        ("sleep", "stress"),
        "Een praktische workshop over slaap, ritme en herstel, met oefeningen om thuis toe te passen.",
        "Begeleid door een slaapcoach. **Breng gemakkelijke kleding mee.**",
        duration=150,
        sessions=3,
        places=("gent", "hasselt", "leuven"),
    ),
    ModuleSpec(
        "Atelier sommeil et récupération",
        A,
        "fr",
        ("sleep",),
        "Comprendre ses cycles, organiser ses journées pour mieux récupérer, exercices de relaxation.",
        duration=150,
        sessions=2,
        places=("bruxelles", "wavre"),
    ),
    ModuleSpec(
        "Cercle d'entrepreneurs : rompre l'isolement",
        A,
        "fr",
        ("loneliness",),
        "Un groupe de parole entre pairs, animé par une facilitatrice, pour partager et se sentir moins seul.",
        duration=120,
        sessions=3,
        places=("namur", "arlon", "mons"),
    ),
    ModuleSpec(
        "Ondernemerscafé: samen minder alleen",
        A,
        "nl",
        ("loneliness",),
        "Een praatgroep onder ondernemers om ervaringen te delen.",
        duration=120,
        sessions=2,
        places=("brugge", "antwerpen"),
    ),
    ModuleSpec(
        "Atelier : prévenir l'épuisement professionnel",
        A,
        "fr",
        ("psychosocial-risks", "stress"),
        "Identifier les facteurs de risque dans son activité et construire son plan de prévention personnel.",
        duration=180,
        sessions=2,
        places=("liege", "bruxelles"),
    ),
    ModuleSpec(
        "Atelier : se déconnecter pendant les vacances",
        A,
        "fr",
        ("disconnection",),
        "Préparer son absence, organiser sa continuité et partir vraiment.",
        duration=120,
        sessions=1,
        places=("charleroi",),
    ),
    # --- Practical content ----------------------------------------------------------------
    ModuleSpec(
        "Guide : 10 réflexes face à la surcharge administrative",
        C,
        "fr",
        ("administrative-overload",),
        "Un guide pratique à télécharger : calendrier des échéances, modèles de courriers, astuces.",
        provider=TEAM,
        kind="guide",
        url="https://documents.example.org/guide-surcharge.pdf",
    ),
    ModuleSpec(
        "Gids: administratie vereenvoudigen",
        C,
        "nl",
        ("administrative-overload",),
        "Een praktische gids met een kalender van de deadlines en sjablonen.",
        kind="guide",
        url="https://documents.example.org/gids-administratie.pdf",
    ),
    ModuleSpec(
        "Article : reconnaître les signaux faibles chez un proche entrepreneur",
        C,
        "fr",
        ("weak-signals",),
        "Ce qui peut alerter, comment en parler sans juger, et vers qui orienter.",
        "## Quelques signaux\n\n- il ou elle ne prend plus de congés ;\n- les nuits raccourcissent ;\n- le sujet de l'activité devient tabou.\n\n"
        "Le plus utile : **écouter**, puis proposer la cellule d'écoute.",
        kind="article",
        duration=8,
    ),
    ModuleSpec(
        "Artikel: signalen van overbelasting herkennen",
        C,
        "nl",
        ("weak-signals", "psychosocial-risks"),
        "Waar je op kunt letten, en hoe je het gesprek aangaat.",
        kind="article",
        duration=8,
    ),
    ModuleSpec(
        "Fiche à télécharger : mon plan de déconnexion",
        C,
        "fr",
        ("disconnection",),
        "Une fiche à remplir en 15 minutes pour fixer tes plages de disponibilité.",
        kind="download",
        url="https://documents.example.org/plan-deconnexion.pdf",
    ),
    ModuleSpec(
        "Article : maladie et activité indépendante, tes droits",
        C,
        "fr",
        ("illness", "administrative-overload"),
        "Incapacité de travail, assimilation, droit passerelle : les repères essentiels.",
        kind="article",
        duration=10,
    ),
    ModuleSpec(
        "Checklist: omgaan met veeleisende klanten",
        C,
        "nl",
        ("client-pressure",),
        "Een checklist om grenzen te stellen in offertes, contracten en communicatie.",
        kind="download",
        url="https://documents.example.org/checklist-klanten.pdf",
    ),
    # --- E-learning and videos ----------------------------------------------------------
    ModuleSpec(
        "E-learning : gérer son énergie sur la semaine",
        E,
        "fr",
        ("stress", "sleep"),
        "Cinq capsules vidéo de 5 minutes pour planifier effort et récupération.",
        duration=25,
        url="https://elearning.example.org/energie/",
    ),
    ModuleSpec(
        "E-learning: je energie beheren",
        E,
        "nl",
        ("stress", "sleep"),
        "Vijf korte video's om inspanning en herstel te plannen.",
        duration=25,
        url="https://elearning.example.org/nl/energie/",
    ),
    ModuleSpec(
        "Vidéo : témoignages d'entrepreneurs qui ont traversé une tempête",
        E,
        "fr",
        ("psychosocial-risks", "loneliness"),
        "Trois indépendants racontent comment ils ont demandé de l'aide et repris pied.",
        duration=18,
        url="https://video.example.org/temoignages/",
        kind="",
    ),
    ModuleSpec(
        "Video: breathing exercises for busy days",
        E,
        "en",
        ("stress",),
        "Three short guided exercises you can do between two appointments.",
        duration=12,
        url="https://video.example.org/breathing/",
    ),
)

# The same content in several languages: each page offers the other ("Aussi en
# néerlandais"), and the catalogue shows a member the version in their language.
VERSIONS: tuple[tuple[str, ...], ...] = (
    (
        "Evoluno : ton programme en ligne de gestion du stress",
        "Evoluno: je online programma rond stress",
    ),
    (
        "Amarok e-Santé : faire le point sur ta santé d'entrepreneur",
        "Amarok e-Santé: check-up voor ondernemers",
    ),
    (
        "Stress d'entrepreneur : comprendre pour mieux rebondir",
        "Stress als ondernemer: begrijpen om sterker te staan",
    ),
)

VENUES = {
    "namur": ("Maison de l'Entreprise", "Rue de Fer 22, 5000 Namur", "WNA"),
    "liege": ("Espace Saint-Gilles", "Rue Saint-Gilles 61, 4000 Liège", "WLG"),
    "charleroi": (
        "Centre d'affaires Héraclès",
        "Avenue Georges Lemaître 22, 6041 Gosselies",
        "WHT",
    ),
    "mons": ("Maison de l'Entrepreneuriat", "Grand-Place 22, 7000 Mons", "WHT"),
    "arlon": ("Centre culturel d'Arlon", "Rue de Bastogne 40, 6700 Arlon", "WLX"),
    "wavre": ("Espace Entreprendre", "Place Alphonse Bosch 10, 1300 Wavre", "WBR"),
    "bruxelles": ("Maison des Indépendants", "Rue des Chartreux 32, 1000 Bruxelles", "BRU"),
    "gent": ("Ondernemershuis", "Kortrijksesteenweg 1104, 9051 Gent", "VOV"),
    "antwerpen": ("Huis van de Ondernemer", "Borsbeekbrug 34, 2600 Antwerpen", "VAN"),
    "hasselt": ("Cowork Corda", "Kempische Steenweg 293, 3500 Hasselt", "VLI"),
    "leuven": ("Ondernemerscentrum", "Diestsevest 32, 3000 Leuven", "VBR"),
    "brugge": ("Huis van de Zelfstandige", "Sint-Pietersplein 7, 8000 Brugge", "VWV"),
}

PARTICIPANTS = [
    ("Lucie", "Renard", "fr", "WNA"), ("Thomas", "Gilson", "fr", "WLG"),
    ("Inès", "Haddad", "fr", "BRU"), ("Julien", "Collard", "fr", "WHT"),
    ("Céline", "Mathieu", "fr", "WLX"), ("Nathalie", "Dethier", "fr", "WBR"),
    ("Jef", "Wouters", "nl", "VAN"), ("Els", "De Smet", "nl", "VOV"),
    ("Bram", "Maes", "nl", "VLI"), ("Lotte", "Claes", "nl", "VBR"),
    ("Wim", "Vermeulen", "nl", "VWV"), ("Sara", "Peeters", "nl", "VAN"),
]  # fmt: skip

# Sessions that fill up in the demo: (module title, how many seats).
FULL_SESSIONS = {
    "Workshop: beter slapen als zelfstandige": 6,
    "Atelier : dire non à un client sans le perdre": 8,
    "Cercle d'entrepreneurs : rompre l'isolement": 6,
}

# What the participants of last month's webinar answered (usefulness, quality,
# would-recommend, comment).
FEEDBACK = (
    (5, 5, 10, "Très concret : j'ai repris deux exercices dès le lendemain."),
    (4, 4, 9, ""),
    (4, 5, 8, "Zeer herkenbaar. Graag een vervolgsessie over slaap."),
    (3, 4, 7, "Un peu court pour les questions."),
    (5, 4, 9, "Enfin un webinaire qui parle de notre réalité d'indépendant."),
    (4, 3, 6, ""),
)
