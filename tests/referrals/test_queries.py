"""Query counts do not grow with the data: each page is measured at two sizes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.roles import Role
from referrals import services
from tests.factories import member, staff

from .factories import CaseFactory, PartnerFactory, attached_result
from .helpers import case_in

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def partners(n):
    for i in range(n):
        PartnerFactory(
            needs=["stress", "financial"][: 1 + i % 2],
            areas=["BE"] if i % 3 else ["WLG", "BRU"],
            languages=["fr", "nl"],
            is_crisis_line=i % 5 == 0,
        )


def cases(n, advisor):
    for i in range(n):
        if i % 3 == 0:
            case_in("in_progress", advisor=advisor, needs=["stress", "sleep"])
        elif i % 3 == 1:
            CaseFactory(first_contact_due=timezone.now() - timedelta(hours=1))
        else:
            CaseFactory(source="signal", raised_by=staff(Role.AMBASSADOR), agreement_confirmed=True)


# Today's counts, as upper bounds: the property under test is that the two sizes match;
# the bound catches a page that starts doing much more.
QUEUE = 7  # session, account with roles, count, page of cases, needs, access log, summary
CASE_PAGE = 16  # with the person's other cases, their line in the access log, the call-back
DIRECTORY = 5  # count, page of partners, their needs, areas, languages


def test_queue(client, advisor_user):
    client.force_login(advisor_user)
    cases(2, advisor_user)
    small = count(client, "/en/listening-cell/queue/")
    cases(20, advisor_user)
    assert count(client, "/en/listening-cell/queue/") == small <= QUEUE


def test_queue_with_guest_callbacks(client, advisor_user):
    """A guest's row shows their name, phone and e-mail from the case row itself."""
    client.force_login(advisor_user)

    def guests(n):
        for i in range(n):
            CaseFactory(
                source="guest",
                member=None,
                contact_name=f"Guest {i}",
                contact_email=f"guest{i}@example.org",
                time_slots=["today"],
            )

    guests(2)
    small = count(client, "/en/listening-cell/queue/")
    guests(20)
    assert count(client, "/en/listening-cell/queue/") == small <= QUEUE


def _busy_case(advisor, n):
    owner = member()
    case = case_in("in_progress", advisor=advisor, member=owner, needs=["stress", "financial"])
    case.assessment_result = attached_result(owner)
    case.save()
    partner_list = [PartnerFactory(needs=["stress"]) for _ in range(n)]
    for i in range(n):
        services.note_add(case=case, actor=advisor, body=f"Note {i}")
        services.contact_attempt_record(case=case, actor=advisor, channel="phone", reached=False)
    services.referral_create(
        case=case, actor=advisor, partners=partner_list[: max(1, n // 2)], mode="information"
    )
    return case


def test_case_page(client, advisor_user):
    client.force_login(advisor_user)
    small = _busy_case(advisor_user, 1)
    large = _busy_case(advisor_user, 12)
    staff(Role.ADVISOR)
    first = count(client, f"/en/listening-cell/cases/{small.pk}/")
    second = count(client, f"/en/listening-cell/cases/{large.pk}/")
    assert first == second <= CASE_PAGE


def test_directory(client):
    partners(2)
    small = count(client, "/en/listening-cell/partners/?language=fr")
    partners(25)
    assert count(client, "/en/listening-cell/partners/?language=fr") == small <= DIRECTORY


def test_member_requests(client, member_user, advisor_user):
    client.force_login(member_user)
    case_in("oriented", advisor=advisor_user, member=member_user)
    small = count(client, "/en/listening-cell/my-requests/")
    for _ in range(6):
        case_in("oriented", advisor=advisor_user, member=member_user)
        CaseFactory(member=member_user)
    assert count(client, "/en/listening-cell/my-requests/") == small


def test_ambassador_signals(client, ambassador_user):
    client.force_login(ambassador_user)
    CaseFactory(source="signal", raised_by=ambassador_user, agreement_confirmed=True)
    small = count(client, "/en/listening-cell/my-signals/")
    for _ in range(30):
        CaseFactory(source="signal", raised_by=ambassador_user, agreement_confirmed=True)
    assert count(client, "/en/listening-cell/my-signals/") == small


def test_partner_staff_list(client, manager_user):
    client.force_login(manager_user)
    partners(2)
    small = count(client, "/en/listening-cell/staff/partners/")
    partners(15)
    assert count(client, "/en/listening-cell/staff/partners/") == small


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.MEMBER, "/en/dashboard/member/"),
        (Role.AMBASSADOR, "/en/dashboard/ambassador/"),
        (Role.ADVISOR, "/en/dashboard/advisor/"),
        (Role.PROGRAMME_MANAGER, "/en/dashboard/manager/"),
    ],
)
def test_role_homes_do_not_grow_with_cases(client, role, url):
    user = member() if role is Role.MEMBER else staff(role)
    client.force_login(user)
    advisor = user if role is Role.ADVISOR else staff(Role.ADVISOR)
    CaseFactory(member=user if role is Role.MEMBER else member())
    small = count(client, url)
    for _ in range(5):
        case_in("in_progress", advisor=advisor, member=user if role is Role.MEMBER else member())
        CaseFactory(
            source="signal",
            raised_by=user if role is Role.AMBASSADOR else None,
            agreement_confirmed=True,
        )
    assert count(client, url) == small
