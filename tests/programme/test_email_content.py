"""What each programme e-mail says, in French and in Dutch, rendered as the worker renders
it; and the unsubscribe link of each kind that can be turned off.

The French and Dutch catalogues are filled in at the end, so these tests assert on
language-neutral facts: the module's title, the date as each language writes it, the
links (with their language prefix), the headers and the HTML's lang.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from notifications.preferences import preferences_of
from notifications.services import preference_set, preferences_set
from programme import emails, services
from programme.models import Session
from programme.planners import plan_session_reminders
from surveys import emails as survey_emails
from surveys import services as survey_services
from surveys.models import Audience
from surveys.planners import plan_survey_invitations
from tests.programme.factories import ModuleFactory, SessionFactory
from tests.programme.helpers import deliveries, enrol, person, render

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
STARTS = datetime(2026, 3, 10, 14, 30, tzinfo=BRUSSELS)
TITLE = "Dormir mieux quand on dirige"
JOIN = "https://visio.example.org/dormir-1"
DATES = {"fr": "mardi 10 mars 2026", "nl": "dinsdag 10 maart 2026"}
BASE = "https://bien-etre.example.org"


@pytest.fixture
def clock(time_machine):
    def move(moment):
        time_machine.move_to(moment, tick=False)

    move(datetime(2026, 3, 1, 9, 0, tzinfo=BRUSSELS))
    return move


def webinar(**fields):
    return SessionFactory(
        module=ModuleFactory(title=TITLE, format="webinar", slug="dormir-mieux"),
        starts_at=STARTS,
        ends_at=STARTS + timedelta(minutes=90),
        join_url=JOIN,
        **fields,
    )


# Each returns the delivery to render, after bringing the data to the moment it is sent.


def confirmation(user, clock):
    enrol(webinar(), user)
    return deliveries(emails.ENROLMENT_CONFIRMED).get(recipient=user)


def waitlist(user, clock):
    session = webinar(capacity=1)
    enrol(session, person())
    enrol(session, user)
    return deliveries(emails.WAITLIST_JOINED).get(recipient=user)


def promotion(user, clock):
    session, holder = webinar(capacity=1), person()
    seat = enrol(session, holder)
    enrol(session, user)
    services.enrolment_cancel(enrolment_id=seat.pk, user=holder)
    return deliveries(emails.WAITLIST_PROMOTED).get(recipient=user)


def cancellation(user, clock):
    session = webinar()
    enrol(session, user)
    manager = person()
    services.session_cancel(session_id=session.pk, reason="Formatrice malade", actor=manager)
    return deliveries(emails.SESSION_CANCELLED).get(recipient=user)


def change(user, clock):
    session = webinar()
    enrol(session, user)
    later = STARTS + timedelta(hours=2)  # it now ends half an hour later
    services.session_update(session_id=session.pk, ends_at=later, actor=person())
    return deliveries(emails.SESSION_CHANGED).get(recipient=user)


def reminder_day(user, clock):
    enrol(webinar(), user)
    clock(STARTS - timedelta(hours=23))
    plan_session_reminders(now=STARTS - timedelta(hours=23))
    return deliveries(emails.REMINDER_DAY).get(recipient=user)


def reminder_hour(user, clock):
    enrol(webinar(), user)
    clock(STARTS - timedelta(minutes=30))
    plan_session_reminders(now=STARTS - timedelta(minutes=30))
    return deliveries(emails.REMINDER_HOUR).get(recipient=user)


def survey(user, clock):
    enrol(webinar(), user)
    after = STARTS + timedelta(hours=6)
    clock(after)
    plan_survey_invitations(now=after)
    return deliveries(survey_emails.SURVEY_INVITATION).get(recipient=user)


def campaign(user, clock):
    preference_set(user=user, category="programme_news", enabled=True)
    created = survey_services.campaign_create(
        title="Votre avis sur le programme",
        intro="Trois minutes pour nous aider.",
        audience=Audience.ALL,
        questions=[survey_services.QuestionSpec("Le programme vous aide-t-il ?", "scale")],
        schedule=True,
    )
    survey_services.campaign_fan_out(campaign_id=created.pk)
    return deliveries(survey_emails.CAMPAIGN_INVITATION).get(recipient=user)


# kind: (set-up, links the e-mail must carry, whether it can be turned off)
KINDS = {
    emails.ENROLMENT_CONFIRMED: (confirmation, ["sessions/{pk}/", "sessions/{pk}/calendar.ics"]),
    emails.WAITLIST_JOINED: (waitlist, ["sessions/{pk}/"]),
    emails.WAITLIST_PROMOTED: (promotion, ["sessions/{pk}/", "sessions/{pk}/calendar.ics"]),
    emails.SESSION_CANCELLED: (cancellation, ["modules/dormir-mieux/"]),
    emails.SESSION_CHANGED: (change, ["sessions/{pk}/", "sessions/{pk}/calendar.ics"]),
    emails.REMINDER_DAY: (reminder_day, ["sessions/{pk}/"]),
    emails.REMINDER_HOUR: (reminder_hour, [JOIN]),
    survey_emails.SURVEY_INVITATION: (survey, ["feedback/"]),
    survey_emails.CAMPAIGN_INVITATION: (campaign, ["survey/"]),
}
SERVICE_KINDS = {
    emails.ENROLMENT_CONFIRMED,
    emails.WAITLIST_JOINED,
    emails.WAITLIST_PROMOTED,
    emails.SESSION_CANCELLED,
    emails.SESSION_CHANGED,
}
SWITCHES = {
    emails.REMINDER_DAY: "session_reminders",
    emails.REMINDER_HOUR: "session_reminders",
    survey_emails.SURVEY_INVITATION: "surveys",
    survey_emails.CAMPAIGN_INVITATION: "programme_news",
}


def link(template: str, language: str) -> str:
    if "://" in template:
        return template
    session = Session.objects.filter(module__slug="dormir-mieux").first()
    return f"{BASE}/{language}/programme/" + template.format(pk=session.pk if session else 0)


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_each_email_in_french_and_dutch(kind, language, clock):
    set_up, links = KINDS[kind]
    user = person(language=language, first_name="Camille")
    delivery = set_up(user, clock)
    email = render(delivery)

    assert email.language == language
    assert email.address == user.email
    assert f'<html lang="{language}"' in email.html
    assert f'href="{BASE}/{language}/"' in email.html
    assert "Camille" in email.text
    if kind == survey_emails.CAMPAIGN_INVITATION:
        assert "Votre avis sur le programme" in email.subject
        assert "Trois minutes pour nous aider." in email.text
    else:
        assert TITLE in email.subject
        assert TITLE in email.text and TITLE in email.html
        # The session's date as the language writes it, in Brussels time.
        assert DATES[language] in email.text
        assert DATES[language] in email.html
        assert "14:30" in email.text
    for expected in links:
        url = link(expected, language)
        assert url in email.text, url
        assert f'href="{url}' in email.html, url
    assert email.headers["Auto-Submitted"] == "auto-generated"
    assert email.headers["Message-ID"].startswith(f"<delivery.{delivery.pk}.")
    # Help lines in every e-mail.
    assert "1813" in email.text and "1813" in email.html


@pytest.mark.parametrize("kind", sorted(SERVICE_KINDS))
def test_service_messages_cannot_be_turned_off_and_carry_no_unsubscribe_link(kind, clock):
    user = person(language="nl")
    email = render(KINDS[kind][0](user, clock))
    assert "List-Unsubscribe" not in email.headers
    assert "/unsubscribe/" not in email.text + email.html


@pytest.mark.parametrize("kind", list(SWITCHES))
def test_the_unsubscribe_link_turns_off_the_right_switch(kind, clock):
    user = person(language="nl")
    preferences_set(
        user=user, choices={"session_reminders": True, "surveys": True, "programme_news": True}
    )
    email = render(KINDS[kind][0](user, clock))
    header = email.headers["List-Unsubscribe"]
    assert header.startswith(f"<{BASE}/nl/messages/unsubscribe/")
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url in email.text
    assert f'href="{url}"' in email.html

    # A mail client's RFC 8058 one-click POST: no session, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(url).path, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    switches = preferences_of(user, set(SWITCHES.values()))
    assert switches == {name: name != SWITCHES[kind] for name in switches}
