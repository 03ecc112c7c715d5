"""Round tables and the decisions taken from what members said ("you said, we did")."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.history import StaffEditHistory
from programme.models import Session

from .campaigns import SurveyCampaign
from .feedback import FeedbackItem

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
