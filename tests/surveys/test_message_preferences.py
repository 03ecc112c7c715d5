"""Campaign fan-out asks notifications which members take programme news once for the
whole audience, in the same statements whatever its size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import MemberProfile
from notifications.models import MessagePreference
from notifications.services import preference_set
from surveys import emails
from surveys.models import Audience
from surveys.planners import plan_campaigns
from surveys.services import QuestionSpec, campaign_create
from tests.programme.helpers import deliveries, person

pytestmark = pytest.mark.django_db


def audience(province: str, size: int) -> list:
    """`size` members who asked for programme news, as many who never chose (it is off
    by default), and as many who asked and then turned it off."""
    people = []
    for _n in range(3 * size):
        user = person()
        MemberProfile.objects.filter(user=user).update(province=province)
        people.append(user)
    takers, _never, turned_off = people[:size], people[size : 2 * size], people[2 * size :]
    for user in takers + turned_off:
        preference_set(user=user, category="programme_news", enabled=True)
    for user in turned_off:
        preference_set(user=user, category="programme_news", enabled=False)
    return takers


def test_the_fan_out_reaches_only_those_who_take_news_in_constant_queries(settings, time_machine):
    settings.NOTIFICATIONS_FAN_OUT_CHUNK_SIZE = 1000
    counts = []
    for province, size in (("WLG", 2), ("BRU", 9)):
        takers = audience(province, size)
        campaign = campaign_create(
            title="Votre avis",
            intro="Trois questions.",
            audience=Audience.PROVINCE,
            audience_value=province,
            questions=[QuestionSpec("Utile ?", "scale")],
            schedule=True,
            send_at=timezone.now() + timedelta(hours=1),
        )
        time_machine.move_to(campaign.send_at + timedelta(seconds=30), tick=False)
        with CaptureQueriesContext(connection) as queries:
            plan_campaigns(now=timezone.now())
        invited = deliveries(emails.CAMPAIGN_INVITATION).filter(
            intent_key__startswith=f"campaign:{campaign.pk}:"
        )
        assert {delivery.recipient for delivery in invited} == set(takers)
        counts.append(len(queries))
        preference_reads = [q for q in queries if MessagePreference._meta.db_table in q["sql"]]
        assert len(preference_reads) <= 2  # in the audience's own statements, not per person
    assert counts[0] == counts[1]
