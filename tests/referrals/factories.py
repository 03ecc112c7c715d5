from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from referrals.choices import CaseStatus, HelpKind, Source, Urgency
from referrals.models import Case, CaseNeed, Partner, PartnerArea, PartnerLanguage, PartnerNeed
from tests.factories import member


class PartnerFactory(DjangoModelFactory[Partner]):
    """partners with needs=[…], areas=[…], languages=[…] (defaults: stress, all of Belgium, fr)."""

    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner {n:03d}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = HelpKind.PSYCHOLOGICAL
    description_fr = "Un partenaire qui écoute et accompagne."
    phone = "02 648 40 14"
    email = factory.Sequence(lambda n: f"contact{n}@partner.example.org")
    url = "https://partner.example.org/"
    opening_hours = "Du lundi au vendredi, 9 h – 17 h"
    is_active = True

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        for need in extracted if extracted is not None else ["stress"]:
            PartnerNeed.objects.create(partner=self, need=need)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        for area in extracted if extracted is not None else ["BE"]:
            PartnerArea.objects.create(partner=self, area=area)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        for language in extracted if extracted is not None else ["fr"]:
            PartnerLanguage.objects.create(partner=self, language=language)


class CaseFactory(DjangoModelFactory[Case]):
    """A raw case row, for reads and setups; real cases are opened through the services."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    source = Source.REQUEST
    status = CaseStatus.NEW
    member = factory.LazyFunction(member)
    contact_email = factory.LazyAttribute(lambda case: case.member.email if case.member else "")
    contact_phone = "+32470123456"
    preferred_channel = "phone"
    language = "fr"
    region = "WLG"
    urgency = Urgency.MEDIUM
    message = "J'aimerais en parler."
    created_at = factory.LazyFunction(timezone.now)
    first_contact_due = factory.LazyAttribute(lambda case: case.created_at + timedelta(days=2))

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        for need in extracted if extracted is not None else ["stress"]:
            CaseNeed.objects.create(case=self, need=need)


def attached_result(user, *, acute: bool = False, score: int = 40, band: str = "low"):
    """A kept WHO-5 result of this member (the assessments app scores real ones)."""
    from assessments.instruments import get_current
    from assessments.models import AssessmentResult

    return AssessmentResult.objects.create(
        user=user,
        instrument="who-5",
        instrument_version=get_current("who-5").version,
        language="fr",
        answers={"q1": 2, "q2": 2, "q3": 2, "q4": 2, "q5": 2},
        score=score,
        band=band,
        acute=acute,
        submission_key=f"referrals-{user.pk}-{AssessmentResult.objects.count()}",
    )
