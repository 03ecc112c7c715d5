"""Self-assessment results a member chose to keep, and their re-assessment invitations.

A result exists only with the member's consent to keep health data (GDPR Art. 9): a
result seen once is never written. The instrument itself (items, bands, texts) is data
in `assessments.instruments`; a result records the code and version it was scored with,
so an older result keeps reading correctly after an instrument changes.
"""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .instruments import Band, Instrument, find_instrument


class AssessmentResult(models.Model):
    """One scored self-assessment, visible to its member alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_results"
    )
    instrument = models.CharField(_("instrument"), max_length=30)
    instrument_version = models.CharField(_("instrument version"), max_length=20)
    # The language the member answered in: each language is its own validated wording.
    language = models.CharField(_("language"), max_length=2)
    # {item code: answer value}; kept so the member sees what they answered.
    answers = models.JSONField(_("answers"), default=dict)
    # The instrument's headline score in its published unit (sum, mean or percentage).
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    band = models.CharField(_("band"), max_length=30)
    # {subscale code: score}, two decimals, in the instrument's subscale order.
    subscales = models.JSONField(_("subscales"), default=dict, blank=True)
    # A band or rule of the instrument points at acute distress: crisis lines come first.
    acute = models.BooleanField(_("acute distress indicated"), default=False)
    consent = models.ForeignKey(
        "members.Consent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent"),
    )
    # One key per form shown: a replayed or double-clicked form stores one result.
    submission_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("self-assessment result")
        verbose_name_plural = _("self-assessment results")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "submission_key"], name="assessment_result_submitted_once"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="assessment_score_not_negative"),
        ]
        indexes = [models.Index(fields=["user", "instrument", "-created_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.created_at)
        return f"{self.instrument} v{self.instrument_version} — {local:%Y-%m-%d}"

    @property
    def definition(self) -> Instrument | None:
        """The instrument as it was when the result was scored (None if it was retired)."""
        return find_instrument(self.instrument, self.instrument_version)

    @property
    def instrument_name(self) -> str:
        definition = self.definition
        return str(definition.name) if definition else self.instrument

    @property
    def score_unit(self) -> str:
        definition = self.definition
        return str(definition.score_unit) if definition else ""

    @property
    def band_definition(self) -> Band | None:
        definition = self.definition
        return definition.band(self.band) if definition else None

    @property
    def band_label(self) -> str:
        band = self.band_definition
        return str(band.label) if band else self.band

    @property
    def subscale_rows(self) -> list[tuple[str, Decimal]]:
        """(label, score) per subscale, labelled in the active language."""
        definition = self.definition
        rows = []
        for code, value in self.subscales.items():
            subscale = definition.subscale(code) if definition else None
            rows.append((str(subscale.label) if subscale else code, Decimal(str(value))))
        return rows


class ReassessmentInterval(models.IntegerChoices):
    ONE_MONTH = 30, _("Every month")
    TWO_MONTHS = 61, _("Every two months")
    THREE_MONTHS = 91, _("Every three months")
    SIX_MONTHS = 182, _("Every six months")


class ReassessmentPlan(models.Model):
    """A member's wish to be invited to take an instrument again at a chosen interval.

    The messages planner (assessments.planners) schedules an invitation when
    `next_due_on` has come, the member receives re-assessment invitations (their
    choice in notifications, off by default) and they still keep a result of the
    instrument; it records the date in `last_invited_for` and moves `next_due_on` on by
    one interval. A new kept result moves it to one interval after that result.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reassessment_plans"
    )
    instrument = models.CharField(_("instrument"), max_length=30)
    interval_days = models.PositiveSmallIntegerField(
        _("interval"), choices=ReassessmentInterval.choices
    )
    # The latest kept result (or the day of opting in) plus the interval.
    next_due_on = models.DateField(_("next invitation on"))
    last_invited_for = models.DateField(_("last invitation sent for"), null=True, blank=True)
    # Set for the invitations the research consent asks for (at 3 and 6 months): none
    # is sent for a date after it. Empty for the member's own choice of interval.
    ends_on = models.DateField(_("last invitation on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["next_due_on", "pk"]
        verbose_name = _("re-assessment invitation")
        verbose_name_plural = _("re-assessment invitations")
        constraints = [
            models.UniqueConstraint(fields=["user", "instrument"], name="one_plan_per_instrument"),
            models.CheckConstraint(
                condition=Q(interval_days__in=ReassessmentInterval.values),
                name="reassessment_interval_known",
            ),
        ]
        indexes = [models.Index(fields=["next_due_on"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.instrument} every {self.interval_days} days"

    @staticmethod
    def due_after(start: date, interval_days: int) -> date:
        return start + timedelta(days=interval_days)


class Wave(models.IntegerChoices):
    """When an evaluation measure was taken, in months after the first one."""

    BASELINE = 0, _("First use")
    THREE_MONTHS = 3, _("At 3 months")
    SIX_MONTHS = 6, _("At 6 months")


class ResearchParticipant(models.Model):
    """The link between a member and the code their evaluation measures carry.

    Only this table knows who a code stands for; the measures hold the code, an
    instrument, a wave, a score and a date, nothing else (no name, e-mail or free text).
    Deleted with the account; the measures go with it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_participant"
    )
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("research participant")
        verbose_name_plural = _("research participants")

    def __str__(self) -> str:
        return str(self.pseudonym)


class EvaluationMeasure(models.Model):
    """One score kept for the programme's evaluation, under the research consent."""

    participant = models.ForeignKey(
        ResearchParticipant, on_delete=models.CASCADE, related_name="measures"
    )
    instrument = models.CharField(_("instrument"), max_length=30)
    wave = models.PositiveSmallIntegerField(_("wave"), choices=Wave.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    taken_on = models.DateField(_("taken on"))

    class Meta:
        ordering = ["participant", "instrument", "wave"]
        verbose_name = _("evaluation measure")
        verbose_name_plural = _("evaluation measures")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "instrument", "wave"], name="one_measure_per_wave"
            ),
            models.CheckConstraint(condition=Q(wave__in=Wave.values), name="evaluation_wave_known"),
        ]
        indexes = [models.Index(fields=["instrument", "wave"])]

    def __str__(self) -> str:
        return f"{self.participant_id} — {self.instrument} ({self.wave})"
