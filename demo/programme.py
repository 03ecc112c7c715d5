"""Demo data for the programme: a realistic catalogue, three months of sessions, some full.

Safe to run again: modules are found by slug, sessions are planned only for modules
that have none yet, and demo participants are reused. The texts it seeds (modules,
venues, participants, feedback) are in demo/programme_data.py.
"""

from datetime import datetime, time, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from members.models import ActivitySector, SelfEmployment, User
from members.services import member_register, profile_update
from notifications.models import Delivery, DeliveryStatus
from notifications.services import preference_set
from programme import emails, services
from programme.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Module,
    Session,
    SessionMode,
    Theme,
)
from programme.preferences import PROGRAMME_NEWS
from surveys import selectors as survey_selectors
from surveys import services as survey_services
from surveys.models import Audience, CampaignStatus, SessionFeedback, SurveyCampaign

from .accounts import DEMO_PASSWORD
from .programme_data import (
    FEEDBACK,
    FULL_SESSIONS,
    MODULES,
    PARTICIPANTS,
    VENUES,
    VERSIONS,
    ModuleSpec,
)

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


def _link_versions() -> int:
    """Link the demo's language versions; those already linked stay as they are."""
    linked = 0
    for titles in VERSIONS:
        modules = [Module.objects.filter(slug=services.slug_for(t)).first() for t in titles]
        first, *others = modules
        for other in others:
            if first is None or other is None:
                continue
            first.refresh_from_db()
            if first.version_group_id and first.version_group_id == other.version_group_id:
                continue
            services.module_version_link(module=first, other=other)
            linked += 1
    return linked


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
        place: dict[str, Any] = {}
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


def _news_readers(people: list[User]) -> None:
    """Most demo participants chose to receive programme news (default off), so the
    demo's campaign reaches someone; the last two did not, as in real life."""
    for user in people[:-2]:
        preference_set(user=user, category=PROGRAMME_NEWS, enabled=True)


def _draft_campaign() -> str:
    """The demo's campaign, in French with Dutch and English versions, kept as a draft;
    returns its reach today, with the reason when it is nobody."""
    campaign = SurveyCampaign.objects.filter(title=DRAFT_CAMPAIGN).first()
    if campaign is None:
        campaign = survey_services.campaign_create(
            title=DRAFT_CAMPAIGN,
            intro=(
                "Le programme a un an. Dis-nous en deux minutes ce qui t'aide "
                "et ce qui manque : tes réponses orientent les prochains ateliers."
            ),
            audience=Audience.ALL,
            questions=[
                survey_services.QuestionSpec(
                    "Le programme t'aide-t-il à renforcer tes ressources ?",
                    "scale",
                    {
                        "nl": "Helpt het programma je om sterker te staan?",
                        "en": "Does the programme help you build up your resources?",
                    },
                ),
                survey_services.QuestionSpec(
                    "Trouves-tu facilement un atelier qui te convient ?",
                    "scale",
                    {
                        "nl": "Vind je makkelijk een workshop die bij je past?",
                        "en": "Do you easily find a workshop that suits you?",
                    },
                ),
                survey_services.QuestionSpec(
                    "Quel thème aimerais-tu voir au programme ?",
                    "text",
                    {
                        "nl": "Welk thema zou je graag in het programma zien?",
                        "en": "Which theme would you like to see in the programme?",
                    },
                ),
            ],
            versions={
                "nl": survey_services.CampaignVersion(
                    "Jouw mening over het programma",
                    "Het programma bestaat een jaar. Vertel ons in twee minuten wat je helpt "
                    "en wat ontbreekt: je antwoorden sturen de volgende workshops.",
                ),
                "en": survey_services.CampaignVersion(
                    "Your opinion on the programme",
                    "The programme is one year old. Tell us in two minutes what helps you "
                    "and what is missing: your answers shape the next workshops.",
                ),
            },
            schedule=False,
        )
    size = survey_selectors.audience_size(campaign.audience, campaign.audience_value)
    return size.reason or f"reaches {size.recipients} of {size.members} members"


def _quiet_demo_enrolments() -> None:
    """The demo's own enrolments would each send a confirmation when the seed commits,
    filling the terminal of `make run`: they are recorded as not sent instead."""
    Delivery.objects.filter(
        kind__in=[emails.ENROLMENT_CONFIRMED, emails.WAITLIST_JOINED],
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

    _link_versions()

    # Some sessions fill up, with people waiting; the demo members take part too.
    for title, seats in FULL_SESSIONS.items():
        first = planned.get(title, [None])[0]
        if first is None:
            continue
        for user in people[: seats + 2]:
            services.enrolment_create(session_id=first.pk, user=user)
        for demo_member in (me, lid):
            if demo_member is not None:
                services.enrolment_create(session_id=first.pk, user=demo_member)
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
    _news_readers(people)
    reach = _draft_campaign()
    _quiet_demo_enrolments()

    stdout.write(
        f"Programme: {Module.objects.count()} modules ({created_modules} new), "
        f"{Session.objects.count()} sessions, {len(people)} demo participants "
        f"(participant01…{len(people):02d}@demo.example); {answers} new survey answers, "
        f"{SurveyCampaign.objects.filter(status=CampaignStatus.DRAFT).count()} draft campaign(s); "
        f"the draft campaign {reach}."
    )
