"""The demo partner directory's texts, read by the seeding code (demo/referrals.py).

Crisis and listening lines carry their real public numbers (the same as the portal's
footer). Other organisations whose details we could not check carry example.org
addresses and no "last verified" date: they show the shape of the directory, not
contact details to use.
"""

from dataclasses import dataclass
from datetime import date

from referrals.choices import HelpKind

WALLONIA = ["WHT", "WLG", "WLX", "WNA", "WBR"]
FLANDERS = ["VAN", "VOV", "VBR", "VLI", "VWV"]
VERIFIED = date(2026, 11, 2)


@dataclass(frozen=True)
class DemoPartner:
    slug: str
    name: str
    kind: str
    description_fr: str
    needs: list[str]
    areas: list[str]
    languages: list[str]
    description_nl: str = ""
    description_en: str = ""
    phone: str = ""
    email: str = ""
    url: str = ""
    opening_hours: str = ""
    is_crisis_line: bool = False
    verified: bool = False
    alternate_name: str = ""


PARTNERS = (
    DemoPartner(
        slug="centre-prevention-suicide",
        name="Centre de Prévention du Suicide",
        kind=HelpKind.CRISIS_LINE,
        description_fr="Ligne d'écoute gratuite et anonyme pour toute personne qui pense au "
        "suicide ou s'inquiète pour un proche.",
        description_en="Free, anonymous line for anyone thinking about suicide or worried "
        "about someone close.",
        needs=["crisis", "low_mood"],
        areas=["BRU", *WALLONIA],
        languages=["fr"],
        phone="0800 32 123",
        url="https://www.preventionsuicide.be/",
        opening_hours="24 h/24, 7 j/7",
        is_crisis_line=True,
        verified=True,
    ),
    DemoPartner(
        slug="zelfmoordlijn-1813",
        name="Zelfmoordlijn 1813",
        kind=HelpKind.CRISIS_LINE,
        description_fr="Ligne d'écoute néerlandophone pour les personnes qui pensent au suicide "
        "et leurs proches (téléphone et chat).",
        description_nl="Anonieme hulplijn voor mensen met zelfmoordgedachten en hun naasten, "
        "via telefoon en chat.",
        description_en="Dutch-language line for people thinking about suicide and those close "
        "to them (phone and chat).",
        needs=["crisis", "low_mood"],
        areas=["BRU", *FLANDERS],
        languages=["nl"],
        phone="1813",
        url="https://www.zelfmoord1813.be/",
        opening_hours="24/7",
        is_crisis_line=True,
        verified=True,
    ),
    DemoPartner(
        slug="tele-accueil-107",
        name="Télé-Accueil 107",
        kind=HelpKind.CRISIS_LINE,
        description_fr="Quelqu'un à qui parler, jour et nuit, de façon anonyme : solitude, "
        "angoisse, difficultés de la vie.",
        description_en="Someone to talk to, day and night, anonymously: loneliness, anxiety, "
        "life's difficulties.",
        needs=["low_mood", "loneliness", "relationships", "crisis"],
        areas=["BRU", *WALLONIA],
        languages=["fr"],
        phone="107",
        url="https://www.tele-accueil.be/",
        opening_hours="24 h/24, 7 j/7",
        is_crisis_line=True,
        verified=True,
    ),
    DemoPartner(
        slug="tele-onthaal-106",
        name="Tele-Onthaal 106",
        kind=HelpKind.CRISIS_LINE,
        description_fr="Ligne d'écoute néerlandophone anonyme, jour et nuit.",
        description_nl="Anoniem praten over wat je bezighoudt, dag en nacht.",
        description_en="Anonymous Dutch-language listening line, day and night.",
        needs=["low_mood", "loneliness", "relationships", "crisis"],
        areas=["BRU", *FLANDERS],
        languages=["nl"],
        phone="106",
        url="https://www.tele-onthaal.be/",
        opening_hours="24/7",
        is_crisis_line=True,
        verified=True,
    ),
    DemoPartner(
        slug="un-pass-dans-l-impasse",
        name="Un pass dans l'impasse",
        kind=HelpKind.PSYCHOLOGICAL,
        description_fr="Soutien psychologique pour les indépendants et les agriculteurs en "
        "souffrance : une écoute, puis un accompagnement par des psychologues, gratuitement.",
        description_en="Psychological support for self-employed people and farmers in "
        "distress: listening, then free follow-up by psychologists.",
        needs=["stress", "low_mood", "crisis", "business"],
        areas=WALLONIA,
        languages=["fr"],
        phone="0800 300 25",
        url="https://www.unpassdanslimpasse.be/",
        opening_hours="Du lundi au vendredi",
    ),
    DemoPartner(
        slug="dyzo",
        name="Dyzo",
        kind=HelpKind.BUSINESS_SUPPORT,
        description_fr="Accompagnement gratuit des indépendants néerlandophones en difficulté : "
        "dettes, faillite, redémarrage.",
        description_nl="Gratis ondersteuning voor zelfstandigen in moeilijkheden: schulden, "
        "faillissement, herstart.",
        description_en="Free support for Dutch-speaking self-employed people in difficulty: "
        "debts, bankruptcy, a fresh start.",
        needs=["business", "financial", "stress", "legal"],
        areas=["BRU", *FLANDERS],
        languages=["nl"],
        url="https://www.dyzo.be/",
    ),
    DemoPartner(
        slug="centre-entreprises-difficulte",
        name="Centre pour entreprises en difficulté",
        kind=HelpKind.BUSINESS_SUPPORT,
        description_fr="Diagnostic gratuit et confidentiel de la situation de l'entreprise, "
        "pistes de redressement, préparation d'une procédure de réorganisation.",
        description_en="A free, confidential look at the business's situation, ways to recover, "
        "preparing a judicial reorganisation.",
        needs=["business", "financial", "legal"],
        areas=["BRU", *WALLONIA],
        languages=["fr"],
        email="contact@ced.example.org",
        url="https://ced.example.org/",
        opening_hours="Sur rendez-vous",
    ),
    DemoPartner(
        slug="mediation-de-dettes",
        name="Médiation de dettes agréée",
        kind=HelpKind.FINANCIAL,
        description_fr="Des médiateurs agréés (CPAS, associations) aident à faire le point sur "
        "les dettes et à négocier des plans de paiement.",
        description_nl="Erkende schuldbemiddelaars (OCMW, CAW) helpen schulden in kaart te "
        "brengen en afbetalingsplannen te onderhandelen.",
        description_en="Approved mediators (public social centres, associations) help take "
        "stock of debts and negotiate payment plans.",
        needs=["financial"],
        areas=["BE"],
        languages=["fr", "nl"],
        url="https://mediation-dettes.example.org/",
    ),
    DemoPartner(
        slug="droit-passerelle",
        name="Droit passerelle et dispense de cotisations",
        alternate_name="Service social de la caisse",
        kind=HelpKind.FINANCIAL,
        description_fr="Le service social de ta caisse vérifie tes droits : droit passerelle "
        "en cas d'arrêt forcé, dispense ou report de cotisations sociales.",
        description_nl="De sociale dienst van je fonds bekijkt je rechten: overbruggingsrecht, "
        "vrijstelling of uitstel van sociale bijdragen.",
        description_en="Your fund's social service checks your rights: bridging right when "
        "you must stop, exemption or deferral of social contributions.",
        needs=["financial", "business", "health"],
        areas=["BE"],
        languages=["fr", "nl", "en"],
        email="service-social@caisse.example.org",
        opening_hours="Du lundi au vendredi, 9 h – 16 h",
    ),
    DemoPartner(
        slug="1819-brussels",
        name="1819 — hub.brussels",
        kind=HelpKind.BUSINESS_SUPPORT,
        description_fr="Le service d'information des entrepreneurs bruxellois, y compris pour "
        "les entreprises en difficulté.",
        description_nl="De informatiedienst voor Brusselse ondernemers, ook voor ondernemingen "
        "in moeilijkheden.",
        description_en="The information service for Brussels entrepreneurs, including "
        "businesses in difficulty.",
        needs=["business", "legal", "financial"],
        areas=["BRU"],
        languages=["fr", "nl", "en"],
        phone="1819",
        url="https://1819.brussels/",
        opening_hours="Du lundi au vendredi",
    ),
    DemoPartner(
        slug="aide-juridique-premiere-ligne",
        name="Aide juridique de première ligne",
        kind=HelpKind.LEGAL,
        description_fr="Un premier avis juridique gratuit d'un avocat, par exemple sur un litige "
        "avec un client ou un bail commercial.",
        description_nl="Gratis eerste juridisch advies van een advocaat, bijvoorbeeld over een "
        "geschil met een klant of een handelshuur.",
        description_en="Free first legal advice from a lawyer, for example about a dispute with "
        "a client or a commercial lease.",
        needs=["legal"],
        areas=["BE"],
        languages=["fr", "nl"],
        url="https://aide-juridique.example.org/",
    ),
    DemoPartner(
        slug="evoluno",
        name="Evoluno",
        kind=HelpKind.COACHING,
        description_fr="Programme en ligne de gestion du stress, en modules courts, offert aux "
        "membres du programme.",
        description_nl="Online programma rond stress in korte modules, aangeboden aan de "
        "deelnemers van het programma.",
        description_en="Online stress-management programme in short modules, offered to the "
        "programme's members.",
        needs=["stress", "sleep", "work_life"],
        areas=["BE"],
        languages=["fr", "nl"],
        url="https://evoluno.example.org/",
    ),
    DemoPartner(
        slug="amarok-e-sante",
        name="Amarok e-Santé",
        kind=HelpKind.COACHING,
        description_fr="Un bilan en ligne de ta santé d'entrepreneur, issu des travaux de "
        "l'observatoire Amarok, avec des pistes concrètes.",
        description_nl="Een online check-up van je gezondheid als ondernemer, gebaseerd op het "
        "Amarok-observatorium.",
        description_en="An online check-up of your health as an entrepreneur, from the Amarok "
        "observatory's work, with practical leads.",
        needs=["stress", "health", "sleep", "loneliness"],
        areas=["BE"],
        languages=["fr", "nl"],
        url="https://amarok-esante.example.org/",
    ),
    DemoPartner(
        slug="centres-sante-mentale",
        name="Services de santé mentale",
        kind=HelpKind.PSYCHOLOGICAL,
        description_fr="Consultations psychologiques et psychiatriques ambulatoires, à tarif "
        "accessible, près de chez toi.",
        description_en="Outpatient psychological and psychiatric consultations at an affordable "
        "rate, near you.",
        needs=["low_mood", "stress", "addiction", "relationships", "sleep"],
        areas=["BRU", *WALLONIA],
        languages=["fr"],
        url="https://sante-mentale.example.org/",
    ),
    DemoPartner(
        slug="entrepreneurs-pairs",
        name="Cercle d'entraide entre entrepreneurs",
        kind=HelpKind.PEER_SUPPORT,
        description_fr="Des indépendants qui ont traversé une période difficile en rencontrent "
        "d'autres, une fois par mois, en petit groupe.",
        description_en="Self-employed people who went through a hard time meet others, once a "
        "month, in small groups.",
        needs=["loneliness", "business", "stress"],
        areas=["WHT", "WNA", "WBR", "BRU"],
        languages=["fr"],
        email="bonjour@entraide.example.org",
        opening_hours="Un soir par mois",
    ),
)
