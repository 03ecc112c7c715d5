"""The satisfaction survey after a session, and the managers' survey campaigns."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from common.history import StaffEditHistory
from programme.models import Session


def _scale(low: int, high: int):
    return [MinValueValidator(low), MaxValueValidator(high)]


class SessionFeedback(models.Model):
    """One participant's answer to the satisfaction survey of a session they attended."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("session")
    )
    # One answer per enrolment: the OneToOne is the unique constraint.
    enrolment = models.OneToOneField(
        "programme.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    usefulness = models.PositiveSmallIntegerField(_("usefulness"), validators=_scale(1, 5))
    quality = models.PositiveSmallIntegerField(_("quality"), validators=_scale(1, 5))
    recommend = models.PositiveSmallIntegerField(
        _("would recommend (0–10)"), validators=_scale(0, 10)
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        db_table = "programme_sessionfeedback"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5), name="feedback_usefulness_1_5"
            ),
            models.CheckConstraint(
                condition=Q(quality__gte=1, quality__lte=5), name="feedback_quality_1_5"
            ),
            models.CheckConstraint(
                condition=Q(recommend__gte=0, recommend__lte=10), name="feedback_recommend_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"feedback #{self.pk} on session {self.session_id}"


class Audience(models.TextChoices):
    ALL = "all", _("All members")
    THEME = "theme", _("Participants of a theme")
    FORMAT = "format", _("Participants of a format")
    PROVINCE = "province", _("Members of a province")
    LANGUAGE = "language", _("Members who read a language")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SurveyCampaign(models.Model):
    """A short programme-wide survey a manager sends to an audience at a set time.

    The sweep's planner fans it out when `send_at` has come (scheduled → sent).
    """

    # Not a column: "Participants of a theme: Sleep", set by selectors.audience_labels.
    audience_label: str

    title = models.CharField(_("title"), max_length=120)
    intro = models.TextField(_("introduction"), max_length=1000)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    # The theme slug, format, province code or language code; empty for all members.
    audience_value = models.CharField(_("audience detail"), max_length=60, blank=True)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The language the title, intro and questions are written in; the other versions sit
    # in `translations`: {"nl": {"title": …, "intro": …}} (complete or absent).
    language = models.CharField(
        _("base language"), max_length=8, choices=Language.choices, default=Language.FR
    )
    translations = models.JSONField(_("other language versions"), default=dict, blank=True)
    # How many members were invited, recorded when it went out.
    invited_count = models.PositiveIntegerField(_("invited"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The one reminder to those who had not answered: when it was planned, to how many.
    reminded_at = models.DateTimeField(_("reminder planned at"), null=True, blank=True)
    reminded_count = models.PositiveIntegerField(_("reminded"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = StaffEditHistory(excluded_fields=["created_at", "updated_at"])

    class Meta:
        db_table = "programme_surveycampaign"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="all", audience_value="")
                | (~Q(audience="all") & ~Q(audience_value="")),
                name="campaign_audience_detail",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(send_at__isnull=False),
                name="campaign_scheduled_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "send_at"])]

    def __str__(self) -> str:
        return self.title

    def version_language(self, language: str | None) -> str:
        """The version a reader of `language` gets: theirs if written, else the base one."""
        return language if language and language in (self.translations or {}) else self.language

    def title_in(self, language: str | None) -> str:
        lang = self.version_language(language)
        return self.title if lang == self.language else self.translations[lang]["title"]

    def intro_in(self, language: str | None) -> str:
        lang = self.version_language(language)
        return self.intro if lang == self.language else self.translations[lang]["intro"]

    @property
    def response_rate(self) -> int | None:
        """Answers per invitation, as a whole percentage; None before it went out. Needs
        `response_count` (annotated by campaign_selectors.manager_campaigns)."""
        if not self.invited_count:
            return None
        return round(100 * self.response_count / self.invited_count)  # type: ignore[attr-defined]

    @property
    def is_editable(self) -> bool:
        """A draft, or a campaign scheduled for later. Once the send time has come the
        sweep may be recording its invitations: it can only be withdrawn."""
        if self.status == CampaignStatus.SCHEDULED:
            return self.send_at is not None and self.send_at > timezone.now()
        return self.status == CampaignStatus.DRAFT


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    TEXT = "text", _("Free text")


class CampaignQuestion(models.Model):
    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind of answer"), max_length=5, choices=QuestionKind.choices)
    # The question in the campaign's other languages: {"nl": "…", "en": "…"}.
    translations = models.JSONField(_("other language versions"), default=dict, blank=True)

    class Meta:
        db_table = "programme_campaignquestion"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="question_position_once")
        ]

    def __str__(self) -> str:
        return self.text

    def text_in(self, language: str | None) -> str:
        return (self.translations or {}).get(language or "", "") or self.text


class CampaignResponse(models.Model):
    """One member's answers to a campaign: at most one per member (unique constraint)."""

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_responses",
    )
    # The version answered (free texts are in it); empty for answers from before versions.
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        db_table = "programme_campaignresponse"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="one_response_per_member")
        ]

    def __str__(self) -> str:
        return f"response #{self.pk} to campaign {self.campaign_id}"


class CampaignAnswer(models.Model):
    response = models.ForeignKey(CampaignResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CampaignQuestion, on_delete=models.CASCADE, related_name="answers")
    scale_value = models.PositiveSmallIntegerField(null=True, blank=True, validators=_scale(1, 5))
    text_value = models.TextField(max_length=2000, blank=True)

    class Meta:
        db_table = "programme_campaignanswer"
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | Q(scale_value__gte=1, scale_value__lte=5),
                name="answer_scale_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"answer to question {self.question_id}"
