"""E-mails in the recipient's language, HTML and text, with their unsubscribe link."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.utils import translation

from notifications.models import Delivery
from notifications.registry import register_kind, unregister
from notifications.rendering import render_delivery
from notifications.sending import delivery_send
from notifications.services import delivery_schedule
from tests.notifications import kinds
from tests.notifications.factories import person

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
STARTS_AT = datetime(2026, 3, 10, 14, 30, tzinfo=BRUSSELS)


def send_reminder(language: str):
    active = translation.get_language()
    user = person(language=language, first_name="Camille")
    delivery = delivery_schedule(
        kind=kinds.REMINDER,
        recipient=user,
        intent_key=f"enrolment:{language}",
        context={"workshop_id": 4, "starts_at": STARTS_AT.isoformat()},
    )
    delivery_send(delivery_id=delivery.pk)
    # The worker's own language is left as it was.
    assert translation.get_language() == active
    [message] = mail.outbox
    html = message.alternatives[0].content
    return user, delivery, message, html


@pytest.mark.parametrize(
    ("language", "weekday_and_month"),
    [("fr", "mardi 10 mars 2026, 14:30"), ("nl", "dinsdag 10 maart 2026, 14:30")],
)
def test_the_reminder_is_written_in_the_recipients_language(language, weekday_and_month):
    user, delivery, message, html = send_reminder(language)
    assert message.to == [user.email]
    assert f'<html lang="{language}"' in html
    # Dates come out in the recipient's language and in Brussels time.
    assert weekday_and_month in message.body
    assert weekday_and_month in html
    # Links point to the pages in that language, on the configured portal address.
    assert f"https://bien-etre.example.org/{language}/messages/unsubscribe/" in message.body
    assert f'href="https://bien-etre.example.org/{language}/"' in html
    delivery.refresh_from_db()
    assert delivery.language == language


def test_the_same_reminder_differs_between_french_and_dutch():
    *_, french, french_html = send_reminder("fr")
    mail.outbox.clear()
    *_, dutch, dutch_html = send_reminder("nl")
    assert french.body != dutch.body
    assert french_html != dutch_html


def test_text_part_is_not_html_escaped_and_html_part_is():
    _, _, message, html = send_reminder("fr")
    assert "Workshop #4 — l'après-midi <calme>" in message.subject
    assert "l'après-midi <calme>" in message.body
    assert "&lt;calme&gt;" in html
    assert "<calme>" not in html


def test_both_parts_carry_the_help_lines_and_the_unsubscribe_link():
    _, _, message, html = send_reminder("fr")
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert f'href="{unsubscribe}"' in html
    for number in ("0800 32 123", "1813", "112"):
        assert number in message.body
        assert number in html
    assert 'href="tel:080032123"' in html
    # The call to action the builder returned.
    assert 'href="https://bien-etre.example.org/fr/"' in html


@pytest.mark.parametrize(
    ("language", "first", "second"), [("fr", "0800 32 123", "1813"), ("nl", "1813", "0800 32 123")]
)
def test_the_help_line_in_the_recipients_language_comes_first(language, first, second):
    _, _, message, html = send_reminder(language)
    assert message.body.index(first) < message.body.index(second)
    assert html.index(first) < html.index(second)


def test_the_html_part_is_an_accessible_document_without_script():
    _, _, message, html = send_reminder("nl")
    assert html.startswith("<!doctype html>")
    assert re.search(r"<title>[^<]+</title>", html)
    assert html.count("<h1>") == 1
    assert "<script" not in html
    assert message.alternatives[0].mimetype == "text/html"


def test_the_message_id_is_stable_across_attempts():
    user = person()
    delivery = delivery_schedule(
        kind=kinds.REMINDER, recipient=user, intent_key="e:1", context={"workshop_id": 1}
    )
    first = render_delivery(Delivery.objects.get(pk=delivery.pk))
    second = render_delivery(Delivery.objects.get(pk=delivery.pk))
    assert first.headers["Message-ID"] == second.headers["Message-ID"]
    assert first.headers["Auto-Submitted"] == "auto-generated"


def test_service_messages_have_no_unsubscribe_link():
    user = person(language="nl")
    delivery = delivery_schedule(
        kind=kinds.NOTICE, recipient=user, intent_key="e:1", context={"workshop_id": 1}
    )
    delivery_send(delivery_id=delivery.pk)
    [message] = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/unsubscribe/" not in message.body
    assert "/unsubscribe/" not in message.alternatives[0].content


def test_every_registered_kind_has_its_category_and_templates():
    assert [error for error in run_checks() if error.id.startswith("notifications.")] == []


def test_the_checks_name_a_missing_template_and_an_unknown_category():
    register_kind(
        "tests.incomplete",
        label="Incomplete",
        category="no_such_category",
        template="tests_notifications/email/missing",
        build_context=lambda delivery: {},
    )
    try:
        ids = [error.id for error in run_checks() if error.id.startswith("notifications.")]
    finally:
        unregister(kind="tests.incomplete")
    assert ids.count("notifications.E001") == 1
    assert ids.count("notifications.E002") == 3
