"""Reads on the managers' survey campaigns: the list, the results, the answers as CSV
and who has not answered yet.

Aggregates follow the small-count rule of surveys.selectors (common.small_counts)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.auth import get_user_model
from django.db.models import Avg, CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from notifications.models import Delivery, DeliveryStatus

from .emails import CAMPAIGN_INVITATION, campaign_prefix
from .models import CampaignAnswer, CampaignResponse, QuestionKind, SurveyCampaign
from .selectors import shuffle_rows

TEXT_ANSWERS_SHOWN = 50


# --- Campaigns ----------------------------------------------------------------------------


class CampaignCounts(TypedDict):
    response_count: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A campaign from manager_campaigns, with its counts.
    AnnotatedCampaign = WithAnnotations[SurveyCampaign, CampaignCounts]


def manager_campaigns() -> "QuerySet[AnnotatedCampaign]":
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
        row: Mapping[str, Any] = rows.get(question.pk, {})
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


# --- Answers as CSV (the rule: surveys.selectors) ---------------------------------------


def campaign_answer_table(campaign: SurveyCampaign) -> tuple[list[str], list[list[Any]]]:
    """A column per question (numbered, in the base language), a row per response with
    the language it was answered in. Three queries whatever the size."""
    questions = list(campaign.questions.all())
    header = [str(_("Language answered in"))] + [
        f"{n}. {q.text}" for n, q in enumerate(questions, start=1)
    ]
    column = {q.pk: n for n, q in enumerate(questions, start=1)}
    rows: dict[int, list[Any]] = {}
    languages = dict(Language.choices)
    for pk, language in CampaignResponse.objects.filter(campaign=campaign).values_list(
        "pk", "language"
    ):
        rows[pk] = [str(languages.get(language, "")) or "—"] + [""] * len(questions)
    for response_id, question_id, scale, text in CampaignAnswer.objects.filter(
        response__campaign=campaign
    ).values_list("response_id", "question_id", "scale_value", "text_value"):
        if response_id in rows and question_id in column:
            rows[response_id][column[question_id]] = scale if scale is not None else text
    table = list(rows.values())
    shuffle_rows(table)
    return header, table


# --- Reminders ------------------------------------------------------------------------------


def campaign_non_respondents(campaign: SurveyCampaign) -> QuerySet:
    """Active members whose invitation to the campaign was sent and who have not answered."""
    invited = Delivery.objects.filter(
        kind=CAMPAIGN_INVITATION,
        status=DeliveryStatus.SENT,
        intent_key=Concat(
            Value(f"{campaign_prefix(campaign.pk)}:user:"), Cast(OuterRef("pk"), CharField())
        ),
    )
    answered = CampaignResponse.objects.filter(campaign=campaign, user_id=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Exists(invited))
        .exclude(Exists(answered))
    )
