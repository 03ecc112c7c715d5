"""Advisors are alerted when a case passes its first-contact deadline without a contact:
derived from the data by a planner, once per case and advisor, skipped when no longer true."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members.roles import Role
from members.services import role_revoke
from notifications.models import Delivery, DeliveryStatus
from notifications.preferences import STAFF_ALERTS, preference_enabled
from referrals import services
from referrals.choices import CaseStatus, Outcome, Urgency
from referrals.emails import CASE_OVERDUE
from referrals.planners import plan_overdue_alerts
from tests.emails import BASE, brussels, html_of, one_click, send_due, sent
from tests.factories import member, staff

from .emails import staff_reading
from .helpers import case_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

# Thursday morning; the deadline was the end of Wednesday.
NOW = brussels(2026, 3, 12, 9, 0)
RECEIVED = brussels(2026, 3, 9, 10, 15)
DUE = brussels(2026, 3, 11, 23, 59, 59)


@pytest.fixture(autouse=True)
def thursday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


def overdue(status=CaseStatus.NEW, *, advisor=None, **fields):
    return case_in(status, advisor=advisor, created_at=RECEIVED, first_contact_due=DUE, **fields)


def alerts(**filters):
    return Delivery.objects.filter(kind=CASE_OVERDUE, **filters)


def test_the_advisor_holding_the_case_is_alerted_once(advisor_user, other_advisor):
    case = overdue(CaseStatus.IN_PROGRESS, advisor=advisor_user)
    send_due()
    send_due()
    [alert] = alerts()
    assert (alert.recipient, alert.intent_key, alert.context) == (
        advisor_user,
        f"case:{case.pk}:user:{advisor_user.pk}",
        {"case_id": case.pk},
    )
    assert alert.status == DeliveryStatus.SENT
    assert alert.due_at == DUE
    assert len(sent(CASE_OVERDUE, advisor_user)) == 1
    assert sent(CASE_OVERDUE, other_advisor) == []


def test_an_unassigned_case_alerts_every_active_advisor(advisor_user, other_advisor):
    staff(Role.ADVISOR, is_active=False)
    staff(Role.AMBASSADOR)
    staff(Role.PROGRAMME_MANAGER)
    case = overdue()
    plan_overdue_alerts(now=NOW)
    assert set(alerts().values_list("recipient", flat=True)) == {advisor_user.pk, other_advisor.pk}
    assert list(alerts().values_list("context", flat=True)) == [{"case_id": case.pk}] * 2


def test_a_planner_run_twice_schedules_once(advisor_user, other_advisor):
    overdue()
    overdue(CaseStatus.IN_PROGRESS, advisor=advisor_user)
    plan_overdue_alerts(now=NOW)
    first = sorted(alerts().values_list("pk", "intent_key"))
    plan_overdue_alerts(now=NOW)
    plan_overdue_alerts(now=NOW + timedelta(hours=5))
    assert sorted(alerts().values_list("pk", "intent_key")) == first
    assert len(first) == 3


@pytest.mark.parametrize(
    "make_case",
    [
        pytest.param(
            lambda advisor: case_in(
                CaseStatus.NEW, advisor=advisor, first_contact_due=NOW + timedelta(hours=1)
            ),
            id="deadline-still-ahead",
        ),
        pytest.param(
            lambda advisor: overdue(
                CaseStatus.IN_PROGRESS, advisor=advisor, first_contact_at=NOW - timedelta(days=2)
            ),
            id="contacted-in-time",
        ),
        pytest.param(
            lambda advisor: overdue(
                CaseStatus.IN_PROGRESS, advisor=advisor, first_contact_at=NOW - timedelta(hours=1)
            ),
            id="contacted-late",
        ),
        pytest.param(
            lambda advisor: overdue(CaseStatus.CLOSED, advisor=advisor), id="closed-uncontacted"
        ),
    ],
)
def test_no_alert_when_there_is_nothing_overdue(advisor_user, make_case):
    make_case(advisor_user)
    send_due()
    assert not alerts().exists()


def test_a_contact_made_before_the_alert_goes_out_skips_it(advisor_user):
    case = overdue(CaseStatus.IN_PROGRESS, advisor=advisor_user)
    plan_overdue_alerts(now=NOW)
    services.contact_attempt_record(case=case, actor=advisor_user, channel="phone", reached=False)
    send_due()
    [alert] = alerts()
    assert (alert.status, alert.skip_reason) == (
        DeliveryStatus.SKIPPED,
        "the first contact was made",
    )
    assert sent(CASE_OVERDUE) == []


def test_a_case_closed_before_the_alert_goes_out_skips_it(advisor_user):
    case = overdue(CaseStatus.IN_PROGRESS, advisor=advisor_user)
    plan_overdue_alerts(now=NOW)
    services.case_close(case=case, actor=advisor_user, outcome=Outcome.DECLINED)
    send_due()
    assert alerts().get().skip_reason == "the case was closed"
    assert sent(CASE_OVERDUE) == []


def test_once_a_colleague_claims_it_only_they_are_alerted(advisor_user, other_advisor):
    case = overdue()
    plan_overdue_alerts(now=NOW)
    services.case_claim(case_id=case.pk, advisor=other_advisor)
    send_due()
    assert alerts(recipient=advisor_user).get().skip_reason == "another advisor holds the case"
    assert alerts(recipient=other_advisor).get().status == DeliveryStatus.SENT
    assert [message.to for message in sent(CASE_OVERDUE)] == [[other_advisor.email]]


def test_a_reassigned_case_alerts_the_new_holder_too(advisor_user, other_advisor):
    case = overdue(CaseStatus.IN_PROGRESS, advisor=advisor_user)
    send_due()
    services.case_assign(case=case, assignee=other_advisor, actor=advisor_user)
    send_due()
    assert len(sent(CASE_OVERDUE, advisor_user)) == 1
    assert len(sent(CASE_OVERDUE, other_advisor)) == 1


def test_an_advisor_who_left_the_cell_is_not_alerted(advisor_user, other_advisor):
    overdue()
    plan_overdue_alerts(now=NOW)
    role_revoke(user=other_advisor, role=Role.ADVISOR)
    send_due()
    assert alerts(recipient=other_advisor).get().status == DeliveryStatus.SKIPPED
    assert [message.to for message in sent(CASE_OVERDUE)] == [[advisor_user.email]]


@pytest.mark.parametrize("leaves", ["deactivated", "role revoked"])
def test_a_case_whose_advisor_left_alerts_every_advisor(leaves):
    colleagues = [staff_reading(Role.ADVISOR, "en") for _ in range(2)]
    departed = staff(Role.ADVISOR)
    case = overdue(CaseStatus.IN_PROGRESS, advisor=departed)
    if leaves == "deactivated":
        departed.is_active = False
        departed.save(update_fields=["is_active"])
    else:
        role_revoke(user=departed, role=Role.ADVISOR)
    send_due()
    assert set(alerts().values_list("recipient", flat=True)) == {c.pk for c in colleagues}
    for advisor in colleagues:
        [message] = sent(CASE_OVERDUE, advisor)
        assert case.reference in message.subject
        assert "no longer works in the listening cell" in message.body


def test_a_departed_advisors_overdue_case_is_in_the_others_digest(advisor_user):
    from referrals.selectors import advisor_digest

    departed = staff(Role.ADVISOR, is_active=False)
    case = overdue(CaseStatus.IN_PROGRESS, advisor=departed)
    digest = advisor_digest(advisor_user, now=NOW)
    assert digest.overdue == 1
    assert [line.pk for line in digest.overdue_cases] == [case.pk]


@pytest.mark.parametrize(
    ("language", "due", "received"),
    [
        ("fr", "mercredi 11 mars 2026, 23:59", "lundi 9 mars 2026, 10:15"),
        ("nl", "woensdag 11 maart 2026, 23:59", "maandag 9 maart 2026, 10:15"),
    ],
)
def test_the_alert_in_french_and_dutch(language, due, received):
    advisor = staff_reading(Role.ADVISOR, language)
    person = member(first_name="Gaëlle", last_name="Vandenberghe")
    case = overdue(
        member=person,
        contact_name="",
        urgency=Urgency.HIGH,
        message="Je n'en peux plus de mon associé.",
        needs=["crisis", "addiction"],
    )
    send_due()
    [message] = sent(CASE_OVERDUE, advisor)
    html = html_of(message)
    assert case.reference in message.subject
    assert f'<html lang="{language}"' in html
    for part in (message.body, html):
        assert case.reference in part
        assert due in part
        assert received in part
        # The case page and the advisor's settings, in the advisor's language.
        assert f"{BASE}/{language}/listening-cell/cases/{case.pk}/" in part
        assert f"{BASE}/{language}/listening-cell/alerts/" in part
        # Nothing that identifies the person or says what they shared.
        for private in ("Gaëlle", "Vandenberghe", person.email, "associé", "+32470123456"):
            assert private not in part
    assert f'<time datetime="{DUE.isoformat()}">' in html
    assert alerts().get().language == language


def test_the_unsubscribe_link_turns_alerts_off_for_that_advisor_only(advisor_user, other_advisor):
    client = Client(enforce_csrf_checks=True)
    overdue(CaseStatus.IN_PROGRESS, advisor=advisor_user)
    send_due()
    [message] = sent(CASE_OVERDUE, advisor_user)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{BASE}/fr/messages/unsubscribe/")
    assert unsubscribe in message.body
    assert f'href="{unsubscribe}"' in html_of(message)

    assert one_click(client, message) == 200
    assert not preference_enabled(advisor_user, STAFF_ALERTS)
    assert preference_enabled(other_advisor, STAFF_ALERTS)

    mail.outbox.clear()
    overdue(CaseStatus.IN_PROGRESS, advisor=advisor_user)
    overdue(CaseStatus.IN_PROGRESS, advisor=other_advisor)
    send_due()
    assert [message.to for message in sent(CASE_OVERDUE)] == [[other_advisor.email]]
    skipped = alerts(recipient=advisor_user, status=DeliveryStatus.SKIPPED).get()
    assert skipped.skip_reason == f"the recipient turned off {STAFF_ALERTS}"


def test_a_backlog_is_planned_in_bounded_inserts(settings, advisor_user, other_advisor):
    settings.NOTIFICATIONS_FAN_OUT_CHUNK_SIZE = 3
    for _ in range(4):
        overdue()
    with CaptureQueriesContext(connection) as queries:
        plan_overdue_alerts(now=NOW)
    inserts = [
        q
        for q in queries
        if q["sql"].startswith("INSERT") and '"notifications_delivery"' in q["sql"]
    ]
    # 4 cases × 2 advisors = 8 alerts, in statements of at most 3 rows.
    assert alerts().count() == 8
    assert len(inserts) == 3
