"""The programme's impact, from the pseudonymised evaluation measures: reads only.

Participants are the members whose research consent stands and who have a first measure
and a later one (at 3 or 6 months; the latest is used) of an instrument. For each group
the figures are the number of participants, the mean paired change (later minus first)
with its 95 % confidence interval, and for the WHO-5 the share whose score rose by 10
points or more on its percentage scale (a clinically relevant improvement).

Groups with fewer than IMPACT_THRESHOLD participants are suppressed, and the numbers
of participants are rounded to the nearest multiple of it, so that a total beside its
parts cannot give a hidden group away. Nobody reading these figures sees a score.

One query whatever the number of members, results or participants (and one small one
for the cache key): PostgreSQL (or SQLite) pairs the measures and sums the changes by
number of modules attended and set of formats attended; Python adds those few rows up
into the groups.
"""

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from common.small_counts import Figure, rate
from members.consents import ConsentKind
from members.models import Consent
from programme.models import Attendance, ModuleFormat

from .instruments import get_current
from .research import IMPACT_GENERATION_KEY, RESEARCH_INSTRUMENTS

IMPACT_THRESHOLD = 10
# A clinically relevant change of the WHO-5, on its 0-100 percentage scale.
WHO5_RELEVANT_CHANGE = 10

# Groups by the number of different modules attended up to the later measure.
MODULE_GROUPS = (
    ("0", _("No module"), 0, 0),
    ("1", _("1 module"), 1, 1),
    ("2-3", _("2 or 3 modules"), 2, 3),
    ("4+", _("4 modules or more"), 4, None),
)


@dataclass
class Sums:
    """Paired changes of a group, summed: enough for the mean, its interval and the share
    improved, without holding anyone's score."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0
    improved: int = 0

    def add(self, other: "Sums") -> None:
        self.n += other.n
        self.total += other.total
        self.squares += other.squares
        self.improved += other.improved

    @classmethod
    def of(cls, changes: list[float]) -> "Sums":
        return cls(
            n=len(changes),
            total=float(sum(changes)),
            squares=float(sum(c * c for c in changes)),
            improved=sum(1 for c in changes if c >= WHO5_RELEVANT_CHANGE),
        )


@dataclass(frozen=True)
class ChangeCell:
    key: str
    label: str
    participants: Figure
    mean_change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    improved_rate: int | None = None  # % with a relevant improvement (WHO-5 only)

    @property
    def shown(self) -> bool:
        return self.mean_change is not None


@dataclass(frozen=True)
class InstrumentImpact:
    code: str
    name: str
    higher_is_better: bool
    score_min: float
    score_max: float
    started: Figure  # participants with a first measure
    overall: ChangeCell
    by_modules: list[ChangeCell] = field(default_factory=list)
    by_format: list[ChangeCell] = field(default_factory=list)

    @property
    def relevant_change(self) -> bool:
        return self.code == "who-5"


def t_quantile_975(df: int) -> float:
    """Student's t quantile for a two-sided 95 % interval (Cornish-Fisher expansion from
    the normal quantile: within 0.001 of the tables from 5 degrees of freedom on)."""
    z = NormalDist().inv_cdf(0.975)
    v = float(df)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )


def change_cell(key: str, label: str, sums: Sums, *, relevant: bool) -> ChangeCell:
    """The figures of one group, or only its suppressed count under the threshold."""
    n = sums.n
    participants = Figure(n, IMPACT_THRESHOLD)
    if n < IMPACT_THRESHOLD:
        return ChangeCell(key, str(label), participants)
    mean = sums.total / n
    sd = math.sqrt(max(sums.squares - n * mean * mean, 0.0) / (n - 1))
    half = t_quantile_975(n - 1) * sd / math.sqrt(n)
    improved = None
    if relevant:
        improved = rate(Figure(sums.improved, IMPACT_THRESHOLD), Figure(n, IMPACT_THRESHOLD))
    return ChangeCell(
        key,
        str(label),
        participants,
        mean_change=round(mean, 1),
        ci_low=round(mean - half, 1),
        ci_high=round(mean + half, 1),
        improved_rate=improved,
    )


# One query, two kinds of rows. "paired": one row per instrument, number of modules
# attended and set of formats attended (a 0/1 column per format): how many paired
# participants, the sum of their changes and of the squared changes, and how many
# improved by the relevant change. "started": per instrument, how many participants have
# a first measure. The later measure is the 6-month one, else the 3-month one (the waves
# are fixed: Wave); a module counts if attended before the end of that measure's day.
#
# Cost: one pass over the measures (no self-join for the planner to misjudge), then each
# pair's attended enrolments through the partial index enrolment_attended (user, session:
# an index-only scan, never the whole enrolment table), each module once per pair by
# hashing rather than count(DISTINCT)'s sorts. About 250,000 enrolments at the fund's
# scale (10,000 participants).
PAIRED_SQL = """
WITH measured AS (
    SELECT e.instrument, p.user_id,
        max(CASE WHEN e.wave = 0 THEN e.score END) AS first,
        coalesce(max(CASE WHEN e.wave = 6 THEN e.score END),
                 max(CASE WHEN e.wave = 3 THEN e.score END)) AS later,
        coalesce(max(CASE WHEN e.wave = 6 THEN e.taken_on END),
                 max(CASE WHEN e.wave = 3 THEN e.taken_on END)) AS later_on
    FROM assessments_evaluationmeasure e
    JOIN assessments_researchparticipant p ON p.id = e.participant_id
    WHERE e.taken_on < %(until)s
      AND EXISTS (
        SELECT 1 FROM members_consent c
        WHERE c.user_id = p.user_id AND c.kind = %(kind)s AND c.withdrawn_at IS NULL
      )
    GROUP BY e.instrument, p.user_id
),
pairs AS (
    SELECT instrument, user_id, later - first AS change, LATER_END AS later_end
    FROM measured
    WHERE first IS NOT NULL AND later IS NOT NULL
),
modules_attended AS (
    SELECT pr.instrument, pr.user_id, s.module_id
    FROM pairs pr
    JOIN programme_enrolment en ON en.user_id = pr.user_id AND en.attendance = %(attended)s
    JOIN programme_session s ON s.id = en.session_id AND s.starts_at < pr.later_end
    GROUP BY pr.instrument, pr.user_id, s.module_id
),
per_pair AS (
    SELECT ma.instrument, ma.user_id, count(*) AS modules, FORMAT_FLAGS
    FROM modules_attended ma
    JOIN programme_module m ON m.id = ma.module_id
    GROUP BY ma.instrument, ma.user_id
),
grouped AS (
    SELECT pr.instrument, pr.change, coalesce(pp.modules, 0) AS modules, FORMAT_COLUMNS
    FROM pairs pr
    LEFT JOIN per_pair pp ON pp.instrument = pr.instrument AND pp.user_id = pr.user_id
)
SELECT 'paired', instrument, modules, FORMAT_NAMES, count(*), sum(change),
    sum(change * change), sum(CASE WHEN change >= %(relevant)s THEN 1 ELSE 0 END)
FROM grouped
GROUP BY instrument, modules, FORMAT_NAMES
UNION ALL
SELECT 'started', instrument, 0, FORMAT_ZEROS, count(*), 0, 0, 0
FROM measured
WHERE first IS NOT NULL
GROUP BY instrument
"""

FORMATS = list(ModuleFormat.values)


def _sql() -> str:
    """PAIRED_SQL for this database. The formats are the code's own constants. The end of
    the later measure's day: midnight after it in Brussels on PostgreSQL; in UTC on SQLite
    (the embedded mode is for trying the portal out), compared as text as Django stores
    datetimes there."""
    if connection.vendor == "postgresql":
        later_end = "((later_on + 1)::timestamp AT TIME ZONE 'Europe/Brussels')"
    else:
        later_end = "date(later_on, '+1 day')"
    names = [f"f{index}" for index in range(len(FORMATS))]
    flags = ", ".join(
        f"max(CASE WHEN m.format = '{fmt}' THEN 1 ELSE 0 END) AS {name}"
        for fmt, name in zip(FORMATS, names, strict=True)
    )
    return (
        PAIRED_SQL.replace("LATER_END", later_end)
        .replace("FORMAT_FLAGS", flags)
        .replace("FORMAT_COLUMNS", ", ".join(f"coalesce(pp.{n}, 0) AS {n}" for n in names))
        .replace("FORMAT_NAMES", ", ".join(names))
        .replace("FORMAT_ZEROS", ", ".join("0" for _name in names))
    )


# The sums read every attended enrolment of every participant: a few tenths of a second
# at the fund's scale. They are kept in the cache (Redis on the real stack) for
# CACHE_SECONDS, and forgotten at once when a measure is recorded or deleted
# (forget_impact) or a research consent is given or withdrawn (_consents_state); newly
# marked attendance shows within CACHE_SECONDS.
CACHE_SECONDS = 600


def _generation() -> str:
    generation = cache.get(IMPACT_GENERATION_KEY)
    if generation is None:
        cache.add(IMPACT_GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(IMPACT_GENERATION_KEY, "")
    return generation


def _consents_state() -> str:
    """How the research consents stand, in one small query: a consent given, withdrawn or
    erased changes it, so the figures leave a withdrawn member out at once. Numbers only
    (the latest withdrawal in microseconds): a valid cache key for every backend."""
    state = Consent.objects.filter(kind=ConsentKind.RESEARCH).aggregate(
        count=Count("pk"),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
        last=Max("pk"),
        latest=Max("withdrawn_at"),
    )
    latest = state["latest"]
    stamp = round(latest.timestamp() * 1_000_000) if latest else 0
    return f"{state['count']}-{state['withdrawn']}-{state['last'] or 0}-{stamp}"


def _cache_key(until: date | None) -> str:
    # v2: the rows' shape since the single query (formats as a tuple).
    return f"assessments:impact:v2:{_generation()}:{_consents_state()}:{until or 'all'}"


def _paired_sums(until: date | None) -> tuple[list[tuple], dict[str, int]]:
    key = _cache_key(until)
    kept = cache.get(key)
    if kept is None:
        kept = _compute_paired_sums(until)
        cache.set(key, kept, CACHE_SECONDS)
    return kept


def _compute_paired_sums(until: date | None) -> tuple[list[tuple], dict[str, int]]:
    """(instrument, modules, formats attended as a tuple, n, sum, sum of squares,
    improved) rows, and the number of participants started per instrument."""
    params: dict[str, str | int | date] = {
        "until": until or date(9999, 1, 1),
        "kind": ConsentKind.RESEARCH.value,
        "attended": Attendance.ATTENDED.value,
        "relevant": WHO5_RELEVANT_CHANGE,
    }
    with connection.cursor() as cursor:
        cursor.execute(_sql(), params)
        found = cursor.fetchall()
    rows, started = [], {}
    for kind, instrument, modules, *flags_and_sums in found:
        flags, sums = flags_and_sums[: len(FORMATS)], flags_and_sums[len(FORMATS) :]
        if kind == "started":
            started[instrument] = int(sums[0])
            continue
        formats = tuple(fmt for fmt, flag in zip(FORMATS, flags, strict=True) if flag)
        rows.append((instrument, int(modules), formats, *sums))
    return rows, started


def _module_group(modules: int) -> str:
    for key, _label, low, high in MODULE_GROUPS:
        if low <= modules and (high is None or modules <= high):
            return key
    raise ValueError(modules)


def impact_figures(*, until: date | None = None) -> list[InstrumentImpact]:
    """The impact of each research instrument, from measures taken before `until`."""
    rows, started = _paired_sums(until)
    overall: dict[str, Sums] = defaultdict(Sums)
    by_modules: dict[tuple[str, str], Sums] = defaultdict(Sums)
    by_format: dict[tuple[str, str], Sums] = defaultdict(Sums)
    for instrument, modules, formats, n, total, squares, improved in rows:
        sums = Sums(int(n), float(total), float(squares), int(improved))
        overall[instrument].add(sums)
        by_modules[instrument, _module_group(modules)].add(sums)
        for fmt in formats:
            by_format[instrument, fmt].add(sums)
    result = []
    for code in RESEARCH_INSTRUMENTS:
        instrument = get_current(code)
        if instrument is None:
            continue
        relevant = code == "who-5"
        result.append(
            InstrumentImpact(
                code=code,
                name=str(instrument.short_name),
                higher_is_better=instrument.higher_is_better,
                score_min=float(instrument.score_min),
                score_max=float(instrument.score_max),
                started=Figure(started.get(code, 0), IMPACT_THRESHOLD),
                overall=change_cell(
                    "all", str(_("All participants")), overall[code], relevant=relevant
                ),
                by_modules=[
                    change_cell(key, str(label), by_modules[code, key], relevant=relevant)
                    for key, label, _low, _high in MODULE_GROUPS
                ],
                by_format=[
                    change_cell(
                        fmt.value, str(fmt.label), by_format[code, fmt.value], relevant=relevant
                    )
                    for fmt in ModuleFormat
                    if by_format[code, fmt.value].n
                ],
            )
        )
    return result
