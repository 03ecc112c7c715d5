"""The advisors' page to open a case for a caller: who may use it, bad input, a double
submit, and where the case shows up next (its page, the queue)."""

import uuid

import pytest

from members.roles import Role
from referrals.choices import Source
from referrals.models import Case
from tests.factories import member, staff

from .test_queries import QUEUE, count

pytestmark = pytest.mark.django_db

OPEN = "/en/listening-cell/cases/new/"
QUEUE_URL = "/en/listening-cell/queue/"


def form_data(**overrides):
    data = {
        "agreement_confirmed": "on",
        "intake_channel": "phone",
        "needs": ["stress", "sleep"],
        "urgency": "2",
        "name": "Sofie Peeters",
        "phone": "0470 12 34 56",
        "email": "",
        "language": "nl",
        "region": "VAN",
        "channel": "phone",
        "message": "Belde na een zware week.",
        "token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_queue_offers_the_button_first(advisor_client):
    html = advisor_client.get(QUEUE_URL).content.decode()
    button = html.index('id="open-case-for-caller"')
    # Before the search and the filters: on a phone's first screen.
    assert button < html.index('id="case-search-q"')
    assert f'href="{OPEN}"' in html


def test_an_advisor_opens_a_case_and_lands_on_it(advisor_client, advisor_user):
    assert advisor_client.get(OPEN).status_code == 200
    response = advisor_client.post(OPEN, form_data())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == f"/en/listening-cell/cases/{case.pk}/"
    assert (case.source, case.assigned_to) == (Source.ADVISOR, advisor_user)
    page = advisor_client.get(response.url).content.decode()
    assert "The case is open, and it is yours." in page
    assert "Opened by an advisor — phone call" in page
    assert "the person agreed orally to the case being opened" in page
    queue = advisor_client.get(QUEUE_URL + "?assignment=mine").content.decode()
    assert case.reference in queue and "Opened by an advisor — phone call" in queue


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.PROGRAMME_MANAGER])
def test_other_roles_get_403(client, role):
    client.force_login(member() if role is Role.MEMBER else staff(role))
    assert client.get(OPEN).status_code == 403
    assert client.post(OPEN, form_data()).status_code == 403
    assert not Case.objects.exists()


def test_a_visitor_is_sent_to_log_in(client):
    response = client.post(OPEN, form_data())
    assert response.status_code == 302 and "/login/" in response.url
    assert not Case.objects.exists()


def test_a_double_submit_opens_one_case(advisor_client):
    data = form_data()
    first = advisor_client.post(OPEN, data)
    second = advisor_client.post(OPEN, data)
    assert Case.objects.count() == 1
    assert first.url == second.url == f"/en/listening-cell/cases/{Case.objects.get().pk}/"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"agreement_confirmed": None}, "agreement_confirmed", "agreed to it"),
        ({"intake_channel": "fax"}, "intake_channel", "Select a valid choice"),
        ({"needs": []}, "needs", "Choose at least one topic"),
        ({"needs": ["<script>"]}, "needs", "Select a valid choice"),
        ({"urgency": "x"}, "urgency", "Select a valid choice"),
        ({"name": ""}, "name", "Give the person's name"),
        ({"name": "A" * 500}, "name", "at most 150 characters"),
        ({"phone": "12345"}, "phone", "Enter a valid phone number"),
        ({"phone": "0" * 5000}, "phone", "at most 30 characters"),
        ({"phone": "", "email": ""}, "phone", "Give a phone number or an e-mail address"),
        ({"phone": "", "email": "nobody@"}, "email", "Enter a valid email address"),
        ({"channel": "email"}, "email", "Give an e-mail address for this channel"),
        ({"language": "xx"}, "language", "Select a valid choice"),
        ({"region": "../"}, "region", "Select a valid choice"),
        ({"message": "x" * 5000}, "message", "at most 2000 characters"),
        (
            {"email": "nobody@example.org", "link_account": "on"},
            "link_account",
            "No member account uses this e-mail address",
        ),
    ],
)
def test_bad_input_gets_a_message_beside_the_field(advisor_client, overrides, field, message):
    response = advisor_client.post(OPEN, form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert not Case.objects.exists()
    # What was typed is still there.
    if field != "message":
        assert "Belde na een zware week." in response.content.decode()


def test_a_forged_token_is_replaced_not_refused(advisor_client):
    response = advisor_client.post(OPEN, form_data(token="../../etc"))
    assert response.status_code == 302
    assert Case.objects.get().submission_token is not None


def test_a_linked_member_sees_the_case_among_their_requests(client, advisor_client):
    marie = member(email="marie@example.org")
    advisor_client.post(OPEN, form_data(email="marie@example.org", link_account="on"))
    assert Case.objects.get().member == marie
    client.force_login(marie)
    page = client.get("/en/listening-cell/my-requests/").content.decode()
    assert "Request opened with an advisor on" in page
    # The advisor's notes stay with the cell.
    assert "Belde na een zware week." not in page


def test_the_queue_reads_advisor_cases_in_a_fixed_number_of_queries(client, advisor_user):
    client.force_login(advisor_user)
    advisor = staff(Role.ADVISOR)

    def opened(n):
        for i in range(n):
            client.force_login(advisor)
            client.post(
                OPEN, form_data(name=f"Caller {i}", intake_channel=["phone", "walk_in"][i % 2])
            )
        client.force_login(advisor_user)

    opened(2)
    small = count(client, QUEUE_URL)
    opened(12)
    assert count(client, QUEUE_URL) == small <= QUEUE
