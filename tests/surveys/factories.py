import factory
from factory.django import DjangoModelFactory

from surveys.models import Audience, CampaignQuestion, SessionFeedback, SurveyCampaign
from tests.programme.factories import SessionFactory


class SessionFeedbackFactory(DjangoModelFactory[SessionFeedback]):
    """A raw answer for statistics tests; members answer through surveys.services."""

    class Meta:
        model = SessionFeedback

    session = factory.SubFactory(SessionFactory)
    enrolment = None
    usefulness = 4
    quality = 4
    recommend = 8
    comment = ""


class SurveyCampaignFactory(DjangoModelFactory[SurveyCampaign]):
    class Meta:
        model = SurveyCampaign
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Campaign {n}")
    intro = "Quelques questions sur le programme."
    audience = Audience.ALL
    audience_value = ""

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        """questions=[("How…?", "scale"), ("What…?", "text")]; one scale question by default."""
        for position, (text, kind) in enumerate(
            extracted or [("Le programme vous aide-t-il ?", "scale")], start=1
        ):
            CampaignQuestion.objects.create(campaign=self, position=position, text=text, kind=kind)
