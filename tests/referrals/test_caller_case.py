"""A case an advisor opens for someone who phoned or walked in: the service, its consent
rule in the database, urgency, the timeline, who may call it, and the statistics."""

import uuid
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from common.periods import Period
from members.roles import Role
from notifications.models import Delivery
from referrals import services
from referrals.choices import (
    CaseStatus,
    ConsentBasis,
    EventKind,
    IntakeChannel,
    Source,
    Urgency,
)
from referrals.deadlines import first_contact_due
from referrals.emails import URGENT_CASE
from referrals.models import Case
from referrals.statistics import SOURCE_COUNTS, _cell_statistics
from referrals.templatetags.referrals_tags import event_summary
from tests.emails import brussels, sent
from tests.factories import member, staff

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

THURSDAY_MORNING = brussels(2026, 4, 2, 9, 30)


def open_case(advisor, **overrides):
    values = {
        "advisor": advisor,
        "token": uuid.uuid4(),
        "agreement_confirmed": True,
        "intake_channel": IntakeChannel.PHONE,
        "needs": ["stress"],
        "urgency": Urgency.MEDIUM,
        "name": "Sofie",
        "phone": "0470 12 34 56",
        "email": "",
        "language": "nl",
        "region": "VAN",
        "channel": "phone",
        "message": "Belde na een zware week.",
    }
    values.update(overrides)
    return services.caller_case_create(**values)


def test_the_case_is_opened_and_held_by_the_advisor(advisor_user):
    case, created = open_case(advisor_user)
    assert created
    case.refresh_from_db()
    assert (case.source, case.intake_channel) == (Source.ADVISOR, IntakeChannel.PHONE)
    assert case.agreement_confirmed and case.raised_by == advisor_user
    assert (case.status, case.assigned_to) == (CaseStatus.IN_PROGRESS, advisor_user)
    assert case.member is None
    assert (case.contact_name, case.contact_phone) == ("Sofie", "+32470123456")
    assert (case.language, case.region, case.preferred_channel) == ("nl", "VAN", "phone")
    assert [n.need for n in case.needs.all()] == ["stress"]


def test_the_timeline_says_who_opened_it_how_and_on_what_consent(advisor_user):
    case, _created = open_case(advisor_user, intake_channel=IntakeChannel.WALK_IN)
    opened, claimed = case.events.order_by("created_at", "pk")
    assert (opened.kind, opened.actor, opened.to_status) == (
        EventKind.CREATED,
        advisor_user,
        CaseStatus.NEW,
    )
    assert opened.data == {
        "source": "advisor",
        "intake_channel": "walk_in",
        "consent_basis": ConsentBasis.ORAL,
    }
    assert (claimed.kind, claimed.actor, claimed.to_status) == (
        EventKind.CLAIMED,
        advisor_user,
        CaseStatus.IN_PROGRESS,
    )
    with translation.override("en"):
        assert event_summary(opened) == (
            "Opened by an advisor — walk-in (Consent given by the member to the advisor)"
        )


@pytest.mark.parametrize(
    ("intake", "label"),
    [
        (IntakeChannel.PHONE, "Opened by an advisor — phone call"),
        (IntakeChannel.WALK_IN, "Opened by an advisor — walk-in"),
        (IntakeChannel.OTHER, "Opened by an advisor — other contact"),
    ],
)
def test_the_source_reads_in_words(advisor_user, intake, label):
    case, _created = open_case(advisor_user, intake_channel=intake)
    with translation.override("en"):
        assert str(case.source_label) == label
    with translation.override("fr"):
        assert str(case.source_label).startswith("Ouvert par un conseiller")


# --- Consent: the database refuses a case nobody agreed to ---------------------------------------


def test_no_case_without_the_persons_agreement(advisor_user):
    with pytest.raises(ValidationError) as refused:
        open_case(advisor_user, agreement_confirmed=False)
    assert "agreement_confirmed" in refused.value.error_dict
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        # The same rule as a signal: the person agreed, or there is no case.
        {"source": "advisor", "intake_channel": "phone", "agreement_confirmed": False},
        # How the person came in belongs to an advisor's case, and to it alone.
        {"source": "advisor", "intake_channel": "", "agreement_confirmed": True},
        {"source": "request", "intake_channel": "phone"},
    ],
)
def test_the_database_holds_the_rules_whatever_the_caller(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(member=None, **fields)


# --- Urgency: the same rule as every case --------------------------------------------------------


@pytest.mark.parametrize(
    ("needs", "urgency", "urgent"),
    [
        (["stress"], Urgency.MEDIUM, False),
        (["stress"], Urgency.HIGH, True),
        (["sleep", "crisis"], Urgency.LOW, True),
    ],
)
def test_urgent_follows_the_rule_of_every_case(advisor_user, needs, urgency, urgent):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        case, _created = open_case(advisor_user, needs=needs, urgency=urgency)
    assert case.urgent is urgent
    assert case.first_contact_due == first_contact_due(case.created_at, urgent=urgent)
    assert Delivery.objects.filter(kind=URGENT_CASE).exists() is urgent


@pytest.mark.usefixtures("in_process_mail")
def test_the_urgent_alert_goes_to_the_advisor_who_holds_it(
    advisor_user, django_capture_on_commit_callbacks
):
    """The alert of every urgent case is planned for every advisor on duty; the case is
    already held when it leaves, so the colleagues' copies are skipped, as for any case
    someone holds."""
    colleague = staff(Role.ADVISOR)
    with (
        time_machine.travel(THURSDAY_MORNING, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case, _created = open_case(advisor_user, urgency=Urgency.HIGH)
    [mine] = sent(URGENT_CASE, advisor_user)
    assert case.reference in mine.subject
    assert sent(URGENT_CASE, colleague) == []


def test_an_urgent_case_tops_the_queue_like_the_others(advisor_user):
    from referrals.selectors import case_queue

    CaseFactory(urgency=Urgency.HIGH)
    urgent, _created = open_case(advisor_user, needs=["crisis"])
    assert list(case_queue(advisor_user))[0] == urgent


# --- Who may open one ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.PROGRAMME_MANAGER])
def test_only_an_advisor_opens_a_case_for_a_caller(role):
    someone = member() if role is Role.MEMBER else staff(role)
    with pytest.raises(PermissionDenied):
        open_case(someone)
    assert not Case.objects.exists()


def test_an_inactive_advisor_cannot(advisor_user):
    advisor_user.is_active = False
    advisor_user.save()
    with pytest.raises(PermissionDenied):
        open_case(advisor_user)


# --- Double submit, bad input ------------------------------------------------------------------


def test_the_same_form_sent_twice_opens_one_case(advisor_user):
    token = uuid.uuid4()
    first, created = open_case(advisor_user, token=token)
    again, created_again = open_case(advisor_user, token=token, name="Someone else")
    assert created and not created_again
    assert again.pk == first.pk
    assert Case.objects.count() == 1
    assert first.events.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"intake_channel": "fax"}, "intake_channel"),
        ({"needs": []}, "needs"),
        ({"needs": ["astrology"]}, "needs"),
        ({"urgency": 9}, "urgency"),
        ({"name": "   "}, "name"),
        ({"name": "A" * 151}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "", "email": "not-an-address", "channel": "email"}, "email"),
        ({"phone": "", "email": "sofie@example.org", "channel": "phone"}, "phone"),
        ({"channel": "email"}, "email"),
        ({"channel": "pigeon"}, "channel"),
        ({"language": "de"}, "language"),
        ({"region": "XX"}, "region"),
        ({"message": "x" * 2001}, "message"),
        ({"email": "nobody@example.org", "link_account": True}, "link_account"),
        ({"link_account": True}, "link_account"),
    ],
)
def test_bad_input_is_refused_on_its_field(advisor_user, overrides, field):
    with pytest.raises(ValidationError) as refused:
        open_case(advisor_user, **overrides)
    assert field in refused.value.error_dict
    assert not Case.objects.exists()


# --- A member's account -------------------------------------------------------------------------


def test_the_case_joins_the_member_account_of_that_address(advisor_user):
    marie = member(email="marie@example.org")
    marie.profile.province = "WLG"
    marie.profile.save()
    case, _created = open_case(
        advisor_user, email="Marie@Example.org", region="", link_account=True
    )
    assert case.member == marie
    # The province of the profile, when the advisor did not ask.
    assert case.region == "WLG"


def test_an_address_is_not_linked_unless_asked(advisor_user):
    member(email="marie@example.org")
    case, _created = open_case(advisor_user, email="marie@example.org")
    assert case.member is None


# --- Statistics: the new source is counted and named ---------------------------------------------


def test_every_source_has_its_count_in_the_statistics():
    assert set(SOURCE_COUNTS) == set(Source.values)


def test_the_statistics_count_cases_opened_by_advisors(advisor_user):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        for _ in range(6):
            open_case(advisor_user)
        CaseFactory()
        period = Period(start=date(2026, 4, 1), end=date(2026, 5, 1))
        with translation.override("en"):
            cell = _cell_statistics(period)
    assert str(cell.summary["received"]) == "5"  # 7, rounded to the nearest 5
    # 6, rounded to the nearest 5.
    assert [(line.label, str(line.count)) for line in cell.sources] == [
        ("Opened by an advisor", "5"),
        ("Member request", "<5"),
    ]


def test_the_statistics_page_and_its_csv_say_where_cases_came_from(client, advisor_user):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        for _ in range(6):
            open_case(advisor_user)
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    query = {"start": "2026-04", "end": "2026-04"}
    page = client.get("/en/dashboard/manager/statistics/", query)
    assert 'id="cell-sources"' in page.content.decode()
    export = client.get("/en/dashboard/manager/statistics/", {**query, "export": "cell-sources"})
    assert export["Content-Type"].startswith("text/csv")
    assert export.content.decode().splitlines() == ["Source,Cases", "Opened by an advisor,5"]
