"""Demo data for the programme: a realistic catalogue, three months of sessions, some full.

Safe to run again: modules are found by slug, sessions are planned only for modules
that have none yet, and demo participants are reused.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from members.models import ActivitySector, SelfEmployment, User
from members.services import member_register, profile_update
from notifications.models import Delivery, DeliveryStatus
from programme import messages, services, survey_services
from programme.models import (
    Audience,
    CampaignStatus,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Module,
    ModuleFormat,
    Session,
    SessionFeedback,
    SessionMode,
    SurveyCampaign,
    Theme,
)

from .accounts import DEMO_PASSWORD

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
        "Evoluno : votre programme en ligne de gestion du stress",
        T,
        "fr",
        ("stress", "sleep", "weak-signals"),
        "Un parcours numérique guidé, à votre rythme, pour mieux comprendre votre stress et renforcer vos ressources.",
        "Evoluno propose des **modules courts** (10 à 15 minutes) :\n\n"
        "- comprendre ce qui se passe quand la pression monte ;\n"
        "- des exercices de respiration et de cohérence cardiaque ;\n"
        "- un suivi de votre sommeil et de votre énergie.\n\n"
        "L'accès est offert par votre caisse d'assurances sociales.",
        provider="Evoluno",
        url="https://evoluno.example.org/",
        duration=15,
    ),
    ModuleSpec(
        "Evoluno: uw online programma rond stress",
        T,
        "nl",
        ("stress", "sleep"),
        "Een begeleid digitaal traject op uw eigen tempo om stress beter te begrijpen en uw veerkracht te versterken.",
        "Korte modules, ademhalingsoefeningen en een opvolging van uw slaap en energie.",
        provider="Evoluno",
        url="https://evoluno.example.org/nl/",
        duration=15,
    ),
    ModuleSpec(
        "Amarok e-Santé : faire le point sur votre santé d'entrepreneur",
        T,
        "fr",
        ("psychosocial-risks", "weak-signals", "illness"),
        "Un outil conçu pour les dirigeants de TPE : quelques questions, un bilan personnel et des pistes concrètes.",
        "Développé à partir des travaux de l'observatoire **Amarok** sur la santé des entrepreneurs.\n\n"
        "Vos réponses restent chez le partenaire : consultez sa politique de confidentialité.",
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
        "Une heure pour comprendre les mécanismes du stress et repérer vos propres leviers.",
        "Avec une psychologue du travail. Questions anonymes possibles dans le chat.",
        duration=60,
        sessions=3,
    ),
    ModuleSpec(
        "Stress als ondernemer: begrijpen om sterker te staan",
        W,
        "nl",
        ("stress",),
        "Eén uur om te begrijpen hoe stress werkt en welke hefbomen u zelf in handen hebt.",
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
        "Messages du soir, appels le week-end : des règles réalistes pour retrouver du temps à vous.",
        duration=60,
        sessions=2,
    ),
    ModuleSpec(
        "Digitaal loskoppelen zonder klanten te verliezen",
        W,
        "nl",
        ("disconnection", "client-pressure"),
        "Realistische afspraken over bereikbaarheid, voor uzelf en voor uw klanten.",
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
        "Waar u op kunt letten, en hoe u het gesprek aangaat.",
        kind="article",
        duration=8,
    ),
    ModuleSpec(
        "Fiche à télécharger : mon plan de déconnexion",
        C,
        "fr",
        ("disconnection",),
        "Une fiche à remplir en 15 minutes pour fixer vos plages de disponibilité.",
        kind="download",
        url="https://documents.example.org/plan-deconnexion.pdf",
    ),
    ModuleSpec(
        "Article : maladie et activité indépendante, vos droits",
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
        "E-learning: uw energie beheren",
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
HOURS = (time(9, 30), time(12, 30), time(14, 0), time(19, 0))


def _participants() -> list[User]:
    people = []
    for n, (first, last, language, province) in enumerate(PARTICIPANTS, start=1):
        email = f"participant{n:02d}@demo.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        profile = member_register(user=user, language=language)
        profile_update(
            profile=profile,
            first_name=first,
            last_name=last,
            preferred_language=language,
            province=province,
            self_employment=SelfEmployment.MAIN,
            activity_sector=ActivitySector.SERVICES,
        )
        people.append(user)
    return people


def _module(spec: ModuleSpec, themes: dict[str, Theme]) -> tuple[Module, bool]:
    slug = services.slug_for(spec.title)
    existing = Module.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    module = services.module_create(
        themes=[themes[s] for s in spec.themes],
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        format=spec.format,
        content_kind=spec.kind,
        language=spec.language,
        duration_minutes=spec.duration,
        provider=spec.provider,
        external_url=spec.url,
        audience_notes=spec.audience,
        is_published=True,
    )
    return module, True


def _plan_sessions(module: Module, spec: ModuleSpec, index: int) -> list[Session]:
    """Spread the module's sessions over the next three months, at office or evening hours."""
    today = timezone.localdate()
    sessions = []
    for n in range(spec.sessions):
        day = today + timedelta(days=4 + (index * 5 + n * 27) % 86)
        while day.weekday() >= 5:  # weekdays only
            day += timedelta(days=1)
        starts = timezone.make_aware(datetime.combine(day, HOURS[(index + n) % len(HOURS)]))
        ends = starts + timedelta(minutes=spec.duration or 90)
        place = {}
        if spec.places:
            venue, address, province = VENUES[spec.places[n % len(spec.places)]]
            place = {"mode": SessionMode.IN_PERSON, "venue": venue, "address": address}
            place["province"] = province
        else:
            place = {
                "mode": SessionMode.ONLINE,
                "join_url": f"https://visio.example.org/{module.slug}-{n + 1}",
            }
        seats = FULL_SESSIONS.get(spec.title) if n == 0 else None
        capacity = seats or (15 if spec.places else 100)
        sessions.append(
            services.session_create(
                module=module,
                starts_at=starts,
                ends_at=ends,
                capacity=capacity,
                registration_deadline=starts - timedelta(days=1) if spec.places else None,
                is_published=True,
                **place,
            )
        )
    return sessions


ARCHIVE_JOIN_URL = "https://visio.example.org/archive"

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

DRAFT_CAMPAIGN = "Votre avis sur le programme"


def _past_history(module: Module, people: list[User], me: User | None) -> None:
    """One session last month with attendance, so parcours and statistics have a past.

    History cannot go through the enrolment services (they refuse past sessions), so it
    is written as it would have been recorded at the time.
    """
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=24), time(14, 0))
    )
    session = Session.objects.create(
        module=module,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        mode=SessionMode.ONLINE,
        join_url=ARCHIVE_JOIN_URL,
        capacity=50,
        is_published=True,
    )
    attendees = [*people[:6], *([me] if me else [])]
    for n, user in enumerate(attendees):
        enrolment = Enrolment.objects.create(
            session=session,
            user=user,
            status=EnrolmentStatus.CONFIRMED,
            queued_at=starts - timedelta(days=10),
            confirmed_at=starts - timedelta(days=10),
            attendance="no_show" if n == 2 else "attended",
        )
        EnrolmentEvent.objects.create(
            enrolment=enrolment,
            action="enrolment.confirmed",
            created_at=starts - timedelta(days=10),
        )
    Session.objects.filter(pk=session.pk).update(confirmed_count=len(attendees))


def _past_feedback() -> int:
    """Last month's participants answer the satisfaction survey, once each."""
    added = 0
    eligible = (
        Enrolment.objects.filter(
            session__join_url=ARCHIVE_JOIN_URL, status=EnrolmentStatus.CONFIRMED
        )
        .exclude(attendance="no_show")
        .order_by("pk")
    )
    for enrolment, (usefulness, quality, recommend, comment) in zip(
        eligible, FEEDBACK, strict=False
    ):
        if SessionFeedback.objects.filter(enrolment=enrolment).exists():
            continue
        survey_services.feedback_submit(
            enrolment_id=enrolment.pk,
            usefulness=usefulness,
            quality=quality,
            recommend=recommend,
            comment=comment,
        )
        added += 1
    return added


def _draft_campaign() -> None:
    if SurveyCampaign.objects.filter(title=DRAFT_CAMPAIGN).exists():
        return
    survey_services.campaign_create(
        title=DRAFT_CAMPAIGN,
        intro=(
            "Le programme a un an. Dites-nous en deux minutes ce qui vous aide "
            "et ce qui manque : vos réponses orientent les prochains ateliers."
        ),
        audience=Audience.ALL,
        questions=[
            survey_services.QuestionSpec(
                "Le programme vous aide-t-il à renforcer vos ressources ?", "scale"
            ),
            survey_services.QuestionSpec(
                "Trouvez-vous facilement un atelier qui vous convient ?", "scale"
            ),
            survey_services.QuestionSpec("Quel thème aimeriez-vous voir au programme ?", "text"),
        ],
        schedule=False,
    )


def _quiet_demo_enrolments() -> None:
    """The demo's own enrolments would each send a confirmation when the seed commits,
    filling the terminal of `make run`: they are recorded as not sent instead."""
    Delivery.objects.filter(
        kind__in=[messages.ENROLMENT_CONFIRMED, messages.WAITLIST_JOINED],
        status=DeliveryStatus.PENDING,
        recipient__email__endswith="@demo.example",
    ).update(status=DeliveryStatus.SKIPPED, skip_reason="demo data: not sent")


@transaction.atomic
def seed(stdout) -> None:
    themes = {t.slug: t for t in Theme.objects.all()}
    people = _participants()
    me = User.objects.filter(email="membre@demo.example").first()
    lid = User.objects.filter(email="lid@demo.example").first()
    created_modules = 0
    planned: dict[str, list[Session]] = {}
    for index, spec in enumerate(MODULES):
        module, created = _module(spec, themes)
        created_modules += created
        if spec.sessions and not module.sessions.exists():
            planned[spec.title] = _plan_sessions(module, spec, index)

    # Some sessions fill up, with people waiting; the demo members take part too.
    for title, seats in FULL_SESSIONS.items():
        first = planned.get(title, [None])[0]
        if first is None:
            continue
        for user in people[: seats + 2]:
            services.enrolment_create(session_id=first.pk, user=user)
        for user in (me, lid):
            if user is not None:
                services.enrolment_create(session_id=first.pk, user=user)
    for title in (
        "Stress d'entrepreneur : comprendre pour mieux rebondir",
        "Bien dormir quand on dirige une entreprise",
    ):
        if title in planned and me is not None:
            services.enrolment_create(session_id=planned[title][0].pk, user=me)
    if "Stress als ondernemer: begrijpen om sterker te staan" in planned and lid is not None:
        services.enrolment_create(
            session_id=planned["Stress als ondernemer: begrijpen om sterker te staan"][0].pk,
            user=lid,
        )
    if planned:
        webinar = Module.objects.get(slug=services.slug_for(MODULES[4].title))
        _past_history(webinar, people, me)
    if me is not None:
        for slug_title in (MODULES[0].title, MODULES[22].title):
            services.module_save(
                user=me, module=Module.objects.get(slug=services.slug_for(slug_title))
            )

    answers = _past_feedback()
    _draft_campaign()
    _quiet_demo_enrolments()

    stdout.write(
        f"Programme: {Module.objects.count()} modules ({created_modules} new), "
        f"{Session.objects.count()} sessions, {len(people)} demo participants "
        f"(participant01…{len(people):02d}@demo.example); {answers} new survey answers, "
        f"{SurveyCampaign.objects.filter(status=CampaignStatus.DRAFT).count()} draft campaign(s)."
    )
