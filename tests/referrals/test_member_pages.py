"""A member asks to be contacted and follows where each request stands."""

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


def test_result_in_the_url_preselects_one_of_mine(member_client, member_user):
    mine = attached_result(member_user)
    response = member_client.get(f"{URL}?result={mine.pk}")
    assert response.context["form"]["result"].initial == mine.pk


# %C2%B2 is "²": a digit to str.isdigit(), not to int().
@pytest.mark.parametrize(
    "raw", ["abc", "-1", "999999", "1 OR 1=1", "", "%C2%B2", "99999999999999999999999"]
)
def test_anything_else_in_the_url_is_ignored(member_client, member_user, raw):
    attached_result(member_user)
    response = member_client.get(f"{URL}?result={raw}")
    assert response.status_code == 200
    assert response.context["form"]["result"].initial is None


def test_someone_elses_result_in_the_url_is_ignored(member_client, member_user):
    attached_result(member_user)
    other = attached_result(member())
    response = member_client.get(f"{URL}?result={other.pk}")
    assert response.context["form"]["result"].initial is None


def test_a_member_sends_a_request_with_a_result_and_consent(member_client, member_user):
    result = attached_result(member_user)
    response = member_client.post(
        URL, {**VALID, "result": str(result.pk), "share_with_partner": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/listening-cell/my-requests/"
    case = Case.objects.get()
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
