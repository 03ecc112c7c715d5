"""Advisors' morning digest: once per advisor and working day, at the configured time,
only when there is something open, with references and counts only."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone

from members.roles import Role
from notifications.models import Delivery, DeliveryStatus
from notifications.preferences import STAFF_ALERTS, preference_enabled
from notifications.sending import delivery_send
from referrals import selectors
from referrals.choices import CaseStatus
from referrals.emails import ADVISOR_DIGEST
from referrals.planners import plan_advisor_digests
from tests.emails import BASE, brussels, html_of, one_click, send_due, sent
from tests.factories import member, staff

from .emails import staff_reading
from .helpers import case_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

THURSDAY = brussels(2026, 3, 12, 8, 30)


def digests(**filters):
    return Delivery.objects.filter(kind=ADVISOR_DIGEST, **filters)


def something_open(advisor):
    return case_in(CaseStatus.IN_PROGRESS, advisor=advisor)


def test_one_digest_per_advisor_and_day_at_the_configured_time(advisor_user, other_advisor):
    staff(Role.ADVISOR, is_active=False)
    staff(Role.AMBASSADOR)
    plan_advisor_digests(now=THURSDAY)
    plan_advisor_digests(now=THURSDAY)
    plan_advisor_digests(now=THURSDAY + timedelta(hours=6))
    rows = list(digests().order_by("recipient_id"))
    assert [(row.recipient_id, row.intent_key) for row in rows] == [
        (advisor_user.pk, f"digest:2026-03-12:user:{advisor_user.pk}"),
        (other_advisor.pk, f"digest:2026-03-12:user:{other_advisor.pk}"),
    ]
    assert {row.due_at for row in rows} == {brussels(2026, 3, 12, 8, 0)}
    assert {tuple(row.context.items()) for row in rows} == {(("day", "2026-03-12"),)}
    # The next working day has its own.
    plan_advisor_digests(now=THURSDAY + timedelta(days=1))
    assert digests(recipient=advisor_user).count() == 2


def test_nothing_before_the_digest_time(advisor_user):
    plan_advisor_digests(now=brussels(2026, 3, 12, 7, 59))
    assert not digests().exists()


def test_the_time_is_a_setting(settings, advisor_user):
    settings.REFERRALS_DIGEST_TIME = "07:30"
    plan_advisor_digests(now=brussels(2026, 3, 12, 7, 29))
    assert not digests().exists()
    plan_advisor_digests(now=brussels(2026, 3, 12, 7, 45))
    assert digests().get().due_at == brussels(2026, 3, 12, 7, 30)


def test_a_malformed_time_is_reported_by_the_checks(settings):
    settings.REFERRALS_DIGEST_TIME = "8h"
    assert [error.id for error in run_checks() if error.id.startswith("referrals.")] == [
        "referrals.E001"
    ]
    settings.REFERRALS_DIGEST_TIME = "08:00"
    assert [error.id for error in run_checks() if error.id.startswith("referrals.")] == []


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param(brussels(2026, 3, 14, 9, 0), id="saturday"),
        pytest.param(brussels(2026, 3, 15, 9, 0), id="sunday"),
        pytest.param(brussels(2026, 4, 6, 9, 0), id="easter-monday"),
        pytest.param(brussels(2026, 5, 1, 9, 0), id="labour-day"),
        pytest.param(brussels(2026, 7, 21, 9, 0), id="national-day"),
    ],
)
def test_no_digest_on_weekends_and_bank_holidays(advisor_user, moment):
    something_open(advisor_user)
    with time_machine.travel(moment, tick=False):
        send_due()
    assert not digests().exists()
    assert sent(ADVISOR_DIGEST) == []


def test_no_digest_when_there_is_nothing_to_say(advisor_user, other_advisor):
    # Another advisor's case and closed ones say nothing to this advisor.
    something_open(other_advisor)
    case_in(CaseStatus.CLOSED, advisor=advisor_user)
    with time_machine.travel(THURSDAY, tick=False):
        send_due()
    mine = digests(recipient=advisor_user).get()
    assert (mine.status, mine.skip_reason) == (DeliveryStatus.SKIPPED, "nothing to report today")
    assert sent(ADVISOR_DIGEST, advisor_user) == []
    assert len(sent(ADVISOR_DIGEST, other_advisor)) == 1


def test_a_case_arriving_later_that_day_does_not_bring_a_second_digest(advisor_user):
    with time_machine.travel(THURSDAY, tick=False):
        send_due()
    with time_machine.travel(THURSDAY + timedelta(hours=3), tick=False):
        case_in(CaseStatus.NEW, advisor=None)
        send_due()
    assert digests().get().status == DeliveryStatus.SKIPPED
    assert mail.outbox == []


def test_a_digest_stuck_until_the_next_day_is_not_sent(advisor_user):
    something_open(advisor_user)
    plan_advisor_digests(now=THURSDAY)
    with time_machine.travel(THURSDAY + timedelta(days=1), tick=False):
        delivery_send(delivery_id=digests().get().pk)
    assert digests().get().skip_reason == "the day of this digest is over"


@pytest.fixture
def workload(advisor_user, other_advisor):
    """An advisor's morning, Thursday 12 March 2026 (Brussels)."""
    with time_machine.travel(THURSDAY, tick=False):
        now = timezone.now()
        past_due = {"first_contact_due": now - timedelta(hours=9)}
        work = {
            "new": [case_in(CaseStatus.NEW, advisor=None) for _ in range(2)],
            "new_overdue": case_in(CaseStatus.NEW, advisor=None, **past_due),
            "mine": case_in(CaseStatus.IN_PROGRESS, advisor=advisor_user),
            "mine_overdue": case_in(CaseStatus.IN_PROGRESS, advisor=advisor_user, **past_due),
            "mine_follow_up": case_in(
                CaseStatus.ORIENTED,
                advisor=advisor_user,
                first_contact_at=now - timedelta(days=3),
                follow_up_on=date(2026, 3, 12),
            ),
            "mine_later": case_in(
                CaseStatus.ORIENTED, advisor=advisor_user, follow_up_on=date(2026, 3, 20)
            ),
            "theirs_overdue": case_in(CaseStatus.IN_PROGRESS, advisor=other_advisor, **past_due),
            "closed": case_in(CaseStatus.CLOSED, advisor=advisor_user, **past_due),
        }
        yield work


def test_the_digest_counts_and_lists_what_is_open(advisor_user, workload):
    digest = selectors.advisor_digest(advisor_user, now=THURSDAY)
    assert (digest.new_unassigned, digest.open_mine, digest.overdue, digest.follow_ups) == (
        3,
        4,
        2,
        1,
    )
    assert [line.reference for line in digest.overdue_cases] == [
        workload["new_overdue"].reference,
        workload["mine_overdue"].reference,
    ]
    assert [(line.reference, line.when) for line in digest.follow_up_cases] == [
        (workload["mine_follow_up"].reference, date(2026, 3, 12))
    ]
    assert (digest.overdue_more, digest.follow_ups_more, digest.is_empty) == (0, 0, False)


def test_long_lists_are_cut_and_say_how_many_more(advisor_user):
    for _ in range(selectors.DIGEST_LIST_LIMIT + 2):
        case_in(CaseStatus.NEW, advisor=None, first_contact_due=THURSDAY - timedelta(days=1))
    digest = selectors.advisor_digest(advisor_user, now=THURSDAY)
    assert len(digest.overdue_cases) == selectors.DIGEST_LIST_LIMIT
    assert digest.overdue_more == 2


@pytest.mark.parametrize("size", [1, 6])
def test_the_digest_reads_a_fixed_number_of_queries(
    advisor_user, other_advisor, django_assert_num_queries, size
):
    for _ in range(size):
        case_in(CaseStatus.NEW, advisor=None, first_contact_due=THURSDAY - timedelta(days=1))
        case_in(CaseStatus.ORIENTED, advisor=advisor_user, follow_up_on=date(2026, 3, 12))
        case_in(CaseStatus.IN_PROGRESS, advisor=other_advisor)
    with django_assert_num_queries(3):
        selectors.advisor_digest(advisor_user, now=THURSDAY)


@pytest.mark.parametrize(
    ("language", "day", "follow_up"),
    [
        ("fr", "jeudi 12 mars 2026", "jeudi 12 mars"),
        ("nl", "donderdag 12 maart 2026", "donderdag 12 maart"),
    ],
)
def test_the_digest_in_french_and_dutch(language, day, follow_up, workload):
    advisor = staff_reading(Role.ADVISOR, language)
    person = member(first_name="Gaëlle", last_name="Vandenberghe")
    mine = case_in(
        CaseStatus.ORIENTED,
        advisor=advisor,
        member=person,
        message="Je n'en peux plus de mon associé.",
        follow_up_on=date(2026, 3, 12),
        first_contact_at=THURSDAY - timedelta(days=2),
    )
    with time_machine.travel(THURSDAY, tick=False):
        send_due()
    [message] = sent(ADVISOR_DIGEST, advisor)
    html = html_of(message)
    assert "12" in message.subject and "2026" in message.subject
    assert f'<html lang="{language}"' in html
    queue = f"{BASE}/{language}/listening-cell/queue/"
    for part in (message.body, html):
        assert day in part
        assert mine.reference in part
        assert workload["new_overdue"].reference in part
        # Another advisor's overdue case is theirs to hear about.
        assert workload["theirs_overdue"].reference not in part
        assert f"{BASE}/{language}/listening-cell/cases/{mine.pk}/" in part
        assert f"{BASE}/{language}/listening-cell/alerts/" in part
        for query in ("?status=new", "?assignment=mine", "?overdue=on"):
            assert queue + query in part
        for private in ("Gaëlle", "Vandenberghe", person.email, "associé", "+32470123456"):
            assert private not in part
    # The follow-up line: its date, then the case's page.
    case_page = f"{BASE}/{language}/listening-cell/cases/{mine.pk}/"
    assert f"{follow_up}: {case_page}" in message.body
    assert f'<time datetime="2026-03-12">{follow_up}</time>' in html
    assert digests(recipient=advisor).get().language == language


def test_the_unsubscribe_link_stops_the_digest(advisor_user, other_advisor):
    something_open(advisor_user)
    something_open(other_advisor)
    with time_machine.travel(THURSDAY, tick=False):
        send_due()
    [message] = sent(ADVISOR_DIGEST, advisor_user)
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body
    assert f'href="{unsubscribe}"' in html_of(message)
    assert one_click(Client(enforce_csrf_checks=True), message) == 200
    assert not preference_enabled(advisor_user, STAFF_ALERTS)
    assert preference_enabled(other_advisor, STAFF_ALERTS)

    mail.outbox.clear()
    with time_machine.travel(THURSDAY + timedelta(days=1), tick=False):
        send_due()
    assert sent(ADVISOR_DIGEST, advisor_user) == []
    assert len(sent(ADVISOR_DIGEST, other_advisor)) == 1


def test_the_digest_time_is_brussels_time_whatever_zone_is_configured(settings, advisor_user):
    settings.TIME_ZONE = "UTC"
    plan_advisor_digests(now=brussels(2026, 3, 12, 7, 59))
    assert not digests().exists()
    plan_advisor_digests(now=brussels(2026, 3, 12, 8, 0))
    assert digests().get().due_at == brussels(2026, 3, 12, 8, 0)
