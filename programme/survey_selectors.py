"""Reads on surveys: campaign audiences and the statistics managers see.

Aggregates are shown only from SMALL_CELL answers on (small-cell suppression): below
that, a few answers could point at the people who gave them.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery

from common.belgium import Language, Province

from .models import (
    Attendance,
    Audience,
    CampaignAnswer,
    Enrolment,
    EnrolmentStatus,
    Module,
    QuestionKind,
    Session,
    SessionFeedback,
    SurveyCampaign,
    Theme,
)

SMALL_CELL = 5
COMMENTS_PER_PAGE = 20
TEXT_ANSWERS_SHOWN = 50

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


def _took_part(**session_filter) -> Exists:
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
    return audience_members(audience, value).filter(profile__notify_programme_news=True)


@dataclass(frozen=True)
class AudienceSize:
    members: int
    recipients: int


def audience_size(audience: str, value: str) -> AudienceSize:
    members = audience_members(audience, value)
    counts = members.aggregate(
        members=Count("pk"), recipients=Count("pk", filter=Q(profile__notify_programme_news=True))
    )
    return AudienceSize(**counts)


def audience_labels(campaigns) -> None:
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


def _choice_label(choices, value: str) -> str:
    return str(dict(choices).get(value, value))


# --- Satisfaction statistics -------------------------------------------------------------


@dataclass
class FeedbackSummary:
    answers: int = 0
    usefulness: float | None = None
    quality: float | None = None
    recommend: float | None = None
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def shown(self) -> bool:
        return self.answers >= SMALL_CELL

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


def _summary_of(values) -> FeedbackSummary:
    """A FeedbackSummary from an aggregate dict, or from an annotated object."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    return FeedbackSummary(**{name.removeprefix("avg_"): get(name) for name in SUMMARY_FIELDS})


def feedback_summary(feedback: QuerySet[SessionFeedback]) -> FeedbackSummary:
    return _summary_of(feedback.aggregate(**_feedback_aggregates()))


def modules_with_feedback() -> QuerySet[Module]:
    """Modules whose sessions have answers, each with its aggregates (one query)."""
    annotations = _feedback_aggregates("sessions__feedback__")
    return (
        Module.objects.annotate(**annotations)
        .filter(answers__gt=0)
        .order_by("-answers", "title", "pk")
    )


def with_summaries(items) -> list:
    """Attach `summary` (a FeedbackSummary) to annotated modules or sessions."""
    items = list(items)
    for item in items:
        item.summary = _summary_of(item)
    return items


def module_feedback_sessions(module: Module) -> list[Session]:
    """The module's sessions that have answers, latest first, each with its summary."""
    sessions = (
        Session.objects.filter(module=module)
        .annotate(**_feedback_aggregates("feedback__"))
        .filter(answers__gt=0)
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


# --- Campaigns ----------------------------------------------------------------------------


def manager_campaigns() -> QuerySet[SurveyCampaign]:
    return SurveyCampaign.objects.annotate(response_count=Count("responses")).order_by(
        "-created_at", "-pk"
    )


@dataclass
class QuestionResult:
    question: object
    answers: int = 0
    average: float | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def campaign_results(campaign: SurveyCampaign) -> list[QuestionResult]:
    """Per question: how many answered, the average and spread of a scale, the latest
    free-text answers. One query for the scales, one per free-text question (at most five)."""
    questions = list(campaign.questions.all())
    scale_counts = {f"v{n}": Count("pk", filter=Q(scale_value=n)) for n in range(1, 6)}
    rows = {
        row["question"]: row
        for row in CampaignAnswer.objects.filter(question__campaign=campaign)
        .values("question")
        .annotate(answers=Count("pk"), average=Avg("scale_value"), **scale_counts)
        .order_by()
    }
    results = []
    for question in questions:
        row = rows.get(question.pk, {})
        result = QuestionResult(question=question, answers=row.get("answers", 0))
        if question.kind == QuestionKind.SCALE:
            result.average = row.get("average")
            result.distribution = [(n, row.get(f"v{n}", 0)) for n in range(1, 6)]
        else:
            result.texts = list(
                CampaignAnswer.objects.filter(question=question)
                .exclude(text_value="")
                .order_by("-pk")
                .values_list("text_value", flat=True)[:TEXT_ANSWERS_SHOWN]
            )
        results.append(result)
    return results
