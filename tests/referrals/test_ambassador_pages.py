"""An ambassador passes on a signal and sees its status, never notes or health details."""

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
    "who": "member",
    "language": "fr",
    "need": "loneliness",
    "urgency": "2",
    "note": "Isolé depuis quelques mois.",
}

FOR_OTHER = {
    "agreement_confirmed": "on",
    "who": "other",
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
    response = ambassador_client.post(URL, {**FOR_MEMBER, "member_email": someone.email.upper()})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.member, case.raised_by, case.source) == (someone, ambassador_user, "signal")


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
        ({**FOR_MEMBER, "member_email": "nobody@example.org"}, "member_email"),
        ({**FOR_MEMBER, "member_email": ""}, "member_email"),
        ({**FOR_OTHER, "need": "<script>"}, "need"),
    ],
)
def test_bad_input_is_explained_and_nothing_written(ambassador_client, data, field):
    response = ambassador_client.post(URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_staff_account_is_not_a_member_to_signal(ambassador_client):
    advisor = staff("advisor")
    response = ambassador_client.post(URL, {**FOR_MEMBER, "member_email": advisor.email})
    assert "member_email" in response.context["form"].errors


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
