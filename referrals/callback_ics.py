"""A call-back as an iCalendar file, for the advisor's own calendar.

The event names the case by its reference and links to its page: no name, phone or
note of the person, since calendars are synced to phones and shared more widely than
the portal. The calendar wrapper is the programme's (programme.ics), which referrals
may use.
"""

from datetime import timedelta

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar.enums import STATUS

from common.belgium import BRUSSELS
from notifications.links import portal_host, reverse_absolute
from programme.ics import calendar_bytes, calendar_uid

from .models import CallBack

# Long enough to show in a day view; the call takes what it takes.
CALL_LENGTH = timedelta(minutes=15)


def callback_event(callback: CallBack, *, page_url: str, domain: str) -> icalendar.Event:
    reference = callback.case.reference
    event = icalendar.Event.new(
        # Stable across downloads and reschedules: the calendar app updates its event.
        uid=f"callback-{callback.pk}@{domain}",
        summary=_("Call-back: case %(reference)s") % {"reference": reference},
        start=timezone.localtime(callback.at, BRUSSELS),
        end=timezone.localtime(callback.at + CALL_LENGTH, BRUSSELS),
        stamp=timezone.now(),
        description=_("The phone number and the note are on the case's page:") + f"\n{page_url}",
        url=page_url,
        sequence=callback.sequence,
        status=STATUS.CONFIRMED if callback.is_open else STATUS.CANCELLED,
    )
    if callback.is_open:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event["summary"])
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
    return event


def callback_ics(callback: CallBack) -> bytes:
    domain = portal_host()
    page_url = reverse_absolute("referrals:case-detail", callback.case_id)
    event = callback_event(callback, page_url=page_url, domain=domain)
    name = _("Call-back: case %(reference)s") % {"reference": callback.case.reference}
    return calendar_bytes(name, [event], uid=calendar_uid(f"callback-file-{callback.pk}", domain))
