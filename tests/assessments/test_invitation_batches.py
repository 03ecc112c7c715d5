"""The invitations planner walks the membership in bounded batches: the plans it holds
at once and the queries it makes depend on the number of batches, not of members."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.instruments import get_current
from assessments.models import AssessmentResult, ReassessmentInterval, ReassessmentPlan
from assessments.planners import plan_reassessment_invitations
from assessments.scoring import score_answers
from members.consents import CONSENT_TEXTS, ConsentKind
from members.models import Consent, MemberProfile, User
from notifications.models import MessagePreference
from tests.assessments.factories import ANSWERS
from tests.emails import brussels

from .invitations import DUE_ON, TAKEN_AT, invitations

pytestmark = pytest.mark.django_db

NOW = brussels(2027, 1, 15, 11)
PLAN_TABLE = ReassessmentPlan._meta.db_table


def members_with_due_plans(count: int, prefix: str) -> None:
    """`count` members who opted in, each with a kept WHO-5 result and a due plan,
    written in a few bulk statements (factories would take minutes)."""
    users = User.objects.bulk_create(
        User(email=f"{prefix}{n}@example.org", password="!", first_name="Membre")
        for n in range(count)
    )
    MemberProfile.objects.bulk_create(
        MemberProfile(user=user, preferred_language="fr") for user in users
    )
    MessagePreference.objects.bulk_create(
        MessagePreference(user=user, category="reassessment", enabled=True) for user in users
    )
    version = CONSENT_TEXTS[ConsentKind.HEALTH_DATA].version
    Consent.objects.bulk_create(
        Consent(user=user, kind=ConsentKind.HEALTH_DATA, text_version=version) for user in users
    )
    scored = score_answers(get_current("who-5"), ANSWERS["who-5"]["good"])
    AssessmentResult.objects.bulk_create(
        AssessmentResult(
            user=user,
            instrument="who-5",
            instrument_version="1",
            language="fr",
            answers=scored.answers,
            score=scored.score,
            band=scored.band.code,
            submission_key=f"bulk-{user.pk}",
            created_at=TAKEN_AT,
        )
        for user in users
    )
    ReassessmentPlan.objects.bulk_create(
        ReassessmentPlan(
            user=user,
            instrument="who-5",
            interval_days=ReassessmentInterval.TWO_MONTHS,
            next_due_on=DUE_ON,
        )
        for user in users
    )


def planned(batch_size: int) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        invited = plan_reassessment_invitations(now=NOW, batch_size=batch_size)
    return invited, [query["sql"] for query in queries.captured_queries]


def plan_reads(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.startswith("SELECT") and PLAN_TABLE in sql]


def test_queries_grow_with_batches_not_with_members():
    members_with_due_plans(60, "few")
    invited_few, few = planned(batch_size=20)
    members_with_due_plans(300, "many")
    invited_many, many = planned(batch_size=100)

    assert (invited_few, invited_many) == (60, 300)
    assert len(invitations()) == 360
    # Three full batches and one empty read each: the same statements, five times the plans.
    assert len(few) == len(many)
    assert len(plan_reads(few)) == len(plan_reads(many)) == 4
    # Per batch, in its own transaction (a savepoint here): the read, the lookup of the
    # intents already recorded, one insert of deliveries, one update of the plans; then
    # the empty read that ends the walk.
    assert len(many) == 3 * (2 + 4) + (2 + 1)
    # Never more plans in memory than one batch: every read is limited.
    assert all("LIMIT 100" in sql for sql in plan_reads(many))
    assert ReassessmentPlan.objects.filter(next_due_on=DUE_ON + timedelta(days=61)).count() == 360


def test_a_sweep_takes_a_bounded_number_of_batches_and_the_next_one_goes_on(settings):
    settings.NOTIFICATIONS_SWEEP_MAX_BATCHES = 2
    members_with_due_plans(50, "capped")
    assert plan_reassessment_invitations(now=NOW, batch_size=20) == 40
    assert plan_reassessment_invitations(now=NOW, batch_size=20) == 10
    assert plan_reassessment_invitations(now=NOW, batch_size=20) == 0
    assert len(invitations()) == 50
    assert not ReassessmentPlan.objects.filter(last_invited_for__isnull=True).exists()


def test_members_who_do_not_take_invitations_are_left_out_in_the_same_queries():
    members_with_due_plans(30, "all-in")
    invited_all, all_in = planned(batch_size=100)
    members_with_due_plans(90, "mixed")
    mixed = User.objects.filter(email__startswith="mixed").order_by("pk")
    # A third turned them off; a third never chose, and they are off by default.
    turned_off = list(mixed[:30])
    never_chose = list(mixed[30:60])
    MessagePreference.objects.filter(user__in=turned_off).update(enabled=False)
    MessagePreference.objects.filter(user__in=never_chose).delete()
    invited_mixed, mixed_queries = planned(batch_size=100)

    assert (invited_all, invited_mixed) == (30, 30)
    invited = {delivery.recipient_id for delivery in invitations()}
    assert invited.isdisjoint(user.pk for user in turned_off + never_chose)
    assert len(mixed_queries) == len(all_in)
    waiting = ReassessmentPlan.objects.filter(user__in=turned_off + never_chose)
    assert not waiting.filter(last_invited_for__isnull=False).exists()
