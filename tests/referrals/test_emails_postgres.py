"""On PostgreSQL: two sweeps running at the same moment (two beat ticks overlapping, or
two worker machines) still record and send each listening-cell alert exactly once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from referrals import services
from referrals.choices import CaseStatus, Outcome
from referrals.emails import CASE_OVERDUE, SIGNAL_HANDLED
from referrals.models import Case
from tests.concurrency import POSTGRES_ONLY, at_once, failures
from tests.emails import send_due, sent

from .helpers import case_in

pytestmark = [*POSTGRES_ONLY, pytest.mark.usefixtures("in_process_mail")]


def test_two_sweeps_at_once_alert_each_advisor_once(advisor_user, other_advisor):
    late = {"first_contact_due": timezone.now() - timedelta(hours=2)}
    unassigned = case_in(CaseStatus.NEW, advisor=None, **late)
    held = case_in(CaseStatus.IN_PROGRESS, advisor=advisor_user, **late)
    for _round in range(3):
        assert failures(at_once(lambda _n: send_due(), range(3))) == []
    alerts = Delivery.objects.filter(kind=CASE_OVERDUE)
    assert sorted(alerts.values_list("intent_key", flat=True)) == sorted(
        [
            f"case:{unassigned.pk}:user:{advisor_user.pk}",
            f"case:{unassigned.pk}:user:{other_advisor.pk}",
            f"case:{held.pk}:user:{advisor_user.pk}",
        ]
    )
    assert set(alerts.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert len(sent(CASE_OVERDUE, advisor_user)) == 2
    assert len(sent(CASE_OVERDUE, other_advisor)) == 1


def test_the_ambassadors_notice_is_sent_after_a_real_commit(ambassador_user, advisor_user):
    case = services.signal_create(
        ambassador=ambassador_user,
        agreement_confirmed=True,
        name="Luc Martin",
        email="luc@example.org",
        need="business",
        note="D'accord pour être appelé.",
    )
    services.case_claim(case_id=case.pk, advisor=advisor_user)
    services.case_close(case=case, actor=advisor_user, outcome=Outcome.HANDLED)
    [message] = sent(SIGNAL_HANDLED, ambassador_user)
    assert case.reference in message.subject
    assert Delivery.objects.get(kind=SIGNAL_HANDLED).status == DeliveryStatus.SENT


@pytest.mark.usefixtures("own_connections")
def test_a_double_tap_at_the_same_moment_opens_one_case_and_one_alert(member_user, advisor_user):
    from referrals.choices import Urgency
    from referrals.emails import URGENT_CASE

    def ask(_n):
        return services.request_create(
            member=member_user,
            needs=["crisis"],
            channel="phone",
            time_slots=[],
            language="fr",
            urgency=Urgency.HIGH,
            message="",
            phone="0470 12 34 56",
        ).pk

    outcomes = at_once(ask, range(4))
    assert failures(outcomes) == []
    assert len(set(outcomes)) == 1 and Case.objects.count() == 1
    assert len(sent(URGENT_CASE, advisor_user)) == 1


def test_two_signals_at_once_keep_the_daily_limit(ambassador_user, settings):
    settings.REFERRALS_SIGNALS_PER_AMBASSADOR_PER_DAY = 2

    def signal(n):
        return services.signal_create(
            ambassador=ambassador_user,
            agreement_confirmed=True,
            name=f"Personne {n}",
            email=f"p{n}@example.org",
            need="stress",
            note="",
        )

    outcomes = at_once(signal, range(4))
    refused = failures(outcomes)
    assert len(refused) == 2
    assert {error.code for error in refused} == {"daily_limit"}
    assert Case.objects.filter(raised_by=ambassador_user).count() == 2
