"""The signed unsubscribe link: a page that asks, a POST that acts, the one-click POST of
RFC 8058, and a clear page for a broken link."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import DeliveryStatus, MessagePreference
from notifications.preferences import (
    STAFF_ALERTS,
    UNSUBSCRIBE_SALT,
    preference_enabled,
    unsubscribe_token,
    unsubscribe_url,
)
from notifications.registry import register_kind, unregister
from notifications.sending import delivery_send
from notifications.services import delivery_schedule
from tests.notifications.factories import person

pytestmark = pytest.mark.django_db


def link(user, category="session_reminders", language="en") -> str:
    token = unsubscribe_token(user_id=user.pk, category_code=category)
    with translation.override(language):
        return reverse("notifications:unsubscribe", args=[token])


@pytest.fixture
def csrf_client():
    """Mail clients and members arrive without a session or CSRF token."""
    return Client(enforce_csrf_checks=True)


def reminders_on(user) -> bool:
    return preference_enabled(user, "session_reminders")


def test_the_page_says_what_will_be_turned_off_and_changes_nothing(csrf_client):
    user = person()
    response = csrf_client.get(link(user))
    page = response.content.decode()
    assert response.status_code == 200
    assert "session reminders" in page
    assert 'name="action" value="unsubscribe"' in page
    assert 'name="robots" content="noindex"' in page
    assert reminders_on(user)


def test_the_button_turns_them_off_without_login_or_csrf_token(csrf_client):
    user = person()
    url = link(user)
    response = csrf_client.post(url, {"action": "unsubscribe"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert not reminders_on(user)
    # Only that category: the other switches stay as they were.
    assert preference_enabled(user, "surveys")
    page = csrf_client.get(url).content.decode()
    assert "You no longer receive" in page
    assert "Done: you will no longer receive these e-mails." in page
    assert 'value="resubscribe"' in page


def test_changing_ones_mind_turns_them_back_on(csrf_client):
    user = person()
    url = link(user)
    csrf_client.post(url, {"action": "unsubscribe"})
    csrf_client.post(url, {"action": "resubscribe"})
    assert reminders_on(user)


def test_one_click_post_from_a_mail_client(csrf_client):
    user = person()
    response = csrf_client.post(
        link(user, language="fr"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not reminders_on(user)
    # Idempotent: a second click changes nothing and still answers 200.
    assert (
        csrf_client.post(link(user, language="fr"), {"List-Unsubscribe": "One-Click"}).status_code
        == 200
    )
    assert not reminders_on(user)


def test_the_link_in_an_email_turns_off_exactly_that_category(csrf_client):
    user = person(language="nl")
    url = unsubscribe_url(user_id=user.pk, category_code="surveys", language="nl")
    path = url.removeprefix("https://bien-etre.example.org")
    assert path.startswith("/nl/messages/unsubscribe/")
    csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert (preference_enabled(user, "surveys"), reminders_on(user)) == (False, True)


def test_the_link_still_works_years_later(csrf_client):
    user = person()
    url = link(user)
    with time_machine.travel(timezone.now() + timedelta(days=5 * 365)):
        assert csrf_client.post(url, {"action": "unsubscribe"}).status_code == 302
    assert not reminders_on(user)


def tampered(token: str) -> str:
    payload, rest = token.split(":", 1)
    return payload[:-2] + ("AA" if not payload.endswith("AA") else "BB") + ":" + rest


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(
            lambda user: tampered(unsubscribe_token(user_id=user.pk, category_code="surveys")),
            id="tampered",
        ),
        pytest.param(lambda user: "not-a-token", id="malformed"),
        pytest.param(
            lambda user: unsubscribe_token(user_id=user.pk, category_code="surveys")[:-5],
            id="cut-short",
        ),
        pytest.param(
            lambda user: signing.dumps({"u": user.pk, "c": "surveys"}, salt="another.salt"),
            id="other-salt",
        ),
        pytest.param(
            lambda user: signing.dumps(["u", user.pk], salt=UNSUBSCRIBE_SALT), id="wrong-shape"
        ),
        pytest.param(
            lambda user: signing.dumps({"u": "x", "c": "surveys"}, salt=UNSUBSCRIBE_SALT),
            id="bad-user-id",
        ),
        pytest.param(
            lambda user: unsubscribe_token(user_id=user.pk, category_code="gone"),
            id="unknown-category",
        ),
        pytest.param(
            lambda user: unsubscribe_token(user_id=user.pk, category_code="service"),
            id="not-unsubscribable",
        ),
        pytest.param(
            lambda user: unsubscribe_token(user_id=user.pk + 999, category_code="surveys"),
            id="no-such-user",
        ),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_broken_link_gets_a_clear_page_and_changes_nothing(csrf_client, make_token, method):
    user = person()
    url = reverse("notifications:unsubscribe", args=[make_token(user)]).replace("/fr/", "/en/")
    response = getattr(csrf_client, method)(
        url, {"List-Unsubscribe": "One-Click"} if method == "post" else None
    )
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert preference_enabled(user, "surveys")


def test_other_methods_are_refused(csrf_client):
    assert csrf_client.put(link(person())).status_code == 405


def test_staff_alerts_are_stored_in_notifications_and_respected(csrf_client):
    advisor = person()
    register_kind(
        "tests.case_alert",
        label="Case alert",
        category=STAFF_ALERTS,
        template="tests_notifications/email/enrolment_notice",
        build_context=lambda delivery: {"workshop_title": "case"},
    )
    try:
        assert preference_enabled(advisor, STAFF_ALERTS)
        csrf_client.post(link(advisor, STAFF_ALERTS), {"action": "unsubscribe"})
        assert MessagePreference.objects.filter(
            user=advisor, category=STAFF_ALERTS, enabled=False
        ).exists()
        assert not preference_enabled(advisor, STAFF_ALERTS)
        delivery = delivery_schedule(
            kind="tests.case_alert", recipient=advisor, intent_key="case:1"
        )
        delivery_send(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SKIPPED
        csrf_client.post(link(advisor, STAFF_ALERTS), {"action": "resubscribe"})
        assert preference_enabled(advisor, STAFF_ALERTS)
    finally:
        unregister(kind="tests.case_alert")


@pytest.mark.parametrize("opt_outs", [1, 20])
def test_the_page_runs_a_fixed_number_of_queries(csrf_client, django_assert_num_queries, opt_outs):
    advisor = person()
    for n in range(opt_outs):
        MessagePreference.objects.create(user=advisor, category=f"other-{n}", enabled=False)
    MessagePreference.objects.create(user=person(), category=STAFF_ALERTS, enabled=False)
    # The person, then whether they opted out of this category.
    with django_assert_num_queries(2):
        page = csrf_client.get(link(advisor, STAFF_ALERTS)).content.decode()
    assert 'value="unsubscribe"' in page
