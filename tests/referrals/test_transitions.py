"""A case moves only new → in progress → oriented → closed; each pair is tested."""

import itertools

import pytest
from django.utils import translation

from referrals import services
from referrals.choices import TRANSITIONS, CaseStatus, Outcome, ReferralMode
from referrals.models import Case, CaseEvent, Referral

from .factories import PartnerFactory
from .helpers import case_in

pytestmark = pytest.mark.django_db

STATUSES = list(CaseStatus.values)
ALLOWED = {
    ("new", "in_progress"),
    ("in_progress", "oriented"),
    ("in_progress", "closed"),
    ("oriented", "closed"),
}


def test_the_table_is_the_one_the_issue_describes():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("from_status", "to_status"), list(itertools.product(STATUSES, STATUSES)))
def test_each_pair_is_allowed_or_refused(from_status, to_status):
    if (from_status, to_status) in ALLOWED:
        services.check_transition(from_status, to_status)
    else:
        with pytest.raises(services.TransitionRefused):
            services.check_transition(from_status, to_status)


def _close_outcome(status):
    return Outcome.HANDLED if status == CaseStatus.IN_PROGRESS else Outcome.DECLINED


# (from status, what the advisor does) → the status it ends in, or None when refused.
ACTIONS = {
    ("new", "claim"): "in_progress",
    ("in_progress", "claim"): None,
    ("oriented", "claim"): None,
    ("closed", "claim"): None,
    ("new", "assign"): "in_progress",
    ("in_progress", "assign"): "in_progress",
    ("oriented", "assign"): "oriented",
    ("closed", "assign"): None,
    ("new", "refer"): None,
    ("in_progress", "refer"): "oriented",
    ("oriented", "refer"): "oriented",
    ("closed", "refer"): None,
    ("new", "close"): None,
    ("in_progress", "close"): "closed",
    ("oriented", "close"): "closed",
    ("closed", "close"): None,
}


def _do(action, case, advisor, colleague):
    if action == "claim":
        services.case_claim(case_id=case.pk, advisor=advisor)
    elif action == "assign":
        services.case_assign(case=case, assignee=colleague, actor=advisor)
    elif action == "refer":
        services.referral_create(
            case=case,
            actor=advisor,
            partners=[PartnerFactory()],
            mode=ReferralMode.INFORMATION,
        )
    elif action == "close":
        outcome = (
            _close_outcome(case.status)
            if case.status in ("in_progress", "oriented")
            else Outcome.HANDLED
        )
        services.case_close(case=case, actor=advisor, outcome=outcome)


@pytest.mark.parametrize(("from_status", "action"), list(ACTIONS))
def test_each_action_from_each_status(from_status, action, advisor_user, other_advisor):
    case = case_in(from_status, advisor=advisor_user)
    events_before = CaseEvent.objects.filter(case=case).count()
    expected = ACTIONS[(from_status, action)]
    if expected is None:
        with pytest.raises(services.CaseActionRefused):
            _do(action, case, advisor_user, other_advisor)
        case.refresh_from_db()
        assert case.status == from_status
        # Nothing half-written: no event, no referral beyond the setup's.
        assert CaseEvent.objects.filter(case=case).count() == events_before
    else:
        _do(action, case, advisor_user, other_advisor)
        case.refresh_from_db()
        assert case.status == expected
        new_events = CaseEvent.objects.filter(case=case).order_by("pk")[events_before:]
        assert new_events, "every change writes the timeline"
        if expected != from_status:
            moved = [e for e in new_events if e.to_status == expected]
            assert moved and moved[0].from_status == from_status
            assert moved[0].actor == advisor_user


def test_closing_writes_outcome_and_time(advisor_user):
    case = case_in("in_progress", advisor=advisor_user)
    services.case_close(case=case, actor=advisor_user, outcome=Outcome.UNREACHABLE, note="3 appels")
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "unreachable")
    assert case.closed_at is not None
    event = case.events.get(kind="case.closed")
    assert event.body == "3 appels" and event.data["outcome"] == "unreachable"


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("in_progress", Outcome.REFERRED_REACHED),
        ("in_progress", Outcome.REFERRED_NOT_REACHED),
        ("oriented", Outcome.HANDLED),
        ("oriented", Outcome.REFERRED_REACHED),  # nobody recorded the partner reached
        ("oriented", Outcome.REFERRED_NOT_REACHED),  # nor that it was not reached
    ],
)
def test_an_outcome_must_fit_the_case(status, outcome, advisor_user):
    case = case_in(status, advisor=advisor_user)
    with pytest.raises(services.CaseActionRefused):
        services.case_close(case=case, actor=advisor_user, outcome=outcome)
    assert Case.objects.get(pk=case.pk).status == status


def test_referred_and_reached_needs_the_closed_loop(advisor_user):
    case = case_in("oriented", advisor=advisor_user)
    referral = case.referrals.get()
    services.referral_record_reached(referral=referral, actor=advisor_user, reached=True)
    with pytest.raises(services.CaseActionRefused):
        services.case_close(case=case, actor=advisor_user, outcome=Outcome.REFERRED_NOT_REACHED)
    services.case_close(case=case, actor=advisor_user, outcome=Outcome.REFERRED_REACHED)
    assert Case.objects.get(pk=case.pk).outcome == Outcome.REFERRED_REACHED


def test_referred_and_not_reached_needs_every_loop_recorded(advisor_user):
    case = case_in("oriented", advisor=advisor_user)
    first = case.referrals.get()
    second = Referral.objects.create(
        case=case, partner=PartnerFactory(), mode=ReferralMode.INFORMATION
    )
    services.referral_record_reached(referral=first, actor=advisor_user, reached=False)
    with (
        translation.override("en"),
        pytest.raises(services.CaseActionRefused, match="for each partner"),
    ):
        services.case_close(case=case, actor=advisor_user, outcome=Outcome.REFERRED_NOT_REACHED)
    assert Case.objects.get(pk=case.pk).status == "oriented"
    services.referral_record_reached(referral=second, actor=advisor_user, reached=False)
    services.case_close(case=case, actor=advisor_user, outcome=Outcome.REFERRED_NOT_REACHED)
    assert Case.objects.get(pk=case.pk).outcome == Outcome.REFERRED_NOT_REACHED
