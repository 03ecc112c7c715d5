"""Surveys: the satisfaction survey after a session, and the managers' survey campaigns.

Answers outlive the people who gave them (erasure keeps anonymous statistics): the link
to the enrolment or the member is set to NULL, the answer and its session stay.

These models were born in programme and moved here without moving their data: each keeps
its `programme_…` table (`db_table`), and surveys.0001 only took them over in the
migration state.
"""

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
        `response_count` (annotated by selectors.manager_campaigns)."""
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


# --- Feedback at any time: ideas, needs, difficulties, praise --------------------------


class FeedbackKind(models.TextChoices):
    SUGGESTION = "suggestion", _("An idea or a suggestion")
    NEED = "need", _("A need (a workshop on…)")
    DIFFICULTY = "difficulty", _("A difficulty with the portal")
    PRAISE = "praise", _("Praise")


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


FEEDBACK_MAX_CHARS = 2000


class FeedbackItem(models.Model):
    """Something a member or a visitor told the team, from any page, and its triage.

    Anonymous by default, even for a signed-in member: `author` is set only when they ask
    the team to know who wrote it. `reply_email` serves one reply; it is cleared once the
    reply went out, or by the nightly retention job (SURVEYS_FEEDBACK_EMAIL_DAYS).
    """

    kind = models.CharField(_("kind"), max_length=12, choices=FeedbackKind.choices)
    text = models.TextField(_("message"), max_length=FEEDBACK_MAX_CHARS)
    module = models.ForeignKey(
        "programme.Module",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
        verbose_name=_("author"),
    )
    reply_email = models.EmailField(_("e-mail for a reply"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    # Where it was sent from: a path only (no query string, which may carry tokens).
    page_path = models.CharField(_("sent from"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.NEW,
    )
    public_reason = models.CharField(_("public reason"), max_length=300, blank=True)
    themes = models.ManyToManyField(
        "programme.Theme", blank=True, related_name="+", verbose_name=_("themes")
    )
    # Merging: the duplicate points at the item that carries the discussion.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    reply_text = models.TextField(_("reply"), max_length=FEEDBACK_MAX_CHARS, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FeedbackStatus.values), name="feedback_item_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FeedbackKind.values), name="feedback_item_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"feedback item #{self.pk}"


class FeedbackEvent(models.Model):
    """One step of an item's triage, for the team's timeline: who changed what, when.
    Dotted action names, as in the other apps' audit entries."""

    SUBMITTED = "feedback.submitted"
    STATUS_CHANGED = "feedback.status_changed"
    THEMES_CHANGED = "feedback.themes_changed"
    MERGED = "feedback.merged"
    UNMERGED = "feedback.unmerged"
    REPLY_RECORDED = "feedback.reply_recorded"
    REPLY_SENT = "feedback.reply_sent"
    DECISION_LINKED = "feedback.decision_linked"
    DECISION_UNLINKED = "feedback.decision_unlinked"
    DECISION_DELETED = "feedback.decision_deleted"

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Codes and ids only (a status, an item number), never the text of a note.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")

    def __str__(self) -> str:
        return f"{self.action} on item {self.item_id}"

    def summary(self) -> str:
        """One line of the timeline, in the reader's language."""
        detail = self.detail or {}

        def status(code) -> str:
            return str(FeedbackStatus(code).label) if code in FeedbackStatus.values else str(code)

        if self.action == self.STATUS_CHANGED:
            return _("Status: %(before)s → %(after)s") % {
                "before": status(detail.get("before")),
                "after": status(detail.get("after")),
            }
        if self.action in (self.DECISION_LINKED, self.DECISION_UNLINKED):
            text = (
                _("Linked to decision #%(number)s of a round table")
                if self.action == self.DECISION_LINKED
                else _("No longer linked to decision #%(number)s")
            )
            return text % {"number": detail.get("decision")}
        if self.action == self.DECISION_DELETED:
            return _("Decision #%(number)s deleted with its round table") % {
                "number": detail.get("decision")
            }
        if self.action in (self.MERGED, self.UNMERGED):
            text = (
                _("Merged into #%(number)s")
                if self.action == self.MERGED
                else _("No longer merged into #%(number)s")
            )
            return text % {"number": detail.get("original")}
        labels = {
            self.SUBMITTED: _("Sent"),
            self.THEMES_CHANGED: _("Themes changed"),
            self.REPLY_RECORDED: _("Reply written"),
            self.REPLY_SENT: _("Reply sent; the address is deleted"),
        }
        return str(labels.get(self.action, self.action))


# --- Round tables and "you said, we did" ------------------------------------------------

ROUND_TABLE_SUMMARY_MAX = 5000
DECISION_TEXT_MAX = 1000
CHANGE_TEXT_MAX = 600
PARTICIPANTS_MAX = 10000


class RoundTable(models.Model):
    """One of the programme's round tables with members and partners. The people who took
    part are counted, never named: the record says how many, not who."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme session"),
    )
    member_count = models.PositiveIntegerField(
        _("members taking part"), default=0, validators=[MaxValueValidator(PARTICIPANTS_MAX)]
    )
    partner_count = models.PositiveIntegerField(
        _("partners taking part"), default=0, validators=[MaxValueValidator(PARTICIPANTS_MAX)]
    )
    summary = models.TextField(_("summary"), max_length=ROUND_TABLE_SUMMARY_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A round table may be deleted (round_table_delete): its history keeps the record.
    history = StaffEditHistory(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("round table")
        verbose_name_plural = _("round tables")
        constraints = [
            models.CheckConstraint(
                condition=Q(member_count__lte=PARTICIPANTS_MAX)
                & Q(partner_count__lte=PARTICIPANTS_MAX),
                name="round_table_counts_bounded",
            )
        ]

    def __str__(self) -> str:
        return self.title


class DecisionStatus(models.TextChoices):
    DECIDED = "decided", _("Decided")
    DONE = "done", _("Done")


class Decision(models.Model):
    """What a round table decided, and the feedback and survey that led to it. Once done,
    it may be published as a change on the public "you said, we did" page, with a short
    text in each language; the members who signed a linked feedback item are told once."""

    round_table = models.ForeignKey(
        RoundTable,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("round table"),
    )
    text = models.CharField(_("decision"), max_length=DECISION_TEXT_MAX)
    feedback_items = models.ManyToManyField(
        FeedbackItem, blank=True, related_name="decisions", verbose_name=_("feedback items")
    )
    campaign = models.ForeignKey(
        SurveyCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("survey campaign"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DECIDED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    public_text_fr = models.TextField(
        _("public text (French)"), max_length=CHANGE_TEXT_MAX, blank=True
    )
    public_text_nl = models.TextField(
        _("public text (Dutch)"), max_length=CHANGE_TEXT_MAX, blank=True
    )
    public_text_en = models.TextField(
        _("public text (English)"), max_length=CHANGE_TEXT_MAX, blank=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Set once the members to tell were recorded; cleared when items are linked afterwards.
    notices_planned_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Deleted with its round table, a decision stays in its history.
    history = StaffEditHistory(excluded_fields=["created_at", "updated_at", "notices_planned_at"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values), name="decision_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (
                    Q(status="done", done_on__isnull=False)
                    & ~Q(public_text_fr="")
                    & ~Q(public_text_nl="")
                ),
                name="decision_published_is_done_with_texts",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-done_on", "-id"],
                name="decision_public_order",
                condition=Q(published_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"decision #{self.pk} of round table {self.round_table_id}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def public_text(self, language: str) -> tuple[str, str]:
        """The change in `language`, or in the first language it was written in: the text
        and its language (the page marks a text in another language as such)."""
        order = [language, "fr", "nl", "en"]
        for code in order:
            text = getattr(self, f"public_text_{code}", "")
            if text:
                return text, code
        return "", language
