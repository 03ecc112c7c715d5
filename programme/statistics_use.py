"""How many members used each format of the catalogue in a period, for the managers'
statistics and the quarterly report (three queries whatever the size of the programme).

Per format, distinct members who:
- enrolled: held a confirmed seat in a session that started in the period (webinars and
  workshops, the formats with sessions);
- attended: were marked present at such a session;
- saved: kept a module of that format in "Mon parcours" in the period.

For the partners' digital tools, the table also gives how many times they were opened
from the portal in the months of the period (models.ToolOpening): openings, not
members, since the portal keeps no one's name with them. An e-learning or a download
is linked to without counting, so those formats count by their saves only.

A member counts once per format and in every format they used. Using a wellbeing tool
says something about someone, so counts follow the small-count rule: 1 to 4 shown as
"<5", others rounded to the nearest 5.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from common.periods import Period
from common.small_counts import Figure

from .models import (
    SESSION_FORMATS,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    ModuleFormat,
    SavedModule,
    ToolOpening,
)


@dataclass(frozen=True)
class FormatUse:
    format: str
    label: str
    enrolled: Figure | None  # None for a format without sessions
    attended: Figure | None
    saved: Figure
    openings: Figure | None  # None but for the digital tools


def format_use(period: Period) -> list[FormatUse]:
    """One row per format of the catalogue, in the catalogue's order, even an unused one."""
    start, end = period.bounds
    seats = dict.fromkeys(ModuleFormat.values, (0, 0)) | {
        row["session__module__format"]: (row["enrolled"], row["attended"])
        for row in Enrolment.objects.filter(
            status=EnrolmentStatus.CONFIRMED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .values("session__module__format")
        .annotate(
            enrolled=Count("user_id", distinct=True),
            attended=Count("user_id", distinct=True, filter=Q(attendance=Attendance.ATTENDED)),
        )
        .order_by()
    }
    saved = dict(
        SavedModule.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list("module__format")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    openings = ToolOpening.objects.filter(
        month__gte=start.date(), month__lt=end.date(), module__format=ModuleFormat.DIGITAL_TOOL
    ).aggregate(n=Sum("count", default=0))["n"]
    rows = []
    for value, label in ModuleFormat.choices:
        enrolled, attended = seats[value]
        has_sessions = value in SESSION_FORMATS
        rows.append(
            FormatUse(
                format=value,
                label=str(label),
                enrolled=Figure(enrolled) if has_sessions else None,
                attended=Figure(attended) if has_sessions else None,
                saved=Figure(saved.get(value, 0)),
                openings=Figure(openings) if value == ModuleFormat.DIGITAL_TOOL else None,
            )
        )
    return rows
