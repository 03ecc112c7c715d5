"""What changed in a session, as the people enrolled knew it and as it is now.

A session's facts (times, format, place or link) are kept as a small JSON-safe dict in
each change notice; at send time they are compared with the session as it stands, and
each difference becomes a "before → now" line in the reader's language, dates and times
in Belgian time.

Only what matters for the format counts: the join link of a session held in person, or
the venue of one held online, is left-over data nobody sees.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from common.belgium import Province

from .models import Session, SessionMode

# Kinds of change, in the order their lines are listed.
DATE, TIME, FORMAT, PLACE, LINK = "date", "time", "format", "place", "link"
KINDS = (DATE, TIME, FORMAT, PLACE, LINK)

Facts = dict[str, str]


def session_facts(session: Session) -> Facts:
    """The session's time and place as people see them (times in UTC)."""
    online = session.mode == SessionMode.ONLINE
    return {
        "starts_at": session.starts_at.astimezone(UTC).isoformat(),
        "ends_at": session.ends_at.astimezone(UTC).isoformat(),
        "mode": str(session.mode),
        "venue": "" if online else session.venue,
        "address": "" if online else session.address,
        "province": "" if online else session.province,
        "join_url": session.join_url if online else "",
    }


def _local(facts: Facts, name: str) -> datetime:
    moment = parse_datetime(facts[name])
    assert moment is not None  # written by session_facts
    return timezone.localtime(moment, timezone.get_default_timezone())


def _place(facts: Facts) -> tuple[str, str, str]:
    return facts["venue"], facts["address"], facts["province"]


def changed_kinds(before: Facts, after: Facts) -> list[str]:
    """Which of date, time, format, place and link differ, in that order."""
    kinds = []
    start_before, start_after = _local(before, "starts_at"), _local(after, "starts_at")
    end_before, end_after = _local(before, "ends_at"), _local(after, "ends_at")
    if start_before.date() != start_after.date():
        kinds.append(DATE)
    if (start_before.time(), end_before.time()) != (start_after.time(), end_after.time()):
        kinds.append(TIME)
    if before["mode"] != after["mode"]:
        kinds.append(FORMAT)
    elif after["mode"] == SessionMode.IN_PERSON and _place(before) != _place(after):
        kinds.append(PLACE)
    elif after["mode"] == SessionMode.ONLINE and before["join_url"] != after["join_url"]:
        kinds.append(LINK)
    return kinds


@dataclass(frozen=True)
class ChangeLine:
    label: str  # with its colon, which French typography spaces
    before: str
    now: str
    # The new join link is shown as a link in the HTML part.
    is_link: bool = False


def _day(facts: Facts) -> str:
    return date_format(_local(facts, "starts_at"), "l j F Y")


def _hours(facts: Facts) -> str:
    start, end = _local(facts, "starts_at"), _local(facts, "ends_at")
    return f"{time_format(start, 'H:i')}–{time_format(end, 'H:i')}"


def _place_text(facts: Facts) -> str:
    text = ", ".join(part for part in (facts["venue"], facts["address"]) if part)
    if facts["province"] in Province.values:
        province = str(Province(facts["province"]).label)
        text = f"{text} ({province})" if text else province
    return text or "—"


def _where(facts: Facts) -> str:
    if facts["mode"] == SessionMode.ONLINE:
        return _("Online")
    return _("In person: %(place)s") % {"place": _place_text(facts)}


def change_lines(before: Facts, after: Facts, kinds: list[str]) -> list[ChangeLine]:
    """One "before → now" line per kind of change, in the active language."""
    lines = []
    for kind in kinds:
        if kind == DATE:
            lines.append(ChangeLine(_("Date:"), _day(before), _day(after)))
        elif kind == TIME:
            lines.append(ChangeLine(_("Time:"), _hours(before), _hours(after)))
        elif kind == FORMAT:
            lines.append(ChangeLine(_("Format:"), _where(before), _where(after)))
        elif kind == PLACE:
            lines.append(ChangeLine(_("Place:"), _place_text(before), _place_text(after)))
        elif kind == LINK:
            lines.append(
                ChangeLine(
                    _("Join link:"), before["join_url"] or "—", after["join_url"], is_link=True
                )
            )
    return lines


def subject_case(kinds: list[str], after: Facts) -> str:
    """Which subject line the notice takes: one per single change, date and time
    together (a session moved to another day and hour), and one for several."""
    if kinds == [DATE]:
        return "date"
    if kinds == [DATE, TIME]:
        return "date_time"
    if kinds == [FORMAT]:
        return "online" if after["mode"] == SessionMode.ONLINE else "in_person"
    if len(kinds) == 1:
        return kinds[0]
    return "several_with_date" if DATE in kinds else "several"
