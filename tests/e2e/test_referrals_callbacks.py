"""Call-backs in the browser: an advisor books one on a case (a past time is refused
first), finds it at the top of their day, on a phone's first screen too, and the
reminder e-mail goes out when the sweep runs at that time; axe clean at 390 and 1280 px."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from notifications.sending import send_inline, sweep
from referrals.callback_emails import CALLBACK_REMINDER
from referrals.models import CallBack
from tests.emails import sent
from tests.factories import member, staff
from tests.referrals.factories import CaseFactory

from .journeys import sign_in
from .test_programme_phone import _header_fits

VIEWPORTS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}
BRUSSELS = timezone.get_default_timezone()


def next_slot() -> datetime:
    """A time a little ahead, on a five-minute mark, in Brussels time."""
    soon = timezone.localtime(timezone.now() + timedelta(minutes=20), BRUSSELS)
    return soon.replace(minute=soon.minute - soon.minute % 5, second=0, microsecond=0)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_an_advisor_books_a_call_back_and_is_reminded(live_server, browser, axe, width):
    advisor = staff(Role.ADVISOR, first_name="Camille", last_name="Renard")
    person = member(first_name="Marie", last_name="Dubois")
    case = CaseFactory(
        member=person, contact_phone="+32470123456", status="in_progress", assigned_to=advisor
    )
    at = next_slot()
    past = at - timedelta(hours=2)

    context = browser.new_context(viewport=VIEWPORTS[width], locale="en-GB")
    page = context.new_page()
    axe.page = page
    sign_in(page, live_server, advisor)
    page.goto(f"{live_server.url}/en/listening-cell/cases/{case.pk}/")
    callback = page.locator("#callback")
    expect(callback).to_contain_text("Plan it here")
    axe("case page with the call-back form")

    # A time already gone: said on the form, nothing booked.
    callback.get_by_label("Day").fill(past.date().isoformat())
    callback.get_by_label("Time (Belgian time)").fill(past.strftime("%H:%M"))
    callback.get_by_role("button", name="Book the call-back").click()
    expect(page.locator("#callback")).to_contain_text("This time has already passed")
    assert not CallBack.objects.exists()
    axe("call-back form with its error")

    callback = page.locator("#callback")
    callback.get_by_label("Day").fill(at.date().isoformat())
    callback.get_by_label("Time (Belgian time)").fill(at.strftime("%H:%M"))
    callback.get_by_label("Short note (optional)").fill("Mobile, after lunch")
    callback.get_by_role("button", name="Book the call-back").click()
    expect(page.locator(".alert-success")).to_contain_text("Call-back planned for")
    expect(page.locator("#callback")).to_contain_text("Mobile, after lunch")
    expect(page.locator(".timeline")).to_contain_text("Call-back booked")
    booked = CallBack.objects.get()
    assert booked.at == at
    axe("case page with the call-back booked")

    page.goto(f"{live_server.url}/en/listening-cell/today/")
    upcoming = page.locator("#next-callback")
    expect(upcoming).to_contain_text(case.reference)
    expect(upcoming).to_contain_text(at.strftime("%H:%M"))
    expect(upcoming.get_by_role("link", name="Call 0470 12 34 56")).to_be_visible()
    # On the first screen, without scrolling, on a phone as on a desktop.
    box = upcoming.bounding_box()
    assert box is not None and box["y"] + box["height"] <= VIEWPORTS[width]["height"]
    axe("the advisor's day")
    # The advisors' menu has one more entry: the header still fits.
    _header_fits(page, f"the advisor's day at {width} px")

    # The sweep at that time sends one reminder; run again, it sends nothing more.
    sweep(dispatch=send_inline)
    assert mail.outbox == []
    with time_machine.travel(at, tick=False):
        sweep(dispatch=send_inline)
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        sweep(dispatch=send_inline)
    [message] = sent(CALLBACK_REMINDER, advisor)
    # In the advisor's language (English here), with the case's reference and link only.
    assert message.subject == f"Case {case.reference}: call-back at {at:%H:%M}"
    assert f"/listening-cell/cases/{case.pk}/" in message.body
    assert "Marie" not in message.body and "Dubois" not in message.body
    assert len(mail.outbox) == 1

    upcoming.get_by_role("link", name=re.compile(case.reference)).click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    page.get_by_role("button", name="Mark the call-back as done").click()
    expect(page.locator(".alert-success")).to_contain_text("The call-back is done.")
    booked.refresh_from_db()
    assert booked.done_at is not None
    axe("case page after the call")
    context.close()
