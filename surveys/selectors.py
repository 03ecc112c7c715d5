"""Reads on surveys: campaign audiences and the statistics managers see.

Aggregates are shown only from SMALL_CELL answers on (the small-count rule, in
common.small_counts): below that, a few answers could point at the people who gave them.
"""

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import (
    Avg,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.belgium import Language, Province
from common.small_counts import SMALL_CELL, enough
from notifications.models import Delivery, DeliveryStatus
from notifications.preferences import accepting
from programme.models import Attendance, Enrolment, EnrolmentStatus, Module, Session, Theme
from programme.preferences import PROGRAMME_NEWS

from .emails import SURVEY_INVITATION
from .models import (
    Audience,
    SessionFeedback,
    SurveyCampaign,
)

COMMENTS_PER_PAGE = 20

# --- Audiences -------------------------------------------------------------------------


def _members() -> QuerySet:
    """Active accounts holding the member role (its permission, whatever the group's name)."""
    user_model = get_user_model()
    member_groups = Group.objects.filter(
        permissions__content_type__app_label="members",
        permissions__codename="access_member_space",
    )
    in_group = user_model.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__in=member_groups
    )
    return user_model.objects.filter(is_active=True).filter(Exists(in_group))


def _took_part(**session_filter: Any) -> Exists:
    """Held a seat (not marked absent) in a session matching the filter."""
    return Exists(
        Enrolment.objects.filter(
            user_id=OuterRef("pk"), status=EnrolmentStatus.CONFIRMED, **session_filter
        ).exclude(attendance=Attendance.NO_SHOW)
    )


def audience_members(audience: str, value: str) -> QuerySet:
    """Members a campaign is meant for. Province and language live on the member's
    profile, reached through the user relation (programme imports no other app)."""
    members = _members()
    if audience == Audience.ALL:
        return members
    if audience == Audience.THEME:
        return members.filter(_took_part(session__module__themes__slug=value))
    if audience == Audience.FORMAT:
        return members.filter(_took_part(session__module__format=value))
    if audience == Audience.PROVINCE:
        return members.filter(profile__province=value)
    if audience == Audience.LANGUAGE:
        return members.filter(profile__preferred_language=value)
    raise ValueError(f"Unknown audience {audience!r}")


def audience_recipients(audience: str, value: str) -> QuerySet:
    """Those of the audience who chose to receive programme news (default off). Filtering
    here spares recording 100,000 messages only to skip them; notifications still checks
    the switch at send time, for anyone who turns it off in between."""
    return audience_members(audience, value).filter(accepting(PROGRAMME_NEWS))


# Why an audience holds nobody, per kind of audience.
NOBODY_MATCHES: dict[str, Promise] = {
    Audience.ALL: _("no member has an account yet"),
    Audience.THEME: _("nobody has taken part in a session of this theme yet"),
    Audience.FORMAT: _("nobody has taken part in a session of this format yet"),
    Audience.PROVINCE: _("no member lives in this province"),
    Audience.LANGUAGE: _("no member reads this language"),
}


@dataclass(frozen=True)
class AudienceSize:
    members: int
    recipients: int
    audience: str = Audience.ALL

    @property
    def reason(self) -> str:
        """Why the campaign would reach nobody, in words; empty when it reaches someone."""
        if self.recipients:
            return ""
        if not self.members:
            return str(
                _("Nobody matches this audience: %(why)s.")
                % {"why": NOBODY_MATCHES.get(self.audience, NOBODY_MATCHES[Audience.ALL])}
            )
        return ngettext(
            "%(members)s member matches this audience, but they did not accept programme "
            "news: the survey would reach no one.",
            "%(members)s members match this audience, but none of them accepted programme "
            "news: the survey would reach no one.",
            self.members,
        ) % {"members": self.members}


def audience_size(audience: str, value: str) -> AudienceSize:
    """How many members match the audience, and how many of them would be invited."""
    members = audience_members(audience, value)
    counts = members.aggregate(
        members=Count("pk"), recipients=Count("pk", filter=accepting(PROGRAMME_NEWS))
    )
    return AudienceSize(audience=audience, **counts)


def audience_labels(campaigns: Iterable[SurveyCampaign]) -> None:
    """`audience_label` on each campaign, e.g. "Participants of a theme: Sleep" (one query)."""
    slugs = {c.audience_value for c in campaigns if c.audience == Audience.THEME}
    themes = {t.slug: t.name for t in Theme.objects.filter(slug__in=slugs)} if slugs else {}
    for campaign in campaigns:
        detail = campaign.audience_value
        if campaign.audience == Audience.THEME:
            detail = themes.get(detail, detail)
        elif campaign.audience == Audience.FORMAT:
            detail = _choice_label(Module.format.field.choices, detail)
        elif campaign.audience in (Audience.PROVINCE, Audience.LANGUAGE):
            choices = (
                Province.choices if campaign.audience == Audience.PROVINCE else Language.choices
            )
            detail = _choice_label(choices, detail)
        label = campaign.get_audience_display()
        campaign.audience_label = f"{label}: {detail}" if detail else str(label)


def _choice_label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


# --- Satisfaction statistics -------------------------------------------------------------


@dataclass
class FeedbackSummary:
    answers: int = 0
    # Participants who were sent the survey's invitation; set by the views, not aggregated.
    invited: int | None = None
    usefulness: float | None = None
    quality: float | None = None
    recommend: float | None = None
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def shown(self) -> bool:
        return enough(self.answers)

    @property
    def rate(self) -> int | None:
        """Answers per invited participant, as a whole percentage; None if nobody was."""
        if not self.invited:
            return None
        # Answers given without a recorded invitation would push it past 100 %.
        return min(100, round(100 * self.answers / self.invited))

    def _share(self, count: int) -> int:
        return round(100 * count / self.answers) if self.answers else 0

    @property
    def promoters_pct(self) -> int:
        return self._share(self.promoters)

    @property
    def passives_pct(self) -> int:
        return self._share(self.passives)

    @property
    def detractors_pct(self) -> int:
        return self._share(self.detractors)

    @property
    def nps(self) -> int:
        """Net promoter score: % answering 9–10 minus % answering 0–6."""
        if not self.answers:
            return 0
        return round(100 * (self.promoters - self.detractors) / self.answers)


def _feedback_aggregates(prefix: str = "") -> dict:
    """Aggregates named apart from the fields (an alias equal to a field name would shadow
    it in the filters); `_summary_of` maps them back."""

    def f(name: str) -> str:
        return f"{prefix}{name}"

    return {
        "answers": Count(f("pk")),
        "avg_usefulness": Avg(f("usefulness")),
        "avg_quality": Avg(f("quality")),
        "avg_recommend": Avg(f("recommend")),
        "promoters": Count(f("pk"), filter=Q(**{f("recommend__gte"): 9})),
        "passives": Count(f("pk"), filter=Q(**{f("recommend__in"): [7, 8]})),
        "detractors": Count(f("pk"), filter=Q(**{f("recommend__lte"): 6})),
    }


SUMMARY_FIELDS = tuple(_feedback_aggregates())


def _summary_of(values: Any) -> FeedbackSummary:
    """A FeedbackSummary from an aggregate dict, or from an annotated object."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    return FeedbackSummary(**{name.removeprefix("avg_"): get(name) for name in SUMMARY_FIELDS})  # type: ignore[arg-type]  # counts and averages, by name


def feedback_summary(feedback: QuerySet[SessionFeedback]) -> FeedbackSummary:
    return _summary_of(feedback.aggregate(**_feedback_aggregates()))


def modules_with_feedback() -> QuerySet[Module]:
    """Modules whose sessions have answers, each with its aggregates (one query)."""
    annotations = _feedback_aggregates("sessions__feedback__")
    return (
        Module.objects.annotate(**annotations)
        .filter(answers__gt=0)  # type: ignore[misc]  # annotated above, through a dict
        .annotate(survey_invited=_invited_count("module"))
        .order_by("-answers", "title", "pk")
    )


def with_summaries(items: Iterable[Any]) -> list:
    """Attach `summary` (a FeedbackSummary) to annotated modules or sessions; its
    `invited` comes from a `survey_invited` annotation when there is one."""
    items = list(items)
    for item in items:
        item.summary = _summary_of(item)
        item.summary.invited = getattr(item, "survey_invited", None)
    return items


# The satisfaction survey's invitation is recorded per enrolment, under
# programme.emails.enrolment_intent: "enrolment:<pk>".
ENROLMENT_INTENT_PREFIX = "enrolment:"


def _survey_sent() -> Exists:
    """The enrolment (OuterRef "pk") was sent the satisfaction survey's invitation. Matched
    on the delivery's exact intent, which the unique (kind, intent_key) index serves."""
    return Exists(
        Delivery.objects.filter(
            kind=SURVEY_INVITATION,
            status=DeliveryStatus.SENT,
            intent_key=Concat(Value(ENROLMENT_INTENT_PREFIX), Cast(OuterRef("pk"), CharField())),
        )
    )


def _invited_count(outer: str) -> Coalesce:
    """Enrolments of the outer row (a module or a session) invited to the survey."""
    field_name = "session__module" if outer == "module" else "session"
    counted = (
        Enrolment.objects.filter(**{field_name: OuterRef("pk")})
        .filter(_survey_sent())
        .order_by()
        .values(field_name)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def survey_invited_count(*, module: Module | None = None, session: Session | None = None) -> int:
    """Participants of a module (all its sessions) or of one session invited to the
    satisfaction survey: the denominator of its response rate."""
    enrolments = Enrolment.objects.filter(_survey_sent())
    if session is not None:
        enrolments = enrolments.filter(session=session)
    elif module is not None:
        enrolments = enrolments.filter(session__module=module)
    return enrolments.count()


def module_feedback_sessions(module: Module) -> list[Session]:
    """The module's sessions that have answers, latest first, each with its summary."""
    sessions = (
        Session.objects.filter(module=module)
        .annotate(**_feedback_aggregates("feedback__"))
        .filter(answers__gt=0)  # type: ignore[misc]  # annotated above, through a dict
        .annotate(survey_invited=_invited_count("session"))
        .order_by("-starts_at", "-pk")
    )
    return with_summaries(sessions)


def module_feedback(module: Module) -> QuerySet[SessionFeedback]:
    return SessionFeedback.objects.filter(session__module=module)


def session_feedback(session: Session) -> QuerySet[SessionFeedback]:
    return SessionFeedback.objects.filter(session=session)


def feedback_comments(feedback: QuerySet[SessionFeedback]) -> QuerySet[SessionFeedback]:
    """Comments, newest first, each with its session's number of answers: a comment from a
    session with fewer than SMALL_CELL answers is shown without its date, which would say
    who among a handful of participants wrote it."""
    session_answers = (
        SessionFeedback.objects.filter(session=OuterRef("session"))
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        feedback.exclude(comment="")
        .select_related("session")
        .annotate(session_answers=Subquery(session_answers))
        .order_by("-created_at", "-pk")
    )


# --- Answers as CSV ------------------------------------------------------------------------
#
# One row per answer, never who gave it: no name, e-mail or id, no time of answering, and
# the rows shuffled so their order does not follow the submissions either. The views
# refuse a file below the SMALL_CELL floor.

shuffle_rows = random.SystemRandom().shuffle


def feedback_answer_table(
    feedback: QuerySet[SessionFeedback],
) -> tuple[list[str], list[list[Any]]]:
    """A row per satisfaction answer of a module (or a session): the session's date only
    when that session has SMALL_CELL answers or more, as on the comments page."""
    header = [
        str(_("Session")),
        str(_("Usefulness (1 to 5)")),
        str(_("Quality (1 to 5)")),
        str(_("Would recommend (0 to 10)")),
        str(_("Comment")),
    ]
    small = str(_("A session with fewer than %(minimum)s answers") % {"minimum": SMALL_CELL})
    rows = []
    for starts_at, session_answers, *figures in _answers_with_session_count(feedback):
        when = (
            date_format(timezone.localtime(starts_at), "j N Y")
            if enough(session_answers)
            else small
        )
        rows.append([when, *figures])
    shuffle_rows(rows)
    return header, rows


def _answers_with_session_count(feedback: QuerySet[SessionFeedback]) -> Iterator[tuple]:
    """(session start, the session's number of answers, usefulness, quality, recommend,
    comment) for every answer."""
    session_answers = (
        SessionFeedback.objects.filter(session=OuterRef("session"))
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        feedback.annotate(session_answers=Subquery(session_answers))
        .order_by()
        .values_list(
            "session__starts_at",
            "session_answers",
            "usefulness",
            "quality",
            "recommend",
            "comment",
        )
        .iterator(chunk_size=2000)
    )
