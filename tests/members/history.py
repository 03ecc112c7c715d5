"""A member with something in every app, built through the apps' services where they
exist, so that export and erasure meet real data."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from assessments.models import AssessmentResult, ReassessmentPlan
from members.consents import ConsentKind
from members.models import User
from members.services import consent_give
from notifications.models import Delivery, DeliveryStatus
from notifications.preferences import STAFF_ALERTS
from notifications.services import preferences_set
from programme import services as programme
from programme.emails import ENROLMENT_CONFIRMED
from programme.models import (
    Attendance,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    SavedModule,
    Session,
)
from referrals import services as referrals
from referrals.models import Case
from surveys.models import (
    CampaignAnswer,
    CampaignQuestion,
    CampaignResponse,
    CampaignStatus,
    SessionFeedback,
)
from tests.assessments.factories import keep_result
from tests.factories import member
from tests.programme.factories import (
    EnrolmentFactory,
    ModuleFactory,
    SessionFactory,
)
from tests.referrals.factories import PartnerFactory
from tests.surveys.factories import SurveyCampaignFactory

# Words that belong to other people: the data file never carries them.
ADVISOR_NOTE = "Note privée de la cellule : évoque une séparation difficile"
CONTACT_NOTE = "Messagerie, rappel prévu jeudi"
REFERRAL_NOTE = "Conseillé d'appeler le matin"
AMBASSADOR_NOTE = "Semble épuisé depuis la fermeture du magasin"
# The member's own words: the data file carries them, erasure removes them.
MEMBER_MESSAGE = "Je dors mal depuis la rentrée, j'aimerais en parler."
FEEDBACK_COMMENT = "Très concret, merci à l'animatrice"


@dataclass
class History:
    user: User
    upcoming: list[Session] = field(default_factory=list)  # the member holds the last seat
    waiting: list[User] = field(default_factory=list)  # next on those waitlists
    waitlisted: list[Enrolment] = field(default_factory=list)  # the member's waitlist places
    past: list[Enrolment] = field(default_factory=list)  # attended, with an answer
    results: list[AssessmentResult] = field(default_factory=list)
    requests: list[Case] = field(default_factory=list)
    signals: list[Case] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)


def build_history(user: User, *, advisor: User, ambassador: User, size: int = 1) -> History:
    now = timezone.now()
    history = History(user=user)
    consent_give(user=user, kind=ConsentKind.HEALTH_DATA)
    partner = PartnerFactory(name="Un pass dans l'impasse")
    campaign = SurveyCampaignFactory(
        questions=[("Le programme vous aide-t-il ?", "scale"), ("Une idée ?", "text")],
        status=CampaignStatus.SENT,
        send_at=now - timedelta(days=3),
    )
    response = CampaignResponse.objects.create(campaign=campaign, user=user)
    for question in CampaignQuestion.objects.filter(campaign=campaign):
        CampaignAnswer.objects.create(
            response=response,
            question=question,
            scale_value=4 if question.kind == "scale" else None,
            text_value="Plus d'ateliers le soir" if question.kind == "text" else "",
        )
    programme.calendar_feed_ensure(user=user)
    for n in range(size):
        upcoming = SessionFactory(capacity=1, module=ModuleFactory(title=f"Mieux dormir {n}"))
        programme.enrolment_create(session_id=upcoming.pk, user=user)
        waiting = member()
        programme.enrolment_create(session_id=upcoming.pk, user=waiting)
        history.upcoming.append(upcoming)
        history.waiting.append(waiting)

        full = SessionFactory(capacity=1)
        programme.enrolment_create(session_id=full.pk, user=member())
        history.waitlisted.append(
            programme.enrolment_create(session_id=full.pk, user=user).enrolment
        )

        past_session = SessionFactory(starts_at=now - timedelta(days=20 + n))
        past = EnrolmentFactory(
            session=past_session,
            user=user,
            status=EnrolmentStatus.CONFIRMED,
            confirmed_at=now - timedelta(days=30),
            attendance=Attendance.ATTENDED,
        )
        EnrolmentEvent.objects.create(enrolment=past, action="enrolment.confirmed", actor=user)
        EnrolmentEvent.objects.create(
            enrolment=past,
            action="enrolment.attendance_marked",
            actor=advisor,
            data={"attendance": "attended", "previous": ""},
        )
        SessionFeedback.objects.create(
            session=past_session,
            enrolment=past,
            usefulness=5,
            quality=4,
            recommend=9,
            comment=FEEDBACK_COMMENT,
        )
        history.past.append(past)
        SavedModule.objects.create(user=user, module=ModuleFactory(title=f"Déconnecter {n}"))

        result = keep_result(user, "who-5", "low", when=now - timedelta(days=10 + n))
        history.results.append(result)
        history.requests.append(_request(user, advisor, partner, result))
        history.signals.append(
            referrals.signal_create(
                ambassador=ambassador,
                agreement_confirmed=True,
                need="stress",
                note=AMBASSADOR_NOTE,
                name="Prénom",
                email=user.email,
            )
        )
        history.deliveries.append(
            Delivery.objects.create(
                recipient=user,
                kind=ENROLMENT_CONFIRMED,
                intent_key=f"history:{user.pk}:{n}",
                due_at=now - timedelta(days=1),
                status=DeliveryStatus.SENT,
                sent_at=now - timedelta(days=1),
                address=user.email,
                subject="Votre place est confirmée",
                language="fr",
            )
        )
    # Choices of messages: an advisor's alerts turned off, programme news turned on.
    preferences_set(user=user, choices={STAFF_ALERTS: False, "programme_news": True})
    ReassessmentPlan.objects.create(
        user=user, instrument="who-5", interval_days=30, next_due_on=now.date() + timedelta(30)
    )
    return history


def _request(user: User, advisor: User, partner, result: AssessmentResult) -> Case:
    case = referrals.request_create(
        member=user,
        needs=["sleep", "stress"],
        channel="phone",
        time_slots=["morning"],
        language="fr",
        urgency=2,
        message=MEMBER_MESSAGE,
        phone="0470 12 34 56",
        result=result,
        share_with_partner=True,
    )
    referrals.case_claim(case_id=case.pk, advisor=advisor)
    referrals.note_add(case=case, actor=advisor, body=ADVISOR_NOTE)
    referrals.contact_attempt_record(
        case=case, actor=advisor, channel="phone", reached=True, note=CONTACT_NOTE
    )
    referrals.referral_create(
        case=case, actor=advisor, partners=[partner], mode="information", note=REFERRAL_NOTE
    )
    case.refresh_from_db()
    referrals.access_record(case=case, user=advisor, subject="case")
    for _ in range(2):  # the queue listed it twice
        referrals.access_record_listing(cases=[case], user=advisor)
    return case
