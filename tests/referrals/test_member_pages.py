"""A member asks to be contacted and follows where each request stands."""

import re

import pytest

from members.consents import ConsentKind
from members.models import Consent
from referrals.models import Case, CaseAccess
from tests.factories import member

from .factories import CaseFactory, PartnerFactory, attached_result
from .helpers import case_in

pytestmark = pytest.mark.django_db

URL = "/en/listening-cell/request/"

VALID = {
    "needs": ["stress", "sleep"],
    "urgency": "2",
    "channel": "phone",
    "time_slots": ["morning"],
    "phone": "0470 12 34 56",
    "email": "",
    "language": "fr",
    "message": "Depuis la perte d'un gros client, je dors mal.",
}


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


def test_the_form_offers_the_members_own_results_only(member_client, member_user):
    mine = attached_result(member_user)
    other = attached_result(member())
    form = member_client.get(URL).context["form"]
    offered = [choice.value for choice, _label in form.fields["result"].choices if choice]
    assert offered == [mine.pk]
    assert other.pk != mine.pk


def test_result_in_the_url_opens_the_choice_without_making_it(member_client, member_user):
    mine = attached_result(member_user)
    response = member_client.get(f"{URL}?result={mine.pk}")
    assert response.context["offered_result"] == mine.pk
    assert response.context["form"]["result"].initial == ""
    page = response.content.decode()
    assert 'id="tell-us-more" open' in page
    assert re.search(r"<input[^>]*name=\"result\"[^>]*value=\"\"[^>]*checked", page)


# %C2%B2 is "²": a digit to str.isdigit(), not to int().
@pytest.mark.parametrize(
    "raw", ["abc", "-1", "999999", "1 OR 1=1", "", "%C2%B2", "99999999999999999999999"]
)
def test_anything_else_in_the_url_is_ignored(member_client, member_user, raw):
    attached_result(member_user)
    response = member_client.get(f"{URL}?result={raw}")
    assert response.status_code == 200
    assert response.context["offered_result"] is None


def test_someone_elses_result_in_the_url_is_ignored(member_client, member_user):
    attached_result(member_user)
    other = attached_result(member())
    response = member_client.get(f"{URL}?result={other.pk}")
    assert response.context["offered_result"] is None


def test_a_member_sends_a_request_with_a_result_and_consent(member_client, member_user):
    result = attached_result(member_user)
    response = member_client.post(
        URL, {**VALID, "result": str(result.pk), "share_with_partner": "on"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/en/listening-cell/request/{case.pk}/sent/"
    assert case.member == member_user and case.assessment_result == result
    assert case.sharing_consent.kind == ConsentKind.PARTNER_SHARING
    assert case.contact_phone == "+32470123456"
    assert case.time_slots == ["morning"]


def test_posting_someone_elses_result_is_refused(member_client, member_user):
    attached_result(member_user)
    other = attached_result(member())
    response = member_client.post(URL, {**VALID, "result": str(other.pk)})
    assert response.status_code == 200
    assert response.context["form"].errors["result"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "<b>0470</b>"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"channel": "email", "email": "not-an-address"}, "email"),
        ({"message": "x" * 2001}, "message"),
        ({"needs": []}, "needs"),
        ({"needs": ["made-up"]}, "needs"),
        ({"urgency": "9"}, "urgency"),
        ({"channel": "pigeon"}, "channel"),
        ({"language": "xx"}, "language"),
        ({"time_slots": ["midnight"]}, "time_slots"),
        ({"phone": "0" * 31}, "phone"),
    ],
)
def test_bad_input_is_explained_and_nothing_written(member_client, change, field):
    response = member_client.post(URL, {**VALID, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="invalid-feedback' in response.content.decode() or "is-invalid" in (
        response.content.decode()
    )
    assert not Case.objects.exists() and not Consent.objects.exists()
    # A correction in the optional part opens it, so the message is seen.
    if field not in response.context["form"].ESSENTIAL:
        assert 'id="tell-us-more" open' in response.content.decode()


def test_html_in_the_message_is_kept_as_text_and_shown_inert(
    member_client, member_user, advisor_user, client
):
    member_client.post(URL, {**VALID, "message": '<script>alert("x")</script><b>bold</b>'})
    case = Case.objects.get()
    assert case.message == '<script>alert("x")</script><b>bold</b>'
    client.force_login(advisor_user)
    page = client.get(f"/en/listening-cell/cases/{case.pk}/").content.decode()
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_my_requests_show_status_and_partners_but_no_notes(member_client, member_user):
    from referrals import services
    from tests.factories import staff

    advisor = staff("advisor")
    case = case_in("in_progress", advisor=advisor, member=member_user)
    services.note_add(case=case, actor=advisor, body="PRIVATE-NOTE-TEXT")
    partner = PartnerFactory(name="Un pass dans l'impasse", phone="081 77 71 71")
    services.referral_create(case=case, actor=advisor, partners=[partner], mode="information")
    page = member_client.get("/en/listening-cell/my-requests/").content.decode()
    assert "Oriented" in page
    assert "Un pass dans l&#x27;impasse" in page and "081 77 71 71" in page
    assert "PRIVATE-NOTE-TEXT" not in page
    # Reading one's own case is not a staff read.
    assert not CaseAccess.objects.exists()


def test_my_requests_never_list_other_members_cases(member_client, member_user):
    CaseFactory(member=member(), message="SOMEONE-ELSE")
    mine = CaseFactory(member=member_user)
    response = member_client.get("/en/listening-cell/my-requests/")
    assert [c.pk for c in response.context["cases"]] == [mine.pk]


def test_the_confirmation_says_the_configured_deadline(member_client, settings):
    settings.REFERRALS_FIRST_CONTACT_WORKING_DAYS = 3
    response = member_client.post(URL, VALID, follow=True)
    assert "within 3 working days" in response.content.decode()


# --- Attaching a result is opt-in; detaching one -------------------------------------------


def test_dont_attach_a_result_is_the_default_and_results_are_told_apart(member_client, member_user):
    from referrals.forms import result_label

    attached_result(member_user, band="low")
    attached_result(member_user, acute=True, score=20, band="very-low")
    response = member_client.get(URL)
    field = response.context["form"]["result"]
    assert field.initial == ""
    labels = [str(label) for _value, label in field.field.choices]
    assert labels[0] == "Don't attach a result"
    assert len(set(labels)) == 3
    page = response.content.decode()
    assert re.search(r'<input[^>]*name="result"[^>]*value=""[^>]*checked', page)
    for result in member_user.assessment_results.all():
        assert result.band_label in result_label(result)
    # Sent as it is, the request carries no result.
    assert member_client.post(URL, VALID).status_code == 302
    assert Case.objects.get().assessment_result is None


def test_a_forged_result_id_is_explained_and_nothing_written(member_client, member_user):
    attached_result(member_user)
    for forged in ("999999", "abc", "-1"):
        response = member_client.post(URL, {**VALID, "result": forged})
        assert response.status_code == 200
        assert "Choose one of your own results" in response.content.decode()
    assert not Case.objects.exists()


def test_a_double_post_opens_one_case(member_client, member_user):
    first = member_client.post(URL, VALID)
    second = member_client.post(URL, VALID)
    case = Case.objects.get()
    assert first["Location"] == second["Location"] == f"/en/listening-cell/request/{case.pk}/sent/"
    # Another request, about something else, is a new case.
    member_client.post(URL, {**VALID, "needs": ["legal"]})
    assert Case.objects.count() == 2


def detach_url(case) -> str:
    return f"/en/listening-cell/my-requests/{case.pk}/detach-result/"


def test_a_member_detaches_a_result_from_an_open_request(member_client, member_user):
    from referrals.choices import EventKind

    result = attached_result(member_user)
    case = CaseFactory(member=member_user, assessment_result=result)
    page = member_client.get("/en/listening-cell/my-requests/").content.decode()
    assert "Detach this result" in page
    response = member_client.post(detach_url(case), follow=True)
    assert "The result is detached" in response.content.decode()
    case.refresh_from_db()
    assert case.assessment_result is None
    [event] = case.events.filter(kind=EventKind.RESULT_DETACHED)
    assert event.actor == member_user
    # The result itself stays in the member's history.
    result.refresh_from_db()
    # A second tap: a clear message, nothing more on the timeline.
    again = member_client.post(detach_url(case), follow=True)
    assert "No result is attached to this request." in again.content.decode()
    assert case.events.filter(kind=EventKind.RESULT_DETACHED).count() == 1


def test_detaching_is_refused_for_someone_elses_or_a_forged_case(member_client, member_user):
    other = member()
    case = CaseFactory(member=other, assessment_result=attached_result(other))
    assert member_client.post(detach_url(case)).status_code == 404
    assert (
        member_client.post("/en/listening-cell/my-requests/999999/detach-result/").status_code
        == 404
    )
    assert member_client.get(detach_url(case)).status_code == 405
    case.refresh_from_db()
    assert case.assessment_result is not None


def test_a_closed_request_keeps_its_result(member_client, member_user):
    from tests.factories import staff

    case = case_in(
        "closed",
        advisor=staff("advisor"),
        member=member_user,
        assessment_result=attached_result(member_user),
    )
    response = member_client.post(detach_url(case), follow=True)
    assert "This request is closed" in response.content.decode()
    case.refresh_from_db()
    assert case.assessment_result is not None
