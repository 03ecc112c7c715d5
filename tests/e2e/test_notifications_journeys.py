"""Message journeys in the browser: a member unsubscribes from an e-mail's link; a
manager finds a failed message, sends it again and sends a test e-mail."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import MemberProfile
from members.roles import Role
from notifications.models import Delivery, DeliveryStatus
from notifications.preferences import preference_enabled
from notifications.sending import send_inline, sweep
from notifications.services import delivery_schedule
from tests.e2e.journeys import sign_in
from tests.factories import member, staff
from tests.notifications import kinds


@pytest.fixture(autouse=True)
def messages_setup(settings, live_server, in_process_tasks):
    """Test-only kinds and templates, links to the live server, tasks in-process."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], kinds.TEMPLATES_DIR]}
    ]
    settings.PORTAL_BASE_URL = live_server.url
    kinds.register()
    yield
    kinds.unregister_all()


def test_member_unsubscribes_from_the_link_in_a_reminder(
    live_server, page, axe, csp_violations, mailoutbox
):
    user = member()
    MemberProfile.objects.filter(user=user).update(preferred_language="en")
    delivery_schedule(
        kind=kinds.REMINDER,
        recipient=user,
        intent_key="enrolment:1",
        context={"workshop_id": 1, "starts_at": timezone.now().isoformat()},
    )
    sweep(dispatch=send_inline)
    [message] = mailoutbox
    link = re.search(r"Stop receiving these e-mails: (\S+)", message.body).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"

    page.goto(link)
    expect(page.locator("h1")).to_have_text("Your e-mail settings")
    expect(page.locator("main")).to_contain_text("You currently receive: session reminders")
    axe("unsubscribe page")
    page.get_by_role("button", name="Stop receiving: session reminders").click()
    expect(page.locator(".alert-success")).to_contain_text("you will no longer receive")
    axe("unsubscribed")
    assert not preference_enabled(user, "session_reminders")

    page.get_by_role("button", name="Receive again: session reminders").click()
    expect(page.locator(".alert-success")).to_contain_text("turned back on")
    assert preference_enabled(user, "session_reminders")

    page.goto(link[:-8] + "tampered/")
    expect(page.locator("h1")).to_have_text("This link does not work")
    axe("broken unsubscribe link")
    assert csp_violations == []


def test_manager_sends_a_failed_message_again_and_a_test_email(
    live_server, page, axe, csp_violations, mailoutbox
):
    manager = staff(Role.PROGRAMME_MANAGER)
    MemberProfile.objects.filter(user=manager).update(preferred_language="en")
    recipient = member()
    failed = delivery_schedule(
        kind=kinds.NOTICE, recipient=recipient, intent_key="enrolment:9", context={"workshop_id": 9}
    )
    Delivery.objects.filter(pk=failed.pk).update(
        status=DeliveryStatus.FAILED, attempts=5, last_error="SMTPDataError: (451, 'greylisted')"
    )

    sign_in(page, live_server, manager)
    expect(page.locator("main")).to_contain_text("1 message could not be sent.")
    axe("manager home")
    page.get_by_role("link", name="Follow the messages sent by the portal").click()
    expect(page.locator("h1")).to_have_text("Messages sent by the portal")
    expect(page.locator("table")).to_contain_text("greylisted")
    axe("failed messages")

    page.get_by_role("button", name=re.compile("Send again")).click()
    expect(page.locator(".alert-success")).to_contain_text("will be sent again")
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert [m.to for m in mailoutbox] == [[recipient.email]]

    page.get_by_role("link", name=re.compile(r"^Sent \(1\)")).click()
    expect(page.locator("table")).to_contain_text(recipient.email)
    axe("sent messages")

    page.get_by_role("button", name="Send a test e-mail to myself").click()
    expect(page.locator(".alert-success")).to_contain_text(manager.email)
    assert mailoutbox[-1].to == [manager.email]

    page.set_viewport_size({"width": 375, "height": 800})
    axe("messages on a phone")
    assert csp_violations == []
