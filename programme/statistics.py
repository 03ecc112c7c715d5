"""What the programme offered and how members used it, for the managers' statistics.

Sessions count in the month they start (Belgian time): those published, or unpublished
later but with enrolments (a draft never had any); sessions the organiser cancelled are
counted apart. A session with several themes counts
in each of them, so the theme rows add up to more than the total.

The figures come from one aggregate of enrolments per session, summed in Python into
every breakdown at once (three queries whatever the size of the programme). A month
that is over is computed once and kept in the cache; the services that change a past
session (attendance marked late, a correction, a module's themes) forget the months
concerned through `statistics_forget`.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS, Province
from common.periods import Period, months_from

from .models import Attendance, Enrolment, EnrolmentStatus, Module, ModuleFormat, Session, Theme


@dataclass
class ProgrammeRow:
    key: str
    label: str
    month: date | None = None  # the first day, for rows by month
    sessions: int = 0
    cancelled_sessions: int = 0
    seats: int = 0  # seats offered by the sessions that have a capacity
    seats_taken: int = 0  # confirmed seats in those sessions, for the fill rate
    confirmed: int = 0
    waitlisted: int = 0  # still waiting: at the start for a past session, now for one to come
    attended: int = 0
    no_show: int = 0
    member_cancelled: int = 0

    @property
    def fill_rate(self) -> int | None:
        return round(100 * self.seats_taken / self.seats) if self.seats else None

    @property
    def attendance_rate(self) -> int | None:
        marked = self.attended + self.no_show
        return round(100 * self.attended / marked) if marked else None

    def add(self, other: "ProgrammeRow") -> None:
        for field in fields(self):
            if field.name not in ("key", "label", "month"):
                setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


def _month_label(value) -> str:
    return value.strftime("%Y-%m") if value else ""


def _format_label(code: str) -> str:
    return str(dict(ModuleFormat.choices).get(code, code))


def _region_label(code: str) -> str:
    return str(dict(Province.choices).get(code, _("Online or no province")))


# How each breakdown names its values.
FIELDS: dict[str, Callable[[str], str]] = {"format": _format_label, "region": _region_label}
BREAKDOWNS = ("month", "theme", "format", "region")
COUNTS = tuple(
    field.name for field in fields(ProgrammeRow) if field.name not in ("key", "label", "month")
)

# A month's figures: breakdown -> group key -> counts in the order of COUNTS.
MonthFigures = dict[str, dict[str, tuple[int, ...]]]

CACHE_PREFIX = "programme-statistics"
GENERATION_KEY = f"{CACHE_PREFIX}:generation"
# A bound on how long a month could stay wrong if a change ever forgot to say so.
CACHE_SECONDS = 24 * 3600
# This month and those to come: seats are taken all day, the page may be a minute behind.
OPEN_SECONDS = 60


def _month_start(moment: datetime) -> date:
    return moment.astimezone(BRUSSELS).date().replace(day=1)


def _compute(start: date, end: date) -> dict[str, MonthFigures]:
    """Every month from `start` to the day before `end`, from one aggregate of enrolments
    per session and one read of the sessions and their modules' themes (three queries
    whatever the length of the period)."""
    bounds = Period(start=start, end=end).bounds
    in_period = {"starts_at__gte": bounds[0], "starts_at__lt": bounds[1]}
    held_enrolments = {
        row.pop("session_id"): row  # type: ignore[misc]  # the values() row, without its key
        for row in Enrolment.objects.filter(
            **{f"session__{name}": value for name, value in in_period.items()}
        )
        .values("session_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status=EnrolmentStatus.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=EnrolmentStatus.WAITLISTED)),
            attended=Count(
                "pk",
                filter=Q(status=EnrolmentStatus.CONFIRMED, attendance=Attendance.ATTENDED),
            ),
            no_show=Count(
                "pk", filter=Q(status=EnrolmentStatus.CONFIRMED, attendance=Attendance.NO_SHOW)
            ),
            member_cancelled=Count(
                "pk", filter=Q(status=EnrolmentStatus.CANCELLED, cancelled_by_organiser=False)
            ),
        )
        .order_by()
    }
    sessions = list(
        Session.objects.filter(**in_period)
        .values(
            "pk", "starts_at", "capacity", "cancelled_at", "is_published", "province", "module_id"
        )
        .annotate(format=F("module__format"))
        .order_by()
    )
    themes: dict[int, list[str]] = {}
    for module_id, theme_id in Module.themes.through.objects.filter(
        module_id__in={s["module_id"] for s in sessions}
    ).values_list("module_id", "theme_id"):
        themes.setdefault(module_id, []).append(str(theme_id))

    totals: dict[str, dict[str, dict[str, list[int]]]] = {
        _month_label(month): {name: {} for name in BREAKDOWNS}
        for month in Period(start=start, end=end).months()
    }
    for session in sessions:
        enrolments = held_enrolments.get(session["pk"])
        # Drafts never had anyone; a session unpublished after people enrolled still counts.
        if not session["is_published"] and enrolments is None:
            continue
        counts = dict.fromkeys(COUNTS, 0)
        if session["cancelled_at"] is not None:
            counts["cancelled_sessions"] = 1
        else:
            counts["sessions"] = 1
            counts["seats"] = session["capacity"] or 0
            if enrolments:
                counts.update(enrolments)  # type: ignore[arg-type]  # its values are counts
                if session["capacity"] is not None:
                    counts["seats_taken"] = enrolments["confirmed"]
        month = _month_label(_month_start(session["starts_at"]))
        groups = {
            "month": [month],
            "theme": themes.get(session["module_id"]) or [""],
            "format": [session["format"]],
            "region": [session["province"] or ""],
        }
        for breakdown, keys in groups.items():
            for key in keys:
                row = totals[month][breakdown].setdefault(key, [0] * len(COUNTS))
                for index, name in enumerate(COUNTS):
                    row[index] += counts[name]
    return {
        month: {b: {k: tuple(v) for k, v in groups.items()} for b, groups in figures.items()}
        for month, figures in totals.items()
    }


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def _cache_key(generation: str, month: str) -> str:
    return f"{CACHE_PREFIX}:{generation}:{month}"


def _month_figures(period: Period) -> dict[str, MonthFigures]:
    """Each month's figures, kept in the cache (Redis on the real stack, shared by every
    web process). A month over before this one is computed once, until a change to one
    of its sessions forgets it; this month and those to come change with every
    enrolment, so they are kept only for OPEN_SECONDS."""
    months = [_month_label(month) for month in period.months()]
    this_month = _month_label(timezone.localdate().replace(day=1))
    generation = _generation()
    kept = cache.get_many([_cache_key(generation, month) for month in months])
    figures = {
        month: kept[_cache_key(generation, month)]
        for month in months
        if _cache_key(generation, month) in kept
    }
    missing = [month for month in months if month not in figures]
    if missing:
        first, last = missing[0], missing[-1]
        start = date(int(first[:4]), int(first[5:]), 1)
        end = months_from(date(int(last[:4]), int(last[5:]), 1), 1)
        computed = _compute(start, end)
        figures.update({month: computed[month] for month in missing})
        closed = [month for month in missing if month < this_month]
        cache.set_many({_cache_key(generation, m): computed[m] for m in closed}, CACHE_SECONDS)
        cache.set_many(
            {_cache_key(generation, m): computed[m] for m in missing if m >= this_month},
            OPEN_SECONDS,
        )
    return figures


def statistics_forget(*, starts: Iterable[datetime]) -> None:
    """The figures of the months these sessions start in are out of date (a past
    session's attendance, capacity, time or publication changed). Forgotten once the
    change commits, so a reader cannot store the figures from before it again."""
    months = {_month_label(_month_start(moment)) for moment in starts if moment is not None}
    if months:
        transaction.on_commit(
            lambda: cache.delete_many([_cache_key(_generation(), month) for month in months])
        )


def statistics_forget_all() -> None:
    """Every month is out of date (a module changed its format or themes)."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


def programme_breakdowns(period: Period) -> dict[str, list[ProgrammeRow]]:
    """The four breakdowns of the period, from one read of its months' figures."""
    figures = _month_figures(period)
    result = {}
    for breakdown in BREAKDOWNS:
        rows: dict[str, ProgrammeRow] = {}
        if breakdown == "month":
            for month in period.months():
                key = _month_label(month)
                rows[key] = ProgrammeRow(key=key, label=key, month=month)
        for month_figures in figures.values():
            for key, counts in month_figures[breakdown].items():
                row = rows.setdefault(key, ProgrammeRow(key=key, label=key))
                for name, value in zip(COUNTS, counts, strict=True):
                    setattr(row, name, getattr(row, name) + value)
        _label(rows, breakdown)
        if breakdown == "month":
            result[breakdown] = list(rows.values())
        else:
            result[breakdown] = sorted(
                rows.values(), key=lambda row: (-row.sessions, -row.confirmed, row.label)
            )
    return result


def programme_statistics(period: Period, breakdown: str) -> list[ProgrammeRow]:
    """One row per month of the period (every month, even an empty one), or per theme,
    format or region that had sessions; largest first except for months."""
    return programme_breakdowns(period)[breakdown]


def _label(rows: dict[str, ProgrammeRow], breakdown: str) -> None:
    if breakdown == "theme":
        names = {str(t.pk): t.name for t in Theme.objects.filter(pk__in=rows.keys() - {""})}
        for key, row in rows.items():
            row.label = names.get(key, str(_("No theme")))
    elif breakdown != "month":
        name = FIELDS[breakdown]
        for key, row in rows.items():
            row.label = name(key)


def total(rows: list[ProgrammeRow]) -> ProgrammeRow:
    """The sum of the month rows (each session is in exactly one month)."""
    result = ProgrammeRow(key="total", label=str(_("Total")))
    for row in rows:
        result.add(row)
    return result
