"""What managers export about the programme, as tables for common.csv_export."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Enrolment


def attendees_table(confirmed: Iterable[Enrolment]) -> tuple[list[str], Iterable[list]]:
    """A session's confirmed participants: name, e-mail, when they got their seat
    (Belgian time) and their attendance."""
    header = [_("Last name"), _("First name"), _("E-mail"), _("Confirmed at"), _("Attendance")]
    rows = (
        [
            e.user.last_name,
            e.user.first_name,
            e.user.email,
            timezone.localtime(e.confirmed_at).strftime("%Y-%m-%d %H:%M") if e.confirmed_at else "",
            e.get_attendance_display(),
        ]
        for e in confirmed
        # A member who erased their account has nobody to list (selectors.session_roster).
        if e.user is not None
    )
    return header, rows


def released_table(
    confirmed: Iterable[Enrolment], waitlist: Iterable[Enrolment]
) -> tuple[list[str], Iterable[list]]:
    """A cancelled session's people as they were when it was cancelled (selectors.
    operations.released_roster): seat holders, then the waitlist in order, and the
    session each was moved to, if any."""
    header = [
        _("Last name"),
        _("First name"),
        _("E-mail"),
        _("When the session was cancelled"),
        _("Moved to"),
    ]
    held, waited = _("Held a seat"), _("On the waitlist")
    rows = (
        [
            e.user.last_name,
            e.user.first_name,
            e.user.email,
            status,
            _moved_to(e),
        ]
        for enrolments, status in ((confirmed, held), (waitlist, waited))
        for e in enrolments
        if e.user is not None
    )
    return header, rows


def _moved_to(enrolment: Enrolment) -> str:
    target = getattr(enrolment, "moved_to", None)
    return timezone.localtime(target.starts_at).strftime("%Y-%m-%d %H:%M") if target else ""
