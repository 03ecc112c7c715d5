"""What a re-assessment invitation says, in French and Dutch, rendered by notifications:
the instrument's own name in the member's language, the day they last took it, links to
the questionnaire and to their invitation settings, and never a score or a band. Its
unsubscribe link turns the members' switch for these invitations off.

The French and Dutch catalogues are filled in at the end, so these tests assert on
language-neutral facts: names from the instrument data, dates as Django formats them in
that language, links, the HTML's lang, headers.
"""

import re
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.utils import formats, translation

from assessments.instruments import get_current
from assessments.instruments.definitions import LANGUAGES
from assessments.models import AssessmentResult
from members.models import Consent
from members.roles import Role
from notifications.models import DeliveryStatus
from notifications.preferences import preference_enabled
from tests.emails import BASE, brussels, html_of, one_click, send_due
from tests.factories import staff

from .factories import keep_result
from .invitations import DUE_ON, NOW, invitation_mails, invitations, member_with_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

URL = re.compile(r"https?://\S+")


def without_links(body: str) -> str:
    # Signed tokens in links are random letters and digits: a score could hide there.
    return URL.sub("", body)


def health_data_absent(body: str, result) -> None:
    """No score, band, subscale or answer of the result in the e-mail."""
    instrument = result.definition
    band = instrument.band(result.band)
    visible = without_links(body)
    for text in (band.label, band.summary):
        for language in ("fr", "nl", "en"):
            assert text.get(language) not in body
    # As the portal writes scores (68 %, 2.83 or 2,83); pick results whose score is not a
    # number the template holds anyway (a 2-minute questionnaire, 4px in the style sheet).
    score = f"{result.score.normalize():f}"
    assert len(score) > 1
    for shown in {score, score.replace(".", ","), f"{result.score}"}:
        assert not re.search(rf"(?<![\d.,]){re.escape(shown)}(?![\d])", visible), shown
    for subscale in instrument.subscales:
        assert subscale.label.get("fr") not in body and subscale.label.get("nl") not in body
    for item in instrument.items:
        assert item.text.get("fr") not in body and item.text.get("nl") not in body


def who5_names_absent(text: str) -> bool:
    return all(get_current("who-5").name.get(language) not in text for language in LANGUAGES)


@pytest.mark.parametrize("language", ["fr", "nl"])
@time_machine.travel(NOW, tick=False)
def test_the_invitation_in_the_members_language(language):
    plan, result = member_with_plan(language, code="who-5", band="low")
    send_due()
    [message] = invitation_mails(plan.user)
    html, text = html_of(message), message.body
    who5 = get_current("who-5")

    assert message.to == [plan.user.email]
    # The subject stays in the message log that programme managers read: no instrument.
    assert "WHO-5" not in message.subject and who5_names_absent(message.subject)
    assert f'<html lang="{language}"' in html
    # The instrument as its data names it in that language, in both parts.
    assert who5.name.get(language) in html and who5.name.get(language) in text
    other = "nl" if language == "fr" else "fr"
    assert who5.name.get(other) not in html
    # The day they last took it, as Django writes dates in that language.
    with translation.override(language):
        last_taken = formats.date_format(date(2026, 11, 15), "j F Y")
    assert last_taken in html and last_taken in text
    assert '<time datetime="2026-11-15">' in html
    # To the questionnaire, and to the page where the interval is changed or stopped.
    take = f"{BASE}/{language}/self-assessments/who-5/"
    settings_page = f"{BASE}/{language}/self-assessments/history/#history-who-5"
    assert f'href="{take}"' in html and take in text
    assert f'href="{settings_page}"' in html and settings_page in text
    health_data_absent(html, result)
    health_data_absent(text, result)
    health_data_absent(message.subject, result)
    delivery = invitations()[0]
    assert (delivery.status, delivery.language) == (DeliveryStatus.SENT, language)


@pytest.mark.parametrize("language", ["fr", "nl"])
@time_machine.travel(NOW, tick=False)
def test_no_score_band_or_subscale_of_a_burnout_result(language):
    plan, result = member_with_plan(language, code="bat-12", band="at-risk")
    send_due()
    [message] = invitation_mails(plan.user)
    assert get_current("bat-12").name.get(language) in message.body
    health_data_absent(html_of(message), result)
    health_data_absent(message.body, result)


@time_machine.travel(NOW, tick=False)
def test_the_one_click_unsubscribe_turns_the_invitations_off(client):
    plan, _result = member_with_plan("nl")
    send_due()
    [message] = invitation_mails(plan.user)
    header = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert header.startswith(f"{BASE}/nl/messages/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The same signed link is in both parts, for people rather than mail clients.
    assert f'href="{header}"' in html_of(message) and header in message.body

    assert one_click(client, message) == 200
    assert preference_enabled(plan.user, "reassessment") is False
    # Only this kind of message: the member's other switches are as they were.
    assert preference_enabled(plan.user, "session_reminders") is True

    # Two months on, the plan is due again: nothing is recorded, nothing is sent.
    plan.refresh_from_db()
    with time_machine.travel(f"{plan.next_due_on.isoformat()} 11:00 +01:00", tick=False):
        send_due()
    assert len(invitations()) == 1
    assert len(mail.outbox) == 1
    assert plan.next_due_on > DUE_ON


@time_machine.travel(NOW, tick=False)
def test_the_managers_message_log_says_nothing_of_the_members_self_assessments(client):
    """Sent and skipped invitations are listed for programme managers, who may not learn
    which questionnaire a member keeps results of, nor what they did with them."""
    sent, _result = member_with_plan("fr", code="loneliness-3", band="lonely")
    deleted, _result = member_with_plan("nl", code="pss-10", band="high")
    retaken, _result = member_with_plan("fr", code="bat-12", band="at-risk")
    withdrawn, _result = member_with_plan("nl", code="sci-8", band="sleep-under-pressure")
    with time_machine.travel("2027-01-15 08:00 +01:00", tick=False):
        send_due()  # recorded, due at ten
    AssessmentResult.objects.filter(user=deleted.user).delete()
    keep_result(retaken.user, "bat-12", "low-risk", when=brussels(2027, 1, 15, 9))
    Consent.objects.filter(user=withdrawn.user).update(withdrawn_at=brussels(2027, 1, 15, 9))
    send_due()
    assert sorted(d.status for d in invitations()) == ["sent"] + ["skipped"] * 3

    client.force_login(staff(Role.PROGRAMME_MANAGER))
    page = client.get("/en/messages/staff/deliveries/?status=").content.decode()
    for plan in (sent, deleted, retaken, withdrawn):
        assert plan.user.email in page
        instrument = get_current(plan.instrument)
        assert instrument.short_name not in page
        for language in LANGUAGES:
            assert instrument.name.get(language) not in page
    for telling in ("delete", "consent", "took it", "again after"):
        assert telling not in page.lower()
