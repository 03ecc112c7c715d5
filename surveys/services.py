"""State changes on surveys: answers to the satisfaction survey, campaigns and their answers."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province
from members.models import User
from members.selectors import profile_for
from notifications.services import deliveries_cancel, deliveries_fan_out
from programme.models import Enrolment, ModuleFormat, Theme

from .campaign_selectors import campaign_non_respondents
from .emails import CAMPAIGN_INVITATION, CAMPAIGN_REMINDER, campaign_prefix, feedback_refusal
from .models import (
    Audience,
    CampaignAnswer,
    CampaignQuestion,
    CampaignResponse,
    CampaignStatus,
    QuestionKind,
    SessionFeedback,
    SurveyCampaign,
)
from .selectors import audience_recipients, audience_size

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
    assert enrolment is not None  # feedback_refusal gave a reason otherwise
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
    # The question in the campaign's other languages, e.g. {"nl": "…"}.
    translations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CampaignVersion:
    """A campaign's title and intro in a language other than its base language."""

    title: str
    intro: str


def _clean_versions(
    language: str,
    versions: Mapping[str, CampaignVersion],
    questions: Sequence[QuestionSpec],
) -> dict[str, dict[str, str]]:
    """The other language versions as stored: each one complete (title, intro and every
    question) or left out; a half-written one is refused, naming its language."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose one of the languages.")}, code="language")
    names = dict(Language.choices)
    kept: dict[str, dict[str, str]] = {}
    for code in Language.values:
        version = versions.get(code)
        title = (version.title if version else "").strip()
        intro = (version.intro if version else "").strip()
        texts = [(q.translations.get(code) or "").strip() for q in questions]
        if not (title or intro or any(texts)):
            continue
        if code == language:
            raise ValidationError(
                {
                    f"title_{code}": _(
                        "%(language)s is the base language: write it in the fields above, "
                        "not as another version."
                    )
                    % {"language": names[code]}
                },
                code="versions",
            )
        if not (title and intro and all(texts)):
            raise ValidationError(
                {
                    f"title_{code}": _(
                        "The version in %(language)s is incomplete: write its title, its "
                        "introduction and every question, or leave it all empty."
                    )
                    % {"language": names[code]}
                },
                code="versions",
            )
        kept[code] = {"title": title, "intro": intro}
    return kept


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
    assert campaign.send_at is not None  # _save sets it before scheduling
    if campaign.send_at < now - SEND_AT_TOLERANCE:
        raise ValidationError({"send_at": _("The send time is in the past.")}, code="past")
    size = audience_size(campaign.audience, campaign.audience_value)
    if not size.recipients:
        # The reason says whether the audience is empty or only silent (programme news off).
        raise ValidationError(
            {
                "audience": "{} {}".format(
                    size.reason, _("Choose a wider audience, or keep it as a draft.")
                )
            },
            code="empty",
        )


def _save(
    campaign: SurveyCampaign,
    questions: Sequence[QuestionSpec],
    *,
    schedule: bool,
    versions: Mapping[str, CampaignVersion],
) -> SurveyCampaign:
    now = timezone.now()
    campaign.audience_value = audience_check(campaign.audience, campaign.audience_value)
    _check_questions(questions)
    campaign.translations = _clean_versions(campaign.language, versions, questions)
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
        CampaignQuestion(
            campaign=campaign,
            position=n,
            text=q.text.strip(),
            kind=q.kind,
            translations={
                code: (q.translations.get(code) or "").strip() for code in campaign.translations
            },
        )
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
    actor: User | None = None,
    language: str = Language.FR,
    versions: Mapping[str, CampaignVersion] | None = None,
) -> SurveyCampaign:
    """A new campaign, kept as a draft or scheduled for its send time (now when empty).
    Written in `language`; `versions` holds its title and intro in the other languages
    (the questions carry their own)."""
    campaign = SurveyCampaign(
        title=title,
        intro=intro,
        audience=audience,
        audience_value=audience_value,
        send_at=send_at,
        created_by=actor,
        language=language,
    )
    return _save(campaign, questions, schedule=schedule, versions=versions or {})


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
    language: str = Language.FR,
    versions: Mapping[str, CampaignVersion] | None = None,
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
    campaign.language = language
    return _save(campaign, questions, schedule=schedule, versions=versions or {})


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
    for kind in (CAMPAIGN_INVITATION, CAMPAIGN_REMINDER):
        deliveries_cancel(kind=kind, intent_prefix=campaign_prefix(campaign.pk) + ":")
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
    # A scheduled campaign has its send time (the campaign_scheduled_has_time constraint).
    if campaign is None or campaign.status != CampaignStatus.SCHEDULED or campaign.send_at > now:  # type: ignore[operator]
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


def reminder_delay() -> timedelta:
    return timedelta(days=settings.SURVEYS_CAMPAIGN_REMINDER_DAYS)


def campaign_remind(*, campaign_id: int, now: datetime | None = None) -> int:
    """The one reminder to the invited members who have not answered, once the reminder
    delay has passed since the campaign went out. Running it again records nothing more
    (one delivery per member and intent, and `reminded_at` set). Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = SurveyCampaign.objects.select_for_update().filter(pk=campaign_id).first()
    if (
        campaign is None
        or campaign.status != CampaignStatus.SENT
        or campaign.reminded_at is not None
        or campaign.sent_at is None
        or campaign.sent_at > now - reminder_delay()
    ):
        return 0
    reminded = deliveries_fan_out(
        kind=CAMPAIGN_REMINDER,
        recipients=campaign_non_respondents(campaign),
        intent_prefix=campaign_prefix(campaign.pk),
        context={"campaign_id": campaign.pk},
        due_at=now,
    )
    SurveyCampaign.objects.filter(
        pk=campaign.pk, status=CampaignStatus.SENT, reminded_at__isnull=True
    ).update(reminded_at=now, reminded_count=reminded, updated_at=now)
    return reminded


def member_language(user_id: int) -> str:
    """The language a member reads (their profile's), or the portal's default."""
    user = get_user_model().objects.filter(pk=user_id).select_related("profile").first()
    language = profile_for(user).preferred_language if user is not None else ""
    return language or settings.LANGUAGE_CODE


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
    *,
    campaign_id: int,
    user_id: int,
    answers: Mapping[int, int | str | None],
    language: str = "",
) -> CampaignResponse:
    """A member's answers, keyed by question id: an int for a scale, text for free text;
    `language` is the version they answered (the base one when it has no such version)."""
    campaign = campaign_for_response(campaign_id=campaign_id, user_id=user_id)
    questions = list(campaign.questions.all())
    if set(answers) - {q.pk for q in questions}:
        raise ValidationError(_("These answers do not belong to this survey."))
    try:
        with transaction.atomic():
            response = CampaignResponse.objects.create(
                campaign=campaign,
                user_id=user_id,
                language=campaign.version_language(language or None),
            )
    except IntegrityError:
        raise AlreadyAnswered from None
    rows = []
    for question in questions:
        value = answers.get(question.pk)
        if question.kind == QuestionKind.SCALE:
            answer = CampaignAnswer(response=response, question=question, scale_value=value)
        else:
            answer = CampaignAnswer(
                response=response, question=question, text_value=str(value or "").strip()
            )
        if answer.scale_value is None and not answer.text_value:
            continue
        answer.full_clean(validate_constraints=False)
        rows.append(answer)
    CampaignAnswer.objects.bulk_create(rows)
    return response
