"""Cases of the listening cell, their needs, their timeline and their referrals.

A case is one thing the cell has to act on: a member's request to be contacted, an
ambassador's signal, a guest's callback or a case an advisor opened for someone who
phoned or walked in. All share the queue, the statuses and the timeline.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language

from ..choices import (
    ADVISOR_SOURCE_LABELS,
    AREA_CHOICES,
    CALL_TODAY,
    CALL_TODAY_LABEL,
    SIGNAL_URGENCY_LABELS,
    CaseStatus,
    Channel,
    ConsentBasis,
    EventKind,
    IntakeChannel,
    MemberHelped,
    NeedCategory,
    NotTakenOnReason,
    Outcome,
    PartnerAnswer,
    ReferralMode,
    Source,
    TimeSlot,
    Urgency,
)
from .base import AppendOnlyModel
from .partners import Partner

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGE_MAX = 2000
SIGNAL_NOTE_MAX = 500
NOTE_MAX = 4000


def case_reference(pk: int) -> str:
    """How people name a case (pages, e-mails): a reference, never the person's name."""
    return f"C-{pk:05d}"


class Case(models.Model):
    """A member's request to be contacted, or an ambassador's signal about someone.

    Status, assignment and outcome change only through referrals.services, which write
    the timeline; the constraints below hold whatever the caller.
    """

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    outcome = models.CharField(_("outcome"), max_length=25, choices=Outcome.choices, blank=True)
    # The member concerned, when they have an account. Erasing the member keeps the case
    # as an anonymous statistic.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral_cases",
        verbose_name=_("member"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_signals",
        verbose_name=_("raised by"),
    )
    # An ambassador's (or, for a case an advisor opens, the advisor's) confirmation that
    # the person agreed to be contacted.
    agreement_confirmed = models.BooleanField(_("the person agreed to be contacted"), default=False)
    # How the person reached the advisor who opened the case; only for that source. Empty
    # by default in the database too, so rows written without it (bench) stay valid.
    intake_channel = models.CharField(
        _("how the person came in"),
        max_length=10,
        choices=IntakeChannel.choices,
        blank=True,
        default="",
        db_default="",
    )
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, blank=True
    )
    # TimeSlot values; only ever displayed, never queried.
    time_slots = models.JSONField(_("time slots"), default=list, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    # The member's province when the case came in, so routing does not drift later.
    region = models.CharField(_("region"), max_length=3, choices=AREA_CHOICES, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("how urgent it feels"), choices=Urgency.choices, default=Urgency.MEDIUM
    )
    # Set once when the case opens (choices.is_urgent): its deadline, alert and place
    # in the queue follow from it.
    urgent = models.BooleanField(_("handled as urgent"), default=False)
    message = models.TextField(
        _("message"), blank=True, validators=[MaxLengthValidator(MESSAGE_MAX)]
    )
    # One of the member's own kept results, attached by an explicit choice. Deleting the
    # result detaches it; every staff read of it is in the access log.
    assessment_result = models.ForeignKey(
        "assessments.AssessmentResult",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attached self-assessment result"),
    )
    sharing_consent = models.ForeignKey(
        "members.Consent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent to share with a partner"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # An advisor's account is deactivated, never deleted, while it holds cases.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("advisor"),
    )
    first_contact_due = models.DateTimeField(_("first contact due by"))
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The token of the form that opened the case: the same form sent twice (a double tap,
    # a reload) finds its case instead of opening a second one.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-urgent", "-urgency", "created_at", "pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new", assigned_to__isnull=True)
                | (~Q(status="new") & Q(assigned_to__isnull=False))
                # Erasing the member closes a case nobody had claimed yet (services).
                | Q(status="closed", outcome="unreachable", assigned_to__isnull=True),
                name="case_owned_once_claimed",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(outcome="") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(outcome="") & Q(closed_at__isnull=True)),
                name="case_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["request", "guest"]) | Q(agreement_confirmed=True),
                name="signal_needs_agreement",
            ),
            models.CheckConstraint(
                condition=(Q(source="advisor") & ~Q(intake_channel=""))
                | (~Q(source="advisor") & Q(intake_channel="")),
                name="advisor_case_has_intake",
            ),
            models.CheckConstraint(
                condition=Q(urgency__gte=1) & Q(urgency__lte=3), name="case_urgency_range"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "-urgent", "-urgency", "created_at"], name="case_queue_order"
            ),
            # The queue with every status: its order alone, so a page reads 25 rows of
            # the index instead of sorting every case.
            models.Index(
                fields=["-urgent", "-urgency", "created_at", "id"], name="case_queue_order_idx"
            ),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["status", "first_contact_due"]),
            # The case search lists the latest first: a page reads 25 rows of it.
            models.Index(fields=["-created_at", "-id"], name="case_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_source_display()}"

    @property
    def reference(self) -> str:
        return case_reference(self.pk)

    @property
    def person_name(self) -> str:
        if self.contact_name:
            return self.contact_name
        return self.member.display_name if self.member is not None else ""

    @property
    def source_label(self) -> "StrOrPromise":
        """Where the case came from, in words: an advisor's case says how the person came in."""
        if self.source == Source.ADVISOR and self.intake_channel in ADVISOR_SOURCE_LABELS:
            return ADVISOR_SOURCE_LABELS[self.intake_channel]
        return self.get_source_display()

    @property
    def urgency_label(self) -> "StrOrPromise":
        """In the member's words for a request, as the ambassador saw it for a signal."""
        if self.source == Source.SIGNAL:
            return SIGNAL_URGENCY_LABELS[self.urgency]
        return self.get_urgency_display()

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def time_slot_labels(self) -> "list[StrOrPromise]":
        labels = {CALL_TODAY: CALL_TODAY_LABEL, **dict(TimeSlot.choices)}
        return [labels[slot] for slot in self.time_slots if slot in labels]

    @property
    def is_overdue(self) -> bool:
        """No first contact yet and the deadline has passed."""
        return (
            self.is_open
            and self.first_contact_at is None
            and self.first_contact_due < timezone.now()
        )

    @property
    def follow_up_due(self) -> bool:
        return (
            self.is_open
            and self.follow_up_on is not None
            and self.follow_up_on <= timezone.localdate()
        )


class CaseNeed(models.Model):
    """A need category of a case: the topics a member chose, or a signal's category."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(_("need"), max_length=20, choices=NeedCategory.choices)

    class Meta:
        ordering = ["need"]
        constraints = [models.UniqueConstraint(fields=["case", "need"], name="case_need")]

    def __str__(self) -> str:
        return self.get_need_display()


class CaseEvent(AppendOnlyModel):
    """The case's timeline and audit trail: one row per change, attempt, note or referral.

    Append-only: nothing on a timeline is edited after the fact.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    body = models.TextField(_("text"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.case_id}"


class Referral(models.Model):
    """The cell oriented the case's person to a partner; the closed loop says whether they
    reached it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("partner")
    )
    mode = models.CharField(_("how"), max_length=15, choices=ReferralMode.choices)
    consent_basis = models.CharField(
        _("consent to share"), max_length=10, choices=ConsentBasis.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(1000)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Closed loop: None until the advisor learns whether the member reached the partner.
    reached = models.BooleanField(_("the member reached the partner"), null=True, blank=True)
    reached_recorded_at = models.DateTimeField(null=True, blank=True)
    # The partner's side: sent to its referral address with a signed link, and what the
    # partner answered on that page (only ever forward, see PARTNER_ANSWER_RANK).
    sent_to_partner_at = models.DateTimeField(_("sent to the partner at"), null=True, blank=True)
    sent_to_address = models.EmailField(_("sent to"), blank=True)
    partner_answer = models.CharField(
        _("the partner's answer"), max_length=15, choices=PartnerAnswer.choices, blank=True
    )
    partner_reason = models.CharField(
        _("why not taken on"), max_length=15, choices=NotTakenOnReason.choices, blank=True
    )
    partner_answered_at = models.DateTimeField(null=True, blank=True)
    # When the partner first said it had contacted (or taken on) the member.
    partner_contacted_at = models.DateTimeField(null=True, blank=True)
    # The member's own word: did it help? (whether they reached it goes in `reached`)
    member_helped = models.CharField(
        _("did it help?"), max_length=10, choices=MemberHelped.choices, blank=True
    )
    member_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(fields=["case", "partner"], name="referred_once_per_partner"),
            # A warm handoff shares the member's details: never without their consent.
            models.CheckConstraint(
                condition=(Q(mode="information") & Q(consent_basis=""))
                | (Q(mode="warm_handoff") & ~Q(consent_basis="")),
                name="warm_handoff_needs_consent",
            ),
            # Only a warm handoff (consent recorded) is ever sent to the partner.
            models.CheckConstraint(
                condition=Q(sent_to_partner_at__isnull=True) | Q(mode="warm_handoff"),
                name="sent_to_partner_needs_handoff",
            ),
            models.CheckConstraint(
                condition=Q(partner_answer="not_taken_on", partner_reason__gt="")
                | (~Q(partner_answer="not_taken_on") & Q(partner_reason="")),
                name="not_taken_on_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["partner_answer", "sent_to_partner_at"])]

    def __str__(self) -> str:
        return f"{self.case} → {self.partner}"
