"""iCalendar files: one per session, and each member's private feed."""

from datetime import timedelta

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from common.belgium import BRUSSELS

from .models import Session, SessionMode

PRODID = "-//J'entreprends mon bien-être//Programme//FR"
REMINDER_BEFORE = timedelta(hours=1)


def session_uid(session: Session, domain: str) -> str:
    """Stable across downloads, so calendars update the event instead of adding another."""
    return f"session-{session.pk}@{domain}"


def _location(session: Session, *, confirmed: bool) -> str:
    if session.mode == SessionMode.IN_PERSON:
        return ", ".join(part for part in (session.venue, session.address) if part)
    if confirmed and session.join_url:
        return session.join_url
    return str(_("Online"))


def session_event(
    session: Session, *, confirmed: bool, page_url: str, domain: str
) -> icalendar.Event:
    module = session.module
    description = [module.summary, "", page_url]
    if session.mode == SessionMode.ONLINE:
        if confirmed and session.join_url:
            description += ["", _("Join link: %(url)s") % {"url": session.join_url}]
        elif not confirmed:
            description += ["", _("The join link is given to confirmed participants.")]
    event = icalendar.Event.new(
        uid=session_uid(session, domain),
        summary=module.title,
        start=timezone.localtime(session.starts_at, BRUSSELS),
        end=timezone.localtime(session.ends_at, BRUSSELS),
        stamp=timezone.now(),
        location=_location(session, confirmed=confirmed),
        description="\n".join(description),
        url=page_url,
        # The sequence grows with every change, so calendar apps take the new version.
        sequence=int(session.updated_at.timestamp()) if session.updated_at else 0,
        status="CANCELLED" if session.is_cancelled else "CONFIRMED",
    )
    if not session.is_cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", module.title)
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    return event


def calendar_bytes(name: str, events: list[icalendar.Event]) -> bytes:
    calendar = icalendar.Calendar.new(prodid=PRODID, name=name, method="PUBLISH")
    for event in events:
        calendar.add_component(event)
    if events:
        calendar.add_missing_timezones()
    return calendar.to_ical()
