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
