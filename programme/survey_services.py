"""State changes on surveys: answers to the satisfaction survey, campaigns and their answers."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province
from notifications.services import deliveries_cancel, deliveries_fan_out

from .messages import CAMPAIGN_INVITATION, campaign_prefix, feedback_refusal
from .models import (
    Audience,
    CampaignAnswer,
    CampaignQuestion,
    CampaignResponse,
    CampaignStatus,
    Enrolment,
    ModuleFormat,
    QuestionKind,
    SessionFeedback,
    SurveyCampaign,
    Theme,
)
from .survey_selectors import audience_recipients

MAX_QUESTIONS = 5
# A send time typed to the minute may fall just behind the clock by the time it is saved.
SEND_AT_TOLERANCE = timedelta(minutes=5)


class SurveyClosed(Exception):
    """This survey cannot be answered (any more) through this link."""


class AlreadyAnswered(Exception):
    """One answer per enrolment, one response per member and campaign."""


# --- Satisfaction survey after a session ---------------------------------------------


def feedback_enrolment(enrolment_id: int) -> Enrolment:
    """The enrolment a survey link was made for, if it may still answer."""
    enrolment = Enrolment.objects.select_related("session__module").filter(pk=enrolment_id).first()
    if reason := feedback_refusal(enrolment):
        raise SurveyClosed(reason)
    if SessionFeedback.objects.filter(enrolment=enrolment).exists():
        raise AlreadyAnswered
    return enrolment


@transaction.atomic
def feedback_submit(
    *, enrolment_id: int, usefulness: int, quality: int, recommend: int, comment: str = ""
) -> SessionFeedback:
    enrolment = feedback_enrolment(enrolment_id)
    feedback = SessionFeedback(
        session_id=enrolment.session_id,
        enrolment=enrolment,
        usefulness=usefulness,
        quality=quality,
        recommend=recommend,
        comment=(comment or "").strip(),
    )
    # Uniqueness is the database's job: a check here would race with a second tab.
    feedback.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # Two tabs sending at once: the database keeps one answer.
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise AlreadyAnswered from None
    return feedback


# --- Campaigns -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    kind: str


def audience_check(audience: str, value: str) -> str:
    """The audience's detail, cleaned; ValidationError naming the field when it is wrong."""
    value = (value or "").strip()
    if audience == Audience.ALL:
        return ""
    valid: dict[str, Sequence[str]] = {
        Audience.FORMAT: ModuleFormat.values,
        Audience.PROVINCE: Province.values,
        Audience.LANGUAGE: Language.values,
    }
    if audience == Audience.THEME:
        if not value or not Theme.objects.filter(slug=value).exists():
            raise ValidationError({"theme": _("Choose one of the themes.")}, code="audience")
        return value
    if audience not in valid:
        raise ValidationError({"audience": _("Choose who receives the survey.")}, code="audience")
    if value not in valid[audience]:
        raise ValidationError({audience: _("Choose one of the options.")}, code="audience")
    return value


def _check_questions(questions: Sequence[QuestionSpec]) -> None:
    if not questions:
        raise ValidationError(_("Write at least one question."), code="questions")
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(
            _("A campaign has at most %(n)s questions.") % {"n": MAX_QUESTIONS}, code="questions"
        )
    for question in questions:
        if not question.text.strip() or question.kind not in QuestionKind.values:
            raise ValidationError(_("Every question needs a text and a kind."), code="questions")


def _check_schedule(campaign: SurveyCampaign, now: datetime) -> None:
    if campaign.send_at < now - SEND_AT_TOLERANCE:
        raise ValidationError({"send_at": _("The send time is in the past.")}, code="past")
    if not audience_recipients(campaign.audience, campaign.audience_value).exists():
        raise ValidationError(
            {
                "audience": _(
                    "Nobody in this audience receives programme news: the survey would reach "
                    "no one. Choose a wider audience."
                )
            },
            code="empty",
        )


def _save(
    campaign: SurveyCampaign, questions: Sequence[QuestionSpec], *, schedule: bool
) -> SurveyCampaign:
    now = timezone.now()
    campaign.audience_value = audience_check(campaign.audience, campaign.audience_value)
    _check_questions(questions)
    if schedule:
        campaign.send_at = campaign.send_at or now
        _check_schedule(campaign, now)
        campaign.status = CampaignStatus.SCHEDULED
    else:
        campaign.status = CampaignStatus.DRAFT
    campaign.full_clean()
    campaign.save()
    campaign.questions.all().delete()
    CampaignQuestion.objects.bulk_create(
        CampaignQuestion(campaign=campaign, position=n, text=q.text.strip(), kind=q.kind)
        for n, q in enumerate(questions, start=1)
    )
    return campaign


@transaction.atomic
def campaign_create(
    *,
    title: str,
    intro: str,
    audience: str,
    audience_value: str = "",
    send_at: datetime | None = None,
    questions: Sequence[QuestionSpec],
    schedule: bool = False,
    actor=None,
) -> SurveyCampaign:
    """A new campaign, kept as a draft or scheduled for its send time (now when empty)."""
    campaign = SurveyCampaign(
        title=title,
        intro=intro,
        audience=audience,
        audience_value=audience_value,
        send_at=send_at,
        created_by=actor,
    )
    return _save(campaign, questions, schedule=schedule)


@transaction.atomic
def campaign_update(
    *,
    campaign_id: int,
    title: str,
    intro: str,
    audience: str,
    audience_value: str = "",
    send_at: datetime | None = None,
    questions: Sequence[QuestionSpec],
    schedule: bool = False,
) -> SurveyCampaign:
    """Change a campaign that has not gone out; saving it as a draft unschedules it."""
    campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign_id)
    if not campaign.is_editable:
        raise ValidationError(
            _("This campaign is going or has gone out: it can no longer be changed."),
            code="sent",
        )
    campaign.title, campaign.intro, campaign.send_at = title, intro, send_at
    campaign.audience, campaign.audience_value = audience, audience_value
    return _save(campaign, questions, schedule=schedule)


@transaction.atomic
def campaign_withdraw(*, campaign_id: int) -> SurveyCampaign:
    """Stop a campaign: invitations not sent yet are cancelled, its link stops working."""
    campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.status == CampaignStatus.WITHDRAWN:
        return campaign
    if campaign.status == CampaignStatus.DRAFT:
        raise ValidationError(_("A draft has not been sent: there is nothing to withdraw."))
    campaign.status = CampaignStatus.WITHDRAWN
    campaign.save(update_fields=["status", "updated_at"])
    deliveries_cancel(kind=CAMPAIGN_INVITATION, intent_prefix=campaign_prefix(campaign.pk) + ":")
    return campaign


def campaign_fan_out(*, campaign_id: int, now: datetime | None = None) -> int:
    """Record one invitation per recipient of a scheduled campaign, in bounded chunks.

    Deliberately not one transaction: each chunk commits, so a crash halfway leaves the
    campaign scheduled and the next sweep adds only the invitations still missing.
    Returns how many were invited.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Waits for an edit that holds the row (campaign_update) and reads what it saved;
        # from here on the send time has come and edits are refused.
        campaign = SurveyCampaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None or campaign.status != CampaignStatus.SCHEDULED or campaign.send_at > now:
        return 0
    invited = deliveries_fan_out(
        kind=CAMPAIGN_INVITATION,
        recipients=audience_recipients(campaign.audience, campaign.audience_value),
        intent_prefix=campaign_prefix(campaign.pk),
        context={"campaign_id": campaign.pk},
        due_at=campaign.send_at,
    )
    SurveyCampaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SCHEDULED).update(
        status=CampaignStatus.SENT, sent_at=now, invited_count=invited, updated_at=now
    )
    return invited


def campaign_for_response(*, campaign_id: int, user_id: int) -> SurveyCampaign:
    """The campaign a member's link opens, if they may still answer it."""
    campaign = SurveyCampaign.objects.filter(pk=campaign_id).prefetch_related("questions").first()
    if campaign is None or campaign.status != CampaignStatus.SENT:
        raise SurveyClosed("the campaign is not open")
    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        raise SurveyClosed("the account no longer exists")
    if CampaignResponse.objects.filter(campaign=campaign, user_id=user_id).exists():
        raise AlreadyAnswered
    return campaign


@transaction.atomic
def campaign_response_submit(
    *, campaign_id: int, user_id: int, answers: Mapping[int, int | str | None]
) -> CampaignResponse:
    """A member's answers, keyed by question id: an int for a scale, text for free text."""
    campaign = campaign_for_response(campaign_id=campaign_id, user_id=user_id)
    questions = list(campaign.questions.all())
    if set(answers) - {q.pk for q in questions}:
        raise ValidationError(_("These answers do not belong to this survey."))
    try:
        with transaction.atomic():
            response = CampaignResponse.objects.create(campaign=campaign, user_id=user_id)
    except IntegrityError:
        raise AlreadyAnswered from None
    rows = []
    for question in questions:
        value = answers.get(question.pk)
        if question.kind == QuestionKind.SCALE:
            answer = CampaignAnswer(response=response, question=question, scale_value=value)
        else:
            answer = CampaignAnswer(
                response=response, question=question, text_value=(value or "").strip()
            )
        if answer.scale_value is None and not answer.text_value:
            continue
        answer.full_clean(validate_constraints=False)
        rows.append(answer)
    CampaignAnswer.objects.bulk_create(rows)
    return response
