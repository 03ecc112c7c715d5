"""Guest callbacks: the "Talk to someone" page, a case with no account, its limits, and
attaching it to the account opened later."""

import uuid
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from common.helplines import HELP_LINES
from members.roles import Role
from referrals import guest
from referrals.choices import CaseStatus, EventKind, Source, Urgency
from referrals.guest_views import SESSION_KEY
from referrals.models import Case
from tests.factories import UserFactory, member, staff

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

TALK = "/en/listening-cell/talk/"
SENT = "/en/listening-cell/talk/sent/"


def form_data(**overrides) -> dict:
    data = {
        "name": "Alex",
        "phone": "0470 12 34 56",
        "email": "",
        "when": "today",
        "language": "fr",
        "urgency": "2",
        "note": "Après 18 h, pas de message.",
        "token": str(uuid.uuid4()),
        "website": "",
    }
    data.update(overrides)
    return data


def create(**overrides):
    fields = {
        "name": "Alex",
        "phone": "0470 12 34 56",
        "email": "",
        "when": "today",
        "language": "fr",
        "urgency": Urgency.MEDIUM,
        "note": "",
        "token": uuid.uuid4(),
    }
    fields.update(overrides)
    return guest.guest_callback_create(**fields)


# --- Service ----------------------------------------------------------------------------------


def test_a_guest_case_joins_the_queue_with_contact_details_only():
    case, created = create(email="Alex@Example.ORG ")
    assert created
    case.refresh_from_db()
    assert case.source == Source.GUEST
    assert case.member is None
    assert case.status == CaseStatus.NEW
    assert case.contact_name == "Alex"
    assert case.contact_phone == "+32470123456"
    assert case.contact_email == "Alex@example.org"
    assert case.preferred_channel == "phone"
    assert case.time_slots == ["today"]
    assert list(case.needs.all()) == []
    assert case.first_contact_due > case.created_at
    event = case.events.get()
    assert (event.kind, event.actor, event.data["source"]) == (EventKind.CREATED, None, "guest")


def test_the_same_form_sent_twice_opens_one_case():
    token = uuid.uuid4()
    first, created = create(token=token)
    again, created_again = create(token=token, name="Someone else")
    assert created and not created_again
    assert again.pk == first.pk
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "", "email": "not-an-address"}, "email"),
        ({"name": "   "}, "name"),
        ({"name": "A" * 61}, "name"),
        ({"language": "de"}, "language"),
        ({"when": "midnight"}, "when"),
        ({"urgency": 9}, "urgency"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_the_service_refuses_bad_input_on_its_field(overrides, field):
    with pytest.raises(ValidationError) as refused:
        create(**overrides)
    assert field in refused.value.error_dict
    assert not Case.objects.exists()


# --- The page and its form ----------------------------------------------------------------------


def test_the_page_shows_crisis_lines_then_the_cell_then_the_form(client, settings):
    settings.LISTENING_CELL_PHONE = "02 000 12 34"
    settings.REFERRALS_CELL_OPENS, settings.REFERRALS_CELL_CLOSES = "08:30", "18:00"
    html = client.get(TALK).content.decode()
    crisis = html.index(f'href="{HELP_LINES[0].tel_uri}"')
    cell = html.index('href="tel:020001234"')
    form = html.index('name="name"')
    assert crisis < cell < form
    # The hours the urgent deadlines are counted in, said in the page's language.
    assert "Monday to Friday, 8:30 a.m. to 6 p.m., except public holidays" in html
    for line in HELP_LINES:
        assert f'href="{line.tel_uri}"' in html


def test_a_visitor_is_called_back_without_an_account(client):
    response = client.post(TALK, form_data())
    assert response.status_code == 302
    assert response.url == SENT
    case = Case.objects.get()
    page = client.get(SENT).content.decode()
    assert case.reference in page
    assert f'href="{HELP_LINES[0].tel_uri}"' in page


def test_an_urgent_guest_reads_the_crisis_lines_first(client):
    client.post(TALK, form_data(urgency="3"))
    page = client.get(SENT).content.decode()
    main = page[page.index("<main") :]
    assert main.index(f'href="{HELP_LINES[0].tel_uri}"') < main.index(Case.objects.get().reference)


def test_a_double_tap_opens_one_case_and_shows_the_same_reference(client):
    data = form_data()
    client.post(TALK, data)
    response = client.post(TALK, data)
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert Case.objects.get().reference in client.get(SENT).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "", "email": ""}, "phone", "Give a phone number or an e-mail address"),
        ({"phone": "12345"}, "phone", "Enter a valid phone number"),
        ({"phone": "", "email": "nobody@"}, "email", "Enter a valid email address"),
        ({"name": ""}, "name", "Give a first name or a pseudonym"),
        ({"name": "A" * 500}, "name", "at most 60 characters"),
        ({"phone": "0" * 5000}, "phone", "at most 30 characters"),
        ({"note": "x" * 5000}, "note", "at most 300 characters"),
        ({"language": "xx"}, "language", "Select a valid choice"),
        ({"urgency": "7"}, "urgency", "Select a valid choice"),
        ({"when": "<b>x</b>"}, "when", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_keeps_what_was_typed(
    client, overrides, field, message
):
    data = form_data(**{"note": "Après 18 h", **overrides})
    response = client.post(TALK, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert not Case.objects.exists()
    html = response.content.decode()
    # What the person typed is still there.
    if field != "name":
        assert 'value="Alex"' in html
    if field != "note":
        assert "Après 18 h" in html


def test_a_forged_token_is_replaced_not_refused(client):
    response = client.post(TALK, form_data(token="../../etc"))
    assert response.status_code == 302
    assert Case.objects.get().submission_token is not None


def test_the_confirmation_shows_nothing_without_a_case_of_this_browser(client):
    case = CaseFactory(source=Source.GUEST, member=None, contact_name="Someone")
    assert client.get(SENT).url == TALK
    session = client.session
    session[SESSION_KEY] = "1 OR 1=1"
    session.save()
    assert client.get(SENT).url == TALK
    assert case.reference  # the case exists; only its own browser sees its reference


def test_the_honeypot_records_nothing_and_shows_the_numbers(client):
    response = client.post(TALK, form_data(website="http://spam.example"))
    assert response.status_code == 429
    assert not Case.objects.exists()
    assert 'href="tel:' in response.content.decode()


def test_a_member_is_led_to_their_own_request_form(client, member_user):
    client.force_login(member_user)
    html = client.get(TALK).content.decode()
    assert reverse("referrals:request-create") in html
    assert 'name="name"' not in html
    client.post(TALK, form_data())
    assert not Case.objects.exists()


# --- Rate limits ------------------------------------------------------------------------------------


def test_over_the_ip_limit_the_friendly_page_and_no_case(client, settings):
    settings.REFERRALS_GUEST_LIMIT_PER_IP = "3/h"
    for n in range(3):
        response = client.post(TALK, form_data(phone=f"0470 12 34 5{n}"))
        assert response.status_code == 302
    response = client.post(TALK, form_data(phone="0470 99 99 99"))
    assert response.status_code == 429
    assert Case.objects.count() == 3
    html = response.content.decode()
    assert "Please call us" in html
    assert 'href="tel:020001234"' in html
    assert f'href="{HELP_LINES[0].tel_uri}"' in html


def test_over_the_limit_for_one_number_the_friendly_page_and_no_case(client, settings):
    settings.REFERRALS_GUEST_LIMIT_PER_CONTACT = "2/d"
    for _n in range(2):
        assert client.post(TALK, form_data(phone="0470 12 34 56")).status_code == 302
    # The same number written another way is the same number.
    response = client.post(TALK, form_data(phone="+32 470 12 34 56"))
    assert response.status_code == 429
    assert Case.objects.count() == 2
    # Another number from the same place still goes through.
    assert client.post(TALK, form_data(phone="0471 00 00 00")).status_code == 302


def test_over_the_limit_for_one_address_whatever_its_case(client, settings):
    settings.REFERRALS_GUEST_LIMIT_PER_CONTACT = "1/d"
    assert client.post(TALK, form_data(phone="", email="alex@example.org")).status_code == 302
    response = client.post(TALK, form_data(phone="", email="ALEX@example.org"))
    assert response.status_code == 429
    assert Case.objects.count() == 1


def test_a_cache_that_cannot_count_lets_the_request_through(client, caplog):
    with mock.patch(
        "django_ratelimit.core.caches",
        {"default": mock.Mock(add=mock.Mock(side_effect=RedisConnectionError("down")))},
    ):
        response = client.post(TALK, form_data())
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert "cache is unavailable" in caplog.text


def test_redis_stopped_lets_the_request_through(client, settings, caplog):
    # A real Redis client to a port where nothing listens: what a stopped Redis looks like.
    # (Under its own alias, so the suite's cache.clear() still works around the test.)
    settings.CACHES = {
        **settings.CACHES,
        "stopped": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.RATELIMIT_USE_CACHE = "stopped"
    response = client.post(TALK, form_data())
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert "cache is unavailable" in caplog.text


# --- The header control --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language,label",
    [("fr", "Parler à quelqu"), ("nl", "Met iemand praten"), ("en", "Talk to someone")],
)
def test_every_header_has_the_control_for_visitors(client, language, label):
    html = client.get(f"/{language}/").content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert f'href="/{language}/listening-cell/talk/"' in header
    assert label in header
    # Outside the collapsed menu, so a phone shows it on the first screen.
    collapsed = header[header.index('id="main-nav"') :]
    assert "/listening-cell/talk/" not in collapsed


@pytest.mark.parametrize(
    "role", [Role.MEMBER, Role.AMBASSADOR, Role.ADVISOR, Role.PROGRAMME_MANAGER]
)
def test_every_header_has_the_control_for_signed_in_people(client, role):
    user = member() if role == Role.MEMBER else staff(role)
    client.force_login(user)
    for url in ("/en/", "/en/listening-cell/partners/", "/en/me/profile/"):
        html = client.get(url, follow=True).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        assert 'href="/en/listening-cell/talk/"' in header, url


# --- Attaching a guest case to an account ----------------------------------------------------------


def test_a_member_attaches_the_case_sent_with_their_confirmed_address(client):
    case, _ = create(email="alex@example.org")
    alex = member(email="Alex@example.org")
    client.force_login(alex)
    page = client.get("/en/listening-cell/my-requests/").content.decode()
    assert case.reference in page
    response = client.post(f"/en/listening-cell/my-requests/attach/{case.pk}/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.member == alex
    assert case.events.filter(kind=EventKind.ATTACHED, actor=alex).exists()
    page = client.get("/en/listening-cell/my-requests/").content.decode()
    assert "Attach it to my account" not in page


def test_an_unconfirmed_address_attaches_nothing():
    case, _ = create(email="alex@example.org")
    alex = member(email="alex@example.org")
    EmailAddress.objects.filter(user=alex).update(verified=False)
    assert not guest.guest_cases_to_attach(alex).exists()
    with pytest.raises(ValidationError):
        guest.guest_case_attach(member=alex, case_id=case.pk)
    case.refresh_from_db()
    assert case.member is None


def test_forged_ids_attach_nothing(client):
    mine, _ = create(email="alex@example.org")
    theirs, _ = create(email="sam@example.org", token=uuid.uuid4())
    request = CaseFactory(member=member(email="sam2@example.org"))
    alex = member(email="alex@example.org")
    client.force_login(alex)
    for pk in (theirs.pk, request.pk, 0, 99999999):
        response = client.post(f"/en/listening-cell/my-requests/attach/{pk}/", follow=True)
        assert response.status_code == 200
        assert "cannot be attached" in response.content.decode()
    assert client.get(f"/en/listening-cell/my-requests/attach/{mine.pk}/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.member is None


def test_only_a_member_may_attach():
    case, _ = create(email="amb@example.org")
    ambassador = UserFactory(email="amb@example.org", roles=[Role.AMBASSADOR])
    with pytest.raises(PermissionDenied):
        guest.guest_case_attach(member=ambassador, case_id=case.pk)


def test_the_requests_page_reads_guest_cases_in_a_fixed_number_of_queries(client):
    alex = member(email="alex@example.org")
    client.force_login(alex)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/en/listening-cell/my-requests/").status_code == 200
        return len(context.captured_queries)

    create(email="alex@example.org")
    one = queries()
    for _n in range(5):
        create(email="alex@example.org", token=uuid.uuid4(), phone="")
    assert queries() == one


# --- What the advisor sees -------------------------------------------------------------------------


def test_the_advisor_sees_a_guest_badge_and_the_contact_details(advisor_client):
    case, _ = create(email="alex@example.org", note="Après 18 h")
    queue = advisor_client.get("/en/listening-cell/queue/").content.decode()
    assert "Guest" in queue
    assert 'href="tel:+32470123456"' in queue
    assert "alex@example.org" in queue
    page = advisor_client.get(f"/en/listening-cell/cases/{case.pk}/").content.decode()
    assert "Guest — no account" in page
    assert "Today, as soon as possible" in page
    assert "Après 18 h" in page
    assert "the person, as a guest" in page
