"""An ambassador passes on a signal and sees its status, never notes or health details."""

import re

import pytest

from referrals import services
from referrals.models import Case
from tests.factories import member, staff

from .factories import CaseFactory
from .helpers import case_in

pytestmark = pytest.mark.django_db

URL = "/en/listening-cell/signal/"

FOR_MEMBER = {
    "agreement_confirmed": "on",
    "name": "Sophie",
    "language": "fr",
    "need": "loneliness",
    "urgency": "2",
    "note": "Isolé depuis quelques mois.",
}

FOR_OTHER = {
    "agreement_confirmed": "on",
    "name": "Jan Peeters",
    "phone": "09 265 70 00",
    "email": "",
    "language": "nl",
    "region": "VOV",
    "need": "financial",
    "urgency": "3",
    "note": "",
}


@pytest.fixture
def ambassador_client(client, ambassador_user):
    client.force_login(ambassador_user)
    return client


def test_signal_about_a_member_by_email(ambassador_client, ambassador_user):
    someone = member()
    response = ambassador_client.post(URL, {**FOR_MEMBER, "email": someone.email.upper()})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.member, case.raised_by, case.source) == (someone, ambassador_user, "signal")
    # The name stays as the ambassador typed it: the account's name is the cell's to see.
    assert case.contact_name == "Sophie"


def test_signal_about_someone_without_an_account(ambassador_client):
    assert ambassador_client.post(URL, FOR_OTHER).status_code == 302
    case = Case.objects.get()
    assert case.contact_name == "Jan Peeters" and case.contact_phone == "+3292657000"
    assert (case.region, case.language, case.urgency) == ("VOV", "nl", 3)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**FOR_OTHER, "agreement_confirmed": ""}, "agreement_confirmed"),
        ({**FOR_OTHER, "phone": "0000"}, "phone"),
        ({**FOR_OTHER, "phone": "", "email": "nope@"}, "email"),
        ({**FOR_OTHER, "phone": "", "email": ""}, "phone"),
        ({**FOR_OTHER, "name": ""}, "name"),
        ({**FOR_OTHER, "note": "x" * 501}, "note"),
        ({**FOR_MEMBER, "email": ""}, "phone"),
        ({**FOR_OTHER, "name": "x" * 151}, "name"),
        ({**FOR_OTHER, "email": "x" * 250 + "@example.org"}, "email"),
        ({**FOR_OTHER, "language": "xx"}, "language"),
        ({**FOR_OTHER, "need": "<script>"}, "need"),
    ],
)
def test_bad_input_is_explained_and_nothing_written(ambassador_client, data, field):
    response = ambassador_client.post(URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_staff_account_is_not_a_member_to_link(ambassador_client):
    advisor = staff("advisor")
    response = ambassador_client.post(URL, {**FOR_MEMBER, "email": advisor.email})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.member is None and case.contact_email == advisor.email


def test_status_only_never_notes_nor_health_details(ambassador_client, ambassador_user):
    advisor = staff("advisor")
    case = case_in(
        "in_progress",
        advisor=advisor,
        source="signal",
        raised_by=ambassador_user,
        agreement_confirmed=True,
        message="AMBASSADOR-NOTE",
        needs=["addiction"],
    )
    services.note_add(case=case, actor=advisor, body="ADVISOR-PRIVATE")
    CaseFactory(source="signal", raised_by=staff("ambassador"), agreement_confirmed=True)
    response = ambassador_client.get("/en/listening-cell/my-signals/")
    page = response.content.decode()
    assert [s.reference for s in response.context["signals"]] == [case.reference]
    assert "Being handled by the listening cell" in page
    for secret in ("AMBASSADOR-NOTE", "ADVISOR-PRIVATE", "Alcohol", "addiction", "Oriented"):
        assert secret not in page


def test_the_signal_status_carries_no_health_fields(ambassador_user):
    from referrals.selectors import signals_for_ambassador

    CaseFactory(
        source="signal", raised_by=ambassador_user, agreement_confirmed=True, message="NOTE"
    )
    (signal,) = signals_for_ambassador(ambassador_user)
    assert set(vars(signal)) == {"reference", "person", "raised_at", "status", "label"}


def test_urgency_is_asked_as_the_ambassador_sees_it(ambassador_client):
    page = ambassador_client.get(URL).content.decode()
    assert "It seems urgent" in page
    # The member's own wording would put the ambassador in the person's place.
    assert "It is urgent for me" not in page


def test_the_signals_come_a_page_at_a_time(ambassador_client, ambassador_user):
    signals = [
        CaseFactory(source="signal", raised_by=ambassador_user, agreement_confirmed=True)
        for _ in range(27)
    ]
    newest_first = [case.reference for case in reversed(signals)]
    first = ambassador_client.get("/en/listening-cell/my-signals/")
    assert [s.reference for s in first.context["signals"]] == newest_first[:25]
    assert "page=2" in first.content.decode()
    second = ambassador_client.get("/en/listening-cell/my-signals/?page=2")
    assert [s.reference for s in second.context["signals"]] == newest_first[25:]
    tampered = ambassador_client.get("/en/listening-cell/my-signals/?page=%C2%B2")
    assert [s.reference for s in tampered.context["signals"]] == newest_first[:25]


# --- No probing of accounts; a daily limit ------------------------------------------------


def _answer(client, email: str) -> tuple[int, str, int, str]:
    """What the ambassador gets back: the post's status and target, the page it leads to,
    with the one thing that differs by design (the new case's reference) masked."""
    response = client.post(URL, {**FOR_MEMBER, "email": email})
    followed = client.get(response["Location"])
    page = re.sub(r"C-\d{5}", "C-#####", followed.content.decode())
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return response.status_code, response["Location"], followed.status_code, page


def test_the_answer_is_the_same_whether_the_address_has_an_account(client):
    someone = member(email="has.account@example.org")
    first, second = staff("ambassador"), staff("ambassador")
    client.force_login(first)
    with_account = _answer(client, someone.email)
    client.force_login(second)
    without_account = _answer(client, "no.account@example.org")
    assert with_account[:3] == without_account[:3] == (302, "/en/listening-cell/my-signals/", 200)
    # The pages differ only by the address typed, shown back as typed.
    assert with_account[3].replace("has.account", "X") == without_account[3].replace(
        "no.account", "X"
    )
    # The cell, not the ambassador, sees the link to the account.
    linked, unlinked = Case.objects.order_by("pk")
    assert linked.member == someone and unlinked.member is None


def test_the_ambassador_never_sees_the_accounts_name(ambassador_client):
    someone = member(first_name="Rosalie", last_name="Vandermeulen")
    ambassador_client.post(URL, {**FOR_MEMBER, "name": "Rosa", "email": someone.email})
    page = ambassador_client.get("/en/listening-cell/my-signals/").content.decode()
    assert "Rosa" in page
    assert "Rosalie" not in page and "Vandermeulen" not in page


def test_a_daily_limit_per_ambassador(ambassador_client, ambassador_user, settings):
    settings.REFERRALS_SIGNALS_PER_AMBASSADOR_PER_DAY = 2
    assert "You can pass on 2 more signals today." in ambassador_client.get(URL).content.decode()
    for n in range(2):
        response = ambassador_client.post(URL, {**FOR_OTHER, "name": f"Personne {n}"})
        assert response.status_code == 302
    refused = ambassador_client.post(URL, {**FOR_OTHER, "name": "Personne 3"})
    assert refused.status_code == 200
    assert "You have passed on 2 signals today, the most for one day." in (refused.content.decode())
    assert Case.objects.count() == 2
    # Another ambassador is not held back by this one's limit.
    other = staff("ambassador")
    ambassador_client.force_login(other)
    assert ambassador_client.post(URL, FOR_OTHER).status_code == 302


def test_over_the_limit_for_one_person_the_friendly_page_and_no_signal(ambassador_client, settings):
    settings.REFERRALS_SIGNAL_LIMIT_PER_CONTACT = "2/d"
    for _n in range(2):
        assert ambassador_client.post(URL, FOR_OTHER).status_code == 302
    response = ambassador_client.post(URL, {**FOR_OTHER, "phone": "+32 9 265 70 00"})
    assert response.status_code == 429
    assert Case.objects.count() == 2
    assert 'href="tel:' in response.content.decode()
    # Someone else can still be signalled.
    assert ambassador_client.post(URL, {**FOR_OTHER, "phone": "0470 00 00 01"}).status_code == 302


def test_over_the_limit_per_address_the_friendly_page(ambassador_client, settings):
    settings.REFERRALS_SIGNAL_LIMIT_PER_IP = "1/h"
    assert ambassador_client.post(URL, FOR_OTHER).status_code == 302
    response = ambassador_client.post(URL, {**FOR_OTHER, "phone": "0470 00 00 01"})
    assert response.status_code == 429
    assert Case.objects.count() == 1
