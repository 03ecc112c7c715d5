"""iCalendar files: one per session, and each member's private feed."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar.enums import STATUS

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
    session: Session,
    *,
    confirmed: bool,
    page_url: str,
    domain: str,
    cancelled_by_member: bool = False,
    sequence: int | None = None,
) -> icalendar.Event:
    """The session as an event. In a member's feed, ``cancelled_by_member`` and
    ``sequence`` say what that member last did (selectors.feed_sequence)."""
    module = session.module
    cancelled = session.is_cancelled or cancelled_by_member
    description = [module.summary, "", page_url]
    if cancelled_by_member:
        description += ["", _("You cancelled your enrolment in this session.")]
    elif session.mode == SessionMode.ONLINE and not cancelled:
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
        # One more with every change (programme.services), so calendar apps replace it.
        sequence=session.sequence if sequence is None else sequence,
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
    )
    if not cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", module.title)
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    return event


def calendar_uid(key: str, domain: str) -> str:
    """The calendar's own UID, the same at every fetch (icalendar would draw a new one)."""
    return f"{key}@{domain}"


def calendar_bytes(name: str, events: list[icalendar.Event], *, uid: str) -> bytes:
    calendar = icalendar.Calendar.new(prodid=PRODID, name=name, method="PUBLISH", uid=uid)
    for event in events:
        calendar.add_component(event)
    if events:
        calendar.add_missing_timezones()
    return calendar.to_ical()


@dataclass(frozen=True)
class SubscribeLinks:
    """Addresses that subscribe a calendar app to the feed in one tap."""

    apple: str
    google: str
    outlook: str
    office365: str


def subscribe_links(feed_url: str, name: str) -> SubscribeLinks:
    """Apple (and most phone apps) follow webcal://; Google takes the webcal address in its
    "cid" parameter; Outlook.com and Microsoft 365 have an "add from web" page."""
    webcal = "webcal://" + feed_url.split("://", 1)[-1]
    outlook_query = urlencode({"url": feed_url, "name": name})
    return SubscribeLinks(
        apple=webcal,
        google="https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal}),
        outlook=f"https://outlook.live.com/calendar/0/addfromweb?{outlook_query}",
        office365=f"https://outlook.office.com/calendar/0/addfromweb?{outlook_query}",
    )
